"""Levels of diplomas: "un BTS c'est quel niveau ?", "bac+2 ça correspond à quoi ?", "niveau 6"."""

from __future__ import annotations

from actions.base import KnowledgeAction
from actions.replies import button
from actions.understanding import entity_values, latest_text


class ActionExplainLevel(KnowledgeAction):
    def name(self) -> str:
        return "action_explain_level"

    def act(self, kb, dispatcher, tracker, domain):
        asked = next((v for v in entity_values(tracker, "level") if kb.resolver.level(v)), None) or latest_text(tracker)
        levels = kb.explain_level(asked) if asked else []
        if not levels:
            dispatcher.utter_message(
                text="Les diplômes sont classés en 8 niveaux ; la formation initiale va du niveau 3 (CAP) "
                     "au niveau 8 (doctorat). De quel diplôme ou niveau parlez-vous ? Par exemple : "
                     "« un BTS c'est quel niveau ? » ou « bac+3 ».")
            return []
        query = kb.resolver.level(asked)
        lines = [f"« {query.label} » correspond au niveau "
                 + " et ".join(str(level.number) for level in levels) + "."] if query.kinds else []
        for level in levels:
            bac = {None: "avant le bac", 0: "niveau bac"}.get(level.bac_plus, f"bac+{level.bac_plus}")
            lines.append(f"Niveau {level.number} ({bac}, ancien niveau {level.old_name}) : {level.summary}")
        kinds = entity_values(tracker, "level")
        query = kinds[0] if kinds else f"niveau {levels[0].number}"
        dispatcher.utter_message(
            text="\n".join(lines)
            + "\nSource : décret n° 2019-14 du 8 janvier 2019 (cadre national des certifications).",
            buttons=[button("Les campus à ce niveau", "search_campus", level=query)])
        return []
