"""`rasa data validate --fail-on-warnings`, where a response that the actions say or that a form
asks counts as used, as one in a rule or a story does (Rasa warns that no story or rule uses it).

    python -m bot.extensions.validation      # exit status 1 on any error or warning, or on a
                                             # response said by an action and absent from domain.yml

The fixed wording lives in domain.yml's responses; actions say it with
`dispatcher.utter_message(response="utter_…")`, which the validator cannot see.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import warnings
from pathlib import Path

import rasa.cli.utils as rasa_cli
from rasa.shared.core.events import ActionExecuted
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.utils.common import configure_logging_and_warnings
from rasa.validator import Validator

from bot.extensions.rasa_patches import check_version
from knowledge.settings import PROJECT_ROOT

SAID_BY_AN_ACTION = re.compile(r"""response=["'](utter_\w+)["']""")


def responses_said_by_actions() -> set[str]:
    """Every response named as `response="utter_…"` in the actions' code."""
    return {name for path in (PROJECT_ROOT / "actions").glob("*.py")
            for name in SAID_BY_AN_ACTION.findall(path.read_text(encoding="utf-8"))}


class ProjectValidator(Validator):
    """Rasa's validator; the responses said by actions or asked by forms are not reported unused."""

    def _gather_utterance_actions(self) -> set[str]:
        in_dialogues = {event.action_name for story in self.story_graph.story_steps for event in story.events
                        if isinstance(event, ActionExecuted) and event.action_name}
        asked_by_forms = {f"utter_ask_{slot}" for form in self.domain.forms.values()
                          for slot in form.get("required_slots", [])}
        used_elsewhere = (responses_said_by_actions() | asked_by_forms) - in_dialogues
        return super()._gather_utterance_actions() - used_elsewhere


def validate(domain: Path = PROJECT_ROOT / "domain.yml") -> bool:
    """Rasa's checks of the domain, the NLU data, the rules and stories; any warning fails them
    (Rasa's own `--fail-on-warnings` lets an unused response pass with a warning). Uses the private
    checks of Rasa's command line, so it refuses any other Rasa version than the pinned one."""
    check_version()
    # As Rasa's command line, its known warnings filtered; its step-by-step logs only with CMQ_DEBUG=1.
    configure_logging_and_warnings(logging.DEBUG if os.environ.get("CMQ_DEBUG") == "1" else logging.WARNING)
    with warnings.catch_warnings(record=True) as caught:
        importer = TrainingDataImporter.load_from_config(
            str(PROJECT_ROOT / "config.yml"), str(domain), [str(PROJECT_ROOT / "data")])
        validator = ProjectValidator.from_importer(importer)
        valid = all([rasa_cli._validate_domain(validator),
                     rasa_cli._validate_nlu(validator, fail_on_warnings=True),
                     rasa_cli._validate_story_structure(validator, max_history=None, fail_on_warnings=True)])
        validator.warn_if_config_mandatory_keys_are_not_set()
    found = [warning for warning in caught if issubclass(warning.category, UserWarning)]  # Rasa's, not imports'
    for warning in found:
        print(f"{warning.category.__name__}: {warning.message}", file=sys.stderr)
    missing = sorted(responses_said_by_actions() - set(validator.domain.responses))
    if missing:
        print(f"Réponses dites par les actions mais absentes de domain.yml : {', '.join(missing)}", file=sys.stderr)
    return valid and not found and not missing


def main() -> int:
    if validate():
        return 0
    print("Données d'entraînement non valides : voir les avertissements ci-dessus.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
