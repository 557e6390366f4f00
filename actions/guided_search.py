"""Validation of the guided search form: sector (required, asked with the sectors of the data),
then level and place (optional, asked by domain.yml's utter_ask_form_level and utter_ask_form_place).

Free text is accepted and read by the knowledge base; "peu importe" skips an optional slot.
An unreadable sector is asked again; an unreadable level or place is skipped with a word.
The form can be left at any step: « annuler », « autre question », a new question (another
intent, understood with confidence, whose text is no answer to the step) or an earlier
button: the form stops and the new question is answered.
"""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import KnowledgeAction, knowledge_base
from actions.buttons import run_payload
from actions.replies import campus_sector_buttons
from actions.search import ANY
from knowledge.textnorm import normalize

_SKIP_WORDS = ("peu importe", "n importe", "pas de preference", "indifferent", "partout",
               "tous les niveaux", "aucune idee", "je sais pas", "sais pas", "bof")


_LEAVE_WORDS = ("annuler", "annule", "annulez", "stop", "arrete", "arreter", "laisse tomber", "autre question",
                "quitter", "sortir", "recommencer", "on arrete", "c est bon merci")
FORM_ANSWERS = {"tell_interest", "no_preference", "start_guided_search",
                "undecided", "nlu_fallback", "choose_result"}
SURE = 0.8
FORM_SLOTS = ("form_sector", "form_level", "form_place")


def _is_skip(value: str) -> bool:
    text = normalize(value)
    return value == ANY or any(word in text for word in _SKIP_WORDS)


def _asks_to_leave(text: str) -> bool:
    words = normalize(text)
    return any(words == word or words.startswith(word + " ") for word in _LEAVE_WORDS)


def _asks_more_than_leaving(text: str) -> bool:
    """« autre question : c'est quoi un campus d'excellence ? » leaves the form with a question."""
    words = normalize(text)
    rest = next((words[len(word):] for word in _LEAVE_WORDS if words.startswith(word + " ")), "")
    return len(rest.split()) >= 2


def _answers_the_step(kb, tracker: Tracker, text: str) -> bool:
    read = {"form_sector": kb.resolver.sector, "form_level": kb.resolver.level,
            "form_place": kb.resolver.place}.get(tracker.get_slot("requested_slot"))
    return bool(read and text and (read(text) is not None or _is_skip(text)))


def _new_question(kb, tracker: Tracker) -> str | None:
    """The button payload of a message that is a new question, not an answer to the form's
    step (an earlier button's payload, or the intent and entities understood); None when it
    answers the step."""
    message = tracker.latest_message
    text = message.get("text") or ""
    intent = message.get("intent") or {}
    if intent.get("name") in FORM_ANSWERS or intent.get("confidence", 0) < SURE:
        return None
    if text.startswith("/"):
        return text
    if _answers_the_step(kb, tracker, text):
        return None
    entities = {e["entity"]: e["value"] for e in message.get("entities", []) if e.get("value") is not None}
    return f"/{intent['name']}" + (json.dumps(entities, ensure_ascii=False) if entities else "")


def _say_the_form_is_left(dispatcher: CollectingDispatcher) -> list[dict]:
    dispatcher.utter_message(response="utter_guided_search_left")
    return []


class ValidateSearchForm(FormValidationAction):
    def name(self) -> str:
        return "validate_search_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict]:
        left = self._leave(dispatcher, tracker, domain)
        return left if left is not None else await super().run(dispatcher, tracker, domain)

    @staticmethod
    def _leave(dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict] | None:
        """Events that stop the form (and answer a new question), or None to go on with it."""
        stopped = [ActiveLoop(None), SlotSet("requested_slot", None)] + [SlotSet(slot, None) for slot in FORM_SLOTS]
        typed = tracker.latest_message.get("text") or ""
        leaving = _asks_to_leave(typed)
        if leaving and not _asks_more_than_leaving(typed):
            return stopped + _say_the_form_is_left(dispatcher)
        try:
            kb = knowledge_base()
            payload = _new_question(kb, tracker)
            answered = None if payload is None else run_payload(kb, dispatcher, tracker, domain, payload,
                                                                 text=None if typed.startswith("/") else typed)
        except Exception:
            dispatcher.utter_message(response="utter_apology")
            return stopped
        if answered is None and leaving:  # a question after « autre question » that I cannot place
            return stopped + _say_the_form_is_left(dispatcher)
        return None if answered is None else stopped + answered

    def validate_form_sector(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: dict) -> dict[str, Any]:
        try:
            query = knowledge_base().resolver.sector(str(value or ""))
        except Exception:
            dispatcher.utter_message(response="utter_apology")
            return {"form_sector": None, "requested_slot": None}
        if query is None:
            dispatcher.utter_message(response="utter_sector_not_recognised")
            return {"form_sector": None}
        return {"form_sector": str(value)}

    def validate_form_level(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._optional("form_level", value, dispatcher, "niveau", knowledge_base().resolver.level)

    def validate_form_place(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._optional("form_place", value, dispatcher, "lieu", knowledge_base().resolver.place)

    @staticmethod
    def _optional(slot: str, value: Any, dispatcher, label: str, read) -> dict[str, Any]:
        text = str(value or "")
        if _is_skip(text):
            return {slot: ANY}
        if read(text) is None:
            dispatcher.utter_message(response="utter_criterion_not_recognised", criterion=label)
            return {slot: ANY}
        return {slot: text}


class ActionAskFormSector(KnowledgeAction):
    """Asks for the sector, offering every sector of the campuses in the knowledge base."""

    def name(self) -> str:
        return "action_ask_form_sector"

    def act(self, kb, dispatcher, tracker, domain):
        dispatcher.utter_message(response="utter_sector_question", buttons=campus_sector_buttons(kb))
        return []
