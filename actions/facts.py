"""General questions about CMQs (one intent per fact, answered from the knowledge base),
orientation questions around them (Parcoursup, alternance, internat, coût: one intent, the
fact picked by the words of the question), the sources of the last answer, and human help."""

from __future__ import annotations

import re

from rasa_sdk.events import SlotSet

from actions.base import KnowledgeAction
from actions.buttons import campus_payload, run_payload
from actions.establishments import ActionEstablishmentCampus
from actions.levels import ActionExplainLevel, asks_about_a_level
from actions.lookalikes import answer_lookalike
from actions.members import asks_which_campuses, campuses_with_members_of_type
from actions.replies import button, campus_sector_buttons, checked_phrase, french_date, sources_phrase
from actions.search import ActionListCampuses, ActionSearchCampus
from actions.understanding import (
    asks_a_difference,
    asks_for_a_list,
    asks_for_a_site,
    asks_what_it_means,
    asks_which_campus,
    asks_who_answers,
    aspect_asked,
    campuses_named,
    entity_values,
    is_off_topic,
    latest_text,
    member_type,
    picks_a_result,
    says_campus,
)
from knowledge.textnorm import normalize

FACT_INTENT_PREFIX = "fact_"
# « qui fait partie de ce campus ? » asks the campus in focus, not the general fact.
ASPECT_OF_FACT = {"ecosystem": "ask_campus_members", "levels": "ask_campus_trainings",
                  "label-rules": "ask_campus_label", "excellence": "ask_campus_label",
                  "definition": "ask_campus_details", "national-sectors": "ask_campus_trainings"}
_THIS_CAMPUS = re.compile(r"\b(?:ce|cet|le meme) (?:campus|cmq)\b|\bson label\b|\ben fait partie\b|\bses membres\b")
DEFAULT_FACT = "definition"
APPRENTICESHIP_FACT = "alternance"  # what apprenticeship is; with a job named, a search in apprenticeship
STATUS_FACTS = ("excellence", "label-rules")  # facts about what a status means
FOLLOW_UPS = {  # facts offered after a fact, as buttons
    "definition": ("ecosystem", "excellence"),
    "ecosystem": ("levels", "region"),
    "excellence": ("label-rules",),
    "creation": ("definition",),
    "levels": ("ecosystem",),
}


def fact_key(intent: str | None) -> str:
    """"fact_label_rules" -> "label-rules"."""
    if intent and intent.startswith(FACT_INTENT_PREFIX):
        return intent.removeprefix(FACT_INTENT_PREFIX).replace("_", "-")
    return DEFAULT_FACT


def fact_intent(key: str) -> str:
    return FACT_INTENT_PREFIX + key.replace("-", "_")


class ActionAnswerFact(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_fact"

    def act(self, kb, dispatcher, tracker, domain, key: str | None = None):
        """Answer the fact of the intent, or `key` when another action hands over a question;
        a question about a look-alike of a CMQ or about « ce campus » is answered as such."""
        text = latest_text(tracker)
        lookalike = answer_lookalike(kb, dispatcher, [text])
        if lookalike is not None:
            return lookalike
        key = key or fact_key(tracker.latest_message.get("intent", {}).get("name"))
        # « et jusqu'à bac+2 ? », « le CAP, quel niveau ? », « un BTS ça vaut combien d'années ? »
        if asks_about_a_level(kb, text) and (key == "levels" or not says_campus(text)):
            return ActionExplainLevel().act(kb, dispatcher, tracker, domain)
        wanted = member_type(tracker)
        if key == "ecosystem" and wanted and asks_which_campuses(tracker):  # « quels campus ont un CFA ? »
            return campuses_with_members_of_type(kb, dispatcher, wanted)
        if key in STATUS_FACTS and _asks_for_campuses_of_a_status(tracker):
            return ActionListCampuses().act(kb, dispatcher, tracker, domain)
        # « l'inventaire complet des CMQ franciliens », « tu connais quels campus en tout ? »
        if key == "counts" and (asks_for_a_list(text) or asks_which_campus(text)):
            return ActionListCampuses().act(kb, dispatcher, tracker, domain)
        if key == DEFAULT_FACT and kb.orientation_fact(text):  # « comment mes élèves peuvent intégrer un campus ? »
            return ActionAnswerOrientation().act(kb, dispatcher, tracker, domain)
        focus = _campus_named(kb, tracker) or (tracker.get_slot("campus") if _THIS_CAMPUS.search(normalize(text))
                                               else None)
        if key in ASPECT_OF_FACT and focus:
            pressed = run_payload(kb, dispatcher, tracker, domain,
                                  campus_payload(ASPECT_OF_FACT[key], focus), text=text)
            if pressed is not None:
                return pressed
        fact = kb.fact(key) or kb.fact(DEFAULT_FACT)
        buttons = [button(kb.fact(key).question, fact_intent(key)) for key in FOLLOW_UPS.get(fact.key, ())]
        buttons.append(button("Je cherche une formation", "start_guided_search"))
        text = f"{fact.answer}\n{sources_phrase(fact.sources)}"
        if fact.key == "national-sectors":  # « quels secteurs ? »: first those of the campuses here
            buttons = campus_sector_buttons(kb)
            text = (f"Les campus de mes données couvrent {len(buttons)} secteurs, à choisir ci-dessous.\n"
                    f"Au niveau national : {text[0].lower()}{text[1:]}")
        dispatcher.utter_message(text=text, buttons=buttons)
        return [SlotSet("topic", f"fact:{fact.key}")]


def status_fact(tracker) -> str:
    """The fact that says what the statuses named mean: the excellence mention, else the label."""
    return "excellence" if "excellence" in entity_values(tracker, "status") else "label-rules"


def _asks_for_campuses_of_a_status(tracker) -> bool:
    """« les campus labellisés et d'excellence ? », « quels campus sont d'excellence ? »: the
    campuses of those statuses, not what the status means."""
    text = latest_text(tracker)
    if asks_what_it_means(text) or asks_a_difference(text):  # « c'est quoi la différence entre … ? »
        return False
    statuses = set(entity_values(tracker, "status"))
    lists = asks_for_a_list(text)  # « montre-moi les campus d'excellence »
    return len(statuses) > 1 or bool(statuses and (asks_which_campuses(tracker) or lists))


def about_campus_in_focus(kb, dispatcher, tracker, domain) -> list[dict] | None:
    """A question the NLU did not classify that asks about « ce campus »: answered about the
    campus in focus, the aspect read from its words; None when it does not apply."""
    text = latest_text(tracker)
    focus = tracker.get_slot("campus")
    if not focus or not _THIS_CAMPUS.search(normalize(text)):
        return None
    intent = aspect_asked(text) or "ask_campus_details"
    return run_payload(kb, dispatcher, tracker, domain, campus_payload(intent, focus), text=text)


class ActionAnswerOrientation(KnowledgeAction):
    """« c'est quoi Parcoursup ? », « c'est payant ? »: a short sourced answer and the official
    service; a question naming none of the topics gets the list of topics as buttons; a job or
    training named with « en apprentissage » is a search in apprenticeship; an establishment
    named, with no topic, is the question of its campus."""

    def name(self) -> str:
        return "action_answer_orientation"

    def act(self, kb, dispatcher, tracker, domain):
        facts = kb.orientation_facts()
        chosen = next((e.get("value") for e in tracker.latest_message.get("entities", [])
                       if e.get("entity") == "orientation"), None)
        fact = (kb.fact(chosen) if chosen in {f.key for f in facts}
                else kb.orientation_fact(tracker.latest_message.get("text") or ""))
        text = latest_text(tracker)
        if fact is None and entity_values(tracker, "establishment"):  # « l'ecole boule c dans quel campus »
            return ActionEstablishmentCampus().act(kb, dispatcher, tracker, domain)
        if fact is None and text and (kb.resolver.sector(text) or kb.resolver.place(text)):
            # « fret et commerce international »: no orientation topic, but a field to search
            return run_payload(kb, dispatcher, tracker, domain, "/search_campus", text=text)
        if (fact is not None and fact.key == APPRENTICESHIP_FACT and entity_values(tracker, "sector")
                and not asks_what_it_means(text)):  # « plombier cap en apprentissage »: where, not what it is
            return ActionSearchCampus().act(kb, dispatcher, tracker, domain)
        if fact is None and is_off_topic(kb, tracker.latest_message.get("text") or ""):
            dispatcher.utter_message(response="utter_out_of_scope")  # « comment on fait une crêpe ? »
            return []
        if fact is None:
            dispatcher.utter_message(response="utter_orientation_topics",
                                     buttons=[button(f.question, "ask_orientation", orientation=f.key) for f in facts])
            return []
        text = fact.answer + (f"\nPour aller plus loin : {fact.link}" if fact.link else "")
        others = [f for f in facts if f.key != fact.key][:2]
        buttons = [button(f.question, "ask_orientation", orientation=f.key) for f in others]
        buttons.append(button("Je cherche une formation", "start_guided_search"))
        dispatcher.utter_message(text=f"{text}\n{sources_phrase(fact.sources)}", buttons=buttons)
        return [SlotSet("topic", f"fact:{fact.key}")]


def _campus_named(kb, tracker) -> str | None:
    """The campus a question names, by its name or, after the word « campus », by a sector or
    place (« le campus tourisme »)."""
    named = campuses_named(kb, tracker, by_sector_or_place="campus" in normalize(latest_text(tracker)).split())
    return named[0] if named else None


class ActionGiveSources(KnowledgeAction):
    """The sources of what was last said (a campus or a fact), with the date they were checked."""

    def name(self) -> str:
        return "action_give_sources"

    def act(self, kb, dispatcher, tracker, domain):
        text = latest_text(tracker)
        if asks_for_a_site(text) and not {"source", "sources"} & set(normalize(text).split()):  # « leur site ? »
            return ActionHandoff().act(kb, dispatcher, tracker, domain)
        # « des informations sur le dernier campus cité »: a campus picked, not its sources
        if picks_a_result(text) and not {"source", "sources"} & set(normalize(text).split()):
            return run_payload(kb, dispatcher, tracker, domain, "/choose_result", text=text)
        kind, _, key = (tracker.get_slot("topic") or "").partition(":")
        named = _campus_named(kb, tracker)
        if named:  # « tes sources pour le campus tourisme ? »
            kind, key = "campus", named
        subject, sources = None, ()
        if kind == "campus":
            details = kb.campus(key)
            if details:
                subject, sources = f"le campus {details.summary.short_name}", details.sources
        elif kind == "fact":
            fact = kb.fact(key)
            if fact:
                subject, sources = "cette réponse", fact.sources
        elif kind == "training" and key.isdigit() and kb.training(int(key)):
            subject, sources = f"le {kb.training(int(key)).title}", kb.training_sources(int(key))
        if not sources:
            oldest, newest = kb.data_checked()
            when = (f"le {french_date(oldest.isoformat())}" if oldest == newest else
                    f"entre le {french_date(oldest.isoformat())} et le {french_date(newest.isoformat())}")
            dispatcher.utter_message(
                text=f"Mes données viennent de {kb.stats()['sources']} sources publiques (Région Île-de-France, "
                     f"Onisep, universités, presse…), vérifiées {when}. Choisissez un campus pour voir les siennes :",
                buttons=[button(campus.short_name, "ask_sources", campus=campus.key) for campus in kb.all_campuses()])
            return []
        lines = [f"Sources pour {subject} :"]
        lines += [f"• {s.title} — {s.publisher} : {s.url} ({checked_phrase(s.checked_on)})" for s in sources]
        dispatcher.utter_message(text="\n".join(lines))
        return []


class ActionHandoff(KnowledgeAction):
    """Who to talk to: a counsellor (psyEN, CIO, Onisep's service), and the campus's site if known;
    asked whether a person answers (« je parle à un bot ? »), that the assistant is a program."""

    def name(self) -> str:
        return "action_handoff"

    def act(self, kb, dispatcher, tracker, domain):
        if asks_who_answers(latest_text(tracker)):  # « je parle à une vraie personne là ? »
            dispatcher.utter_message(response="utter_bot_challenge")
            return []
        fact = kb.fact("human-help")
        campus_key = _campus_named(kb, tracker) or tracker.get_slot("campus")
        details = kb.campus(campus_key) if campus_key else None
        site = ""
        if details and details.website:
            site = f"Le site du campus {details.summary.short_name} : {details.website}"
        elif details:
            leads = ", ".join(lead.name for lead in details.leads)
            site = (f"Mes sources ne donnent pas de site pour le campus {details.summary.short_name}"
                    + (f" ; vous pouvez contacter sa tête de réseau : {leads}." if leads else "."))
        help_text = f"{fact.answer}\n{sources_phrase(fact.sources)}"
        parts = [site, help_text] if asks_for_a_site(latest_text(tracker)) else [help_text, site]
        buttons = ([button(f"Le campus {details.summary.short_name}", "ask_campus_details", campus=details.summary.key),
                    button("Les sources", "ask_sources", campus=details.summary.key)] if details else [])
        dispatcher.utter_message(text="\n".join(part for part in parts if part), buttons=buttons)
        return []
