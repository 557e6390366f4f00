"""Rasa's own checks: the training data validates with no warning, and the conversation
tests of tests/test_stories.yml are predicted without error by the trained model."""

from __future__ import annotations

import os
import subprocess

import pytest

from knowledge.settings import PROJECT_ROOT
from tests.assistant import MODEL, QUIET

RASA = str(PROJECT_ROOT / ".venv" / "bin" / "rasa")


def run_rasa(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([RASA, *args], cwd=PROJECT_ROOT, env={**os.environ, **QUIET},
                          capture_output=True, text=True, timeout=timeout)


def test_training_data_validates_without_warning():
    result = run_rasa("data", "validate", "--fail-on-warnings")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "UserWarning" not in result.stderr


@pytest.mark.skipif(not MODEL.exists(), reason=f"no trained model at {MODEL}: run `make model`")
def test_conversation_stories_pass(tmp_path):
    result = run_rasa("test", "core", "--model", str(MODEL), "--stories", "tests/test_stories.yml",
                      "--out", str(tmp_path), "--fail-on-prediction-errors")
    failed = (tmp_path / "failed_test_stories.yml")
    details = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, details + result.stdout[-2000:] + result.stderr[-2000:]
