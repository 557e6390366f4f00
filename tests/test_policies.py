"""The rule and memoization policies read only the recent part of a long conversation
(bot.extensions.policies) and predict exactly what they predict reading all of it: a long conversation
is played in-process on the trained model, then at every prediction point past RECENT_ACTIONS
actions, the assistant and each policy alone predict again both ways."""

from __future__ import annotations

import asyncio

import pytest
from rasa.graph_components.providers.rule_only_provider import RuleOnlyDataProvider
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.extensions import policies, rasa_patches
from bot.ops.processes import MODEL

pytestmark = pytest.mark.skipif(not MODEL.exists(), reason=f"no trained model at {MODEL}: run `make model`")

# A long conversation: searches, follow-ups, campus questions, the guided search and its exit.
SCRIPT = ["bonjour", "un bts dans l'aéronautique", "et en apprentissage ?", "le campus santé",
          "qui sont les membres ?", "et les partenaires ?", "c'est quoi un cmq ?", "je cherche une formation",
          "la santé", "bac pro", "annuler", "les campus d'excellence", "où faire un cap ébéniste ?", "et après ?",
          "merci", "je veux un humain",
          "bac+2 c'est quel niveau ?", "tes sources ?", "liste des campus", "le 2", "au revoir"] * 4


@pytest.fixture(scope="module")
def agent():
    from rasa.core.agent import load_agent

    rasa_patches.apply()
    try:
        yield asyncio.run(load_agent(model_path=str(MODEL)))
    finally:
        rasa_patches.restore()


def test_the_recent_part_keeps_the_last_actions_the_active_form_and_the_slots():
    events = [ActionExecuted("action_listen"), UserUttered("je cherche une formation"),
              ActionExecuted("search_form"), ActiveLoop("search_form"), SlotSet("campus", "sante-bien-vieillir")]
    for turn in range(12):
        events += [ActionExecuted("action_listen"), UserUttered(f"réponse {turn}"),
                   ActionExecuted("action_search_campus")]
    tracker = DialogueStateTracker.from_events("zoe", events)
    recent = policies.recent_part(tracker, actions=10)
    assert sum(isinstance(e, ActionExecuted) for e in recent.events) == 10
    assert recent.active_loop_name == "search_form"
    assert recent.latest_message.text == "réponse 11"
    assert policies.recent_part(tracker, actions=1000) is tracker


def test_long_conversations_get_the_same_predictions_from_their_recent_part(agent, monkeypatch):
    async def play():
        for text in SCRIPT:
            await agent.handle_text(text, sender_id="long")
        return await agent.tracker_store.retrieve("long")

    tracker = asyncio.run(play())
    events = list(tracker.events)
    points = [index + 1 for index, event in enumerate(events)
              if isinstance(event, ActionExecuted) and event.action_name != "action_listen"
              or isinstance(event, UserUttered)]
    long_points = [p for p in points
                   if sum(isinstance(e, ActionExecuted) for e in events[:p]) > policies.RECENT_ACTIONS]
    assert len(long_points) > 100

    components = [node._component for node in agent.processor.graph_runner._instantiated_nodes.values()]
    rule_only_data = next(c for c in components if isinstance(c, RuleOnlyDataProvider)).provide()
    each_policy = [c for c in components if isinstance(c, policies.RecentRulePolicy | policies.RecentMemoizationPolicy)]
    assert len(each_policy) == 2

    def predictions():
        found = []
        for point in long_points:
            prefix = DialogueStateTracker.from_events("long", events[:point], agent.domain.slots)
            prediction = agent.processor._predict_next_with_tracker(prefix)
            found.append((agent.domain.action_names_or_texts[prediction.max_confidence_index],
                          prediction.policy_name, round(prediction.max_confidence, 4)))
            for policy in each_policy:
                alone = policy.predict_action_probabilities(prefix, agent.domain, rule_only_data)
                found.append((type(policy).__name__, tuple(round(p, 4) for p in alone.probabilities)))
        return found

    recent = predictions()
    monkeypatch.setattr(policies, "recent_part", lambda tracker, actions=None: tracker)
    whole = predictions()
    assert recent == whole


def test_each_policy_reads_only_the_actions_it_compares(agent):
    components = [node._component for node in agent.processor.graph_runner._instantiated_nodes.values()]
    rule_policy = next(c for c in components if isinstance(c, policies.RecentRulePolicy))
    assert rule_policy.actions_compared == 3  # the rules of data/rules.yml: 2 dialogue states at most
    events = [ActionExecuted("action_listen")]
    for turn in range(30):
        events += [UserUttered(f"question {turn}"),
                   ActionExecuted("action_search_campus", hide_rule_turn=turn % 2 == 0),
                   ActionExecuted("action_listen")]
    tracker = DialogueStateTracker.from_events("zoe", events)
    # max_history 4, and 2 more: the 6 last actions not hidden, and the 3 hidden among them
    assert policies.actions_for_memoization(tracker, 4) == 9
