"""Reads and validates the data files under knowledge/data before anything is written.

`load_dataset(data_dir)` returns a `Dataset` or raises `DataError`, whose message lists every
problem found, each naming the file and the record: unknown or missing fields, a record
without a source, a level outside 3-8, a duplicate key, a page cited under two source keys, a
reference to an unknown campus, establishment, sector, source... A training must be taught by
a member of its campus, in one of the campus's sectors, at the level of its diploma kind, and
be listed once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge.schema import (
    CAMPUS_DIR,
    FILE_SECTIONS,
    IDENTITY,
    LEVEL_RANGE,
    RECORD_LABELS,
    SCHEMAS,
    TRAINING_DIR,
    FieldSpec,
    Record,
)
from knowledge.textnorm import match_key

_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_URL = re.compile(r"^https?://[^\s]+$")
ILE_DE_FRANCE_BOUNDS = (48.1, 49.25, 1.4, 3.6)  # latitude min, max; longitude min, max
_UAI = re.compile(r"^\d{7}[A-Z]$")
TRAINING_FILE_FIELDS = {"campus", "trainings"}


class DataError(Exception):
    """The data files are invalid; `problems` lists each one as "file: record: what"."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(
            f"{len(problems)} problème{'s' if len(problems) > 1 else ''} dans les données, base non modifiée :\n"
            + "\n".join(f"- {problem}" for problem in problems)
        )


class _StrictLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key written twice in the same mapping."""


def _mapping_without_duplicates(loader: _StrictLoader, node: yaml.MappingNode, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"clé « {key} » écrite deux fois", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


@dataclass
class Dataset:
    """Validated records by kind, in file order."""

    records: dict[str, list[Record]]

    def of(self, kind: str) -> list[Record]:
        return self.records.get(kind, [])

    def counts(self) -> dict[str, int]:
        return {kind: len(records) for kind, records in self.records.items()}


class _Validator:
    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.problems: list[str] = []
        self.records: dict[str, list[Record]] = defaultdict(list)
        self.references: list[tuple[str, str, str, str]] = []  # where, ref kind, key, field

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def display(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.data_dir.parent.parent))
        except ValueError:
            return str(path)

    def read_yaml(self, path: Path):
        try:
            return yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)
        except FileNotFoundError:
            self.problem(self.display(path), "fichier manquant")
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            self.problem(self.display(path), f"YAML illisible : {error}")
        return None

    def run(self) -> Dataset:
        for name, sections in FILE_SECTIONS.items():
            self.read_sections(self.data_dir / name, sections)
        campus_files = sorted((self.data_dir / CAMPUS_DIR).glob("*.yml"))
        if not campus_files:
            self.problem(self.display(self.data_dir / CAMPUS_DIR), "aucun fichier de campus")
        for path in campus_files:
            content = self.read_yaml(path)
            if content is not None:
                record = self.check_record("campus", content, self.display(path), None)
                if record and record.data.get("key") != path.stem:
                    self.problem(self.display(path),
                                 f"la clé « {record.data.get('key')} » doit être le nom du fichier « {path.stem} »")
        for path in sorted((self.data_dir / TRAINING_DIR).glob("*.yml")):
            self.read_trainings(path)
        self.check_duplicates()
        self.check_references()
        if not self.problems:
            self.check_trainings()
            self.check_jobs()
        if self.problems:
            raise DataError(self.problems)
        return Dataset(dict(self.records))

    def read_sections(self, path: Path, sections: dict[str, str]) -> None:
        content = self.read_yaml(path)
        if content is None:
            return
        where = self.display(path)
        if not isinstance(content, dict):
            self.problem(where, "le fichier doit contenir les sections " + ", ".join(sections))
            return
        for section in content.keys() - sections.keys():
            self.problem(where, f"section inconnue « {section} » (sections permises : {', '.join(sections)})")
        for section, kind in sections.items():
            items = content.get(section)
            if not isinstance(items, list) or not items:
                self.problem(where, f"la section « {section} » doit être une liste non vide")
                continue
            for index, item in enumerate(items):
                self.check_record(kind, item, where, f"{section}[{index}]")

    def read_trainings(self, path: Path) -> None:
        """A campus's trainings file: `campus: <key>` (the file's name) and `trainings: [...]`."""
        content = self.read_yaml(path)
        if content is None:
            return
        where = self.display(path)
        if not isinstance(content, dict) or set(content) != TRAINING_FILE_FIELDS:
            self.problem(where, "le fichier doit contenir exactement « campus: <clé> » et « trainings: [...] »")
            return
        campus = content["campus"]
        if campus != path.stem:
            self.problem(where, f"le campus « {campus} » doit être le nom du fichier « {path.stem} »")
            return
        self.references.append((f"{where}: campus", "campus", campus, "campus"))
        items = content["trainings"]
        if not isinstance(items, list) or not items:
            self.problem(where, "la section « trainings » doit être une liste non vide")
            return
        for index, item in enumerate(items):
            record = self.check_record("training", item, where, f"trainings[{index}]", parent=f"campus « {campus} »")
            if record is not None:
                record.children["campus"] = [{"key": campus, "position": f"trainings[{index}]"}]
                self.records["training"].append(record)

    def check_trainings(self) -> None:
        """What only the whole data set can tell about a training (run once references are sound)."""
        campuses = {r.data["key"]: r for r in self.records.get("campus", [])}
        kind_levels = {r.data["key"]: r.data["level"] for r in self.records.get("diploma_kind", [])}
        seen: dict[tuple, str] = {}
        for record in self.records.get("training", []):
            data, origin = record.data, record.children["campus"][0]
            campus = campuses[origin["key"]]
            where = f"{record.file}: {self.label('training', data, origin['position'])}"
            members = {m["establishment"] for m in campus.children.get("members", [])}
            if data["establishment"] not in members:
                self.problem(where, f"l'établissement « {data['establishment']} » n'est pas membre du campus "
                                    f"« {campus.data['key']} » : ajoutez-le d'abord à ses membres, avec sa source")
            if data["sector"] not in campus.data["sectors"]:
                self.problem(where, f"le secteur « {data['sector']} » n'est pas un secteur du campus "
                                    f"(secteurs : {', '.join(campus.data['sectors'])})")
            fixed = kind_levels[data["kind"]]
            if fixed is not None and data.get("level", fixed) != fixed:
                self.problem(where, f"niveau {data['level']} incohérent : "
                                    f"le diplôme « {data['kind']} » est de niveau {fixed}")
            identity = (data["kind"], match_key(data["specialty"]), data["establishment"])
            if identity in seen:
                self.problem(where, f"formation en double (déjà décrite dans {seen[identity]})")
            else:
                seen[identity] = f"{record.file} {origin['position']}"

    def check_jobs(self) -> None:
        """Each job group names a sector or, for a field no sector covers, a national sector
        (once); each word is listed once in the vocabulary and is no sector's word."""
        taken: dict[str, str] = {}
        for record in self.records.get("sector", []):
            for word in [record.data["name"], *record.data.get("synonyms", []), *record.data.get("everyday_words", [])]:
                taken.setdefault(match_key(word), f"secteur « {record.data['key']} »")
        groups: set[str] = set()
        for index, record in enumerate(self.records.get("job_group", [])):
            data = record.data
            owner = data.get("sector") or data.get("national_sector")
            where = f"{record.file}: jobs[{index}] ({owner})"
            if ("sector" in data) == ("national_sector" in data):
                self.problem(where, "indiquez soit « sector », soit « national_sector »")
                continue
            if "nearest" in data and "sector" in data:
                self.problem(where, "« nearest » ne sert qu'aux groupes « national_sector »")
            if owner in groups:
                self.problem(where, f"groupe en double : « {owner} » a déjà ses mots plus haut")
            groups.add(owner)
            for word in data["words"]:
                key = match_key(word)
                if key in taken:
                    self.problem(where, f"le mot « {word} » est déjà un mot du {taken[key]}")
                else:
                    taken[key] = f"groupe de métiers « {owner} »"

    def label(self, kind: str, data, position: str | None) -> str:
        identity = data.get(IDENTITY.get(kind, "")) if isinstance(data, dict) else None
        if kind == "training" and isinstance(data, dict) and data.get("specialty"):
            identity = f"{data.get('kind')} {data['specialty']}, {data.get('establishment')}"
        name = f"{RECORD_LABELS[kind]} « {identity} »" if identity is not None else RECORD_LABELS[kind]
        return f"{position} ({name})" if position else name

    def check_record(self, kind: str, data, file: str, position: str | None,
                     parent: str | None = None) -> Record | None:
        label = self.label(kind, data, position)
        where = f"{file}: {parent + ' > ' if parent else ''}{label}"
        if not isinstance(data, dict):
            self.problem(where, "un enregistrement doit être un ensemble de champs « nom: valeur »")
            return None
        schema = SCHEMAS[kind]
        for name in data.keys() - schema.keys():
            self.problem(where, f"champ inconnu « {name} » (champs permis : {', '.join(schema)})")
        record = Record(kind, data, file)
        for name, spec in schema.items():
            if name not in data:
                if spec.required:
                    message = ("aucune source : ajoutez au moins une clé de sources.yml dans « sources »"
                               if name == "sources" else f"champ obligatoire « {name} » manquant")
                    self.problem(where, message)
                continue
            self.check_value(spec, name, data[name], where, record, kind)
        if parent is None:
            self.records[kind].append(record)
        return record

    def check_value(self, spec: FieldSpec, name: str, value, where: str, record: Record, kind: str) -> None:
        here = f"{where}, champ « {name} »"
        if value is None:
            if not spec.nullable:
                self.problem(here, "valeur vide")
            return
        check = getattr(self, f"check_{spec.kind}")
        check(spec, name, value, here, record, kind)

    def check_text(self, spec, name, value, here, record, kind):
        if not isinstance(value, str) or not value.strip():
            self.problem(here, "texte attendu")

    def check_url(self, spec, name, value, here, record, kind):
        if not isinstance(value, str) or not _URL.match(value):
            self.problem(here, "adresse web http(s) attendue")

    def check_uai(self, spec, name, value, here, record, kind):
        if not isinstance(value, str) or not _UAI.match(value):
            self.problem(here, "code UAI attendu : 7 chiffres et une lettre majuscule, entre guillemets (« 0930124T »)")

    def check_int(self, spec, name, value, here, record, kind):
        if not isinstance(value, int) or isinstance(value, bool):
            self.problem(here, "nombre entier attendu")

    def check_position(self, spec, name, value, here, record, kind):
        numbers = isinstance(value, list) and len(value) == 2 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
        if not numbers or not (ILE_DE_FRANCE_BOUNDS[0] <= value[0] <= ILE_DE_FRANCE_BOUNDS[1]
                               and ILE_DE_FRANCE_BOUNDS[2] <= value[1] <= ILE_DE_FRANCE_BOUNDS[3]):
            self.problem(here, "position [latitude, longitude] en Île-de-France attendue (« [48.85, 2.35] »)")

    def check_bool(self, spec, name, value, here, record, kind):
        if not isinstance(value, bool):
            self.problem(here, "true ou false attendu")

    def check_date(self, spec, name, value, here, record, kind):
        if not isinstance(value, dt.date):
            self.problem(here, "date AAAA-MM-JJ attendue")

    def check_partial_date(self, spec, name, value, here, record, kind):
        text = str(value)
        if not isinstance(value, str) or not _PARTIAL_DATE.match(text):
            self.problem(here, "date « AAAA », « AAAA-MM » ou « AAAA-MM-JJ » attendue, entre guillemets")
            return
        parts = [int(part) for part in text.split("-")] + [1, 1]
        try:
            dt.date(*parts[:3])
        except ValueError:
            self.problem(here, f"date impossible « {text} »")

    def check_level(self, spec, name, value, here, record, kind):
        if not isinstance(value, int) or isinstance(value, bool) or value not in LEVEL_RANGE:
            self.problem(here, f"niveau {value!r} hors de l'échelle nationale (3 à 8)")

    def check_levels(self, spec, name, value, here, record, kind):
        if not isinstance(value, dict) or set(value) != {"min", "max"}:
            self.problem(here, "attendu : {min: N, max: N}")
            return
        for bound in ("min", "max"):
            self.check_level(spec, name, value[bound], f"{here} ({bound})", record, kind)
        if all(isinstance(value[b], int) for b in ("min", "max")) and value["min"] > value["max"]:
            self.problem(here, "min est plus grand que max")

    def check_choice(self, spec, name, value, here, record, kind):
        if value not in spec.choices:
            self.problem(here, f"valeur « {value} » inconnue (valeurs permises : {', '.join(spec.choices)})")

    def check_choices(self, spec, name, value, here, record, kind):
        if not isinstance(value, list) or not value or len(set(map(str, value))) != len(value):
            self.problem(here, f"liste de valeurs distinctes attendue parmi : {', '.join(spec.choices)}")
            return
        for item in value:
            self.check_choice(spec, name, item, here, record, kind)

    def check_texts(self, spec, name, value, here, record, kind):
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(here, "liste de textes attendue")

    def check_key(self, spec, name, value, here, record, kind):
        if not isinstance(value, str):
            self.problem(here, "clé attendue")
            return
        self.references.append((here, spec.ref, value, name))

    def check_keys(self, spec, name, value, here, record, kind):
        if not isinstance(value, list) or not value:
            message = ("aucune source : ajoutez au moins une clé de sources.yml"
                       if name == "sources" else "liste de clés non vide attendue")
            self.problem(here, message)
            return
        for key in value:
            self.check_key(spec, name, key, here, record, kind)

    def check_fields(self, spec, name, value, here, record, kind):
        if not isinstance(value, list):
            self.problem(here, "liste de noms de champs attendue")
            return
        for field_name in value:
            if field_name not in SCHEMAS[kind] or field_name in ("key", "sources", "unsure"):
                self.problem(here, f"« {field_name} » n'est pas un champ qui peut être incertain")

    def check_records(self, spec, name, value, here, record, kind):
        if not isinstance(value, list):
            self.problem(here, "liste attendue")
            return
        parent = self.label(kind, record.data, None)
        children = []
        for index, item in enumerate(value):
            child = self.check_record(spec.records, item, record.file, f"{name}[{index}]", parent)
            if child:
                children.append(child.data)
        record.children[name] = children

    def check_duplicates(self) -> None:
        for kind, records in self.records.items():
            if kind not in IDENTITY:
                continue  # trainings: checked by check_trainings
            seen: dict = {}
            for record in records:
                identity = record.data.get(IDENTITY[kind])
                if identity is None:
                    continue
                if identity in seen:
                    self.problem(record.file, f"{RECORD_LABELS[kind]} « {identity} » : clé en double "
                                              f"(déjà définie dans {seen[identity]})")
                else:
                    seen[identity] = record.file
        cited: dict[str, str] = {}  # a page is one source: else its answers would count it twice
        for record in self.records.get("source", []):
            url, key = record.data.get("url"), record.data.get("key")
            if url in cited:
                self.problem(record.file, f"source « {key} » : même adresse que la source « {cited[url]} »")
            elif url:
                cited[url] = key
        for record in self.records.get("campus", []):
            members = [m.get("establishment") for m in record.children.get("members", [])]
            for key in {m for m in members if members.count(m) > 1}:
                self.problem(record.file, f"établissement « {key} » : membre en double du campus")

    def check_references(self) -> None:
        known = {kind: {r.data.get(IDENTITY[kind]) for r in records}
                 for kind, records in self.records.items() if kind in IDENTITY}
        for where, ref_kind, key, _ in self.references:
            if key not in known.get(ref_kind, set()):
                self.problem(where, f"{RECORD_LABELS[ref_kind]} inconnu(e) « {key} »")


def load_dataset(data_dir: Path) -> Dataset:
    """Read and validate every data file; raise DataError listing all problems."""
    return _Validator(Path(data_dir)).run()
