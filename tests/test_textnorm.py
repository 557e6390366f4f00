"""Normalisation and matching properties, on examples and on generated text (hypothesis)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.matching import Term, Vocabulary, allowed_edits
from knowledge.textnorm import MAX_INPUT_CHARS, match_key, normalize


def test_normalize_folds_case_accents_apostrophes_and_abbreviations():
    assert normalize("L'Aéronautique À Évry-Courcouronnes !") == "l aeronautique a evry courcouronnes"
    assert normalize("Seine-St-Denis") == "seine saint denis"
    assert normalize("jveux bosser ds l'aero") == "jveux bosser dans l aero"
    assert normalize("bac+2") == "bac + 2"
    assert normalize("Œuvre") == "oeuvre"


def test_match_key_drops_plural_marks_but_keeps_short_words():
    assert match_key("Les avions") == "les avion"
    assert match_key("bts") == "bts" and match_key("vieux") == "vieu" and match_key("bus") == "bus"


@given(st.text())
@settings(max_examples=300)
def test_normalize_gives_lowercase_ascii_words_and_is_idempotent(text):
    result = normalize(text)
    assert re.fullmatch(r"[0-9a-z+]*( [0-9a-z+]+)*", result)
    assert normalize(result) == result


@given(st.text(min_size=MAX_INPUT_CHARS, max_size=MAX_INPUT_CHARS + 500))
@settings(max_examples=30)
def test_normalize_reads_only_the_first_characters_of_huge_input(text):
    assert len(normalize(text)) <= MAX_INPUT_CHARS


VOCABULARY = Vocabulary([
    Term("sector", "aero", "aéronautique", match_key("aéronautique"), "name"),
    Term("sector", "aero", "avions", match_key("avions"), "everyday"),
    Term("diploma_kind", "but", "BUT", match_key("BUT"), "name"),
    Term("department", "93", "Seine-Saint-Denis", match_key("Seine-Saint-Denis"), "name"),
])


@given(st.text(max_size=300))
@settings(max_examples=300)
def test_find_never_fails_and_returns_ordered_non_overlapping_mentions(text):
    mentions = VOCABULARY.find(text)
    spans = [(mention.start, mention.end) for mention in mentions]
    assert spans == sorted(spans)
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        assert end <= start
    assert all(0 < mention.score <= 100 for mention in mentions)


@given(st.sampled_from(["aéronautique", "avions", "Seine-Saint-Denis"]), st.sampled_from(["", "!", " svp"]))
def test_known_terms_are_found_exactly_whatever_the_case_and_punctuation(term, suffix):
    mentions = VOCABULARY.find(term.upper() + suffix)
    assert mentions and mentions[0].score == 100


def test_mentions_give_the_characters_the_user_typed():
    text = "J'adore les AVIONS, en Seine-St-Denis !"
    mentions = VOCABULARY.find(text)
    assert [text[m.char_start:m.char_end] for m in mentions] == ["AVIONS", "Seine-St-Denis"]


def test_one_typo_is_forgiven_in_long_words_but_never_in_short_ones():
    assert VOCABULARY.find("aeronotique")[0].entity_key == "aero"
    assert VOCABULARY.find("avoins")[0].entity_key == "aero"  # swapped letters count once
    assert VOCABULARY.find("avon") == []
    assert allowed_edits(4) == 0 and allowed_edits(6) == 1 and allowed_edits(10) == 2


def test_words_that_are_also_french_words_need_capitals():
    assert VOCABULARY.find("mon but est de voyager") == []
    assert VOCABULARY.find("un BUT en alternance")[0].entity_key == "but"
