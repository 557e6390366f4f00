"""A greeting: the welcome, unless it carries a question (« Bonjour, quel campus pour devenir
cuisinier ? », « bonjour, je suis en 3e et je veux faire un CAP ébéniste »), which is then
answered at once instead of being hidden behind the welcome."""

from __future__ import annotations

from actions.base import KnowledgeAction
from actions.establishments import ActionEstablishmentCampus
from actions.facts import ActionAnswerOrientation
from actions.replies import button
from actions.search import reply_with_search
from actions.understanding import criteria_from_message, entity_values, latest_text
from knowledge.textnorm import normalize

MIN_WORDS_OF_A_QUESTION = 4  # « bonjour la santé » is a greeting and a word, not yet a question
WELCOME = ("Bonjour ! Je vous aide à trouver un Campus des métiers et des qualifications en Île-de-France : "
           "par secteur, par niveau (du CAP au doctorat) ou par lieu. Que cherchez-vous ?")
WELCOME_BUTTONS = (("Je cherche une formation", "start_guided_search"), ("Je ne sais pas quoi faire", "undecided"),
                   ("C'est quoi un CMQ ?", "fact_definition"), ("Voir tous les campus", "list_campuses"))


class ActionGreet(KnowledgeAction):
    def name(self) -> str:
        return "action_greet"

    def act(self, kb, dispatcher, tracker, domain):
        text = latest_text(tracker)
        if len(normalize(text).split()) >= MIN_WORDS_OF_A_QUESTION:
            criteria = criteria_from_message(kb, tracker)
            if criteria.sector or criteria.level or criteria.place:
                dispatcher.utter_message(text="Bonjour !")
                return reply_with_search(kb, dispatcher, criteria)
            if entity_values(tracker, "establishment"):
                dispatcher.utter_message(text="Bonjour !")
                return ActionEstablishmentCampus().act(kb, dispatcher, tracker, domain)
            if kb.orientation_fact(text):
                dispatcher.utter_message(text="Bonjour !")
                return ActionAnswerOrientation().act(kb, dispatcher, tracker, domain)
        dispatcher.utter_message(text=WELCOME, buttons=[button(title, intent) for title, intent in WELCOME_BUTTONS])
        return []
