"""The loader refuses bad data files with a message naming the file and the record, and a
failed build leaves the previous database exactly as it was."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge import loader
from knowledge.loader import build_database, data_fingerprint
from knowledge.queries import open_knowledge_base
from knowledge.settings import DEFAULT_DATA_DIR, PROJECT_ROOT
from knowledge.validation import DataError, load_dataset


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A private copy of the real data files, laid out as in the project."""
    copy = tmp_path / "knowledge" / "data"
    shutil.copytree(DEFAULT_DATA_DIR, copy)
    return copy


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(data_dir: Path) -> list[str]:
    with pytest.raises(DataError) as raised:
        load_dataset(data_dir)
    return raised.value.problems


def test_the_real_data_is_valid():
    counts = load_dataset(DEFAULT_DATA_DIR).counts()
    assert counts["campus"] == len(list((DEFAULT_DATA_DIR / "campuses").glob("*.yml")))
    assert counts["training"] >= 90


def test_an_unknown_field_is_named_with_its_file_and_record(data_dir):
    edit(data_dir / "campuses" / "securite.yml", "status: excellence", "status: excellence\nstatu: oops")
    [problem] = problems(data_dir)
    assert problem.startswith("knowledge/data/campuses/securite.yml: campus « securite »")
    assert "champ inconnu « statu »" in problem


def test_a_member_with_an_unknown_field_is_named_inside_its_campus(data_dir):
    edit(data_dir / "campuses" / "sante-bien-vieillir.yml", "    role: membre\n", "    rôle: membre\n")
    found = problems(data_dir)
    assert any("campus « sante-bien-vieillir » > members[0]" in p and "champ inconnu « rôle »" in p
               for p in found)
    assert any("members[0]" in p and "champ obligatoire « role » manquant" in p for p in found)


def test_a_record_without_source_is_refused(data_dir):
    edit(data_dir / "establishments.yml",
         "    sources: [cafepedagogique-60125, wikipedia-lycee-suger, suger-wikipedia-kiwix-2021]\n", "")
    [problem] = problems(data_dir)
    assert "knowledge/data/establishments.yml" in problem and "établissement « lycee-suger »" in problem
    assert "aucune source" in problem


def test_an_empty_source_list_is_refused(data_dir):
    edit(data_dir / "facts.yml", "    sources: [education-gouv-filieres]\n", "    sources: []\n")
    [problem] = problems(data_dir)
    assert "fait « national-sectors »" in problem and "aucune source" in problem


def test_an_unknown_source_is_refused(data_dir):
    edit(data_dir / "campuses" / "securite.yml", "sources: [bdt-securite-2021,", "sources: [blog-inconnu,")
    [problem] = problems(data_dir)
    assert "source inconnu(e) « blog-inconnu »" in problem


@pytest.mark.parametrize("level", ["9", "2", "\"cinq\""])
def test_a_level_outside_the_national_scale_is_refused(data_dir, level):
    edit(data_dir / "trainings" / "creation-numerique.yml", "  - kind: bts\n", f"  - kind: bts\n    level: {level}\n")
    [problem] = problems(data_dir)
    assert problem.startswith("knowledge/data/trainings/creation-numerique.yml: campus « creation-numerique » > "
                              "trainings[0] (formation « bts Métiers de l'audiovisuel, option gestion de production")
    assert "hors de l'échelle nationale (3 à 8)" in problem


def test_a_level_range_outside_the_scale_is_refused(data_dir):
    edit(data_dir / "campuses" / "tourisme-val-europe.yml", "levels: {min: 3, max: 7}", "levels: {min: 3, max: 10}")
    [problem] = problems(data_dir)
    assert "champ « levels » (max)" in problem and "niveau 10" in problem


def test_a_duplicate_key_is_refused_naming_both_places(data_dir):
    edit(data_dir / "establishments.yml", "  - key: korian\n", "  - key: lycee-suger\n")
    found = problems(data_dir)
    assert any("établissement « lycee-suger » : clé en double" in p for p in found)


def test_a_campus_key_written_in_two_files_is_refused(data_dir):
    shutil.copy(data_dir / "campuses" / "securite.yml", data_dir / "campuses" / "securite-bis.yml")
    found = problems(data_dir)
    assert any("securite-bis.yml" in p and "doit être le nom du fichier" in p for p in found)
    assert any("campus « securite » : clé en double" in p for p in found)


def test_a_field_written_twice_in_yaml_is_refused(data_dir):
    edit(data_dir / "campuses" / "securite.yml", "status: excellence", "status: excellence\nstatus: projet")
    [problem] = problems(data_dir)
    assert "securite.yml" in problem and "clé « status » écrite deux fois" in problem


def test_a_membership_naming_an_unknown_establishment_is_refused(data_dir):
    edit(data_dir / "campuses" / "sante-bien-vieillir.yml", "establishment: korian", "establishment: korean")
    [problem] = problems(data_dir)
    assert "campus « sante-bien-vieillir » > members[7]" in problem
    assert "établissement inconnu(e) « korean »" in problem


def test_a_link_naming_an_unknown_campus_is_refused(data_dir):
    edit(data_dir / "campuses" / "industrie-futur.yml", "  - campus: aeronautique-spatial", "  - campus: aeronautique")
    [problem] = problems(data_dir)
    assert "campus « industrie-futur » > related[0]" in problem and "campus inconnu(e) « aeronautique »" in problem


def test_unknown_sector_department_and_choice_values_are_refused(data_dir):
    path = data_dir / "campuses" / "securite.yml"
    edit(path, "sectors: [securite]", "sectors: [securite, spatial]")
    edit(path, "status: excellence", "status: super")
    edit(path, 'labelled_on: "2021-03-18"', 'labelled_on: "2021-02-30"')
    found = "\n".join(problems(data_dir))
    assert "secteur inconnu(e) « spatial »" in found
    assert "valeur « super » inconnue" in found
    assert "date impossible « 2021-02-30 »" in found


def test_every_problem_is_reported_at_once(data_dir):
    edit(data_dir / "campuses" / "securite.yml", "status: excellence", "statu: excellence")
    edit(data_dir / "facts.yml", "    sources: [education-gouv-filieres]\n", "")
    assert len(problems(data_dir)) == 3  # unknown field, missing status, missing sources


def test_a_missing_data_file_is_named(data_dir):
    (data_dir / "facts.yml").unlink()
    [problem] = problems(data_dir)
    assert problem == "knowledge/data/facts.yml: fichier manquant"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_invalid_data_leaves_the_previous_database_untouched(data_dir, tmp_path):
    database = tmp_path / "knowledge.db"
    url = f"sqlite:///{database}"
    build_database(load_dataset(data_dir), url, data_fingerprint(data_dir))
    before = sha256(database)
    edit(data_dir / "campuses" / "securite.yml", "status: excellence", "status: excellence\nstatu: oops")
    result = subprocess.run([sys.executable, "-m", "knowledge", "build"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True,
                            env={"KNOWLEDGE_DB_URL": url, "KNOWLEDGE_DATA_DIR": str(data_dir), "PATH": ""})
    assert result.returncode == 1
    assert "base non modifiée" in result.stderr and "securite.yml" in result.stderr
    assert sha256(database) == before


def test_a_build_that_fails_while_writing_leaves_the_previous_database(tmp_path, monkeypatch, dataset):
    database = tmp_path / "knowledge.db"
    url = f"sqlite:///{database}"
    build_database(dataset, url, "first")
    before = sha256(database)

    def crash(engine, rows, replace=False):
        raise OSError("disque plein")

    monkeypatch.setattr(loader, "_write", crash)
    with pytest.raises(OSError):
        build_database(dataset, url, "second")
    assert sha256(database) == before
    assert [p.name for p in tmp_path.iterdir()] == ["knowledge.db"]  # no temporary file left


def test_a_rebuild_replaces_the_database_and_records_the_data_fingerprint(tmp_path, dataset):
    url = f"sqlite:///{tmp_path / 'knowledge.db'}"
    build_database(dataset, url, "first")
    build_database(dataset, url, "second")
    kb = open_knowledge_base(url)
    assert kb.stats()["campus"] == dataset.counts()["campus"] == 12
    with kb.engine.connect() as connection:
        from sqlalchemy import text
        fingerprint = text("select value from build_info where name = 'data_fingerprint'")
        assert connection.execute(fingerprint).scalar() == "second"


def test_a_missing_database_gives_a_clear_error(tmp_path):
    from knowledge.queries import KnowledgeBaseUnavailable

    with pytest.raises(KnowledgeBaseUnavailable, match="python -m knowledge build"):
        open_knowledge_base(f"sqlite:///{tmp_path / 'absente.db'}")


def test_a_corrupt_database_gives_a_clear_error(tmp_path):
    from knowledge.queries import KnowledgeBaseUnavailable

    corrupt = tmp_path / "corrompue.db"
    corrupt.write_bytes(b"ceci n'est pas une base SQLite" * 100)
    with pytest.raises(KnowledgeBaseUnavailable, match="illisible"):
        open_knowledge_base(f"sqlite:///{corrupt}")


def test_check_command_validates_the_real_data():
    result = subprocess.run([sys.executable, "-m", "knowledge", "check"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0 and "12 campus" in result.stdout and "6 not_cmq" in result.stdout


TRAINING = """  - kind: cap
    specialty: "Ébéniste"
    establishment: ecole-boulle
    sector: metiers-art-design
    sources: [campusartdesign]
"""


def add_training(data_dir: Path, text: str = TRAINING, campus: str = "metiers-art-design") -> None:
    path = data_dir / "trainings" / f"{campus}.yml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_training_listed_twice_is_refused(data_dir):
    add_training(data_dir)  # the CAP ébéniste of the École Boulle is already listed
    [problem] = problems(data_dir)
    assert "trainings/metiers-art-design.yml" in problem and "formation « cap Ébéniste, ecole-boulle »" in problem
    assert "formation en double" in problem


def test_a_training_whose_level_contradicts_its_diploma_is_refused(data_dir):
    add_training(data_dir, TRAINING.replace("Ébéniste", "Marqueteur").replace("kind: cap", "kind: cap\n    level: 5"))
    [problem] = problems(data_dir)
    assert "formation « cap Marqueteur, ecole-boulle »" in problem
    assert "niveau 5 incohérent : le diplôme « cap » est de niveau 3" in problem


def test_a_training_without_source_is_refused(data_dir):
    add_training(data_dir, TRAINING.replace("Ébéniste", "Marqueteur").replace("    sources: [campusartdesign]\n", ""))
    [problem] = problems(data_dir)
    assert "formation « cap Marqueteur, ecole-boulle »" in problem and "aucune source" in problem


def test_a_training_of_an_unknown_establishment_is_refused(data_dir):
    add_training(data_dir, TRAINING.replace("ecole-boulle", "ecole-inconnue"))
    [problem] = problems(data_dir)
    assert "trainings/metiers-art-design.yml" in problem and "établissement inconnu(e) « ecole-inconnue »" in problem


def test_a_training_of_an_establishment_outside_the_campus_is_refused(data_dir):
    add_training(data_dir, TRAINING.replace("ecole-boulle", "lycee-suger").replace("Ébéniste", "Marqueteur"))
    [problem] = problems(data_dir)
    assert "l'établissement « lycee-suger » n'est pas membre du campus « metiers-art-design »" in problem


def test_a_training_outside_the_campus_sectors_is_refused(data_dir):
    add_training(data_dir, TRAINING.replace("Ébéniste", "Marqueteur").replace("sector: metiers-art-design",
                                                                              "sector: aeroport"))
    [problem] = problems(data_dir)
    assert "le secteur « aeroport » n'est pas un secteur du campus" in problem


def test_a_trainings_file_must_name_its_campus(data_dir):
    path = data_dir / "trainings" / "metiers-art-design.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("campus: metiers-art-design", "campus: securite", 1),
                    encoding="utf-8")
    [problem] = problems(data_dir)
    assert "le campus « securite » doit être le nom du fichier « metiers-art-design »" in problem


def test_a_malformed_uai_code_is_refused(data_dir):
    edit(data_dir / "establishments.yml", "    commune: Saint-Denis\n",
         "    commune: Saint-Denis\n    uai: \"93-124\"\n")
    [problem] = problems(data_dir)
    assert "établissement « lycee-suger »" in problem and "code UAI attendu" in problem


def test_a_page_cited_under_two_source_keys_is_refused(data_dir):
    edit(data_dir / "sources.yml", "  - key: bdt-labellisation-evolue\n    url: https://banquedesterritoires.fr/la-labellisation-campus-des-metiers-evolue",
         "  - key: bdt-labellisation-evolue\n    url: https://www.iledefrance.fr/emploi-formation/campus-metiers-qualifications-franciliens-labellises")
    found = problems(data_dir)
    assert any("source « bdt-labellisation-evolue » : même adresse que la source « iledefrance-cmq-labellises »" in p
               for p in found)
