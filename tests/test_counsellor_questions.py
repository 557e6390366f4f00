"""Questions counsellors ask across campuses: two campuses side by side, the campuses that
have a CFA (or a lycée…) among their members, several statuses at once, and every campus or
sector offered as a button."""

from __future__ import annotations

import pytest

import actions.base
from actions.campus_info import ActionCampusDetails
from actions.compare import ActionCompareCampuses
from actions.guided_search import ActionAskFormSector
from actions.search import ActionListCampuses, ActionSearchCampus
from tests.test_actions import run, slot, tracker


@pytest.fixture(autouse=True)
def knowledge_base(sqlite_kb, monkeypatch):
    monkeypatch.setattr(actions.base, "_knowledge_base", sqlite_kb)
    return sqlite_kb


def test_two_campuses_side_by_side():
    [message], events = run(ActionCompareCampuses(), tracker(
        "compare le campus santé et le campus tourisme", intent="compare_campuses",
        entities=[("sector", "santé"), ("sector", "tourisme")]))
    lines = [line.rstrip() for line in message["text"].splitlines()]
    assert lines[0] == "Santé, autonomie et bien vieillir / Tourisme Paris-Val d'Europe :"
    assert "• Lieu : Vitry-sur-Seine (94) / département 77" in lines
    assert "• Label : campus labellisé, date du label inconnue / campus labellisé, label en mai 2016" in lines
    assert any(line.startswith("• Tête de réseau : non précisée / Cluster Tourisme Paris-Val d'Europe")
               for line in lines)
    assert any(line.startswith("• Membres cités : 1 université, 5 lycées") for line in lines)
    assert [b["payload"] for b in message["buttons"]] == [
        '/ask_campus_details{"campus": "sante-bien-vieillir"}', '/ask_campus_details{"campus": "tourisme-val-europe"}']
    assert slot(events, "last_results") == ["sante-bien-vieillir", "tourisme-val-europe"]


def test_a_sector_followed_by_its_place_names_the_campus_of_that_place():
    text = "c koi la diff entre le hub aéroportuaire et le campus aéronautique de meaux"
    spans = [("campus", "hub aéroportuaire"), ("sector", "aéronautique"), ("place", "meaux")]
    entities = [{"entity": kind, "value": value, "start": text.index(value), "end": text.index(value) + len(value)}
                for kind, value in spans]
    compared = tracker(text, intent="compare_campuses")
    compared.latest_message["entities"] = entities  # with their spans, as the NLU gives them
    [message], _ = run(ActionCompareCampuses(), compared)
    assert message["text"].startswith("Hub aéroportuaire Grand Roissy-Le Bourget / Aéronautique Pays de Meaux :")


def test_this_campus_compared_with_another_uses_the_campus_in_focus_first():
    [message], _ = run(ActionCompareCampuses(), tracker(
        "compare ce campus avec le campus design", intent="compare_campuses", entities=[("sector", "design")],
        slots={"campus": "creation-numerique"}))
    assert message["text"].startswith("Création numérique / Mode, Métiers d'Art & Design :")


def test_a_comparison_without_two_campuses_asks_which_ones():
    [message], _ = run(ActionCompareCampuses(), tracker("je voudrais comparer deux campus", intent="compare_campuses"))
    assert message["text"].startswith("Quels deux campus voulez-vous comparer ?")
    assert len(message["buttons"]) == 12


def test_the_campuses_with_a_cfa_among_their_members_are_listed_whatever_the_focus():
    [message], events = run(ActionCampusDetails(), tracker(
        "quels campus ont un CFA parmi leurs membres ?", intent="ask_campus_members",
        entities=[("member_type", "CFA")], slots={"campus": "creation-numerique"}))
    assert [line.rstrip() for line in message["text"].splitlines()] == [
        "Campus dont mes sources citent des CFA parmi les membres :",
        "• Versailles Patrimoine et Artisanat (campus d'excellence, Versailles, 78) : CFA de la Chambre de "
        "métiers et de l'artisanat des Yvelines (CMA Formation Versailles)"]
    assert slot(events, "last_results") == ["versailles-patrimoine"]


def test_the_members_of_one_type_of_a_named_campus_are_still_that_campus_s():
    [message], _ = run(ActionCampusDetails(), tracker(
        "les lycées du campus santé", intent="ask_campus_members",
        entities=[("member_type", "lycées"), ("sector", "santé")]))
    assert message["text"].startswith("Lycées du campus Santé, autonomie et bien vieillir cités par mes sources :")


def test_several_statuses_in_one_question_are_all_kept():
    [message], _ = run(ActionListCampuses(), tracker(
        "les campus labellisés et d'excellence", intent="list_campuses",
        entities=[("status", "labellisés"), ("status", "excellence")]))
    assert message["text"].startswith("10 campus correspondent (campus labellisés et campus d'excellence)")
    assert "projet" not in message["text"]


def test_every_sector_of_the_campuses_is_offered_in_the_guided_search():
    [message], _ = run(ActionAskFormSector(), tracker("", intent="start_guided_search"))
    titles = [b["title"] for b in message["buttons"]]
    assert "Santé, autonomie et bien vieillir" in titles and len(titles) == 13
    assert all(b["payload"].startswith("/search_campus{") for b in message["buttons"])


def test_two_campuses_named_by_their_sectors_with_vs_are_compared_not_searched():
    [message], _ = run(ActionSearchCampus(), tracker("campus sécurité vs campus santé", intent="search_campus",
                                                     entities=[("sector", "sécurité"), ("sector", "santé")]))
    assert message["text"].startswith("Métiers de la sécurité / Santé, autonomie et bien vieillir :")


def test_the_difference_between_two_diplomas_asked_as_a_comparison_explains_their_levels():
    [message], _ = run(ActionCompareCampuses(), tracker("c koi la diff entre un cap et un bac pro",
                                                        intent="compare_campuses",
                                                        entities=[("level", "cap"), ("level", "bac pro")]))
    assert message["text"].startswith("« CAP » correspond au niveau 3.")
    assert "« Bac pro » correspond au niveau 4." in message["text"]


def test_two_campuses_are_compared_in_the_order_the_question_names_them():
    text = "Quelles différences entre le campus de Versailles et celui des Gobelins ?"
    compared = tracker(text, intent="compare_campuses")
    compared.latest_message["entities"] = [  # a place first, then a campus name, with their spans
        {"entity": "place", "value": "Versailles", "start": text.index("Versailles"), "end": 42},
        {"entity": "campus", "value": "Gobelins", "start": text.index("Gobelins"), "end": len(text) - 2}]
    [message], _ = run(ActionCompareCampuses(), compared)
    assert message["text"].startswith("Versailles Patrimoine et Artisanat / Mode, Métiers d'Art & Design :")
