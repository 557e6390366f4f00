"""What the Rasa server does with untrusted input and failing parts (applied by bot.rasa_runtime).

- Every user message, whatever its channel, is cleaned before NLU: terminal escape sequences,
  control characters and HTML tags become spaces (a tag is markup, not words of the
  question), text that is not valid Unicode is replaced, and the message is cut to
  MAX_MESSAGE_CHARS characters (what a question needs; a 100,000-character paste would
  otherwise cost seconds of NLU and be stored whole in the conversation).
- A conversation's lock (Redis, with several Rasa servers) is no longer held forever by a
  server that died while holding it: Rasa served a waiting message only if it was first in
  line, so a message whose own ticket expired while it waited (as long as the dead server's)
  was never served; now it is served once no earlier ticket is alive (after
  TICKET_LOCK_LIFETIME seconds, 20 in the cluster).
- A call to the action server that fails (server down, error, or no answer within
  CMQ_ACTION_TIMEOUT seconds, default 10) gives the user a short apology instead of silence;
  the next message tries the action server again.
"""

from __future__ import annotations

import logging
import os
import re
from typing import Any

import aiohttp
from rasa.core.actions import action as rasa_action
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction, create_bot_utterance
from rasa.core.lock import TicketLock
from rasa.core.processor import MessageProcessor

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 1000
ACTION_TIMEOUT_ENV = "CMQ_ACTION_TIMEOUT"
DEFAULT_ACTION_TIMEOUT = 10.0
ACTIONS_UNAVAILABLE = "Désolé, je ne peux pas consulter les campus pour le moment. Réessayez dans quelques instants."
_NOT_WORDS = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|[\x00-\x08\x0b-\x1f\x7f-\x9f]|</?[A-Za-z!][^<>]{0,200}>")

_ORIGINAL_HANDLE_MESSAGE = MessageProcessor.handle_message
_ORIGINAL_REMOTE_RUN = RemoteAction.run


def clean_message(text: Any) -> str:
    """The user's text as the assistant reads it: no control characters or tags, valid UTF-8, bounded."""
    if not isinstance(text, str):
        return ""
    text = _NOT_WORDS.sub(" ", text[:MAX_MESSAGE_CHARS])
    return text.encode("utf-8", "replace").decode("utf-8")


def action_timeout() -> float:
    """Seconds the Rasa server waits for the action server (CMQ_ACTION_TIMEOUT)."""
    try:
        seconds = float(os.environ.get(ACTION_TIMEOUT_ENV) or DEFAULT_ACTION_TIMEOUT)
    except ValueError:
        seconds = DEFAULT_ACTION_TIMEOUT
    return seconds if seconds > 0 else DEFAULT_ACTION_TIMEOUT


async def _handle_clean_message(self: MessageProcessor, message):
    message.text = clean_message(message.text)
    return await _ORIGINAL_HANDLE_MESSAGE(self, message)


async def _run_or_apologise(self: RemoteAction, output_channel, nlg, tracker, domain):
    try:
        return await _ORIGINAL_REMOTE_RUN(self, output_channel, nlg, tracker, domain)
    except ActionExecutionRejection:
        raise  # a form's validation refused the answer: Rasa handles it
    except Exception as error:  # the action server is down, failing or too slow
        logger.error("Action %s unavailable (%s): the user gets an apology.", self.name(), type(error).__name__)
        return [create_bot_utterance({"text": ACTIONS_UNAVAILABLE})]


def locked_by_an_earlier_live_ticket(self: TicketLock, ticket_number: int) -> bool:
    """Whether the message holding `ticket_number` must still wait (replaces TicketLock.is_locked)."""
    return any(ticket.number < ticket_number and not ticket.has_expired() for ticket in self.tickets)


def apply() -> None:
    TicketLock.is_locked = locked_by_an_earlier_live_ticket
    MessageProcessor.handle_message = _handle_clean_message
    RemoteAction.run = _run_or_apologise
    rasa_action.DEFAULT_REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=action_timeout())
