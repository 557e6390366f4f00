"""Rasa's rule and memoization policies, reading only the recent part of a long conversation
(declared in config.yml, Rasa's extension point for policies).

Before each prediction Rasa turns the whole conversation into one dialogue state per action
(`Domain.states_for_tracker_history`), several times a turn, although these policies compare
only the last few states with their rules and stories (memoization: `max_history` 4; the
longest rule: a few steps). After 100 turns that was a third of a turn's cost, and it kept
growing. They now read a copy of the conversation reduced to its last RECENT_ACTIONS actions,
with the form active at the cut and the current slot values: the same last states, so the
same predictions (tests/test_policies.py replays long conversations both ways). A
conversation shorter than that is read whole, as before.
"""

from __future__ import annotations

import weakref
from typing import Any

from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot.extensions.recent import recent_tracker

RECENT_ACTIONS = 40  # twice what the policies compare at most (max_history 4, rules of a few steps)
_last: list = [None, None, None]  # a weak reference to the last tracker cut, its length, its recent part


def recent_part(tracker: DialogueStateTracker, actions: int | None = None) -> DialogueStateTracker:
    """The recent part of `tracker` (bot.extensions.recent) with its last `actions` (default
    RECENT_ACTIONS) actions; computed once for both policies."""
    actions = RECENT_ACTIONS if actions is None else actions
    key = (len(tracker.events), actions)
    if _last[0] is not None and _last[0]() is tracker and _last[1] == key:
        return _last[2]
    recent = recent_tracker(tracker, actions)
    _last[:] = [weakref.ref(tracker), key, recent]
    return recent


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class RecentMemoizationPolicy(MemoizationPolicy):
    """MemoizationPolicy over the recent part of the conversation."""

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: dict[str, Any] | None = None, **kwargs: Any) -> PolicyPrediction:
        return super().predict_action_probabilities(recent_part(tracker), domain, rule_only_data, **kwargs)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class RecentRulePolicy(RulePolicy):
    """RulePolicy over the recent part of the conversation."""

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: dict[str, Any] | None = None, **kwargs: Any) -> PolicyPrediction:
        return super().predict_action_probabilities(recent_part(tracker), domain, rule_only_data, **kwargs)
