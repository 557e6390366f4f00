"""The base of every action: one knowledge base per process, and no exception ever reaches Rasa."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from knowledge.queries import KnowledgeBase, open_knowledge_base

logger = logging.getLogger(__name__)
APOLOGY = "Désolé, je n'arrive pas à consulter ma base de données pour le moment. Réessayez dans un instant."
_knowledge_base: KnowledgeBase | None = None


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
        try:
            return self.act(knowledge_base(), dispatcher, tracker, domain)
        except Exception:  # never let a failure silence the assistant
            logger.exception("Action %s failed", self.name())
            dispatcher.utter_message(text=APOLOGY)
            return []
