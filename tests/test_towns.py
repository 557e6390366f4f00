"""Every commune of Île-de-France is a place: a town no campus names (« près de Melun ») is
searched through its département, while town names that are everyday words (« avec plaisir »)
or bare words without a place cue are not taken for places."""

from __future__ import annotations

import shutil

import pytest

import actions.base
from actions.campus_info import ActionCampusDetails
from actions.search import ActionSearchCampus
from bot.extensions.nlu.kb_entity_extractor import KnowledgeBaseEntityExtractor
from knowledge.settings import DEFAULT_DATA_DIR
from knowledge.town_list import to_yaml, towns_of
from tests.test_actions import run, tracker
from tests.test_kb_entity_extractor import entities
from tests.test_validation import problems


@pytest.mark.parametrize("text, label, department", [
    ("y a quoi près de Melun ?", "Melun (Seine-et-Marne)", "77"),
    ("jhabite a torcy", "Torcy (Seine-et-Marne)", "77"),
    ("des formations vers massy", "Massy (Essonne)", "91"),
    ("près de chez moi à Sucy-en-Brie", "Sucy-en-Brie (Val-de-Marne)", "94"),
    ("je suis à Plaisir", "Plaisir (Yvelines)", "78"),
    ("et Massy ?", "Massy (Essonne)", "91"),
    ("Lognes", "Lognes (Seine-et-Marne)", "77"),
])
def test_a_town_no_campus_names_is_placed_in_its_department(kb, text, label, department):
    place = kb.resolver.place(text)
    assert place.label == label
    assert place.departments == frozenset({department})


@pytest.mark.parametrize("text", [
    "avec plaisir, merci",        # Plaisir (78)
    "ma mère veut savoir",        # Méré (78)
    "je cherche un truc en vert",  # Vert (78)
    "les chars d'assaut",         # Chars (95)
])
def test_everyday_words_that_are_also_towns_are_not_places(kb, text):
    assert kb.resolver.place(text) is None


def test_an_everyday_word_town_is_a_place_after_a_place_word_or_with_a_capital(kb):
    assert kb.resolver.place("on habite vers plaisir").label == "Plaisir (Yvelines)"
    assert kb.resolver.place("je vis à côté de Méré").label == "Méré (Yvelines)"
    assert kb.resolver.place("on est de Vert, dans les Yvelines").departments == frozenset({"78"})


def test_a_town_is_found_as_written_only_never_through_a_typo(kb):
    # « Massi » is one letter from Massy, but 1,266 villages are too many to guess among.
    assert kb.resolver.place("des formations vers massi") is None


def test_towns_that_campuses_name_keep_their_own_answer(kb):
    place = kb.resolver.place("y a quoi vers Meaux ?")
    assert place.label == "Meaux" and place.towns == ()


def test_a_search_near_a_town_lists_the_campuses_of_its_department(sqlite_kb, monkeypatch):
    monkeypatch.setattr(actions.base, "_knowledge_base", sqlite_kb)
    [message], _ = run(ActionSearchCampus(), tracker("y a quoi près de Melun ?", intent="search_campus",
                                                     entities=[("place", "Melun")]))
    lines = message["text"].splitlines()
    assert "lieu Melun, Seine-et-Marne" in lines[0]
    assert "Aéronautique Pays de Meaux" in message["text"] and "Tourisme Paris-Val d'Europe" in message["text"]
    assert "Création numérique" not in message["text"]  # Saint-Denis, 93


def test_the_nlu_component_marks_a_town_as_a_place(sqlite_kb):
    extractor = KnowledgeBaseEntityExtractor(sqlite_kb)
    assert entities(extractor, "un bts vers Massy") == [("level", "bts", "BTS"), ("place", "Massy", "Massy")]
    assert entities(extractor, "avec plaisir") == []


def test_the_town_list_keeps_the_current_communes_of_ile_de_france_only():
    communes = [
        {"code": "77288", "nom": "Melun", "departement": "77", "region": "11", "type": "commune-actuelle"},
        {"code": "78490", "nom": "Plaisir", "departement": "78", "region": "11", "type": "commune-actuelle"},
        {"code": "75101", "nom": "Paris 1er Arrondissement", "departement": "75", "region": "11",
         "type": "arrondissement-municipal"},
        {"code": "01001", "nom": "L'Abergement-Clémenciat", "departement": "01", "region": "84",
         "type": "commune-actuelle"},
    ]
    towns = towns_of(communes)
    assert [t["name"] for t in towns] == ["Melun", "Plaisir"]
    assert towns[1]["everyday_word"] is True
    assert 'name: "Melun", department: "77", sources: [etalab-decoupage-administratif]' in to_yaml(towns)


def test_the_data_holds_every_commune_of_the_region(dataset):
    towns = dataset.of("town")
    assert len(towns) == 1266
    assert {t.data["department"] for t in towns} == {"75", "77", "78", "91", "92", "93", "94", "95"}


def test_a_commune_takes_the_position_of_the_one_geonames_place_of_its_name():
    communes = [
        {"code": "77288", "nom": "Melun", "departement": "77", "region": "11", "type": "commune-actuelle",
         "population": 40000},
        {"code": "91067", "nom": "Blandy", "departement": "91", "region": "11", "type": "commune-actuelle",
         "population": 111},
        {"code": "77348", "nom": "Ormesson", "departement": "77", "region": "11", "type": "commune-actuelle",
         "population": 242},
        {"code": "91228", "nom": "Évry-Courcouronnes", "departement": "91", "region": "11",
         "type": "commune-actuelle", "population": 66919, "anciensCodes": ["91182"]},
        {"code": "77003", "nom": "Amponville", "departement": "77", "region": "11", "type": "commune-actuelle",
         "population": 300},
    ]
    places = [
        {"name": "Melun", "latitude": 48.54571, "longitude": 2.65356, "countrycode": "FR", "admin1code": "11",
         "population": 39000, "alternatenames": []},
        {"name": "Blandy", "latitude": 48.567, "longitude": 2.782, "countrycode": "FR", "admin1code": "11",
         "population": 785, "alternatenames": []},  # Blandy-les-Tours (77): seven times larger
        {"name": "Ormesson-sur-Marne", "latitude": 48.786, "longitude": 2.540, "countrycode": "FR",
         "admin1code": "11", "population": 9922, "alternatenames": ["Ormesson"]},
        {"name": "Évry", "latitude": 48.6328, "longitude": 2.44049, "countrycode": "FR", "admin1code": "11",
         "population": 51900, "alternatenames": []},
        {"name": "Melun", "latitude": 46.0, "longitude": 5.0, "countrycode": "FR", "admin1code": "84",
         "population": 500, "alternatenames": []},  # another région: ignored
    ]
    towns = {t["name"]: t.get("position") for t in towns_of(communes, places)}
    assert towns == {"Melun": [48.5457, 2.6536], "Blandy": None, "Ormesson": None,
                     "Évry-Courcouronnes": [48.6328, 2.4405], "Amponville": None}


def test_the_data_places_most_communes_and_every_campus_town(kb):
    assert len(kb.positions) > 900
    for commune in ("Saint-Denis", "Évry-Courcouronnes", "Versailles", "Vitry-sur-Seine", "Tremblay-en-France",
                    "Meaux", "Paris 13e", "Chessy"):
        assert kb.positions.of(commune) is not None, commune
    assert 15 < kb.positions.distance_km("Paris 13e", "Versailles") < 19
    assert 45 < kb.positions.distance_km("Melun", "Saint-Denis") < 52
    assert kb.positions.distance_km("Amponville", "Paris") is None  # a village GeoNames does not list


def test_a_position_outside_ile_de_france_is_refused(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data_dir)
    towns = data_dir / "towns.yml"
    towns.write_text(towns.read_text(encoding="utf-8").replace("position: [48.8534, 2.3488]",
                                                               "position: [43.3, 5.4]", 1), encoding="utf-8")
    assert any("towns.yml" in problem and "position [latitude, longitude] en Île-de-France attendue" in problem
               for problem in problems(data_dir))


@pytest.mark.parametrize("text, expected", [
    ("le campus création numérique c'est loin de Melun ?", "environ 50 km à vol d'oiseau de Melun"),
    ("c'est loin de Saint-Ouen-sur-Seine ?", "moins de 5 km à vol d'oiseau de Saint-Ouen-sur-Seine"),
    ("c'est loin ?", "dites-moi d'où vous partez"),
    ("c'est loin d'Amponville ?", "Je n'ai pas la position de Amponville"),
])
def test_how_far_a_campus_is_from_a_town(sqlite_kb, monkeypatch, text, expected):
    monkeypatch.setattr(actions.base, "_knowledge_base", sqlite_kb)
    [message], _ = run(ActionCampusDetails(), tracker(text, intent="ask_campus_location",
                                                      slots={"campus": "creation-numerique"}))
    assert message["text"].startswith("Le campus Création numérique se trouve à Saint-Denis (93)")
    assert expected in message["text"]


def test_how_far_uses_the_town_given_earlier_in_the_conversation(sqlite_kb, monkeypatch):
    monkeypatch.setattr(actions.base, "_knowledge_base", sqlite_kb)
    [message], _ = run(ActionCampusDetails(), tracker("c'est loin ?", intent="ask_campus_location",
                                                      slots={"campus": "sante-bien-vieillir", "place": "Torcy"}))
    assert "km à vol d'oiseau de Torcy" in message["text"]


def test_a_campus_placed_by_its_departement_only_is_said_so_in_plain_words(sqlite_kb, monkeypatch):
    monkeypatch.setattr(actions.base, "_knowledge_base", sqlite_kb)
    [message], _ = run(ActionCampusDetails(), tracker("c'est loin de Torcy ?", intent="ask_campus_location",
                                                      slots={"campus": "tourisme-val-europe"}))
    assert message["text"].startswith("Le campus Tourisme Paris-Val d'Europe se trouve en Seine-et-Marne (77), "
                                      "dans l'académie de Créteil.")
    assert "km" not in message["text"].split("À noter")[0]
