"""Rasa's REST channel, refusing malformed requests with a clear French error.

Same URL and answers as Rasa's `rest` channel (POST /webhooks/rest/webhook with
{"sender": "...", "message": "..."}), but a request that is not a JSON object with a sender
and a text message gets an HTTP error saying what is wrong, instead of a server error or a
message filed under a shared "default" conversation (Rasa's channel writes the user's text in
its error log when a message times out or fails: bot.extensions.rasa_patches leaves it out). In
credentials.yml: `bot.extensions.channels.rest.CheckedRestInput:`.
"""

from __future__ import annotations

import json
import time
from typing import Any

from rasa.core.channels.rest import RestInput
from sanic import response
from sanic.request import Request

from bot.extensions import profiling

MAX_BODY_BYTES = 1_000_000
MAX_SENDER_CHARS = 200


class RequestRefused(Exception):
    """A request the channel does not pass on, with its HTTP status and French reason."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


def parse_request(content_type: str, body: bytes) -> dict[str, Any]:
    """The request's JSON object, once it has a sender and a text message; else RequestRefused."""
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise RequestRefused(415, "Envoyez un objet JSON avec l'en-tête « Content-Type: application/json ».")
    if len(body) > MAX_BODY_BYTES:
        raise RequestRefused(413, f"Requête trop longue (plus de {MAX_BODY_BYTES} octets).")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise RequestRefused(400, "Le corps de la requête n'est pas du JSON valide.") from None
    if not isinstance(data, dict):
        raise RequestRefused(400, 'Le corps de la requête doit être un objet JSON : {"sender": "…", "message": "…"}.')
    sender = data.get("sender")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        raise RequestRefused(400, "« sender » doit identifier la conversation : un texte non vide "
                                  f"de {MAX_SENDER_CHARS} caractères au plus.")
    if not isinstance(data.get("message"), str):
        raise RequestRefused(400, "« message » doit être le texte de l'utilisateur.")
    return data


async def _refuse_malformed(request: Request):
    if request.method != "POST":
        return None
    try:
        request.parsed_json = parse_request(request.headers.get("content-type", ""), request.body)
    except RequestRefused as refused:
        return response.json({"error": refused.reason}, status=refused.status)
    return None  # Rasa's handler reads request.parsed_json as request.json


class CheckedRestInput(RestInput):
    """Rasa's REST channel with the request checked before it reaches the assistant."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message):
        blueprint = super().blueprint(on_new_message)
        blueprint.middleware(_refuse_malformed, "request")
        if profiling.TIMES.path:  # make bench: the whole request, channel and response included
            blueprint.middleware(_start_timer, "request")
            blueprint.middleware(_stop_timer, "response")
        return blueprint


async def _start_timer(request: Request) -> None:
    request.ctx.started = time.perf_counter()


async def _stop_timer(request: Request, _response) -> None:
    started = getattr(request.ctx, "started", None)
    if started is not None and request.method == "POST":
        profiling.TIMES.add(profiling.REQUEST, time.perf_counter() - started)
