"""The recent part of a conversation, read from its end so that its cost does not grow with
the conversation: its last actions, with the form active where they start and the slot values
of the whole conversation. Used by the policies (they compare only the last few dialogue
states) and by the conversation store (Rasa copies a conversation by replaying all of it
before each action)."""

from __future__ import annotations

import itertools

from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker


def last_actions(tracker: DialogueStateTracker, actions: int) -> tuple[list[Event], str | None] | None:
    """The events from the `actions`-th last action on, and the form active just before them;
    None when the conversation holds no more than `actions` actions."""
    events = tracker.events
    suffix, seen = [], 0
    for event in reversed(events):
        suffix.append(event)
        seen += isinstance(event, ActionExecuted)
        if seen == actions:
            break
    else:
        return None
    suffix.reverse()
    before_cut = itertools.islice(reversed(events), len(suffix), None)
    loop = next((event for event in before_cut if isinstance(event, ActiveLoop)), None)
    return suffix, (loop.name if loop is not None else None)


def recent_tracker(tracker: DialogueStateTracker, actions: int, slots_as_events: bool = False) -> DialogueStateTracker:
    """`tracker` itself when it holds no more than `actions` actions; otherwise a new tracker
    made of its last `actions` actions, started with the form active at the cut and holding the
    slot values of the whole conversation (set directly, or as SlotSet events at its start when
    the tracker will be replayed, as Rasa's `copy()` does)."""
    found = last_actions(tracker, actions)
    if found is None:
        return tracker
    suffix, loop = found
    start = suffix[0].timestamp
    head = [ActiveLoop(loop, timestamp=start)] if loop else []
    if slots_as_events:
        head += [SlotSet(name, slot.value, timestamp=start) for name, slot in tracker.slots.items()
                 if slot.value != slot.initial_value]
    recent = tracker.init_copy()
    for event in head + suffix:
        recent.update(event)
    if not slots_as_events:
        for name, slot in tracker.slots.items():
            recent.slots[name].value = slot.value
    return recent
