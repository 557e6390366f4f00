"""The first answer about a campus, read at a glance: about 300 characters of plain text (what it
is, where, the levels in plain words, its head of network, the doubts in one « À vérifier »
line) and the same facts as a card the web widget draws (a custom payload beside the text, so
that REST clients, `cmq ask` and text-only channels keep the plain text)."""

from __future__ import annotations

import datetime as dt

from actions.replies import FIELD_LABELS, french_date, in_department, label_term_passed, others_phrase
from knowledge.records import CampusDetails

LEVEL_STEPS = {3: "CAP", 4: "bac", 5: "bac+2", 6: "bac+3", 7: "bac+5", 8: "doctorat"}
CARD_TYPE = "campus_card"
GIST_LENGTH = 130
MAX_LEADS = 2


def level_span(details: CampusDetails) -> tuple[tuple[int, int] | None, bool]:
    """The campus's levels and whether its sources state them: its stated range, else the range
    of the trainings its sources name (False), else None."""
    if details.level_min and details.level_max:
        return (details.level_min, details.level_max), True
    known = [training.level for training in details.trainings if training.level]
    return ((min(known), max(known)) if known else None), False


def levels_line(details: CampusDetails) -> str:
    """« Niveaux : du CAP au doctorat. », or from the named trainings « Formations citées : bac+5. »."""
    span, stated = level_span(details)
    title = "Niveaux" if stated else "Formations citées"
    if span is None:
        return "Niveaux : non précisés dans mes sources."
    low, high = (LEVEL_STEPS[level] for level in span)
    return f"{title} : {low if low == high else f'du {low} au {high}'}."


def doubts(details: CampusDetails, today: dt.date | None = None) -> list[str]:
    """What the sources leave unsure about the campus, in words; a label whose term has passed."""
    found = [FIELD_LABELS[field] for field in details.summary.unsure if field in FIELD_LABELS]
    years = label_term_passed(details.summary, today)
    if years:
        found.append(f"le renouvellement du label de {details.summary.labelled_on[:4]}")
    return found


def place_words(summary) -> str | None:
    """« Saint-Denis (93) », or « en Seine-et-Marne (77) » when only the département is known."""
    if summary.commune:
        return summary.place_label
    return f"{in_department(summary.department)} ({summary.department})" if summary.department else None


def gist(description: str, limit: int = GIST_LENGTH) -> str:
    """The description's first sentence, cut after its last clause that fits in `limit`."""
    end = description.find(". ")
    sentence = description if end < 0 else description[:end + 1]
    if len(sentence) <= limit:
        return sentence
    cut = max(sentence.rfind(mark, 0, limit) for mark in (", ", " : ", " ; ", " ("))
    return sentence[:cut].rstrip() + "…" if cut > 0 else sentence


def leads_phrase(details: CampusDetails) -> str | None:
    names = [lead.name for lead in details.leads]
    if not names:
        return None
    more = others_phrase(len(names) - MAX_LEADS) if len(names) > MAX_LEADS else ""
    return ", ".join(names[:MAX_LEADS]) + more


def glance_text(details: CampusDetails) -> str:
    """« Création numérique — campus d'excellence, Saint-Denis (93). » and four short lines."""
    summary = details.summary
    heading = f"{summary.short_name} — {summary.status_label}"
    place = place_words(summary)
    lines = [heading + (f", {place}." if place else "."), gist(details.description), levels_line(details)]
    leads = leads_phrase(details)
    if leads:
        lines.append(f"Tête de réseau : {leads}.")
    unsure = doubts(details)
    if unsure:
        lines.append("À vérifier : " + ", ".join(unsure) + ".")
    if details.sources:
        oldest = min(source.checked_on for source in details.sources)
        lines.append(f"Sources vérifiées le {french_date(oldest.isoformat())}.")
    return "\n".join(lines)


def campus_card(details: CampusDetails) -> dict:
    """The card's facts for the widget. Wrapped in "data": Rasa's socket.io channel emits the
    custom payload's keys as the event's arguments."""
    summary = details.summary
    span, stated = level_span(details)
    return {"data": {
        "type": CARD_TYPE,
        "campus": summary.key,
        "name": summary.short_name,
        "status": summary.status,
        "status_label": summary.status_label,
        "place": place_words(summary),
        "levels": ([{"level": level, "label": LEVEL_STEPS[level], "covered": span[0] <= level <= span[1]}
                    for level in LEVEL_STEPS] if span else []),
        "levels_title": "Niveaux" if stated else "Formations citées",
        "levels_unsure": "levels" in summary.unsure,
        "lead": leads_phrase(details),
        "to_check": doubts(details),
    }}


def is_card_of(message_data: dict | None, campus_key: str) -> bool:
    """Whether an answer's data carries this campus's card (the campus was just presented)."""
    card = ((message_data or {}).get("custom") or {}).get("data") or {}
    return card.get("type") == CARD_TYPE and card.get("campus") == campus_key
