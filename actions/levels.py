"""Levels of diplomas: "un BTS c'est quel niveau ?", "bac+2 ça correspond à quoi ?", "niveau 6";
a level question that looks for a place to study (« où faire un bac+8 ? », « jusqu'à bac+2 »,
« niveau master en design ») is a search."""

from __future__ import annotations

import re

from actions.base import KnowledgeAction
from actions.buttons import run_payload
from actions.replies import button
from actions.understanding import asks_a_difference, asks_what_it_means, entity_values, latest_text
from knowledge.textnorm import normalize

# « où faire… », « quels campus… », « je veux faire un… »: the user looks for where to study
_LOOKS_FOR_A_PLACE = re.compile(
    r"^(?:et )?ou\b|\bou (?:je|j|on|faire|trouver|preparer|passer|etudier|aller|y a)\b|\bquel(?:le)?s? "
    r"(?:campus|formations?|ecoles?|lycees?)\b|\bje (?:veux|voudrais|cherche|souhaite|peux)\b|"
    r"\b(?:faire|preparer|passer) (?:un|une|des|le|la|mon|ma)\b")


_ASKS_ITS_RANK = re.compile(
    r"\b(?:quel niveau|correspond|equivaut|equivalent|combien d (?:annees|ans)|vaut combien|bac ?\+? ?combien)\b")


def asks_about_a_level(kb, text: str) -> bool:
    """« le CAP c'est quel niveau ? », « et jusqu'à bac+2 ? »: a level to explain or to search,
    not the general fact that campuses train from the CAP to the doctorate."""
    asks_what_it_is = asks_what_it_means(text) or asks_a_difference(text) or _ASKS_ITS_RANK.search(normalize(text))
    return names_a_range(kb, text) or bool(text and asks_what_it_is and kb.resolver.level(text))


def names_a_range(kb, text: str) -> bool:
    """« jusqu'à bac+2 », « sans le bac », « après le bac pro »: levels to search, not to explain."""
    level = kb.resolver.level(text) if text else None
    return level is not None and level.label.startswith(("jusqu'au", "après", "avant le bac"))


def is_a_search(kb, text: str) -> bool:
    """Whether a question naming a level asks where to study it: a place-seeking phrase, a range
    of levels, or another criterion unless it asks the level's rank."""
    if not text:
        return False
    if _LOOKS_FOR_A_PLACE.search(normalize(text)):
        return True
    if _ASKS_ITS_RANK.search(normalize(text)):  # « l'ingénieur, à quel niveau du cadre national ? »
        return False
    return bool(names_a_range(kb, text) or kb.resolver.sector(text) or kb.resolver.place(text)
                or kb.resolver.status(text))


MAX_LEVELS_COMPARED = 3


class ActionExplainLevel(KnowledgeAction):
    def name(self) -> str:
        return "action_explain_level"

    def act(self, kb, dispatcher, tracker, domain):
        text = latest_text(tracker)
        if is_a_search(kb, text):
            return run_payload(kb, dispatcher, tracker, domain, "/search_campus", text=text)
        # « la différence entre un CAP et un bac pro ? »: each level named, in the order named
        asked_values = list(dict.fromkeys(v for v in entity_values(tracker, "level") if kb.resolver.level(v)))
        asked_values = asked_values[:MAX_LEVELS_COMPARED] or ([text] if text else [])
        explained = [(value, kb.explain_level(value)) for value in asked_values]
        levels = list({level.number: level for _, found in explained for level in found}.values())
        if not levels:
            dispatcher.utter_message(response="utter_which_level")
            return []
        lines = []
        for value, found in explained:
            query = kb.resolver.level(value)
            if query.kinds and found:
                lines.append(f"« {query.label} » correspond au niveau "
                             + " et ".join(str(level.number) for level in found) + ".")
        for level in levels:
            bac = {None: "avant le bac", 0: "niveau bac"}.get(level.bac_plus, f"bac+{level.bac_plus}")
            lines.append(f"Niveau {level.number} ({bac}, ancien niveau {level.old_name}) : {level.summary}")
        kinds = entity_values(tracker, "level")
        query = kinds[0] if kinds else f"niveau {levels[0].number}"
        buttons = [button("Les campus à ce niveau", "search_campus", level=query)]
        if len(explained) > 1:  # one search per level compared
            buttons = [button(f"Les campus : {kb.resolver.level(value).label}", "search_campus", level=value)
                       for value, _ in explained]
        dispatcher.utter_message(
            text="\n".join(lines)
            + "\nSource : décret n° 2019-14 du 8 janvier 2019 (cadre national des certifications).",
            buttons=buttons)
        return []
