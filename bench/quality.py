"""Answer quality on the held-out messages (locked test set and development set) for three NLU
systems trained on the same data.

    python -m bench.quality --model var/bench/cmq.tar.gz --default-model var/bench/rasa-default.tar.gz
    python -m bench.quality --set développement     # tuning: the development set alone

Systems: this project's pipeline (spaCy, DIET, knowledge-base extractor), Rasa's default
pipeline (no spaCy) and a plain TF-IDF + logistic-regression intent classifier (no entities).
Each is scored on intents (accuracy, macro F1), entities (precision, recall, F1; a predicted
entity is right when its type and exact character span match an annotated one) and answers:
the project's dialogue and actions answer every message with that system's NLU output, in
the runtime `make run` serves (bot.extensions.runtime's fixes and safeguards applied), and the
answer must pass bench.heldout.is_right (the expected campus among the first three named, not
the list of every campus; or the expected fragment).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from actions.registry import rule_action
from bench.heldout import SETS, HeldOutMessage, answer_text, expected_fragment, is_right, load
from bot.ops.processes import MODEL, free_port, start_action_server, stop
from knowledge.queries import open_knowledge_base
from knowledge.settings import PROJECT_ROOT

TRAINING_DATA = PROJECT_ROOT / "data"


@dataclass
class SystemScores:
    system: str
    intent_accuracy: float
    intent_macro_f1: float
    entity_precision: float
    entity_recall: float
    entity_f1: float
    answer_accuracy: float
    messages: int
    training_answer_accuracy: float | None = None  # on the training questions alone
    training_messages: int = 0
    confusions: list[tuple[str, str, int]] = field(default_factory=list)
    wrong_answers: list[str] = field(default_factory=list)
    intent_errors: int = 0
    intent_errors_same_action: int = 0  # the predicted intent's rule runs the expected intent's action
    intent_errors_answered_right: int = 0  # the answer is right all the same (the actions read the words too)


class TfidfLogisticRegression:
    """A plain intent classifier: word TF-IDF (unigrams and bigrams) and logistic regression."""

    def __init__(self, training_dir: Path = TRAINING_DATA):
        from rasa.shared.importers.rasa import RasaFileImporter
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        nlu_data = RasaFileImporter(training_data_paths=[str(training_dir)]).get_nlu_data()
        examples = [m for m in nlu_data.intent_examples if m.get("text")]
        self.model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                                   LogisticRegression(max_iter=2000))
        self.model.fit([m.get("text") for m in examples], [m.get("intent") for m in examples])

    async def parse(self, text: str) -> dict:
        probabilities = self.model.predict_proba([text])[0]
        ranking = sorted(zip(self.model.classes_, probabilities, strict=True), key=lambda pair: -pair[1])
        return {"text": text, "entities": [],
                "intent": {"name": ranking[0][0], "confidence": float(ranking[0][1])},
                "intent_ranking": [{"name": name, "confidence": float(p)} for name, p in ranking[:10]]}


class RasaNlu:
    """The NLU part of a trained Rasa model."""

    def __init__(self, agent):
        self.agent = agent

    async def parse(self, text: str) -> dict:
        return await self.agent.parse_message(text)


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _entity_counts(message: HeldOutMessage, predicted: list[dict]) -> tuple[int, int, int]:
    """(right, predicted, annotated) entities for one message."""
    gold = {(e.entity, e.start, e.end) for e in message.entities}
    found = {(e["entity"], e["start"], e["end"]) for e in predicted if "start" in e}
    return len(gold & found), len(found), len(gold)


def score(system: str, messages: list[HeldOutMessage], parses: list[dict], answers: list[str],
          campus_names: dict[str, str]) -> SystemScores:
    from sklearn.metrics import f1_score

    gold = [m.intent for m in messages]
    predicted = [p["intent"]["name"] if p.get("intent") else "" for p in parses]
    right = found = annotated = 0
    for message, parse in zip(messages, parses, strict=True):
        counts = _entity_counts(message, parse.get("entities") or [])
        right, found, annotated = right + counts[0], found + counts[1], annotated + counts[2]
    precision, recall = (right / found if found else 0.0), right / annotated
    confusions = Counter((g, p) for g, p in zip(gold, predicted, strict=True) if g != p)
    wrong = [f"« {m.text} » : attendu « {expected_fragment(m, campus_names)} », reçu « {a[:120]} »"
             for m, a in zip(messages, answers, strict=True) if not is_right(m, a, campus_names)]
    training = [(m, a) for m, a in zip(messages, answers, strict=True) if m.topic == "training"]
    training_right = sum(is_right(m, a, campus_names) for m, a in training)
    errors = [(m, p, a) for m, p, a in zip(messages, predicted, answers, strict=True) if m.intent != p]
    return SystemScores(
        system, round(sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold), 4),
        round(f1_score(gold, predicted, labels=sorted(set(gold)), average="macro", zero_division=0), 4),
        round(precision, 4), round(recall, 4), round(_f1(precision, recall), 4),
        round(1 - len(wrong) / len(messages), 4), len(messages),
        round(training_right / len(training), 4) if training else None, len(training),
        [(g, p, n) for (g, p), n in confusions.most_common(10)], wrong, len(errors),
        sum(rule_action(m.intent) is not None and rule_action(m.intent) == rule_action(p) for m, p, _ in errors),
        sum(is_right(m, a, campus_names) for m, _, a in errors))


async def answers_with(dialogue_agent, nlu, messages: list[HeldOutMessage], system: str):
    """Each message in a new conversation, answered by the project's dialogue with `nlu`'s parse
    (the project's own when `nlu` is None); the parse the dialogue used is kept for scoring."""
    processor = dialogue_agent.processor
    original = processor.parse_message
    parses, answers = [], []

    async def parse_with_system(message, tracker=None, only_output_properties=True):
        parse = await (nlu.parse(message.text) if nlu else original(message, tracker, only_output_properties))
        parses.append(parse)
        return parse

    processor.parse_message = parse_with_system
    try:
        for index, message in enumerate(messages):
            reply = await dialogue_agent.handle_text(message.text, sender_id=f"quality-{system}-{index}")
            answers.append(answer_text(reply))
            if len(parses) != len(answers):
                raise RuntimeError(f"the dialogue parsed « {message.text} » {len(parses) - len(answers) + 1} times")
    finally:
        processor.parse_message = original
    return parses, answers


@contextlib.asynccontextmanager
async def dialogue_and_campus_names(model: Path = MODEL):
    """The project's dialogue (`model`, its action server running) in the runtime `make run`
    serves, and the campuses' short names by key."""
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.endpoints import EndpointConfig
    from rasa.utils.log_utils import configure_structlog

    from bot.extensions import rasa_patches

    rasa_patches.apply()  # the runtime `make run` serves: same fixes, same safeguards
    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    kb = open_knowledge_base()
    port = free_port()
    action_server = start_action_server(port)
    try:
        endpoints = AvailableEndpoints(action=EndpointConfig(f"http://127.0.0.1:{port}/webhook"))
        yield await load_agent(model_path=str(model), endpoints=endpoints), {c.key: c.short_name
                                                                             for c in kb.all_campuses()}
    finally:
        stop([action_server])


async def evaluate(model: Path, default_model: Path | None, training_dir: Path = TRAINING_DATA,
                   set_names: tuple[str, ...] = ("test verrouillé", "développement")) -> dict[str, list[SystemScores]]:
    """Scores of each system on each set of held-out messages (by default all, the locked test set first)."""
    from rasa.core.agent import load_agent

    async with dialogue_and_campus_names(model) as (dialogue, campus_names):
        systems = [("Orientation CMQ (spaCy + DIET + base de connaissances)", None)]
        if default_model:
            systems.append(("Rasa, pipeline par défaut (sans spaCy)",
                            RasaNlu(await load_agent(model_path=str(default_model)))))
        systems.append(("TF-IDF + régression logistique", TfidfLogisticRegression(training_dir)))
        results = {}
        for set_name in set_names:
            messages = load(SETS[set_name])
            results[set_name] = []
            for name, nlu in systems:
                parses, answers = await answers_with(dialogue, nlu, messages, f"{name}-{set_name}")
                results[set_name].append(score(name, messages, parses, answers, campus_names))
        return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--default-model", type=Path, help="the model trained with Rasa's default pipeline")
    parser.add_argument("--set", choices=tuple(SETS), action="append", dest="sets",
                        help="score only this set (repeatable); tune on « développement », never on the locked test")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    chosen = {"set_names": tuple(args.sets)} if args.sets else {}
    results = asyncio.run(evaluate(args.model, args.default_model, **chosen))
    for set_name, scores in results.items():
        print(f"== {set_name}")
        for result in scores:
            print(f"{result.system}: intents {result.intent_accuracy:.1%} (macro F1 {result.intent_macro_f1:.3f}), "
                  f"entities P/R/F1 {result.entity_precision:.2f}/{result.entity_recall:.2f}/{result.entity_f1:.2f}, "
                  f"answers {result.answer_accuracy:.1%}"
                  + (f", training questions {result.training_answer_accuracy:.1%} of {result.training_messages}"
                     if result.training_messages else ""))
            for gold, predicted, count in result.confusions[:5]:
                print(f"    {gold} → {predicted} : {count}")
    if args.out:
        args.out.write_text(json.dumps({name: [asdict(r) for r in scores] for name, scores in results.items()},
                                       ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
