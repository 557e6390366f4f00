"""Answers to the buttons of the previous message given as text: "2", "le deuxième", or the
button's words. Text-only channels show buttons as a numbered list (bot/extensions/channels/text_only.py);
this turns the answer back into the button's payload and runs the action it asks for."""

from __future__ import annotations

import json
import re

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction

from actions.understanding import latest_text, ordinal_index
from knowledge.textnorm import normalize

_PAYLOAD = re.compile(r"^/(\w+)(\{.*\})?$", re.DOTALL)


def last_answers(tracker: Tracker) -> list[dict]:
    """The data (buttons, custom payload) of the assistant's messages between the user's last two
    messages, the latest first."""
    events = tracker.events or []
    users = [index for index, event in enumerate(events) if event.get("event") == "user"]
    if not users:
        return []
    answers = []
    for event in reversed(events[:users[-1]]):
        if event.get("event") == "user":
            break
        if event.get("event") == "bot":
            answers.append(event.get("data") or {})
    return answers


def last_buttons(tracker: Tracker) -> list[dict]:
    """The buttons of the assistant's last answer before the current user message."""
    return next((data["buttons"] for data in last_answers(tracker) if data.get("buttons")), [])


def chosen_button(tracker: Tracker) -> dict | None:
    """The button the user picks by number, ordinal or title; None if none is picked."""
    buttons = last_buttons(tracker)
    if not buttons:
        return None
    text = normalize(latest_text(tracker))
    for button in buttons:
        if text and text == normalize(button.get("title", "")):
            return button
    index = ordinal_index(tracker)
    if index is not None and -len(buttons) <= index < len(buttons):
        return buttons[index]
    return None


def campus_payload(intent: str, campus_key: str) -> str:
    """The payload asking `intent` about one campus: « /ask_campus_trainings{"campus": "…"} »."""
    return f"/{intent}" + json.dumps({"campus": campus_key})


def run_payload(kb, dispatcher, tracker: Tracker, domain, payload: str, text: str | None = None) -> list[dict] | None:
    """Run what a button payload asks for; None when it is not an intent payload we handle.
    `text`: what the user typed, when the payload stands for a typed question."""
    from actions.registry import action_for_intent  # the registry imports the actions using this module

    found = _PAYLOAD.match(payload.strip())
    if not found:
        return None
    intent, raw = found.group(1), found.group(2)
    try:
        entities = json.loads(raw) if raw else {}
    except json.JSONDecodeError:
        return None
    target = action_for_intent(intent)
    if target is None:
        return None
    if isinstance(target, str):  # a response, or a form to start
        if target.startswith("utter_"):
            dispatcher.utter_message(response=target)
            return []
        return [FollowupAction(target)]
    message = {"text": text or payload, "intent": {"name": intent, "confidence": 1.0},
               "entities": [{"entity": name, "value": value} for name, value in entities.items()]}
    pressed = Tracker(tracker.sender_id, tracker.slots, message, tracker.events, tracker.is_paused(),
                      tracker.followup_action, tracker.active_loop, tracker.latest_action_name)
    return target.act(kb, dispatcher, pressed, domain)


def answer_chosen_button(kb, dispatcher, tracker: Tracker, domain) -> list[dict] | None:
    """If the user picked a button of the last answer, run it; None otherwise."""
    picked = chosen_button(tracker)
    if picked is None:
        return None
    return run_payload(kb, dispatcher, tracker, domain, picked["payload"])
