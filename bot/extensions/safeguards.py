"""What the assistant does with untrusted input and failing parts: the rules, applied to Rasa
by bot.extensions.rasa_patches (message cleaning, the apology, the timeout) and bot.extensions.stores (locks).

- Every user message, whatever its channel, is cleaned before NLU: terminal escape sequences,
  control characters and HTML tags become spaces (a tag is markup, not words of the
  question), text that is not valid Unicode is replaced, and the message is cut to
  MAX_MESSAGE_CHARS characters (what a question needs; a 100,000-character paste would
  otherwise cost seconds of NLU and be stored whole in the conversation). The payload a
  channel sends when a conversation starts (Telegram's « /start », rasa-webchat's and
  Messenger's « get_started ») is read as a greeting, so that the welcome answers it.
- A call to the action server that fails (server down, error, or no answer within
  CMQ_ACTION_TIMEOUT seconds, default 10) gives the user a short apology instead of silence;
  the next message tries the action server again.
- A conversation's lock (Redis, with several Rasa servers) is no longer held forever by a
  server that died while holding it (bot.extensions.stores.ExpiringRedisLockStore).
"""

from __future__ import annotations

import os
import re
from typing import Any

MAX_MESSAGE_CHARS = 1000
ACTION_TIMEOUT_ENV = "CMQ_ACTION_TIMEOUT"
DEFAULT_ACTION_TIMEOUT = 10.0
ACTIONS_UNAVAILABLE = "Désolé, je ne peux pas consulter les campus pour le moment. Réessayez dans quelques instants."
START_PAYLOADS = frozenset({"/start", "/get_started", "get_started", "/GET_STARTED", "GET_STARTED"})
GREETING = "/greet"
_NOT_WORDS = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|[\x00-\x08\x0b-\x1f\x7f-\x9f]|</?[A-Za-z!][^<>]{0,200}>")


def clean_message(text: Any) -> str:
    """The user's text as the assistant reads it: no control characters or tags, valid UTF-8, bounded."""
    if not isinstance(text, str):
        return ""
    if text.strip() in START_PAYLOADS:
        return GREETING
    text = _NOT_WORDS.sub(" ", text[:MAX_MESSAGE_CHARS])
    return text.encode("utf-8", "replace").decode("utf-8")


def action_timeout() -> float:
    """Seconds the Rasa server waits for the action server (CMQ_ACTION_TIMEOUT)."""
    try:
        seconds = float(os.environ.get(ACTION_TIMEOUT_ENV) or DEFAULT_ACTION_TIMEOUT)
    except ValueError:
        seconds = DEFAULT_ACTION_TIMEOUT
    return seconds if seconds > 0 else DEFAULT_ACTION_TIMEOUT
