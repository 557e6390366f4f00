"""Finds the trainings a user means by the words of a job or a specialty.

Students name jobs (« menuisier », « infirmière », « mécanicien avion »), counsellors name
specialties (« métiers de l'audiovisuel option son »). Each training is indexed under the
significant words of its specialty and of its job words; a query word finds a training when
it is the same word, a close spelling (typing errors tolerated as in matching.py), or shares
a long stem (« menuisier » / « menuiserie », « cuisinier » / « cuisine »). Words that also
name a sector are matched strictly (same word, or a misspelt job word), so that a sector's
word does not drift to a training that only looks like it. Trainings are
ranked by the weight of the query words they match: a word found in few trainings
(« ébéniste ») weighs more than one found in many (« technicien »).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from knowledge.matching import STOPWORDS, allowed_edits
from knowledge.textnorm import match_key

STEM_LENGTH = 6  # two words of at least this many letters sharing this many first letters match
STEM_SCORE = 0.8
JOB_WORD_FACTOR = 2.0
# Words that say nothing about which training is meant (in specialties or in questions).
GENERIC_WORDS = frozenset(match_key(word) for word in (
    "option options mention mentions métier métiers spécialité parcours formation formations diplôme "
    "niveau général générale professionnel professionnelle technologique supérieur national nationale "
    "cap bac pro bts but dut licence master doctorat ingénieur année ans faire veux voudrais devenir "
    "travailler bosser cherche chercher étudier apprendre campus lycée école université fac où "
    "comment quoi quel quelle apprentissage alternance apprenti apprentie bonjour salut merci "
    "art arts établissement établissements bien bon bonne très trop aime adore kiffe envie plaît "
    "plus moins après avant aussi dans vers être avoir peut peux veut "
    "enseignement grand grande grandes public publique "  # « l'enseignement supérieur », « Grande École »
    "select drop table insert delete update union from where"  # SQL typed at the assistant
).split())


@dataclass(frozen=True)
class WordMatch:
    """The trainings (by id) one word of the question found, and how closely (1.0 = same word)."""

    word: str
    scores: dict[int, float]


# "son" is a possessive to the matcher, but a specialty here (« BTS audiovisuel option son »).
_STOPWORDS = STOPWORDS - {"son"}


def significant_words(text: str) -> list[str]:
    return [word for word in match_key(text).split()
            if len(word) >= 3 and word not in _STOPWORDS and word not in GENERIC_WORDS]


class TrainingWords:
    """The index of trainings by their specialty and job words."""

    def __init__(self, specialties: dict[int, str], jobs: dict[int, list[str]],
                 french_words: frozenset[str] = frozenset()):
        """For each training id, its specialty and its job words; `french_words` (matching form)
        are no typo of another word (« modeste » is not « modiste »)."""
        self.french_words = french_words
        self.ids_of_word: dict[str, set[int]] = defaultdict(set)
        self.jobs_of: dict[int, set[str]] = {}
        for training_id, specialty in specialties.items():
            for phrase in [specialty, *jobs.get(training_id, [])]:
                for word in significant_words(phrase):
                    self.ids_of_word[word].add(training_id)
            self.jobs_of[training_id] = {word for job in jobs.get(training_id, []) for word in significant_words(job)}
        self.job_words = sorted(set().union(*self.jobs_of.values()))
        count = max(len(specialties), 1)
        self.weight = {word: math.log(1 + count / len(ids)) for word, ids in self.ids_of_word.items()}
        self.words = sorted(self.ids_of_word)
        self.stems: dict[str, list[str]] = defaultdict(list)
        for word in self.words:
            if len(word) >= STEM_LENGTH:
                self.stems[word[:STEM_LENGTH]].append(word)

    def matches(self, text: str, loose: bool = True) -> list[WordMatch]:
        """For each significant word of `text` that names trainings, the trainings it names:
        by the same word or a close spelling of a job word; if `loose`, also by a close
        spelling of a specialty word or a shared stem."""
        found = []
        for word in dict.fromkeys(significant_words(text)):
            scores: dict[int, float] = {}
            for known, closeness in self._known_words(word, loose):
                for training_id in self.ids_of_word[known]:
                    # a job word of the training weighs more than the same word in another's specialty
                    # (« monteur » is the BTS montage's job, not the CAP monteur en installations sanitaires)
                    job = JOB_WORD_FACTOR if known in self.jobs_of[training_id] else 1.0
                    score = closeness * self.weight[known] * job
                    scores[training_id] = max(score, scores.get(training_id, 0.0))
            if scores:
                found.append(WordMatch(word, scores))
        return found

    def _known_words(self, word: str, loose: bool) -> list[tuple[str, float]]:
        if word in self.ids_of_word:
            return [(word, 1.0)]
        known = []
        edits = 0 if word in self.french_words else allowed_edits(len(word))
        if edits:
            for candidate, distance, _ in process.extract(word, self.words if loose else self.job_words,
                                                          scorer=OSA.distance, score_cutoff=edits, limit=5):
                if candidate[0] == word[0] and len(candidate) > 4:
                    known.append((candidate, 1 - distance / max(len(word), len(candidate))))
        if loose and len(word) >= STEM_LENGTH:
            taken = {candidate for candidate, _ in known}
            known += [(candidate, STEM_SCORE) for candidate in self.stems.get(word[:STEM_LENGTH], ())
                      if candidate not in taken]
        return known

    def ranked(self, text: str, loose: bool = True) -> dict[int, float]:
        """Every training named by a word of `text`, with its score (the sum over the words)."""
        totals: dict[int, float] = defaultdict(float)
        for match in self.matches(text, loose):
            for training_id, score in match.scores.items():
                totals[training_id] += score
        return dict(totals)
