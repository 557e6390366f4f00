"""Concurrent conversations whose answers depend on their own context, played through the REST
channel: a reply naming another conversation's campus (cross-talk), an HTTP error, a timeout or
an empty reply is recorded; then what the conversation store kept of them. Used by the load
test and the cluster tests."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import aiohttp

CAMPUS_PHRASES = {  # campus key -> how a student names it
    "aeronautique-meaux": "aéronautique de Meaux", "aeronautique-spatial": "aéronautique et spatial",
    "creation-numerique": "création numérique", "hub-aeroportuaire": "hub aéroportuaire",
    "industrie-futur": "industrie du futur",
    "metiers-art-design": "mode et métiers d'art", "sante-bien-vieillir": "santé", "securite": "sécurité",
    "tourisme-val-europe": "tourisme", "versailles-patrimoine": "Versailles patrimoine",
    "ville-durable-93": "ville durable",
}
# (message, whether the answer must name the conversation's campus: it needs the context)
SCRIPT = [("bonjour", False), ("parle-moi du campus {phrase}", False), ("où se trouve-t-il ?", True),
          ("qui porte ce campus ?", True), ("c'est quoi un CMQ ?", False), ("quels sont ses membres ?", True),
          ("où se trouve ce campus ?", True), ("merci", False), ("qui porte ce campus ?", True),
          ("au revoir", False)]
TURNS = len(SCRIPT)


@dataclass
class Outcome:
    senders: list[str] = field(default_factory=list)
    messages: int = 0
    errors: list[str] = field(default_factory=list)
    crosstalk: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)


def campus_names() -> dict[str, str]:
    from knowledge.queries import open_knowledge_base

    knowledge_base = open_knowledge_base()
    return {key: knowledge_base.campus(key).summary.short_name for key in CAMPUS_PHRASES}


async def _conversation(session, index: int, server: Callable[[int, int], str], campus: str, name: str,
                        outcome: Outcome, pause: float) -> None:
    sender = f"load-{index}-{uuid.uuid4().hex[:8]}"
    outcome.senders.append(sender)
    for turn, (template, needs_context) in enumerate(SCRIPT):
        message = template.format(phrase=CAMPUS_PHRASES[campus])
        started = asyncio.get_running_loop().time()
        try:
            async with session.post(server(index, turn) + "/webhooks/rest/webhook",
                                    json={"sender": sender, "message": message}) as response:
                body = await response.text()
                try:
                    replies = json.loads(body)
                except ValueError:
                    replies = body
                if response.status != 200 or not replies or not isinstance(replies, list):
                    outcome.errors.append(f"{sender} turn {turn}: HTTP {response.status}, {replies!r:.100}")
                elif needs_context and name not in " ".join(r.get("text", "") for r in replies):
                    outcome.crosstalk.append(f"{sender} ({campus}) « {message} » -> {replies[0].get('text', '')[:120]}")
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            outcome.errors.append(f"{sender} turn {turn}: {type(error).__name__}")
        outcome.messages += 1
        outcome.latencies_ms.append((asyncio.get_running_loop().time() - started) * 1000)
        await asyncio.sleep(pause)


async def _play(server, conversations: int, pause: float, timeout: float, outcome: Outcome) -> Outcome:
    names = campus_names()
    keys = list(CAMPUS_PHRASES)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session:
        await asyncio.gather(*(_conversation(session, index, server, keys[index % len(keys)],
                                             names[keys[index % len(keys)]], outcome, pause)
                               for index in range(conversations)))
    return outcome


def play(server: Callable[[int, int], str] | str, conversations: int, pause: float = 0.0,
         timeout: float = 60, outcome: Outcome | None = None) -> Outcome:
    """Play `conversations` concurrent conversations of TURNS turns; `server` is a base URL, or
    gives the base URL for (conversation index, turn index). `outcome` fills as the turns go."""
    chosen = server if callable(server) else (lambda index, turn: server)
    return asyncio.run(_play(chosen, conversations, pause, timeout, outcome or Outcome()))


def stored_user_turns(database_url: str, senders: list[str]) -> dict[str, int]:
    """How many user messages the conversation store holds for each of `senders`."""
    from sqlalchemy import create_engine, func, select

    from bot.ops.retention import EVENTS

    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(select(EVENTS.c.sender_id, func.count())
                                  .where(EVENTS.c.sender_id.in_(senders), EVENTS.c.type_name == "user")
                                  .group_by(EVENTS.c.sender_id)).all()
    engine.dispose()
    return dict(rows)

