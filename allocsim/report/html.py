"""The report's HTML page (autoescaped Jinja2, every script inlined so it works offline)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import altair as alt
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from allocsim.charts.maps import without_boundary
from allocsim.charts.spec import is_topology
from allocsim.comparison import Comparison
from allocsim.comparison.chain import Chain
from allocsim.comparison.focus import from_the_end
from allocsim.report.bundle import javascript_bundle
from allocsim.report.chain import focus_moves_table, steps_table
from allocsim.report.model import ReportModel
from allocsim.report.movers import movers_blocks
from allocsim.report.sections import PLACEHOLDER
from allocsim.rules.schema import Rule
from allocsim.version import __version__

VL_VERSION = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


# StrictUndefined: a name the template reads that its context lacks fails the build, rather than printing as nothing
_ENVIRONMENT = Environment(loader=PackageLoader("allocsim", "templates"), autoescape=select_autoescape(["j2", "html"]),
                           undefined=StrictUndefined)


def script_json(value) -> Markup:
    """JSON safe inside a <script> element: no '<', '>' or '&' can end it or open a comment."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def without_boundaries(spec: dict) -> tuple[dict, list[str]]:
    """A copy of ``spec`` without its (large) boundary topologies, and the datasets they were: the
    page puts them back once per chart. ``spec`` itself is left whole (the static images need it)."""
    datasets = spec.get("datasets", {})
    keys = [k for k, v in datasets.items() if is_topology(v)]
    if not keys:
        return spec, keys
    return {**spec, "datasets": {k: None if k in keys else v for k, v in datasets.items()}}, keys


def render_html(model: ReportModel, specs: dict[str, dict], files: list[str]) -> str:
    """The page of ``model``, its charts drawn in the browser from ``specs``; ``files`` are listed."""
    rendered, boundary_keys, exports = [], {}, {}
    for section in model.sections:
        spec, boundary_keys[section.name] = without_boundaries(specs[section.name])
        rendered.append({"name": section.name, "heading": section.heading, "caption": section.caption,
                         "spec_json": script_json(spec), "export": section.export, "tables": section.tables})
        if section.export is not None:
            exports[section.name] = {"template": section.export.template, "sliders": section.export.sliders,
                                     "placeholder": PLACEHOLDER}
    comparison, inputs, chain = model.comparison, model.inputs, model.chain
    rules = [r.rule for r in chain.rules] if chain else [comparison.base.rule, comparison.alt.rule]
    return _ENVIRONMENT.get_template("report.html.j2").render(
        base=comparison.base.rule, alt=comparison.alt.rule, summary=comparison.summary,
        focus_share_pct=f"{comparison.focus_share * 100:g}%", dataset=Path(inputs.data_path).name,
        charts=rendered, focus_tables=focus_tables(comparison), files=files, money=model.notice,
        overrides=_overrides(inputs.overrides), rules=[rule_weights(r) for r in rules],
        chain=chain_page(chain) if chain else None, movers=movers_blocks(model.movers),
        unmapped=without_boundary(comparison.table, model.boundaries),
        boundaries_json=script_json(model.boundaries), exports_json=script_json(exports),
        boundary_keys_json=script_json(boundary_keys), vega_bundle=vega_bundle(),
        version=__version__, vega_lite=alt.SCHEMA_VERSION,
    )


def chain_page(chain: Chain) -> dict:
    """What the page shows of a chain: its rules' labels, the steps table and the focus areas each
    step moves."""
    return {"labels": chain.labels, "steps": steps_table(chain), "moves": focus_moves_table(chain)}


def _overrides(overrides: tuple[str, ...]) -> str:
    """The ``--set`` options as the command line had them ("" when none)."""
    return " ".join(f"--set {o}" for o in overrides)


def rule_weights(rule: Rule) -> dict:
    """A rule's effective weights as rows of text for the page: indicator, domain, the domain's share,
    the indicator's share within its domain, its share of the index, direction."""
    if rule.kind != "index":
        return {"rule": rule, "rows": [], "column": rule.column}
    domain_total = sum(d.weight for d in rule.domains.values())
    within: dict[str | None, float] = {}
    for indicator in rule.indicators:
        within[indicator.domain] = within.get(indicator.domain, 0.0) + indicator.weight
    rows = []
    for indicator in rule.indicators:
        domain_share = rule.domains[indicator.domain].weight / domain_total if rule.domains else 1.0
        rows.append([indicator.column, indicator.domain or "(none)", _percent(domain_share),
                     _percent(indicator.weight / within[indicator.domain]),
                     _percent(rule.effective_weights()[indicator.column]), indicator.direction.replace("_", " ")])
    return {"rule": rule, "rows": rows, "column": None}


def _percent(share: float) -> str:
    return f"{share * 100:.1f}%"


@lru_cache(maxsize=1)
def vega_bundle() -> Markup:
    """Vega, Vega-Lite and vega-embed as one script (from vl-convert, cached per version), safe to inline."""
    return Markup(javascript_bundle(VL_VERSION).replace("</script", "<\\/script"))


def focus_tables(comparison: Comparison) -> list[dict]:
    """Focus areas that gain and lose priority, as rows of cells for the template (escaped there)."""
    table = comparison.table[comparison.table["in_focus"]].reset_index()
    columns = ["code", "name", "country", comparison.focus, "base_group", "alt_group"]
    blocks = []
    for title, mask in (("Focus areas that gain priority", table["group_change"] > 0),
                        ("Focus areas that lose priority", table["group_change"] < 0)):
        chosen = from_the_end(table[mask], comparison.focus, comparison.focus_end)[columns]
        rows = [[_cell(v) for v in row] for row in chosen.itertuples(index=False)]
        blocks.append({"title": f"{title} ({len(rows)})", "columns": columns, "rows": rows})
    return blocks


def _cell(value) -> dict:
    if isinstance(value, float):
        return {"text": f"{value:.1f}", "num": True}
    return {"text": str(value), "num": isinstance(value, int)}
