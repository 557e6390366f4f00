"""Issue 13's trial of a ResponseSelector for the general questions: the variant is trained on
the project's own data with the fact intents merged, its parse is read as the dialogue reads
intents, and the comparison is reported with the decision the numbers give."""

from __future__ import annotations

import asyncio

import yaml

from bench import response_selector
from bench.heldout import HeldOutMessage


def test_the_selector_variant_merges_the_fact_intents_and_keeps_the_rest(tmp_path):
    response_selector.write_training_files(tmp_path, "selector", seed=7)
    config = yaml.safe_load((tmp_path / "config.yml").read_text(encoding="utf-8"))
    names = [component["name"] for component in config["pipeline"]]
    selector = config["pipeline"][names.index("ResponseSelector")]
    assert names[names.index("ResponseSelector") - 1].endswith("DIETClassifier") and "policies" not in config
    assert (selector["retrieval_intent"], selector["random_seed"]) == ("fact", 7)
    domain = yaml.safe_load((tmp_path / "domain.yml").read_text(encoding="utf-8"))
    assert "fact" in domain["intents"] and not [i for i in domain["intents"] if i.startswith("fact_")]
    assert "utter_fact/label_rules" in domain["responses"] and "search_campus" in domain["intents"]
    nlu = (tmp_path / "data" / "nlu.yml").read_text(encoding="utf-8")
    assert "- intent: fact/definition" in nlu and "- intent: fact_" not in nlu
    assert (tmp_path / "data" / "knowledge.yml").exists()


def test_the_project_variant_is_its_pipeline_with_the_seed(tmp_path):
    response_selector.write_training_files(tmp_path, "pipeline", seed=7)
    config = yaml.safe_load((tmp_path / "config.yml").read_text(encoding="utf-8"))
    assert "ResponseSelector" not in [c["name"] for c in config["pipeline"]]
    assert [c["random_seed"] for c in config["pipeline"] if c["name"].endswith("DIETClassifier")] == [7]
    assert "- intent: fact_definition" in (tmp_path / "data" / "nlu.yml").read_text(encoding="utf-8")


class _Agent:
    async def parse_message(self, text):
        return {"intent": {"name": "fact", "confidence": 0.8},
                "intent_ranking": [{"name": "fact", "confidence": 0.8}, {"name": "greet", "confidence": 0.1}],
                "response_selector": {"fact": {"response": {"intent_response_key": "fact/label_rules"}}}}


def test_the_selector_s_pick_is_read_as_the_fact_intent_the_dialogue_knows():
    parse = asyncio.run(response_selector.FactsAsIntents(_Agent()).parse("le label dure combien de temps"))
    assert parse["intent"] == {"name": "fact_label_rules", "confidence": 0.8}
    assert [r["name"] for r in parse["intent_ranking"]] == ["fact_label_rules", "greet"]


def test_general_questions_right_and_other_questions_read_as_general_ones_are_counted():
    messages = [HeldOutMessage(text, intent, (), None, "x") for text, intent in
                [("a", "fact_definition"), ("b", "fact_counts"), ("c", "search_campus"), ("d", "greet")]]
    parses = [{"intent": {"name": name}} for name in ("fact_definition", "fact_levels", "fact_counts", "greet")]
    assert response_selector.fact_counts(messages, parses) == {
        "fact_questions": 2, "fact_questions_right": 1, "others_read_as_fact": 1}


def test_the_comparison_is_reported_with_the_decision_the_answers_give():
    rows = [{"system": system, "seed": seed, "intent_accuracy": intents, "entity_f1": 0.9, "answer_accuracy": answers,
             "fact_questions": 109, "fact_questions_right": right, "others_read_as_fact": others, "messages": 960}
            for system, seed, intents, answers, right, others in [("pipeline", 1, .85, .95, 100, 13),
                                                                   ("selector", 1, .86, .94, 106, 23)]]
    results = {"date": "2026-12-03", "rows": rows, "conclusion": response_selector.conclusion(rows)}
    text = "\n".join(response_selector.markdown(results))
    assert "| Intention « fact » + ResponseSelector | 1 | 86.0% | 0.900 | 94.0% | 106/109 | 23 |" in text
    assert text.rstrip().endswith("non retenu.")
    assert "réponses justes 95.0% (pipeline) contre 94.0% (sélecteur)" in text
