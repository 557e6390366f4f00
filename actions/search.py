"""Searching campuses: a free question, a follow-up ("et en master ?"), an interest
("j'aime dessiner"), or the guided form; and listing campuses by status or place."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import KnowledgeAction
from actions.replies import (
    CRITERION_LABELS, WITHOUT_LABELS, button, campus_buttons, campus_line, search_text,
    understood_phrase,
)
from actions.understanding import Criteria, criteria_from_message, criteria_from_slots
from knowledge.queries import KnowledgeBase

ANY = "indifférent"
FORM_SLOTS = ("form_sector", "form_level", "form_place")


def reply_with_search(kb: KnowledgeBase, dispatcher: CollectingDispatcher, criteria: Criteria,
                      interest: bool = False) -> list[dict[str, Any]]:
    """Run the search, say its result, and remember its criteria and results in slots."""
    result = kb.search(sector=criteria.sector, level=criteria.level, place=criteria.place,
                       status=criteria.status)
    remembered = [SlotSet(name, getattr(criteria, name)) for name in ("sector", "level", "place", "status")]
    if result.unknown:
        _say_not_understood(kb, dispatcher, result.unknown[0], getattr(criteria, result.unknown[0]))
        return remembered + [SlotSet("last_results", [])]
    if not result.matches:
        _say_empty(kb, dispatcher, result, criteria)
        return remembered + [SlotSet("last_results", [])]
    understood = understood_phrase(result)
    count = len(result.matches)
    if interest:
        intro = f"Avec ce que vous aimez ({understood}), ces campus pourraient vous plaire :"
    elif count == 1:
        intro = f"Un campus correspond ({understood}) :"
    else:
        intro = f"{count} campus correspondent ({understood}), du plus pertinent au moins pertinent :"
    campuses = [match.campus for match in result.matches]
    dispatcher.utter_message(text=search_text(result, intro) + "\nLequel voulez-vous découvrir ?",
                             buttons=campus_buttons(campuses))
    return remembered + [SlotSet("last_results", [c.key for c in campuses]),
                         SlotSet("campus", campuses[0].key), SlotSet("topic", f"campus:{campuses[0].key}")]


def _say_not_understood(kb, dispatcher, criterion: str, value: str) -> None:
    if criterion == "sector":
        sectors = sorted({s for c in kb.all_campuses() for s in c.sectors})
        dispatcher.utter_message(
            text=f"Je ne connais pas de secteur correspondant à « {value[:60]} ». "
                 f"Les secteurs de mes campus sont : {', '.join(sectors)}.",
            buttons=[button(s, "search_campus", sector=s) for s in sectors[:6]])
    elif criterion == "level":
        dispatcher.utter_message(
            text=f"Je ne reconnais pas le niveau « {value[:60]} ». Essayez un diplôme (CAP, bac pro, BTS, "
                 "BUT, licence, master, doctorat), « bac+2 » ou un niveau de 3 à 8.")
    elif criterion == "place":
        dispatcher.utter_message(
            text=f"Je ne reconnais pas le lieu « {value[:60]} ». Indiquez une ville, un département "
                 "d'Île-de-France (« le 93 », « Essonne ») ou une académie (Paris, Créteil, Versailles).")
    else:
        dispatcher.utter_message(text="Je connais trois statuts : campus d'excellence, campus labellisé, projet.")


def _say_empty(kb, dispatcher, result, criteria: Criteria) -> None:
    understood = understood_phrase(result)
    reason = CRITERION_LABELS[result.empty_because]
    text = f"Aucun campus de mes données ne correspond à : {understood}."
    if result.empty_because == "sector" and not result.relaxable:
        text += " Ce secteur n'a pas de campus dans mes données."
        batiment = kb.fact("eco-campus-batiment")
        if "Bâtiment" in result.understood.get("sector", "") and batiment:
            text += " " + batiment.answer
    else:
        text += f" C'est {reason} qui bloque."
    buttons = []
    for relaxed in result.relaxable:
        kept = {name: getattr(criteria, name) for name in ("sector", "level", "place", "status")
                if name != relaxed and getattr(criteria, name)}
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
        if intent == "refine_search":
            criteria = criteria.merged_over(criteria_from_slots(tracker))
        if not criteria.any():
            if intent == "tell_interest":
                dispatcher.utter_message(response="utter_undecided")
                return []
            return ActionListCampuses().act(kb, dispatcher, tracker, domain)
        return reply_with_search(kb, dispatcher, criteria, interest=intent == "tell_interest")


class ActionSearchFromForm(KnowledgeAction):
    """The guided search's answer, from what the form collected; then the form is reset."""

    def name(self) -> str:
        return "action_search_from_form"

    def act(self, kb, dispatcher, tracker, domain):
        values = {slot: tracker.get_slot(slot) for slot in FORM_SLOTS}
        criteria = Criteria(**{slot.removeprefix("form_"): value for slot, value in values.items()
                               if value and value != ANY})
        return reply_with_search(kb, dispatcher, criteria) + [SlotSet(slot, None) for slot in FORM_SLOTS]


class ActionListCampuses(KnowledgeAction):
    """All campuses, or those of a status ("les campus d'excellence") or a place."""

    def name(self) -> str:
        return "action_list_campuses"

    def act(self, kb, dispatcher, tracker, domain):
        criteria = criteria_from_message(kb, tracker)
        if criteria.status or criteria.place:
            return reply_with_search(kb, dispatcher, Criteria(status=criteria.status, place=criteria.place))
        campuses = kb.all_campuses()
        lines = [f"Mes données comptent {len(campuses)} campus et projets en Île-de-France :"]
        lines += [f"• {campus_line(c)}" for c in campuses]
        lines.append("Les sources ne donnent pas toutes le même nombre : cette liste n'est peut-être pas complète.")
        dispatcher.utter_message(text="\n".join(lines), buttons=campus_buttons(campuses))
        return [SlotSet("last_results", [c.key for c in campuses])]
