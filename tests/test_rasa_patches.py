"""The patches of Rasa's internals (bot.extensions.rasa_patches): one registry, refused on another Rasa
version, all put back by restore(); each keeps Rasa's behaviour (bad action responses
rejected, events read back as the same classes, one open HTTP session per endpoint, a model
loaded faster that predicts the same, the last turns of the conversation sent to the actions)."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event

from bot.extensions import rasa_patches


@pytest.fixture()
def patched():
    """Rasa with the patches, every original put back after the test."""
    rasa_patches.apply()
    yield RemoteAction("action_search_campus", None)
    rasa_patches.restore()


def test_the_patches_refuse_another_rasa_version():
    rasa_patches.check_version("3.6.21")
    with pytest.raises(rasa_patches.RasaVersionError, match="Rasa 3.6.21's internals, and Rasa 3.7.0 is installed"):
        rasa_patches.check_version("3.7.0")


def test_restore_puts_back_every_original_and_apply_is_idempotent():
    def current():
        return [vars(p.owner).get(p.attribute, getattr(p.owner, p.attribute)) for p in rasa_patches.PATCHES]

    before = current()
    rasa_patches.apply()
    after_once = current()
    rasa_patches.apply()
    assert current() == after_once
    assert all(a is not b for a, b in zip(before, after_once, strict=True))
    rasa_patches.restore()
    assert all(a is b for a, b in zip(before, current(), strict=True))
    assert not rasa_patches.applied()


def test_the_actions_get_the_last_user_turns_only(patched):
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    events = []
    for turn in range(6):
        events += [ActionExecuted("action_listen"), UserUttered(f"question {turn}"), ActionExecuted("action_x")]
    tracker = DialogueStateTracker.from_events("zoe", events)
    sent = patched._action_call_format(tracker, Domain.empty())["tracker"]["events"]
    assert [e["text"] for e in sent if e["event"] == "user"] == ["question 3", "question 4", "question 5"]
    assert sent[-1]["name"] == "action_x"


def test_a_valid_action_response_passes(patched):
    response = {"events": [{"event": "slot", "name": "sector", "value": "santé"}],
                "responses": [{"text": "Voici les campus.", "buttons": [{"title": "Le premier", "payload": "/x"}]}]}
    assert patched._validate_action_result(response) is True


@pytest.mark.parametrize("response", [{"events": "not a list"}, {"responses": "not a list"},
                                      {"events": [{"name": "no event type"}]}])
def test_a_malformed_action_response_is_rejected_with_rasas_message(patched, response):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        patched._validate_action_result(response)


def _valid_events() -> list[dict]:
    from rasa.shared.core.events import (
        ActionExecuted,
        ActiveLoop,
        AllSlotsReset,
        BotUttered,
        FollowupAction,
        LoopInterrupted,
        Restarted,
        SessionStarted,
        SlotSet,
        UserUttered,
    )

    parse = {"intent": {"name": "search_campus", "confidence": 0.9},
             "entities": [{"entity": "sector", "value": "santé", "start": 0, "end": 5}],
             "intent_ranking": [{"name": "search_campus", "confidence": 0.9}], "text": "santé"}
    events = [UserUttered("santé", parse), BotUttered("Voici.", {"buttons": [{"title": "1", "payload": "/x"}]}),
              SlotSet("sector", "santé"), SlotSet("campus", None), ActionExecuted("action_listen"),
              ActiveLoop("search_form"), ActiveLoop(None), FollowupAction("action_x"), Restarted(), SessionStarted(),
              AllSlotsReset(), LoopInterrupted(True)]
    return [event.as_dict() for event in events]


def _responses() -> list:
    """Valid responses, and for each event of them, the same response with one field of a wrong type."""
    events = _valid_events()
    responses = [{"events": events, "responses": [{"text": "Bonjour"}]}, {"events": []}, {}, [], "x",
                 {"events": [{"event": "no-such-event"}]}, {"events": [{"event": 3}]}, {"events": ["x"]},
                 {"responses": [3]}]
    for index, event in enumerate(events):
        for key in event:
            for wrong in (12345, "texte", [], {"a": 1}, None, 0.5):
                changed = [dict(e) for e in events]
                changed[index][key] = wrong
                responses.append({"events": changed})
    return responses


def test_the_response_check_gives_jsonschemas_verdict_on_every_event_kind():
    import jsonschema

    schema = RemoteAction.action_response_format_spec()
    full, fast = jsonschema.validators.validator_for(schema)(schema), rasa_patches.ResponseValidator(schema)

    def fast_verdict(response) -> bool:
        try:
            fast.validate(response)
        except ValidationError:
            return False
        return True

    responses = _responses()
    verdicts = [(full.is_valid(response), fast_verdict(response)) for response in responses]
    assert [fast_said for _, fast_said in verdicts] == [full_said for full_said, _ in verdicts]
    assert sum(full_said for full_said, _ in verdicts) > 20 and sum(not full_said for full_said, _ in verdicts) > 50


def test_event_classes_are_found_as_before(patched):
    from rasa.shared.core.events import BotUttered, SlotSet, UserUttered

    assert [Event.resolve_by_type(name) for name in ("user", "bot", "slot", "user")] == \
        [UserUttered, BotUttered, SlotSet, UserUttered]
    assert Event.resolve_by_type("topic") is None
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no-such-event")


def test_idle_connections_are_dropped_before_the_action_server_drops_them(patched):
    import asyncio

    from rasa.utils.endpoints import EndpointConfig
    from sanic.config import DEFAULT_CONFIG

    async def keep_alive() -> float:
        async with EndpointConfig("http://127.0.0.1:1/webhook").session() as session:
            seconds = session.connector._keepalive_timeout
        await session.close()  # kept open by the patch: closed here, at the end of the test
        return seconds

    assert asyncio.run(keep_alive()) < DEFAULT_CONFIG["KEEP_ALIVE_TIMEOUT"]


def test_one_http_session_per_endpoint_is_kept_open(patched):
    import asyncio

    from rasa.utils.endpoints import EndpointConfig

    async def sessions():
        endpoint, other = EndpointConfig("http://127.0.0.1:1/webhook"), EndpointConfig("http://127.0.0.1:2/webhook")
        async with endpoint.session() as first:
            pass
        async with endpoint.session() as second:
            pass
        async with other.session() as third:
            pass
        kept = (first is second, first is third, first.closed)
        for session in (first, third):
            await session.close()
        return kept

    assert asyncio.run(sessions()) == (True, False, False)


def test_a_model_loaded_without_tracing_the_training_step_predicts_the_same():
    """Both loads of the trained model, in fresh processes, parse the held-out messages alike."""
    import json
    import os
    import subprocess

    from bot.ops.processes import MODEL, QUIET, venv_bin

    if not MODEL.exists():
        pytest.skip(f"no trained model at {MODEL}: run `make model`")
    script = (
        "import asyncio, json, sys\n"
        "if sys.argv[1] == 'patched':\n"
        "    from bot.extensions import rasa_patches; rasa_patches.apply()\n"
        "from rasa.core.agent import load_agent\n"
        "from bench.heldout import load\n"
        f"agent = asyncio.run(load_agent(model_path={str(MODEL)!r}))\n"
        "async def parse():\n"
        "    return [await agent.parse_message(m.text) for m in load()[::25]]\n"
        "print(json.dumps([[p['intent']['name'], round(p['intent']['confidence'], 4),\n"
        "                   sorted((e['entity'], e['value']) for e in p['entities'])]\n"
        "                  for p in asyncio.run(parse())]))\n")
    outputs = []
    for mode in ("patched", "plain"):
        done = subprocess.run([venv_bin("python"), "-c", script, mode], capture_output=True, text=True,
                              env={**os.environ, **QUIET}, check=True)
        outputs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) >= 10


def test_the_graph_run_in_order_gives_what_dask_gives():
    """Every held-out message parsed, and the next action predicted after each of them, with
    the graph run in order and with Rasa's dask runner: the same intents, entities, scores."""
    import asyncio

    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bench.heldout import DEV, LOCKED, load
    from bot.ops.processes import MODEL

    if not MODEL.exists():
        pytest.skip(f"no trained model at {MODEL}: run `make model`")
    rasa_patches.apply()
    try:
        from rasa.core.agent import load_agent

        in_order = DaskGraphRunner.run
        [dask_run] = [original for owner, attribute, original in rasa_patches._applied
                      if owner is DaskGraphRunner and attribute == "run"]
        agent = asyncio.run(load_agent(model_path=str(MODEL)))
        texts = [message.text for path in (DEV, LOCKED) for message in load(path)]

        async def outputs(run) -> list:
            DaskGraphRunner.run = run
            found = []
            for text in texts:
                parse = await agent.parse_message(text)
                tracker = DialogueStateTracker.from_events(
                    "zoe", [ActionExecuted("action_listen"), UserUttered(text, parse)], agent.domain.slots)
                prediction = agent.processor._predict_next_with_tracker(tracker)
                found.append((parse["intent"], parse["entities"], prediction.policy_name,
                              prediction.probabilities))
            return found
        with_dask = asyncio.run(outputs(dask_run))
        run_in_order = asyncio.run(outputs(in_order))
    finally:
        rasa_patches.restore()
    assert len(run_in_order) > 600 and run_in_order == with_dask
    assert len({intent["name"] for intent, *_ in run_in_order}) > 20
