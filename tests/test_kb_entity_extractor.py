"""The NLU component that finds knowledge-base entities, on Rasa Message objects."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bench.heldout import DEV, LOCKED, load
from bot.extensions.nlu.kb_entity_extractor import ENTITY_OF_TERM_TYPE, KnowledgeBaseEntityExtractor
from knowledge.matching import Vocabulary


@pytest.fixture(scope="module")
def extractor(request):
    return KnowledgeBaseEntityExtractor(request.getfixturevalue("sqlite_kb"))


def entities(extractor, text, existing=(), with_extractor=False):
    message = Message(data={"text": text, "entities": list(existing)})
    extractor.process([message])
    return [(e["entity"], text[e["start"]:e["end"]], e["value"]) + ((e["extractor"],) if with_extractor else ())
            for e in message.get("entities")]


def test_typos_sms_and_places_become_entities_with_their_spans(extractor):
    assert entities(extractor, "jveux un BTS ds l'aeronotique en Seine-St-Denis") == [
        ("level", "BTS", "BTS"), ("sector", "aeronotique", "aéronautique"),
        ("place", "Seine-St-Denis", "Seine-Saint-Denis")]


def test_bac_plus_and_status_patterns(extractor):
    assert entities(extractor, "un bac+2 dans un campus d'excellence") == [
        ("level", "bac+2", "bac+2"), ("status", "excellence", "excellence")]


def test_a_campus_name_that_is_also_a_sector_is_a_campus(extractor):
    assert entities(extractor, "parle moi du campus Industrie du futur") == [
        ("campus", "Industrie du futur", "Industrie du futur")]


def test_knowledge_base_entities_replace_overlapping_ones_and_keep_the_others(extractor):
    diet = [{"entity": "sector", "start": 12, "end": 17, "value": "avion", "extractor": "DIETClassifier"},
            {"entity": "ordinal", "start": 0, "end": 2, "value": "1", "extractor": "DIETClassifier"}]
    assert entities(extractor, "le les gros avions", diet, with_extractor=True) == [
        ("ordinal", "le", "1", "DIETClassifier"), ("sector", "avions", "avion", "KnowledgeBaseEntityExtractor")]


@pytest.mark.parametrize("text, found", [
    ("quels campus dans le 94", [("place", "94", "94")]),  # « campus dans » was a typo of « campus IA »
    ("des campus dans tous les secteurs ?", []),
])
def test_a_function_word_in_its_plural_form_is_never_part_of_a_typo(extractor, text, found):
    assert entities(extractor, text) == found


@pytest.mark.parametrize("text", ["un campus ça veut dire quoi", "le campus ca sert a quoi"])
def test_a_short_word_of_a_phrase_carries_no_typo(extractor, text):
    assert entities(extractor, text) == []  # « campus ça » was a typo of « campus IA »


def test_a_typo_in_a_long_word_of_a_phrase_is_still_read(extractor):
    assert entities(extractor, "le campus industri du futur") == [("campus", "industri du futur", "Industrie du futur")]


def test_sms_endings_in_ik_are_read_as_ique(extractor):
    assert entities(extractor, "jveu taffer ds l'aeronotik") == [("sector", "aeronotik", "aéronautique")]
    assert entities(extractor, "la mecanik auto") == [("sector", "mecanik auto", "mécanique auto")]


def test_empty_and_hostile_messages_get_no_entities(extractor):
    assert entities(extractor, "") == []
    assert entities(extractor, "<script>alert(1)</script> '; DROP TABLE campus; --") == []


class _WholeVocabulary(Vocabulary):
    """The vocabulary searched as before its keys were sorted by length: every key, every time."""

    def _choices(self, types, length, edits):
        return super()._choices(types, 0, 10_000)


def test_searching_only_keys_of_a_close_length_finds_what_searching_all_finds(sqlite_kb):
    vocabulary = sqlite_kb.vocabulary
    whole = _WholeVocabulary([term for terms in vocabulary.by_key.values() for term in terms], vocabulary.french_words)
    texts = [message.text for path in (DEV, LOCKED) for message in load(path)]
    texts += ["jveux un BTS ds l'aeronotique", "je veux etre soudur", "plombir a Meaux", "coifeur", "kinesiterapeute"]
    types = set(ENTITY_OF_TERM_TYPE)
    assert [vocabulary.find(text, types) for text in texts] == [whole.find(text, types) for text in texts]
    assert sum(1 for text in texts for mention in vocabulary.find(text, types) if mention.score < 100) > 20
