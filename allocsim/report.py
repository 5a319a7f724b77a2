"""A self-contained report folder: ``index.html`` (works offline), static charts, tables, manifest.

:func:`assemble_report` computes everything and returns the files as bytes in memory;
:func:`write_report` puts them on disk through a temporary folder, so an existing report is
replaced only by a complete one (and only with ``force``).
"""

from __future__ import annotations

import hashlib
import json
import platform
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from importlib import metadata as importlib_metadata
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert as vlc
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from allocsim import __version__, charts, datasets
from allocsim.checks import check_whole
from allocsim.comparison import DEFAULT_FOCUS, Comparison, compare
from allocsim.comparison.money import MoneyComparison, money_comparison
from allocsim.datasets import load_boundaries
from allocsim.errors import OutputError
from allocsim.io import staged_dir
from allocsim.money.per_head import per_head_by
from allocsim.money.settings import Settings, budget_pence, money_settings
from allocsim.money.simulation import check_money_data
from allocsim.outputs import (
    comparison_frame,
    csv_text,
    money_comparison_files,
    rank_frame,
    sensitivity_frame,
    simulation_files,
    to_json,
)
from allocsim.paths import rules_dir
from allocsim.ranking import rank
from allocsim.robustness import MAX_DRAWS as MAX_ROBUSTNESS_DRAWS
from allocsim.robustness import Sensitivity, check_options, sensitivity
from allocsim.rules.load import display_path
from allocsim.rules.schema import Rule
from allocsim.text.money import unspent_text
from allocsim.text.tables import pounds

PACKAGES = ["numpy", "pandas", "scikit-learn", "scipy", "altair", "vl-convert-python", "pydantic", "click", "jinja2"]
VL_VERSION = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
PNG_SCALE = 2


@dataclass(frozen=True)
class ReportChart:
    name: str
    heading: str
    caption: str
    chart: alt.TopLevelMixin


@dataclass
class ReportInputs:
    """What a report is made from, recorded in its manifest."""

    base: Rule
    alt: Rule
    data: pd.DataFrame
    data_path: Path
    rule_paths: dict[str, Path]  # "base" and "alt": the rule files
    overrides: tuple[str, ...] = ()
    countries: list[str] | None = None
    focus: str = DEFAULT_FOCUS
    focus_share: float = 0.3
    seed: int = 0
    command: str = ""
    budget: float | str | None = None
    money_options: dict = field(default_factory=dict)  # simulate()'s mechanism, draws, parameter files
    robustness_draws: int = 2000
    spread: float = 0.2


@dataclass(frozen=True)
class CheckedInputs:
    """What :func:`check_inputs` worked out on the way, for :func:`assemble_report` to use."""

    comparison: Comparison
    money_settings: Settings | None  # None without a budget


def check_inputs(inputs: ReportInputs) -> CheckedInputs:
    """Refuse a bad option value before any slow work (and before the output folder is looked at):
    the rules and areas compared, focus, robustness draws, spread, seed and every money option."""
    comparison = compare(inputs.base, inputs.alt, inputs.data, inputs.countries, inputs.focus, inputs.focus_share)
    check_whole(inputs.robustness_draws, "--robustness-draws", 0, MAX_ROBUSTNESS_DRAWS)
    check_options(1, inputs.spread, inputs.seed)  # the spread and seed; the draws were checked just above
    settings = None
    if inputs.budget is not None:
        settings = money_settings(inputs.budget, seed=inputs.seed, **inputs.money_options)
        for result in (comparison.base, comparison.alt):
            check_money_data(result, inputs.data, settings)
    return CheckedInputs(comparison, settings)


def assemble_report(inputs: ReportInputs, checked: CheckedInputs | None = None) -> dict[str, bytes]:
    """Every file of the report, by relative path; ``checked`` is what :func:`check_inputs`
    returned for these inputs (checked now if not given)."""
    checked = check_inputs(inputs) if checked is None else checked
    comparison = checked.comparison
    sections = comparison_sections(comparison, inputs)
    tables = comparison_tables(comparison)
    money = None
    if checked.money_settings is not None:
        money = money_comparison(comparison.base, comparison.alt, inputs.data, checked.money_settings)
        sections += money_sections(money, inputs.data)
        tables |= money_tables(money)
    if inputs.robustness_draws:
        robustness = sensitivity(comparison.alt.rule, inputs.data, inputs.robustness_draws, inputs.spread,
                                 inputs.seed, inputs.countries)
        sections.append(robustness_section(robustness, inputs))
        tables["robustness.csv"] = csv_text(sensitivity_frame(robustness))
    files: dict[str, bytes] = {}
    specs = {section.name: charts.styled(section.chart).to_dict() for section in sections}
    for section in sections:
        spec = specs[section.name]
        svg = stable_svg(vlc.vegalite_to_svg(spec, vl_version=VL_VERSION))
        files[f"charts/{section.name}.svg"] = svg.encode("utf-8")
        files[f"charts/{section.name}.png"] = vlc.vegalite_to_png(spec, vl_version=VL_VERSION, scale=PNG_SCALE)
    for name, text in tables.items():
        files[f"tables/{name}"] = text.encode("utf-8")
    files["manifest.json"] = to_json(manifest(inputs, money)).encode("utf-8")
    notice = money_notice(money) if money is not None else None
    files["index.html"] = render_html(comparison, inputs, sections, specs, sorted(files), notice).encode("utf-8")
    return files


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


def comparison_sections(comparison: Comparison, inputs: ReportInputs) -> list[ReportChart]:
    base, alt_ = comparison.base.rule.name, comparison.alt.rule.name
    sections = [
        ReportChart("hle_vs_deprivation", "Health and deprivation",
                    "Each point is an English area, placed by deprivation and healthy life expectancy and "
                    "coloured by its priority group under each rule.",
                    charts.hle_vs_deprivation(comparison, inputs.data)),
        ReportChart("focus_rank_change", "The lowest-HLE areas",
                    f"How the rank of each of the {comparison.summary.focus.areas} areas with the lowest "
                    f"{comparison.focus} changes from {base} to {alt_}.",
                    charts.focus_rank_change(comparison)),
        ReportChart("transitions", "Moves between groups",
                    "Areas by their group under each rule.", charts.transition_heatmap(comparison)),
        ReportChart("group_maps", "Maps", "Priority groups under each rule.", charts.group_maps(comparison)),
    ]
    if _explorable(comparison.alt.rule):
        sections.append(ReportChart(
            "weights_explorer", f"Try other weights for {alt_}",
            "Move a slider to change a domain's weight: the map and the counts recompute in the browser. "
            "At the starting positions they match the rule exactly.",
            charts.weights_explorer(rank(comparison.alt.rule, inputs.data, inputs.countries))))
    return sections


def _explorable(rule: Rule) -> bool:
    return (rule.kind == "index" and rule.categories.shares is not None
            and rule.categories.scope == "pooled" and not rule.no_downgrade_from)


def money_sections(money: MoneyComparison, data: pd.DataFrame) -> list[ReportChart]:
    base, alt_ = money.base.rule.name, money.alt.rule.name
    labels = (base, alt_) if base != alt_ else (f"{base} (base)", f"{alt_} (alternative)")
    allocations = {labels[0]: money.base.allocation, labels[1]: money.alt.allocation}
    health_file = money.summary.parameter_files["health"]
    return [
        ReportChart("allocation_per_head", "Where the money goes",
                    f"Expected allocation per resident under each rule ({money.summary.mechanism} mechanism).",
                    charts.allocation_per_head({column: per_head_by(allocations, data, column)
                                                for column in charts.PER_HEAD_TITLES})),
        ReportChart("health_by_decile", "Modelled health return",
                    f"MODELLED, not observed. {money.summary.buys_more_health}.",
                    charts.health_by_decile({labels[0]: money.base.health.breakdowns["hle_decile"],
                                             labels[1]: money.alt.health.breakdowns["hle_decile"]}, health_file)),
    ]


def money_tables(money: MoneyComparison) -> dict[str, str]:
    tables = dict(money_comparison_files(money))
    for role, simulation in (("base", money.base), ("alt", money.alt)):
        for name, text in simulation_files(simulation).items():
            if name != "summary.json":
                tables[f"{role}_{name}"] = text
    tables["money_summary.json"] = to_json(money.summary)
    return tables


def money_notice(money: MoneyComparison) -> dict:
    s = money.summary
    difference = s.difference_alt_minus_base.modelled_qalys
    return {
        "budget": f"{s.budget:,.0f}", "mechanism": s.mechanism, "draws": s.draws, "seed": s.seed,
        "health_params": s.parameter_files["health"],
        "line": f"{s.buys_more_health}; difference in QALYs {difference.median:,.0f} "
                f"(90% interval {difference.p05:,.0f} to {difference.p95:,.0f}).",
        "spending": [f"{r.rule}: allocated {pounds(r.allocated)}, {unspent_text(r)}." for r in (s.base, s.alt)],
    }


def robustness_section(robustness: Sensitivity, inputs: ReportInputs) -> ReportChart:
    name = robustness.rule.name if robustness.rule else inputs.alt.name
    return ReportChart(
        "robustness", f"How robust are the groups under {name}?",
        f"Weights drawn around the rule's own ({robustness.summary.draws:,} "
        f"draws, spread {inputs.spread:g}) and normalisation methods varied: each area's median rank "
        "and 5-95% interval.",
        charts.robustness_bands(robustness.table, name, inputs.robustness_draws))


def comparison_tables(comparison: Comparison) -> dict[str, str]:
    return {
        "comparison.csv": csv_text(comparison_frame(comparison)),
        "transitions.csv": comparison.transitions.reset_index().to_csv(index=False, lineterminator="\n"),
        "base_rank.csv": csv_text(rank_frame(comparison.base)),
        "alt_rank.csv": csv_text(rank_frame(comparison.alt)),
        "summary.json": to_json(comparison.summary),
    }


def manifest(inputs: ReportInputs, money: MoneyComparison | None = None) -> dict:
    names = {"base": inputs.base.name, "alt": inputs.alt.name}
    rules = {role: {"name": names[role], "path": display_path(Path(path)), "sha256": sha256(path)}
             for role, path in inputs.rule_paths.items()}
    parameters = {}
    if money is not None:
        parameters = {kind: {"path": path, "sha256": sha256(_parameter_path(path))}
                      for kind, path in money.summary.parameter_files.items()}
    return {
        "allocsim": __version__,
        "python": platform.python_version(),
        "packages": {name: _version(name) for name in PACKAGES},
        "vega_lite": alt.SCHEMA_VERSION,
        "inputs": {
            "dataset": {"path": datasets.display_path(inputs.data_path), "sha256": sha256(inputs.data_path)},
            "rules": rules,
            "overrides": list(inputs.overrides),
            "parameters": parameters,
        },
        "options": {"countries": inputs.countries, "focus": inputs.focus, "focus_share": inputs.focus_share,
                    "budget": None if inputs.budget is None else budget_pence(inputs.budget) / 100,
                    **{k: _json_option(v) for k, v in inputs.money_options.items()},
                    "robustness_draws": inputs.robustness_draws, "spread": inputs.spread},
        "seed": inputs.seed,
        "command": inputs.command,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def _json_option(value):
    """An option value as JSON has it: paths as text, repeated options as lists, numbers as numbers."""
    if isinstance(value, (list, tuple)):
        return [_json_option(v) for v in value]
    return str(value) if isinstance(value, Path) else value


def _parameter_path(shown: str) -> Path:
    """Parameter files are named ``rules/parameters/x.toml`` when shipped; find the real file."""
    path = Path(shown)
    return path if path.is_file() else rules_dir().parent / shown


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _version(package: str) -> str | None:
    try:
        return importlib_metadata.version(package)
    except importlib_metadata.PackageNotFoundError:
        return None


# -- HTML -----------------------------------------------------------------------------------------

_ENVIRONMENT = Environment(loader=PackageLoader("allocsim", "templates"), autoescape=select_autoescape(["j2", "html"]))


def script_json(value) -> Markup:
    """JSON safe inside a <script> element: no '<', '>' or '&' can end it or open a comment."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _split_boundaries(spec: dict) -> list[str]:
    """Take the (large) boundary topology out of a spec; the page puts it back once per chart."""
    keys = [k for k, v in spec.get("datasets", {}).items() if isinstance(v, dict) and v.get("type") == "Topology"]
    for key in keys:
        spec["datasets"][key] = None
    return keys


def render_html(comparison: Comparison, inputs: ReportInputs, sections: list[ReportChart],
                specs: dict[str, dict], files: list[str], money: dict | None) -> str:
    rendered, boundary_keys = [], {}
    for section in sections:
        spec = json.loads(json.dumps(specs[section.name]))
        boundary_keys[section.name] = _split_boundaries(spec)
        rendered.append({"name": section.name, "heading": section.heading, "caption": section.caption,
                         "spec_json": script_json(spec)})
    return _ENVIRONMENT.get_template("report.html.j2").render(
        base=comparison.base.rule, alt=comparison.alt.rule, summary=comparison.summary,
        focus_share_pct=f"{comparison.focus_share * 100:g}%", dataset=Path(inputs.data_path).name,
        charts=rendered, focus_tables=focus_tables(comparison), files=files, money=money,
        boundaries_json=script_json(load_boundaries()),
        boundary_keys_json=script_json(boundary_keys), vega_bundle=vega_bundle(),
        version=__version__, vega_lite=alt.SCHEMA_VERSION,
    )


@lru_cache(maxsize=1)
def vega_bundle() -> Markup:
    """Vega, Vega-Lite and vega-embed as one script (from vl-convert), safe to inline."""
    return Markup(vlc.javascript_bundle(vl_version=VL_VERSION).replace("</script", "<\\/script"))


def focus_tables(comparison: Comparison) -> list[dict]:
    """Focus areas that gain and lose priority, as rows of cells for the template (escaped there)."""
    table = comparison.table[comparison.table["in_focus"]].reset_index()
    columns = ["code", "name", "country", comparison.focus, "base_group", "alt_group"]
    blocks = []
    for title, mask in (("Focus areas that gain priority", table["group_change"] > 0),
                        ("Focus areas that lose priority", table["group_change"] < 0)):
        chosen = table[mask].sort_values([comparison.focus, "code"])[columns]
        rows = [[_cell(v) for v in row] for row in chosen.itertuples(index=False)]
        blocks.append({"title": f"{title} ({len(rows)})", "columns": columns, "rows": rows})
    return blocks


def _cell(value) -> dict:
    if isinstance(value, float):
        return {"text": f"{value:.1f}", "num": True}
    return {"text": str(value), "num": isinstance(value, int)}


def check_output_folder(out: Path, force: bool) -> None:
    """Refuse an existing folder unless ``force``; even then replace only an earlier report.

    ``--force`` swaps the whole folder, so it must never be a folder of the user's own files
    (nor the current folder or one that contains it).
    """
    out = Path(out)
    if not out.exists():
        return
    if not force:
        raise OutputError(f"output folder {out} already exists; use --force to replace it")
    resolved, here = out.resolve(), Path.cwd().resolve()
    if resolved == here or resolved in here.parents:
        raise OutputError(f"--out {out}: refusing to replace the current folder or one that contains it")
    if out.is_dir() and any(out.iterdir()) and not _is_report(out):
        raise OutputError(f"--out {out}: the folder is not an allocsim report, so --force will not replace it; "
                          f"choose a new folder")


def _is_report(folder: Path) -> bool:
    try:
        return "allocsim" in json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        return False


def write_report(files: dict[str, bytes], out: Path, force: bool = False) -> None:
    check_output_folder(out, force)
    with staged_dir(out, replace=True) as stage:
        for name, content in files.items():
            path = stage / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
