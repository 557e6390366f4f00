"""Every sentence the assistant generates is correct French: dates with « le », plurals and
agreement without « (s) » or « (e) », one pair of parentheses at a time. The templates are
run over every campus, every establishment and a range of searches and facts."""

from __future__ import annotations

import datetime as dt
import re

import pytest

import actions.base
from actions.campus_info import ASPECT_OF_INTENT, ActionCampusDetails
from actions.establishments import ActionEstablishmentCampus
from actions.facts import ActionAnswerFact, ActionAnswerOrientation, ActionGiveSources
from actions.levels import ActionExplainLevel
from actions.replies import french_date, none_of, others_phrase
from actions.search import ActionListCampuses, ActionSearchCampus
from tests.test_actions import RESPONSES, run, tracker

MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
WRONG = {
    "an inclusive ending in parentheses": re.compile(r"\w\((?:s|e|es|x)\)"),
    "doubled parentheses": re.compile(r"\([^()]*\([^()]*\)[^()]*\)"),
    "« en » before a full date": re.compile(rf"\ben (?:1er|\d{{1,2}}) (?:{MONTHS})"),
    "a negative bac level": re.compile(r"bac-\d"),
    "a plural count with a singular noun":
        re.compile(r"\b(?:[2-9]|\d{2,}) (?:autre|formation|campus labellisé)\b(?!s)"),
    "a singular count with a plural noun": re.compile(r"\b1 (?:autres|formations)\b"),
}


@pytest.fixture(autouse=True)
def knowledge_base(sqlite_kb, monkeypatch):
    monkeypatch.setattr(actions.base, "_knowledge_base", sqlite_kb)
    return sqlite_kb


def _texts(action, tracker_) -> list[str]:
    messages, _ = run(action, tracker_)
    return [m["text"] for m in messages if m.get("text")]


def _generated(kb) -> list[str]:
    texts = []
    for campus in kb.all_campuses():
        for intent in ASPECT_OF_INTENT:
            texts += _texts(ActionCampusDetails(), tracker("", intent=intent, entities=[("campus", campus.key)]))
        texts += _texts(ActionCampusDetails(), tracker("ses filières ?", intent="ask_campus_trainings",
                                                       entities=[("campus", campus.key)]))
        texts += _texts(ActionGiveSources(), tracker("", intent="ask_sources", slots={"topic": f"campus:{campus.key}"}))
        for member_type in ("lycee", "universite", "ecole", "entreprise", "cfa", "association"):
            texts += _texts(ActionCampusDetails(), tracker("", intent="ask_campus_members",
                                                           entities=[("campus", campus.key),
                                                                     ("member_type", member_type)]))
    for establishment in ("Lycée Suger", "École Boulle", "UPEC", "Compagnons du devoir", "Mobilier national"):
        texts += _texts(ActionEstablishmentCampus(), tracker("", intent="ask_establishment_campus",
                                                              entities=[("establishment", establishment)]))
    for entities in ([("level", "doctorat")], [("level", "BTS")], [("sector", "design")],
                     [("sector", "ébéniste")], [("place", "93")], [("status", "excellence")],
                     [("sector", "cuisinier"), ("level", "CAP")], [("sector", "chauffeur routier")],
                     [("sector", "aéronautique"), ("level", "master"), ("place", "Paris")]):
        texts += _texts(ActionSearchCampus(), tracker("", entities=entities))
    texts += _texts(ActionListCampuses(), tracker("", intent="list_campuses"))
    for fact in kb.facts():
        texts += _texts(ActionAnswerFact(), tracker("", intent="fact_" + fact.key.replace("-", "_")))
    for fact in kb.orientation_facts():
        texts += _texts(ActionAnswerOrientation(), tracker("", intent="ask_orientation",
                                                           entities=[("orientation", fact.key)]))
    for level in ("CAP", "bac+2", "niveau 6", "doctorat"):
        texts += _texts(ActionExplainLevel(), tracker(level, intent="ask_level", entities=[("level", level)]))
    return texts


def test_the_templates_are_run_over_the_whole_data_without_failing(sqlite_kb):
    texts = _generated(sqlite_kb)
    assert len(texts) > 150
    assert RESPONSES["utter_apology"][0]["text"] not in texts


@pytest.mark.parametrize("mistake", sorted(WRONG))
def test_no_generated_sentence_makes_this_mistake(sqlite_kb, mistake):
    wrong = [text for text in _generated(sqlite_kb) if WRONG[mistake].search(text)]
    assert not wrong, f"{mistake}: {wrong[0][:300]}"


def test_the_phrasing_helpers():
    assert others_phrase(1) == " et 1 autre" and others_phrase(4) == " et 4 autres"
    assert none_of("lycée") == "aucun lycée" and none_of("école") == "aucune école"
    assert french_date("2020-02-06") == "6 février 2020" and french_date("2016-05") == "mai 2016"
    assert french_date(dt.date(2021, 1, 1).isoformat()) == "1er janvier 2021"
