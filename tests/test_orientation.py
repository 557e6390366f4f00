"""Orientation questions around the campuses (Parcoursup, Affelnet, alternance, internat,
cost, scholarships, how to get in): a short sourced answer with the official service, never
« De quel campus parlez-vous ? »; and the sources or the site of one named campus."""

from __future__ import annotations

import pytest

import actions.base
from actions.facts import ActionAnswerOrientation, ActionGiveSources, ActionHandoff
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
    assert "Source : ONISEP (https://www.onisep.fr/" in text
    assert "De quel campus" not in text
    assert [b["title"] for b in message["buttons"]][-1] == "Je cherche une formation"
    assert {"event": "slot", "timestamp": None, "name": "topic", "value": "fact:parcoursup"} in events


def test_a_button_picks_the_topic_without_words():
    [message], _ = run(ActionAnswerOrientation(), tracker("/ask_orientation", intent="ask_orientation",
                                                          entities=[("orientation", "internat")]))
    assert message["text"].startswith("Oui, beaucoup de lycées publics ont un internat")


def test_an_orientation_question_naming_no_topic_offers_every_topic():
    [message], _ = run(ActionAnswerOrientation(), tracker("j'ai une question sur l'orientation", intent="ask_orientation"))
    assert message["text"].startswith("Je peux vous renseigner sur ces questions d'orientation")
    assert len(message["buttons"]) == 8
    assert message["buttons"][0]["payload"] == '/ask_orientation{"orientation": "bourses"}'


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
