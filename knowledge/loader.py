"""Builds the database from a validated Dataset, all or nothing.

On a SQLite file the new database is written beside the old one and moved into place; on a
server (PostgreSQL) tables are dropped, created and filled in one transaction. Either way a
failure leaves the previous database as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections import defaultdict
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from knowledge import models as m
from knowledge.french_words import french_lemmas
from knowledge.schema import Record
from knowledge.settings import make_engine
from knowledge.textnorm import match_key, normalize
from knowledge.validation import Dataset

_PARENTHESIS = re.compile(r"\s*\(.*\)\s*$")
_SHORTENED_PREFIXES = ("Lycée ", "Cité scolaire ")
_NOT_SHORT_NAMES = frozenset({"saint", "sainte", "paris", "champs"})


def data_fingerprint(data_dir: Path) -> str:
    """A hash of every data file, stored in the database to tell which data it was built from."""
    digest = hashlib.sha256()
    for path in sorted(Path(data_dir).rglob("*.yml")):
        digest.update(path.relative_to(data_dir).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class _RowBuilder:
    """Turns validated records into ORM rows, with their sources, check dates and terms."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.checked = {r.data["key"]: r.data["checked"] for r in dataset.of("source")}
        self.kinds = {r.data["key"]: r.data for r in dataset.of("diploma_kind")}
        self.rows: list = []
        self.next_id = 0

    def checked_on(self, data: dict) -> dt.date:
        return min(self.checked[key] for key in data["sources"])

    def add(self, row, record_type: str, record_id, data: dict) -> None:
        self.rows.append(row)
        for rank, source_key in enumerate(dict.fromkeys(data["sources"])):
            self.rows.append(m.RecordSource(record_type=record_type, record_id=str(record_id),
                                            source_key=source_key, rank=rank))

    def term(self, entity_type: str, entity_key: str, text: str, kind: str) -> None:
        key = match_key(text)
        if key:
            self.rows.append(m.Term(entity_type=entity_type, entity_key=entity_key, text=text,
                                    match_key=key, kind=kind))

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def build(self) -> list:
        for kind in ("source", "academy", "department", "national_sector", "sector", "level",
                     "diploma_kind", "establishment", "campus", "training", "fact", "not_cmq", "job_group"):
            for record in self.dataset.of(kind):
                getattr(self, f"add_{kind}")(record.data, record)
        communes = self.add_communes()
        self.add_towns(communes)
        self.rows += [m.FrenchWord(word=word) for word in sorted(french_lemmas()) if len(word) <= 80]
        return self.rows

    def add_source(self, d: dict, record: Record) -> None:
        self.rows.append(m.Source(key=d["key"], url=d["url"], title=d["title"],
                                  publisher=d["publisher"], checked_on=d["checked"],
                                  checked_against=d["checked_against"]))

    def add_academy(self, d: dict, record: Record) -> None:
        self.add(m.Academy(key=d["key"], name=d["name"], checked_on=self.checked_on(d)),
                 "academy", d["key"], d)
        self.term("academy", d["key"], f"académie de {d['name']}", "name")
        self.term("academy", d["key"], d["name"], "short")

    def add_department(self, d: dict, record: Record) -> None:
        self.add(m.Department(code=d["code"], name=d["name"], academy_key=d["academy"],
                              checked_on=self.checked_on(d)), "department", d["code"], d)
        self.term("department", d["code"], d["name"], "name")
        self.term("department", d["code"], d["code"], "code")
        for alias in d.get("aliases", []):
            self.term("department", d["code"], alias, "alias")

    def add_national_sector(self, d: dict, record: Record) -> None:
        self.add(m.NationalSector(key=d["key"], name=d["name"], checked_on=self.checked_on(d)),
                 "national_sector", d["key"], d)
        self.term("national_sector", d["key"], d["name"], "name")

    def add_sector(self, d: dict, record: Record) -> None:
        self.add(m.Sector(key=d["key"], name=d["name"], national_sector_key=d["national_sector"],
                          national_sector_unsure=d.get("national_sector_unsure", False),
                          checked_on=self.checked_on(d)), "sector", d["key"], d)
        self.term("sector", d["key"], d["name"], "name")
        for word in d.get("synonyms", []):
            self.term("sector", d["key"], word, "synonym")
        for word in d.get("everyday_words", []):
            self.term("sector", d["key"], word, "everyday")

    def add_level(self, d: dict, record: Record) -> None:
        self.add(m.Level(number=d["number"], old_name=d["old_name"], summary=d["summary"],
                         bac_plus=d["bac_plus"], checked_on=self.checked_on(d)),
                 "level", d["number"], d)

    def add_diploma_kind(self, d: dict, record: Record) -> None:
        self.add(m.DiplomaKind(key=d["key"], name=d["name"], full_name=d["full_name"],
                               level=d["level"], note=d.get("note"), checked_on=self.checked_on(d)),
                 "diploma_kind", d["key"], d)
        for text, kind in [(d["name"], "name"), (d["full_name"], "full_name")] + [
                (alias, "alias") for alias in d.get("aliases", [])]:
            self.term("diploma_kind", d["key"], text, kind)

    def add_establishment(self, d: dict, record: Record) -> None:
        commune = d.get("commune")
        self.add(m.Establishment(key=d["key"], name=d["name"], type=d["type"], commune=commune,
                                 commune_key=normalize(commune) if commune else None,
                                 department_code=d.get("department"), uai=d.get("uai"),
                                 address=d.get("address"), checked_on=self.checked_on(d)),
                 "establishment", d["key"], d)
        self.term("establishment", d["key"], d["name"], "name")
        plain = _PARENTHESIS.sub("", d["name"])
        if plain != d["name"]:
            self.term("establishment", d["key"], plain, "short")
        for prefix in _SHORTENED_PREFIXES:
            if plain.startswith(prefix):
                self.term("establishment", d["key"], plain[len(prefix):], "short")
        for alias in d.get("aliases", []):
            self.term("establishment", d["key"], alias, "alias")

    def add_campus(self, d: dict, record: Record) -> None:
        key, levels, commune = d["key"], d.get("levels") or {}, d.get("commune")
        self.add(m.Campus(
            key=key, name=d["name"], short_name=d["short_name"], status=d["status"],
            commune=commune, commune_key=normalize(commune) if commune else None,
            department_code=d.get("department"), labelled_on=d.get("labelled_on"),
            description=d["description"], website=d.get("website"),
            level_min=levels.get("min"), level_max=levels.get("max"), level_note=d.get("level_note"),
            note=d.get("note"), unsure_fields=",".join(d.get("unsure", [])),
            checked_on=self.checked_on(d)), "campus", key, d)
        self.term("campus", key, d["name"], "name")
        self.term("campus", key, d["short_name"], "short")
        for alias in d.get("aliases", []):
            self.term("campus", key, alias, "alias")
        for academy in d.get("academies", []):
            self.rows.append(m.CampusAcademy(campus_key=key, academy_key=academy))
        for rank, sector in enumerate(d["sectors"]):
            self.rows.append(m.CampusSector(campus_key=key, sector_key=sector, rank=rank))
        for rank, stream in enumerate(d.get("streams", [])):
            self.rows.append(m.CampusStream(campus_key=key, rank=rank, name=stream))
        children = record.children
        for member in children.get("members", []):
            row_id = self.new_id()
            self.add(m.Membership(id=row_id, campus_key=key, establishment_key=member["establishment"],
                                  role=member["role"], note=member.get("note"),
                                  checked_on=self.checked_on(member)), "membership", row_id, member)
        for milestone in children.get("milestones", []):
            row_id = self.new_id()
            self.add(m.Milestone(id=row_id, campus_key=key, date=milestone["date"], text=milestone["text"],
                                 unsure=milestone.get("unsure", False),
                                 checked_on=self.checked_on(milestone)), "milestone", row_id, milestone)
        for related in children.get("related", []):
            self.add(m.CampusRelation(campus_key=key, related_key=related["campus"],
                                      relation=related["relation"], unsure=related.get("unsure", False),
                                      checked_on=self.checked_on(related)),
                     "campus_relation", f"{key}/{related['campus']}", related)

    def add_training(self, d: dict, record: Record) -> None:
        kind = self.kinds[d["kind"]]
        row_id = self.new_id()
        jobs = d.get("jobs", [])
        self.add(m.Training(id=row_id, campus_key=record.children["campus"][0]["key"], kind_key=d["kind"],
                            specialty=d["specialty"], title=training_title(kind, d["specialty"]),
                            level=d.get("level", kind["level"]), sector_key=d["sector"],
                            establishment_key=d["establishment"], modes=",".join(d.get("modes", [])),
                            jobs="|".join(jobs), unsure=d.get("unsure", False), note=d.get("note"),
                            checked_on=self.checked_on(d)), "training", row_id, d)
        for job in jobs:
            self.term("job", str(row_id), job, "job")

    def add_fact(self, d: dict, record: Record) -> None:
        self.add(m.Fact(key=d["key"], question=d["question"], answer=d["answer"], link=d.get("link"),
                        rank=self.new_id(), checked_on=self.checked_on(d)), "fact", d["key"], d)
        for word in d.get("words", []):
            self.term("orientation", d["key"], word, "word")

    def add_job_group(self, d: dict, record: Record) -> None:
        """Job words of a sector are that sector's words; those of a field no sector covers
        are "field" terms, answered honestly with the nearest sectors."""
        if "sector" in d:
            for word in d["words"]:
                self.term("sector", d["sector"], word, "job")
            return
        self.rows.append(m.JobField(national_sector_key=d["national_sector"], nearest=",".join(d.get("nearest", []))))
        for word in d["words"]:
            self.term("field", d["national_sector"], word, "job")

    def add_not_cmq(self, d: dict, record: Record) -> None:
        self.add(m.NotCmq(key=d["key"], name=d["name"], commune=d.get("commune"),
                          department_code=d.get("department"), sector_key=d.get("sector"), what=d["what"],
                          checked_on=self.checked_on(d)), "not_cmq", d["key"], d)
        for text in [d["name"], *d.get("aliases", [])]:
            self.term("not_cmq", d["key"], text, "name")

    def add_communes(self) -> None:
        """Every commune named by a campus or an establishment becomes a place term."""
        communes = {}
        for kind in ("campus", "establishment"):
            for record in self.dataset.of(kind):
                commune = record.data.get("commune")
                if commune:
                    communes.setdefault(normalize(commune), commune)
        for key, commune in communes.items():
            self.term("commune", key, commune, "name")
        # « Vitry », « Tremblay », « Évry »: the first word of a compound name, when it names
        # only one commune and is not a word such as « Saint » or « Paris » (« Paris 13e »).
        shorts: dict[str, list[str]] = defaultdict(list)
        for key in communes:
            first = key.split()[0]
            if " " in key and len(first) >= 4 and first not in _NOT_SHORT_NAMES:
                shorts[first].append(key)
        for short, keys in shorts.items():
            if len(keys) == 1 and short not in communes:
                self.term("commune", keys[0], communes[keys[0]].split("-")[0].split()[0], "short")
        return set(communes)

    def add_towns(self, communes: set[str]) -> None:
        """Every commune of Île-de-France; those whose name is no other term (a campus's or a
        member's commune, « Paris » the département) become place terms of their own (matched
        exactly, see knowledge.matching.town_in_context)."""
        taken = {row.match_key for row in self.rows if isinstance(row, m.Term)}
        for record in self.dataset.of("town"):
            d = record.data
            latitude, longitude = d.get("position") or (None, None)
            town = m.Town(code=d["code"], name=d["name"], department_code=d["department"],
                          latitude=latitude, longitude=longitude, checked_on=self.checked_on(d))
            self.add(town, "town", d["code"], d)
            if normalize(d["name"]) not in communes and match_key(d["name"]) not in taken:
                kind = "everyday" if d.get("everyday_word") else "name" if " " in normalize(d["name"]) else "single"
                self.term("town", d["code"], d["name"], kind)


UNPREFIXED_KINDS = frozenset({"titre-ecole"})  # a school's own title says what it is


def training_title(kind: dict, specialty: str) -> str:
    """"BTS" + "Métiers de l'audiovisuel" -> "BTS métiers de l'audiovisuel" (acronyms kept);
    a specialty that already names its kind ("DN MADE mention objet") is kept as it is."""
    if (kind["key"] in UNPREFIXED_KINDS or re.search(rf"\b{re.escape(kind['name'])}\b", specialty)
            or f" {normalize(kind['full_name'])} " in f" {normalize(specialty)} "):
        return specialty
    kind_name = kind["name"]
    first = specialty.split()[0]
    if len(first) > 1 and not first[1:].islower():
        return f"{kind_name} {specialty}"
    return f"{kind_name} {specialty[0].lower()}{specialty[1:]}"


def build_database(dataset: Dataset, url: str, fingerprint: str) -> None:
    """Replace the database at `url` with one built from `dataset`, atomically."""
    rows = _RowBuilder(dataset).build()
    info = [m.BuildInfo(name="built_at", value=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")),
            m.BuildInfo(name="data_fingerprint", value=fingerprint)]
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() == "sqlite" and database and database != ":memory:":
        target = Path(database)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        temporary.unlink(missing_ok=True)
        engine = make_engine(str(parsed.set(database=str(temporary))))
        try:
            _write(engine, rows + info)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        finally:
            engine.dispose()
        os.replace(temporary, target)
        return
    engine = make_engine(url)
    try:
        _write(engine, rows + info, replace=True)
    finally:
        engine.dispose()


def _write(engine, rows: list, replace: bool = False) -> None:
    with engine.begin() as connection:
        if replace:
            m.Base.metadata.drop_all(connection)
        m.Base.metadata.create_all(connection)
        by_table = defaultdict(list)
        for row in rows:
            by_table[row.__table__].append(row)
        with Session(bind=connection, future=True) as session:
            for table in m.Base.metadata.sorted_tables:  # parents before children
                session.add_all(by_table.get(table, []))
                session.flush()
