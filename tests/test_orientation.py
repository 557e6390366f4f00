"""Questions around the campuses and the way people ask them: orientation questions
(Parcoursup, Affelnet, alternance, internat, cost, scholarships, how to get in) get a short
sourced answer with the official service, never « De quel campus parlez-vous ? »; the sources
or site of one named campus; look-alikes of a CMQ, « ce campus », a greeting in front of a
question, a button's title typed as text."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker

import actions.base
from actions.facts import ActionAnswerFact, ActionAnswerOrientation, ActionGiveSources, ActionHandoff
from actions.fallback import ActionSuggestRephrase
from actions.greeting import ActionGreet
from actions.levels import ActionExplainLevel
from tests.test_actions import run, tracker


@pytest.fixture(autouse=True)
def knowledge_base(sqlite_kb, monkeypatch):
    monkeypatch.setattr(actions.base, "_knowledge_base", sqlite_kb)
    return sqlite_kb


@pytest.mark.parametrize("question, topic", [
    ("c koi parcoursup", "parcoursup"), ("affelnet c'est quoi", "affelnet"),
    ("y a-t-il un internat ?", "internat"), ("c'est payant ?", "cost"), ("ca coute combien", "cost"),
    ("en alternance faut payer l'ecole ?", "cost"), ("bourse crous c quand", "bourses"),
    ("l'alternance c'est quoi ?", "alternance"), ("c quoi un CFA", "alternance"),
    ("on fait comment pour y entrer ?", "how-to-enter-cmq"), ("c'est quoi l'onisep", "onisep"),
    ("difference entre alternance et stage", "alternance"),
])
def test_the_words_of_the_question_pick_the_answer(kb, question, topic):
    assert kb.orientation_fact(question).key == topic


def test_an_orientation_answer_is_short_sourced_and_points_to_the_official_service():
    [message], events = run(ActionAnswerOrientation(), tracker("c koi parcoursup", intent="ask_orientation"))
    text = message["text"]
    assert text.startswith("Parcoursup est la plateforme nationale")
    assert "Pour aller plus loin : https://www.parcoursup.fr" in text
    assert "Source : ONISEP, 24matins (portail Free) et 1 autre — vérifié le" in text
    assert "De quel campus" not in text
    assert [b["title"] for b in message["buttons"]][-1] == "Je cherche une formation"
    assert {"event": "slot", "timestamp": None, "name": "topic", "value": "fact:parcoursup"} in events


def test_a_button_picks_the_topic_without_words():
    [message], _ = run(ActionAnswerOrientation(), tracker("/ask_orientation", intent="ask_orientation",
                                                          entities=[("orientation", "internat")]))
    assert message["text"].startswith("Oui, beaucoup de lycées publics ont un internat")


def test_an_orientation_question_naming_no_topic_offers_every_topic():
    [message], _ = run(ActionAnswerOrientation(),
                       tracker("j'ai une question sur l'orientation", intent="ask_orientation"))
    assert message["text"].startswith("Je peux vous renseigner sur ces questions d'orientation")
    assert len(message["buttons"]) == 8
    assert message["buttons"][0]["payload"] == '/ask_orientation{"orientation": "bourses"}'


def test_a_question_taken_for_orientation_that_names_nothing_of_it_is_out_of_scope():
    [message], _ = run(ActionAnswerOrientation(), tracker("comment on fait une crêpe", intent="ask_orientation"))
    assert message["response"] == "utter_out_of_scope"
    assert "/ask_orientation" not in str(message["buttons"])  # not the list of orientation topics


def test_the_sources_of_a_named_campus_are_given_even_after_another_topic():
    [message], _ = run(ActionGiveSources(), tracker("tes sources pour le campus tourisme ?", intent="ask_sources",
                                                    entities=[("campus", "tourisme")],
                                                    slots={"topic": "fact:parcoursup"}))
    assert message["text"].startswith("Sources pour le campus Tourisme Paris-Val d'Europe :")


def test_the_site_of_a_named_campus_is_given_when_known_and_its_lead_otherwise():
    [message], _ = run(ActionHandoff(), tracker("le site du campus versailles ?", intent="ask_human",
                                                entities=[("campus", "Versailles")]))
    assert "Le site du campus Versailles Patrimoine et Artisanat : https://campusversailles.fr/" in message["text"]
    [message], _ = run(ActionHandoff(), tracker("vous avez leur adresse web ?", intent="ask_human",
                                                slots={"campus": "creation-numerique"}))
    assert ("Mes sources ne donnent pas de site pour le campus Création numérique ; vous pouvez contacter "
            "sa tête de réseau : Lycée Suger.") in message["text"]


def test_a_campus_site_asked_with_a_sector_word_is_given_first_not_a_search():
    from actions.search import ActionSearchCampus

    [message], _ = run(ActionSearchCampus(), tracker("vous avez le site internet du campus tourisme ?",
                                                     entities=[("sector", "tourisme")]))
    assert message["text"].startswith("Mes sources ne donnent pas de site pour le campus Tourisme Paris-Val d'Europe")
    assert [b["title"] for b in message["buttons"]] == ["Le campus Tourisme Paris-Val d'Europe", "Les sources"]
    [message], _ = run(ActionSearchCampus(), tracker("le site du campus versailles svp",
                                                     entities=[("place", "versailles")]))
    assert message["text"].startswith("Le site du campus Versailles Patrimoine et Artisanat : https://campusversailles.fr/")


def test_a_site_asked_for_is_given_even_when_read_as_a_question_of_sources():
    [message], _ = run(ActionGiveSources(), tracker("vous avez le site internet du campus tourisme ?",
                                                    intent="ask_sources", entities=[("sector", "tourisme")]))
    assert message["text"].startswith("Mes sources ne donnent pas de site pour le campus Tourisme Paris-Val d'Europe")


def test_a_look_alike_named_in_a_search_is_said_not_to_be_a_cmq():
    from actions.search import ActionSearchCampus

    [message], _ = run(ActionSearchCampus(), tracker("et l'éco-campus du bâtiment à Vitry ?",
                                                     entities=[("sector", "bâtiment"), ("place", "Vitry")]))
    assert message["text"].startswith("« Éco-campus du Bâtiment Grand Paris » n'est pas un campus des métiers")


def test_an_orientation_question_naming_no_topic_but_a_field_is_a_search():
    [message], _ = run(ActionAnswerOrientation(), tracker("fret et commerce international", intent="ask_orientation"))
    assert "Hub aéroportuaire Grand Roissy-Le Bourget" in message["text"]


def test_a_question_about_a_look_alike_is_answered_whatever_the_intent():
    [message], _ = run(ActionAnswerFact(), tracker("et la cité des métiers de Roissy c'est un cmq ?",
                                                   intent="fact_definition"))
    assert "n'est pas un campus des métiers et des qualifications" in message["text"]
    [message], _ = run(ActionSuggestRephrase(), tracker("bécheville c'est quoi", intent="nlu_fallback"))
    assert message["text"].startswith("« Campus de Bécheville » n'est pas un campus des métiers")


def test_who_belongs_to_this_campus_asks_the_campus_in_focus_not_the_general_fact():
    [message], _ = run(ActionAnswerFact(), tracker("qui fait partie de ce campus ?", intent="fact_ecosystem",
                                                   slots={"campus": "tourisme-val-europe"}))
    assert message["text"].startswith("Membres et partenaires du campus Tourisme Paris-Val d'Europe")
    [message], _ = run(ActionAnswerFact(), tracker("qui fait partie d'un campus ?", intent="fact_ecosystem",
                                                   slots={"campus": "tourisme-val-europe"}))
    assert message["text"].startswith("Un campus rassemble")


def test_the_sources_of_a_campus_named_by_its_sector():
    [message], _ = run(ActionGiveSources(), tracker("tes sources pour le campus tourisme ?", intent="ask_sources",
                                                    entities=[("sector", "tourisme")],
                                                    slots={"topic": "campus:versailles-patrimoine"}))
    assert message["text"].startswith("Sources pour le campus Tourisme Paris-Val d'Europe :")


@pytest.mark.parametrize("text, expected", [
    ("bonjour, je suis en 3e et je veux faire un CAP ébéniste", "CAP ébéniste"),
    ("Bonjour, c'est quoi Parcoursup exactement ?", "Parcoursup est la plateforme nationale"),
])
def test_a_greeting_in_front_of_a_question_does_not_hide_it(text, expected):
    messages, _ = run(ActionGreet(), tracker(text, intent="greet"))
    assert messages[0]["text"] == "Bonjour !"
    assert expected in messages[1]["text"]


def test_a_plain_greeting_gets_the_welcome():
    [message], _ = run(ActionGreet(), tracker("bonjour !", intent="greet"))
    assert message["text"].startswith("Bonjour ! Je vous aide à trouver un Campus des métiers")
    assert [b["payload"] for b in message["buttons"]][0] == "/start_guided_search"


def test_a_button_title_typed_as_text_acts_as_the_button():
    events = [{"event": "user", "text": "bac+2"},
              {"event": "bot", "text": "Niveau 5", "data": {"buttons": [
                  {"title": "Les campus à ce niveau", "payload": '/search_campus{"level": "bac+2"}'}]}},
              {"event": "user", "text": "Les campus à ce niveau"}]
    message = {"text": "Les campus à ce niveau", "intent": {"name": "ask_level", "confidence": 0.9}, "entities": []}
    typed = Tracker("test-user", {}, message, events, False, None, {}, "action_listen")
    messages, _ = run(ActionExplainLevel(), typed)
    assert "campus correspondent (niveau bac+2)" in messages[0]["text"]


@pytest.mark.parametrize("text, entities, training", [
    ("plombier cap en apprentissage", [("sector", "plombier"), ("level", "cap")],
     "CAP monteur en installations sanitaires"),
    ("céramiste en apprentissage, ou postuler", [("sector", "céramiste")], "BMA céramique")])
def test_a_job_named_with_apprenticeship_is_a_search_in_apprenticeship_not_what_apprenticeship_is(
        text, entities, training):
    [message], _ = run(ActionAnswerOrientation(), tracker(text, intent="ask_orientation", entities=entities))
    assert message["text"].startswith(f"Le {training} se prépare") and "en apprentissage" in message["text"]


def test_what_apprenticeship_is_stays_its_answer():
    [message], _ = run(ActionAnswerOrientation(), tracker("c'est quoi l'apprentissage ?", intent="ask_orientation"))
    assert message["text"].startswith("L'apprentissage est un vrai contrat de travail")


def test_an_establishment_named_in_a_question_taken_for_orientation_gets_its_campus():
    [message], _ = run(ActionAnswerOrientation(), tracker("l'ecole boule c dans quel campus", intent="ask_orientation",
                                                          entities=[("establishment", "École Boulle")]))
    assert "Mode, Métiers d'Art & Design" in message["text"]


@pytest.mark.parametrize("text", ["tu connais quels campus en tout ?", "combien de cmq et lesquels ?"])
def test_which_campuses_asked_with_their_number_gets_the_list(text):
    [message], _ = run(ActionAnswerFact(), tracker(text, intent="fact_counts"))
    assert message["text"].startswith("Mes données comptent 12 campus et projets en Île-de-France")


def test_how_many_campuses_stays_the_count_and_its_sources():
    [message], _ = run(ActionAnswerFact(), tracker("combien y a-t-il de cmq ?", intent="fact_counts"))
    assert message["text"].startswith("Les sources ne donnent pas le même nombre")


def test_whether_a_named_campus_has_the_excellence_mention_is_its_label():
    [message], _ = run(ActionSuggestRephrase(), tracker(
        "Le campus Métiers de la sécurité a-t-il obtenu la mention excellence ?", intent="nlu_fallback",
        entities=[("campus", "métiers de la sécurité"), ("status", "excellence")]))
    assert "18 mars 2021" in message["text"]


@pytest.mark.parametrize("text", ["je parle à une vraie personne là ?",
                                  "Est-ce que je m'adresse à une intelligence artificielle ?"])
def test_whether_a_person_answers_read_as_a_wish_to_speak_to_one_says_the_assistant_is_a_program(text):
    [message], _ = run(ActionHandoff(), tracker(text, intent="ask_human"))
    assert message["response"] == "utter_bot_challenge"


def test_a_wish_to_speak_to_a_person_gets_who_to_talk_to():
    [message], _ = run(ActionHandoff(), tracker("je voudrais parler à une vraie personne", intent="ask_human"))
    assert "psychologue de l'Éducation nationale" in message["text"]


def test_whether_a_program_answers_read_as_a_search_of_computing_says_the_assistant_is_a_program():
    from actions.search import ActionSearchCampus

    [message], _ = run(ActionSearchCampus(), tracker("Suis-je en train d'échanger avec un programme informatique ?",
                                                     entities=[("sector", "informatique")]))
    assert message["response"] == "utter_bot_challenge"
