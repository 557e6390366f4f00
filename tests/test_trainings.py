"""Finding trainings: by specialty, job word and diploma kind, by place and apprenticeship,
campuses ranked by their matching trainings, the levels after a training, honest empties.
Run on SQLite and, when reachable, PostgreSQL (the `kb` fixture)."""

from __future__ import annotations

import pytest

from knowledge.loader import training_title


def _trainings(kb):
    return [t for campus in kb.all_campuses() for t in kb.campus(campus.key).trainings]


def test_every_training_is_found_by_its_specialty_and_diploma_kind(kb):
    missed = [t.title for t in _trainings(kb)
              if t.id not in {found.id for found in kb.search(sector=t.specialty, level=t.kind_name).trainings}]
    assert missed == []


def test_every_training_is_found_by_its_job_words(kb):
    missed = [(job, t.title) for t in _trainings(kb) for job in t.jobs
              if t.id not in {found.id for found in kb.search(sector=job, level=t.kind_name).trainings}]
    assert missed == []


@pytest.mark.parametrize("asked, level, expected", [
    ("ébéniste", "CAP", "CAP ébéniste"),
    ("ebeniste", "cap", "CAP ébéniste"),  # no accents, lower case
    ("monteur video", None, "BTS métiers de l'audiovisuel, option montage et post-production"),
    ("tailleur de pierre", None, "CAP tailleur de pierre"),
    ("tailleur de pierres", "CAP", "CAP tailleur de pierre"),
    ("cadreuse", None, "BTS métiers de l'audiovisuel, option métiers de l'image"),
    ("son", "BTS", "BTS métiers de l'audiovisuel, option métiers du son"),
])
def test_a_student_naming_a_job_gets_the_training_first(kb, asked, level, expected):
    result = kb.search(sector=asked, level=level)
    assert result.trainings[0].title == expected
    assert result.campus_keys[0] == result.trainings[0].campus_key


def test_a_job_outside_the_campus_sector_still_finds_its_training(kb):
    # « ébéniste » is a word of the heritage sector (Versailles), but the CAP ébéniste is the École Boulle's
    result = kb.search(sector="ébéniste", level="CAP")
    assert result.trainings[0].establishment == "École Boulle"
    assert result.campus_keys[0] == "metiers-art-design"


def test_a_sector_word_answers_campuses_not_a_list_of_trainings(kb):
    result = kb.search(sector="design")
    assert result.campus_keys[0] == "metiers-art-design" and result.trainings == ()


def test_trainings_are_filtered_by_place(kb):
    result = kb.search(level="DN MADE", place="Paris")
    assert result.trainings and all(t.department == "75" or t.commune.startswith("Paris") for t in result.trainings)
    elsewhere = kb.search(level="DN MADE", place="93").trainings  # none in the 93: same level instead
    assert elsewhere and all(t.kind != "dn-made" and t.level == 6 and t.department == "93" for t in elsewhere)


def test_apprenticeship_keeps_only_trainings_said_to_be_in_apprenticeship(kb):
    result = kb.search(level="CAP", apprenticeship=True)
    assert result.trainings and all("apprentissage" in t.modes for t in result.trainings)
    assert result.understood["apprenticeship"] == "en apprentissage"
    assert kb.search(sector="monteur", apprenticeship=True).trainings == ()  # no source says so


def test_campuses_with_more_matching_trainings_rank_first(kb):
    matches = kb.search(level="master").matches
    counts = [len(m.trainings) for m in matches if m.score == matches[0].score]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 2


def test_after_a_cap_the_campus_offers_higher_levels_nearest_first(kb):
    cap = kb.search(sector="ébéniste", level="CAP").trainings[0]
    following = kb.next_trainings([cap.id])
    assert following and all(t.level is None or t.level > 3 for t in following)
    assert {t.campus_key for t in following} == {"metiers-art-design"}


def test_after_the_bac_pro_means_the_levels_above(kb):
    query = kb.resolver.level("et après le bac pro ?")
    assert query.levels == frozenset({5, 6, 7, 8}) and query.label == "après le Bac pro"


@pytest.mark.parametrize("text", ["en alternance", "en apprentissage svp", "un CFA", "apprenti"])
def test_apprenticeship_words(kb, text):
    assert kb.resolver.apprenticeship(text)


def test_no_apprenticeship_in_an_ordinary_question(kb):
    assert not kb.resolver.apprenticeship("un BTS dans le 93")


def test_an_unknown_job_is_not_understood(kb):
    result = kb.search(sector="jongleur de feu", level="CAP")
    assert result.unknown == ("sector",) and result.trainings == ()


def test_an_establishment_lists_its_trainings_lowest_level_first(kb):
    trainings = kb.trainings_of_establishment("lycee-suger")
    assert trainings[0].title == "Bac pro photographie"
    assert [t.level for t in trainings] == sorted(t.level for t in trainings)


def test_every_training_has_its_sources(kb):
    assert all(kb.training_sources(t.id) for t in _trainings(kb))


@pytest.mark.parametrize("kind, specialty, title", [
    ({"key": "bts", "name": "BTS", "full_name": "Brevet de technicien supérieur"}, "Métiers de l'audiovisuel",
     "BTS métiers de l'audiovisuel"),
    ({"key": "bac-techno", "name": "Bac technologique", "full_name": "Baccalauréat technologique"}, "STD2A",
     "Bac technologique STD2A"),
    ({"key": "dn-made", "name": "DN MADE", "full_name": "Diplôme national des métiers d'art et du design"},
     "DN MADE mention objet", "DN MADE mention objet"),
    ({"key": "du", "name": "DU", "full_name": "Diplôme d'université"}, "Année tremplin « métiers du bois »",
     "DU année tremplin « métiers du bois »"),
])
def test_training_titles_read_as_french(kind, specialty, title):
    assert training_title(kind, specialty) == title


def test_a_job_word_outweighs_the_same_word_in_another_specialty(kb):
    # « monteur » is the video editor of the BTS option montage, not the plumber's CAP monteur en
    # installations sanitaires
    titles = [t.title for t in kb.search(sector="monteur").trainings]
    assert titles == ["BTS métiers de l'audiovisuel, option montage et post-production"]
    assert [t.title for t in kb.search(sector="plombier").trainings] == ["CAP monteur en installations sanitaires"]
