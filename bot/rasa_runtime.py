"""The Rasa server with fixes to Rasa 3.6 found by profiling it under load.

    python -m bot.rasa_runtime run --model models/cmq.tar.gz ...   (same arguments as `rasa`)

Found with py-spy on the server answering 10 concurrent conversations (`make bench`):
- Every action-server response is checked with `jsonschema.validate`, which first checks the
  schema itself against its meta-schema: 40 % of the server's time. The schema is now
  compiled once; responses are still validated, with the same error message.
- Reading a conversation back from the tracker store looks up each event's class by walking
  every subclass of Event, for every event: 20 % of the time in 30-turn conversations. The
  class found for each event type name is now remembered.
- Each call to the action server opened a new HTTP session and connection; one session per
  endpoint is now kept open (keep-alive) for the server's lifetime, its idle connections
  closed before the action server closes them.
- Loading DIET trains it for one step on one example to create its weights before reading
  the saved ones, and TensorFlow spends most of the start-up tracing that training graph
  (cProfile: 45 of the 51 s before the first answer). The step now runs eagerly, which
  creates the same weights without tracing; predictions still run as a traced graph.
- The SQLite conversation store (the default) synced the disk at every message: it now uses
  a write-ahead log synced at checkpoints (WAL, synchronous=NORMAL; a crash of the process
  loses nothing, a power cut may lose the last messages): 32 → 38 messages/s under load.

It also applies bot.safeguards (messages cleaned and bounded before NLU, an apology when the
action server fails).
"""

from __future__ import annotations

import asyncio
import functools
import sys
from typing import Any

import aiohttp
import sqlalchemy
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.utils.endpoints import EndpointConfig
from rasa.utils.tensorflow.models import RasaModel

from bot import safeguards

_ORIGINAL_RESOLVE_BY_TYPE = Event.resolve_by_type
_ORIGINAL_SESSION = EndpointConfig.session
_ORIGINAL_SQL_STORE_INIT = SQLTrackerStore.__init__
_EVENT_CLASSES: dict[str, type] = {}
KEEP_ALIVE_SECONDS = 2
_SESSIONS: dict[tuple[int, int], tuple[EndpointConfig, Any]] = {}


@functools.lru_cache(maxsize=1)
def _response_validator():
    schema = RemoteAction.action_response_format_spec()
    return validator_for(schema)(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    try:
        _response_validator().validate(result)
    except ValidationError as error:
        error.message += (". Failed to validate Action server response from API, make sure your "
                          "response from the Action endpoint is valid.")
        raise
    return True


def _resolve_event_type(type_name: str, default: type | None = None) -> type | None:
    found = _EVENT_CLASSES.get(type_name)
    if found is None:
        found = _ORIGINAL_RESOLVE_BY_TYPE(type_name, default)
        if found is not None and found is not default:
            _EVENT_CLASSES[type_name] = found
    return found


class _KeptSession:
    """`async with` gives the kept session and leaves it open."""

    def __init__(self, session):
        self.session = session

    async def __aenter__(self):
        return self.session

    async def __aexit__(self, *exc_info) -> bool:
        return False


def _open_session(endpoint: EndpointConfig) -> aiohttp.ClientSession:
    """The session EndpointConfig.session makes, with idle connections closed after
    KEEP_ALIVE_SECONDS: sooner than the action server closes them (Sanic: 5 s), so that a
    connection is never reused just as the server closes it ("Can not write request body",
    seen under load in tests/test_load.py)."""
    auth = (aiohttp.BasicAuth(endpoint.basic_auth["username"], endpoint.basic_auth["password"])
            if endpoint.basic_auth else None)
    return aiohttp.ClientSession(headers=endpoint.headers, auth=auth,
                                 timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                                 connector=aiohttp.TCPConnector(keepalive_timeout=KEEP_ALIVE_SECONDS))


def _kept_session(self: EndpointConfig):
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return _ORIGINAL_SESSION(self)
    key = (id(self), id(loop))
    kept = _SESSIONS.get(key)
    if kept is None or kept[1].closed:
        kept = (self, _open_session(self))  # the endpoint is kept too, so that its id stays unique
        _SESSIONS[key] = kept
    return _KeptSession(kept[1])


def _load_without_tracing_training(cls, model_file_name, model_data_example, predict_data_example=None,
                                   finetune_mode: bool = False, *args, **kwargs):
    """RasaModel.load, with the one-example training step that creates the weights run eagerly."""
    import tensorflow as tf
    from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
    from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator

    config = kwargs.get("config", {})
    model = cls(*args, **kwargs)
    model.compile(optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)), run_eagerly=True)
    model.fit(RasaBatchDataGenerator(model_data_example, batch_size=1), verbose=False)
    model.run_eagerly = config.get(RUN_EAGERLY)
    model.load_weights(model_file_name)
    if not finetune_mode and predict_data_example:
        model.run_inference(predict_data_example)
    return model


def _sqlite_without_fsync_per_message(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA journal_mode=WAL")
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


def _sql_tracker_store_init(self: SQLTrackerStore, *args, **kwargs) -> None:
    _ORIGINAL_SQL_STORE_INIT(self, *args, **kwargs)
    if self.engine.dialect.name == "sqlite":
        sqlalchemy.event.listen(self.engine, "connect", _sqlite_without_fsync_per_message)
        self.engine.dispose()  # every connection from now on has the settings


def apply() -> None:
    SQLTrackerStore.__init__ = _sql_tracker_store_init
    RemoteAction._validate_action_result = _validate_action_result
    Event.resolve_by_type = staticmethod(_resolve_event_type)
    EndpointConfig.session = _kept_session
    RasaModel.load = classmethod(_load_without_tracing_training)
    safeguards.apply()


def main() -> None:
    from rasa.__main__ import main as rasa_main

    apply()
    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
