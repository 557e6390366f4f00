"""The query API answers what students and counsellors ask, on every backend."""

from __future__ import annotations

import pytest
import yaml

from knowledge.settings import DEFAULT_DATA_DIR


def _campus_files():
    return [yaml.safe_load(path.read_text(encoding="utf-8"))
            for path in sorted((DEFAULT_DATA_DIR / "campuses").glob("*.yml"))]


def _sector_words():
    sectors = yaml.safe_load((DEFAULT_DATA_DIR / "sectors.yml").read_text(encoding="utf-8"))["sectors"]
    return {s["key"]: [s["name"], *s.get("synonyms", []), *s.get("everyday_words", [])] for s in sectors}


SECTOR_CASES = [(campus["key"], word) for campus in _campus_files()
                for sector in campus["sectors"] for word in _sector_words()[sector]]
PLACE_CASES = [(campus["key"], place) for campus in _campus_files()
               for place in [campus.get("commune"), campus.get("department")] if place]


@pytest.mark.parametrize("campus_key, word", SECTOR_CASES)
def test_every_campus_is_found_by_each_of_its_sector_words(kb, campus_key, word):
    assert campus_key in kb.search(sector=word).campus_keys


@pytest.mark.parametrize("campus_key, place", PLACE_CASES)
def test_every_located_campus_is_found_by_its_commune_and_department(kb, campus_key, place):
    assert campus_key in kb.search(place=place).campus_keys


@pytest.mark.parametrize("campus", _campus_files(), ids=lambda c: c["key"])
def test_every_campus_is_found_by_its_academies(kb, campus):
    for academy in campus.get("academies", []):
        assert campus["key"] in kb.search(place=f"académie de {academy}").campus_keys


@pytest.mark.parametrize("campus", _campus_files(), ids=lambda c: c["key"])
def test_every_campus_is_found_by_its_short_name(kb, campus):
    assert kb.campus(campus["short_name"]).summary.key == campus["key"]


@pytest.mark.parametrize("typed, expected", [
    ("aeronotique", "aeronautique-spatial"),
    ("moi j'kiffe les avions", "aeronautique-spatial"),
    ("jveux bosser ds l'aeronotique", "aeronautique-spatial"),
    ("travailler auprès des personnes âgées", "sante-bien-vieillir"),
    ("PERSONNES AGEES", "sante-bien-vieillir"),
    ("la securiter", "securite"),
    ("tourism", "tourisme-val-europe"),
    ("desing", "metiers-art-design"),
    ("j'aime dessiner", "metiers-art-design"),
    ("l'usine", "industrie-futur"),
    ("cinéma", "creation-numerique"),
    ("jardinier", "versailles-patrimoine"),
])
def test_sector_words_tolerate_typos_accents_and_sms_spelling(kb, typed, expected):
    assert kb.search(sector=typed).campus_keys[0] == expected


def test_a_national_sector_finds_the_campuses_of_its_sectors(kb):
    keys = kb.search(sector="Mobilité, aéronautique, transports").campus_keys
    assert {"aeronautique-spatial", "aeronautique-meaux", "hub-aeroportuaire"} <= set(keys)


def test_a_bts_in_the_93_ranks_the_campus_that_lists_a_bts_first(kb):
    result = kb.search(level="BTS", place="dans le 93")
    assert result.campus_keys[0] == "creation-numerique"
    first = result.matches[0]
    assert first.level_match == "diplome"
    assert first.trainings and all(t.kind == "bts" and t.establishment == "Lycée Suger" for t in first.trainings)
    assert "BTS métiers de l'audiovisuel, option métiers du son" in [t.title for t in result.trainings]
    assert result.understood == {"level": "BTS", "place": "Seine-Saint-Denis (93)"}


@pytest.mark.parametrize("level", ["bac+2", "bac + 2", "niveau 5", 5, "5"])
def test_level_written_as_bac_plus_or_number_finds_the_same_campuses(kb, level):
    assert kb.search(level=level, place="93").campus_keys[0] == "creation-numerique"


def test_a_cap_in_aeronautics_is_the_meaux_project(kb):
    result = kb.search(sector="aéronautique", level="CAP")
    assert result.campus_keys[0] == "aeronautique-meaux"
    assert [t.title for t in result.trainings] == ["CAP aéronautique option avionique"]
    assert result.trainings[0].establishment == "Lycée Pierre-de-Coubertin"


def test_a_stated_level_range_excludes_campuses_that_do_not_reach_the_level(kb):
    keys = kb.search(level="doctorat").campus_keys
    assert "metiers-art-design" in keys and "aeronautique-spatial" in keys
    assert "tourisme-val-europe" not in keys  # bac-3 to bac+5
    security = next(m for m in kb.search(level="doctorat").matches if m.campus.key == "securite")
    assert security.level_match == "inconnu"  # the 2018 CAP-to-licence-pro range was another announcement


def test_campuses_without_level_data_come_last_and_say_so(kb):
    matches = kb.search(level="doctorat").matches
    unknown = [m for m in matches if m.level_match == "inconnu"]
    assert unknown and all(m.score < matches[0].score for m in unknown)
    assert "niveaux de formation non précisés dans nos données" in unknown[0].reasons


def test_statuses_list_the_campuses_of_excellence_and_the_projects(kb):
    assert set(kb.search(status="excellence").campus_keys) == {
        "industrie-futur", "metiers-art-design", "versailles-patrimoine", "securite"}
    assert set(kb.search(status="projets").campus_keys) == {
        "ville-durable-93", "aeronautique-meaux"}


def test_all_campuses_are_listed_excellence_first(kb):
    campuses = kb.all_campuses()
    assert len(campuses) == 12
    assert campuses[0].status == "excellence" and campuses[-1].status == "projet"


def test_a_sector_without_campus_says_the_sector_emptied_the_result(kb):
    result = kb.search(sector="intelligence artificielle")
    assert result.matches == () and result.unknown == ()
    assert result.understood == {"sector": "Intelligence artificielle"}
    assert result.empty_because == "sector" and result.relaxable == ()


def test_an_unknown_sector_is_reported_as_not_understood(kb):
    result = kb.search(sector="astrologie", place="93")
    assert result.matches == ()
    assert result.unknown == ("sector",) and result.empty_because == "sector"


def test_an_empty_combination_says_which_constraint_to_relax(kb):
    result = kb.search(sector="santé", place="Versailles")
    assert result.matches == ()
    assert result.empty_because == "place"
    assert result.relaxable == ("place", "sector")


def test_places_accept_names_codes_and_abbreviations(kb):
    assert "creation-numerique" in kb.search(place="Seine St Denis").campus_keys
    assert "sante-bien-vieillir" in kb.search(place="val de marne").campus_keys
    assert kb.search(place="Versailles").campus_keys == ["versailles-patrimoine"]
    assert "hub-aeroportuaire" in kb.search(place="académie de Versailles").campus_keys


def test_a_member_establishment_location_also_matches_with_a_lower_score(kb):
    result = kb.search(place="Meaux")
    assert result.campus_keys[0] == "aeronautique-meaux"
    assert "sante-bien-vieillir" in kb.search(place="Champigny-sur-Marne").campus_keys


def test_campus_details_give_lead_members_diplomas_and_sources(kb):
    campus = kb.campus("sante-bien-vieillir")
    assert campus.leads == ()  # « en étroite collaboration » with UPEC: head of network not stated
    assert "UPEC" in campus.members[0].name and "pas confirmé" in campus.members[0].note
    assert [m.name for m in campus.members_of_type("lycee")] == [
        "Lycée Darius-Milhaud", "Lycée Guillaume-Budé", "Lycée Louise-Michel",
        "Lycée Lino-Ventura", "Lycée Teilhard-de-Chardin"]
    assert campus.summary.place_label == "Vitry-sur-Seine (94)"
    assert "labelled_on" in campus.summary.unsure
    assert {source.key for source in campus.sources} == {"onisep-48073", "upec-2025-05-14"}


def test_campus_details_by_everyday_name(kb):
    assert kb.campus("le campus santé").summary.key == "sante-bien-vieillir"
    assert kb.campus("campus de Versailles").summary.key == "versailles-patrimoine"


def test_unknown_campus_gives_none(kb):
    assert kb.campus("campus de l'astrologie lunaire") is None


def test_campus_milestones_keep_their_dates_and_doubts(kb):
    campus = kb.campus("creation-numerique")
    assert campus.summary.labelled_on == "2013-11-29" and "labelled_on" not in campus.summary.unsure
    assert not campus.milestones[0].unsure  # the dated address of the Café pédagogique article (2013-12-17)
    assert kb.campus("hub-aeroportuaire").milestones[0].text == "Labellisation du campus."
    assert campus.trainings[0].title == "Bac pro photographie"
    assert [t.level for t in campus.trainings] == sorted(t.level for t in campus.trainings)


def test_members_by_type(kb):
    assert [m.name for m in kb.members("sante-bien-vieillir", "entreprise")] == ["Korian", "La Poste", "Altran"]
    assert kb.members("aeronautique-spatial", "entreprise") == []  # the university's partners, not the campus's
    assert kb.members("aeronautique-spatial", "lycee") == []


@pytest.mark.parametrize("typed, expected", [
    ("le lycée Darius-Milhaud", {"sante-bien-vieillir"}),
    ("lycee darius milhaud", {"sante-bien-vieillir"}),
    ("Université d'Évry", {"aeronautique-spatial", "industrie-futur"}),
    ("ecole boulle", {"metiers-art-design"}),
    ("Suger", {"creation-numerique"}),
])
def test_which_campus_an_establishment_belongs_to(kb, typed, expected):
    found = kb.campuses_of(typed)
    assert {campus.key for campus, _ in found[0].campuses} == expected


def test_an_unknown_establishment_belongs_to_no_campus(kb):
    assert kb.campuses_of("lycée imaginaire de Tataouine") == []


@pytest.mark.parametrize("asked, level", [
    ("BTS", 5), ("un bts", 5), ("bac+2", 5), ("bac +3", 6), ("licence pro", 6), ("master", 7),
    ("doctorat", 8), ("CAP", 3), ("bac pro", 4), ("niveau 6", 6), (7, 7),
])
def test_explain_level(kb, asked, level):
    assert [info.number for info in kb.explain_level(asked)] == [level]


@pytest.mark.parametrize("asked, levels, label", [
    ("et jusqu'à bac+2 seulement ?", {3, 4, 5}, "jusqu'au bac+2"),
    ("un BTS maximum", {3, 4, 5}, "jusqu'au BTS"),
    ("jusqu'au niveau 5", {3, 4, 5}, "jusqu'au niveau 5"),
    ("des formations sans le bac", {3, 4}, "avant le bac"),
    ("et après un bac+2 ?", {6, 7, 8}, "après le bac+2"),
    ("après le bac pro", {5, 6, 7, 8}, "après le Bac pro"),
    ("un BTS au plus vite", {5}, "BTS"),
    ("que faire après mon CAP", {4, 5, 6, 7, 8}, "après le CAP"),
    # « après » that does not come just before the level says nothing about it
    ("un cmq c juste pour les cap ou on peut aussi y aller apres la fac ?", {3}, "CAP"),
])
def test_a_range_of_levels_is_read_from_its_words(kb, asked, levels, label):
    query = kb.resolver.level(asked)
    assert (set(query.levels), query.label) == (levels, label)


def test_explain_level_lists_the_diplomas_of_the_level(kb):
    info = kb.explain_level("bac+2")[0]
    assert info.kinds == ("BTS", "DUT", "DEUST", "DMA") and info.old_name == "III"


def test_old_level_one_covers_master_and_doctorate(kb):
    assert [info.number for info in kb.explain_level("niveau I")] == [7, 8]


@pytest.mark.parametrize("asked", ["bac+4", "niveau 12", "zorglub", ""])
def test_unknown_levels_explain_nothing(kb, asked):
    assert kb.explain_level(asked) == []


def test_facts_about_cmqs_are_sourced(kb):
    definition = kb.fact("definition")
    assert "du CAP au doctorat" in definition.answer
    assert definition.sources[0].url.startswith("https://regions-france.org/")
    assert "2013" in kb.fact("creation").answer
    assert "14 projets" in kb.fact("region").answer
    assert len(kb.facts()) == 18
    assert [fact.key for fact in kb.orientation_facts()] == [
        "bourses", "cost", "internat", "parcoursup", "affelnet", "alternance", "onisep", "how-to-enter-cmq"]
    assert all(fact.sources for fact in kb.orientation_facts())


def test_stats_count_what_the_database_holds(kb, dataset):
    stats, counts = kb.stats(), dataset.counts()
    assert (stats["campus"], stats["établissements"], stats["sources"], stats["formations"]) == (
        counts["campus"], counts["establishment"], counts["source"], counts["training"])
    assert stats["vérifiée le"] == "2026-11-28 à 2026-12-03"
    by = kb.trainings_by()
    assert sum(by["campus"].values()) == sum(by["niveau"].values()) == counts["training"]
    assert by["niveau"]["niveau 3"] >= 5


def test_vocabulary_export_has_every_entity_type(kb):
    vocabulary = kb.vocabulary_terms()
    assert "avions" in vocabulary["sector"]
    assert "Lycée Suger" in vocabulary["establishment"]
    assert "Seine-Saint-Denis" in vocabulary["department"]
    assert "BTS" in vocabulary["diploma_kind"]
    assert "Santé, autonomie et bien vieillir" in vocabulary["campus"]
    assert "Vitry-sur-Seine" in vocabulary["commune"]


@pytest.mark.parametrize("typed, expected", [
    ("Gobelins", "metiers-art-design"),
    ("campus santé et grand âge", "sante-bien-vieillir"),
    ("Grand Roissy", "hub-aeroportuaire"),
    ("Val d'Europe", "tourisme-val-europe"),
])
def test_campus_details_by_former_or_everyday_names(kb, typed, expected):
    assert kb.campus(typed).summary.key == expected


@pytest.mark.parametrize("named, key", [
    ("le campus de l'intelligence artificielle", "ia-paul-valery"),
    ("la cité des métiers de Roissy", "cite-des-metiers-roissy"),
    ("campus de Bécheville", "campus-becheville"),
    ("l'eco campus du batiment", "eco-campus-batiment"),
])
def test_look_alikes_are_known_as_not_cmqs(kb, named, key):
    [found] = kb.not_cmqs(named)
    assert found.key == key and found.sources
    assert kb.campus(named) is None  # never offered as a campus


def test_a_place_is_no_typo_of_a_look_alike(kb):
    assert kb.not_cmqs("Pouvez-vous me présenter le campus de Meaux ?") == []  # was the campus des Mureaux
    assert [n.key for n in kb.not_cmqs("le campus des mureaux")] == ["campus-becheville"]
    assert [n.key for n in kb.not_cmqs("le campus de bechevile")] == ["campus-becheville"]  # a typo still is


def test_a_sector_without_campus_names_its_look_alike(kb):
    assert [n.key for n in kb.not_cmqs(sector_keys={"batiment"})] == ["eco-campus-batiment"]


@pytest.mark.parametrize("typed, commune", [("vers Tremblay", "Tremblay-en-France"), ("à Vitry", "Vitry-sur-Seine"),
                                            ("Évry", "Évry-Courcouronnes")])
def test_the_first_word_of_a_compound_commune_names_it(kb, typed, commune):
    assert kb.resolver.place(typed).label == commune


def test_an_extracted_but_alone_is_the_diploma_not_the_word(kb):
    assert kb.resolver.level("but").kinds == {"but"}
    assert kb.resolver.level("mon but est de voyager") is None


@pytest.mark.parametrize("text", [
    "Nos revenus sont modestes : mon fils pourra-t-il être boursier ?",  # not the CAP chapelier-modiste
    "c quoi les grandes familles de metiers des campus au niveau national",  # not the « Grande École »
    "Les campus concernent-ils aussi l'enseignement supérieur ?",
])
def test_a_french_word_is_no_typo_of_a_specialty_or_a_sector(kb, text):
    assert kb.resolver.sector(text) is None


@pytest.mark.parametrize("text, sector", [
    ("je veux etre soudur", "Industrie du futur"), ("la patiserie", "Gastronomie"),
    ("jveu taffer ds l'aeronotik", "Aéronautique"),
])
def test_a_misspelt_job_or_sector_is_still_read(kb, text, sector):
    assert kb.resolver.sector(text).label.startswith(sector)
