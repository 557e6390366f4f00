"""Which action or response answers each intent, for button payloads run from an action.
Kept in step with data/rules.yml (tests/test_actions.py checks that they agree)."""

from __future__ import annotations

from actions.campus_info import ActionCampusDetails, ActionChooseResult
from actions.compare import ActionCompareCampuses
from actions.establishments import ActionEstablishmentCampus
from actions.facts import (
    FACT_INTENT_PREFIX,
    ActionAnswerFact,
    ActionAnswerOrientation,
    ActionGiveSources,
    ActionHandoff,
)
from actions.greeting import ActionGreet
from actions.levels import ActionExplainLevel
from actions.search import ActionListCampuses, ActionSearchCampus

_CAMPUS = ActionCampusDetails()
_SEARCH = ActionSearchCampus()
ANSWERS = {
    "search_campus": _SEARCH, "refine_search": _SEARCH, "tell_interest": _SEARCH,
    "ask_campus_details": _CAMPUS, "ask_campus_location": _CAMPUS, "ask_campus_lead": _CAMPUS,
    "ask_campus_members": _CAMPUS, "ask_campus_trainings": _CAMPUS, "ask_campus_label": _CAMPUS,
    "choose_result": ActionChooseResult(), "ask_establishment_campus": ActionEstablishmentCampus(),
    "list_campuses": ActionListCampuses(), "ask_level": ActionExplainLevel(),
    "ask_sources": ActionGiveSources(), "ask_human": ActionHandoff(), "ask_orientation": ActionAnswerOrientation(),
    "compare_campuses": ActionCompareCampuses(),
    "start_guided_search": "search_form", "undecided": "utter_undecided", "greet": ActionGreet(),
    "help": "utter_help",
}


def action_for_intent(intent: str):
    """An action instance, a response name, or a form name; None if unknown."""
    if intent.startswith(FACT_INTENT_PREFIX):
        return ActionAnswerFact()
    return ANSWERS.get(intent)
