"""The NLU component that finds knowledge-base entities, on Rasa Message objects."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.extensions.nlu.kb_entity_extractor import KnowledgeBaseEntityExtractor


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


def test_empty_and_hostile_messages_get_no_entities(extractor):
    assert entities(extractor, "") == []
    assert entities(extractor, "<script>alert(1)</script> '; DROP TABLE campus; --") == []
