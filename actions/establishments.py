"""Which campus an establishment belongs to (« le lycée Darius-Milhaud est dans quel campus ? »),
and the trainings our sources name there; a job named instead of a school is searched."""

from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions.base import KnowledgeAction
from actions.compare import comparison_asked
from actions.replies import MAX_TRAININGS_LISTED, button, level_words, other_trainings_button, others_phrase
from actions.search import reply_with_search
from actions.understanding import criteria_from_message, entity_values, latest_text
from knowledge.records import ROLE_LABELS


class ActionEstablishmentCampus(KnowledgeAction):
    def name(self) -> str:
        return "action_establishment_campus"

    def act(self, kb, dispatcher, tracker, domain):
        found = []
        for value in entity_values(tracker, "establishment") + [latest_text(tracker)]:
            found = kb.campuses_of(value) if value else []
            if found:
                break
        if not found and tracker.get_slot("last_trainings"):  # « c'est dans quel lycée ? » after trainings
            return _where_the_last_trainings_are(kb, dispatcher, tracker.get_slot("last_trainings"))
        if not found:  # « campus aero de meaux vs campus aero d'evry »: no school, two campuses compared
            compared = comparison_asked(kb, dispatcher, tracker, domain)
            if compared is not None:
                return compared
            criteria = criteria_from_message(kb, tracker)
            # « cariste ou magasinier, c'est quel campus ? »: a job, not a school; a name the base
            # does not know (« Arianespace ») is a school it does not list, not an unknown sector
            if criteria.sector and kb.resolver.sector(criteria.sector):
                return reply_with_search(kb, dispatcher, criteria)
            dispatcher.utter_message(response="utter_establishment_unknown")
            return []
        establishment = found[0]
        where = f" ({establishment.commune})" if establishment.commune else ""
        parts = [f"{campus.short_name} ({ROLE_LABELS[role]})" for campus, role in establishment.campuses]
        if not parts:
            text = f"{establishment.name}{where} n'est rattaché à aucun campus dans mes données."
            dispatcher.utter_message(text=text)
            return []
        text = f"{establishment.name}{where} fait partie du campus : {' ; '.join(parts)}." if len(parts) == 1 else \
            f"{establishment.name}{where} fait partie de {len(parts)} campus : {' ; '.join(parts)}."
        trainings = kb.trainings_of_establishment(establishment.key)
        if trainings:
            text += "\nFormations citées par mes sources :"
            text += "".join(f"\n• {t.title} ({level_words(t.level)})" for t in trainings[:MAX_TRAININGS_LISTED * 2])
            hidden = len(trainings) - MAX_TRAININGS_LISTED * 2
            text += f"\n…{others_phrase(hidden)}." if hidden > 0 else ""
        campuses = [campus for campus, _ in establishment.campuses]
        dispatcher.utter_message(text=text, buttons=[button(c.short_name, "ask_campus_details", campus=c.key)
                                                     for c in campuses])
        return [SlotSet("campus", campuses[0].key), SlotSet("topic", f"campus:{campuses[0].key}"),
                SlotSet("last_results", [c.key for c in campuses]),
                SlotSet("last_trainings", [t.id for t in trainings])]


def _where_the_last_trainings_are(kb, dispatcher, training_ids: list[int]) -> list[dict]:
    """The establishments of the trainings just shown, each with its place and campus."""
    trainings = [training for training in (kb.training(int(i)) for i in training_ids) if training]
    by_establishment: dict[str, list] = {}
    for training in trainings:
        by_establishment.setdefault(training.establishment_key, []).append(training)
    lines = ["Ces formations se préparent dans ces établissements :"]
    for group in by_establishment.values():
        first = group[0]
        where = f" ({first.commune})" if first.commune else ""
        titles = ", ".join(t.title for t in group[:MAX_TRAININGS_LISTED])
        more = others_phrase(len(group) - MAX_TRAININGS_LISTED) if len(group) > MAX_TRAININGS_LISTED else ""
        lines.append(f"• {first.establishment}{where}, campus {first.campus} : {titles}{more}")
    dispatcher.utter_message(text="\n".join(lines), buttons=[
        other_trainings_button(group[0]) for group in list(by_establishment.values())[:3]])
    return []
