"""Latency and throughput of the running assistant through its REST channel.

    python -m bench.load --server http://localhost:5005 --concurrency 1 10 50 --turns 10

Each virtual user plays realistic multi-turn conversations (its own sender id) for a fixed
number of turns; users run concurrently. Prints, per concurrency level, p50/p95/p99 latency,
messages per second, errors (HTTP error, timeout) and empty replies, and writes them as JSON
(--out). Only loopback addresses are meant as targets; every request loop is bounded in count
and time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import uuid
from dataclasses import asdict, dataclass

import aiohttp

SCRIPTS = {"cmq": [
    ["bonjour", "un BTS dans le 93", "le premier", "où se trouve ce campus ?", "merci"],
    ["je cherche une formation", "la santé", "peu importe", "dans le 94", "qui porte ce campus ?"],
    ["c'est quoi un CMQ ?", "qui fait partie d'un campus ?", "quels campus pour l'aéronautique ?",
     "et en master ?", "au revoir"],
    ["je sais pas quoi faire", "j'aime dessiner", "le premier", "quelles formations ?", "c'est quoi ta source ?"],
    ["le lycée Darius-Milhaud est dans quel campus ?", "quels lycées sont membres du campus santé ?",
     "un BTS c'est quel niveau ?", "les campus d'excellence", "et pour la santé ?"],
], "stock": [  # the English assistant that `rasa init` creates
    ["hello", "I am sad", "yes", "great", "bye"],
    ["hi there", "are you a bot?", "I am feeling very good", "goodbye", "hey"],
    ["good morning", "not good", "no", "see you later", "thanks"],
]}
REQUEST_TIMEOUT = 60


@dataclass
class LevelResult:
    concurrency: int
    messages: int
    errors: int
    empty_replies: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    messages_per_second: float


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


async def _user(session, url: str, script: list[str], turns: int, latencies: list[float], errors: list[str],
                empty: list[str]) -> None:
    sender = f"bench-{uuid.uuid4().hex}"
    for turn in range(turns):
        message = script[turn % len(script)]
        started = time.perf_counter()
        try:
            async with session.post(url, json={"sender": sender, "message": message}) as response:
                body = await response.json(content_type=None)
                if response.status != 200:
                    errors.append(f"{response.status} for « {message} »")
                elif not body:
                    empty.append(message)
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            errors.append(f"{type(error).__name__} for « {message} »")
        latencies.append((time.perf_counter() - started) * 1000)


async def run_level(server: str, concurrency: int, turns: int, scripts: str = "cmq") -> LevelResult:
    url = server.rstrip("/") + "/webhooks/rest/webhook"
    latencies: list[float] = []
    errors: list[str] = []
    empty: list[str] = []
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        started = time.perf_counter()
        conversations = SCRIPTS[scripts]
        await asyncio.gather(*(_user(session, url, conversations[user % len(conversations)], turns, latencies,
                                     errors, empty) for user in range(concurrency)))
        seconds = time.perf_counter() - started
    return LevelResult(concurrency, len(latencies), len(errors), len(empty), round(seconds, 2),
                       round(percentile(latencies, .50), 1), round(percentile(latencies, .95), 1),
                       round(percentile(latencies, .99), 1), round(len(latencies) / seconds, 1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default="http://localhost:5005")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--scripts", choices=sorted(SCRIPTS), default="cmq",
                        help="the conversations to play: this assistant's or stock Rasa's")
    parser.add_argument("--out")
    args = parser.parse_args(argv)
    results = []
    print(f"{'users':>6} {'messages':>9} {'errors':>7} {'empty':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
          f"{'msg/s':>7}")
    for concurrency in args.concurrency:
        result = asyncio.run(run_level(args.server, concurrency, args.turns, args.scripts))
        results.append(asdict(result))
        print(f"{result.concurrency:>6} {result.messages:>9} {result.errors:>7} {result.empty_replies:>6} "
              f"{result.p50_ms:>8} {result.p95_ms:>8} {result.p99_ms:>8} {result.messages_per_second:>7}", flush=True)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as output:
            json.dump(results, output, indent=2)
    return 0 if all(r["errors"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
