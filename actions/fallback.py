"""When the assistant is unsure what was meant. An answer that is the words of one of the
last message's buttons runs that button. A message in another language is told that
the assistant speaks French; a message naming a sector, level or place is taken as a search
(the most frequent wish, and a search answer shows what was understood), one naming an
establishment as the question of its campus; a sentence without a word of the domain (no
knowledge-base term, no word such as "campus", "formation" or "métier") gets the off-topic
answer; a pick by rank (« celui en 4 ») picks among the results shown; anything else is asked
to rephrase, with the likely intents as buttons."""

from __future__ import annotations

from actions.base import KnowledgeAction
from actions.buttons import answer_chosen_button, run_payload
from actions.establishments import ActionEstablishmentCampus
from actions.facts import ActionAnswerFact, ActionAnswerOrientation, about_campus_in_focus, status_fact
from actions.language import looks_foreign
from actions.levels import ActionExplainLevel, asks_about_a_level
from actions.lookalikes import answer_lookalike
from actions.members import asks_which_campuses, campuses_with_members_of_type
from actions.replies import button
from actions.search import ActionListCampuses, ActionSearchCampus, aspect_of_one_campus
from actions.understanding import (
    asks_a_difference,
    asks_for_a_list,
    asks_to_be_guided,
    asks_what_it_means,
    criteria_from_message,
    entity_values,
    is_off_topic,
    latest_text,
    member_type,
    picks_a_result,
    says_campus,
)

# Words that make a message about studies and campuses even when it names no knowledge-base term.
INTENT_DESCRIPTIONS = {
    "search_campus": "Chercher un campus par secteur, niveau ou lieu",
    "refine_search": "Préciser ma dernière recherche",
    "tell_interest": "Trouver un secteur selon mes goûts",
    "undecided": "Je ne sais pas quoi faire",
    "start_guided_search": "Être guidé pas à pas",
    "ask_campus_details": "En savoir plus sur un campus",
    "ask_campus_location": "Où se trouve un campus",
    "ask_campus_lead": "Qui porte un campus",
    "ask_campus_members": "Les membres d'un campus",
    "ask_campus_trainings": "Les formations d'un campus",
    "ask_campus_label": "Le label d'un campus",
    "ask_establishment_campus": "Le campus d'un établissement",
    "list_campuses": "Voir la liste des campus",
    "ask_level": "Comprendre un niveau de diplôme",
    "ask_sources": "Les sources de mes réponses",
    "fact_definition": "Ce qu'est un campus des métiers",
    "ask_human": "Parler à un conseiller",
}
MAX_SUGGESTIONS = 3


def _asks_what_a_campus_is(text: str) -> bool:
    return asks_what_it_means(text) and says_campus(text)


class ActionSuggestRephrase(KnowledgeAction):
    def name(self) -> str:
        return "action_suggest_rephrase"

    def act(self, kb, dispatcher, tracker, domain):
        events = answer_chosen_button(kb, dispatcher, tracker, domain)
        if events is not None:
            return events
        text = latest_text(tracker)
        if picks_a_result(text):  # « celui en 4 il a l'air bien »
            return run_payload(kb, dispatcher, tracker, domain, "/choose_result", text=text)
        lookalike = answer_lookalike(kb, dispatcher, [text])
        if lookalike is not None:
            return lookalike
        if looks_foreign(text):
            dispatcher.utter_message(response="utter_other_language")
            return []
        about_focus = about_campus_in_focus(kb, dispatcher, tracker, domain)  # « qui fait partie de ce campus ? »
        if about_focus is not None:
            return about_focus
        wanted = member_type(tracker)
        if wanted and asks_which_campuses(tracker):  # « quels campus ont un CFA parmi leurs membres ? »
            return campuses_with_members_of_type(kb, dispatcher, wanted)
        criteria = criteria_from_message(kb, tracker)
        aspect = aspect_of_one_campus(kb, tracker, criteria)  # « les établissements du campus industrie du futur »
        if aspect is not None:
            return run_payload(kb, dispatcher, tracker, domain, aspect, text=text)
        if criteria.level and asks_about_a_level(kb, text):  # « la différence entre CAP et bac pro ? »
            return ActionExplainLevel().act(kb, dispatcher, tracker, domain)
        # « on habite à Meaux, quels campus près de chez nous ? », « et jusqu'à bac+2 ? » after a search,
        # « quels campus ont la mention excellence ? »
        lists_a_status = criteria.status and not asks_what_it_means(text)  # not « c'est quoi ce label »
        if criteria.sector or criteria.place or criteria.level or lists_a_status or asks_to_be_guided(text):
            return ActionSearchCampus().act(kb, dispatcher, tracker, domain)
        if entity_values(tracker, "establishment"):
            return ActionEstablishmentCampus().act(kb, dispatcher, tracker, domain)
        if kb.orientation_fact(text):  # « comment mes élèves peuvent intégrer un campus ? »
            return ActionAnswerOrientation().act(kb, dispatcher, tracker, domain)
        # « que signifie la mention excellence ? », « campus d'excellence vs labellisé, la diff ? »
        if criteria.status and (asks_what_it_means(text) or asks_a_difference(text)):
            return ActionAnswerFact().act(kb, dispatcher, tracker, domain, key=status_fact(tracker))
        if _asks_what_a_campus_is(text):  # « c koi les campus »
            return ActionAnswerFact().act(kb, dispatcher, tracker, domain, key="definition")
        if says_campus(text) and asks_for_a_list(text):  # « liste des campus en IDF »
            return ActionListCampuses().act(kb, dispatcher, tracker, domain)
        if is_off_topic(kb, text):
            dispatcher.utter_message(response="utter_out_of_scope")
            return []
        ranking = tracker.latest_message.get("intent_ranking", [])
        likely = [entry["name"] for entry in ranking if entry.get("name") in INTENT_DESCRIPTIONS]
        buttons = [button(INTENT_DESCRIPTIONS[name], name) for name in likely[:MAX_SUGGESTIONS]]
        if not buttons:
            buttons = [button(INTENT_DESCRIPTIONS[name], name)
                       for name in ("start_guided_search", "list_campuses", "fact_definition")]
        dispatcher.utter_message(response="utter_rephrase_or_choose", buttons=buttons)
        return []
