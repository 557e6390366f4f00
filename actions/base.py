"""The base of every action: one knowledge base per process, no exception ever reaches Rasa,
a button's title typed as text acts as the button (text-only channels, users who type),
babble (« bla bla bla… ») is asked to rephrase whatever intent it was given, and every answer
is written to read well as plain text and as Markdown (actions/markdown.py)."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.buttons import last_buttons, run_payload
from actions.language import looks_like_babble
from actions.markdown import markdown_friendly
from knowledge.queries import KnowledgeBase, open_knowledge_base
from knowledge.textnorm import normalize

logger = logging.getLogger(__name__)
_knowledge_base: KnowledgeBase | None = None


def _typed_button(tracker: Tracker) -> dict | None:
    """The button of the last answer whose title the user typed, word for word."""
    text = tracker.latest_message.get("text") or ""
    if not text or text.startswith("/") or (tracker.active_loop or {}).get("name"):
        return None  # in the guided search, the form reads the answer itself
    typed = normalize(text)
    return next((b for b in last_buttons(tracker) if typed and normalize(b.get("title", "")) == typed), None)


def knowledge_base() -> KnowledgeBase:
    """The knowledge base of this process, opened on first use."""
    global _knowledge_base
    if _knowledge_base is None:
        _knowledge_base = open_knowledge_base()
    return _knowledge_base


class KnowledgeAction(Action, ABC):
    """An action answering from the knowledge base; subclasses implement `name` and `act`."""

    @abstractmethod
    def name(self) -> str:
        """The action's name in the domain."""

    @abstractmethod
    def act(self, kb: KnowledgeBase, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[dict[str, Any]]:
        """Answer; the events returned are applied to the conversation."""

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[dict[str, Any]]:
        first = len(dispatcher.messages)
        try:
            return self._answer(dispatcher, tracker, domain)
        finally:  # every answer reads well as plain text and as Markdown
            for message in dispatcher.messages[first:]:
                if message.get("text"):
                    message["text"] = markdown_friendly(message["text"])

    def _answer(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                domain: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            kb = knowledge_base()
            if looks_like_babble(tracker.latest_message.get("text") or ""):
                dispatcher.utter_message(response="utter_rephrase")
                return []
            typed = _typed_button(tracker)
            if typed is not None:
                pressed = run_payload(kb, dispatcher, tracker, domain, typed["payload"])
                if pressed is not None:
                    return pressed
            return self.act(kb, dispatcher, tracker, domain)
        except Exception:  # never let a failure silence the assistant
            logger.exception("Action %s failed", self.name())
            dispatcher.utter_message(response="utter_apology")
            return []
