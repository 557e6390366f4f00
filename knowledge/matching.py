"""Finds knowledge-base terms in user text: exact, then tolerant of typos.

A `Vocabulary` holds every term of the database (sector words, diploma kinds, campus and
establishment names, places) in its matching form. `find(text)` scans the words of a
message (SMS endings respelled: « aeronotik » is read « aeronotique ») for terms, longest
first, allowing a few typing errors in longer words (OSA edit distance: a swap of two letters
counts as one), never in words of four letters or less, and never in a word the caller knows
as a French word (`known_word`: « chercher » is not a typo of « chercheur », nor « salaire »
of « solaire »).
The communes of Île-de-France that no campus names (type "town") are found only as written,
and a one-word name only where the text places it (see `town_in_context`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from knowledge.textnorm import MAX_INPUT_CHARS, singular, sms_respelled, word_spans

_FUNCTION_WORDS = (
    "a au aux avec c ce cet cette d dans de des du en est et il j je l la le les leur m ma me "
    "mes moi mon n ne nous on ou par pas pour qu que quel quelle quels quelles qui s sa se ses "
    "son sur t ta te tes toi ton tu un une vous y "
    # function words that are never a sector, a job or a place: « il y a quoi comme BTS ? »
    # is no typo of « commis », « chez nous » none of « Chelles »
    "comme chez sans sous entre quoi tout tous toute toutes autre autres mais donc car si").split()
# As written and in matching form, which is what windows hold (« dans » is « dan » there: « campus
# dans » was a typo of « campus IA »).
STOPWORDS = frozenset(_FUNCTION_WORDS) | frozenset(singular(word) for word in _FUNCTION_WORDS)

# Terms that are also everyday French words: found only when the user wrote them in capitals.
CAPITALS_ONLY = frozenset({"du", "but"})

EXACT_ONLY_TYPES = frozenset({"town"})  # 1,266 communes: a typo would find a village instead
# Words after which a one-word commune name is a place: « à Melun », « vers Torcy », « et Massy ? ».
# (In their matching form: « vers » is « ver ».)
PLACE_CUES = frozenset(singular(word) for word in "a au aux vers de d du sur dans habite et ou".split())
# The stricter cues for a commune that is also a French word (« à Plaisir », « près de Vert »).
STRONG_PLACE_CUES = frozenset(singular(word) for word in ("a", "vers", "habite"))
STRONG_PLACE_CUE_PAIRS = frozenset((singular(word), "de") for word in ("pres", "proche", "autour", "cote", "loin"))


@dataclass(frozen=True)
class Term:
    entity_type: str
    entity_key: str
    text: str
    key: str
    kind: str


@dataclass(frozen=True)
class Mention:
    """A term found in a text: which words (start, end), which characters (char_start,
    char_end) of the text, which entity, how sure (100 = exact)."""

    term: Term
    start: int
    end: int
    score: float
    char_start: int = 0
    char_end: int = 0

    @property
    def entity_type(self) -> str:
        return self.term.entity_type

    @property
    def entity_key(self) -> str:
        return self.term.entity_key


def allowed_edits(length: int) -> int:
    """How many typing errors a word or phrase of this many letters may carry."""
    if length <= 4:
        return 0
    if length <= 7:
        return 1
    if length <= 11:
        return 2
    return 3


class Vocabulary:
    """Every term of the knowledge base, indexed for exact and fuzzy lookup."""

    def __init__(self, terms: list[Term], french_words: frozenset[str] = frozenset()):
        """`french_words`, in matching form, are matched exactly only (knowledge.french_words)."""
        self.french_words = french_words
        self.by_key: dict[str, list[Term]] = defaultdict(list)
        for term in terms:
            self.by_key[term.key].append(term)
        self.keys_by_type: dict[str, list[str]] = defaultdict(list)
        for key, entries in self.by_key.items():
            for entity_type in {t.entity_type for t in entries}:
                self.keys_by_type[entity_type].append(key)
        self._choice_cache: dict[tuple[frozenset[str] | None, int, int], list[str]] = {}
        # windows as long as the longest term: « Cité des métiers du Grand Roissy-Le Bourget »
        self.longest_term = max((len(key.split()) for key in self.by_key), default=1)

    def find(self, text: str, types: set[str] | frozenset[str] | None = None,
             known_word: Callable[[str], bool] | None = None) -> list[Mention]:
        """Non-overlapping mentions of terms of the given types, in text order; a word for which
        `known_word` (given the word as written, in lower case) is true is matched exactly only."""
        text = text[:MAX_INPUT_CHARS]
        spans = word_spans(text)
        words = [singular(sms_respelled(word)) for word, _, _ in spans]
        capitals = {word.lower() for word in re.findall(r"\b[A-Z]{2,}\b", text)}
        candidates: list[Mention] = []
        for size in range(min(self.longest_term, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                window = words[start:start + size]
                if window[0] in STOPWORDS and size == 1 and window[0] not in CAPITALS_ONLY:
                    continue
                fuzzy = not (size == 1 and (window[0] in self.french_words or known_word and known_word(
                    text[spans[start][1]:spans[start][2]].lower())))
                candidates.extend(self._match_window(" ".join(window), start, start + size,
                                                     types, capitals, window, fuzzy))
        candidates = [c for c in candidates if c.term.entity_type != "town"
                      or town_in_context(c.term.kind, words, c.start, c.end, text[spans[c.start][1]:][:1].isupper())]
        return [Mention(c.term, c.start, c.end, c.score, spans[c.start][1], spans[c.end - 1][2])
                for c in _non_overlapping(candidates)]

    def _match_window(self, phrase, start, end, types, capitals, window, fuzzy=True) -> list[Mention]:
        exact = [t for t in self.by_key.get(phrase, ()) if types is None or t.entity_type in types]
        if phrase in CAPITALS_ONLY and phrase not in capitals:
            exact = []
        if exact:
            return [Mention(term, start, end, 100.0) for term in exact]
        edits = allowed_edits(len(phrase)) if fuzzy else 0
        if edits == 0 or window[0] in STOPWORDS or window[-1] in STOPWORDS:
            return []
        choices = self._choices(types, len(phrase), edits)
        found = process.extract(phrase, choices, scorer=OSA.distance, score_cutoff=edits, limit=3)
        # A word that is a term itself, of any type, is no typo: « campus de Meaux » is not « campus
        # des Mureaux », since Meaux is a place.
        terms_in_window = [word for word in window if word in self.by_key]
        mentions = []
        for key, distance, _ in found:
            if key[0] != phrase[0] or len(key) <= 4 or any(word not in key.split() for word in terms_in_window):
                continue
            if not _typos_fit_each_word(window, key.split()):
                continue
            score = 100.0 * (1 - distance / max(len(key), len(phrase)))
            mentions.extend(Mention(term, start, end, score) for term in self.by_key[key]
                            if (types is None or term.entity_type in types)
                            and term.entity_type not in EXACT_ONLY_TYPES)
        return mentions

    def _choices(self, types, length: int, edits: int) -> list[str]:
        """The keys a phrase of `length` letters with at most `edits` typing errors can match, in
        one fixed order: only keys whose length is within `edits` of it (an edit changes the
        length by one at most), so that the fuzzy search compares a fifth of the vocabulary."""
        types_key = None if types is None else frozenset(types)
        cache_key = (types_key, length, edits)
        if cache_key not in self._choice_cache:
            fuzzy_types = set(self.keys_by_type) - EXACT_ONLY_TYPES if types is None else set(types) - EXACT_ONLY_TYPES
            self._choice_cache[cache_key] = sorted(
                {key for entity_type in fuzzy_types for key in self.keys_by_type.get(entity_type, ())
                 if abs(len(key) - length) <= edits})
        return self._choice_cache[cache_key]

    def lookup(self, text: str, types: set[str]) -> list[Mention]:
        """Mentions for a short value (an extracted entity), best first."""
        mentions = self.find(text, types)
        return sorted(mentions, key=lambda mention: (-mention.score, -(mention.end - mention.start)))


def _typos_fit_each_word(written: list[str], term: list[str]) -> bool:
    """Word for word, no more typos than each word's length allows: « campus ça » is not « campus
    IA », since a word of two letters carries none. (When the words do not pair up, a space
    missed or added, the phrase's own allowance is the only limit.)"""
    return len(written) != len(term) or all(
        OSA.distance(mine, theirs) <= allowed_edits(len(theirs)) for mine, theirs in zip(written, term, strict=True))


def town_in_context(kind: str, words: list[str], start: int, end: int, capitalised: bool) -> bool:
    """Whether a commune name found in `words` at start:end is meant as a place. A name of
    several words always is (« Ozoir-la-Ferrière »); one word (« Melun ») when a place word
    comes before it, when it is all the message says (besides « et », « ou ») or when it is
    written with a capital inside the sentence; a French word (« Plaisir ») only after « à »,
    « vers », « près de », « j'habite »… or with a capital inside the sentence, or alone."""
    before = words[start - 1] if start > 0 else ""
    before_pair = tuple(words[start - 2:start]) if start > 1 else ()
    alone = all(word in ("et", "ou") for word in words[:start] + words[end:])
    if alone or (capitalised and start > 0):
        return True
    if kind == "everyday":
        return before in STRONG_PLACE_CUES or before_pair in STRONG_PLACE_CUE_PAIRS
    return kind == "name" or before in PLACE_CUES


def _non_overlapping(candidates: list[Mention]) -> list[Mention]:
    """Keep the best mentions (exact and long first) whose words do not overlap; ties are all kept."""
    ranked = sorted(candidates, key=lambda c: (-c.score, -(c.end - c.start), c.start))
    taken: set[int] = set()
    kept: list[Mention] = []
    seen: set[tuple] = set()
    for mention in ranked:
        identity = (mention.entity_type, mention.entity_key, mention.start, mention.end)
        if identity in seen:
            continue
        seen.add(identity)
        span = set(range(mention.start, mention.end))
        same_span = [k for k in kept if (k.start, k.end) == (mention.start, mention.end)]
        if same_span and same_span[0].score == mention.score:
            kept.append(mention)
        elif not span & taken:
            kept.append(mention)
            taken |= span
    return sorted(kept, key=lambda mention: mention.start)
