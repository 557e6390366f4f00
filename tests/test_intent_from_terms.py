"""The NLU rules that read the knowledge base: a message naming a sector or a job is a search
when DIET has no use for the word or is unsure, and a French word is never taken for a typo of
a knowledge-base term (« chercher » is not « chercheur »)."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.extensions.nlu.intent_from_terms import RULE_CONFIDENCE, IntentFromKnowledgeTerms
from bot.extensions.nlu.kb_entity_extractor import KnowledgeBaseEntityExtractor, french_word_forms

SECTOR = {"entity": "sector", "value": "santé", "start": 0, "end": 5, "confidence_entity": 1.0,
          "extractor": "KnowledgeBaseEntityExtractor"}


def parsed(ranking: list[tuple[str, float]], entities: list[dict], text: str = "santé, ça me plaît") -> Message:
    message = Message(data={"text": text, "entities": entities})
    message.set("intent", {"name": ranking[0][0], "confidence": ranking[0][1]})
    message.set("intent_ranking", [{"name": name, "confidence": c} for name, c in ranking])
    IntentFromKnowledgeTerms(IntentFromKnowledgeTerms.get_default_config()).process([message])
    return message


def test_the_start_of_the_guided_search_with_a_sector_becomes_a_search():
    message = parsed([("start_guided_search", 0.48), ("search_campus", 0.20)], [SECTOR])
    assert message.get("intent") == {"name": "search_campus", "confidence": RULE_CONFIDENCE}
    assert [r["name"] for r in message.get("intent_ranking")] == ["search_campus", "start_guided_search"]
    assert "sans usage du secteur" in message.get("intent_rule")


@pytest.mark.parametrize("text, entity", [("e-sport", {**SECTOR, "value": "e-sport", "end": 7}),
                                          ("la chaudronnerie ?", {**SECTOR, "start": 3, "end": 16})])
def test_a_message_of_only_a_job_or_sector_word_is_a_search_whatever_diet_guesses(text, entity):
    message = parsed([("ask_campus_lead", 0.52), ("search_campus", 0.2)], [entity], text=text)
    assert message.get("intent") == {"name": "search_campus", "confidence": RULE_CONFIDENCE}
    assert "seulement" in message.get("intent_rule")


def test_a_sure_intent_with_more_than_the_sector_word_is_kept():
    message = parsed([("ask_campus_lead", 0.52), ("search_campus", 0.2)], [{**SECTOR, "start": 8, "end": 13}],
                     text="qui est santé ?")
    assert message.get("intent")["name"] == "ask_campus_lead"


@pytest.mark.parametrize("sector", [{**SECTOR, "confidence_entity": 0.8},  # a typo (« l'aeronotik »)
                                    {**SECTOR, "extractor": "DIETClassifier", "confidence_entity": 0.94}])
def test_a_goodbye_or_a_guided_search_with_a_misspelt_sector_becomes_a_search(sector):
    for intent in ("goodbye", "start_guided_search"):
        message = parsed([(intent, 0.76), ("search_campus", 0.1)], [sector],
                         text="jveu taffer ds l'aeronotik plus tard")
        assert message.get("intent") == {"name": "search_campus", "confidence": RULE_CONFIDENCE}
        second = message.get("intent_ranking")[1]
        assert second["name"] == intent and second["confidence"] < RULE_CONFIDENCE - 0.08  # clear for the fallback


@pytest.mark.parametrize("intent", ["fact_definition", "fact_creation", "fact_levels"])
def test_a_job_named_in_a_question_read_as_a_general_fact_is_a_search(intent):
    job = {**SECTOR, "value": "mécanicien auto", "start": 11, "end": 26}
    message = parsed([(intent, 0.37), ("fact_levels", 0.2)], [job], text="je veux etre mecanicien auto, quel cmq ?")
    assert message.get("intent") == {"name": "search_campus", "confidence": RULE_CONFIDENCE}


def test_members_named_in_the_question_of_who_is_in_a_campus_keep_it():
    lab = {**SECTOR, "value": "laboratoire", "start": 61, "end": 73}
    message = parsed([("fact_ecosystem", 0.5), ("ask_campus_members", 0.2)], [lab],
                     text="Quels types de structures trouve-t-on dans un CMQ : entreprises, laboratoires, lycées ?")
    assert message.get("intent")["name"] == "fact_ecosystem"


def test_a_misspelt_sector_word_in_a_general_question_keeps_it():
    typo = {**SECTOR, "confidence_entity": 0.8}
    message = parsed([("fact_definition", 0.6), ("search_campus", 0.1)], [typo], text="santr c quoi un cmq")
    assert message.get("intent")["name"] == "fact_definition"


def test_the_national_sectors_fact_keeps_a_sector():
    message = parsed([("fact_national_sectors", 0.7), ("search_campus", 0.2)], [{**SECTOR, "start": 29, "end": 34}],
                     text="la liste nationale inclut la santé ?")
    assert message.get("intent")["name"] == "fact_national_sectors"


@pytest.mark.parametrize("text, expected", [("jpasse mes journees a filmer mes potes", "search_campus"),
                                            ("je retouche tout le temps mes vetements", "search_campus"),
                                            ("c'est quoi le meilleur film de 2025", "out_of_scope"),
                                            ("tu connais une bonne recette de cuisine", "out_of_scope")])
def test_off_topic_for_diet_but_a_sector_in_a_sentence_about_oneself_is_a_search(text, expected):
    word = next(w for w in ("filmer", "vetements", "film", "cuisine") if w in text)
    sector = {**SECTOR, "value": word, "start": text.index(word), "end": text.index(word) + len(word)}
    message = parsed([("out_of_scope", 0.75), ("tell_interest", 0.1)], [sector], text=text)
    assert message.get("intent")["name"] == expected


@pytest.mark.parametrize("ranking", [[("goodbye", 0.25), ("list_campuses", 0.2)],  # below the fallback threshold
                                     [("list_campuses", 0.31), ("fact_levels", 0.30)],  # too close to the second
                                     [("search_campus", 0.21), ("bot_challenge", 0.20)]])  # a search, unsure
def test_an_unsure_intent_with_a_sector_becomes_a_sure_search(ranking):
    message = parsed(ranking, [SECTOR])
    assert message.get("intent") == {"name": "search_campus", "confidence": RULE_CONFIDENCE}


@pytest.mark.parametrize("ranking, entities", [
    ([("start_guided_search", 0.9), ("search_campus", 0.05)], []),  # no sector named
    ([("tell_interest", 0.88), ("search_campus", 0.05)], [SECTOR]),  # sure, and the answer uses the sector
    ([("ask_campus_members", 0.25), ("goodbye", 0.2)], [SECTOR]),  # « les lycées du campus santé »
    ([("goodbye", 0.2), ("ask_campus_details", 0.2)], [SECTOR, {"entity": "campus", "value": "Campus Versailles"}]),
    ([("list_campuses", 0.25), ("fact_levels", 0.2)], [{**SECTOR, "confidence_entity": 0.8}]),  # unsure, a typo
    ([("list_campuses", 0.25), ("fact_levels", 0.2)], [{**SECTOR, "extractor": "DIETClassifier"}]),  # unsure, DIET's
    ([("start_guided_search", 0.6), ("search_campus", 0.2)],
     [{**SECTOR, "extractor": "DIETClassifier", "confidence_entity": 0.6}]),  # DIET unsure of its sector
])
def test_other_messages_keep_diets_intent(ranking, entities):
    message = parsed(ranking, entities)
    assert message.get("intent")["name"] == ranking[0][0] and not message.get("intent_rule")


@pytest.fixture(scope="module")
def extractor(sqlite_kb):
    return KnowledgeBaseEntityExtractor(sqlite_kb, french_word_forms("fr_core_news_sm"))


@pytest.mark.parametrize("text", ["le label du campus santé ?", "les lycées du campus de la santé", "campus santé"])
def test_a_sector_right_after_campus_names_the_campus_and_keeps_diets_intent(text):
    start = text.index("santé")
    message = parsed([("fact_label_rules", 0.3), ("ask_campus_label", 0.28)],
                     [{**SECTOR, "start": start, "end": start + 5}], text)
    assert message.get("intent")["name"] == "fact_label_rules"
    searching = parsed([("fact_label_rules", 0.3), ("ask_campus_label", 0.28)],
                       [{**SECTOR, "start": 18, "end": 23}], "un campus pour la santé")
    assert searching.get("intent")["name"] == "search_campus"


@pytest.mark.parametrize("text", ["tu peux m'aider à chercher une formation ?", "quel salaire après ?",
                                  "ils couvrent quels métiers ?", "bonjour monsieur", "super merci"])
def test_a_french_word_is_not_read_as_a_typo_of_a_term(extractor, text):
    message = Message(data={"text": text, "entities": []})
    extractor.process([message])
    assert message.get("entities") == []


@pytest.mark.parametrize("text, value", [("jveux faire de l'aeronotique", "aéronautique"),
                                         ("un bts hotelerie", "hôtellerie"), ("formation securiter", "sécurité")])
def test_typos_that_are_no_french_word_are_still_read(extractor, text, value):
    message = Message(data={"text": text, "entities": []})
    extractor.process([message])
    assert value in [e["value"] for e in message.get("entities")]


@pytest.mark.parametrize("word", ["comme", "quoi", "de"])
def test_diet_entities_on_function_words_are_dropped(extractor, word):
    text = f"il y a quoi {word} BTS"
    start = text.rindex(word)
    diet = [{"entity": "sector", "start": start, "end": start + len(word), "value": word,
             "extractor": "DIETClassifier"}]
    message = Message(data={"text": text, "entities": diet})
    extractor.process([message])
    assert [e["entity"] for e in message.get("entities")] == ["level"]


def test_a_mention_is_given_once_and_a_lone_stopword_from_diet_is_dropped(extractor):
    diet = [{"entity": "sector", "start": 23, "end": 25, "value": "DE", "extractor": "DIETClassifier"}]
    message = Message(data={"text": "les campus qui parlent de infirmière", "entities": diet})
    extractor.process([message])
    assert [(e["entity"], e["value"]) for e in message.get("entities")] == [("sector", "infirmière")]


@pytest.mark.parametrize("year", ["3e et", "seconde", "1ère"])
def test_a_year_of_school_read_by_diet_as_a_place_is_dropped(extractor, year):
    text = f"bonjour, je suis en {year} je veux faire un CAP ébéniste"
    start = text.index(year)
    diet = [{"entity": "place", "start": start, "end": start + len(year), "value": year, "extractor": "DIETClassifier"}]
    message = Message(data={"text": text, "entities": diet})
    extractor.process([message])
    assert "place" not in [e["entity"] for e in message.get("entities")]


def test_a_place_read_by_diet_stays(extractor):
    text = "un bts vers pontault"
    diet = [{"entity": "place", "start": 12, "end": 20, "value": "pontault", "extractor": "DIETClassifier"}]
    message = Message(data={"text": text, "entities": diet})
    extractor.process([message])
    assert "place" in [e["entity"] for e in message.get("entities")]
