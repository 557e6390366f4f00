"""The lighter DIET prediction (bot.extensions.nlu.diet) gives exactly Rasa's outputs: every
held-out message is parsed by the trained model, and at DIET each message is predicted both
ways; intent scores and entity tags must be equal, value for value."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
import scipy.sparse
from rasa.nlu.classifiers import diet_classifier

from bench.heldout import DEV, LOCKED, load
from bot.extensions import rasa_patches
from bot.extensions.nlu.diet import DIETClassifier, joined_sparse
from bot.ops.processes import MODEL


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


@pytest.mark.skipif(not MODEL.exists(), reason=f"no trained model at {MODEL}: run `make model`")
def test_every_held_out_message_gets_rasas_prediction():
    from rasa.core.agent import load_agent

    rasa_patches.apply()
    try:
        agent = asyncio.run(load_agent(model_path=str(MODEL)))
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
        texts = [message.text for path in (DEV, LOCKED) for message in load(path)]

        async def parse_all():
            for text in texts:
                await agent.parse_message(text)
        asyncio.run(parse_all())
    finally:
        rasa_patches.restore()
    assert len(compared) == len(texts) > 600
    assert differing == []
