"""The guided search can be left at any step: « annuler », a new question or an earlier button
stops the form and the new question is answered; an answer to the step goes on with it."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

import actions.base
from actions.guided_search import ValidateSearchForm
from actions.search import ActionSearchFromForm
from tests.test_actions import rendered, run


@pytest.fixture(autouse=True)
def knowledge_base(sqlite_kb, monkeypatch):
    monkeypatch.setattr(actions.base, "_knowledge_base", sqlite_kb)
    return sqlite_kb


def _in_form(text: str, intent: str, confidence: float = 0.95, requested: str = "form_level",
             entities: list[tuple[str, str]] = ()) -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": confidence},
               "entities": [{"entity": name, "value": value} for name, value in entities]}
    slots = {"requested_slot": requested, "form_sector": "la santé" if requested != "form_sector" else None}
    return Tracker("test-user", slots, message, [], False, None, {"name": "search_form"}, "action_listen")


def _validate(tracker: Tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ValidateSearchForm().run(dispatcher, tracker, {"forms": {"search_form": {}}}))
    return [rendered(message, tracker.slots) for message in dispatcher.messages], events


@pytest.mark.parametrize("text", ["annuler", "stop", "laisse tomber", "autre question"])
def test_annuler_stops_the_form_and_says_so(text):
    messages, events = _validate(_in_form(text, "out_of_scope", confidence=0.5))
    assert messages[0]["text"].startswith("D'accord, j'arrête la recherche guidée.")
    assert ActiveLoop(None) in events and SlotSet("requested_slot", None) in events
    assert SlotSet("form_sector", None) in events


def test_a_new_question_in_the_form_is_answered_and_stops_the_form():
    messages, events = _validate(_in_form("c'est quoi parcoursup ?", "ask_orientation"))
    assert messages[0]["text"].startswith("Parcoursup est la plateforme nationale")
    assert ActiveLoop(None) in events


def test_a_question_after_autre_question_is_answered_and_stops_the_form():
    messages, events = _validate(_in_form("autre question : c'est quoi un campus d'excellence ?", "fact_excellence",
                                          requested="form_place"))
    assert messages[0]["text"].startswith("La catégorie « Campus d'excellence »")
    assert ActiveLoop(None) in events and SlotSet("form_sector", None) in events


def test_a_question_after_annuler_that_is_not_understood_still_leaves_the_form():
    messages, events = _validate(_in_form("annuler bla truc", "nlu_fallback", confidence=0.3))
    assert messages[0]["text"].startswith("D'accord, j'arrête la recherche guidée.")
    assert ActiveLoop(None) in events


def test_an_earlier_button_clicked_in_the_form_is_run():
    messages, events = _validate(_in_form('/ask_campus_details{"campus": "tourisme-val-europe"}',
                                          "ask_campus_details", confidence=1.0))
    assert "Tourisme Paris-Val d'Europe" in messages[0]["text"]
    assert ActiveLoop(None) in events


def test_a_full_search_at_the_sector_step_is_answered_as_a_search():
    messages, events = _validate(_in_form("un BTS dans le 93", "search_campus", requested="form_sector",
                                          entities=[("level", "BTS"), ("place", "93")]))
    assert "BTS métiers de l'audiovisuel" in messages[0]["text"]
    assert ActiveLoop(None) in events


@pytest.mark.parametrize("text, intent, requested", [
    ("bac+2", "ask_level", "form_level"), ("dans le 94", "ask_campus_location", "form_place"),
    ("la santé", "search_campus", "form_sector"), ("peu importe", "ask_level", "form_level"),
])
def test_an_answer_to_the_step_goes_on_with_the_form(text, intent, requested):
    messages, events = _validate(_in_form(text, intent, requested=requested))
    assert ActiveLoop(None) not in events
    assert not any(m.get("text", "").startswith("D'accord, j'arrête") for m in messages)


def test_the_answer_of_a_form_left_early_searches_nothing():
    messages, events = run(ActionSearchFromForm(), Tracker("u", {"form_sector": None}, {"text": ""}, [], False,
                                                           None, {}, "search_form"))
    assert (messages, events) == ([], [])
