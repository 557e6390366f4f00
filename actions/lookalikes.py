"""The answer to a question about something often taken for a campus des métiers et des
qualifications that is not one (« la cité des métiers de Roissy », « Bécheville »), whatever
intent the question was understood as."""

from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions.replies import button, not_a_cmq_phrase, sources_phrase


def answer_lookalike(kb, dispatcher, texts: list[str]) -> list[dict] | None:
    """Say what the first look-alike named in `texts` is; None when they name none."""
    found = [lookalike for text in texts if text for lookalike in kb.not_cmqs(text)]
    if not found:
        return None
    lookalike = found[0]
    dispatcher.utter_message(
        text=f"{not_a_cmq_phrase(lookalike)}\n{sources_phrase(lookalike.sources)}",
        buttons=[button("C'est quoi un CMQ ?", "fact_definition"), button("Voir tous les campus", "list_campuses")])
    return [SlotSet("topic", f"not_cmq:{lookalike.key}")]


def names_a_lookalike_in_full(kb, text: str) -> bool:
    """Whether `text` names a look-alike exactly, in words a campus name is only part of:
    « la Cité des métiers du Grand Roissy-Le Bourget » is not the Hub « Grand Roissy-Le Bourget »."""
    return any(mention.entity_type == "not_cmq" and mention.score == 100
               for mention in kb.vocabulary.find(text, {"campus", "not_cmq"}))
