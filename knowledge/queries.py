"""The query API of the knowledge base, in plain Python, used by the actions and the tests.

`open_knowledge_base()` connects to the configured database. A `KnowledgeBase` answers (the
base is read-only while it runs: campus summaries, trainings and details are read once and
kept): search by sector, job or specialty, level, place, status and apprenticeship (ranked
campuses and the matching trainings, with the reason of an empty result), campus details,
members by type, the campuses and trainings of an establishment, the next levels after a
training, levels, CMQ facts.
All SQL goes through `select()` with bound parameters; user text never reaches SQL as text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

from sqlalchemy import func, inspect, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from knowledge import models as m
from knowledge.distances import Position, TownPositions
from knowledge.matching import Term, Vocabulary
from knowledge.records import (
    CampusDetails,
    CampusMatch,
    CampusSummary,
    EstablishmentCampuses,
    FactInfo,
    JobFieldInfo,
    LevelInfo,
    MemberInfo,
    MilestoneInfo,
    NotCmqInfo,
    RelatedCampus,
    SearchResult,
    SourceRef,
    TrainingInfo,
)
from knowledge.resolution import LevelQuery, PlaceQuery, Resolver, SectorQuery
from knowledge.settings import database_url, make_engine
from knowledge.textnorm import normalize
from knowledge.training_words import TrainingWords, significant_words

PROJECT_FACTOR = 0.9  # projects rank just below labelled campuses that match as well
STATUS_ORDER = {"excellence": 0, "labellise": 1, "projet": 2}
RELAX_ORDER = ("status", "place", "level", "sector")
SCORES_CACHE_SIZE = 4096  # resolved constraints whose scores are kept in memory
_KEY = re.compile(r"[a-z0-9-]{1,80}")


def _is_key(text: str) -> bool:
    """Whether text has the shape of a record key; anything else never reaches a key lookup."""
    return isinstance(text, str) and _KEY.fullmatch(text) is not None


class KnowledgeBaseUnavailable(RuntimeError):
    """The database is missing, empty or unreadable."""


class KnowledgeBase:
    """Read-only access to a built knowledge base."""

    def __init__(self, engine: Engine):
        self.engine = engine
        try:
            missing = {m.Campus.__tablename__, m.Term.__tablename__} - set(inspect(engine).get_table_names())
            if missing:
                raise KnowledgeBaseUnavailable(
                    "La base de connaissances n'est pas construite : lancez « python -m knowledge build ».")
            with self._session() as session:
                self._campuses = self._read_summaries(session)
                self._trainings = self._read_trainings(session)
                self._load_reference_tables(session)
            if not self._campuses:
                raise KnowledgeBaseUnavailable(
                    "La base de connaissances est vide : lancez « python -m knowledge build ».")
            self._details_cache: dict[str, CampusDetails] = {}
            self._scores_cache: dict[tuple, dict] = {}
        except SQLAlchemyError as error:
            raise KnowledgeBaseUnavailable(
                "Base de connaissances illisible (fichier abîmé ou d'un autre format) : reconstruisez-la avec "
                f"« python -m knowledge build ». Détail : {getattr(error, 'orig', error)}") from error

    def _session(self) -> Session:
        return Session(self.engine, future=True)

    def _load_reference_tables(self, session: Session) -> None:
        terms = [Term(t.entity_type, t.entity_key, t.text, t.match_key, t.kind)
                 for t in session.scalars(select(m.Term))]
        french_words = frozenset(session.scalars(select(m.FrenchWord.word)))
        self.vocabulary = Vocabulary(terms, french_words)
        sectors = session.scalars(select(m.Sector)).all()
        national = {n.key: n.name for n in session.scalars(select(m.NationalSector))}
        sectors_of_national = defaultdict(list)
        for sector in sectors:
            sectors_of_national[sector.national_sector_key].append(sector.key)
        self.sector_names = {s.key: s.name for s in sectors}
        self.covered_sectors = frozenset(session.scalars(select(m.CampusSector.sector_key)))
        self.levels = {level.number: level for level in session.scalars(select(m.Level))}
        self.kinds = {k.key: (k.name, k.level) for k in session.scalars(select(m.DiplomaKind))}
        self.department_names = {d.code: d.name for d in session.scalars(select(m.Department))}
        self.academy_names = {a.key: a.name for a in session.scalars(select(m.Academy))}
        commune_names = {t.entity_key: t.text for t in terms if t.entity_type == "commune" and t.kind == "name"}
        self.resolver = Resolver(
            self.vocabulary, sector_names=self.sector_names, sectors_of_national=dict(sectors_of_national),
            national_names=national,
            level_of_bac_plus={lvl.bac_plus: n for n, lvl in self.levels.items() if lvl.bac_plus is not None},
            kinds=self.kinds, department_names=self.department_names, academy_names=self.academy_names,
            commune_names=commune_names,
            towns={t.code: (t.name, t.department_code) for t in session.scalars(select(m.Town))},
            training_words=TrainingWords({t.id: t.specialty for t in self._trainings.values()},
                                         {t.id: list(t.jobs) for t in self._trainings.values()}, french_words))
        self.academy_of_department = {d.code: d.academy_key for d in session.scalars(select(m.Department))}
        placed = [(t.department_code, Position(t.name, t.latitude, t.longitude))
                  for t in session.scalars(select(m.Town)) if t.latitude is not None]
        names = Counter(normalize(name) for name in session.scalars(select(m.Town.name)))
        # a name two communes share (Blandy, 77 and 91) gives no position: which one is meant?
        self.positions = TownPositions([p for _, p in placed if names[normalize(p.name)] == 1])
        self._positions_by_department = defaultdict(list)
        for department, position in placed:
            self._positions_by_department[department].append(position)

    # ---- campuses -------------------------------------------------------------------------

    def _summaries(self, keys=None) -> dict[str, CampusSummary]:
        """Summaries of the campuses (all, or those of `keys`), read once: the base is read-only."""
        if keys is None:
            return dict(self._campuses)
        return {key: self._campuses[key] for key in keys if key in self._campuses}

    @staticmethod
    def _read_summaries(session: Session) -> dict[str, CampusSummary]:
        campuses = session.scalars(select(m.Campus)).all()
        wanted = [c.key for c in campuses]
        academies, sectors = defaultdict(list), defaultdict(list)
        for row in session.execute(select(m.CampusAcademy.campus_key, m.Academy.name)
                                   .join(m.Academy, m.Academy.key == m.CampusAcademy.academy_key)
                                   .where(m.CampusAcademy.campus_key.in_(wanted))
                                   .order_by(m.Academy.name)):
            academies[row.campus_key].append(row.name)
        for row in session.execute(select(m.CampusSector.campus_key, m.Sector.name)
                                   .join(m.Sector, m.Sector.key == m.CampusSector.sector_key)
                                   .where(m.CampusSector.campus_key.in_(wanted))
                                   .order_by(m.CampusSector.rank)):
            sectors[row.campus_key].append(row.name)
        return {c.key: CampusSummary(
            key=c.key, name=c.name, short_name=c.short_name, status=c.status,
            academies=tuple(academies[c.key]), commune=c.commune, department=c.department_code,
            sectors=tuple(sectors[c.key]), labelled_on=c.labelled_on,
            unsure=tuple(field for field in c.unsure_fields.split(",") if field),
            checked_on=c.checked_on) for c in campuses}

    def _read_trainings(self, session: Session) -> dict[int, TrainingInfo]:
        """Every training with its establishment and campus, by id, lowest level first."""
        rows = session.execute(
            select(m.Training, m.DiplomaKind.name, m.Establishment, m.Membership.role)
            .join(m.DiplomaKind, m.DiplomaKind.key == m.Training.kind_key)
            .join(m.Establishment, m.Establishment.key == m.Training.establishment_key)
            .join(m.Membership, (m.Membership.establishment_key == m.Training.establishment_key)
                  & (m.Membership.campus_key == m.Training.campus_key))
            .order_by(m.Training.level, m.Training.id)).all()
        return {t.id: TrainingInfo(
            id=t.id, title=t.title, kind=t.kind_key, kind_name=kind_name, specialty=t.specialty, level=t.level,
            sector=t.sector_key, establishment_key=e.key, establishment=e.name, commune=e.commune,
            department=e.department_code, campus_key=t.campus_key,
            campus=self._campuses[t.campus_key].short_name, role=role,
            modes=tuple(mode for mode in t.modes.split(",") if mode),
            jobs=tuple(job for job in t.jobs.split("|") if job), unsure=t.unsure, note=t.note,
            checked_on=t.checked_on) for t, kind_name, e, role in rows}

    def all_campuses(self) -> list[CampusSummary]:
        """Every campus and project, excellence first, then labelled, then projects."""
        return sorted(self._summaries().values(), key=lambda s: (STATUS_ORDER[s.status], s.short_name))

    def town_positions_by_department(self) -> dict[str, list[Position]]:
        """The positions of the communes that have one, by département code."""
        return {code: list(positions) for code, positions in self._positions_by_department.items()}

    def towns_named(self, text: str) -> list[str]:
        """The communes `text` names (any commune of Île-de-France), in its order."""
        mentions = self.vocabulary.find(text, {"commune", "town"})
        names = [self.resolver.towns[m.entity_key][0] if m.entity_type == "town" else self.resolver.commune_names.get(
            m.entity_key, m.term.text) for m in mentions]
        return list(dict.fromkeys(names))

    def find_campuses(self, text: str) -> list[CampusSummary]:
        """Campuses a user may mean by `text`: by name, else the best matches of its sector and
        place (« le campus sécurité » is the campus of that sector, not one that only offers a
        training in it); none when `text` names something that is not a CMQ."""
        mentions = self.vocabulary.lookup(text, {"campus", "not_cmq"})
        if any(mention.entity_type == "not_cmq" for mention in mentions):
            return []  # « la cité des métiers de Roissy » is not the Roissy campus: see not_cmqs()
        keys = list(dict.fromkeys(mention.entity_key for mention in mentions))
        if not keys:
            sector, place = self.resolver.sector(text), self.resolver.place(text)
            if sector or place:
                matches = self.search(sector=text if sector else None, place=text if place else None).matches
                keys = [match.campus.key for match in matches if match.score == matches[0].score]
        summaries = self._summaries(keys)
        return [summaries[key] for key in keys if key in summaries]

    def campus(self, key_or_text: str) -> CampusDetails | None:
        """Details of a campus, by key or by what a user calls it; None if nothing matches."""
        key = key_or_text if _is_key(key_or_text) and key_or_text in self._campuses else None
        if key is None:
            found = self.find_campuses(key_or_text)
            if not found:
                return None
            key = found[0].key
        if key not in self._details_cache:
            with self._session() as session:
                self._details_cache[key] = self._details(session, key)
        return self._details_cache[key]

    def _details(self, session: Session, key: str) -> CampusDetails:
        campus = session.get(m.Campus, key)
        summary = self._summaries([key])[key]
        streams = session.scalars(select(m.CampusStream.name).where(m.CampusStream.campus_key == key)
                                  .order_by(m.CampusStream.rank)).all()
        milestones = session.scalars(select(m.Milestone).where(m.Milestone.campus_key == key)
                                     .order_by(m.Milestone.id)).all()
        related = session.execute(select(m.CampusRelation, m.Campus.short_name)
                                  .join(m.Campus, m.Campus.key == m.CampusRelation.related_key)
                                  .where(m.CampusRelation.campus_key == key)).all()
        return CampusDetails(
            summary=summary, description=campus.description, website=campus.website, note=campus.note,
            level_min=campus.level_min, level_max=campus.level_max, level_note=campus.level_note,
            streams=tuple(streams), members=tuple(self._members(session, key)),
            trainings=tuple(t for t in self._trainings.values() if t.campus_key == key),
            milestones=tuple(MilestoneInfo(ms.date, ms.text, ms.unsure) for ms in milestones),
            related=tuple(RelatedCampus(r.CampusRelation.related_key, r.short_name,
                                        r.CampusRelation.relation, r.CampusRelation.unsure) for r in related),
            sources=self._sources(session, "campus", key))

    def _members(self, session: Session, campus_key: str) -> list[MemberInfo]:
        rows = session.execute(
            select(m.Membership, m.Establishment)
            .join(m.Establishment, m.Establishment.key == m.Membership.establishment_key)
            .where(m.Membership.campus_key == campus_key).order_by(m.Membership.id)).all()
        return [MemberInfo(e.key, e.name, e.type, ms.role, e.commune, e.department_code, ms.note)
                for ms, e in rows]

    def members(self, campus_key: str, establishment_type: str | None = None) -> list[MemberInfo]:
        """Members of a campus, optionally of one type (lycee, universite, entreprise...)."""
        if not _is_key(campus_key):
            return []
        with self._session() as session:
            members = self._members(session, campus_key)
        return [mb for mb in members if establishment_type is None or mb.type == establishment_type]

    def _sources(self, session: Session, record_type: str, record_id: str) -> tuple[SourceRef, ...]:
        rows = session.scalars(
            select(m.Source).join(m.RecordSource, m.RecordSource.source_key == m.Source.key)
            .where(m.RecordSource.record_type == record_type, m.RecordSource.record_id == str(record_id))
            .order_by(m.RecordSource.rank)).all()
        return tuple(SourceRef(s.key, s.url, s.title, s.publisher, s.checked_on) for s in rows)

    # ---- establishments ---------------------------------------------------------------------

    def campuses_of(self, text: str) -> list[EstablishmentCampuses]:
        """The campuses each establishment matching `text` belongs to, best match first."""
        keys = list(dict.fromkeys(mention.entity_key
                                  for mention in self.vocabulary.lookup(text, {"establishment"})))
        if not keys:
            return []
        with self._session() as session:
            establishments = {e.key: e for e in session.scalars(
                select(m.Establishment).where(m.Establishment.key.in_(keys)))}
            rows = session.execute(select(m.Membership.establishment_key, m.Membership.campus_key,
                                          m.Membership.role)
                                   .where(m.Membership.establishment_key.in_(keys))
                                   .order_by(m.Membership.id)).all()
            summaries = self._summaries({row.campus_key for row in rows})
        by_establishment = defaultdict(list)
        for row in rows:
            by_establishment[row.establishment_key].append((summaries[row.campus_key], row.role))
        return [EstablishmentCampuses(key, establishments[key].name, establishments[key].type,
                                      establishments[key].commune, tuple(by_establishment[key]))
                for key in keys]

    # ---- search -----------------------------------------------------------------------------

    def search(self, sector: str | None = None, level: str | int | None = None,
               place: str | None = None, status: str | None = None,
               apprenticeship: bool = False) -> SearchResult:
        """Campuses matching every given constraint, ranked, with the matching trainings of their
        members when the search names a job, a specialty, a level or apprenticeship; see
        SearchResult for empty results. `sector` may be a sector, a job or a specialty."""
        understood, unknown, parts = {}, [], {}
        resolved = {
            "sector": self.resolver.sector(sector) if sector else None,
            "level": self.resolver.level(level) if level not in (None, "") else None,
            "place": self.resolver.place(place) if place else None,
            "status": self.resolver.status(status) if status else None,
        }
        given = {"sector": sector, "level": level, "place": place, "status": status}
        for name, value in given.items():
            if value in (None, ""):
                continue
            if resolved[name] is None:
                unknown.append(name)
            else:
                understood[name] = getattr(resolved[name], "label", resolved[name])
        if apprenticeship:
            understood["apprenticeship"] = "en apprentissage"
        if unknown:
            return SearchResult((), understood, tuple(unknown), unknown[0], ())
        summaries = self._summaries()
        for name, scores_of in (("sector", self._sector_scores), ("level", self._level_scores),
                                ("place", self._place_scores)):
            if resolved[name]:
                parts[name] = self._scores(scores_of, resolved[name])
        if resolved["status"]:
            parts["status"] = {key: (1.0, (), None) for key, s in summaries.items()
                               if s.status in resolved["status"].split(",")}
        matches = _combine(summaries, parts)
        if matches or not parts:
            trainings = self._matching_trainings(resolved, apprenticeship, {mt.campus.key for mt in matches})
            return SearchResult(_with_trainings(matches, trainings), understood, (), None, (), trainings)
        relaxable = tuple(name for name in RELAX_ORDER if name in parts and len(parts) > 1
                          and _combine(summaries, {k: v for k, v in parts.items() if k != name}))
        alone_empty = [name for name in RELAX_ORDER if name in parts and not parts[name]]
        empty_because = (alone_empty or list(relaxable) or [next(iter(parts))])[0]
        return SearchResult((), understood, (), empty_because, relaxable)

    def _matching_trainings(self, resolved: dict, apprenticeship: bool, campuses: set[str]) -> tuple:
        """The trainings of the matched campuses that fit every constraint, when the search is
        about trainings: a level, apprenticeship, a job (« maçon », « monteur »), or words that
        name trainings but no sector; « design » or « cinéma » name a sector, whose campuses are
        answered first; else none."""
        sector, level, place = resolved["sector"], resolved["level"], resolved["place"]
        if not (level or apprenticeship or (sector and sector.trainings and (not sector.keys or sector.names_job))):
            return ()
        found = [t for t in self._trainings.values() if t.campus_key in campuses]
        if place:
            found = [t for t in found if self._located(t, place)]
        if apprenticeship:
            found = [t for t in found if t.apprenticeship]
        candidates = [found]
        if sector:  # the trainings its words name, else those of its sectors
            candidates = [[t for t in found if t.id in sector.trainings], [t for t in found if t.sector in sector.keys]]
        if level:  # the diploma asked for in any candidate list before another of the same level
            candidates = [[t for t in group if t.kind in level.kinds] for group in candidates] + [
                [t for t in group if t.level in level.levels] for group in candidates]
        found = next((group for group in candidates if group), [])
        if sector and sector.trainings:
            rank = {training_id: index for index, training_id in enumerate(sector.trainings)}
            found.sort(key=lambda t: rank.get(t.id, len(rank)))
        return tuple(found)

    # ---- trainings ----------------------------------------------------------------------------

    def training(self, training_id: int) -> TrainingInfo | None:
        return self._trainings.get(training_id) if isinstance(training_id, int) else None

    def training_sources(self, training_id: int) -> tuple[SourceRef, ...]:
        with self._session() as session:
            return self._sources(session, "training", training_id)

    def trainings_of_establishment(self, establishment_key: str) -> list[TrainingInfo]:
        """The trainings an establishment offers in its campuses, lowest level first."""
        return [t for t in self._trainings.values() if t.establishment_key == establishment_key]

    def next_trainings(self, training_ids: list[int]) -> list[TrainingInfo]:
        """What to study after these trainings in the same campuses and sectors: the trainings of a
        higher level in the same specialty (sharing a word with it) when there are some, else all
        of them; the nearest level first."""
        done = [self._trainings[i] for i in training_ids if isinstance(i, int) and i in self._trainings]
        if not done:
            return []
        top = max(t.level or 0 for t in done)
        campuses, sectors = {t.campus_key for t in done}, {t.sector for t in done}
        words = set().union(*(significant_words(t.specialty) for t in done))
        found = [t for t in self._trainings.values()
                 if t.campus_key in campuses and t.sector in sectors and (t.level or 0) > top]
        same_specialty = [t for t in found if words & set(significant_words(t.specialty))]
        return sorted(same_specialty or found, key=lambda t: (t.level, t.id))

    def trainings_by(self) -> dict[str, dict]:
        """How many trainings each campus has, and at each level: for `python -m knowledge stats`."""
        per_campus: dict[str, int] = defaultdict(int)
        per_level: dict[str, int] = defaultdict(int)
        for training in self._trainings.values():
            per_campus[self._campuses[training.campus_key].short_name] += 1
            per_level[f"niveau {training.level}" if training.level else "niveau non précisé"] += 1
        return {"campus": dict(sorted(per_campus.items(), key=lambda item: -item[1])),
                "niveau": dict(sorted(per_level.items()))}

    def _located(self, training: TrainingInfo, place: PlaceQuery) -> bool:
        commune = normalize(training.commune) if training.commune else None
        return (training.department in place.departments
                or self.academy_of_department.get(training.department) in place.academies
                or any(commune and (commune == c or commune.startswith(c + " ")) for c in place.communes))

    def _scores(self, scores_of, query) -> dict:
        """The campus scores for one resolved constraint, read from the base once per constraint
        (the base is read-only while the assistant runs); at most SCORES_CACHE_SIZE are kept."""
        key = (scores_of.__name__, query)
        if key not in self._scores_cache:
            if len(self._scores_cache) >= SCORES_CACHE_SIZE:
                self._scores_cache.clear()
            with self._session() as session:
                self._scores_cache[key] = scores_of(session, query)
        return self._scores_cache[key]

    def _sector_scores(self, session: Session, query: SectorQuery) -> dict:
        scores = {}
        rows = session.execute(select(m.CampusSector.campus_key, m.CampusSector.rank, m.Sector.name)
                               .join(m.Sector, m.Sector.key == m.CampusSector.sector_key)
                               .where(m.CampusSector.sector_key.in_(sorted(query.keys))))
        for row in rows:
            score = 1.0 if row.rank == 0 else 0.7
            if row.campus_key not in scores or scores[row.campus_key][0] < score:
                scores[row.campus_key] = (score, (f"secteur : {row.name}",), None)
        named = 1.0 if query.names_job or not query.keys else 0.9  # a sector's word: its campuses first
        for training_id in sorted(query.trainings):
            training = self._trainings[training_id]
            if training.campus_key not in scores or scores[training.campus_key][0] < named:
                scores[training.campus_key] = (named, (f"formation : {training.title}",), None)
        return scores

    def _level_scores(self, session: Session, query: LevelQuery) -> dict:
        found = defaultdict(list)
        for training in self._trainings.values():
            if training.level in query.levels or training.kind in query.kinds:
                found[training.campus_key].append(training)
        scores = {}
        for key, low, high in session.execute(select(m.Campus.key, m.Campus.level_min, m.Campus.level_max)):
            trainings = found.get(key, [])
            if any(t.kind in query.kinds for t in trainings):
                titles = [t.title for t in trainings if t.kind in query.kinds]
                scores[key] = (1.0, tuple(f"formation : {title}" for title in dict.fromkeys(titles)), "diplome")
            elif trainings:
                titles = [t.title for t in trainings]
                scores[key] = (0.85, tuple(f"formation : {title}" for title in dict.fromkeys(titles)), "niveau")
            elif low is not None and any(low <= level <= high for level in query.levels):
                scores[key] = (0.7, (f"niveaux {low} à {high} annoncés",), "plage")
            elif low is None:
                scores[key] = (0.3, ("niveaux de formation non précisés dans nos données",), "inconnu")
        return scores

    def _place_scores(self, session: Session, query: PlaceQuery) -> dict:
        def located(model):
            conditions = [model.department_code.in_(sorted(query.departments))]
            for commune in sorted(query.communes):
                conditions += [model.commune_key == commune, model.commune_key.like(commune + " %")]
            return or_(*conditions)

        scores = {}

        def offer(key, score, reason):
            if key not in scores or scores[key][0] < score:
                scores[key] = (score, (reason,), None)

        for campus in session.scalars(select(m.Campus).where(located(m.Campus))):
            offer(campus.key, 1.0, f"situé à {campus.commune}" if campus.commune else
                  f"situé en {self.department_names[campus.department_code]} ({campus.department_code})")
        academy_rows = session.execute(select(m.CampusAcademy.campus_key, m.CampusAcademy.academy_key)
                                       .where(m.CampusAcademy.academy_key.in_(sorted(query.academies))))
        for row in academy_rows:
            offer(row.campus_key, 0.8, f"académie de {self.academy_names[row.academy_key]}")
        member_rows = session.execute(
            select(m.Membership.campus_key, m.Establishment.name, m.Establishment.commune)
            .join(m.Establishment, m.Establishment.key == m.Membership.establishment_key)
            .where(located(m.Establishment)))
        for row in member_rows:
            offer(row.campus_key, 0.6, f"membre : {row.name}" + (f" ({row.commune})" if row.commune else ""))
        return scores

    # ---- jobs no campus covers -----------------------------------------------------------------

    def job_field(self, text: str) -> JobFieldInfo | None:
        """The first job of `text` whose field no sector of the data covers (« comptable »)."""
        mentions = self.vocabulary.lookup(text, {"field"})
        if not mentions:
            return None
        mention = mentions[0]
        with self._session() as session:
            national = session.get(m.NationalSector, mention.entity_key)
            field = session.get(m.JobField, mention.entity_key)
            nearest = tuple((key, self.sector_names[key]) for key in field.nearest.split(",")
                            if key in self.covered_sectors)
        return JobFieldInfo(text[mention.char_start:mention.char_end], national.name, nearest)

    # ---- look-alikes ---------------------------------------------------------------------------

    def not_cmqs(self, text: str | None = None, sector_keys=None) -> list[NotCmqInfo]:
        """What is often taken for a CMQ but is not one: named in `text`, or of these sectors."""
        if text is not None:
            keys = list(dict.fromkeys(m.entity_key for m in self.vocabulary.lookup(text, {"not_cmq"})))
            condition = m.NotCmq.key.in_(keys)
        else:
            condition = m.NotCmq.sector_key.in_(sorted(sector_keys or ()))
        with self._session() as session:
            rows = session.scalars(select(m.NotCmq).where(condition).order_by(m.NotCmq.key)).all()
            return [NotCmqInfo(row.key, row.name, row.commune, row.what, self._sources(session, "not_cmq", row.key))
                    for row in rows]

    # ---- levels and facts ---------------------------------------------------------------------

    def explain_level(self, value: str | int) -> list[LevelInfo]:
        """The national level(s) a diploma kind, "bac+N" or level number refers to."""
        query = self.resolver.level(value)
        if query is None:
            return []
        kinds_by_level = defaultdict(list)
        for name, level in self.kinds.values():
            if level is not None:
                kinds_by_level[level].append(name)
        return [LevelInfo(n, self.levels[n].old_name, self.levels[n].summary, self.levels[n].bac_plus,
                          tuple(kinds_by_level[n])) for n in sorted(query.levels)]

    def fact(self, key: str) -> FactInfo | None:
        if not _is_key(key):
            return None
        with self._session() as session:
            fact = session.get(m.Fact, key)
            if fact is None:
                return None
            return FactInfo(fact.key, fact.question, fact.answer, self._sources(session, "fact", key),
                            fact.checked_on, fact.link)

    def facts(self) -> list[FactInfo]:
        with self._session() as session:
            keys = session.scalars(select(m.Fact.key).order_by(m.Fact.rank)).all()
        return [self.fact(key) for key in keys]

    def orientation_facts(self) -> list[FactInfo]:
        """The answers to orientation questions (Parcoursup, internat, coût…), in file order."""
        keys = {term.entity_key for key in self.vocabulary.keys_by_type["orientation"]
                for term in self.vocabulary.by_key[key] if term.entity_type == "orientation"}
        return [fact for fact in self.facts() if fact.key in keys]

    def orientation_fact(self, text: str) -> FactInfo | None:
        """The orientation question `text` asks (« c'est payant ? » -> cost), None if it names none;
        when it names several, the first in the file's order (the most specific)."""
        named = {mention.entity_key for mention in self.vocabulary.find(text, {"orientation"})}
        return next((fact for fact in self.orientation_facts() if fact.key in named), None)

    def data_checked(self) -> tuple[dt.date, dt.date]:
        """The oldest and newest dates on which the data was checked against its sources."""
        with self._session() as session:
            oldest, newest = session.execute(
                select(func.min(m.Source.checked_on), func.max(m.Source.checked_on))).one()
        return oldest, newest

    def stats(self) -> dict[str, int | str]:
        counted = {"campus": m.Campus, "établissements": m.Establishment, "adhésions": m.Membership,
                   "formations": m.Training, "sources": m.Source, "secteurs": m.Sector, "faits": m.Fact,
                   "termes": m.Term}
        with self._session() as session:
            figures: dict[str, int | str] = {
                name: session.scalar(select(func.count()).select_from(model)) for name, model in counted.items()}
            figures["construite le"] = session.scalar(
                select(m.BuildInfo.value).where(m.BuildInfo.name == "built_at"))
        oldest, newest = self.data_checked()
        figures["vérifiée le"] = oldest.isoformat() if oldest == newest else f"{oldest} à {newest}"
        return figures

    def vocabulary_terms(self) -> dict[str, list[str]]:
        """Every term users may type, by entity type, for generating the NLU data."""
        with self._session() as session:
            rows = session.execute(select(m.Term.entity_type, m.Term.text).order_by(m.Term.id)).all()
        by_type: dict[str, list[str]] = defaultdict(list)
        for entity_type, text in rows:
            if text not in by_type[entity_type]:
                by_type[entity_type].append(text)
        return dict(by_type)


def _combine(summaries: dict[str, CampusSummary], parts: dict[str, dict]) -> list[CampusMatch]:
    """Campuses present in every part, scored by the mean of their part scores."""
    keys = set(summaries)
    for scores in parts.values():
        keys &= scores.keys()
    matches = []
    for key in keys:
        entries = [scores[key] for scores in parts.values()]
        score = sum(entry[0] for entry in entries) / len(entries) if entries else 1.0
        if summaries[key].status == "projet":
            score *= PROJECT_FACTOR
        level_entry = parts.get("level", {}).get(key)
        matches.append(CampusMatch(
            campus=summaries[key], score=round(score, 3),
            reasons=tuple(dict.fromkeys(reason for entry in entries for reason in entry[1])),
            level_match=level_entry[2] if level_entry else None, trainings=()))
    return sorted(matches, key=lambda mt: (-mt.score, STATUS_ORDER[mt.campus.status], mt.campus.short_name))


def _with_trainings(matches: list[CampusMatch], trainings: tuple[TrainingInfo, ...]) -> tuple[CampusMatch, ...]:
    """Each campus with its matching trainings; among equal scores, more trainings first."""
    by_campus = defaultdict(list)
    for training in trainings:
        by_campus[training.campus_key].append(training)
    kept = [replace(mt, trainings=tuple(by_campus[mt.campus.key])) for mt in matches]
    return tuple(sorted(kept, key=lambda mt: (-mt.score, -len(mt.trainings), STATUS_ORDER[mt.campus.status],
                                              mt.campus.short_name)))


def open_knowledge_base(url: str | None = None) -> KnowledgeBase:
    """Connect to the knowledge base at `url` (default: KNOWLEDGE_DB_URL or var/knowledge.db)."""
    url = url or database_url()
    if url.startswith("sqlite:///") and not url.endswith(":memory:"):
        if not Path(url.removeprefix("sqlite:///")).is_file():
            raise KnowledgeBaseUnavailable(
                f"Base de connaissances introuvable ({url}) : lancez « python -m knowledge build ».")
    return KnowledgeBase(make_engine(url))
