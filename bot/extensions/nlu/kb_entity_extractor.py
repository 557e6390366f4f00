"""Rasa NLU component that finds knowledge-base entities in a message, typos included.

Every sector word, job word, place, diploma kind, campus and establishment name of the
knowledge base is looked for in the text (see knowledge.matching); a word that spaCy's French
lemma table lists as a word form is not read as a typo of another term. Each mention becomes an
entity (sector — a job is searched like a sector —, place, level, campus, establishment)
whose value is the knowledge-base term, and replaces
any entity another extractor found on overlapping characters; DIET's sector, place or level
on a lone function word (« de », « comme »: spaCy's French stop words) is dropped, and so is a
place that is a year of school (« je suis en 3e et… »). A campus
name that is also a sector name ("Industrie du futur") is a campus. "bac+2" and "niveau 5" become
level entities, "excellence", "labellisés" and "projets" status entities.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from spacy.lang.fr.stop_words import STOP_WORDS as FRENCH_STOP_WORDS

from knowledge.french_words import french_word_forms
from knowledge.matching import STOPWORDS
from knowledge.queries import KnowledgeBase, open_knowledge_base
from knowledge.textnorm import MAX_INPUT_CHARS, normalize

ENTITY_OF_TERM_TYPE = {
    "sector": "sector", "national_sector": "sector", "job": "sector", "field": "sector",
    "department": "place", "academy": "place", "commune": "place", "town": "place",
    "diploma_kind": "level", "campus": "campus", "not_cmq": "campus", "establishment": "establishment",
}
KB_ENTITIES = frozenset(ENTITY_OF_TERM_TYPE.values())
_PATTERNS = {
    "level": re.compile(r"\bbac\s?(?:\+|plus)\s?\d\b|\bniveau\s?[3-8]\b", re.IGNORECASE),
    "status": re.compile(r"\b(?:excellence|labell?is[ée]e?s?|projets?)\b", re.IGNORECASE),
}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class KnowledgeBaseEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Entities from the knowledge-base vocabulary; see the module docstring."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # database_url None: KNOWLEDGE_DB_URL or var/knowledge.db; word_forms_from: a spaCy
        # model whose lemmatizer tables list French word forms (None: every word may be a typo).
        return {"database_url": None, "word_forms_from": "fr_core_news_sm"}

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> KnowledgeBaseEntityExtractor:
        config = {**cls.get_default_config(), **config}
        return cls(open_knowledge_base(config["database_url"]), french_word_forms(config["word_forms_from"]))

    def __init__(self, kb: KnowledgeBase, known_word: Callable[[str], bool] | None = None):
        self.kb = kb
        self.known_word = known_word

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text:
                self._add_entities(message, text[:MAX_INPUT_CHARS])
        return messages

    def _add_entities(self, message: Message, text: str) -> None:
        found = [self._entity(ENTITY_OF_TERM_TYPE[mention.entity_type], mention.char_start,
                              mention.char_end, mention.term.text, mention.score / 100)
                 for mention in self.kb.vocabulary.find(text, set(ENTITY_OF_TERM_TYPE), self.known_word)]
        for entity, pattern in _PATTERNS.items():
            for match in pattern.finditer(text):
                found.append(self._entity(entity, match.start(), match.end(), match.group(), 1.0))
        found = [e for e in found if not any(_overlap(e, other) and _longer(other, e) for other in found)]
        campus_spans = {(e["start"], e["end"]) for e in found if e["entity"] == "campus"}
        found = [e for e in found if not (e["entity"] == "sector" and (e["start"], e["end"]) in campus_spans)]
        found = list({(e["entity"], e["start"], e["end"], e["value"]): e for e in found}.values())  # one per mention
        kept = [e for e in message.get(ENTITIES, []) if not any(_overlap(e, other) for other in found)
                and not (e["entity"] in KB_ENTITIES and _function_word(text[e["start"]:e["end"]]))
                and not (e["entity"] == "place" and _school_year(text[e["start"]:e["end"]]))]
        message.set(ENTITIES, kept + sorted(found, key=lambda e: e["start"]), add_to_output=True)

    def _entity(self, entity: str, start: int, end: int, value: str, confidence: float) -> dict:
        return {"entity": entity, "start": start, "end": end, "value": value,
                "confidence_entity": round(confidence, 3), "extractor": self.__class__.__name__}


def _function_word(text: str) -> bool:
    word = text.strip().lower()
    return word in FRENCH_STOP_WORDS or normalize(word) in STOPWORDS


_SCHOOL_YEAR = re.compile(r"^(?:\d{1,2} ?(?:e|eme|ere|re|de)|seconde|premiere|terminale|cm[12])$")


def _school_year(text: str) -> bool:
    """« 3e et », « en seconde »: a year of school, not a place (« je suis en 3e et je veux… »)."""
    words = [word for word in normalize(text).split() if not _function_word(word)]
    return bool(words) and all(_SCHOOL_YEAR.match(word) for word in words)


def _overlap(a: dict, b: dict) -> bool:
    return a is not b and a["start"] < b["end"] and b["start"] < a["end"]


def _longer(a: dict, b: dict) -> bool:
    return (a["end"] - a["start"]) > (b["end"] - b["start"])
