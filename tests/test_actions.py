"""Each custom action, run with a rasa_sdk Tracker and CollectingDispatcher as Rasa would."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

import actions.base
from actions.campus_info import ActionCampusDetails, ActionChooseResult
from actions.establishments import ActionEstablishmentCampus
from actions.facts import ActionAnswerFact, ActionGiveSources, ActionHandoff
from actions.fallback import ActionSuggestRephrase
from actions.guided_search import ValidateSearchForm
from actions.levels import ActionExplainLevel
from actions.search import ActionListCampuses, ActionSearchCampus, ActionSearchFromForm
from knowledge.settings import DEFAULT_DATA_DIR, PROJECT_ROOT
from knowledge.validation import load_dataset


@pytest.fixture(autouse=True)
def knowledge_base(sqlite_kb, monkeypatch):
    monkeypatch.setattr(actions.base, "_knowledge_base", sqlite_kb)
    return sqlite_kb


def tracker(text: str = "", intent: str = "search_campus", entities: list[tuple[str, str]] = (),
            slots: dict | None = None, **latest) -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": 0.95},
               "entities": [{"entity": name, "value": value} for name, value in entities], **latest}
    return Tracker("test-user", slots or {}, message, [], False, None, {}, "action_listen")


RESPONSES = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
NLG = TemplatedNaturalLanguageGenerator(RESPONSES)  # Rasa's own response generator


def rendered(message: dict, slots: dict | None = None) -> dict:
    """A message as Rasa sends it: the domain response an action names, filled in by Rasa's
    response generator with the slots and the values the action gave, then the action's buttons
    after the response's own (as Rasa's RemoteAction does)."""
    name = message.get("response")
    if not name:
        return message
    values = {key: value for key, value in message.items() if key not in ("response", "buttons")}
    draft = NLG.generate_from_slots(name, slots or {}, "rest", **values)
    return {**message, "text": draft["text"], "buttons": (draft.get("buttons") or []) + (message.get("buttons") or [])}


def run(action, tracker_, domain=None):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker_, domain or {})
    return [rendered(message, tracker_.slots) for message in dispatcher.messages], events


def slot(events, name):
    return next(e["value"] for e in events if e.get("event") == "slot" and e["name"] == name)


def test_search_by_sector_lists_campuses_with_buttons_and_remembers_them():
    messages, events = run(ActionSearchCampus(), tracker("moi j'kiffe les avions", entities=[("sector", "avions")]))
    [message] = messages
    assert "Aéronautique et spatial" in message["text"] and "Aéronautique Pays de Meaux" in message["text"]
    assert message["buttons"][0]["payload"] == '/ask_campus_details{"campus": "aeronautique-spatial"}'
    assert slot(events, "last_results") == ["aeronautique-spatial", "aeronautique-meaux"]
    assert slot(events, "campus") == "aeronautique-spatial"


def test_after_a_diploma_named_with_its_specialty_searches_the_levels_above_it():
    messages, _ = run(ActionSearchCampus(), tracker("et apres un cap ebeniste on peut faire quoi",
                                                    entities=[("level", "cap"), ("sector", "ebeniste")]))
    assert "niveau après le CAP" in messages[0]["text"] and "BMA ébéniste" in messages[0]["text"]
    assert "1. CAP ébéniste" not in messages[0]["text"]


def test_search_reads_the_raw_text_when_nlu_extracted_nothing():
    messages, _ = run(ActionSearchCampus(), tracker("un bts dans le 93 svp"))
    lines = messages[0]["text"].splitlines()
    assert lines[0].startswith("5 formations correspondent (niveau BTS, lieu Seine-Saint-Denis, 93)")
    assert lines[1].startswith("1. BTS métiers de l'audiovisuel, option gestion de production — Lycée Suger "
                               "(Saint-Denis), campus Création numérique")


def test_a_job_and_a_diploma_answer_with_the_training_its_place_and_its_campus():
    messages, events = run(ActionSearchCampus(), tracker("où faire un CAP ébéniste ?"))
    [message] = messages
    lines = message["text"].splitlines()
    assert lines[0] == "2 formations correspondent (secteur Patrimoine bâti et artisanat d'excellence, niveau CAP) :"
    assert lines[1].startswith("1. CAP ébéniste — École Boulle (Paris 12e), campus Mode, Métiers d'Art & Design")
    assert lines[2].startswith("2. CAP ébéniste — Lycée Adrienne-Bolland (Poissy), campus Versailles Patrimoine")
    assert "Source :" in message["text"]
    titles = [b["title"] for b in message["buttons"]]
    assert titles[:3] == ["Le campus Mode, Métiers d'Art & Design", "Le campus Versailles Patrimoine et Artisanat",
                          "Et après ?"]
    assert slot(events, "topic").startswith("training:")


def test_after_a_training_the_next_levels_of_its_campus_follow():
    _, events = run(ActionSearchCampus(), tracker("où faire un CAP ébéniste ?"))
    shown = {"last_trainings": slot(events, "last_trainings"), "sector": slot(events, "sector"),
             "level": slot(events, "level")}
    messages, _ = run(ActionSearchCampus(), tracker("et après ?", intent="refine_search", slots=shown))
    text = messages[0]["text"]
    assert text.startswith("Après le CAP ébéniste, le campus Versailles Patrimoine et Artisanat propose :")
    assert "Le BMA ébéniste se prépare au lycée Adrienne-Bolland" in text  # the same specialty, one level up
    assert "CAP" not in text.split("\n", 1)[1].split("Mes données")[0]


def test_a_specialty_missing_at_the_level_asked_is_offered_at_another_level():
    messages, _ = run(ActionSearchCampus(), tracker("un CAP monteur vidéo"))
    text = messages[0]["text"]
    assert text.startswith("Mes sources ne citent pas cette formation au niveau demandé (CAP) ; elles la citent à un "
                           "autre niveau :")
    assert "BTS métiers de l'audiovisuel, option montage et post-production" in text


def test_apprenticeship_unknown_is_said_and_the_known_trainings_shown():
    shown = {"sector": "monteur", "level": None, "place": None, "status": None, "last_trainings": []}
    messages, events = run(ActionSearchCampus(), tracker("et en alternance ?", intent="refine_search", slots=shown))
    assert messages[0]["text"].startswith("Mes sources ne disent pas si ces formations se préparent en apprentissage")
    assert "En apprentissage ?" not in [b["title"] for b in messages[0]["buttons"]]  # just asked
    assert "option montage et post-production" in messages[0]["text"]


def test_apprenticeship_unknown_for_a_job_without_known_trainings_still_shows_its_campuses():
    messages, _ = run(ActionSearchCampus(), tracker("ya des formations en alternance pour etre mecanicien avion ?",
                                                    entities=[("sector", "mécanicien avion")]))
    assert messages[0]["text"].startswith("2 campus correspondent (secteur Aéronautique et spatial), "
                                          "mais mes sources ne disent pas quelles formations s'y préparent en "
                                          "apprentissage : leurs établissements vous le diront.")
    assert "Aéronautique et spatial (campus labellisé" in messages[0]["text"] and len(messages[0]["buttons"]) == 2


@pytest.mark.parametrize("text, intent", [("les formations ?", "search_campus"),
                                          ("et les formations ?", "refine_search")])
def test_asking_the_trainings_right_after_campuses_were_shown_answers_for_the_first(text, intent):
    shown = {"sector": "santé", "topic": "campus:sante-bien-vieillir", "campus": "sante-bien-vieillir",
             "last_results": ["sante-bien-vieillir"]}
    messages, _ = run(ActionSearchCampus(), tracker(text, intent=intent, slots=shown))
    assert "Santé, autonomie et bien vieillir" in messages[0]["text"]
    assert "Licence sciences pour la santé" in messages[0]["text"] and "12 campus" not in messages[0]["text"]


def test_the_apprenticeship_trainings_of_a_campus_named_in_the_question_are_those_in_apprenticeship():
    messages, _ = run(ActionSearchCampus(), tracker("quelles formations en apprentissage au campus versailles ?",
                                                    entities=[("place", "versailles"), ("apprenticeship", "oui")]))
    text = messages[0]["text"]
    assert text.startswith("En apprentissage, le campus Versailles Patrimoine et Artisanat propose :")
    assert "CAP tailleur de pierre — Les Compagnons du devoir" in text and "Doctorat" not in text


def test_the_difference_between_two_diplomas_explains_both_levels_even_when_the_nlu_is_unsure():
    messages, _ = run(ActionSuggestRephrase(), tracker("quelle est la différence entre un CAP et un bac pro ?",
                                                        intent="nlu_fallback",
                                                        entities=[("level", "CAP"), ("level", "bac pro")]))
    lines = messages[0]["text"].split("\n")
    assert [line.rstrip() for line in lines[:2]] == ["« CAP » correspond au niveau 3.",
                                                      "« Bac pro » correspond au niveau 4."]
    assert [b["title"] for b in messages[0]["buttons"]] == ["Les campus : CAP", "Les campus : Bac pro"]


def test_what_a_campus_named_by_its_sector_trains_for_is_its_trainings():
    messages, _ = run(ActionSearchCampus(), tracker("le campus hub aéroportuaire forme à quoi",
                                                    entities=[("sector", "hub aéroportuaire")]))
    assert "Hub aéroportuaire Grand Roissy-Le Bourget" in messages[0]["text"]
    assert "formations citées par mes sources" in messages[0]["text"]
    assert "campus correspondent" not in messages[0]["text"]


@pytest.mark.parametrize("text", ["ok et en bts ?", "d'accord, et en bts ?"])
def test_a_short_message_starting_with_et_narrows_the_last_search_whatever_its_intent(text):
    shown = {"sector": "aéroport", "level": None, "place": None, "status": None}
    messages, _ = run(ActionSearchCampus(), tracker(text, intent="search_campus", entities=[("level", "BTS")],
                                                    slots=shown))
    assert "secteur Métiers de l'aéroport et échanges internationaux, niveau BTS" in messages[0]["text"]


@pytest.mark.parametrize("text", ["c koi les campus", "c'est quoi un cmq au juste", "un campus ça veut dire quoi",
                                  "cmq ça signifie quoi ?"])
def test_what_a_campus_is_is_answered_even_when_the_nlu_is_unsure(text):
    messages, _ = run(ActionSuggestRephrase(), tracker(text, intent="nlu_fallback"))
    assert messages[0]["text"].startswith("Un campus des métiers et des qualifications (CMQ) est un réseau")


def test_a_follow_up_keeps_the_previous_criteria_it_does_not_change():
    previous = {"level": "BTS", "place": "93", "sector": None, "status": None}
    messages, events = run(ActionSearchCampus(), tracker("et en master ?", intent="refine_search",
                                                         entities=[("level", "master")], slots=previous))
    assert "niveau Master, lieu Seine-Saint-Denis, 93" in messages[0]["text"]
    assert slot(events, "place") == "93" and slot(events, "level") == "master"


def test_a_new_search_forgets_the_previous_criteria():
    previous = {"level": "BTS", "place": "93"}
    messages, events = run(ActionSearchCampus(), tracker("campus santé", entities=[("sector", "santé")],
                                                         slots=previous))
    assert "Santé, autonomie et bien vieillir" in messages[0]["text"]
    assert slot(events, "place") is None


def test_an_empty_search_says_what_blocks_and_offers_to_relax_it():
    messages, _ = run(ActionSearchCampus(), tracker("santé à Versailles",
                                                    entities=[("sector", "santé"), ("place", "Versailles")]))
    [message] = messages
    assert "Aucun campus" in message["text"] and "le lieu qui bloque" in message["text"]
    payloads = [b["payload"] for b in message["buttons"]]
    assert '/search_campus{"sector": "santé"}' in payloads


def test_a_job_of_a_campus_outside_its_sector_names_the_training():
    messages, _ = run(ActionSearchCampus(), tracker("je veux être maçon", entities=[("sector", "maçon")]))
    assert messages[0]["text"].startswith("Le CAP maçon se prépare chez les Compagnons du devoir, partenaire du "
                                          "campus Versailles Patrimoine et Artisanat (niveau 3, CAP")


def test_a_sector_with_a_campus_names_the_campus_not_its_look_alike():
    messages, _ = run(ActionSearchCampus(), tracker("je veux faire de la maçonnerie",
                                                    entities=[("sector", "maçonnerie")]))
    text = messages[0]["text"]
    assert "Transition numérique et écologique dans la construction" in text and "Éco-campus" not in text


def test_where_is_a_training_answers_with_the_training_not_a_campus():
    messages, _ = run(ActionCampusDetails(), tracker("le dn made objet c'est où ?", intent="ask_campus_location"))
    assert "DN MADE mention objet" in messages[0]["text"] and "École Boulle" in messages[0]["text"]


def test_where_to_study_a_job_answers_with_its_trainings_not_a_campus_place():
    messages, _ = run(ActionCampusDetails(), tracker("études de sage-femme c'est où ?", intent="ask_campus_location",
                                                     entities=[("sector", "sage-femme")]))
    assert messages[0]["text"].startswith("La licence option accès santé (L.AS) se prépare à l'Université Paris-Est")
    messages, _ = run(ActionCampusDetails(), tracker("le campus sage-femme c'est où ?", intent="ask_campus_location",
                                                     entities=[("sector", "sage-femme")]))
    assert "se trouve à Vitry-sur-Seine" in messages[0]["text"]  # « campus » asks for the campus


def test_where_is_a_campus_still_answers_the_campus():
    messages, _ = run(ActionCampusDetails(), tracker("le campus création numérique c'est où ?",
                                                     intent="ask_campus_location",
                                                     entities=[("campus", "création numérique")]))
    assert messages[0]["text"].startswith("Le campus Création numérique se trouve à Saint-Denis (93)")


@pytest.mark.parametrize("text, entity", [("je suis en 3e je veux faire mécanique avion", ("place", "3")),
                                          ("slt jcherche 1 formation en aéronautique", ("level", "1"))])
def test_a_bare_number_taken_for_a_criterion_is_ignored(text, entity):
    messages, _ = run(ActionSearchCampus(), tracker(text, entities=[entity]))
    assert "Je ne reconnais pas" not in messages[0]["text"]
    assert "Aéronautique et spatial" in messages[0]["text"]


@pytest.mark.parametrize("text, entities", [
    ("quel diplome pour devenir aide-soignante ?", [("level", "diplome"), ("sector", "aide-soignante")]),
    ("quelle formation pour etre aide soignante", [("level", "formation")])])
def test_a_word_naming_the_topic_of_the_question_is_not_an_unknown_criterion(text, entities):
    messages, _ = run(ActionSearchCampus(), tracker(text, entities=entities))
    assert "Je ne reconnais pas" not in messages[0]["text"]
    assert "Santé, autonomie et bien vieillir" in messages[0]["text"]


def test_an_introduction_before_a_question_does_not_narrow_it():
    text = "Je suis psyEN dans un lycée du 91. Quels sont les membres du campus aéronautique et spatial ?"
    introduced = tracker(text, intent="ask_campus_members", entities=[("campus", "aeronautique-spatial")])
    introduced.latest_message["entities"].append({"entity": "member_type", "value": "lycée", "start": 22, "end": 27})
    messages, _ = run(ActionCampusDetails(), introduced)
    assert messages[0]["text"].startswith("Membres et partenaires du campus Aéronautique et spatial")
    assert "Université d'Évry" in messages[0]["text"]


def test_asking_where_after_trainings_names_their_establishments():
    _, events = run(ActionSearchCampus(), tracker("je veux faire un CAP ebeniste",
                                                  entities=[("level", "CAP"), ("sector", "ebeniste")]))
    shown = slot(events, "last_trainings")
    messages, _ = run(ActionEstablishmentCampus(), tracker("c'est dans quel lycée ?", intent="ask_establishment_campus",
                                                           entities=[("establishment", "lycée")],
                                                           slots={"last_trainings": shown}))
    assert messages[0]["text"].splitlines()[1:] == [
        "• École Boulle (Paris 12e), campus Mode, Métiers d'Art & Design : CAP ébéniste  ",
        "• Lycée Adrienne-Bolland (Poissy), campus Versailles Patrimoine et Artisanat : CAP ébéniste"]
    assert [b["title"] for b in messages[0]["buttons"]] == ["Autres formations : École Boulle",
                                                            "Autres formations : Lycée Adrienne-Bolland"]


def test_a_verb_that_is_also_a_job_does_not_change_the_campus_in_focus():
    messages, _ = run(ActionCampusDetails(), tracker("qui le pilote ?", intent="ask_campus_lead",
                                                     entities=[("sector", "pilote")],
                                                     slots={"campus": "aeronautique-meaux"}))
    assert "Aéronautique Pays de Meaux" in messages[0]["text"]
    assert "Université d'Évry" not in messages[0]["text"]


def test_an_unknown_place_is_still_said():
    messages, _ = run(ActionSearchCampus(), tracker("santé à Lyon", entities=[("sector", "santé"), ("place", "Lyon")]))
    assert messages[0]["text"].startswith("Je ne reconnais pas le lieu « Lyon »")


def test_a_look_alike_is_said_not_to_be_a_cmq():
    messages, events = run(ActionCampusDetails(), tracker("c'est quoi le campus de Bécheville ?",
                                                          intent="ask_campus_details"))
    assert messages[0]["text"].startswith("« Campus de Bécheville » n'est pas un campus des métiers et des "
                                          "qualifications : c'est un campus de formation")
    assert "Source : La Gazette en Yvelines" in messages[0]["text"]
    assert slot(events, "topic") == "not_cmq:campus-becheville"


@pytest.mark.parametrize("text, entities, name", [
    ("c'est quoi la Cité des métiers du Grand Roissy-Le Bourget ?", [("campus", "Grand Roissy-Le Bourget")],
     "Cité des métiers du Grand Roissy-Le Bourget"),
    ("parlez-moi du Campus des services de l'automobile et de la mobilité", [],
     "Campus des services de l'automobile et de la mobilité")])
def test_a_look_alike_named_in_full_is_not_taken_for_a_campus(text, entities, name):
    messages, _ = run(ActionCampusDetails(), tracker(text, intent="ask_campus_details", entities=entities))
    assert messages[0]["text"].startswith(f"« {name} » n'est pas un campus des métiers et des qualifications")


def test_a_sector_whose_only_campus_is_a_look_alike_says_so():
    messages, _ = run(ActionSearchCampus(), tracker("y a des campus sur l'intelligence artificielle ?",
                                                    entities=[("sector", "intelligence artificielle")]))
    text = messages[0]["text"]
    assert "Ce secteur n'a pas de campus dans mes données" in text
    assert "« Campus de l'intelligence artificielle (cité scolaire Paul-Valéry) » n'est pas un campus" in text


def test_an_unknown_sector_lists_the_known_ones():
    messages, _ = run(ActionSearchCampus(), tracker("astrologie", entities=[("sector", "astrologie")]))
    assert "Je ne connais pas de secteur" in messages[0]["text"] and messages[0]["buttons"]


def test_an_interest_is_answered_as_a_suggestion():
    messages, _ = run(ActionSearchCampus(), tracker("j'aime dessiner", intent="tell_interest",
                                                    entities=[("sector", "dessiner")]))
    assert messages[0]["text"].startswith("Avec ce que vous aimez")
    assert "Mode, Métiers d'Art & Design" in messages[0]["text"]


def test_list_all_campuses_says_the_list_may_be_incomplete():
    messages, events = run(ActionListCampuses(), tracker("liste des campus", intent="list_campuses"))
    assert "12 campus et projets" in messages[0]["text"] and "peut-être pas complète" in messages[0]["text"]
    assert len(slot(events, "last_results")) == 12


def test_a_list_of_one_campus_members_is_that_campus_answer():
    messages, _ = run(ActionListCampuses(), tracker("les lycées du campus santé c'est lesquels ?",
                                                    intent="list_campuses",
                                                    entities=[("member_type", "lycee"), ("sector", "santé")]))
    assert "Lycée Darius-Milhaud" in messages[0]["text"] and "12 campus et projets" not in messages[0]["text"]


def test_list_campuses_of_excellence():
    messages, _ = run(ActionListCampuses(), tracker("les campus d'excellence", intent="list_campuses",
                                                    entities=[("status", "excellence")]))
    assert messages[0]["text"].startswith("4 campus correspondent")


@pytest.mark.parametrize("text", ["les campus labellisés et d'excellence ?", "quels campus sont d'excellence ?",
                                  "montre moi les campus d'excellence"])
def test_a_question_on_a_status_that_asks_for_campuses_lists_them(text):
    statuses = [("status", "excellence")] + ([("status", "labellise")] if "labellisés" in text else [])
    messages, _ = run(ActionAnswerFact(), tracker(text, intent="fact_excellence", entities=statuses))
    lines = messages[0]["text"].split("\n")
    assert "campus correspondent" in lines[0] and "Industrie du futur (campus d'excellence" in lines[1]
    assert ("Aéronautique et spatial (campus labellisé" in messages[0]["text"]) == ("labellisés" in text)


@pytest.mark.parametrize("text", ["c'est quoi un campus d'excellence ?",
                                  "c quoi la diff entre campus labellisé et excellence"])
def test_what_a_campus_of_excellence_is_stays_the_definition(text):
    messages, _ = run(ActionAnswerFact(), tracker(text, intent="fact_excellence",
                                                  entities=[("status", "excellence"), ("status", "labellise")]))
    assert messages[0]["text"].startswith("La catégorie « Campus d'excellence »")


@pytest.mark.parametrize("text, statuses", [("Que signifie la mention « excellence » pour un campus ?", ["excellence"]),
                                            ("campus d'excellence vs campus labellisé c quoi la diff",
                                             ["excellence", "labellise"])])
def test_what_a_status_means_is_its_fact_even_when_the_nlu_is_unsure(text, statuses):
    messages, _ = run(ActionSuggestRephrase(), tracker(text, intent="nlu_fallback",
                                                        entities=[("status", status) for status in statuses]))
    assert messages[0]["text"].startswith("La catégorie « Campus d'excellence »")


def test_what_the_label_means_is_its_rules_even_when_the_nlu_is_unsure():
    messages, _ = run(ActionSuggestRephrase(), tracker("c'est quoi ce truc de label", intent="nlu_fallback"))
    assert messages[0]["text"].startswith("Depuis le décret du 16 septembre 2019, le label est accordé")


@pytest.mark.parametrize("text, intent", [("un bts ca vaut combien d'annees d'etudes", "fact_label_rules"),
                                          ("un bts c bac+ combien", "fact_counts")])
def test_the_rank_of_a_diploma_is_explained_whatever_fact_the_nlu_read(text, intent):
    messages, _ = run(ActionAnswerFact(), tracker(text, intent=intent, entities=[("level", "BTS")]))
    assert messages[0]["text"].startswith("« BTS » correspond au niveau 5.")


@pytest.mark.parametrize("action, text, intent", [
    (ActionSuggestRephrase(), "on fait la recherche pas a pas", "nlu_fallback"),
    (ActionSearchCampus(), "Guidez-moi étape par étape, s'il vous plaît.", "tell_interest")])
def test_asking_to_be_guided_step_by_step_starts_the_guided_search(action, text, intent):
    messages, events = run(action, tracker(text, intent=intent))
    assert messages == [] and events == [{"event": "followup", "timestamp": None, "name": "search_form"}]


@pytest.mark.parametrize("action, intent", [(ActionAnswerFact(), "fact_definition"),
                                            (ActionSuggestRephrase(), "nlu_fallback")])
def test_how_to_get_into_a_campus_is_answered_even_when_read_as_the_definition(action, intent):
    messages, _ = run(action, tracker("bonjour je suis prof principal, comment mes élèves peuvent intégrer un campus ?",
                                      intent=intent))
    assert "Affelnet après la 3e, Parcoursup après le bac" in messages[0]["text"]


def test_a_place_told_as_an_interest_is_not_called_a_taste():
    messages, _ = run(ActionSearchCampus(), tracker("je suis a cergy y a quoi pres de chez moi", intent="tell_interest",
                                                    entities=[("place", "Cergy")]))
    assert "Avec ce que vous aimez" not in messages[0]["text"] and "Versailles Patrimoine" in messages[0]["text"]


def test_the_campus_named_by_its_sector_is_the_campus_of_that_sector_not_one_with_a_training_in_it():
    messages, _ = run(ActionSuggestRephrase(), tracker("quelles filières pour le campus sécurité ?",
                                                        intent="nlu_fallback", entities=[("sector", "sécurité")]))
    assert "Métiers de la sécurité" in messages[0]["text"] and "Meaux" not in messages[0]["text"]


@pytest.mark.parametrize("intent, expected", [
    ("ask_campus_details", "Santé, autonomie et bien vieillir — campus labellisé, Vitry-sur-Seine (94)."),
    ("ask_campus_location", "se trouve à Vitry-sur-Seine (94), dans l'académie de Créteil."),
    ("ask_campus_lead", "Mes sources n'indiquent pas l'établissement tête de réseau du campus Santé"),
    ("ask_campus_trainings", "10 formations citées par mes sources"),
    ("ask_campus_label", "la date du label n'est pas connue"),
])
def test_campus_questions_by_sector_word(intent, expected):
    messages, events = run(ActionCampusDetails(),
                           tracker("campus santé", intent=intent, entities=[("sector", "santé")]))
    assert expected in messages[0]["text"]
    sourced = "Sources vérifiées le 28 novembre 2026." if intent == "ask_campus_details" else "Source : Onisep"
    assert sourced in messages[0]["text"] and "http" not in messages[0]["text"]
    assert slot(events, "campus") == "sante-bien-vieillir"


def test_members_of_one_type():
    messages, _ = run(ActionCampusDetails(), tracker("quels lycées sont membres du campus santé ?",
                                                     intent="ask_campus_members",
                                                     entities=[("member_type", "lycee"), ("sector", "santé")]))
    text = messages[0]["text"]
    assert text.startswith("Lycées du campus Santé, autonomie et bien vieillir")
    assert text.count("• Lycée") == 5 and "Korian" not in text


def test_members_of_a_type_the_campus_lacks_say_so():
    messages, _ = run(ActionCampusDetails(), tracker("les lycées du campus aéronautique", intent="ask_campus_members",
                                                     entities=[("member_type", "lycee"), ("sector", "aéronautique")]))
    assert "Mes sources ne citent aucun lycée du campus Aéronautique et spatial" in messages[0]["text"]


def test_a_question_without_campus_uses_the_campus_in_focus():
    messages, _ = run(ActionCampusDetails(), tracker("où se trouve ce campus ?", intent="ask_campus_location",
                                                     slots={"campus": "metiers-art-design"}))
    assert "Paris 13e (75)" in messages[0]["text"]


def test_a_question_without_any_campus_asks_which_one():
    messages, _ = run(ActionCampusDetails(), tracker("il est où ?", intent="ask_campus_location"))
    assert messages[0]["text"] == "De quel campus parlez-vous ?"
    assert messages[0]["buttons"][0]["payload"].startswith("/ask_campus_location{")


def test_unsure_facts_are_worded_as_such():
    messages, _ = run(ActionCampusDetails(), tracker("campus aéronautique", intent="ask_campus_label",
                                                     entities=[("campus", "aeronautique-spatial")]))
    assert "label obtenu en 2018 (date à confirmer)" in messages[0]["text"]


@pytest.mark.parametrize("intent", ["fact_national_sectors", "ask_campus_trainings", "ask_campus_details"])
def test_the_streams_of_a_campus_are_its_own_not_the_national_sectors(intent):
    action = ActionAnswerFact() if intent.startswith("fact_") else ActionCampusDetails()
    messages, _ = run(action, tracker("c koi les filieres du campus creation numerique", intent=intent,
                                      entities=[("sector", "creation numerique")]))
    text = messages[0]["text"]
    assert text.startswith("Le campus Création numérique couvre ces filières : image et son, audiovisuel, "
                           "photographie (secteur Création numérique, image et son).")
    assert "12 secteurs nationaux" not in text
    assert "Les formations" in [b["title"] for b in messages[0]["buttons"]]


def test_a_campus_whose_sources_give_no_streams_says_so_and_names_its_sector():
    messages, _ = run(ActionCampusDetails(), tracker("quelles filières ?", intent="ask_campus_trainings",
                                                     entities=[("campus", "industrie-futur")]))
    assert messages[0]["text"].startswith("Mes sources ne détaillent pas les filières du campus Industrie du futur ; "
                                          "son secteur : Industrie du futur. Mes sources y citent 1 formation")


@pytest.mark.parametrize("text, intent, start", [
    ("ou je peux faire un bac +8", "ask_level", "10 campus correspondent (niveau bac+8)"),
    ("et jusqu'a bac+2 seulement ?", "fact_levels", "12 campus correspondent (niveau jusqu'au bac+2)"),
    ("ou je peux faire un bac +8", "nlu_fallback", "10 campus correspondent (niveau bac+8)"),
    ("et jusqu'a bac+2 seulement ?", "nlu_fallback", "12 campus correspondent (niveau jusqu'au bac+2)"),
    ("quelles formations sans le bac ?", "ask_level", "12 campus correspondent (niveau avant le bac)"),
    ("niveau master en design ?", "ask_level", "Le master stratégie du design"),
])
def test_a_level_question_that_looks_for_where_to_study_is_a_search(text, intent, start):
    answer = _level_answer(text, intent)
    assert answer.startswith(start) and "Versailles Patrimoine et Artisanat" in answer


@pytest.mark.parametrize("text, intent, start", [
    ("le CAP c'est quel niveau ?", "fact_levels", "« CAP » correspond au niveau 3."),
    ("bac+2 ca correspond a quoi", "ask_level", "Niveau 5 (bac+2"),
    ("on peut y préparer un cap ou un master ?", "fact_levels", "Un campus propose des parcours de formation du CAP"),
])
def test_a_question_on_what_a_level_means_is_still_explained(text, intent, start):
    assert _level_answer(text, intent).startswith(start)


def _level_answer(text: str, intent: str) -> str:
    """The answer to a level question understood as the levels fact, as a level question, or not understood."""
    action = ActionAnswerFact() if intent.startswith("fact_") else \
        ActionSuggestRephrase() if intent == "nlu_fallback" else ActionExplainLevel()
    messages, _ = run(action, tracker(text, intent=intent))
    return messages[0]["text"]


def test_asking_for_the_sectors_offers_every_sector_of_the_campuses_then_the_national_ones():
    messages, _ = run(ActionAnswerFact(), tracker("montre moi tous les secteurs", intent="fact_national_sectors"))
    text, titles = messages[0]["text"], [b["title"] for b in messages[0]["buttons"]]
    assert text.startswith("Les campus de mes données couvrent 13 secteurs, à choisir ci-dessous.")
    assert "Au niveau national : les campus sont classés en 12 secteurs nationaux" in text
    assert len(titles) == 13
    assert "Santé, autonomie et bien vieillir" in titles and "Bâtiment et travaux publics" in titles


def test_an_old_label_is_said_to_have_possibly_expired():
    messages, _ = run(ActionCampusDetails(), tracker("campus création numérique", intent="ask_campus_label",
                                                     entities=[("campus", "creation-numerique")]))
    text = messages[0]["text"]
    assert "label obtenu le 29 novembre 2013. Un label est accordé pour 4 ans : il a pu expirer" in text


def test_a_recent_label_is_not_said_to_have_expired():
    from actions.base import knowledge_base
    from actions.replies import label_phrase

    campus = knowledge_base().campus("metiers-art-design").summary
    assert label_phrase(campus, today=dt.date(2024, 1, 1)) == "Campus d'excellence, label obtenu le 6 février 2020."
    assert "il a pu expirer" in label_phrase(campus, today=dt.date(2026, 11, 29))


def test_a_label_expires_on_its_day_not_at_the_end_of_its_year():
    from actions.base import knowledge_base
    from actions.replies import label_phrase

    campus = knowledge_base().campus("securite").summary  # labelled on 2021-03-18, for 5 years
    assert campus.labelled_on == "2021-03-18"
    assert "il a pu expirer" not in label_phrase(campus, today=dt.date(2026, 3, 18))
    expired = label_phrase(campus, today=dt.date(2026, 3, 19))
    assert "Un label est accordé pour 5 ans au plus : il a pu expirer" in expired


def test_choosing_a_result_by_ordinal():
    results = {"last_results": ["aeronautique-spatial", "aeronautique-meaux"]}
    messages, events = run(ActionChooseResult(), tracker("le deuxième", intent="choose_result",
                                                         entities=[("ordinal", "2")], slots=results))
    assert messages[0]["text"].startswith("Aéronautique Pays de Meaux — projet de campus, Meaux (77).")
    messages, _ = run(ActionChooseResult(), tracker("le dernier", intent="choose_result", slots=results))
    assert "Pays de Meaux" in messages[0]["text"].splitlines()[0]


def test_choosing_without_a_previous_list_asks_for_a_name():
    messages, _ = run(ActionChooseResult(), tracker("le premier", intent="choose_result"))
    assert "pouvez-vous me donner son nom" in messages[0]["text"]


def test_establishment_campus():
    messages, events = run(ActionEstablishmentCampus(), tracker(
        "le lycée Darius-Milhaud est dans quel campus ?", intent="ask_establishment_campus",
        entities=[("establishment", "lycée Darius-Milhaud")]))
    assert messages[0]["text"] == ("Lycée Darius-Milhaud (Le Kremlin-Bicêtre) fait partie du campus : "
                                   "Santé, autonomie et bien vieillir (membre).")


def test_an_establishment_in_two_campuses():
    messages, _ = run(ActionEstablishmentCampus(), tracker("l'université d'evry", intent="ask_establishment_campus"))
    assert "fait partie de 2 campus" in messages[0]["text"]


def test_a_job_asked_as_if_it_were_a_school_is_searched():
    messages, _ = run(ActionEstablishmentCampus(), tracker("cariste ou magasinier, c'est quel campus ?",
                                                           intent="ask_establishment_campus",
                                                           entities=[("sector", "cariste"), ("sector", "magasinier")]))
    assert "Hub aéroportuaire Grand Roissy-Le Bourget" in messages[0]["text"]
    assert "Je ne trouve pas cet établissement" not in messages[0]["text"]


def test_an_unknown_establishment_is_not_claimed_absent_from_every_campus():
    messages, _ = run(ActionEstablishmentCampus(),
                      tracker("le lycée Jean-Imaginaire", intent="ask_establishment_campus"))
    assert "peut tout de même faire partie d'un campus" in messages[0]["text"]


@pytest.mark.parametrize("text, entity, expected", [
    ("un BTS c'est quel niveau ?", "BTS", "« BTS » correspond au niveau 5."),
    ("bac+2 ça correspond à quoi ?", "bac+2", "Niveau 5 (bac+2, ancien niveau III)"),
    ("c'est quoi le niveau 6", "niveau 6", "Niveau 6 (bac+3, ancien niveau II) : Licence"),
])
def test_explain_level(text, entity, expected):
    messages, _ = run(ActionExplainLevel(), tracker(text, intent="ask_level", entities=[("level", entity)]))
    assert expected in messages[0]["text"]


def test_explain_an_unknown_level_explains_the_scale():
    messages, _ = run(ActionExplainLevel(), tracker("c'est quoi les niveaux ?", intent="ask_level"))
    assert "8 niveaux" in messages[0]["text"]


@pytest.mark.parametrize("intent, expected", [
    ("fact_definition", "du CAP au doctorat"),
    ("fact_creation", "2013"),
    ("fact_region", "14 projets"),
    ("fact_label_rules", "5 ans au plus"),
])
def test_fact_intents_answer_from_the_knowledge_base_with_their_source(intent, expected):
    messages, events = run(ActionAnswerFact(), tracker("?", intent=intent))
    assert expected in messages[0]["text"] and "Source :" in messages[0]["text"]
    assert slot(events, "topic") == "fact:" + intent.removeprefix("fact_").replace("_", "-")


def test_sources_of_the_campus_in_focus_with_check_date():
    messages, _ = run(ActionGiveSources(), tracker("c'est quoi ta source ?", intent="ask_sources",
                                                   slots={"topic": "campus:sante-bien-vieillir"}))
    text = messages[0]["text"]
    assert text.startswith("Sources pour le campus Santé, autonomie et bien vieillir :")
    assert "https://documentation.onisep.fr/doc_num.php?explnum_id=48073 (vérifié le 28 novembre 2026)" in text


def test_sources_without_topic_give_the_data_check_date(knowledge_base):
    messages, _ = run(ActionGiveSources(), tracker("source ?", intent="ask_sources"))
    count = load_dataset(DEFAULT_DATA_DIR).counts()["source"]
    assert f"{count} sources publiques" in messages[0]["text"]
    assert "vérifiées entre le 28 novembre 2026 et le " in messages[0]["text"]  # agreed, and both ends of the checks
    assert len(messages[0]["buttons"]) == len(knowledge_base.all_campuses())
    assert messages[0]["buttons"][0]["payload"].startswith('/ask_sources{"campus": ')


def test_handoff_gives_human_contacts_and_the_campus_site():
    messages, _ = run(ActionHandoff(), tracker("un humain", intent="ask_human",
                                               slots={"campus": "metiers-art-design"}))
    assert "CIO" in messages[0]["text"] and "https://www.campusartdesign.com/" in messages[0]["text"]


def test_fallback_offers_the_likely_intents():
    ranking = [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "ask_level", "confidence": 0.3},
               {"name": "search_campus", "confidence": 0.2}]
    messages, _ = run(ActionSuggestRephrase(), tracker("hmm", intent="nlu_fallback", intent_ranking=ranking))
    assert [b["title"] for b in messages[0]["buttons"]] == [
        "Comprendre un niveau de diplôme", "Chercher un campus par secteur, niveau ou lieu"]


@pytest.mark.parametrize("text", ["comment on fait une crêpe", "raconte moi une histoire drôle",
                                  "tu connais la recette du tiramisu ?"])
def test_an_unsure_sentence_without_a_word_of_the_domain_gets_the_off_topic_answer(text):
    messages, _ = run(ActionSuggestRephrase(), tracker(text, intent="nlu_fallback"))
    assert messages[0]["response"] == "utter_out_of_scope"


@pytest.mark.parametrize("text", ["je comprends rien à mon orientation", "hmm ok"])
def test_an_unsure_message_about_the_domain_or_too_short_is_asked_to_rephrase(text):
    messages, _ = run(ActionSuggestRephrase(), tracker(text, intent="nlu_fallback"))
    assert messages[0]["text"].startswith("Je ne suis pas sûr d'avoir compris")


def test_guided_search_validation_and_answer():
    validator = ValidateSearchForm()
    dispatcher = CollectingDispatcher()
    assert validator.validate_form_sector("je sais pas", dispatcher, tracker(), {}) == {"form_sector": None}
    assert "pas reconnu de secteur" in rendered(dispatcher.messages[0])["text"]
    assert validator.validate_form_sector("la santé", dispatcher, tracker(), {}) == {"form_sector": "la santé"}
    assert validator.validate_form_level("peu importe", dispatcher, tracker(), {}) == {"form_level": "indifférent"}
    assert validator.validate_form_place("dans le 94", dispatcher, tracker(), {}) == {"form_place": "dans le 94"}
    slots = {"form_sector": "la santé", "form_level": "indifférent", "form_place": "dans le 94"}
    messages, events = run(ActionSearchFromForm(), tracker(slots=slots))
    assert "Santé, autonomie et bien vieillir" in messages[0]["text"]
    assert SlotSet("form_sector", None) in events


def test_a_failing_knowledge_base_gives_an_apology_not_an_exception(monkeypatch, sqlite_kb):
    def broken(**_):
        raise RuntimeError("base indisponible")

    monkeypatch.setattr(sqlite_kb, "search", broken)
    messages, events = run(ActionSearchCampus(), tracker("avions", entities=[("sector", "avions")]))
    assert [(m["response"], m["text"]) for m in messages] == [
        ("utter_apology", "Désolé, je n'arrive pas à consulter ma base de données pour le moment. Réessayez dans un "
                          "instant.")]
    assert events == []


def test_an_unsure_message_naming_a_sector_is_answered_as_a_search():
    messages, _ = run(ActionSuggestRephrase(), tracker("ya un truc pour l'aviation ?", intent="nlu_fallback",
                                                       entities=[("sector", "aviation")]))
    assert "Aéronautique et spatial" in messages[0]["text"]


def test_an_unsure_message_naming_an_establishment_gives_its_campus():
    messages, _ = run(ActionSuggestRephrase(), tracker("korian ?", intent="nlu_fallback",
                                                       entities=[("establishment", "Korian")]))
    assert "Korian fait partie du campus : Santé, autonomie et bien vieillir" in messages[0]["text"]


@pytest.mark.parametrize("text", ["which campus teaches nursing in Paris?", "¿Dónde está el campus?",
                                  "أريد أن أدرس", "ich möchte Design studieren wo ist das"])
def test_an_unsure_message_in_another_language_is_told_in_french(text):
    messages, _ = run(ActionSuggestRephrase(), tracker(text, intent="nlu_fallback"))
    assert messages[0]["response"] == "utter_other_language"


@pytest.mark.parametrize("text", ["je sais pas trop", "c'est quoi le meilleur campus ?", "ok"])
def test_french_is_not_mistaken_for_another_language(text):
    from actions.language import looks_foreign

    assert not looks_foreign(text)


def bot_event(text, buttons):
    return {"event": "bot", "text": text, "data": {"buttons": buttons}}


SEARCH_BUTTONS = [{"title": "Création numérique", "payload": '/ask_campus_details{"campus": "creation-numerique"}'},
                  {"title": "Hub aéroportuaire Grand Roissy-Le Bourget",
                   "payload": '/ask_campus_details{"campus": "hub-aeroportuaire"}'}]


def with_events(tracker_, events):
    return Tracker(tracker_.sender_id, tracker_.slots, tracker_.latest_message, events, False, None, {},
                   "action_listen")


def test_a_number_picks_the_button_of_the_last_message():
    current = tracker("2", intent="choose_result", entities=[("ordinal", "2")])
    events = [{"event": "user", "text": "un BTS dans le 93"}, bot_event("3 campus…", SEARCH_BUTTONS),
              {"event": "action", "name": "action_listen"}, {"event": "user", "text": "2"},
              {"event": "user_featurization"}]
    messages, _ = run(ActionChooseResult(), with_events(current, events))
    assert messages[0]["text"].startswith("Hub aéroportuaire Grand Roissy-Le Bourget — campus labellisé")


def test_a_number_can_pick_a_fact_or_the_guided_search():
    buttons = [{"title": "Qui fait partie d'un campus ?", "payload": "/fact_ecosystem"},
               {"title": "Je cherche une formation", "payload": "/start_guided_search"}]
    events = [bot_event("Un CMQ est…", buttons), {"event": "user", "text": "1"}]
    messages, _ = run(ActionChooseResult(), with_events(tracker("1", intent="choose_result"), events))
    assert "lycées généraux" in messages[0]["text"]
    events = [bot_event("Un CMQ est…", buttons), {"event": "user", "text": "2"}]
    _, followup = run(ActionChooseResult(), with_events(tracker("2", intent="choose_result"), events))
    assert followup == [{"event": "followup", "timestamp": None, "name": "search_form"}]


def test_the_number_of_a_level_picks_no_button():
    events = [bot_event("2 campus…", SEARCH_BUTTONS), {"event": "user", "text": "et jusqu'a bac+2 seulement ?"}]
    current = tracker("et jusqu'a bac+2 seulement ?", intent="nlu_fallback", slots={"level": "bac+8"})
    messages, _ = run(ActionSuggestRephrase(), with_events(current, events))
    assert messages[0]["text"].startswith("12 campus correspondent (niveau jusqu'au bac+2)")  # not the 2nd button


def test_the_words_of_a_button_pick_it_when_the_nlu_is_unsure():
    events = [bot_event("3 campus…", SEARCH_BUTTONS), {"event": "user", "text": "creation numerique"}]
    current = tracker("creation numerique", intent="nlu_fallback")
    messages, _ = run(ActionSuggestRephrase(), with_events(current, events))
    assert messages[0]["text"].startswith("Création numérique — campus labellisé, Saint-Denis (93).")


def test_a_button_runs_what_the_rules_of_its_intent_run():
    from actions.registry import action_for_intent

    assert action_for_intent("ask_campus_trainings").name() == "action_campus_details"
    assert action_for_intent("fact_counts").name() == "action_answer_fact"
    assert action_for_intent("refine_search").name() == "action_search_campus"
    assert action_for_intent("start_guided_search") == "search_form"
    assert action_for_intent("help") == "utter_help"
    assert action_for_intent("no_preference") is None  # its rule holds only outside the form
    assert action_for_intent("not_an_intent") is None


def test_numbered_buttons_for_text_only_channels():
    from bot.extensions.channels.text_only import numbered

    assert numbered("2 campus :", SEARCH_BUTTONS) == (
        "2 campus :\n1. Création numérique\n2. Hub aéroportuaire Grand Roissy-Le Bourget\n"
        "(Répondez par un numéro ou en toutes lettres.)")
    assert numbered("Bonjour", []) == "Bonjour"


def test_a_text_only_channel_sends_a_campus_answer_as_text_without_its_card():
    import asyncio

    from bot.extensions.channels.text_only import NumberedButtons

    class Recorder(NumberedButtons):
        sent: list = []

        async def send_text_message(self, recipient_id, text, **kwargs):
            self.sent.append(text)

    [message], _ = present("creation-numerique")
    channel = Recorder()
    asyncio.run(channel.send_response("someone", dict(message)))
    [text] = channel.sent
    assert text.startswith("Création numérique — campus labellisé") and "4. Les sources" in text
    assert "campus_card" not in text


def test_a_level_search_says_how_each_campus_covers_the_level():
    messages, _ = run(ActionSearchCampus(), tracker("un doctorat", entities=[("level", "doctorat")]))
    text = messages[0]["text"]
    assert ("Mode, Métiers d'Art & Design (campus d'excellence, Paris 13e, 75) — 1 formation : Doctorat PSL-SACRe"
            in text)
    assert "Tourisme Paris-Val d'Europe" not in text  # bac-3 to bac+5
    assert "formations à ce niveau non précisées dans mes données" in text


def lines(text: str) -> list[str]:
    """The lines a plain-text reader sees (each answer's lines end with a Markdown hard break)."""
    return [line.rstrip() for line in text.splitlines()]


def present(campus: str, events=()):
    current = tracker("/ask_campus_details", intent="ask_campus_details", entities=[("campus", campus)])
    return run(ActionCampusDetails(), with_events(current, list(events)))


def test_the_first_answer_about_a_campus_is_read_at_a_glance(knowledge_base):
    lengths = {}
    for campus in knowledge_base.all_campuses():
        [message], _ = present(campus.key)
        lengths[campus.key] = len(message["text"])
        assert "http" not in message["text"]
        assert [b["title"] for b in message["buttons"]] == ["Les formations", "Les membres", "Plus de détails",
                                                           "Les sources"]
    assert max(lengths.values()) <= 420 and sum(lengths.values()) / len(lengths) <= 350
    [message], _ = present("creation-numerique")
    assert lines(message["text"]) == [
        "Création numérique — campus labellisé, Saint-Denis (93).",
        "Campus de l'image, du son et de l'audiovisuel, porté par le lycée Suger à Saint-Denis.",
        "Formations citées : du bac au bac+2.",
        "Tête de réseau : Lycée Suger.",
        "À vérifier : le renouvellement du label de 2013.",
        "Sources vérifiées le 28 novembre 2026."]


def test_the_doubts_about_a_campus_are_gathered_in_one_line():
    [message], _ = present("tourisme-val-europe")
    [doubts] = [line for line in lines(message["text"]) if line.startswith("À vérifier")]
    assert doubts == "À vérifier : les niveaux de formation, le renouvellement du label de 2016."
    assert "en Seine-et-Marne (77)" in message["text"]


def test_the_widget_gets_the_campus_as_a_card_beside_the_text():
    [message], _ = present("metiers-art-design")
    card = message["custom"]["data"]
    assert card["type"] == "campus_card" and card["name"] == "Mode, Métiers d'Art & Design"
    assert (card["status"], card["place"], card["levels_title"]) == ("excellence", "Paris 13e (75)", "Niveaux")
    assert [step["label"] for step in card["levels"] if step["covered"]] == [
        "CAP", "bac", "bac+2", "bac+3", "bac+5", "doctorat"]
    assert card["to_check"] == ["le renouvellement du label de 2020"]


def test_more_details_after_the_card_give_the_whole_presentation_without_a_second_card():
    [first], _ = present("creation-numerique")
    events = [{"event": "user", "text": "création numérique"},
              {"event": "bot", "text": first["text"], "data": {"buttons": first["buttons"], "custom": first["custom"]}},
              {"event": "user", "text": "Plus de détails"}]
    [more], _ = present("creation-numerique", events)
    assert lines(more["text"])[0] == "Campus des métiers de la création numérique"
    assert "• 29 novembre 2013 : Remise du label au lycée Suger" in more["text"]
    assert "Académie : Créteil." in more["text"] and "À noter : Radio France" in more["text"]
    assert more["text"].endswith("Source : Le Café pédagogique, Wikipédia — vérifié le 28 novembre 2026.")
    assert not more.get("custom") and "Plus de détails" not in [b["title"] for b in more["buttons"]]
    [other], _ = present("securite", events)  # another campus: its card, not the details of the first
    assert other["text"].startswith("Métiers de la sécurité — campus d'excellence.") and other["custom"]


def test_answers_read_as_plain_text_and_as_markdown():
    from actions.markdown import markdown_friendly

    assert markdown_friendly("2 formations :\n1. CAP\n2. BMA\nSource : Onisep.") == (
        "2 formations :\n1. CAP\n2. BMA\n\nSource : Onisep.")  # the list ends before the source
    assert markdown_friendly("Création numérique\nSaint-Denis\n• Lycée Suger") == (
        "Création numérique  \nSaint-Denis  \n• Lycée Suger")  # hard breaks, invisible as plain text
    [message], _ = run(ActionSearchCampus(), tracker("où faire un CAP ébéniste ?"))
    assert "\n1. CAP ébéniste" in message["text"] and "  \n" in message["text"]
    assert "\n\nCampus concernés :" in message["text"]


@pytest.mark.parametrize("text, starts", [
    ("quel label pour le campus aéronautique et spatial", "Campus des métiers et des qualifications Aéronautique"),
    ("les établissements du campus industrie du futur", "Membres et partenaires du campus Industrie du futur"),
    ("quels niveaux de formation au campus aéronautique et spatial", "2 formations citées par mes sources"),
])
def test_a_question_on_one_aspect_of_a_named_campus_is_not_a_search_of_its_sector(text, starts):
    [message], events = run(ActionSearchCampus(), tracker(text))
    assert message["text"].startswith(starts)
    assert {e["name"]: e["value"] for e in events if e.get("event") == "slot"}["campus"] in (
        "aeronautique-spatial", "industrie-futur")


@pytest.mark.parametrize("text", ["un BTS au campus création numérique", "quels campus pour la santé ?"])
def test_a_search_that_names_a_campus_without_asking_an_aspect_stays_a_search(text):
    [message], _ = run(ActionSearchCampus(), tracker(text))
    assert "correspond" in lines(message["text"])[0]


def test_an_unclassified_question_on_one_aspect_of_a_named_campus_answers_it():
    [message], _ = run(ActionSuggestRephrase(), tracker("les établissements du campus industrie du futur",
                                                        intent="nlu_fallback",
                                                        entities=[("campus", "Industrie du futur")]))
    assert message["text"].startswith("Membres et partenaires du campus Industrie du futur")
    assert "Université d'Évry-Paris-Saclay" in message["text"]


def test_a_list_of_campuses_for_a_taste_is_the_search_for_it():
    messages, _ = run(ActionListCampuses(), tracker("les passagers, les bagages, l'ambiance des aeroports, j'adore",
                                                    intent="list_campuses", entities=[("sector", "aeroports")]))
    assert "Hub aéroportuaire Grand Roissy-Le Bourget" in messages[0]["text"]
    assert "Mes données comptent 12 campus" not in messages[0]["text"]


@pytest.mark.parametrize("text, entities, expected", [
    ("Le diplôme d'ingénieur se situe à quel niveau du cadre national ?", [("level", "Diplôme d'ingénieur")],
     "niveau 7"),
    ("le dn made ça vaut combien d'années après le bac ?", [("level", "dn made")], "bac+3"),
])
def test_the_rank_of_a_diploma_is_explained_not_searched(text, entities, expected):
    messages, _ = run(ActionExplainLevel(), tracker(text, intent="ask_level", entities=entities))
    assert expected in messages[0]["text"] and "formation" not in messages[0]["text"]


def test_a_campus_presentation_asked_for_its_diplomas_gives_its_trainings():
    messages, _ = run(ActionCampusDetails(), tracker(
        "Quels diplômes prépare-t-on au campus Santé, autonomie et bien vieillir ?", intent="ask_campus_details",
        entities=[("campus", "Santé, autonomie et bien vieillir")]))
    assert "formations citées par mes sources pour le campus Santé, autonomie et bien vieillir" in messages[0]["text"]


def test_a_word_mistaken_for_a_level_beside_a_known_criterion_is_left_out():
    messages, _ = run(ActionSuggestRephrase(), tracker("Quels campus franciliens ont obtenu la mention excellence ?",
                                                       intent="nlu_fallback",
                                                       entities=[("level", "mention"), ("status", "excellence")]))
    assert "Versailles Patrimoine et Artisanat" in messages[0]["text"] and "niveau" not in messages[0]["text"]


def test_a_name_the_base_does_not_know_asked_as_a_member_is_an_unknown_establishment():
    messages, _ = run(ActionEstablishmentCampus(), tracker("arianespace participe à quel campus",
                                                           intent="ask_establishment_campus",
                                                           entities=[("sector", "arianespace")]))
    assert messages[0]["text"].startswith("Je ne trouve pas cet établissement")


@pytest.mark.parametrize("action, text, intent", [
    (ActionSuggestRephrase(), "liste des campus des métiers en ile de france", "nlu_fallback"),
    (ActionAnswerFact(), "Je souhaiterais l'inventaire complet des CMQ franciliens.", "fact_counts"),
])
def test_a_list_of_all_campuses_asked_in_other_words_is_the_list(action, text, intent):
    messages, _ = run(action, tracker(text, intent=intent))
    assert messages[0]["text"].startswith("Mes données comptent 12 campus et projets")
