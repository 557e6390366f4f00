"""Rasa's rule and memoization policies, reading only the part of a long conversation they
compare (declared in config.yml, Rasa's extension point for policies).

Before each prediction Rasa turns the whole conversation into one dialogue state per action
(`Domain.states_for_tracker_history`), several times a turn, although these policies compare
only the last few states with their rules and stories; and the rule policy then checked each
of those states against every rule. After 100 turns that was a third of a turn's cost, and it
kept growing. Each policy now reads a copy of the conversation reduced to its last actions
(bot.extensions.recent: the form active at the cut, the current slot values), as many as it
compares, so the same last states and the same predictions (tests/test_policies.py replays
long conversations both ways, each policy's own prediction compared):
- the rule policy: one action more than its longest rule has states (2 states: 3 actions); and
  it checks only the rules that follow the last action (an index made at load), not all 76;
- memoization: its `max_history` states are those of actions a rule did not predict (Rasa hides
  the others from it), so it reads back to MEMO_MARGIN more of those than `max_history`, and
  at most RECENT_ACTIONS actions.
A conversation shorter than its window is read whole, as before.
"""

from __future__ import annotations

import functools
import json
import weakref
from typing import Any

from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ACTION_NAME

from bot.extensions.recent import recent_tracker

RECENT_ACTIONS = 40  # the most memoization reads (max_history 4, and the turns hidden from it)
MEMO_MARGIN = 2  # turns not hidden from memoization read beyond its max_history
CUT_FROM = 2  # a window is cut from conversations at least this many times longer
_last: dict[int, tuple] = {}  # window -> (a weak reference to the last tracker cut, its length, its recent part)


def recent_part(tracker: DialogueStateTracker, actions: int | None = None) -> DialogueStateTracker:
    """The recent part of `tracker` (bot.extensions.recent) with its last `actions` (default
    RECENT_ACTIONS) actions; computed once a prediction for each window. A conversation with
    less than CUT_FROM times that many actions is read whole: the copy would cost more than it saves."""
    actions = min(RECENT_ACTIONS if actions is None else actions, RECENT_ACTIONS)
    cached = _last.get(actions)
    if cached is not None and cached[0]() is tracker and cached[1] == len(tracker.events):
        return cached[2]
    whole = sum(isinstance(event, ActionExecuted) for event in tracker.events) < CUT_FROM * actions
    recent = tracker if whole else recent_tracker(tracker, actions)
    _last[actions] = (weakref.ref(tracker), len(tracker.events), recent)
    return recent


def actions_for_memoization(tracker: DialogueStateTracker, max_history: int) -> int:
    """How many of the last actions hold the `max_history` + MEMO_MARGIN last actions that no
    rule-only turn hides from memoization (all of them when the conversation is shorter)."""
    actions = shown = 0
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecuted):
            actions += 1
            shown += not event.hide_rule_turn
            if shown > max_history + MEMO_MARGIN:
                break
    return actions


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class RecentMemoizationPolicy(MemoizationPolicy):
    """MemoizationPolicy over the actions its last states come from."""

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: dict[str, Any] | None = None, **kwargs: Any) -> PolicyPrediction:
        recent = recent_part(tracker, actions_for_memoization(tracker, self.config["max_history"]))
        return super().predict_action_probabilities(recent, domain, rule_only_data, **kwargs)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class RecentRulePolicy(RulePolicy):
    """RulePolicy over the actions its longest rule compares."""

    @functools.cached_property
    def actions_compared(self) -> int:
        """One action more than the longest rule (in dialogue states) of this policy's lookup."""
        keys = [key for table in (RULES, RULES_FOR_LOOP_UNHAPPY_PATH) for key in self.lookup.get(table, {})]
        return 1 + max((len(json.loads(key)) for key in keys), default=1)

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: dict[str, Any] | None = None, **kwargs: Any) -> PolicyPrediction:
        return super().predict_action_probabilities(recent_part(tracker, self.actions_compared), domain,
                                                    rule_only_data, **kwargs)

    @functools.cached_property
    def _rules_by_last_action(self) -> dict[int, dict[str | None, dict[str, Any]]]:
        """For each rule table, its rules by the action their last state follows (None: any)."""
        index: dict[int, dict[str | None, dict[str, Any]]] = {}
        for table in (RULES, RULES_FOR_LOOP_UNHAPPY_PATH):
            lookup = self.lookup.get(table, {})
            by_action = index.setdefault(id(lookup), {})
            for key, value in lookup.items():
                action = self._rule_key_to_state(key)[-1].get(PREVIOUS_ACTION, {}).get(ACTION_NAME)
                by_action.setdefault(action, {})[key] = value
        return index

    def _get_possible_keys(self, lookup: dict[str, Any], states: list[dict]) -> set[str]:
        """Rasa's choice among the rules that can follow the conversation's last action: a rule
        whose last state names another action never applies."""
        by_action = self._rules_by_last_action.get(id(lookup))
        if by_action is None or not states:
            return super()._get_possible_keys(lookup, states)
        last_action = states[-1].get(PREVIOUS_ACTION, {}).get(ACTION_NAME)
        candidates = {**by_action.get(None, {}), **(by_action.get(last_action, {}) if last_action else {})}
        return super()._get_possible_keys(candidates, states)
