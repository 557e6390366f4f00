"""What users ask about one campus: overview, place, lead, members, trainings, label; and
"le premier" / "le 2" picking a button of the last message, or a campus from the last list;
and « quels campus ont un CFA ? » across campuses."""

from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions.base import KnowledgeAction
from actions.buttons import answer_chosen_button, last_answers, run_payload
from actions.campus_card import campus_card, glance_text, is_card_of
from actions.establishments import ActionEstablishmentCampus
from actions.facts import ActionAnswerFact, status_fact
from actions.levels import ActionExplainLevel, asks_about_a_level
from actions.lookalikes import answer_lookalike, names_a_lookalike_in_full
from actions.members import asks_which_campuses, campuses_with_members_of_type
from actions.replies import (
    button,
    campus_buttons,
    flat,
    french_date,
    in_department,
    label_phrase,
    level_words,
    members_text,
    others_phrase,
    sources_phrase,
    unsure_phrase,
)
from actions.search import reply_with_search
from actions.understanding import (
    ASPECT_KEYWORDS,
    asks_what_it_means,
    asks_which_campus,
    aspect_asked,
    criteria_from_message,
    entity_values,
    latest_text,
    member_type,
    ordinal_index,
    says_campus,
)
from knowledge.records import CampusDetails
from knowledge.textnorm import normalize

MAX_PER_LEVEL = 4
ASPECT_OF_INTENT = {
    "ask_campus_details": "details", "ask_campus_location": "location", "ask_campus_lead": "lead",
    "ask_campus_members": "members", "ask_campus_trainings": "trainings", "ask_campus_label": "label",
    "choose_result": "details",
}
# The aspects a question's words may add to « tell me about this campus »: not its place, since
# « ou » is « or » as often as « où » once accents are dropped.
ASPECTS_READ_FROM_WORDS = {"ask_campus_lead": "lead", "ask_campus_members": "members",
                           "ask_campus_trainings": "trainings", "ask_campus_label": "label"}


def find_campus(kb, tracker) -> CampusDetails | None:
    """The campus the user means: named, or through its sector and place, or the one in focus.
    In « c'est loin de Melun ? » the town is where the user starts from, not the campus."""
    for value in entity_values(tracker, "campus"):
        details = kb.campus(value)
        if details:
            return details
    # « qui le pilote ? »: « pilote » asks for the lead here, it is not the aircraft pilot's sector
    sectors = [value for value in entity_values(tracker, "sector") if normalize(value) not in ASPECT_KEYWORDS]
    places = entity_values(tracker, "place")
    focus = tracker.get_slot("campus")
    if focus and not sectors and asks_how_far(latest_text(tracker)):
        return kb.campus(focus)
    if sectors or places:
        keys = kb.search(sector=" ".join(sectors) or None, place=" ".join(places) or None).campus_keys
        if keys:
            return kb.campus(keys[0])
    for value in sectors + places:
        details = kb.campus(value)
        if details:
            return details
    text = " ".join(word for word in latest_text(tracker).split() if normalize(word) not in ASPECT_KEYWORDS)
    found = kb.find_campuses(text) if text else []
    if found:
        return kb.campus(found[0].key)
    return kb.campus(focus) if focus else None


def asks_how_far(text: str | None) -> bool:
    words = normalize(text or "").split()
    return "loin" in words or "distance" in words or "km" in words


def asks_for_streams(text: str | None) -> bool:
    """« quelles filières pour le campus X ? »: the campus's streams, not its trainings."""
    return bool({"filiere", "filieres"} & set(normalize(text or "").split()))


def _streams(details: CampusDetails) -> str:
    name, sectors = details.summary.short_name, details.summary.sectors
    word = "secteurs" if len(sectors) > 1 else "secteur"
    if details.streams:
        text = f"Le campus {name} couvre ces filières : {', '.join(details.streams)} ({word} {', '.join(sectors)})."
    else:
        text = (f"Mes sources ne détaillent pas les filières du campus {name} ; "
                f"{'ses' if len(sectors) > 1 else 'son'} {word} : {', '.join(sectors)}.")
    count = len(details.trainings)
    if count:
        text += (f" Mes sources y citent {count} formation{'s' if count > 1 else ''} : "
                 "le bouton « Les formations » les donne par niveau.")
    return text


def describe(details: CampusDetails, aspect: str, tracker, kb=None) -> str:
    summary = details.summary
    name = summary.short_name
    if aspect == "location":
        academies = ", ".join(summary.academies)
        where = f"Le lieu du campus {name} n'est pas précisé dans mes sources"
        if summary.commune:
            where = f"Le campus {name} se trouve à {summary.place_label}"
        elif summary.department:
            where = f"Le campus {name} se trouve {in_department(summary.department)} ({summary.department})"
        within = "les académies" if len(summary.academies) > 1 else "l'académie"
        text = where + (f", dans {within} de {academies}." if academies else ".")
        text += distance_phrase(kb, summary.commune, tracker) if kb else ""
    elif aspect == "lead":
        leads = details.leads
        text = (f"Le campus {name} est porté par : " + ", ".join(lead.name for lead in leads) + "."
                if leads else f"Mes sources n'indiquent pas l'établissement tête de réseau du campus {name}.")
    elif aspect == "members":
        text = members_text(details, member_type(tracker))
    elif aspect == "trainings":
        text = _trainings(details)
    elif aspect == "streams":
        text = _streams(details)
    elif aspect == "label":
        text = "\n".join([f"{summary.name} : {label_phrase(summary)}", *_key_dates(details)])
    elif aspect == "details":
        return glance_text(details)
    else:
        text = _overview(details)
    if details.note and aspect in ("more", "location", "lead", "label"):
        text += f"\nÀ noter : {details.note}"
    return text + "\n" + sources_phrase(details.sources)


def distance_phrase(kb, commune: str | None, tracker) -> str:
    """« C'est à environ 15 km à vol d'oiseau de Versailles » for a commune the user names (in
    this message, or as the place of the conversation when asking « c'est loin ? »); an
    invitation to name one when the user asks how far without saying from where; else nothing."""
    text = latest_text(tracker) or ""
    asks = asks_how_far(text)
    here = kb.positions.of(commune)
    named = [town for town in kb.towns_named(text) if not here or kb.positions.of(town) != here]
    if not named and asks and tracker.get_slot("place"):
        named = kb.towns_named(tracker.get_slot("place"))
    if not commune or not (named or asks):
        return ""
    if not named:
        return "\nPour la distance, dites-moi d'où vous partez, par exemple « c'est loin de Melun ? »."
    start = named[0]
    km = kb.positions.distance_km(start, commune)
    if km is None:
        unknown = commune if kb.positions.of(start) else start
        return f"\nJe n'ai pas la position de {unknown} dans mes données : je ne peux pas donner la distance."
    around = "moins de 5 km" if km < 5 else f"environ {round(km / 5) * 5 if km >= 20 else round(km)} km"
    return (f"\nC'est à {around} à vol d'oiseau de {start} ; le trajet réel dépend des transports "
            "(le calculateur d'itinéraires d'Île-de-France Mobilités vous le dira).")


def _overview(details: CampusDetails) -> str:
    """Everything known about the campus but its members and trainings: « Plus de détails »."""
    summary = details.summary
    lines = [f"{summary.name}", details.description, label_phrase(summary)]
    if summary.place_label:
        lines.append(f"Lieu : {summary.place_label}.")
    if summary.academies:
        lines.append(f"Académie{'s' if len(summary.academies) > 1 else ''} : {', '.join(summary.academies)}.")
    if details.leads:
        lines.append("Tête de réseau : " + ", ".join(lead.name for lead in details.leads) + ".")
    if details.streams:
        lines.append("Filières : " + ", ".join(details.streams) + ".")
    if details.website:
        lines.append(f"Site : {details.website}")
    doubt = unsure_phrase(summary)
    if doubt:
        lines.append(doubt)
    return "\n".join(lines + _key_dates(details))


def _key_dates(details: CampusDetails) -> list[str]:
    """« Dates clés : » and a line per milestone; nothing when the sources give none."""
    dated = [f"• {french_date(m.date) or 'date non précisée'} : {m.text}" for m in details.milestones]
    return ["Dates clés :", *dated] if dated else []


def _trainings(details: CampusDetails) -> str:
    """The campus's trainings by level, the lowest first: the CAP-to-doctorate path."""
    name = details.summary.short_name
    lines = []
    if details.level_min:
        span = (f"du niveau {details.level_min} au niveau {details.level_max}")
        doubt = " (à confirmer)" if "levels" in details.summary.unsure else ""
        note = f" {details.level_note}" if details.level_note else ""
        lines.append(f"Le campus {name} forme {span}{doubt}.{note}")
    if details.trainings:
        count = len(details.trainings)
        for_whom = "" if lines else f" pour le campus {name}"  # the answer names its campus
        lines.append(f"{count} formation{'s' if count > 1 else ''} citée{'s' if count > 1 else ''} "
                     f"par mes sources{for_whom} :")
        by_level: dict[int | None, list] = {}
        for training in details.trainings:
            by_level.setdefault(training.level, []).append(training)
        for level, trainings in by_level.items():
            shown = ", ".join(f"{t.title} ({flat(t.establishment)}{', à confirmer' if t.unsure else ''})"
                              for t in trainings[:MAX_PER_LEVEL])
            more = others_phrase(len(trainings) - MAX_PER_LEVEL) if len(trainings) > MAX_PER_LEVEL else ""
            lines.append(f"• {level_words(level).capitalize()} : {shown}{more}.")
    if not lines:
        lines.append(f"Mes sources ne détaillent pas les formations du campus {name}. "
                     "Un campus des métiers couvre en principe du CAP au doctorat : renseignez-vous auprès du campus.")
    return "\n".join(lines)


def _next_buttons(details: CampusDetails, aspect: str) -> list[dict]:
    key = details.summary.key
    if aspect == "details":
        options = [("Les formations", "ask_campus_trainings"), ("Les membres", "ask_campus_members"),
                   ("Plus de détails", "ask_campus_details"), ("Les sources", "ask_sources")]
        return [button(title, intent, campus=key) for title, intent in options]
    options = [("Les membres", "ask_campus_members"), ("Les formations", "ask_campus_trainings"),
               ("Où est-il ?", "ask_campus_location"), ("Les sources", "ask_sources")]
    if aspect != "more":
        options.insert(0, ("Présentation", "ask_campus_details"))
    current = {"members": "ask_campus_members", "trainings": "ask_campus_trainings",
               "location": "ask_campus_location"}.get(aspect)
    return [button(title, intent, campus=key) for title, intent in options if intent != current][:4]


class ActionCampusDetails(KnowledgeAction):
    def name(self) -> str:
        return "action_campus_details"

    def act(self, kb, dispatcher, tracker, domain):
        intent = tracker.latest_message.get("intent", {}).get("name")
        aspect = "streams" if asks_for_streams(latest_text(tracker)) else ASPECT_OF_INTENT.get(intent, "details")
        if aspect == "details":  # « quels diplômes prépare-t-on au campus santé ? » asks its trainings
            aspect = ASPECTS_READ_FROM_WORDS.get(aspect_asked(latest_text(tracker)), "details")
        text = latest_text(tracker)
        if not (entity_values(tracker, "campus") or says_campus(text)) and asks_about_a_level(kb, text):
            return ActionExplainLevel().act(kb, dispatcher, tracker, domain)  # « le BUT, c'est quel niveau ? »
        if _asks_for_a_training(kb, tracker, aspect):  # « le DN MADE objet c'est où ? »: the training, not a campus
            return reply_with_search(kb, dispatcher, criteria_from_message(kb, tracker))
        wanted = member_type(tracker)
        if wanted and asks_which_campuses(tracker):  # « quels campus ont un CFA parmi leurs membres ? »
            return campuses_with_members_of_type(kb, dispatcher, wanted)
        if (asks_which_campus(text) and not entity_values(tracker, "campus")  # « kiné ou ergo, dans quel campus ? »
                and criteria_from_message(kb, tracker).any()):
            return run_payload(kb, dispatcher, tracker, domain, "/search_campus", text=text)
        if names_a_lookalike_in_full(kb, latest_text(tracker)):
            return answer_lookalike(kb, dispatcher, [latest_text(tracker)])
        details = find_campus(kb, tracker)
        if details is None and aspect == "label" and (tracker.get_slot("topic") or "").startswith("fact:"):
            return ActionAnswerFact().act(kb, dispatcher, tracker, domain, key="creation")
        if details is None and aspect == "label" and asks_what_it_means(text):  # « que signifie la mention… ? »
            return ActionAnswerFact().act(kb, dispatcher, tracker, domain, key=status_fact(tracker))
        if details is None:
            lookalike = answer_lookalike(kb, dispatcher, entity_values(tracker, "campus") + [latest_text(tracker)])
            if lookalike is not None:
                return lookalike
            if entity_values(tracker, "establishment"):  # « quelles formations propose l'École Duperré ? »
                return ActionEstablishmentCampus().act(kb, dispatcher, tracker, domain)
            dispatcher.utter_message(response="utter_which_campus",
                                     buttons=campus_buttons(kb.all_campuses(), intent or "ask_campus_details"))
            return []
        key = details.summary.key
        if aspect == "details" and any(is_card_of(answer, key) for answer in last_answers(tracker)):
            aspect = "more"  # the card was the last answer: « Plus de détails », or asked again
        present(dispatcher, details, aspect, tracker, kb)
        return [SlotSet("campus", key), SlotSet("topic", f"campus:{key}")]


def present(dispatcher, details: CampusDetails, aspect: str, tracker, kb=None) -> None:
    """One answer about a campus; the first one (its details) carries the card for the widget."""
    card = campus_card(details) if aspect == "details" else None
    dispatcher.utter_message(text=describe(details, aspect, tracker, kb), buttons=_next_buttons(details, aspect),
                             json_message=card)


def _asks_for_a_training(kb, tracker, aspect: str) -> bool:
    """A question that names a diploma and a specialty or job but no campus is about a training;
    so is « where » or « which trainings » asked of a specialty or job alone (« études de
    sage-femme c'est où ? », « pompier ça s'apprend où ? »)."""
    text = latest_text(tracker)
    if entity_values(tracker, "campus") or not text:
        return False
    criteria = criteria_from_message(kb, tracker)
    sector = kb.resolver.sector(criteria.sector) if criteria.sector else None
    if not (sector and sector.trainings):
        return False
    if criteria.level and kb.resolver.level(criteria.level):
        return True
    return aspect in ("location", "trainings") and not says_campus(text)


class ActionChooseResult(KnowledgeAction):
    def name(self) -> str:
        return "action_choose_result"

    def act(self, kb, dispatcher, tracker, domain):
        events = answer_chosen_button(kb, dispatcher, tracker, domain)
        if events is not None:
            return events
        results = tracker.get_slot("last_results") or []
        index = ordinal_index(tracker)
        if not results or index is None or not -len(results) <= index < len(results):
            dispatcher.utter_message(response="utter_which_result", buttons=campus_buttons(kb.all_campuses()))
            return []
        details = kb.campus(results[index])
        present(dispatcher, details, "details", tracker)
        return [SlotSet("campus", details.summary.key), SlotSet("topic", f"campus:{details.summary.key}")]
