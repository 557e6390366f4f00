"""The assistant as several instances: the production set-up, runnable on one machine.

Knowledge base and conversations in PostgreSQL, conversation locks in Redis, two Rasa servers
and two action servers behind nginx (Debian package), which balances the REST channel over the
Rasa servers, keeps each socket.io client on one of them (ip_hash), and balances the Rasa
servers' calls over the action servers. `make run-cluster` starts it (bot/ops/cluster/__main__.py);
the tests drive it through `Cluster`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from bot.ops.endpoints import render
from bot.ops.processes import (
    MODEL,
    QUIET,
    free_port,
    spawn,
    start_action_server,
    start_rasa_server,
    stop,
    venv_bin,
    wait_for_http,
)
from knowledge.settings import PROJECT_ROOT

NGINX_TEMPLATE = Path(__file__).with_name("nginx.conf")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/cmq"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/1"
# How long a conversation stays locked by a Rasa server that died while answering in it: under
# nginx's 60 s wait, so that the message replayed on the other server is answered.
LOCK_LIFETIME_SECONDS = 20
_DATABASE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")


def missing_services(database_url: str, redis_url: str) -> str | None:
    """Why the cluster cannot run here (in French), or None when PostgreSQL, Redis and nginx answer."""
    import redis
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    if not Path(NGINX).exists():
        return "nginx est absent (paquet Debian nginx : make nginx)"
    engine = create_engine(make_url(database_url).set(database="postgres"))  # the database may not exist yet
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # any failure to reach the server
        return f"PostgreSQL ne répond pas à {database_url} ({type(error).__name__})"
    finally:
        engine.dispose()
    try:
        redis.Redis.from_url(redis_url, socket_timeout=2).ping()
    except Exception as error:  # any failure to reach the server
        return f"Redis ne répond pas à {redis_url} ({type(error).__name__})"
    return None


def with_database(url: str, name: str) -> str:
    """`url` pointing at the database `name` of the same server."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _admin_and_name(url: str):
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if not _DATABASE_NAME.fullmatch(parsed.database or ""):
        raise ValueError(f"nom de base invalide : {parsed.database!r}")
    return create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT"), parsed.database


def create_database(url: str) -> None:
    """Create the PostgreSQL database of `url` if it does not exist."""
    from sqlalchemy import text

    admin, name = _admin_and_name(url)
    with admin.connect() as connection:
        if connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}).first() is None:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def drop_database(url: str) -> None:
    from sqlalchemy import text

    admin, name = _admin_and_name(url)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@dataclass
class Cluster:
    """`instances` Rasa servers and as many action servers behind nginx on `port` (channels) and
    `actions_port` (the action servers, for the Rasa servers)."""

    work_dir: Path
    database_url: str
    redis_url: str
    port: int = field(default_factory=free_port)
    actions_port: int = field(default_factory=free_port)
    instances: int = 2
    listen: str = "127.0.0.1"
    cors: tuple[str, ...] = ()
    rasa_ports: list[int] = field(default_factory=list)
    action_ports: list[int] = field(default_factory=list)
    model: Path = MODEL

    def __post_init__(self):
        self.rasa_ports = self.rasa_ports or [free_port() for _ in range(self.instances)]
        self.action_ports = self.action_ports or [free_port() for _ in range(self.instances)]
        self.url = f"http://127.0.0.1:{self.port}"
        self.instance_urls = [f"http://127.0.0.1:{port}" for port in self.rasa_ports]
        self.endpoints = self.work_dir / "endpoints.yml"
        self.rasa_servers: list = [None] * self.instances
        self.action_servers: list = []
        self.nginx = None

    @property
    def environment(self) -> dict[str, str]:
        return {"KNOWLEDGE_DB_URL": self.database_url, "CMQ_TRACKER_DB_URL": self.database_url,
                "CMQ_REDIS_URL": self.redis_url, "CMQ_ACTION_URL": f"http://127.0.0.1:{self.actions_port}/webhook",
                "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME_SECONDS)}

    def start(self) -> None:
        """Knowledge base, action servers, Rasa servers, then nginx; stops what started on failure."""
        self.work_dir.mkdir(parents=True, exist_ok=True)
        try:
            create_database(self.database_url)
            subprocess.run([venv_bin("python"), "-m", "knowledge", "build"], cwd=PROJECT_ROOT, check=True,
                           env={**QUIET, "PATH": "/usr/bin:/bin", **self.environment}, stdout=subprocess.DEVNULL)
            self.endpoints.write_text(render(self.environment), encoding="utf-8")
            self.action_servers = [start_action_server(port, env=self.environment,
                                                       log=self.work_dir / f"actions-{port}.log")
                                   for port in self.action_ports]
            for index in range(self.instances):
                self.start_instance(index, wait=False)
            for index in range(self.instances):
                wait_for_http(self.instance_urls[index] + "/", self.rasa_servers[index], 240, "Rasa server")
            self._start_nginx()
        except BaseException:
            self.stop()
            raise

    def start_instance(self, index: int, wait: bool = True) -> None:
        options = ["--credentials", "credentials.yml", "--endpoints", str(self.endpoints)]
        if self.cors:
            options += ["--cors", *self.cors]
        self.rasa_servers[index] = start_rasa_server(
            self.model, self.rasa_ports[index], *options, wait=wait, env=self.environment,
            log=self.work_dir / f"rasa-{self.rasa_ports[index]}.log")

    def stop_instance(self, index: int) -> None:
        stop([self.rasa_servers[index]])
        self.rasa_servers[index] = None

    def restart_stopped(self) -> list[str]:
        """Start again every Rasa or action server that stopped by itself (a crash, a kill; not
        stop_instance), as a supervisor would; what was restarted, in words."""
        restarted = []
        for index, process in enumerate(self.rasa_servers):
            if process is not None and process.poll() is not None:
                self.start_instance(index, wait=False)
                restarted.append(f"serveur Rasa {self.rasa_ports[index]}")
        for index, process in enumerate(self.action_servers):
            if process.poll() is not None:
                port = self.action_ports[index]
                self.action_servers[index] = start_action_server(port, env=self.environment,
                                                                 log=self.work_dir / f"actions-{port}.log")
                restarted.append(f"serveur d'actions {port}")
        return restarted

    def _start_nginx(self) -> None:
        def servers(ports: list[int]) -> str:
            return "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in ports)

        config = (NGINX_TEMPLATE.read_text(encoding="utf-8")
                  .replace("@RUN_DIR@", str(self.work_dir.resolve())).replace("@LISTEN@", self.listen)
                  .replace("@RASA_PORT@", str(self.port)).replace("@ACTIONS_PORT@", str(self.actions_port))
                  .replace("@RASA_SERVERS@", servers(self.rasa_ports))
                  .replace("@ACTION_SERVERS@", servers(self.action_ports)))
        conf = self.work_dir / "nginx.conf"
        conf.write_text(config, encoding="utf-8")
        self.nginx = spawn([NGINX, "-c", str(conf.resolve()), "-p", str(self.work_dir.resolve())], "nginx",
                           self.port, self.work_dir / "nginx.log")
        wait_for_http(self.url + "/", self.nginx, 30, "nginx")

    def stop(self) -> None:
        stop([process for process in [self.nginx, *self.rasa_servers, *self.action_servers] if process])
