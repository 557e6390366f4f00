"""The known warnings of Rasa's libraries are hidden one by one (bot.extensions.known_warnings):
the checks and the servers print none of them, any other warning still shows, and CMQ_DEBUG=1
shows them all."""

from __future__ import annotations

import os
import subprocess
import sys

from knowledge.settings import PROJECT_ROOT
from tests.assistant import QUIET

WARN_AFTER_SANIC = """
import warnings
from bot.extensions import known_warnings
known_warnings.install()
import sanic  # puts a « once » filter for every DeprecationWarning in front of the others
from pyparsing.warnings import PyparsingDeprecationWarning
warnings.warn("pkg_resources is deprecated as an API. See https://setuptools.pypa.io", DeprecationWarning)
warnings.warn("'setParseAction' deprecated - use 'set_parse_action'", PyparsingDeprecationWarning)
warnings.warn("'resetCache' deprecated - use 'reset_cache'", DeprecationWarning)  # not pyparsing's: shown
warnings.warn("a deprecation nobody listed", DeprecationWarning)
warnings.warn("a warning nobody listed")
"""


def _stderr_of(code: str, **env: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, env={**os.environ, **env},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_a_known_warning_is_hidden_and_any_other_still_shows():
    shown = _stderr_of(WARN_AFTER_SANIC, CMQ_DEBUG="0")
    assert "pkg_resources" not in shown and "setParseAction" not in shown
    assert "a deprecation nobody listed" in shown and "a warning nobody listed" in shown
    assert "'resetCache' deprecated" in shown  # the message alone is not enough: the category must match too


def test_with_cmq_debug_every_warning_shows():
    shown = _stderr_of(WARN_AFTER_SANIC, CMQ_DEBUG="1")
    assert "pkg_resources is deprecated" in shown and "a deprecation nobody listed" in shown


def test_the_training_data_check_prints_nothing_when_all_is_well():
    """As `make model` runs it: Rasa imported, the data checked, and not a line of noise."""
    result = subprocess.run([sys.executable, "-m", "bot.extensions.known_warnings", "-m", "bot.extensions.validation"],
                            cwd=PROJECT_ROOT, env={**os.environ, **QUIET, "CMQ_DEBUG": "0"},
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Warning" not in result.stderr, result.stderr[-3000:]
    assert "Processed story blocks" not in result.stderr and "INFO" not in result.stdout + result.stderr


def test_the_wrapper_explains_its_usage():
    result = subprocess.run([sys.executable, "-m", "bot.extensions.known_warnings", "train"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "Usage" in result.stderr


def test_every_known_warning_can_be_given_to_pytest():
    """pytest reads « action:message:category »: a colon in a message would cut it."""
    from bot.extensions.known_warnings import KNOWN_WARNINGS

    assert all(":" not in known.message for known in KNOWN_WARNINGS)
