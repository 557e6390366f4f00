"""Which action or response answers each intent, for button payloads run from an action: read
from data/rules.yml, the one routing table (an intent's unconditional rule names its answer)."""

from __future__ import annotations

import functools
import importlib
import pkgutil

import yaml

import actions
from actions.base import KnowledgeAction
from knowledge.settings import PROJECT_ROOT

RULES = PROJECT_ROOT / "data" / "rules.yml"


@functools.cache
def _routes() -> dict[str, str]:
    """intent → the first action of its rule; rules with a condition (a form active or not) are
    left out: what they run depends on the conversation, not on the intent alone."""
    routes = {}
    for rule in yaml.safe_load(RULES.read_text(encoding="utf-8"))["rules"]:
        steps = rule["steps"]
        intent = next((step["intent"] for step in steps if "intent" in step), None)
        if intent and not rule.get("condition"):
            routes[intent] = next(step["action"] for step in steps if "action" in step)
    return routes


def _subclasses(cls: type) -> list[type]:
    return [found for sub in cls.__subclasses__() for found in (sub, *_subclasses(sub))]


@functools.cache
def _knowledge_actions() -> dict[str, KnowledgeAction]:
    """Every knowledge action of the package, by name (each module imported, as the action server does)."""
    for module in pkgutil.iter_modules(actions.__path__):
        importlib.import_module(f"actions.{module.name}")
    found = (cls() for cls in _subclasses(KnowledgeAction) if not getattr(cls, "__abstractmethods__", None))
    return {action.name(): action for action in found}


def rule_action(intent: str) -> str | None:
    """The name of the action, response or form that `intent`'s rule runs; None if no rule answers it."""
    return _routes().get(intent)


def action_for_intent(intent: str) -> KnowledgeAction | str | None:
    """The action instance answering `intent`, or the name of the response or form its rule runs;
    None if no rule answers it."""
    target = rule_action(intent)
    if target is None:
        return None
    return _knowledge_actions().get(target, target)
