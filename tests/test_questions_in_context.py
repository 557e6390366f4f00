"""Questions whose meaning depends on how they are put or on what came before: « et après le
CAP ? » after a training, « qui en fait partie ? », « le label du campus tourisme », a school's
trainings asked as a campus question, a town or a member type in a sentence the NLU did not
classify, a job named as an interest."""

from __future__ import annotations

import pytest

import actions.base
from actions.campus_info import ActionCampusDetails
from actions.compare import ActionCompareCampuses
from actions.establishments import ActionEstablishmentCampus
from actions.facts import ActionAnswerFact, ActionGiveSources
from actions.fallback import ActionSuggestRephrase
from actions.search import ActionListCampuses, ActionSearchCampus
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


def test_two_jobs_joined_by_or_asked_in_which_campus_are_a_search_not_a_campus_address():
    messages, _ = run(ActionCampusDetails(), tracker("kiné ou ergo, ça se prépare dans quel campus ?",
                                                     intent="ask_campus_location",
                                                     entities=[("sector", "kiné"), ("sector", "ergo")]))
    assert "se trouve à" not in messages[0]["text"]
    assert "Santé, autonomie et bien vieillir" in messages[0]["text"]


@pytest.mark.parametrize("text", ["c'est où le campus tourisme ?", "le campus tourisme il est ou",
                                  "ou se trouve le campus tourisme"])
def test_where_a_campus_is_asked_without_accent_is_still_its_place(text):
    messages, _ = run(ActionCampusDetails(), tracker(text, intent="ask_campus_location",
                                                     entities=[("sector", "tourisme")]))
    assert "Tourisme Paris-Val d'Europe" in messages[0]["text"] and "Seine-et-Marne" in messages[0]["text"]


def test_the_rank_of_a_diploma_read_as_a_campus_question_is_explained():
    messages, _ = run(ActionCampusDetails(), tracker("Le BUT, c'est quel niveau dans le cadre national ?",
                                                     intent="ask_campus_location", entities=[("level", "BUT")]))
    assert messages[0]["text"].startswith("« BUT » correspond au niveau 6.")


def test_a_search_read_as_a_comparison_is_that_search():
    messages, _ = run(ActionCompareCampuses(), tracker("Où préparer un doctorat en lien avec le paysage ?",
                                                       intent="compare_campuses",
                                                       entities=[("level", "doctorat"), ("sector", "paysage")]))
    assert "École nationale supérieure de paysage" in messages[0]["text"]


def test_two_campuses_with_vs_read_as_a_school_question_are_compared():
    text = "campus aero de meaux vs campus aero d'evry"
    asked = tracker(text, intent="ask_establishment_campus")
    asked.latest_message["entities"] = [
        {"entity": kind, "value": value, "start": start, "end": start + len(word)}
        for kind, value, word, start in [("sector", "aero", "aero", 7), ("place", "Meaux", "meaux", 15),
                                         ("sector", "aero", "aero", 31), ("place", "Évry", "evry", 38)]]
    messages, _ = run(ActionEstablishmentCampus(), asked)
    assert messages[0]["text"].startswith("Aéronautique Pays de Meaux / Aéronautique et spatial :")


def test_a_sector_named_with_a_status_in_a_list_question_narrows_the_list():
    text = "seulement les campus d'excellence alors, en gastronomie"
    asked = tracker(text, intent="list_campuses")
    asked.latest_message["entities"] = [
        {"entity": "status", "value": "excellence", "start": text.index("excellence"), "end": 38},
        {"entity": "sector", "value": "Gastronomie", "start": text.index("gastronomie"), "end": len(text)}]
    messages, _ = run(ActionListCampuses(), asked)
    assert messages[0]["text"].startswith("Un campus correspond (secteur Gastronomie, campus d'excellence)")


def test_what_the_excellence_mention_means_read_as_a_campus_label_question_is_its_fact():
    messages, _ = run(ActionCampusDetails(), tracker("Que signifie la mention « excellence » pour un campus ?",
                                                     intent="ask_campus_label", entities=[("status", "excellence")]))
    assert "cahier des charges national" in messages[0]["text"]


def test_where_a_job_is_learnt_read_as_a_campus_s_trainings_gives_the_trainings():
    messages, _ = run(ActionCampusDetails(), tracker("pompier ca s'apprend ou", intent="ask_campus_trainings",
                                                     entities=[("sector", "pompier")]))
    assert "Le bac pro métiers de la sécurité se prépare" in messages[0]["text"]


SHOWN = ["aeronautique-spatial", "aeronautique-meaux", "hub-aeroportuaire", "industrie-futur"]


@pytest.mark.parametrize("action, text, intent, picked", [
    (ActionListCampuses(), "ok go pour le 1er alors", "list_campuses", "Aéronautique et spatial"),
    (ActionSearchCampus(), "Le dernier de la liste, s'il vous plaît.", "tell_interest", "Industrie du futur"),
    (ActionSuggestRephrase(), "celui en 4 il a l'air bien", "nlu_fallback", "Industrie du futur"),
    (ActionGiveSources(), "Je voudrais des informations sur le dernier campus que vous avez cité.", "ask_sources",
     "Industrie du futur")])
def test_a_result_picked_by_its_rank_is_that_result_whatever_the_intent(action, text, intent, picked):
    messages, events = run(action, tracker(text, intent=intent, slots={"last_results": SHOWN}))
    assert messages[0]["text"].startswith(picked)


def test_a_result_picked_with_no_list_shown_asks_which_campus():
    messages, _ = run(ActionSearchCampus(), tracker("je veux voir le 2eme resultat", intent="tell_interest"))
    assert messages[0]["response"] == "utter_which_result"


def test_a_department_or_the_first_campus_created_is_no_pick():
    messages, _ = run(ActionSearchCampus(), tracker("un BTS dans le 93", entities=[("level", "BTS"), ("place", "93")],
                                                    slots={"last_results": SHOWN}))
    assert "Création numérique" in messages[0]["text"]
