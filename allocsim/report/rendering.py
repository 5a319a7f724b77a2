"""Render a report model: chart specs, static SVG and PNG copies, and the HTML page."""

from __future__ import annotations

import re

import vl_convert as vlc

import allocsim.charts as charts
from allocsim.outputs import to_json
from allocsim.report.html import VL_VERSION, render_html
from allocsim.report.model import ReportModel

PNG_SCALE = 2


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
    copies (``charts/*.svg``, ``*.png``), which take most of the time."""
    files: dict[str, bytes] = {}
    specs = {section.name: charts.styled(section.chart).to_dict() for section in model.sections}
    if images:
        for section in model.sections:
            svg, png = chart_images(specs[section.name])
            files[f"charts/{section.name}.svg"], files[f"charts/{section.name}.png"] = svg, png
    for name, text in model.tables.items():
        files[f"tables/{name}"] = text.encode("utf-8")
    files["manifest.json"] = to_json(model.manifest).encode("utf-8")
    listed = sorted([*files, *([] if images else [f"charts/{s.name}.{kind}" for s in model.sections
                                                  for kind in ("png", "svg")])])
    html = render_html(model.comparison, model.inputs, model.sections, specs, listed, model.notice,
                       model.boundaries)
    files["index.html"] = html.encode("utf-8")
    return files


def chart_images(spec: dict) -> tuple[bytes, bytes]:
    """The static SVG and PNG of one chart spec."""
    svg = stable_svg(vlc.vegalite_to_svg(spec, vl_version=VL_VERSION))
    return svg.encode("utf-8"), vlc.vegalite_to_png(spec, vl_version=VL_VERSION, scale=PNG_SCALE)
