"""The members of campuses asked across campuses: « quels campus ont un CFA parmi leurs
membres ? », then « et des entreprises ? » (the same question for another kind of member)."""

from __future__ import annotations

import re

from rasa_sdk.events import SlotSet

from actions.replies import button, campus_line
from actions.understanding import entity_values, latest_text
from knowledge.records import TYPE_LABELS
from knowledge.textnorm import normalize

TOPIC_ACROSS = "members:across"  # the topic slot after a list of campuses by kind of member

_WHICH_CAMPUSES = re.compile(r"\b(?:quels?|lesquels?|combien de) campus\b|\bcampus (?:qui|avec|ayant|ont)\b")


def asks_which_campuses(tracker) -> bool:
    """« quels campus ont un CFA ? » asks across campuses, not about the campus in focus; so does
    « et des entreprises ? » right after such a list."""
    if entity_values(tracker, "campus"):
        return False
    return bool(_WHICH_CAMPUSES.search(normalize(latest_text(tracker)))) or tracker.get_slot("topic") == TOPIC_ACROSS


def campuses_with_members_of_type(kb, dispatcher, wanted: str) -> list:
    found = []
    for campus in kb.all_campuses():
        members = kb.campus(campus.key).members_of_type(wanted)
        if members:
            found.append((campus, members))
    plural = TYPE_LABELS[wanted][1]
    if not found:
        dispatcher.utter_message(text=f"Mes sources ne citent de {plural} parmi les membres d'aucun campus.",
                                 buttons=[button("Voir tous les campus", "list_campuses")])
        return [SlotSet("topic", TOPIC_ACROSS)]
    lines = [f"Campus dont mes sources citent des {plural} parmi les membres :"]
    lines += [f"• {campus_line(campus)} : " + ", ".join(m.name for m in members) for campus, members in found]
    dispatcher.utter_message(text="\n".join(lines), buttons=[
        button(f"Membres : {campus.short_name}"[:60], "ask_campus_members", campus=campus.key)
        for campus, _ in found])
    return [SlotSet("last_results", [campus.key for campus, _ in found]), SlotSet("topic", TOPIC_ACROSS)]
