"""A greeting: the welcome, unless it carries a question (« Bonjour, quel campus pour devenir
cuisinier ? », « bonjour, je suis en 3e et je veux faire un CAP ébéniste »), which is then
answered at once instead of being hidden behind the welcome."""

from __future__ import annotations

from actions.base import KnowledgeAction
from actions.establishments import ActionEstablishmentCampus
from actions.facts import ActionAnswerOrientation
from actions.search import reply_with_search
from actions.understanding import criteria_from_message, entity_values, latest_text
from knowledge.textnorm import normalize

MIN_WORDS_OF_A_QUESTION = 4  # « bonjour la santé » is a greeting and a word, not yet a question


class ActionGreet(KnowledgeAction):
    def name(self) -> str:
        return "action_greet"

    def act(self, kb, dispatcher, tracker, domain):
        text = latest_text(tracker)
        if len(normalize(text).split()) >= MIN_WORDS_OF_A_QUESTION:
            criteria = criteria_from_message(kb, tracker)
            if criteria.sector or criteria.level or criteria.place:
                dispatcher.utter_message(response="utter_hello")
                return reply_with_search(kb, dispatcher, criteria)
            if entity_values(tracker, "establishment"):
                dispatcher.utter_message(response="utter_hello")
                return ActionEstablishmentCampus().act(kb, dispatcher, tracker, domain)
            if kb.orientation_fact(text):
                dispatcher.utter_message(response="utter_hello")
                return ActionAnswerOrientation().act(kb, dispatcher, tracker, domain)
        dispatcher.utter_message(response="utter_welcome")
        return []
