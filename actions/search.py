"""Searching campuses and trainings: a free question (« où faire un CAP ébéniste ? »), a
follow-up (« et en master ? », « et en apprentissage ? », « et après le bac pro ? »), an
interest (« j'aime dessiner »), or the guided form; and listing campuses by status or place.
When the question names a job or a specialty, a diploma with a sector or a place, or
apprenticeship, the trainings come first, then their campuses; a level alone lists the
campuses, each with its trainings at that level."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import KnowledgeAction
from actions.buttons import campus_payload, run_payload
from actions.compare import comparison_asked
from actions.lookalikes import answer_lookalike, names_a_lookalike_in_full
from actions.replies import (
    CRITERION_LABELS,
    WITHOUT_LABELS,
    button,
    campus_buttons,
    campus_line,
    campus_sector_buttons,
    not_a_cmq_phrase,
    other_trainings_button,
    search_text,
    sources_phrase,
    the_title,
    trainings_text,
    understood_phrase,
)
from actions.understanding import (
    CRITERIA,
    Criteria,
    asks_to_be_guided,
    asks_who_answers,
    aspect_asked,
    criteria_from_message,
    criteria_from_slots,
    entity_values,
    latest_text,
    member_type,
    picks_a_result,
)
from knowledge.queries import KnowledgeBase
from knowledge.records import JobFieldInfo
from knowledge.textnorm import match_key, normalize

ANY = "indifférent"
MAX_CAMPUSES_NAMED = 4
FORM_SLOTS = ("form_sector", "form_level", "form_place")
SHORT_FOLLOW_UP_WORDS = 6


def _search(kb: KnowledgeBase, criteria: Criteria):
    return kb.search(sector=criteria.sector, level=criteria.level, place=criteria.place,
                     status=criteria.status, apprenticeship=criteria.apprenticeship)


def reply_with_search(kb: KnowledgeBase, dispatcher: CollectingDispatcher, criteria: Criteria,
                      interest: bool = False) -> list[dict[str, Any]]:
    """Run the search, say its result, and remember its criteria and results in slots."""
    result = _search(kb, criteria)
    remembered = [SlotSet(name, getattr(criteria, name)) for name in CRITERIA]
    if result.unknown:
        _say_not_understood(kb, dispatcher, result.unknown[0], getattr(criteria, result.unknown[0]))
        return remembered + [SlotSet("last_results", []), SlotSet("last_trainings", [])]
    if not result.matches:
        _say_empty(kb, dispatcher, result, criteria)
        return remembered + [SlotSet("last_results", []), SlotSet("last_trainings", [])]
    if criteria.apprenticeship and not result.trainings:
        return remembered + _say_apprenticeship_unknown(kb, dispatcher, criteria)
    if criteria.level and criteria.sector and not result.trainings:
        other_levels = _search(kb, replace(criteria, level=None)).trainings
        if other_levels:
            intro = (f"Mes sources ne citent pas cette formation au niveau demandé ({result.understood['level']}) ; "
                     "elles la citent à un autre niveau :")
            return remembered + reply_with_trainings(kb, dispatcher, other_levels, understood_phrase(result),
                                                     intro=intro)
    if result.trainings and not interest and (criteria.sector or criteria.place or criteria.apprenticeship):
        others = [m.campus for m in result.matches if m.campus.key not in {t.campus_key for t in result.trainings}]
        return remembered + reply_with_trainings(kb, dispatcher, result.trainings, understood_phrase(result),
                                                 other_campuses=others)
    understood = understood_phrase(result)
    count = len(result.matches)
    if interest and criteria.sector:  # « je suis à Cergy, y a quoi ? » names a place, not a taste
        intro = f"Avec ce que vous aimez ({understood}), ces campus pourraient vous plaire :"
    elif count == 1:
        intro = f"{_campuses_found(count)} ({understood}) :"
    else:
        intro = f"{_campuses_found(count)} ({understood}), du plus pertinent au moins pertinent :"
    return remembered + _say_campuses(dispatcher, result, intro)


def _campuses_found(count: int) -> str:
    return "Un campus correspond" if count == 1 else f"{count} campus correspondent"


def _say_campuses(dispatcher: CollectingDispatcher, result, intro: str) -> list[dict[str, Any]]:
    """The campuses found, best first, with a button each; remembered as the last results."""
    campuses = [match.campus for match in result.matches]
    dispatcher.utter_message(text=search_text(result, intro) + "\nLequel voulez-vous découvrir ?",
                             buttons=campus_buttons(campuses))
    return [SlotSet("last_results", [c.key for c in campuses]), SlotSet("last_trainings", []),
            SlotSet("campus", campuses[0].key), SlotSet("topic", f"campus:{campuses[0].key}")]


def reply_with_trainings(kb: KnowledgeBase, dispatcher: CollectingDispatcher, trainings: tuple,
                         understood: str, intro: str | None = None, other_campuses: list | None = None,
                         offer_apprenticeship: bool = True) -> list[dict[str, Any]]:
    """The trainings first, with the source of the first one and buttons for the next step:
    its campus, the levels after it, apprenticeship, the establishment's other trainings; then
    the other campuses the search found, whose sources name no such training."""
    first = trainings[0]
    text = trainings_text(trainings, intro or f"{len(trainings)} formations correspondent ({understood}) :",
                          single_intro=intro is not None)
    campuses = list(dict.fromkeys((t.campus_key, t.campus) for t in trainings))
    if len(campuses) > 1:
        text += "\nCampus concernés : " + ", ".join(name for _, name in campuses[:MAX_CAMPUSES_NAMED]) + "."
    if other_campuses:
        text += ("\nAutres campus possibles, sans formation de ce type citée par mes sources : "
                 + ", ".join(campus_line(c) for c in other_campuses[:MAX_CAMPUSES_NAMED]) + ".")
    text += "\nMes données ne citent que les formations nommées par les sources des campus. "
    text += sources_phrase(kb.training_sources(first.id), limit=1)
    buttons = [button(f"Le campus {name}", "ask_campus_details", campus=key) for key, name in campuses[:2]]
    if (first.level or 0) < 8:
        buttons.append(button("Et après ?", "refine_search", level=f"après le {first.kind_name}"))
    if offer_apprenticeship and not all(t.apprenticeship for t in trainings):
        buttons.append(button("En apprentissage ?", "refine_search", apprenticeship="oui"))
    buttons.append(other_trainings_button(first))
    dispatcher.utter_message(text=text, buttons=buttons[:5])
    return [SlotSet("last_results", [key for key, _ in campuses]), SlotSet("last_trainings", [t.id for t in trainings]),
            SlotSet("campus", first.campus_key), SlotSet("topic", f"training:{first.id}")]


def _say_apprenticeship_unknown(kb, dispatcher, criteria: Criteria) -> list[dict[str, Any]]:
    """No training known in apprenticeship: say so, and show what is known without that criterion."""
    without = replace(criteria, apprenticeship=False)
    result = _search(kb, without)
    if not result.trainings and result.matches:  # « des formations en alternance pour être mécanicien avion ? »
        count = len(result.matches)
        intro = (f"{_campuses_found(count)} ({understood_phrase(result)}), mais mes sources ne disent pas quelles "
                 f"formations s'y préparent en apprentissage : {'ses' if count == 1 else 'leurs'} établissements "
                 "vous le diront.")
        return _say_campuses(dispatcher, result, intro)
    if not result.trainings:
        dispatcher.utter_message(response="utter_apprenticeship_unknown")
        return [SlotSet("last_trainings", [])]
    intro = ("Mes sources ne disent pas si ces formations se préparent en apprentissage ; "
             "voici celles que je connais :")
    return reply_with_trainings(kb, dispatcher, result.trainings, understood_phrase(result), intro=intro,
                                offer_apprenticeship=False)


def _say_job_not_covered(dispatcher, job: JobFieldInfo) -> None:
    """A job no campus of the data covers: say so plainly, and offer the nearest sectors."""
    text = (f"Le métier « {job.word} » relève du secteur {job.national_sector}, mais aucun campus de mes données "
            "ne le couvre : je ne connais que les campus d'Île-de-France et ce que leurs sources citent.")
    if job.nearest:
        text += " Le plus proche dans mes données : " + ", ".join(name for _, name in job.nearest) + "."
    text += " L'Onisep (onisep.fr) présente les formations de tous les métiers."
    buttons = [button(name, "search_campus", sector=name) for _, name in job.nearest]
    buttons.append(button("Voir tous les campus", "list_campuses"))
    dispatcher.utter_message(text=text, buttons=buttons)


def _say_not_understood(kb, dispatcher, criterion: str, value: str) -> None:
    job = kb.job_field(value) if criterion == "sector" else None
    if job:
        _say_job_not_covered(dispatcher, job)
    elif criterion == "sector":
        sectors = sorted({s for c in kb.all_campuses() for s in c.sectors})
        dispatcher.utter_message(response="utter_sector_unknown", value=value[:60], sectors=", ".join(sectors),
                                 buttons=[button(s, "search_campus", sector=s) for s in sectors[:6]])
    elif criterion == "level":
        dispatcher.utter_message(response="utter_level_unknown", value=value[:60])
    elif criterion == "place":
        dispatcher.utter_message(response="utter_place_unknown", value=value[:60])
    else:
        dispatcher.utter_message(response="utter_statuses")


def _say_empty(kb, dispatcher, result, criteria: Criteria) -> None:
    understood = understood_phrase(result)
    reason = CRITERION_LABELS[result.empty_because]
    text = f"Aucun campus de mes données ne correspond à : {understood}."
    no_campus_in_sector = result.empty_because == "sector" and not result.relaxable
    if no_campus_in_sector:
        word = criteria.sector.strip()
        if match_key(word) not in match_key(understood):  # « e-sport »: say the user's word, then its sector
            text = f"Aucun campus de mes données ne couvre « {word[:60]} » ({understood})."
        text += " Ce secteur n'a pas de campus dans mes données."
    else:
        text += f" C'est {reason} qui bloque."
    if result.empty_because == "sector":
        sector = kb.resolver.sector(criteria.sector)
        for lookalike in kb.not_cmqs(sector_keys=sector.keys if sector else ()):
            text += " " + not_a_cmq_phrase(lookalike)
    if no_campus_in_sector:  # nothing to widen: the sectors that have campuses, to choose from
        dispatcher.utter_message(text=text + " Voici les secteurs de mes campus, si l'un s'en approche :",
                                 buttons=campus_sector_buttons(kb))
        return
    buttons = []
    for relaxed in result.relaxable:
        kept = {name: getattr(criteria, name) for name in ("sector", "level", "place", "status")
                if name != relaxed and getattr(criteria, name)}
        if criteria.apprenticeship:
            kept["apprenticeship"] = "oui"
        buttons.append(button(WITHOUT_LABELS[relaxed], "search_campus", **kept))
    buttons.append(button("Voir tous les campus", "list_campuses"))
    dispatcher.utter_message(text=text + " Voulez-vous élargir la recherche ?", buttons=buttons)


class ActionSearchCampus(KnowledgeAction):
    """search_campus starts afresh; refine_search keeps what the user did not change."""

    def name(self) -> str:
        return "action_search_campus"

    def act(self, kb, dispatcher, tracker: Tracker, domain):
        intent = tracker.latest_message.get("intent", {}).get("name")
        criteria = criteria_from_message(kb, tracker)
        after = _after_last_trainings(kb, dispatcher, tracker, criteria)  # « et après le CAP ? »
        if after is not None:
            return after
        if asks_who_answers(latest_text(tracker)):  # « suis-je en train d'échanger avec un programme informatique ? »
            dispatcher.utter_message(response="utter_bot_challenge")
            return []
        compared = comparison_asked(kb, dispatcher, tracker, domain)  # « campus A vs campus B »
        if compared is not None:
            return compared
        if asks_to_be_guided(latest_text(tracker)) and not (entity_values(tracker, "sector")
                                                            or entity_values(tracker, "place")):  # « pas à pas »
            return run_payload(kb, dispatcher, tracker, domain, "/start_guided_search")
        if names_a_lookalike_in_full(kb, latest_text(tracker)):  # « et l'éco-campus du bâtiment à Vitry ? »
            return answer_lookalike(kb, dispatcher, [latest_text(tracker)])
        aspect = aspect_of_one_campus(kb, tracker, criteria)  # « quel label pour le campus aéronautique ? »
        if aspect is not None:
            return run_payload(kb, dispatcher, tracker, domain, aspect, text=latest_text(tracker))
        if not any(entity_values(tracker, name) for name in ("sector", "level", "place", "status")):
            other = _question_of_another_kind(kb, dispatcher, tracker, domain)
            if other is not None:
                return other
            aspect = _aspect_of_campus_in_focus(tracker, criteria)  # « les formations ? » after a campus
            if aspect is not None:
                return run_payload(kb, dispatcher, tracker, domain, aspect, text=latest_text(tracker))
        in_campus = _apprenticeship_in_campus_in_focus(kb, dispatcher, tracker, criteria)
        if in_campus is not None:
            return in_campus
        if intent == "refine_search" or _is_a_follow_up(latest_text(tracker)):  # « ok et en bts ? »
            criteria = criteria.merged_over(criteria_from_slots(tracker))
        if not criteria.any():
            if picks_a_result(latest_text(tracker)):  # « ok go pour le 1er alors », « le dernier de la liste »
                return run_payload(kb, dispatcher, tracker, domain, "/choose_result", text=latest_text(tracker))
            if intent == "tell_interest":
                dispatcher.utter_message(response="utter_undecided")
                return []
            return ActionListCampuses().act(kb, dispatcher, tracker, domain)
        names_a_job = criteria.sector and any(mention.score == 100 for mention in
                                              kb.vocabulary.find(criteria.sector, {"job"}))
        names_a_training = criteria.level or names_a_job  # « je voudrais devenir monteuse vidéo »
        return reply_with_search(kb, dispatcher, criteria, interest=intent == "tell_interest" and not names_a_training)


_FOLLOW_UP = re.compile(r"^(?:(?:ok|okay|oki|dac|d accord|bon|alors|super|merci|top|cool) )*et\b")


def _is_a_follow_up(text: str) -> bool:
    """« ok et en bts ? », « d'accord, et dans le 93 ? »: a short message that starts with « et »
    narrows the last search, whatever intent the NLU gave it."""
    words = normalize(text or "")
    return bool(_FOLLOW_UP.match(words)) and len(words.split()) <= SHORT_FOLLOW_UP_WORDS


def _one_campus_named(kb, text: str) -> str | None:
    """The key of the one campus that « campus … » names in `text` (« le campus industrie du
    futur », « au campus versailles »); None when the word is not there or names several."""
    if "campus" not in normalize(text).split():
        return None
    found = kb.find_campuses(text)
    return found[0].key if len(found) == 1 else None


def aspect_of_one_campus(kb, tracker: Tracker, criteria: Criteria) -> str | None:
    """A question that names one campus (« le campus industrie du futur ») and one of its aspects
    (its members, trainings, label, place, lead) without a level to search or apprenticeship
    asked is that aspect of that campus, not a search of the sector: the payload asking it;
    None otherwise."""
    text = latest_text(tracker)
    if criteria.level or criteria.apprenticeship:
        return None
    key, aspect = _one_campus_named(kb, text), aspect_asked(text)
    if key is None or aspect is None:
        return None
    return campus_payload(aspect, key)


def _aspect_of_campus_in_focus(tracker: Tracker, criteria: Criteria) -> str | None:
    """A short follow-up with no criterion that asks an aspect (« les formations ? », « et les
    formations ? ») right after campuses were shown is about the first of them, not a new search
    of nothing (which listed every campus) nor the same search again: the payload asking it."""
    text = latest_text(tracker)
    topic = tracker.get_slot("topic") or ""
    if criteria.apprenticeship or not topic.startswith("campus:") or len(text.split()) > SHORT_FOLLOW_UP_WORDS:
        return None
    aspect = aspect_asked(text)
    return campus_payload(aspect, topic.removeprefix("campus:")) if aspect else None


class ActionSearchFromForm(KnowledgeAction):
    """The guided search's answer, from what the form collected; then the form is reset."""

    def name(self) -> str:
        return "action_search_from_form"

    def act(self, kb, dispatcher, tracker, domain):
        values = {slot: tracker.get_slot(slot) for slot in FORM_SLOTS}
        if not values["form_sector"]:
            return []  # the form was left (« annuler », a new question): nothing to search
        criteria = Criteria(**{slot.removeprefix("form_"): value for slot, value in values.items()
                               if value and value != ANY})
        return reply_with_search(kb, dispatcher, criteria) + [SlotSet(slot, None) for slot in FORM_SLOTS]


def _sector_apart_from_status(tracker: Tracker) -> bool:
    """« seulement les campus d'excellence, en gastronomie »: a sector extracted in words of its
    own, not the status word read as a specialty too (« les campus en projet »)."""
    entities = tracker.latest_message.get("entities", [])
    statuses = [(e.get("start"), e.get("end")) for e in entities if e.get("entity") == "status"]
    return any(e.get("entity") == "sector" and "start" in e and
               not any(start is not None and e["start"] < end and start < e["end"] for start, end in statuses)
               for e in entities)


class ActionListCampuses(KnowledgeAction):
    """All campuses, or those of a search's criteria (« les campus d'excellence », « dans le 93 »,
    « pour les gâteaux »); a list of one campus's members or trainings is that campus's answer."""

    def name(self) -> str:
        return "action_list_campuses"

    def act(self, kb, dispatcher, tracker, domain):
        criteria = criteria_from_message(kb, tracker)
        aspect = aspect_of_one_campus(kb, tracker, criteria)  # « les lycées du campus santé c'est lesquels ? »
        if aspect is not None:
            return run_payload(kb, dispatcher, tracker, domain, aspect, text=latest_text(tracker))
        if criteria.status and not _sector_apart_from_status(tracker):  # « les campus en projet »: a status
            criteria = Criteria(status=criteria.status, place=criteria.place)
        if criteria.any():  # « la liste des campus d'excellence », « les campus pour les gâteaux »
            return reply_with_search(kb, dispatcher, criteria)
        if picks_a_result(latest_text(tracker)):  # « ok go pour le 1er alors »: one of those shown
            return run_payload(kb, dispatcher, tracker, domain, "/choose_result", text=latest_text(tracker))
        campuses = kb.all_campuses()
        lines = [f"Mes données comptent {len(campuses)} campus et projets en Île-de-France :"]
        lines += [f"• {campus_line(c)}" for c in campuses]
        lines.append("Les sources ne donnent pas toutes le même nombre : cette liste n'est peut-être pas complète.")
        dispatcher.utter_message(text="\n".join(lines), buttons=campus_buttons(campuses))
        return [SlotSet("last_results", [c.key for c in campuses])]


def _question_of_another_kind(kb, dispatcher, tracker: Tracker, domain) -> list[dict[str, Any]] | None:
    """A follow-up that names no search criterion (« entreprises » is read as a kind of member,
    not as the specialty of a BUT) but a kind of member (« et les partenaires ? »,
    « et des entreprises ? »), a school (« et l'école Estienne ? ») or a look-alike of a CMQ
    (« et le campus de Bécheville ? ») is that question, not a search; None otherwise."""
    text = latest_text(tracker)
    lookalike = answer_lookalike(kb, dispatcher, entity_values(tracker, "campus") + [text])
    if lookalike is not None:
        return lookalike
    establishments = entity_values(tracker, "establishment")
    if establishments:
        return run_payload(kb, dispatcher, tracker, domain,
                           "/ask_establishment_campus" + json.dumps({"establishment": establishments[0]}), text=text)
    wanted = member_type(tracker)
    if wanted:
        return run_payload(kb, dispatcher, tracker, domain,
                           "/ask_campus_members" + json.dumps({"member_type": wanted}), text=text)
    return None


def _apprenticeship_in_campus_in_focus(kb, dispatcher, tracker: Tracker, criteria: Criteria):
    """« et en apprentissage ? » right after a campus's trainings, or « quelles formations en
    apprentissage au campus versailles ? »: those of that campus that our sources say are offered
    in apprenticeship. None when it does not apply."""
    if not criteria.apprenticeship:
        return None
    named = _one_campus_named(kb, latest_text(tracker))  # « en apprentissage au campus versailles ? »
    topic = tracker.get_slot("topic") or ""
    in_focus = topic.startswith("campus:") and not (criteria.sector or criteria.level or criteria.place
                                                    or criteria.status)
    if not (named and not criteria.level) and not in_focus:
        return None
    details = kb.campus(named or topic.removeprefix("campus:"))
    if details is None:
        return None
    name = details.summary.short_name
    trainings = tuple(t for t in details.trainings if t.apprenticeship)
    if not trainings:
        dispatcher.utter_message(
            text=f"Mes sources ne précisent pas quelles formations du campus {name} se préparent en apprentissage. "
                 "Renseignez-vous auprès de ses établissements ou sur le site de l'Onisep.",
            buttons=[button("Les formations du campus", "ask_campus_trainings", campus=details.summary.key),
                     button("Toutes les formations en apprentissage", "search_campus", apprenticeship="oui")])
        return [SlotSet("last_trainings", [])]
    return reply_with_trainings(kb, dispatcher, trainings, "", intro=f"En apprentissage, le campus {name} propose :",
                                offer_apprenticeship=False)


def _after_last_trainings(kb, dispatcher, tracker: Tracker, criteria: Criteria):
    """« et après ? » right after trainings were shown: the higher levels of the same campus and
    sector, the CAP-to-doctorate path a campus is for. None when it does not apply."""
    last = tracker.get_slot("last_trainings") or []
    level = kb.resolver.level(criteria.level) if criteria.level else None
    words = normalize(latest_text(tracker)).split()
    asks_after = (level and level.label.startswith("après")) or (
        "apres" in words[:2] and len(words) <= SHORT_FOLLOW_UP_WORDS)  # « et après le cap ? »
    if not last or not asks_after:
        return None
    following = kb.next_trainings(last)
    shown = kb.training(last[0])
    if not following:
        dispatcher.utter_message(
            text=f"Mes sources ne citent pas de formation de niveau supérieur après {_lower_first(the_title(shown))} "
                 f"dans le campus {shown.campus}. Un campus couvre en principe du CAP au doctorat : "
                 "renseignez-vous auprès de ses établissements.",
            buttons=[button(f"Le campus {shown.campus}", "ask_campus_details", campus=shown.campus_key)])
        return [SlotSet("last_trainings", [])]
    campuses = list(dict.fromkeys(training.campus for training in following))
    where = (f"le campus {campuses[0]} propose" if len(campuses) == 1
             else "les campus " + ", ".join(campuses[:-1]) + f" et {campuses[-1]} proposent")
    intro = f"Après {_lower_first(the_title(shown))}, {where} :"
    return reply_with_trainings(kb, dispatcher, tuple(following), "", intro=intro)


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:]
