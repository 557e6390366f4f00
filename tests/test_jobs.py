"""The jobs vocabulary (knowledge/data/jobs.yml): students name jobs, not sectors. A job of a
sector of the data searches that sector; a job no campus covers gets an honest answer that
names it, with the nearest sectors; the vocabulary refuses a word listed twice."""

from __future__ import annotations

import shutil

import pytest

import actions.base
from actions.search import ActionSearchCampus
from knowledge.settings import DEFAULT_DATA_DIR
from knowledge.validation import DataError, load_dataset
from tests.test_actions import run, tracker


@pytest.fixture
def data_dir(tmp_path):
    copy = tmp_path / "knowledge" / "data"
    shutil.copytree(DEFAULT_DATA_DIR, copy)
    return copy


def _problems(data_dir):
    with pytest.raises(DataError) as raised:
        load_dataset(data_dir)
    return raised.value.problems


def _append_group(data_dir, group: str) -> None:
    path = data_dir / "jobs.yml"
    path.write_text(path.read_text(encoding="utf-8") + group, encoding="utf-8")


def test_the_vocabulary_holds_at_least_300_words():
    groups = load_dataset(DEFAULT_DATA_DIR).of("job_group")
    assert sum(len(group.data["words"]) for group in groups) >= 300


def test_a_word_listed_twice_is_refused_with_its_group(data_dir):
    _append_group(data_dir, "  - national_sector: numerique-telecommunications\n    words: [soudeuse]\n")
    found = _problems(data_dir)
    assert any("jobs.yml" in p and "« soudeuse » est déjà un mot du groupe de métiers « industrie-futur »" in p
               for p in found)


def test_a_word_that_is_already_a_sector_word_is_refused(data_dir):
    _append_group(data_dir, "  - sector: tourisme\n    words: [avions]\n")
    assert any("« avions » est déjà un mot du secteur « aeronautique-spatial »" in p for p in _problems(data_dir))


def test_a_group_must_name_a_sector_or_a_national_sector_not_both(data_dir):
    _append_group(data_dir, "  - sector: tourisme\n    national_sector: materiaux\n    words: [funambule]\n")
    assert any("indiquez soit « sector », soit « national_sector »" in p for p in _problems(data_dir))


def test_an_unknown_sector_in_the_vocabulary_is_refused(data_dir):
    _append_group(data_dir, "  - sector: cirque\n    words: [funambule]\n")
    assert any("jobs.yml" in p and "cirque" in p for p in _problems(data_dir))


@pytest.mark.parametrize("job, sector", [
    ("soudeur", "Industrie du futur"), ("chaudronnière", "Industrie du futur"),
    ("kiné", "Santé, autonomie et bien vieillir"), ("auxiliaire de vie", "Santé, autonomie et bien vieillir"),
    ("monteur video", "Création numérique, image et son"), ("chef de cabine", "Métiers de l'aéroport"),
    ("maitre-chien", "Métiers de la sécurité"), ("boulangère", "Gastronomie"), ("fleuriste", "Horticulture"),
    ("plombier", "Bâtiment et travaux publics"), ("e-sport", "Intelligence artificielle"),
])
def test_a_job_word_names_its_sector(kb, job, sector):
    assert kb.resolver.sector(job).label.startswith(sector)


def test_a_job_no_sector_covers_names_its_national_sector_and_the_nearest_sectors(kb):
    job = kb.job_field("je veux être chauffeur routier")
    assert job.word == "chauffeur routier"
    assert job.national_sector == "Mobilité, aéronautique, transports"
    assert [key for key, _ in job.nearest] == ["aeroport", "aeronautique-spatial"]
    assert kb.job_field("comptable").nearest == ()
    assert kb.job_field("soudeur") is None  # a job of a sector of the data is searched, not refused


def test_a_student_naming_a_job_no_campus_covers_gets_an_honest_answer(sqlite_kb, monkeypatch):
    monkeypatch.setattr(actions.base, "_knowledge_base", sqlite_kb)
    [message], _ = run(ActionSearchCampus(), tracker("je veux etre chauffeur routier",
                                                     entities=[("sector", "chauffeur routier")]))
    assert message["text"].startswith("Le métier « chauffeur routier » relève du secteur Mobilité, aéronautique, "
                                      "transports, mais aucun campus de mes données ne le couvre")
    assert "Le plus proche dans mes données : Métiers de l'aéroport" in message["text"]
    assert message["buttons"][0]["payload"].startswith('/search_campus{"sector": "Métiers de l')
    assert message["buttons"][-1]["title"] == "Voir tous les campus"


def test_a_job_of_a_sector_without_campus_says_the_sector_has_none(sqlite_kb, monkeypatch):
    monkeypatch.setattr(actions.base, "_knowledge_base", sqlite_kb)
    [message], _ = run(ActionSearchCampus(), tracker("développeur", entities=[("sector", "développeur")]))
    assert message["text"].startswith("Aucun campus de mes données ne couvre « développeur » (secteur Intelligence "
                                      "artificielle). Ce secteur n'a pas de campus dans mes données")
    # nothing to widen: the sectors that have campuses are offered instead
    titles = {b["title"] for b in message["buttons"]}
    assert {"Santé, autonomie et bien vieillir", "Industrie du futur", "Gastronomie"} <= titles
    assert "Voulez-vous élargir" not in message["text"]
