"""Every commune of Île-de-France is a place: a town no campus names (« près de Melun ») is
searched through its département, while town names that are everyday words (« avec plaisir »)
or bare words without a place cue are not taken for places."""

from __future__ import annotations

import pytest

import actions.base
from actions.search import ActionSearchCampus
from bot.extensions.nlu.kb_entity_extractor import KnowledgeBaseEntityExtractor
from knowledge.town_list import to_yaml, towns_of
from tests.test_actions import run, tracker
from tests.test_kb_entity_extractor import entities


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
