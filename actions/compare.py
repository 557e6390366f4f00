"""Two campuses side by side, for counsellors: « compare le campus santé et le campus
tourisme ». Each line gives one aspect (place, sectors, levels, label, head of network,
members, trainings) for both campuses, so that the answer reads well as plain text. Two
diplomas compared (« la différence entre un CAP et un bac pro ») are explained as levels; a
search taken for a comparison (no second campus, no word of comparison) is that search."""

from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions.base import KnowledgeAction
from actions.buttons import run_payload
from actions.levels import ActionExplainLevel, asks_about_a_level
from actions.replies import button, campus_buttons, french_date
from actions.understanding import (
    asks_a_difference,
    asks_to_compare,
    campuses_named,
    criteria_from_message,
    latest_text,
)
from knowledge.records import TYPE_LABELS, CampusDetails


def _campuses_named(kb, tracker) -> list[CampusDetails]:
    """The two campuses meant, in the order the message names them (a campus name, or a sector
    or place each), else those its raw text names; one named and one in focus (« compare ce
    campus avec le campus santé ») make two."""
    keys = dict.fromkeys(campuses_named(kb, tracker, in_text_order=True))
    focus = tracker.get_slot("campus")
    if len(keys) == 1 and focus and focus not in keys and kb.campus(focus):
        keys = {focus: None, **keys}
    text = latest_text(tracker)
    if not keys and text:
        keys = dict.fromkeys(summary.key for summary in kb.find_campuses(text))
    return [kb.campus(key) for key in list(keys)[:2]]


def _label(details: CampusDetails) -> str:
    summary = details.summary
    if summary.status == "projet":
        return "projet, sans label connu"
    date = french_date(summary.labelled_on)
    on = "le" if summary.labelled_on and len(summary.labelled_on) == 10 else "en"
    return summary.status_label + (f", label {on} {date}" if date else ", date du label inconnue")


def _place(details: CampusDetails) -> str:
    place = details.summary.place_label
    if not place:
        return "non précisé"
    return f"département {place}" if place.isdigit() else place


def _levels(details: CampusDetails) -> str:
    if not details.level_min:
        return "non précisés"
    doubt = " (à confirmer)" if "levels" in details.summary.unsure else ""
    return f"niveaux {details.level_min} à {details.level_max}{doubt}"


def _members(details: CampusDetails) -> str:
    counts: dict[str, int] = {}
    for member in details.members:
        counts[member.type] = counts.get(member.type, 0) + 1
    if not counts:
        return "aucun cité"
    return ", ".join(f"{count} {TYPE_LABELS[kind][0 if count == 1 else 1]}" for kind, count in counts.items())


ASPECTS = (
    ("Lieu", lambda d: _place(d)),
    ("Secteurs", lambda d: ", ".join(d.summary.sectors)),
    ("Niveaux", _levels),
    ("Label", _label),
    ("Tête de réseau", lambda d: ", ".join(m.name for m in d.leads) or "non précisée"),
    ("Membres cités", _members),
    ("Formations citées", lambda d: str(len(d.trainings))),
)


def comparison_text(first: CampusDetails, second: CampusDetails) -> str:
    lines = [f"{first.summary.short_name} / {second.summary.short_name} :"]
    lines += [f"• {title} : {describe(first)} / {describe(second)}" for title, describe in ASPECTS]
    return "\n".join(lines)


class ActionCompareCampuses(KnowledgeAction):
    def name(self) -> str:
        return "action_compare_campuses"

    def act(self, kb, dispatcher, tracker, domain):
        campuses = _campuses_named(kb, tracker)
        text = latest_text(tracker)
        if len(campuses) < 2 and asks_about_a_level(kb, text):  # « la diff entre un CAP et un bac pro »
            return ActionExplainLevel().act(kb, dispatcher, tracker, domain)
        if (len(campuses) < 2 and not (asks_to_compare(text) or asks_a_difference(text))
                and criteria_from_message(kb, tracker).any()):  # « où préparer un doctorat en lien avec le paysage ? »
            return run_payload(kb, dispatcher, tracker, domain, "/search_campus", text=text)
        if len(campuses) < 2:
            dispatcher.utter_message(response="utter_which_two_campuses", buttons=campus_buttons(kb.all_campuses()))
            return []
        first, second = campuses
        dispatcher.utter_message(text=comparison_text(first, second), buttons=[
            button(f"Le campus {d.summary.short_name}"[:60], "ask_campus_details", campus=d.summary.key)
            for d in campuses])
        return [SlotSet("last_results", [d.summary.key for d in campuses]),
                SlotSet("campus", first.summary.key), SlotSet("topic", f"campus:{first.summary.key}")]


def comparison_asked(kb, dispatcher, tracker, domain) -> list[dict] | None:
    """« campus A vs campus B », « campus aero de meaux vs campus aero d'evry », whatever the
    intent: two campuses named with a word of comparison are compared; None otherwise."""
    if asks_to_compare(latest_text(tracker)) and len(campuses_named(kb, tracker)) > 1:
        return ActionCompareCampuses().act(kb, dispatcher, tracker, domain)
    return None
