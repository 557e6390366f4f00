"""The shape of the knowledge-base data files: which fields each kind of record may have.

A field's `kind` says how its value is checked; `ref` names the kind of record a key must
point to; `records` describes nested records (a campus's members, milestones...).
Trainings live in one file per campus under trainings/ (`campus:` then `trainings:`).
The validator (validation.py) reads these tables; nothing here runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ESTABLISHMENT_TYPES = (
    "lycee", "universite", "ecole", "cfa", "greta", "laboratoire", "entreprise",
    "association", "cluster", "institution", "collectivite",
)
CAMPUS_STATUSES = ("excellence", "labellise", "projet")
MEMBER_ROLES = ("tete-de-reseau", "membre", "partenaire")
CHECK_KINDS = ("page", "notes", "dataset")
TRAINING_MODES = ("scolaire", "apprentissage", "continue")
LEVEL_RANGE = range(3, 9)


@dataclass(frozen=True)
class FieldSpec:
    # text, int, bool, date, partial_date, url, uai, level, levels, choice, choices, texts, key, keys,
    # fields, records, position ([latitude, longitude] inside Île-de-France)
    kind: str
    required: bool = False
    ref: str | None = None  # for key / keys: the kind of record referred to
    choices: tuple[str, ...] = ()
    records: str | None = None  # for records: the schema of the nested records
    nullable: bool = False


def _req(kind: str, **options) -> FieldSpec:
    return FieldSpec(kind, required=True, **options)


SOURCES = _req("keys", ref="source")

SCHEMAS: dict[str, dict[str, FieldSpec]] = {
    "source": {
        "key": _req("text"), "url": _req("url"), "title": _req("text"),
        "publisher": _req("text"), "checked": _req("date"),
        "checked_against": _req("choice", choices=CHECK_KINDS),
    },
    "academy": {"key": _req("text"), "name": _req("text"), "sources": SOURCES},
    "department": {
        "code": _req("text"), "name": _req("text"), "academy": _req("key", ref="academy"),
        "aliases": FieldSpec("texts"), "sources": SOURCES,
    },
    "national_sector": {"key": _req("text"), "name": _req("text"), "sources": SOURCES},
    "sector": {
        "key": _req("text"), "name": _req("text"),
        "national_sector": _req("key", ref="national_sector"),
        "national_sector_unsure": FieldSpec("bool"),
        "synonyms": FieldSpec("texts"), "everyday_words": FieldSpec("texts"), "sources": SOURCES,
    },
    "level": {
        "number": _req("level"), "old_name": _req("text"), "summary": _req("text"),
        "bac_plus": _req("int", nullable=True), "sources": SOURCES,
    },
    "diploma_kind": {
        "key": _req("text"), "name": _req("text"), "full_name": _req("text"),
        "level": _req("level", nullable=True), "note": FieldSpec("text"),
        "aliases": FieldSpec("texts"), "sources": SOURCES,
    },
    "establishment": {
        "key": _req("text"), "name": _req("text"),
        "type": _req("choice", choices=ESTABLISHMENT_TYPES),
        "commune": FieldSpec("text"), "department": FieldSpec("key", ref="department"),
        "uai": FieldSpec("uai"), "address": FieldSpec("text"),
        "aliases": FieldSpec("texts"), "sources": SOURCES,
    },
    "campus": {
        "key": _req("text"), "name": _req("text"), "short_name": _req("text"),
        "aliases": FieldSpec("texts"), "status": _req("choice", choices=CAMPUS_STATUSES),
        "academies": FieldSpec("keys", ref="academy"),
        "sectors": _req("keys", ref="sector"),
        "commune": FieldSpec("text"), "department": FieldSpec("key", ref="department"),
        "labelled_on": FieldSpec("partial_date"), "website": FieldSpec("url"),
        "description": _req("text"), "streams": FieldSpec("texts"),
        "levels": FieldSpec("levels"), "level_note": FieldSpec("text"),
        "unsure": FieldSpec("fields"), "note": FieldSpec("text"), "sources": SOURCES,
        "members": FieldSpec("records", records="member"),
        "milestones": FieldSpec("records", records="milestone"),
        "related": FieldSpec("records", records="related"),
    },
    "member": {
        "establishment": _req("key", ref="establishment"),
        "role": _req("choice", choices=MEMBER_ROLES), "note": FieldSpec("text"), "sources": SOURCES,
    },
    "training": {
        "kind": _req("key", ref="diploma_kind"), "specialty": _req("text"),
        "level": FieldSpec("level"), "establishment": _req("key", ref="establishment"),
        "sector": _req("key", ref="sector"), "modes": FieldSpec("choices", choices=TRAINING_MODES),
        "jobs": FieldSpec("texts"), "unsure": FieldSpec("bool"), "note": FieldSpec("text"),
        "sources": SOURCES,
    },
    "milestone": {
        "date": _req("partial_date", nullable=True), "text": _req("text"),
        "unsure": FieldSpec("bool"), "sources": SOURCES,
    },
    "related": {
        "campus": _req("key", ref="campus"), "relation": _req("text"),
        "unsure": FieldSpec("bool"), "sources": SOURCES,
    },
    "fact": {
        "key": _req("text"), "question": _req("text"), "answer": _req("text"), "link": FieldSpec("url"),
        "words": FieldSpec("texts"), "sources": SOURCES,
    },
    "job_group": {
        "sector": FieldSpec("key", ref="sector"), "national_sector": FieldSpec("key", ref="national_sector"),
        "nearest": FieldSpec("keys", ref="sector"), "words": _req("texts"),
    },
    "town": {
        "code": _req("text"), "name": _req("text"), "department": _req("key", ref="department"),
        "everyday_word": FieldSpec("bool"), "position": FieldSpec("position"), "sources": SOURCES,
    },
    "not_cmq": {
        "key": _req("text"), "name": _req("text"), "aliases": FieldSpec("texts"),
        "commune": FieldSpec("text"), "department": FieldSpec("key", ref="department"),
        "sector": FieldSpec("key", ref="sector"), "what": _req("text"), "sources": SOURCES,
    },
}

# Which record kinds each data file holds, under which top-level section.
FILE_SECTIONS: dict[str, dict[str, str]] = {
    "sources.yml": {"sources": "source"},
    "geography.yml": {"academies": "academy", "departments": "department"},
    "sectors.yml": {"national_sectors": "national_sector", "sectors": "sector"},
    "levels.yml": {"levels": "level", "diploma_kinds": "diploma_kind"},
    "establishments.yml": {"establishments": "establishment"},
    "facts.yml": {"facts": "fact"},
    "not-cmqs.yml": {"not_cmqs": "not_cmq"},
    "jobs.yml": {"jobs": "job_group"},
    "towns.yml": {"towns": "town"},
}
CAMPUS_DIR = "campuses"
TRAINING_DIR = "trainings"

# The field that identifies each top-level kind of record.
IDENTITY = {kind: ("number" if kind == "level" else "code" if kind in ("department", "town") else "key")
            for kind in ("source", "academy", "department", "national_sector", "sector",
                         "level", "diploma_kind", "establishment", "campus", "fact", "not_cmq", "town")}

RECORD_LABELS = {
    "source": "source", "academy": "académie", "department": "département",
    "national_sector": "secteur national", "sector": "secteur", "level": "niveau",
    "diploma_kind": "type de diplôme", "establishment": "établissement", "campus": "campus",
    "fact": "fait", "member": "membre", "training": "formation", "milestone": "date clé",
    "related": "campus lié", "not_cmq": "pas un CMQ", "job_group": "groupe de métiers",
    "town": "commune",
}


@dataclass
class Record:
    """One validated record and where it was read."""

    kind: str
    data: dict
    file: str
    children: dict[str, list[dict]] = field(default_factory=dict)
