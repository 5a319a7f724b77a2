"""Render a report model: chart specs, static SVG and PNG copies, and the HTML page.

The static copies take most of the time. Each chart is drawn once, as SVG (vl-convert, one
converter per process, so SVGs are drawn one at a time), and its PNG is rasterised from that SVG
(the same bytes as vl-convert's own PNG of the spec, which would draw the chart again). Two threads
draw, so one chart's PNG is rasterised while the next chart's SVG is drawn, and the page is
rendered meanwhile: vl-convert releases the GIL while it works.
"""

from __future__ import annotations

import re
from concurrent.futures import Future, ThreadPoolExecutor

import vl_convert as vlc

from allocsim.charts.spec import chart_spec
from allocsim.outputs import to_json
from allocsim.report.html import VL_VERSION, render_html
from allocsim.report.model import ReportModel
from allocsim.report.sections import ReportChart

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


class Drawer:
    """Makes each section's spec and draws its static copies on threads as soon as the section is
    made (pass it to :func:`allocsim.report.model.build` as ``on_section``), so drawing overlaps the
    rest of the computing; :func:`render` takes the specs and images from it.

    Specs are not validated here: every chart function's output is validated by the tests (and
    ``validate=True`` checks a report's every spec, as the report tests do)."""

    def __init__(self, images: bool = True, validate: bool = False):
        self.specs: dict[str, dict] = {}
        self.validate = validate
        self._drawn: dict[str, Future] = {}
        self._pool = ThreadPoolExecutor(max_workers=DRAWING_THREADS) if images else None
        if self._pool is not None:
            self._pool.submit(warm_up)  # the converter starts while the first sections are computed

    def __call__(self, section: ReportChart) -> None:
        """Make ``section``'s spec and start drawing it (once per section name)."""
        if section.name in self.specs:
            return
        self.specs[section.name] = spec = chart_spec(section.chart, validate=self.validate)
        if self._pool is not None:
            self._drawn[section.name] = self._pool.submit(chart_images, spec)

    def images(self) -> dict[str, bytes]:
        """Every drawn chart's ``charts/<name>.svg`` and ``.png``, waiting for those not yet done."""
        files = {}
        for name, future in self._drawn.items():
            files[f"charts/{name}.svg"], files[f"charts/{name}.png"] = future.result()
        return files

    def close(self) -> None:
        """Stop the drawing threads (waiting for any drawing under way)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


def render(model: ReportModel, images: bool = True, drawer: Drawer | None = None) -> dict[str, bytes]:
    """Every file of the report, by relative path; ``images`` False leaves out the static chart
    copies (``charts/*.svg``, ``*.png``), which take most of the time. ``drawer``: the
    :class:`Drawer` that was given each section while the model was built (one is made here if not)."""
    own = drawer is None
    drawer = Drawer(images) if own else drawer
    try:
        for section in model.sections:
            drawer(section)
        files: dict[str, bytes] = {f"tables/{name}": text.encode("utf-8") for name, text in model.tables.items()}
        files["manifest.json"] = to_json(model.manifest).encode("utf-8")
        listed = sorted([*files, *[f"charts/{s.name}.{kind}" for s in model.sections for kind in ("png", "svg")]])
        html = render_html(model, drawer.specs, listed)
        if images:
            files |= {name: content for name, content in drawer.images().items()
                      if name.rsplit("/", 1)[-1].rsplit(".", 1)[0] in {s.name for s in model.sections}}
    finally:
        if own:
            drawer.close()
    files["index.html"] = html.encode("utf-8")
    return files


def warm_up() -> None:
    """Start vl-convert's converter (about half a second, once per process): the :class:`Drawer` calls
    it on a drawing thread while the report is computed, so that the first chart does not wait for it."""
    vlc.vegalite_to_svg({"mark": "point"}, vl_version=VL_VERSION)


def chart_images(spec: dict) -> tuple[bytes, bytes]:
    """The static SVG and PNG of one chart spec (the PNG rasterised from the SVG)."""
    svg = stable_svg(vlc.vegalite_to_svg(spec, vl_version=VL_VERSION))
    return svg.encode("utf-8"), vlc.svg_to_png(svg, scale=PNG_SCALE)
