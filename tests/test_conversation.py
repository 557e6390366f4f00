"""End to end: the assistant, served as `make run` serves it (Rasa server with its runtime
fixes, action server, REST channel), answers French messages it was never trained on.

Each held-out message (development set tests/e2e/dev.yml and locked test set
tests/e2e/locked.yml) starts its own conversation; its answer is scored with the stricter rule
of bench.heldout.is_right. The pass rates are printed, with the development set's wrong
answers (the locked set's are counted, never shown); under the floors below fails.
Multi-turn dialogues check follow-ups and the guided search.
"""

from __future__ import annotations

import uuid

import pytest

from bench.conversations import PERSONAS, play, rest_asker
from bench.conversations import load as load_conversations
from bench.heldout import LOCKED, SETS, answer_text, expected_fragment, is_right, load
from knowledge.queries import open_knowledge_base
from tests.assistant import MODEL, Stack, post_rest

# Floors, not goals: the development set was tuned on; the locked set's floor only guards
# against a regression (its figure is reported by `make bench`, never used to choose).
REQUIRED_PASS_RATE = {"développement": 0.90, "test verrouillé": 0.85}
REQUIRED_TURNS_RIGHT = 0.85  # the scripted conversations' floor; `make bench` reports the share

pytestmark = pytest.mark.skipif(not MODEL.exists(), reason=f"no trained model at {MODEL}: run `make model`")


class RestClient:
    """The served assistant, one REST message at a time."""

    def __init__(self, stack: Stack):
        self.url = stack.rasa_url

    def ask(self, text: str, sender: str) -> list[dict]:
        status, messages = post_rest(self.url, {"sender": sender, "message": text}, timeout=60)
        assert status == 200, f"HTTP {status} for « {text[:50]} »: {messages}"
        return messages


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    stack = Stack(tmp_path_factory.mktemp("served"))
    try:
        post_rest(stack.rasa_url, {"sender": "warm-up", "message": "bonjour"}, timeout=240)
        yield RestClient(stack)
    finally:
        stack.stop()


@pytest.mark.parametrize("set_name", list(SETS))
def test_heldout_messages_get_the_expected_answer(assistant, capsys, set_name):
    cases = load(SETS[set_name])
    campus_names = {c.key: c.short_name for c in open_knowledge_base().all_campuses()}
    failures = []
    for case in cases:
        answer = answer_text(assistant.ask(case.text, sender=f"heldout-{uuid.uuid4().hex}"))
        if not is_right(case, answer, campus_names):
            expected = expected_fragment(case, campus_names)
            failures.append(f"- « {case.text} » ({case.intent}) : attendu « {expected} », reçu « {answer[:160]} »")
    wrong = len(failures)
    rate = 1 - wrong / len(cases)
    if SETS[set_name] == LOCKED:  # never shown: reading them would be tuning on the locked test
        failures = [f"{wrong} réponses fausses (messages du test verrouillé non affichés)"]
    with capsys.disabled():
        print(f"\nEnd-to-end answers, {set_name} set (served, REST, stricter rule): "
              f"{len(cases) - wrong}/{len(cases)} = {rate:.1%}")
        print("\n".join(failures))
    assert rate >= REQUIRED_PASS_RATE[set_name], "\n".join(failures)


def test_scripted_persona_conversations_behave_as_expected(assistant, capsys):
    conversations = load_conversations()
    assert len(conversations) >= 40 and {c.persona for c in conversations} == set(PERSONAS)
    scores = play(rest_asker(assistant.url), conversations)
    with capsys.disabled():
        print(f"\nScripted conversations (served, REST): {scores.turns_right}/{scores.turns} turns right = "
              f"{scores.share_right:.1%}; by persona {scores.by_persona}")
        print("\n".join(scores.failures))
    assert scores.share_right >= REQUIRED_TURNS_RIGHT, "\n".join(scores.failures)


DIALOGUES = {
    "follow-ups keep the context": [
        ("un BTS dans le 93", "Création numérique"),
        ("et en master ?", "niveau Master, lieu Seine-Saint-Denis, 93"),
        ("et pour la santé ?", "Aucun campus"),
    ],
    "a picked result is the campus in focus": [
        ("je veux travailler dans l'aéronautique", "Aéronautique Pays de Meaux"),
        ("le deuxième", "Pays de Meaux"),
        ("où se trouve ce campus ?", "Meaux (77)"),
        ("c'est quoi ta source ?", "Sources pour le campus Aéronautique Pays de Meaux"),
    ],
    "guided search": [
        ("je cherche une formation", "Dans quel secteur"),
        ("la santé", "Quel niveau"),
        ("peu importe", "Où ?"),
        ("dans le 94", "Santé, autonomie et bien vieillir"),
    ],
    "undecided student": [
        ("je sais pas quoi faire", "Qu'est-ce que vous aimez faire"),
        ("j'aime dessiner", "Mode, Métiers d'Art & Design"),
        ("le premier", "Gobelins"),
    ],
}


@pytest.mark.parametrize("name", DIALOGUES)
def test_dialogues(assistant, name):
    sender = f"dialogue-{uuid.uuid4().hex}"
    for text, expected in DIALOGUES[name]:
        answer = answer_text(assistant.ask(text, sender=sender))
        assert expected in answer, f"« {text} » -> {answer}"


@pytest.mark.parametrize("text", ["", "   ", "😀😀😀", "<script>alert(1)</script>", "'; DROP TABLE campus; --",
                                  "a" * 5000])
def test_odd_messages_get_an_answer_and_the_assistant_keeps_working(assistant, text):
    sender = f"odd-{uuid.uuid4().hex}"
    assistant.ask(text, sender=sender)
    assert "Aéronautique et spatial" in answer_text(assistant.ask("campus aéronautique", sender=sender))
