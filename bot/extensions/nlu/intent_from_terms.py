"""Rasa NLU component that reads a message naming a sector or a job as a search.

DIET reads words, not the knowledge base: « je cherche une formation dans la santé, niveau bac
pro » looks to it like the start of the guided search (which would then ask for the sector just
given), « une formation radio télé » like nothing it knows well. When the knowledge-base
extractor found a sector or job word, as written in the knowledge base, in a message that names
no campus (by its name, or by a sector right after « campus »), and DIET's intent has no use
for it (the start of the guided search, a greeting, a goodbye…: there a misspelt sector, or one
DIET itself is sure of, is enough; a general question about CMQs other than their sectors or
members, « je veux etre mecanicien auto, quel cmq ? »; off topic: a sector in a sentence about
oneself, « je passe mes journées à filmer », not « le meilleur film de 2025 ») or is unsure (as
the FallbackClassifier judges: below its threshold, or too close to the second intent) while
its best guess is no question about a campus, the intent becomes ``search_campus``, with the
confidence of a sure answer. So does a message made of nothing but sector or job words
(« e-sport », « chaudronnier ? »), whatever DIET guesses from so few words. The rest of DIET's
ranking follows the search, and ``intent_rule`` in the parse data says which rule decided. Runs
after the knowledge-base extractor and before the FallbackClassifier (config.yml).
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

SEARCH = "search_campus"
# Intents whose answer ignores a sector: with one in the message, the student is searching.
BLIND_TO_SECTORS = ("start_guided_search", "greet", "goodbye", "thank", "undecided", "no_preference", "help")
# General facts that ignore a sector too: with one written as the base writes it, the student is
# searching (« je veux etre mecanicien auto, quel cmq ? » asks no definition). Not the national
# sectors (about sectors), nor who is in a campus (« entreprises, laboratoires » are members).
FACTS_BLIND_TO_SECTORS = ("fact_definition", "fact_creation", "fact_levels", "fact_excellence", "fact_region",
                          "fact_label_rules", "fact_counts")
# Questions about one campus, which users often name by its sector.
CAMPUS_QUESTIONS = ("ask_campus_details", "ask_campus_location", "ask_campus_lead", "ask_campus_members",
                    "ask_campus_trainings", "ask_campus_label", "ask_sources", "compare_campuses",
                    "choose_result", "ask_establishment_campus")
OFF_TOPIC = "out_of_scope"  # with a sector or job word the knowledge base knows as written, a search
RULE_CONFIDENCE = 0.9  # what the rule's decision is worth to the forms and the fallback
DIET_SURE = 0.9  # a sector DIET extracts with this confidence counts against a greeting or a goodbye


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class IntentFromKnowledgeTerms(GraphComponent):
    """See the module docstring."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # The FallbackClassifier's threshold and ambiguity_threshold (config.yml).
        return {"unsure_below": 0.3, "ambiguity_below": 0.08, "blind_intents": list(BLIND_TO_SECTORS)}

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> IntentFromKnowledgeTerms:
        return cls(config)

    def __init__(self, config: dict[str, Any]):
        self.unsure_below = float(config["unsure_below"])
        self.ambiguity_below = float(config["ambiguity_below"])
        self.blind_intents = frozenset(config["blind_intents"])

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            rule = self._rule(message)
            if rule:
                self._make_search(message, rule)
        return messages

    def _rule(self, message: Message) -> str | None:
        intent = message.get(INTENT) or {}
        if _names(message, "campus") or _sector_names_a_campus(message):
            return None
        if _names_a_sector(message, spelled_as_known=False) and _only_sector_words(message):
            return "message fait seulement d'un secteur ou d'un métier"
        if intent.get("name") in self.blind_intents and _names_a_sector(message, spelled_as_known=False):
            return f"secteur nommé, intention « {intent['name']} » sans usage du secteur"
        if intent.get("name") in FACTS_BLIND_TO_SECTORS and _names_a_sector(message):
            return f"secteur nommé tel que la base l'écrit, question générale « {intent['name']} »"
        if intent.get("name") == OFF_TOPIC and _names_a_sector(message) and _speaks_of_oneself(message):
            return "secteur nommé tel que la base l'écrit, à la première personne, intention « hors sujet »"
        if _names_a_sector(message) and self._unsure(message) and intent.get("name") not in CAMPUS_QUESTIONS:
            return "secteur nommé, intention incertaine"
        return None

    def _unsure(self, message: Message) -> bool:
        confidences = [r.get("confidence") or 0.0 for r in message.get(INTENT_RANKING_KEY) or []]
        if not confidences:
            return True
        margin = confidences[0] - (confidences[1] if len(confidences) > 1 else 0.0)
        return confidences[0] < self.unsure_below or margin < self.ambiguity_below

    @staticmethod
    def _make_search(message: Message, rule: str) -> None:
        """The search first, DIET's ranking after it, scaled under what is left of the rule's
        confidence: else the FallbackClassifier would judge the two too close and undo the rule."""
        ranking = [{**r, "confidence": (r.get("confidence") or 0.0) * (1 - RULE_CONFIDENCE)}
                   for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != SEARCH]
        search = {"name": SEARCH, "confidence": RULE_CONFIDENCE}
        message.set(INTENT, search, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [search, *ranking], add_to_output=True)
        message.set("intent_rule", rule, add_to_output=True)


def _names_a_sector(message: Message, spelled_as_known: bool = True) -> bool:
    """Whether the knowledge base found a sector or job word written as it knows it (no typo);
    with ``spelled_as_known=False``, also with a typo, or as DIET reads it when it is sure
    (« l'aeronotik »): enough against an intent that has no use for a sector at all."""
    for e in message.get(ENTITIES) or []:
        if e.get("entity") != "sector":
            continue
        confidence = e.get("confidence_entity") or 0.0
        if e.get("extractor") == "KnowledgeBaseEntityExtractor" and (confidence == 1.0 or not spelled_as_known):
            return True
        if not spelled_as_known and confidence >= DIET_SURE:
            return True
    return False


_FILLER = re.compile(r"[\W\d_]+|\b(?:le|la|les|l|un|une|des|du|de|d|en|et|ou)\b", re.IGNORECASE)


def _only_sector_words(message: Message) -> bool:
    """« e-sport », « chaudronnier ? », « la mécatronique »: nothing but sector or job words
    (and articles, punctuation) — a search, whatever DIET guesses from so few words."""
    text = message.get(TEXT) or ""
    for e in sorted((e for e in message.get(ENTITIES) or [] if e.get("entity") == "sector" and "start" in e),
                    key=lambda e: -e["start"]):
        text = text[:e["start"]] + " " + text[e["end"]:]
    return not _FILLER.sub(" ", text).strip()


# « je », « j' », « moi », « mes »…, and SMS contractions (« jpasse », « jkiffe »)
_FIRST_PERSON = re.compile(r"\b(?:je|j|moi|mes|mon|ma|j(?:passe|kiffe|adore|aime|fais|suis|veux|voudrais|bosse))\b",
                           re.IGNORECASE)


def _speaks_of_oneself(message: Message) -> bool:
    """« jpasse mes journées à filmer mes potes »: the user tells what they do or like."""
    return bool(_FIRST_PERSON.search(message.get(TEXT) or ""))


_CAMPUS_THEN_SECTOR = re.compile(r"\bcampus\s+(?:(?:de\s+la|de\s+l'|du|des|de|d')\s*)?$", re.IGNORECASE)


def _sector_names_a_campus(message: Message) -> bool:
    """« le label du campus tourisme », « les lycées du campus de la santé »: the sector word
    right after « campus » names a campus, the question is about it."""
    text = message.get(TEXT) or ""
    return any(e.get("entity") == "sector" and "start" in e and _CAMPUS_THEN_SECTOR.search(text[:e["start"]])
               for e in message.get(ENTITIES) or [])


def _names(message: Message, entity: str) -> bool:
    return any(e.get("entity") == entity for e in message.get(ENTITIES) or [])
