"""Questions whose meaning depends on how they are put or on what came before: « et après le
CAP ? » after a training, « qui en fait partie ? », « le label du campus tourisme », a school's
trainings asked as a campus question, a town or a member type in a sentence the NLU did not
classify, a job named as an interest."""

from __future__ import annotations

import pytest

import actions.base
from actions.campus_info import ActionCampusDetails
from actions.facts import ActionAnswerFact
from actions.fallback import ActionSuggestRephrase
from actions.search import ActionSearchCampus
from tests.test_actions import run, tracker


@pytest.fixture(autouse=True)
def knowledge_base(sqlite_kb, monkeypatch):
    monkeypatch.setattr(actions.base, "_knowledge_base", sqlite_kb)
    return sqlite_kb


def test_after_the_cap_asked_as_a_new_search_gives_the_next_levels(sqlite_kb):
    cap = sqlite_kb.search(sector="aéronautique", level="CAP", place="Meaux").trainings[0]
    [message], _ = run(ActionSearchCampus(), tracker("et après le cap ?", intent="search_campus",
                                                     entities=[("level", "après le cap")],
                                                     slots={"last_trainings": [cap.id]}))
    assert message["text"].startswith(
        "Après le CAP aéronautique option avionique, le campus Aéronautique Pays de Meaux")


def test_who_belongs_to_it_and_its_label_are_about_the_campus_in_focus_or_named():
    [message], _ = run(ActionAnswerFact(), tracker("qui en fait partie ?", intent="fact_ecosystem",
                                                   slots={"campus": "tourisme-val-europe"}))
    assert "Disneyland Paris" in message["text"]
    [message], _ = run(ActionAnswerFact(), tracker("et le label du campus tourisme ?", intent="fact_label_rules",
                                                   entities=[("sector", "tourisme")]))
    assert "mai 2016" in message["text"]


def test_a_school_s_trainings_asked_as_a_campus_question():
    [message], _ = run(ActionCampusDetails(), tracker("quelles formations propose l'École Duperré ?",
                                                      intent="ask_campus_trainings",
                                                      entities=[("establishment", "École Duperré")]))
    assert "DSAA Mode et environnement" in message["text"]


def test_a_town_or_a_member_type_in_an_unclassified_sentence_is_still_answered():
    messages, _ = run(ActionSuggestRephrase(),
                      tracker("bonjour, nous habitons à Meaux, quels campus près de chez nous ?",
                                                       intent="nlu_fallback", entities=[("place", "Meaux")]))
    assert "Aéronautique Pays de Meaux" in messages[0]["text"]
    [message], _ = run(ActionSuggestRephrase(), tracker("quels campus ont un CFA parmi leurs membres ?",
                                                        intent="nlu_fallback", entities=[("member_type", "CFA")]))
    assert message["text"].startswith("Campus dont mes sources citent des CFA")


def test_a_job_named_as_an_interest_gets_the_training_first_and_a_taste_gets_suggestions():
    [message], _ = run(ActionSearchCampus(), tracker("je voudrais devenir monteuse vidéo", intent="tell_interest",
                                                     entities=[("sector", "monteuse vidéo")]))
    assert "option montage et post-production" in message["text"]
    [message], _ = run(ActionSearchCampus(), tracker("j'aime dessiner", intent="tell_interest",
                                                     entities=[("sector", "dessiner")]))
    assert message["text"].startswith("Avec ce que vous aimez")


def test_a_teenager_asking_for_aide_soignante_is_not_sent_to_a_course_for_nurses_in_post():
    [message], _ = run(ActionSearchCampus(), tracker("ma petite-fille veut devenir aide-soignante",
                                                     entities=[("sector", "aide-soignante")]))
    assert "Santé, autonomie et bien vieillir" in message["text"]
    assert "les soignants et la mort" not in message["text"]


def test_a_question_about_this_campus_names_no_campus_by_its_words(sqlite_kb):
    """« qui porte ce campus ? » must not find a campus through a training's job word (« poste »)."""
    assert sqlite_kb.find_campuses("qui porte ce campus ?") == []


def test_after_the_cap_typed_with_the_diploma_gives_the_next_levels(sqlite_kb):
    cap = sqlite_kb.search(sector="ébéniste", level="CAP").trainings[0]
    [message], _ = run(ActionSearchCampus(), tracker("et après le cap ?", intent="search_campus",
                                                     entities=[("level", "cap")], slots={"last_trainings": [cap.id]}))
    assert message["text"].startswith("Après le CAP ébéniste")


@pytest.mark.parametrize("text, expected", [
    ("qui fait partie de ce campus ?", "Membres et partenaires du campus Tourisme Paris-Val d'Europe"),
    ("il est où ce campus ?", "Le campus Tourisme Paris-Val d'Europe se trouve"),
])
def test_an_unclassified_question_about_this_campus_is_about_the_campus_in_focus(text, expected):
    [message], _ = run(ActionSuggestRephrase(), tracker(text, intent="nlu_fallback",
                                                        slots={"campus": "tourisme-val-europe"}))
    assert message["text"].startswith(expected)


def test_a_follow_up_naming_another_school_gives_that_school_s_trainings():
    [message], _ = run(ActionSearchCampus(), tracker("et l'école Estienne ?", intent="refine_search",
                                                     entities=[("establishment", "École Estienne")],
                                                     slots={"campus": "metiers-art-design", "sector": "design"}))
    assert message["text"].startswith("École Estienne")
    assert "BTS édition" in message["text"] and "DSAA Mode et environnement" not in message["text"]


def test_a_follow_up_naming_a_kind_of_member_is_about_the_campus_in_focus():
    [message], _ = run(ActionSearchCampus(), tracker("et les partenaires ?", intent="refine_search",
                                                     entities=[("member_type", "partenaires")],
                                                     slots={"campus": "sante-bien-vieillir"}))
    assert message["text"].startswith("Partenaires du campus Santé, autonomie et bien vieillir")
    assert "Croix-Rouge" in message["text"] and "Korian" in message["text"]


def test_which_campuses_have_a_kind_of_member_then_another_kind():
    [message], events = run(ActionAnswerFact(), tracker("quels campus ont un CFA parmi leurs membres ?",
                                                        intent="fact_ecosystem", entities=[("member_type", "CFA")]))
    assert message["text"].startswith("Campus dont mes sources citent des CFA")
    topic = next(e["value"] for e in events if e.get("name") == "topic")
    [message], _ = run(ActionSearchCampus(), tracker("et des entreprises ?", intent="refine_search",
                                                     entities=[("member_type", "entreprises")],
                                                     slots={"topic": topic, "campus": "versailles-patrimoine"}))
    assert message["text"].startswith("Campus dont mes sources citent des entreprises")
    assert "Disneyland Paris" in message["text"] and "Korian" in message["text"]


def test_a_follow_up_naming_a_lookalike_says_it_is_not_a_cmq():
    [message], _ = run(ActionSearchCampus(), tracker("et le campus de Bécheville ?", intent="refine_search",
                                                     entities=[("campus", "Bécheville")],
                                                     slots={"sector": "bâtiment", "place": "Vitry"}))
    assert "n'est pas un campus des métiers" in message["text"] and "Mureaux" in message["text"]


def test_apprenticeship_after_a_campus_s_trainings_is_about_that_campus():
    [message], _ = run(ActionSearchCampus(), tracker("et en apprentissage ?", intent="refine_search",
                                                     entities=[("apprenticeship", "apprentissage")],
                                                     slots={"campus": "industrie-futur",
                                                            "topic": "campus:industrie-futur"}))
    assert message["text"].startswith("En apprentissage, le campus Industrie du futur propose")
    assert "E3A" in message["text"] and "Mobilier national" not in message["text"]
    [message], _ = run(ActionSearchCampus(), tracker("et en apprentissage ?", intent="refine_search",
                                                     entities=[("apprenticeship", "apprentissage")],
                                                     slots={"campus": "tourisme-val-europe",
                                                            "topic": "campus:tourisme-val-europe"}))
    assert message["text"].startswith("Mes sources ne précisent pas quelles formations du campus Tourisme")


@pytest.mark.parametrize("text, levels, wanted", [
    ("je suis en BTS design graphique et je cherche un master en design", [("level", "BTS"), ("level", "master")],
     "Master"),
    ("après mon bac pro je voudrais faire un BTS", [("level", "bac pro"), ("level", "BTS")], "BTS"),
])
def test_the_diploma_a_user_has_is_not_the_one_searched(sqlite_kb, text, levels, wanted):
    from actions.understanding import criteria_from_message

    criteria = criteria_from_message(sqlite_kb, tracker(text, entities=levels))
    assert sqlite_kb.resolver.level(criteria.level).label == wanted


def test_after_a_diploma_alone_still_means_the_levels_above_it(sqlite_kb):
    assert sqlite_kb.resolver.level("et après le bac pro ?").levels == frozenset({5, 6, 7, 8})
    assert sqlite_kb.resolver.level("un CAP ou un bac pro").kinds == frozenset({"cap", "bac-pro"})
