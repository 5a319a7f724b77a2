"""Render a report model: chart specs, static SVG and PNG copies, and the HTML page.

The static copies take most of the time. Each chart is drawn once, as SVG (vl-convert, one
converter per process, so SVGs are drawn one at a time), and its PNG is rasterised from that SVG
(the same bytes as vl-convert's own PNG of the spec, which would draw the chart again). Two threads
draw, so one chart's PNG is rasterised while the next chart's SVG is drawn, and the page is
rendered meanwhile: vl-convert releases the GIL while it works.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import vl_convert as vlc

from allocsim.charts.spec import chart_spec
from allocsim.outputs import to_json
from allocsim.report.html import VL_VERSION, render_html
from allocsim.report.model import ReportModel

PNG_SCALE = 2
DRAWING_THREADS = 2


def stable_svg(svg: str) -> str:
    """Renumber the SVG's gradient and clip ids from 0, so the same chart gives the same bytes.

    Vega numbers them with a counter that lives as long as the converter process.
    """
    numbers: dict[str, str] = {}

    def renumber(match: re.Match) -> str:
        kind = match.group(1)
        key = match.group(0)
        if key not in numbers:
            numbers[key] = f"{kind}_{sum(k.startswith(kind) for k in numbers)}"
        return numbers[key]

    return re.sub(r"\b(gradient|clip|pattern)_?(\d+)\b", renumber, svg)


def render(model: ReportModel, images: bool = True) -> dict[str, bytes]:
    """Every file of the report, by relative path; ``images`` False leaves out the static chart
    copies (``charts/*.svg``, ``*.png``), which take most of the time.

    The specs are validated against the Vega-Lite schema here, once each, and not again while
    the charts are composed (tests validate every chart function's output too)."""
    files: dict[str, bytes] = {}
    specs, drawn = {}, {}
    with ThreadPoolExecutor(max_workers=DRAWING_THREADS) as pool:
        for section in model.sections:  # each chart is drawn as soon as its spec is made
            specs[section.name] = chart_spec(section.chart)
            if images:
                drawn[section.name] = pool.submit(chart_images, specs[section.name])
        for name, text in model.tables.items():
            files[f"tables/{name}"] = text.encode("utf-8")
        files["manifest.json"] = to_json(model.manifest).encode("utf-8")
        listed = sorted([*files, *[f"charts/{s.name}.{kind}" for s in model.sections for kind in ("png", "svg")]])
        html = render_html(model, specs, listed)
        for name, future in drawn.items():
            files[f"charts/{name}.svg"], files[f"charts/{name}.png"] = future.result()
    files["index.html"] = html.encode("utf-8")
    return files


def warm_up() -> None:
    """Start vl-convert's converter (about half a second, once per process): call it on a thread
    while the report is computed, so that drawing the first chart does not wait for it."""
    vlc.vegalite_to_svg({"mark": "point"}, vl_version=VL_VERSION)


def chart_images(spec: dict) -> tuple[bytes, bytes]:
    """The static SVG and PNG of one chart spec (the PNG rasterised from the SVG)."""
    svg = stable_svg(vlc.vegalite_to_svg(spec, vl_version=VL_VERSION))
    return svg.encode("utf-8"), vlc.svg_to_png(svg, scale=PNG_SCALE)
