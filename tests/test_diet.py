"""The lighter DIET prediction (bot.extensions.nlu.diet) gives exactly Rasa's outputs: every
held-out message is parsed by the trained model, and at DIET each message is predicted both
ways; intent scores and entity tags must be equal, value for value. The server, which runs
TensorFlow as bot.ops.processes.SERVING_ENV sets it (one thread, no oneDNN), parses every
held-out message as Rasa does in-process with TensorFlow's defaults: same intents, same
entities, confidences within 1e-5."""

from __future__ import annotations

import asyncio
import json
import urllib.request

import numpy as np
import pytest
import scipy.sparse
from rasa.nlu.classifiers import diet_classifier

from bench.heldout import DEV, LOCKED, load
from bot.extensions import rasa_patches
from bot.extensions.nlu.diet import DIETClassifier, joined_sparse
from bot.ops.processes import MODEL, free_port, start_rasa_server, stop

TEXTS = [message.text for path in (DEV, LOCKED) for message in load(path)]


def test_joined_sparse_matrices_are_scipys_hstack():
    rng = np.random.default_rng(7)
    matrices = [scipy.sparse.random(4, width, density=0.3, format=kind, random_state=rng, dtype=np.float32)
                for width, kind in [(5, "coo"), (1, "csr"), (9, "coo")]]
    joined, expected = joined_sparse(matrices), scipy.sparse.hstack(matrices).tocoo()
    assert joined.shape == expected.shape == (4, 15) and joined.dtype == expected.dtype
    assert (joined != expected).nnz == 0


def _outputs_equal(fast: dict, rasa: dict) -> bool:
    if fast.keys() != rasa.keys():
        return False
    return all(_outputs_equal(fast[key], rasa[key]) if isinstance(rasa[key], dict)
               else rasa[key] is None and fast[key] is None or np.array_equal(fast[key], rasa[key])
               for key in rasa)


@pytest.fixture(scope="module")
def agent():
    from rasa.core.agent import load_agent

    if not MODEL.exists():
        pytest.skip(f"no trained model at {MODEL}: run `make model`")
    rasa_patches.apply()
    try:
        yield asyncio.run(load_agent(model_path=str(MODEL)))
    finally:
        rasa_patches.restore()


def test_every_held_out_message_gets_rasas_prediction(agent):
    [diet] = [node._component for node in agent.processor.graph_runner._instantiated_nodes.values()
              if isinstance(node._component, DIETClassifier)]
    compared, differing = [], []

    def predict_both_ways(message):
        fast = DIETClassifier._predict(diet, message)
        if not _outputs_equal(fast, diet_classifier.DIETClassifier._predict(diet, message)):
            differing.append(message.get("text"))
        compared.append(message.get("text"))
        return fast

    diet._predict = predict_both_ways
    try:
        async def parse_all():
            for text in TEXTS:
                await agent.parse_message(text)
        asyncio.run(parse_all())
    finally:
        del diet._predict
    assert len(compared) == len(TEXTS) > 600
    assert differing == []


def _reading(parse: dict) -> tuple:
    entities = sorted((e["entity"], e["start"], e["end"], str(e["value"])) for e in parse["entities"])
    return parse["intent"]["name"], entities


def test_the_server_parses_every_held_out_message_as_rasa_does_in_process(agent, tmp_path):
    port = free_port()
    server = start_rasa_server(MODEL, port, "--enable-api", log=tmp_path / "rasa.log")
    try:
        served = []
        for text in TEXTS:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/model/parse",
                                             json.dumps({"text": text}).encode(), {"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=60) as response:
                served.append(json.loads(response.read()))
    finally:
        stop([server])

    async def parse_all():
        return [await agent.parse_message(text) for text in TEXTS]
    in_process = asyncio.run(parse_all())
    assert [_reading(p) for p in served] == [_reading(p) for p in in_process]
    assert max(abs(a["intent"]["confidence"] - b["intent"]["confidence"])
               for a, b in zip(served, in_process, strict=True)) < 1e-5
