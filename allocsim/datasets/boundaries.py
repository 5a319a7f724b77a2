"""Simplified LAD 2020 boundaries for choropleth maps, cut from the ONS multi-vintage TopoJSON.

The ONS Explore Local Statistics topology holds every local authority that existed from 2017
to 2025 (each with optional ``start``/``end`` years). We keep the GB lower-tier councils that
existed in 2020 - exactly the 368 LAD 2020 areas - and only the arcs they use, leaving the
ONS generalisation and quantisation as published. For maps only, not for area calculations.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from allocsim.errors import DataError

RAW_FILE = "la_boundaries_topojson/ons_els_boundaries_topo.json"
OBJECT = "lad2020"
YEAR = 2020
# Coarsen the quantisation grid this many times (about 0.001 degrees, ~100 m) and drop points
# closer than TOLERANCE grid steps to the simplified line (Ramer-Douglas-Peucker): invisible on
# a national map. Arcs keep their end points, so neighbouring areas still meet exactly.
COARSEN = 8
TOLERANCE = 1.5


def build_boundaries(raw: Path, codes: set[str]) -> dict:
    """A TopoJSON topology with one object, ``lad2020``, holding the areas in ``codes``."""
    path = raw / RAW_FILE
    if not path.is_file():
        raise DataError(f"raw source file not found: {path}")
    topology = json.loads(path.read_text(encoding="utf-8"))
    geometries = [g for g in topology["objects"]["ltla"]["geometries"] if _exists_in(g, YEAR)]
    chosen = [g for g in geometries if g["properties"]["areacd"] in codes]
    missing = sorted(codes - {g["properties"]["areacd"] for g in chosen})
    if missing:
        raise DataError(f"boundaries: no {YEAR} shape for {', '.join(missing[:5])}")
    arcs, remap = _used_arcs(topology["arcs"], chosen)
    scale = [v * COARSEN for v in topology["transform"]["scale"]]
    return {
        "type": "Topology",
        "transform": {"scale": scale, "translate": topology["transform"]["translate"]},
        "objects": {OBJECT: {"type": "GeometryCollection",
                             "geometries": [_renumbered(g, remap) for g in sorted(chosen, key=_code)]}},
        "arcs": [_coarsened(arc) for arc in arcs],
    }


def _coarsened(arc: list[list[int]]) -> list[list[int]]:
    """Decode a delta-encoded arc, snap it to the coarser grid, drop repeats, re-encode."""
    x = y = 0
    points = []
    for dx, dy in arc:
        x, y = x + dx, y + dy
        point = (round(x / COARSEN), round(y / COARSEN))
        if not points or point != points[-1]:
            points.append(point)
    if len(points) == 1:
        points.append(points[0])
    points = _simplified(points, TOLERANCE)
    encoded, (px, py) = [list(points[0])], points[0]
    for qx, qy in points[1:]:
        encoded.append([qx - px, qy - py])
        px, py = qx, qy
    return encoded


def _exists_in(geometry: dict, year: int) -> bool:
    props = geometry["properties"]
    return (props.get("start") or 0) <= year <= (props.get("end") or 9999)


def _code(geometry: dict) -> str:
    return geometry["properties"]["areacd"]


def _rings(geometry: dict):
    if geometry["type"] == "Polygon":
        yield from geometry["arcs"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["arcs"]:
            yield from polygon


def _used_arcs(all_arcs: list, geometries: list[dict]) -> tuple[list, dict[int, int]]:
    used = sorted({index if index >= 0 else ~index for g in geometries for ring in _rings(g) for index in ring})
    remap = {old: new for new, old in enumerate(used)}
    return [all_arcs[i] for i in used], remap


def _renumbered(geometry: dict, remap: dict[int, int]) -> dict:
    def ring(r):
        return [remap[i] if i >= 0 else ~remap[~i] for i in r]

    if geometry["type"] == "Polygon":
        arcs = [ring(r) for r in geometry["arcs"]]
    else:
        arcs = [[ring(r) for r in polygon] for polygon in geometry["arcs"]]
    props = geometry["properties"]
    return {"type": geometry["type"], "arcs": arcs,
            "properties": {"code": props["areacd"], "name": props["areanm"]}}


def _simplified(points: list[tuple[int, int]], tolerance: float) -> list[tuple[int, int]]:
    """Ramer-Douglas-Peucker, iteratively; the first and last points are always kept."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        start, end = stack.pop()
        (ax, ay), (bx, by) = points[start], points[end]
        length = math.hypot(bx - ax, by - ay)
        worst, worst_distance = None, tolerance
        for i in range(start + 1, end):
            px, py = points[i]
            distance = (abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
                        if length else math.hypot(px - ax, py - ay))
            if distance > worst_distance:
                worst, worst_distance = i, distance
        if worst is not None:
            keep[worst] = True
            stack += [(start, worst), (worst, end)]
    return [p for p, kept in zip(points, keep) if kept]


def boundaries_json(topology: dict) -> str:
    """``topology`` as compact JSON text (no spaces), ending in a newline, as the boundaries file is
    written."""
    return json.dumps(topology, separators=(",", ":")) + "\n"
