"""Turns what a user typed into search constraints on the knowledge base.

"avions" -> the aeronautics sector; "ébéniste", "monteur vidéo" -> the trainings whose specialty
or job words they name (and the sector, if they name one too); "bac+2", "BTS", "niveau 5", 5
-> level 5 (and the BTS kind); "après le bac pro" -> the levels above it; "le 93", "Seine St
Denis", "académie de Créteil", "Vitry" -> places; "d'excellence" -> a status; "en
alternance" -> apprenticeship. Each resolver returns None when it recognises nothing, so that
the search can say which constraint it did not understand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.matching import CAPITALS_ONLY, Vocabulary
from knowledge.textnorm import normalize
from knowledge.training_words import TrainingWords

TRAINING_SCORE_CUT = 0.6  # trainings scoring less than this share of the best are not meant
_AFTER = re.compile(r"\b(?:apres|poursuivre|poursuite|au dessus|au dela|suite)\b")
_UP_TO = re.compile(r"\b(?:jusqu a|jusqu au|jusqu aux|jusque|jusqua|jusquau|au maximum|maximum|max)\b")
_WITHOUT_BAC = re.compile(r"\bsans (?:le |mon |avoir (?:le )?)?bac\b(?! (?:pro|general|techno))")
WITHOUT_BAC_LEVELS = frozenset({3, 4})  # entered after the 3e: CAP, bac pro, BMA
_APPRENTICESHIP = re.compile(r"\b(?:apprentissage|apprenti|apprentie|apprentis|alternance|alternant|"
                             r"alternante|alterance|altern|cfa|contrat pro)\b")
# The words before a diploma that make it where the user stands, not what they look for:
# « je suis en BTS », « j'ai un CAP », « après mon bac pro » (with a determiner between).
_STARTING_POINT_WORDS = frozenset({"apres", "suis", "ai", "fais", "prepare", "titulaire", "avec", "obtenu", "eu"})
_DETERMINERS = frozenset({"un", "une", "le", "la", "l", "mon", "ma", "d", "du", "de", "en", "mes", "son"})
_BAC_PLUS = re.compile(r"\bbac\s*(?:\+|plus)\s*(\d)\b")
_LEVEL_NUMBER = re.compile(r"\b(?:niveau|niv|level)\s*(\d|i{1,3}|iv|v)\b")
_ROMAN = {"v": (3,), "iv": (4,), "iii": (5,), "ii": (6,), "i": (7, 8)}
_STATUS_WORDS = {
    "excellence": "excellence", "labellise": "labellise", "labelise": "labellise",
    "label": "labellise", "labellisee": "labellise", "labellises": "labellise",
    "projet": "projet", "projets": "projet",
}


@dataclass(frozen=True)
class SectorQuery:
    """A sector, or a job / specialty: the sectors it names and the trainings its words name."""

    keys: frozenset[str]
    label: str
    trainings: tuple[int, ...] = ()  # best match first
    names_job: bool = False  # the text names a job of a training (« ébéniste », « monteur »)


@dataclass(frozen=True)
class LevelQuery:
    levels: frozenset[int]
    kinds: frozenset[str]
    label: str


@dataclass(frozen=True)
class PlaceQuery:
    departments: frozenset[str]
    academies: frozenset[str]
    communes: frozenset[str]
    label: str
    towns: tuple[str, ...] = ()  # communes no campus names, searched through their département


class Resolver:
    """Resolves user text against the vocabulary and the reference tables it is given."""

    def __init__(self, vocabulary: Vocabulary, *, sector_names: dict[str, str],
                 sectors_of_national: dict[str, list[str]], national_names: dict[str, str],
                 level_of_bac_plus: dict[int, int], kinds: dict[str, tuple[str, int | None]],
                 department_names: dict[str, str], academy_names: dict[str, str],
                 commune_names: dict[str, str], towns: dict[str, tuple[str, str]],
                 training_words: TrainingWords):
        self.vocabulary = vocabulary
        self.training_words = training_words
        self.sector_names = sector_names
        self.sectors_of_national = sectors_of_national
        self.national_names = national_names
        self.level_of_bac_plus = level_of_bac_plus
        self.kinds = kinds
        self.department_names = department_names
        self.academy_names = academy_names
        self.commune_names = commune_names
        self.towns = towns  # INSEE code -> (name, département code)

    def sector(self, text: str) -> SectorQuery | None:
        mentions = self.vocabulary.find(text, {"sector", "national_sector", "field"})
        keys: dict[str, None] = {}
        labels: list[str] = []
        for mention in mentions:
            if mention.entity_type == "field":
                continue  # a job no sector covers: kept out of the sectors (see job_field)
            if mention.entity_type == "sector":
                keys.setdefault(mention.entity_key)
                labels.append(self.sector_names[mention.entity_key])
            else:
                keys.update(dict.fromkeys(self.sectors_of_national.get(mention.entity_key, [])))
                labels.append(self.national_names[mention.entity_key])
        # Places and diplomas are not specialty words (« Paris » is not « Paris-Dauphine », the
        # « made » of « DN MADE » names no specialty); a sector's word
        # finds trainings by the same word only, not by a close one (« intelligence
        # artificielle » is not the « intelligent systems » of a master).
        words = self._without_places_and_diplomas(text)
        if not keys:  # « mécanicien auto » names a field no campus covers, not the « mécanicien avion »
            words = self._without_fields_no_training_names(words)
        word_matches = self.training_words.matches(words, loose=not keys)
        trainings = self.trainings_named(words, loose=not keys)
        if not keys and not trainings:
            return None
        if not labels:
            labels = [f"« {' '.join(match.word for match in word_matches)} »"]
        names_job = bool(trainings) and bool(self.vocabulary.find(text, {"job"}))
        return SectorQuery(frozenset(keys), ", ".join(dict.fromkeys(labels)), trainings, names_job)

    def _without_places_and_diplomas(self, text: str) -> str:
        return self._without(text, {"department", "academy", "commune", "diploma_kind"})

    def _without_fields_no_training_names(self, text: str) -> str:
        """`text` without the jobs of fields no campus covers, unless a training names that job
        exactly (« comptable » is a job of the BUT GEA)."""
        for mention in reversed(self.vocabulary.find(text, {"field"})):
            span = text[mention.char_start:mention.char_end]
            if not any(m.entity_type == "job" and m.score == 100 for m in self.vocabulary.find(span, {"job"})):
                text = text[:mention.char_start] + " " + text[mention.char_end:]
        return text

    def _without(self, text: str, types: set[str]) -> str:
        """`text` with the mentions of terms of these types blanked out."""
        for mention in reversed(self.vocabulary.find(text, types)):
            text = text[:mention.char_start] + " " + text[mention.char_end:]
        return text

    def trainings_named(self, text: str, loose: bool = True) -> tuple[int, ...]:
        """The trainings the job or specialty words of `text` name, best first, weak matches left out."""
        scores = self.training_words.ranked(text, loose)
        if not scores:
            return ()
        best = max(scores.values())
        kept = [key for key, score in scores.items() if score >= TRAINING_SCORE_CUT * best]
        return tuple(sorted(kept, key=lambda key: (-scores[key], key)))

    @staticmethod
    def apprenticeship(text: str) -> bool:
        """Whether `text` asks for apprenticeship (« en alternance », « en apprentissage »)."""
        return _APPRENTICESHIP.search(normalize(text)) is not None

    def level(self, value: str | int) -> LevelQuery | None:
        if isinstance(value, int) or str(value).strip().isdigit():
            number = int(value)
            return LevelQuery(frozenset({number}), frozenset(), f"niveau {number}") if 3 <= number <= 8 else None
        text = normalize(str(value))
        if _WITHOUT_BAC.search(text):
            return LevelQuery(WITHOUT_BAC_LEVELS, frozenset(), "avant le bac")
        found = self._level_named(str(value), text)
        if found and found.levels and _UP_TO.search(text):  # « jusqu'à bac+2 », « un BTS maximum »
            return LevelQuery(frozenset(range(3, max(found.levels) + 1)), frozenset(), f"jusqu'au {found.label}")
        return found

    def _level_named(self, value: str, text: str) -> LevelQuery | None:
        """The level a text names, by bac+N, a level number or a diploma kind, or the levels
        after it (« après le bac pro », « après un bac+2 »)."""
        bac_plus = _BAC_PLUS.search(text)
        if bac_plus:
            level = self.level_of_bac_plus.get(int(bac_plus.group(1)))
            return (_levels_or_after({level}, frozenset(), f"bac+{bac_plus.group(1)}", text, bac_plus.start())
                    if level else None)
        number = _LEVEL_NUMBER.search(text)
        if number:
            token = number.group(1)
            levels = (int(token),) if token.isdigit() else _ROMAN[token]
            levels = tuple(level for level in levels if 3 <= level <= 8)
            return (_levels_or_after(set(levels), frozenset(), f"niveau {token.upper()}", text, number.start())
                    if levels else None)
        # « but » or « du » alone (an extracted level) is the diploma, not the everyday word
        alone = value.upper() if text in CAPITALS_ONLY else value
        mentions = self.vocabulary.find(alone, {"diploma_kind"})
        if not mentions:
            return None
        wanted = [m for m in mentions if not _is_starting_point(text.split(), m.start)]
        if wanted and len(wanted) < len(mentions):  # « je suis en BTS et je cherche un master »: the master
            mentions = wanted
            text = ""
        kinds = list(dict.fromkeys(m.entity_key for m in mentions))
        levels = {self.kinds[kind][1] for kind in kinds} - {None}
        named_at = re.search(rf"\b{re.escape(mentions[0].term.key)}\b", text)
        return _levels_or_after(levels, frozenset(kinds), ", ".join(self.kinds[k][0] for k in kinds), text,
                                named_at.start() if named_at else None)

    def place(self, text: str) -> PlaceQuery | None:
        mentions = self.vocabulary.find(text, {"department", "academy", "commune", "town"})
        wants_academy = "academie" in normalize(text)
        departments, academies, communes, labels, towns = set(), set(), set(), [], []
        for mention in mentions:
            key = mention.entity_key
            if mention.entity_type == "department":
                departments.add(key)
                labels.append(f"{self.department_names[key]} ({key})")
            elif mention.entity_type == "academy" and (wants_academy or not _also_a_commune(mentions, mention)):
                academies.add(key)
                labels.append(f"académie de {self.academy_names[key]}")
            elif mention.entity_type == "commune" and not (wants_academy and _also_an_academy(mentions, mention)):
                communes.add(key)
                labels.append(self.commune_names[key])
            elif mention.entity_type == "town":
                name, department = self.towns[key]
                departments.add(department)
                towns.append(name)
                labels.append(f"{name} ({self.department_names[department]})")
        if not (departments or academies or communes):
            return None
        return PlaceQuery(frozenset(departments), frozenset(academies), frozenset(communes),
                          ", ".join(dict.fromkeys(labels)), tuple(dict.fromkeys(towns)))

    @staticmethod
    def status(text: str) -> str | None:
        """The statuses `text` names, comma-separated in its order: « labellisés et
        d'excellence » -> "labellise,excellence"; None if it names none."""
        found = dict.fromkeys(_STATUS_WORDS[word] for word in normalize(text).split() if word in _STATUS_WORDS)
        return ",".join(found) or None


def _levels_or_after(levels: set[int], kinds: frozenset[str], label: str, text: str,
                     named_at: int | None = None) -> LevelQuery | None:
    """These levels, or those above them when the text asks what comes after (None past 8): « après
    le bac pro », the word « après » at most MAX_WORDS_AFTER words before the level named at
    character `named_at` (anywhere when unknown), not « pour les CAP, ou après la fac ? »."""
    if levels and _asks_after(text, named_at):
        above = frozenset(range(max(levels) + 1, 9))
        return LevelQuery(above, frozenset(), f"après le {label}") if above else None
    return LevelQuery(frozenset(levels), kinds, label)


MAX_WORDS_AFTER = 3


def _asks_after(text: str, named_at: int | None) -> bool:
    if named_at is None:
        return _AFTER.search(text) is not None
    return any(len(text[found.end():named_at].split()) <= MAX_WORDS_AFTER
               for found in _AFTER.finditer(text[:named_at]))


def _is_starting_point(words: list[str], start: int) -> bool:
    """Whether the diploma at word `start` is where the user stands (« je suis en BTS »,
    « après mon bac pro »): the word before it, determiners skipped, says so."""
    index = start - 1
    while index >= 0 and words[index] in _DETERMINERS:
        index -= 1
    return index >= 0 and words[index] in _STARTING_POINT_WORDS


def _also_a_commune(mentions, mention) -> bool:
    """"Versailles" alone is the town, not the académie."""
    return any(other.entity_type == "commune" and (other.start, other.end) == (mention.start, mention.end)
               for other in mentions)


def _also_an_academy(mentions, mention) -> bool:
    return any(other.entity_type == "academy" and (other.start, other.end) == (mention.start, mention.end)
               for other in mentions)
