"""Every environment variable the assistant reads: the one list that the code, the Kubernetes
manifests (deploy/kubernetes) and compose.yaml are checked against (tests/test_deployment.py).

Each entry says what the variable does, and whether a deployment sets it: in the ConfigMap
(`config`), from a Secret (`secret`), or not at all (`local`: for a developer's machine, the
tests or the bench; the default is right in production). Two are read by Rasa's libraries
rather than by this project's code (`read_by`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Variable:
    name: str
    what: str
    deployment: str  # "config", "secret" or "local"
    read_by: str = "project"  # or the library that reads it


VARIABLES = (
    Variable("KNOWLEDGE_DB_URL", "the knowledge base (SQLAlchemy URL; default SQLite var/knowledge.db)", "secret"),
    Variable("KNOWLEDGE_DATA_DIR", "the data files the knowledge base is built from (default knowledge/data)",
             "local"),
    Variable("CMQ_TRACKER_DB_URL", "the conversations' store (SQLAlchemy URL)", "secret"),
    Variable("CMQ_REDIS_URL", "the lock store shared by the Rasa servers (redis://host:6379/1)", "secret"),
    Variable("CMQ_ACTION_URL", "the action server's webhook, for the Rasa servers", "config"),
    Variable("CMQ_API_TOKEN", "Rasa's HTTP API and the /insights page, only with this token", "secret"),
    Variable("CMQ_ALLOWED_ORIGINS", "web origins allowed to call the Rasa server (CORS), space-separated",
             "config"),
    Variable("CMQ_PUBLIC_SERVER_URL", "the Rasa server's address as browsers see it (the demo page)", "config"),
    Variable("CMQ_CREDENTIALS", "the channels file (default credentials.yml)", "config"),
    Variable("CMQ_DEBUG", "1: Rasa's debug logs", "local"),
    Variable("CMQ_PROFILE", "a file where the Rasa server writes the time of each stage of a turn", "local"),
    Variable("CMQ_ACTION_TIMEOUT", "seconds an action may take before the apology (default 10)", "config"),
    Variable("CMQ_CONVERSATIONS_IN_MEMORY", "conversations each Rasa server keeps in memory (default 256)",
             "config"),
    Variable("CMQ_RETENTION_DAYS", "conversations idle for longer are deleted (default 30)", "config"),
    Variable("CMQ_CLUSTER_DB_URL", "`make run-cluster`'s PostgreSQL database", "local"),
    Variable("CMQ_SERVER_URL", "the Rasa server `cmq ask` talks to", "local"),
    Variable("RASA_PORT", "the Rasa server's port (default 5005)", "config"),
    Variable("WEB_PORT", "the demo page's port (default 8000)", "config"),
    Variable("SANIC_HOST", "the address the action server listens on (default 127.0.0.1)", "config", "sanic"),
    Variable("TICKET_LOCK_LIFETIME", "seconds before Rasa frees a conversation's lock held by a dead server",
             "config", "rasa"),
    Variable("VIRTUAL_ENV", "the virtual environment whose programs are started (default .venv)", "local"),
)
BY_NAME = {variable.name: variable for variable in VARIABLES}


def deployed() -> set[str]:
    """The variables a deployment sets (ConfigMap or Secret)."""
    return {v.name for v in VARIABLES if v.deployment != "local"}
