"""Plain, immutable results of knowledge-base queries, with the French labels users read.

Query results never expose ORM objects: callers (actions, tests) get these dataclasses,
usable after the database session is closed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

STATUS_LABELS = {
    "excellence": "campus d'excellence",
    "labellise": "campus labellisé",
    "projet": "projet de campus",
}
TYPE_LABELS = {
    "lycee": ("lycée", "lycées"), "universite": ("université", "universités"),
    "ecole": ("école", "écoles"), "cfa": ("CFA", "CFA"), "greta": ("GRETA", "GRETA"),
    "laboratoire": ("laboratoire", "laboratoires"), "entreprise": ("entreprise", "entreprises"),
    "association": ("association", "associations"), "cluster": ("pôle ou cluster", "pôles et clusters"),
    "institution": ("institution", "institutions"), "collectivite": ("collectivité", "collectivités"),
}
ROLE_LABELS = {"tete-de-reseau": "tête de réseau", "membre": "membre", "partenaire": "partenaire"}
FIELD_LABELS = {
    "labelled_on": "la date du label", "academies": "l'académie", "levels": "les niveaux de formation",
    "commune": "le lieu", "department": "le département",
}


@dataclass(frozen=True)
class SourceRef:
    key: str
    url: str
    title: str
    publisher: str
    checked_on: dt.date


@dataclass(frozen=True)
class CampusSummary:
    key: str
    name: str
    short_name: str
    status: str
    academies: tuple[str, ...]
    commune: str | None
    department: str | None
    sectors: tuple[str, ...]
    labelled_on: str | None
    unsure: tuple[str, ...]
    checked_on: dt.date

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def place_label(self) -> str | None:
        """"Saint-Denis (93)", "Seine-Saint-Denis (93)" or None when the place is unknown."""
        if self.commune and self.department:
            return f"{self.commune} ({self.department})"
        return self.commune or self.department


MODE_LABELS = {"scolaire": "sous statut scolaire", "apprentissage": "en apprentissage",
               "continue": "en formation continue"}


@dataclass(frozen=True)
class TrainingInfo:
    """A training offered by a member establishment of a campus."""

    id: int
    title: str  # "BTS métiers de l'audiovisuel option son"
    kind: str
    kind_name: str
    specialty: str
    level: int | None
    sector: str
    establishment_key: str
    establishment: str
    commune: str | None
    department: str | None
    campus_key: str
    campus: str  # the campus's short name
    role: str  # the establishment's role in the campus
    modes: tuple[str, ...]
    jobs: tuple[str, ...]
    unsure: bool
    note: str | None
    checked_on: dt.date

    @property
    def apprenticeship(self) -> bool | None:
        """True or False where a source says how it is taught, None where it does not."""
        return "apprentissage" in self.modes if self.modes else None

    @property
    def modes_label(self) -> str | None:
        return " et ".join(MODE_LABELS[mode] for mode in self.modes) if self.modes else None

    @property
    def place_label(self) -> str | None:
        return self.commune or self.department


@dataclass(frozen=True)
class MemberInfo:
    establishment_key: str
    name: str
    type: str
    role: str
    commune: str | None
    department: str | None
    note: str | None

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[self.type][0]

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]


@dataclass(frozen=True)
class MilestoneInfo:
    date: str | None
    text: str
    unsure: bool


@dataclass(frozen=True)
class RelatedCampus:
    key: str
    short_name: str
    relation: str
    unsure: bool


@dataclass(frozen=True)
class CampusDetails:
    summary: CampusSummary
    description: str
    website: str | None
    note: str | None
    level_min: int | None
    level_max: int | None
    level_note: str | None
    streams: tuple[str, ...]
    members: tuple[MemberInfo, ...]
    trainings: tuple[TrainingInfo, ...]
    milestones: tuple[MilestoneInfo, ...]
    related: tuple[RelatedCampus, ...]
    sources: tuple[SourceRef, ...]

    @property
    def leads(self) -> tuple[MemberInfo, ...]:
        return tuple(member for member in self.members if member.role == "tete-de-reseau")

    def members_of_type(self, establishment_type: str | None) -> tuple[MemberInfo, ...]:
        return tuple(member for member in self.members
                     if establishment_type is None or member.type == establishment_type)


@dataclass(frozen=True)
class CampusMatch:
    campus: CampusSummary
    score: float
    reasons: tuple[str, ...]
    level_match: str | None  # "diplome", "niveau", "plage", "inconnu" or None without a level
    trainings: tuple[TrainingInfo, ...]  # its members' trainings that match the search


@dataclass(frozen=True)
class SearchResult:
    matches: tuple[CampusMatch, ...]
    understood: dict[str, str]  # constraint -> how it was understood, in French
    unknown: tuple[str, ...]  # constraints whose text matched nothing known
    empty_because: str | None  # the constraint to relax when there is no match
    relaxable: tuple[str, ...]  # each constraint whose removal alone gives matches
    trainings: tuple[TrainingInfo, ...] = ()  # matching trainings, best first, when the search names
    #                                           a specialty, a job, a diploma kind or a level

    @property
    def campus_keys(self) -> list[str]:
        return [match.campus.key for match in self.matches]


@dataclass(frozen=True)
class LevelInfo:
    number: int
    old_name: str
    summary: str
    bac_plus: int | None
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class EstablishmentCampuses:
    key: str
    name: str
    type: str
    commune: str | None
    campuses: tuple[tuple[CampusSummary, str], ...]  # (campus, role)

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[self.type][0]


@dataclass(frozen=True)
class FactInfo:
    key: str
    question: str
    answer: str
    sources: tuple[SourceRef, ...]
    checked_on: dt.date
    link: str | None = None


@dataclass(frozen=True)
class JobFieldInfo:
    """A job (« chauffeur routier ») whose field no campus of the data covers: its national
    sector, and the nearest sectors that have campuses, as (key, name)."""

    word: str
    national_sector: str
    nearest: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class NotCmqInfo:
    """Something often taken for a CMQ that is not one, and what it is."""

    key: str
    name: str
    commune: str | None
    what: str
    sources: tuple[SourceRef, ...]
