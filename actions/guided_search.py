"""Validation of the guided search form: sector (required), then level and place (optional).

Free text is accepted and read by the knowledge base; "peu importe" skips an optional slot.
An unreadable sector is asked again; an unreadable level or place is skipped with a word.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import APOLOGY, KnowledgeAction, knowledge_base
from actions.replies import button
from actions.search import ANY
from knowledge.textnorm import normalize

_SKIP_WORDS = ("peu importe", "n importe", "pas de preference", "indifferent", "partout",
               "tous les niveaux", "aucune idee", "je sais pas", "sais pas", "bof")


def _is_skip(value: str) -> bool:
    text = normalize(value)
    return value == ANY or any(word in text for word in _SKIP_WORDS)


class ValidateSearchForm(FormValidationAction):
    def name(self) -> str:
        return "validate_search_form"

    def validate_form_sector(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: dict) -> dict[str, Any]:
        try:
            query = knowledge_base().resolver.sector(str(value or ""))
        except Exception:
            dispatcher.utter_message(text=APOLOGY)
            return {"form_sector": None, "requested_slot": None}
        if query is None:
            dispatcher.utter_message(text="Je n'ai pas reconnu de secteur dans votre réponse. "
                                          "Essayez un mot comme « santé », « avions », « cuisine » ou « design ».")
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
            dispatcher.utter_message(text=f"Je n'ai pas reconnu ce {label} : je cherche sans ce critère.")
            return {slot: ANY}
        return {slot: text}


class ActionAskFormSector(KnowledgeAction):
    """Asks for the sector, offering every sector of the campuses in the knowledge base."""

    def name(self) -> str:
        return "action_ask_form_sector"

    def act(self, kb, dispatcher, tracker, domain):
        sectors = [name for name, _ in Counter(s for c in kb.all_campuses() for s in c.sectors).most_common()]
        dispatcher.utter_message(
            text="Dans quel secteur aimeriez-vous travailler ? Écrivez-le avec vos mots (« la santé », "
                 "« les avions »…) ou choisissez :",
            buttons=[button(name, "search_campus", sector=name) for name in sectors])
        return []


class ActionAskFormLevel(KnowledgeAction):
    def name(self) -> str:
        return "action_ask_form_level"

    def act(self, kb, dispatcher, tracker, domain):
        choices = [("CAP", "CAP"), ("Bac pro", "bac pro"), ("BTS (bac+2)", "BTS"),
                   ("Licence, BUT (bac+3)", "bac+3"), ("Master, ingénieur (bac+5)", "bac+5")]
        dispatcher.utter_message(text="Quel niveau visez-vous ? (facultatif)",
                                 buttons=[button(title, "search_campus", level=value) for title, value in choices]
                                 + [button("Peu importe", "no_preference")])
        return []


class ActionAskFormPlace(KnowledgeAction):
    def name(self) -> str:
        return "action_ask_form_place"

    def act(self, kb, dispatcher, tracker, domain):
        choices = [("Paris", "Paris"), ("Académie de Créteil (77, 93, 94)", "académie de Créteil"),
                   ("Académie de Versailles (78, 91, 92, 95)", "académie de Versailles")]
        dispatcher.utter_message(text="Où ? Une ville, un département (« le 93 ») ou une académie. (facultatif)",
                                 buttons=[button(title, "search_campus", place=value) for title, value in choices]
                                 + [button("Peu importe", "no_preference")])
        return []
