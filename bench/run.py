"""`make bench`: quality, latency, throughput and cost of this assistant and its baselines, in one run.

    python -m bench.run [--turns 10] [--concurrency 1 10 50] [--skip-training]

1. Trains, each timed and with an empty Rasa cache: this project's model, Rasa's default NLU
   pipeline on the same data, and the stock assistant of `rasa init --no-prompt`.
2. Scores the three NLU systems on the held-out messages (bench/quality.py).
3. Serves this assistant (as `make run` does: conversations in a SQLite file) and the stock
   one the same way (`rasa run`, REST channel), times each start-up until the first answer,
   plays the same load on each (bench/load.py) and reads the resident memory of their
   processes; then plays it through nginx on the production set-up (`make run-cluster`:
   PostgreSQL, Redis, 2 Rasa + 2 action servers) when PostgreSQL, Redis and nginx are here.
   Then this assistant again, with its stage timers (bot/extensions/profiling.py), one
   conversation at a time: where a turn's time goes, and each server's CPU per message.
   Both single servers also play 20 conversations of 10 turns, then of LONG_TURNS turns:
   does a turn cost more as the conversation grows?
4. Times the knowledge-base queries the actions make (bench/kb_queries.py), and measures the
   length of the answers about a campus (bench/reply_lengths.py).
5. Writes bench/results.md, bench/latency.png and var/bench/results.json, and the summary
   between the bench markers of README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict
from pathlib import Path

from bench import conversations, kb_queries, quality, reply_lengths, report
from bench.load import percentile, run_level
from bot.ops.cluster import (
    DEFAULT_DATABASE_URL,
    DEFAULT_REDIS_URL,
    Cluster,
    drop_database,
    missing_services,
    with_database,
)
from bot.ops.endpoints import render
from bot.ops.processes import QUIET, free_port, start_action_server, start_rasa_server, stop, venv_bin
from knowledge.settings import PROJECT_ROOT

WORK = PROJECT_ROOT / "var" / "bench"
PROFILE = WORK / "profile.json"
LENGTH_USERS, LONG_TURNS = 20, 100
PROFILED_CONVERSATIONS = 100  # of 10 turns, one at a time
MODELS = WORK / "models"
STOCK = WORK / "stock"


def _rasa(*args: str, cwd: Path = PROJECT_ROOT) -> float:
    """Run a `rasa` command with an empty training cache; return its duration in seconds."""
    with tempfile.TemporaryDirectory() as cache:
        started = time.monotonic()
        done = subprocess.run([venv_bin("rasa"), *args], cwd=cwd, capture_output=True, text=True,
                              env={**os.environ, **QUIET, "RASA_CACHE_DIRECTORY": cache})
        if done.returncode != 0:
            raise RuntimeError(f"`rasa {' '.join(args)}` a échoué :\n{(done.stdout + done.stderr)[-3000:]}")
        return round(time.monotonic() - started, 1)


def train_all() -> dict[str, float]:
    print("==> Entraînements (cache vide) : ce projet, pipeline par défaut de Rasa, assistant de `rasa init`",
          flush=True)
    MODELS.mkdir(parents=True, exist_ok=True)
    seconds = {"cmq": _rasa("train", "--fixed-model-name", "cmq", "--out", str(MODELS))}
    seconds["rasa-default"] = _rasa("train", "nlu", "--config", "bench/rasa-default-config.yml", "--nlu", "data",
                                    "--fixed-model-name", "rasa-default", "--out", str(MODELS))
    shutil.rmtree(STOCK, ignore_errors=True)
    STOCK.mkdir(parents=True)  # `rasa init` wants the folder to exist
    seconds["stock"] = _rasa("init", "--no-prompt", "--init-dir", str(STOCK))
    print(f"    {seconds}", flush=True)
    return seconds


def _first_answer(url: str, message: str, processes: list[subprocess.Popen], timeout: float = 240) -> None:
    body = json.dumps({"sender": "bench-start", "message": message}).encode()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            raise RuntimeError("a server stopped during start-up")
        try:
            request = urllib.request.Request(url + "/webhooks/rest/webhook", body, {"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=10) as response:
                if json.loads(response.read() or b"[]"):
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"no answer from {url} in {timeout} s")


def _memory_mb(process: subprocess.Popen) -> dict[str, float]:
    """Resident memory now and at its peak (VmRSS, VmHWM) of a process, in MB."""
    fields = {}
    for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = round(int(value.split()[0]) / 1024, 1)
    return {"rss_mb": fields["VmRSS"], "peak_rss_mb": fields["VmHWM"]}


def _start_cmq(url: str, port: int, processes: list, profile: bool = False) -> dict:
    """This assistant as `make run` serves it (conversations in a SQLite file); with its stage
    timers if `profile`."""
    action_port = free_port()
    endpoints = WORK / "endpoints.yml"
    conversations = WORK / "conversations.db"
    for stale in ("", "-wal", "-shm"):  # a write-ahead log left by an earlier run would not match a new file
        conversations.with_name(conversations.name + stale).unlink(missing_ok=True)
    endpoints.write_text(render({"CMQ_ACTION_URL": f"http://127.0.0.1:{action_port}/webhook",
                                 "CMQ_TRACKER_DB_URL": f"sqlite:///{conversations}"}))
    PROFILE.unlink(missing_ok=True)
    rasa = start_rasa_server(MODELS / "cmq.tar.gz", port, "--endpoints", str(endpoints), wait=False,
                             env={"CMQ_PROFILE": str(PROFILE)} if profile else None)
    processes.append(rasa)
    action_server = start_action_server(action_port)
    processes.append(action_server)
    _first_answer(url, "un BTS dans le 93", processes)
    return {"rasa_memory": rasa, "action_server_memory": action_server}


def _start_stock(url: str, port: int, processes: list) -> dict:
    rasa = start_rasa_server(STOCK / "models", port, cwd=STOCK, wait=False, stock=True)
    processes.append(rasa)
    _first_answer(url, "hello", processes)
    return {"rasa_memory": rasa}


def serve_and_load(system: str, concurrency: list[int], turns: int) -> dict:
    """Start one assistant, time its first answer, play the load, read its memory, stop it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    processes: list = []
    started = time.monotonic()
    try:
        measured = (_start_cmq if system == "cmq" else _start_stock)(url, port, processes)
        result = {"startup_s": round(time.monotonic() - started, 1)}
        print(f"==> {system} : première réponse {result['startup_s']} s après le démarrage", flush=True)
        if system == "cmq":
            scores = conversations.play(conversations.rest_asker(url), conversations.load())
            print(f"==> conversations scriptées : {scores.turns_right}/{scores.turns} tours justes", flush=True)
            result["conversations"] = asdict(scores)
        scripts = "stock" if system == "stock" else "cmq"
        result["levels"] = _load(url, concurrency, turns, scripts)
        result["length"] = _length_curve(url, scripts)
        result.update({name: _memory_mb(process) for name, process in measured.items()})
    finally:
        stop(processes)
    if system == "cmq":
        result["stored"] = _stored_per_turn(WORK / "conversations.db")
    return result


def profile_turns(conversations_played: int = PROFILED_CONVERSATIONS) -> dict:
    """This assistant with its stage timers, one conversation at a time (so that each stage's
    time is its own, not a wait for the others): the profile, and the CPU time each server
    spent per message."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    processes: list = []
    try:
        servers = _start_cmq(url, port, processes, profile=True)
        before = {name: _cpu_seconds(process) for name, process in servers.items()}
        turns = 0
        for _ in range(conversations_played):
            turns += asyncio.run(run_level(url, 1, 10, "cmq")).messages
        cpu = {name.replace("_memory", ""): round(1000 * (_cpu_seconds(process) - before[name]) / turns, 2)
               for name, process in servers.items()}
        time.sleep(1)
    finally:
        stop(processes)
    profile = json.loads(PROFILE.read_text()) if PROFILE.exists() else {"turns": 0, "stages": {}}
    print(f"==> profil : {profile['turns']} tours, CPU par message {cpu}", flush=True)
    return {**profile, "cpu_ms_per_message": cpu}


def _cpu_seconds(process: subprocess.Popen) -> float:
    """User and system CPU time of a process so far (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _length_curve(url: str, scripts: str) -> dict:
    """Throughput of LENGTH_USERS simultaneous conversations of 10, then LONG_TURNS turns."""
    curve = {}
    for turns in (10, LONG_TURNS):
        level = asyncio.run(run_level(url, LENGTH_USERS, turns, scripts))
        curve[str(turns)] = asdict(level)
        print(f"    {LENGTH_USERS} conversations de {turns} tours : {level.messages_per_second} msg/s, "
              f"p95 {level.p95_ms} ms, {level.errors} erreurs", flush=True)
    return curve


def _stored_per_turn(database: Path) -> dict:
    """What the conversation store keeps per user turn (the events' JSON), over the whole run."""
    import sqlite3

    with sqlite3.connect(database) as connection:
        size, events = connection.execute("SELECT sum(length(data)), count(*) FROM events").fetchone()
        turns = connection.execute("SELECT count(*) FROM events WHERE type_name = 'user'").fetchone()[0]
    return {"bytes_per_turn": round(size / max(turns, 1)), "events_per_turn": round(events / max(turns, 1), 1)}


def cluster_load(concurrency: list[int], turns: int) -> dict:
    """The same load through nginx on the production set-up (bot/ops/cluster), when it can run here."""
    database_url, redis_url = with_database(DEFAULT_DATABASE_URL, "cmq_bench"), DEFAULT_REDIS_URL
    missing = missing_services(database_url, redis_url)
    if missing:
        print(f"==> grappe ignorée : {missing}", flush=True)
        return {"skipped": missing}
    cluster = Cluster(WORK / "cluster", database_url, redis_url, model=MODELS / "cmq.tar.gz")
    drop_database(database_url)
    started = time.monotonic()
    cluster.start()
    try:
        _first_answer(cluster.url, "un BTS dans le 93", [cluster.nginx])
        result = {"startup_s": round(time.monotonic() - started, 1)}
        print(f"==> grappe : première réponse {result['startup_s']} s après le démarrage", flush=True)
        result["levels"] = _load(cluster.url, concurrency, turns, "cmq")
        result["rasa_memory"] = [_memory_mb(process) for process in cluster.rasa_servers]
        return result
    finally:
        cluster.stop()
        drop_database(database_url)


def _load(url: str, concurrency: list[int], turns: int, scripts: str) -> list[dict]:
    asyncio.run(run_level(url, 2, 5, scripts))  # warm-up, not counted
    levels = []
    for users in concurrency:
        level = asyncio.run(run_level(url, users, turns, scripts))
        levels.append(asdict(level))
        print(f"    {users:>3} conversations : p50 {level.p50_ms} ms, p95 {level.p95_ms} ms, "
              f"p99 {level.p99_ms} ms, {level.messages_per_second} msg/s, {level.errors} erreurs, "
              f"{level.empty_replies} réponses vides", flush=True)
    return levels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--skip-training", action="store_true", help="reuse the models of the last run")
    args = parser.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    results_file = WORK / "results.json"
    previous = json.loads(results_file.read_text()) if results_file.exists() else {}
    results = {"date": dt.date.today().isoformat(), "cores": os.cpu_count(),
               "turns": args.turns, "concurrency": args.concurrency}
    results["training_s"] = previous["training_s"] if args.skip_training else train_all()
    results["model_mb"] = {name: round(path.stat().st_size / 1e6, 1) for name, path in
                           [("cmq", MODELS / "cmq.tar.gz"), ("stock", next((STOCK / "models").glob("*.tar.gz")))]}
    print("==> Qualité sur les messages de contrôle", flush=True)
    scores = asyncio.run(quality.evaluate(MODELS / "cmq.tar.gz", MODELS / "rasa-default.tar.gz"))
    results["quality"] = {set_name: [asdict(s) for s in set_scores] for set_name, set_scores in scores.items()}
    results["serving"] = {system: serve_and_load(system, args.concurrency, args.turns) for system in ("cmq", "stock")}
    results["serving"]["cluster"] = cluster_load(args.concurrency, args.turns)
    results["serving"]["cmq"]["profile"] = profile_turns()
    timings = kb_queries.measure()["all"]
    results["kb_queries_ms"] = {"count": len(timings), **{f"p{int(q * 100)}": round(percentile(timings, q), 2)
                                                          for q in (.5, .95, .99)}}
    results["reply_lengths"] = reply_lengths.measure()
    results_file.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    report.write(results)
    print((PROJECT_ROOT / "bench" / "results.md").read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
