"""Every change this project makes to Rasa's internals, in one registry, for Rasa 3.6.21 only.

What Rasa lets a project extend is extended where it says (NLU components and policies in
config.yml, the tracker and lock stores in endpoints.yml, the REST channel in credentials.yml).
What it does not is patched here, and only here:

- `apply()` refuses to run on any other Rasa version than RASA_VERSION: each patch replaces a
  function of that version, whose code it was written against.
- `PATCHES` lists each patch with the reason for it; `restore()` puts back every original
  (the tests use it, so that no patch leaks from one test to another).

The server (`python -m bot.extensions.runtime`), the bench and the tests' in-process agents all run
with these patches.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import rasa
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions import action as rasa_action
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction, create_bot_utterance
from rasa.core.channels import rest as rasa_rest
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.core.processor import MessageProcessor
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.events import Event, UserUttered
from rasa.utils.endpoints import EndpointConfig
from rasa.utils.tensorflow.models import RasaModel

from bot.extensions.safeguards import ACTIONS_UNAVAILABLE, action_timeout, clean_message

logger = logging.getLogger(__name__)

RASA_VERSION = "3.6.21"
KEEP_ALIVE_SECONDS = 2
USER_TURNS_SENT_TO_ACTIONS = 3


@dataclass(frozen=True)
class Patch:
    """`owner.attribute` replaced by `make(original)`, for `why`."""

    owner: Any
    attribute: str
    make: Callable[[Any], Any]
    why: str


class RasaVersionError(RuntimeError):
    """The installed Rasa is not the version the patches were written for."""


# ---- the replacements ------------------------------------------------------------------------

class ResponseValidator:
    """Rasa's schema of an action server's response, checked with the same verdict and less work.

    The schema says that each event matches exactly one of 23 alternatives (`oneOf`), and each
    alternative requires its own value of `event`: so an event is valid when it has the common
    fields and matches the one alternative its `event` names. Checking that one alone spares
    checking 22 that cannot match (jsonschema walked all of them: 4.7 ms for a response of 6 events,
    0.24 ms this way).
    """

    def __init__(self, schema: dict[str, Any]):
        events = schema["properties"]["events"]
        event = events["items"]
        self.response = self._compiled({**schema, "properties": {**schema["properties"],
                                                                  "events": {"type": events["type"]}}})
        self.common = self._compiled({key: value for key, value in event.items() if key != "oneOf"})
        self.by_name = {choice["properties"]["event"]["const"]: self._compiled(choice) for choice in event["oneOf"]}

    @staticmethod
    def _compiled(schema: dict[str, Any]):
        return validator_for(schema)(schema)

    def validate(self, response: Any) -> None:
        """Raise jsonschema's ValidationError when `response` does not follow the schema."""
        self.response.validate(response)
        for event in response.get("events") or ():
            self.common.validate(event)
            matching = self.by_name.get(event["event"])
            if matching is None:
                raise ValidationError(f"{event['event']!r} is not a known event")
            matching.validate(event)


def _compiled_response_validation(_original):
    """The action server's response, validated against Rasa's schema compiled once, one event
    alternative at a time (ResponseValidator)."""
    @functools.lru_cache(maxsize=1)
    def validator() -> ResponseValidator:
        return ResponseValidator(RemoteAction.action_response_format_spec())

    def validate(self: RemoteAction, result: dict[str, Any]) -> bool:
        try:
            validator().validate(result)
        except ValidationError as error:
            error.message += (". Failed to validate Action server response from API, make sure your "
                              "response from the Action endpoint is valid.")
            raise
        return True
    return validate


def _remembered_event_classes(original):
    """Event.resolve_by_type, remembering the class found for each type name."""
    found: dict[str, type] = {}

    def resolve(type_name: str, default: type | None = None) -> type | None:
        event_class = found.get(type_name)
        if event_class is None:
            event_class = original(type_name, default)
            if event_class is not None and event_class is not default:
                found[type_name] = event_class
        return event_class
    return staticmethod(resolve)


class _KeptSession:
    """`async with` gives the kept session and leaves it open."""

    def __init__(self, session):
        self.session = session

    async def __aenter__(self):
        return self.session

    async def __aexit__(self, *exc_info) -> bool:
        return False


def _kept_sessions(original):
    """EndpointConfig.session, one HTTP session per endpoint and event loop kept open."""
    sessions: dict[tuple[int, int], tuple[EndpointConfig, Any]] = {}

    def open_session(endpoint: EndpointConfig) -> aiohttp.ClientSession:
        # Idle connections are closed after KEEP_ALIVE_SECONDS: sooner than the action server
        # closes them (Sanic: 5 s), so that a connection is never reused just as the server
        # closes it ("Can not write request body", seen under load in tests/test_load.py).
        auth = (aiohttp.BasicAuth(endpoint.basic_auth["username"], endpoint.basic_auth["password"])
                if endpoint.basic_auth else None)
        return aiohttp.ClientSession(headers=endpoint.headers, auth=auth,
                                     timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                                     connector=aiohttp.TCPConnector(keepalive_timeout=KEEP_ALIVE_SECONDS))

    def session(self: EndpointConfig):
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return original(self)
        key = (id(self), id(loop))
        kept = sessions.get(key)
        if kept is None or kept[1].closed:
            kept = (self, open_session(self))  # the endpoint is kept too, so that its id stays unique
            sessions[key] = kept
        return _KeptSession(kept[1])
    return session


def _load_without_tracing_training(_original):
    """RasaModel.load, with the one-example training step that creates the weights run eagerly."""
    def load(cls, model_file_name, model_data_example, predict_data_example=None,
             finetune_mode: bool = False, *args, **kwargs):
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
    return classmethod(load)


class _RecentState:
    """What RemoteAction._action_call_format reads of a tracker (its sender id and its state),
    with only the events of its last USER_TURNS_SENT_TO_ACTIONS user turns, read from the end."""

    def __init__(self, tracker):
        self.tracker, self.sender_id = tracker, tracker.sender_id

    def current_state(self, _verbosity) -> dict[str, Any]:
        from rasa.shared.core.trackers import EventVerbosity

        state = self.tracker.current_state(EventVerbosity.NONE)
        recent, users = [], 0
        for event in reversed(self.tracker.events):
            recent.append(event)
            users += isinstance(event, UserUttered)
            if users == USER_TURNS_SENT_TO_ACTIONS:
                break
        state["events"] = [event.as_dict() for event in reversed(recent)]
        return state


def _recent_events_to_actions(original):
    """The conversation sent to the action server: only the events of its last user turns."""
    def call_format(self: RemoteAction, tracker, domain) -> dict[str, Any]:
        return original(self, _RecentState(tracker), domain)
    return call_format


def _cleaned_messages(original):
    """Every user message cleaned before NLU (bot.extensions.safeguards.clean_message)."""
    async def handle_message(self: MessageProcessor, message):
        message.text = clean_message(message.text)
        return await original(self, message)
    return handle_message


def _apology_when_actions_fail(original):
    """A short apology instead of silence when the action server is down, failing or slow."""
    async def run(self: RemoteAction, output_channel, nlg, tracker, domain):
        try:
            return await original(self, output_channel, nlg, tracker, domain)
        except ActionExecutionRejection:
            raise  # a form's validation refused the answer: Rasa handles it
        except Exception as error:
            logger.error("Action %s unavailable (%s): the user gets an apology.", self.name(), type(error).__name__)
            return [create_bot_utterance({"text": ACTIONS_UNAVAILABLE})]
    return run


def _graph_run_in_order(_original):
    """DaskGraphRunner.run, running the nodes one after the other in an order computed once per
    set of targets: what dask computed again, with its scheduler, for every message and every
    dialogue prediction (nodes and inputs passed exactly as dask passes them)."""
    def plan(runner: DaskGraphRunner, targets: tuple[str, ...]) -> list[tuple[str, Any, list[str]]]:
        plans = vars(runner).setdefault("_cmq_plans", {})
        if targets not in plans:
            schema = runner._graph_schema.minimal_graph_schema(list(targets))
            ordered: list[str] = []

            def visit(name: str) -> None:
                if name in ordered or name not in schema.nodes:
                    return
                for need in schema.nodes[name].needs.values():
                    visit(need)
                ordered.append(name)
            for target in targets:
                visit(target)
            plans[targets] = [(name, runner._instantiated_nodes[name], list(schema.nodes[name].needs.values()))
                              for name in ordered]
        return plans[targets]

    def run(self: DaskGraphRunner, inputs: dict[str, Any] | None = None,
            targets: list[str] | None = None) -> dict[str, Any]:
        run_targets = tuple(targets if targets else self._graph_schema.target_names)
        results: dict[str, Any] = {name: (name, value) for name, value in (inputs or {}).items()}
        for name, node, needs in plan(self, run_targets):
            results[name] = node(*(results.get(need, need) for need in needs))
        return dict(results[target] for target in run_targets)
    return run


class WithoutUserText:
    """A structlog logger that drops the `text` field (the user's message) of every entry."""

    def __init__(self, logger):
        self.logger = logger

    def __getattr__(self, name: str):
        method = getattr(self.logger, name)

        def log(*args, **fields):
            fields.pop("text", None)
            return method(*args, **fields)
        return log


# ---- the registry ----------------------------------------------------------------------------

PATCHES: tuple[Patch, ...] = (
    Patch(RemoteAction, "_validate_action_result", _compiled_response_validation,
          "jsonschema.validate checked the schema itself against its meta-schema at every action call: "
          "40 % of the server's time under load (py-spy); then each event against all 23 event alternatives."),
    Patch(Event, "resolve_by_type", _remembered_event_classes,
          "each event read back walked every subclass of Event: 20 % of a turn in 30-turn conversations."),
    Patch(EndpointConfig, "session", _kept_sessions,
          "each call to the action server opened a new HTTP session and connection."),
    Patch(RasaModel, "load", _load_without_tracing_training,
          "loading DIET traced a training graph for one step: 45 of the 51 s before the first answer."),
    Patch(RemoteAction, "_action_call_format", _recent_events_to_actions,
          "the whole conversation went to the action server at every call, a cost growing with its length; "
          "the actions read the slots, the latest message and the last turns' buttons."),
    Patch(MessageProcessor, "handle_message", _cleaned_messages,
          "control characters, tags and huge pastes reached the NLU and the stored conversation."),
    Patch(RemoteAction, "run", _apology_when_actions_fail,
          "a failing action server left the user without any answer."),
    Patch(rasa_action, "DEFAULT_REQUEST_TIMEOUT", lambda _original: aiohttp.ClientTimeout(total=action_timeout()),
          "the action server's timeout is CMQ_ACTION_TIMEOUT seconds (default 10), not Rasa's 5 minutes."),
    Patch(DaskGraphRunner, "run", _graph_run_in_order,
          "dask built, ordered and scheduled the graph again for every message and every prediction: "
          "a tenth of a turn."),
    Patch(rasa_rest, "structlogger", WithoutUserText,
          "Rasa's REST channel wrote the user's text in its error log when a message timed out or failed."),
)

def _profiling_patches() -> tuple[Patch, ...]:
    """Timers around each stage of a turn, only with CMQ_PROFILE set (bot.extensions.profiling)."""
    from rasa.core.agent import Agent
    from rasa.engine.graph import GraphNode

    from bot.extensions import profiling
    from bot.extensions.stores import ConversationStore

    why = "where a turn's time goes, for make bench (CMQ_PROFILE)"

    def stage_of_node(node, *_inputs) -> str:
        return profiling.node_stage(node._node_name)

    return (
        Patch(GraphNode, "__call__", lambda original: profiling.timed_sync(stage_of_node, original), why),
        Patch(ConversationStore, "retrieve",
              lambda original: profiling.timed_async(profiling.STORE_READ, original), why),
        Patch(ConversationStore, "save", lambda original: profiling.timed_async(profiling.STORE_WRITE, original), why),
        Patch(RemoteAction, "run", lambda original: profiling.timed_async(profiling.ACTIONS, original), why),
        Patch(Agent, "handle_message", lambda original: profiling.timed_async(profiling.LOCKED, original), why),
        Patch(MessageProcessor, "handle_message",
              lambda original: profiling.timed_async(profiling.TURN, original, turn_ends=True), why),
    )


_applied: list[tuple[Any, str, Any]] = []  # (owner, attribute, what it was), in the order applied


def check_version(version: str | None = None) -> None:
    """Refuse any Rasa but the one the patches (and the validation's use of private checks) were written for."""
    installed = version or rasa.__version__
    if installed != RASA_VERSION:
        raise RasaVersionError(
            f"The patches of bot.extensions.rasa_patches and the checks of bot.extensions.validation use Rasa "
            f"{RASA_VERSION}'s internals, and Rasa {installed} is installed: read each of them against the new "
            "version's code before changing RASA_VERSION.")


def apply() -> None:
    """Apply every patch, and the profiling timers when CMQ_PROFILE is set (once: applying
    again changes nothing)."""
    check_version()
    if _applied:
        return
    from bot.extensions.profiling import profile_path

    for patch in PATCHES + (_profiling_patches() if profile_path() else ()):
        current = getattr(patch.owner, patch.attribute)
        _applied.append((patch.owner, patch.attribute, vars(patch.owner).get(patch.attribute, current)))
        setattr(patch.owner, patch.attribute, patch.make(current))


def restore() -> None:
    """Put back every original that apply() replaced."""
    for owner, attribute, original in reversed(_applied):
        setattr(owner, attribute, original)
    _applied.clear()


def applied() -> bool:
    return bool(_applied)
