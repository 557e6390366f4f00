"""Writes knowledge/data/towns.yml: every commune of Île-de-France with its département.

The list comes from the Code officiel géographique as Etalab packages it on the npm registry
(@etalab/decoupage-administratif, MIT licence; data under the Licence Ouverte). To update it:

    npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-decoupage-administratif-6.0.0.tgz
    python -m knowledge.town_list package/data/communes.json

then set the source's `checked` date in sources.yml. Only current communes of région 11 are
kept (not the arrondissements of Paris, nor merged communes).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from knowledge.settings import DEFAULT_DATA_DIR

SOURCE_KEY = "etalab-decoupage-administratif"
ILE_DE_FRANCE = "11"

# Communes whose name is also an everyday French word (« avec plaisir », « en vert », « les
# chars », « ma mère » for Méré): found only after « à », « vers », « près de », « j'habite »,
# or written with a capital letter inside the sentence. The list was drawn from the French
# words of wordfreq (a one-off check, not a dependency) and read by hand.
EVERYDAY_WORD_NAMES = frozenset({
    "Baby", "Chars", "Collégien", "Doue", "Forges", "Fosses", "Gouvernes", "La Falaise",
    "La Tombe", "La Verrière", "Le Pin", "Lisses", "Maison-Rouge", "Marines", "Méré", "Moisson",
    "Persan", "Plaisir", "Salins", "Us", "Vert",
})

HEADER = """# Every commune of Île-de-France (région 11) with its département: {count} communes.
# Made by `python -m knowledge.town_list` from the Code officiel géographique as packaged by
# Etalab (see knowledge/town_list.py); do not edit by hand.
#   everyday_word: the name is also a French word (see EVERYDAY_WORD_NAMES).
towns:
"""


def towns_of(communes: list[dict]) -> list[dict]:
    towns = []
    for commune in communes:
        if commune.get("region") != ILE_DE_FRANCE or commune.get("type") != "commune-actuelle":
            continue
        town = {"code": commune["code"], "name": commune["nom"], "department": commune["departement"]}
        if commune["nom"] in EVERYDAY_WORD_NAMES:
            town["everyday_word"] = True
        towns.append(town)
    return sorted(towns, key=lambda town: town["code"])


def to_yaml(towns: list[dict]) -> str:
    lines = [HEADER.format(count=len(towns))]
    for town in towns:
        word = ", everyday_word: true" if town.get("everyday_word") else ""
        lines.append(f'  - {{code: "{town["code"]}", name: {json.dumps(town["name"], ensure_ascii=False)}, '
                     f'department: "{town["department"]}"{word}, sources: [{SOURCE_KEY}]}}\n')
    return "".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("Usage : python -m knowledge.town_list <chemin de communes.json>", file=sys.stderr)
        return 2
    towns = towns_of(json.loads(Path(argv[0]).read_text(encoding="utf-8")))
    target = DEFAULT_DATA_DIR / "towns.yml"
    target.write_text(to_yaml(towns), encoding="utf-8")
    print(f"{len(towns)} communes écrites dans {target}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
