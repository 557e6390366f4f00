"""Conversations are personal data: delete those whose last message is older than N days.

    python -m bot.ops.retention              (N from CMQ_RETENTION_DAYS, default 30)
    python -m bot.ops.retention --days 7

Works on the store the Rasa server writes to (CMQ_TRACKER_DB_URL, see bot/ops/endpoints.py):
Rasa's SQL tracker store keeps one row per event in the table `events`. `make run` runs it
at every start; in production run it daily (cron, or a Kubernetes CronJob).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, create_engine, delete, func, inspect, select

from bot.ops.endpoints import tracker_db_url

RETENTION_ENV = "CMQ_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 30
EVENTS = Table("events", MetaData(),  # columns of Rasa's SQLTrackerStore table (not all of them)
               Column("id", Integer, primary_key=True), Column("sender_id", String), Column("type_name", String),
               Column("timestamp", Float))


def retention_days() -> int:
    return int(os.environ.get(RETENTION_ENV) or DEFAULT_RETENTION_DAYS)


def delete_old_conversations(url: str, days: int, now: float | None = None) -> int:
    """Delete every conversation idle for more than `days` days; return how many were deleted."""
    if days < 0:
        raise ValueError("days must be zero or more")
    cutoff = (time.time() if now is None else now) - days * 86_400
    engine = create_engine(url, future=True)
    try:
        if not inspect(engine).has_table("events"):
            return 0  # the Rasa server has not stored any conversation yet
        idle = (select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id)
                .having(func.max(EVENTS.c.timestamp) < cutoff))
        with engine.begin() as connection:
            senders = connection.scalars(idle).all()
            for start in range(0, len(senders), 500):
                connection.execute(delete(EVENTS).where(EVENTS.c.sender_id.in_(senders[start:start + 500])))
        return len(senders)
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.ops.retention", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=None, help=f"défaut : {RETENTION_ENV} ou {DEFAULT_RETENTION_DAYS}")
    args = parser.parse_args(argv)
    days = retention_days() if args.days is None else args.days
    if days < 0:
        parser.error("--days doit être positif ou nul")
    deleted = delete_old_conversations(tracker_db_url(), days)
    print(f"Conversations inactives depuis plus de {days} jours supprimées : {deleted}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
