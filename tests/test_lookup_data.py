"""The NLU data generated from the knowledge base (bot.extensions.nlu.lookup_data) is the same at
every run: else each `make` trains another model from the same sources."""

from __future__ import annotations

import os
import subprocess
import sys

from knowledge.settings import PROJECT_ROOT

GENERATE = ("import sys, yaml; from bot.extensions.nlu.lookup_data import generate; "
            "from knowledge.queries import open_knowledge_base; "
            "yaml.safe_dump(generate(open_knowledge_base()), sys.stdout, allow_unicode=True)")


def _generated(hash_seed: str) -> str:
    result = subprocess.run([sys.executable, "-c", GENERATE], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            env={**os.environ, "PYTHONHASHSEED": hash_seed}, timeout=300, check=True)
    return result.stdout


def test_the_generated_training_data_does_not_depend_on_the_hash_seed():
    first, second = _generated("1"), _generated("2")
    assert "lookup: level" in first and "- BTS" in first
    assert first == second
