"""Rasa's own checks: an unused response fails the validation (bot.extensions.validation; that the
project's data passes it with no warning is in test_known_warnings), and the conversation tests of
tests/test_stories.yml are predicted without error by the trained model."""

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


def test_a_response_said_by_nobody_fails_the_validation_and_one_said_by_an_action_passes(tmp_path):
    from bot.extensions.validation import responses_said_by_actions, validate

    assert {"utter_apology", "utter_welcome"} <= responses_said_by_actions()
    domain = (PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8")
    unused = tmp_path / "domain.yml"
    unused.write_text(domain + '  utter_nobody_says_this:\n    - text: "Personne ne me dit."\n', encoding="utf-8")
    assert validate(PROJECT_ROOT / "domain.yml")
    assert not validate(unused)


@pytest.mark.skipif(not MODEL.exists(), reason=f"no trained model at {MODEL}: run `make model`")
def test_conversation_stories_pass(tmp_path):
    result = run_rasa("test", "core", "--model", str(MODEL), "--stories", "tests/test_stories.yml",
                      "--out", str(tmp_path), "--fail-on-prediction-errors")
    failed = (tmp_path / "failed_test_stories.yml")
    details = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, details + result.stdout[-2000:] + result.stderr[-2000:]


def test_the_validation_refuses_another_rasa_version(monkeypatch):
    """It calls private checks of Rasa 3.6.21's command line: another version must be read first."""
    import rasa

    from bot.extensions.rasa_patches import RasaVersionError
    from bot.extensions.validation import validate

    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    with pytest.raises(RasaVersionError, match="3.6.21"):
        validate()
