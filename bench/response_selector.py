"""Tried for issue 13: the nine general questions about CMQs (fact_definition … fact_counts) as
one retrieval intent, ``fact``, whose fact a ResponseSelector picks, as Rasa advises for
FAQ-like questions; against the project's pipeline, both trained on the NLU data alone in
the same run, with each random seed given.

    python -m bench.response_selector            # make bench-response-selector; about 15 minutes

Scored on the development set only (a choice is made on it; the locked test stays untouched):
intents (``fact`` with the selector's pick counts as ``fact_<pick>``), entities, and the
answers of the project's dialogue and actions (the served runtime, as bench.quality does) to
each parse. Writes bench/response_selector.json, which bench/results.md reports.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import yaml

from bench.heldout import DEV, load
from bench.quality import RasaNlu, answers_with, dialogue_and_campus_names, score
from knowledge.settings import PROJECT_ROOT

RESULTS = PROJECT_ROOT / "bench" / "response_selector.json"
FACT_PREFIX = "fact_"
RETRIEVAL_INTENT = "fact"
SEEDS = (2026, 2027)
SELECTOR_EPOCHS = 100
SYSTEMS = {"pipeline": "Pipeline du projet (une intention par fait)",
           "selector": "Intention « fact » + ResponseSelector"}


def _fact_keys(nlu_yaml: str) -> list[str]:
    return re.findall(rf"- intent: {FACT_PREFIX}(\w+)", nlu_yaml)


def write_training_files(folder: Path, system: str, seed: int) -> None:
    """config.yml, domain.yml and data/ of one system, from the project's, in `folder`."""
    data = folder / "data"
    data.mkdir(parents=True)
    nlu = (PROJECT_ROOT / "data" / "nlu.yml").read_text(encoding="utf-8")
    shutil.copy(PROJECT_ROOT / "data" / "generated" / "knowledge.yml", data / "knowledge.yml")
    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text(encoding="utf-8"))
    config.pop("policies")
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    pipeline = config["pipeline"]
    diet = next(i for i, component in enumerate(pipeline) if component["name"].endswith("DIETClassifier"))
    pipeline[diet]["random_seed"] = seed
    if system == "selector":
        keys = _fact_keys(nlu)
        nlu = re.sub(rf"- intent: {FACT_PREFIX}(\w+)", rf"- intent: {RETRIEVAL_INTENT}/\1", nlu)
        domain["intents"] = [i for i in domain["intents"] if not str(i).startswith(FACT_PREFIX)] + [RETRIEVAL_INTENT]
        domain.setdefault("responses", {}).update(
            {f"utter_{RETRIEVAL_INTENT}/{key}": [{"text": key}] for key in keys})  # the selector's labels
        pipeline.insert(diet + 1, {"name": "ResponseSelector", "retrieval_intent": RETRIEVAL_INTENT,
                                   "epochs": SELECTOR_EPOCHS, "constrain_similarities": True, "random_seed": seed})
    (data / "nlu.yml").write_text(nlu, encoding="utf-8")
    (folder / "config.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (folder / "domain.yml").write_text(yaml.safe_dump(domain, allow_unicode=True, sort_keys=False), encoding="utf-8")


def train(folder: Path) -> Path:
    subprocess.run([sys.executable, "-m", "rasa", "train", "nlu", "--quiet", "--config", str(folder / "config.yml"),
                    "--nlu", str(folder / "data"), "--domain", str(folder / "domain.yml"), "--out", str(folder),
                    "--fixed-model-name", "nlu"], check=True, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL)
    return folder / "nlu.tar.gz"


class FactsAsIntents(RasaNlu):
    """The selector's parse as the dialogue reads it: « fact » and its pick become fact_<pick>."""

    async def parse(self, text: str) -> dict:
        parse = await self.agent.parse_message(text)
        if parse["intent"]["name"] == RETRIEVAL_INTENT:
            picked = parse["response_selector"][RETRIEVAL_INTENT]["response"]["intent_response_key"]
            intent = {"name": FACT_PREFIX + picked.split("/")[1], "confidence": parse["intent"]["confidence"]}
            parse["intent"] = intent
            parse["intent_ranking"] = [intent] + [r for r in parse["intent_ranking"] if r["name"] != RETRIEVAL_INTENT]
        return parse


def fact_counts(messages, parses) -> dict[str, int]:
    """General questions right, and other questions read as a general question."""
    predicted = [p["intent"]["name"] for p in parses]
    facts = [(m.intent, p) for m, p in zip(messages, predicted, strict=True) if m.intent.startswith(FACT_PREFIX)]
    return {"fact_questions": len(facts), "fact_questions_right": sum(g == p for g, p in facts),
            "others_read_as_fact": sum(not m.intent.startswith(FACT_PREFIX) and p.startswith(FACT_PREFIX)
                                       for m, p in zip(messages, predicted, strict=True))}


async def evaluate(models: dict[tuple[str, int], Path]) -> list[dict]:
    from rasa.core.agent import load_agent

    messages = load(DEV)
    rows = []
    async with dialogue_and_campus_names() as (dialogue, campus_names):
        for (system, seed), model in models.items():
            nlu = FactsAsIntents(await load_agent(model_path=str(model)))
            parses, answers = await answers_with(dialogue, nlu, messages, f"{system}-{seed}")
            scores = score(SYSTEMS[system], messages, parses, answers, campus_names)
            rows.append({"system": system, "seed": seed, "messages": len(messages),
                         "intent_accuracy": scores.intent_accuracy, "entity_f1": scores.entity_f1,
                         "answer_accuracy": scores.answer_accuracy, **fact_counts(messages, parses)})
    return rows


def markdown(results: dict) -> list[str]:
    """The section of bench/results.md."""
    lines = ["## Essayé : un ResponseSelector pour les questions générales", "",
             f"Mesuré le {results['date']} par `make bench-response-selector` (`bench/response_selector.py`), "
             f"sur le développement seul ({results['rows'][0]['messages']} messages ; un choix se fait sur lui) : "
             "les neuf intentions de faits réunies en une intention « fact » dont un ResponseSelector choisit "
             "le fait, contre le pipeline du projet ; NLU seule entraînée de la même façon pour les deux, avec "
             "chaque graine ; réponses du dialogue et des actions du projet.", "",
             "| Système | Graine | Intentions | Entités F1 | Réponses justes | Questions générales justes | "
             "Autres questions prises pour une question générale |", "|---|---|---|---|---|---|---|"]
    for row in results["rows"]:
        lines.append(f"| {SYSTEMS[row['system']]} | {row['seed']} | {row['intent_accuracy']:.1%} | "
                     f"{row['entity_f1']:.3f} | {row['answer_accuracy']:.1%} | "
                     f"{row['fact_questions_right']}/{row['fact_questions']} | {row['others_read_as_fact']} |")
    lines += ["", results["conclusion"], ""]
    return lines


def conclusion(rows: list[dict]) -> str:
    def mean(system: str, key: str) -> float:
        values = [row[key] for row in rows if row["system"] == system]
        return sum(values) / len(values)

    kept = mean("selector", "answer_accuracy") > mean("pipeline", "answer_accuracy")
    return (f"Moyenne des graines : réponses justes {mean('pipeline', 'answer_accuracy'):.1%} (pipeline) contre "
            f"{mean('selector', 'answer_accuracy'):.1%} (sélecteur) ; intentions "
            f"{mean('pipeline', 'intent_accuracy'):.1%} contre {mean('selector', 'intent_accuracy'):.1%} ; "
            f"questions générales justes {mean('pipeline', 'fact_questions_right'):.1f} contre "
            f"{mean('selector', 'fact_questions_right'):.1f} ; autres questions prises pour une question générale "
            f"{mean('pipeline', 'others_read_as_fact'):.1f} contre {mean('selector', 'others_read_as_fact'):.1f}. "
            + ("Les chiffres le justifient : à adopter." if kept
               else "Les chiffres ne le justifient pas : non retenu."))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.response_selector", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cmq-selector-") as work:
        models = {}
        for seed in args.seeds:
            for system in SYSTEMS:
                folder = Path(work) / f"{system}-{seed}"
                write_training_files(folder, system, seed)
                print(f"==> Entraînement : {SYSTEMS[system]}, graine {seed}", flush=True)
                models[(system, seed)] = train(folder)
        rows = asyncio.run(evaluate(models))
    results = {"date": date.today().isoformat(), "rows": rows, "conclusion": conclusion(rows)}
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print("\n".join(markdown(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
