"""``allocsim report``: the files it writes, escaping, refusing to overwrite, reproducibility."""

from __future__ import annotations

import json
import re
import shlex

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import XSS_CODE, XSS_NAME

import allocsim.report.inputs as report_inputs_module
from allocsim.cli import cli
from allocsim.cli.report import report
from allocsim.datasets import load_dataset
from allocsim.folders import LISTING
from allocsim.paths import dataset_path
from allocsim.report import ReportInputs, assemble_report, check_inputs
from allocsim.report.manifest import sha256
from allocsim.rules.load import load_rule, rule_path

CHARTS = ["hle_vs_deprivation", "focus_rank_change", "movers", "transitions", "fairness", "group_maps", "weights_explorer",
          "robustness"]


def test_report_writes_html_charts_tables_and_manifest(report_dir):
    assert (report_dir / "index.html").is_file()
    for name in CHARTS:
        assert (report_dir / "charts" / f"{name}.png").read_bytes().startswith(b"\x89PNG")
        assert b"<svg" in (report_dir / "charts" / f"{name}.svg").read_bytes()[:500]
    tables = {p.name for p in (report_dir / "tables").iterdir()}
    assert {"comparison.csv", "summary.json", "transitions.csv"} <= tables


def test_html_is_self_contained(report_files):
    html = report_files["index.html"].decode()
    assert "vegaEmbed" in html
    assert "<script src" not in html and "cdn.jsdelivr" not in html
    assert html.count('data-chart="') == len(CHARTS)


def test_manifest_records_versions_hashes_seed_and_command(report_dir, repo):
    manifest = json.loads((report_dir / "manifest.json").read_text())  # the command's, with its command line
    assert manifest["seed"] == 0
    assert manifest["command"].startswith("allocsim report luf-2021-published health-inclusive")
    # without a budget: the seed of the robustness draws, as used (0), but no money option, which would need a budget
    assert manifest["command"].endswith(" --seed 0 --robustness-draws 2000 --spread 0.2")
    assert "--mechanism" not in manifest["command"] and "--draws" not in manifest["command"]
    assert manifest["packages"]["altair"] and manifest["vega_lite"].startswith("v")
    rules = manifest["inputs"]["rules"]
    assert rules["alt"]["name"] == "health-inclusive"
    assert rules["alt"]["sha256"] == sha256(repo / "rules" / "health-inclusive.toml")
    assert len(manifest["inputs"]["dataset"]["sha256"]) == 64


def test_data_text_is_escaped_in_the_html(xss_report_dir):
    html = (xss_report_dir / "index.html").read_text()
    assert XSS_NAME not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html  # in the focus table, as text
    assert XSS_CODE in html


def test_existing_output_is_refused_without_force(report_dir):
    before = (report_dir / "index.html").read_bytes()
    result = CliRunner().invoke(cli, ["report", "luf-2021-published", "hle-only", "--out", str(report_dir)])
    assert result.exit_code == 2
    assert result.stderr == f"Error: output folder {report_dir} already exists; use --force to replace it\n"
    assert (report_dir / "index.html").read_bytes() == before


def test_the_command_and_the_model_give_the_same_files_but_for_the_images(report_files, report_dir):
    """The command's report and the model rendered on its own agree byte for byte (the manifest but
    for its timestamp and the command line): so rendering is deterministic, and the command adds
    nothing the model lacks. Images are compared against a recording in tests/test_golden.py."""
    written = {p.relative_to(report_dir).as_posix(): p.read_bytes() for p in report_dir.rglob("*")
               if p.is_file() and p.name != LISTING}
    assert sorted(report_files) == sorted(n for n in written if not n.startswith("charts/"))
    for name, content in report_files.items():
        a, b = content, written[name]
        if name == "manifest.json":
            a, b = (json.loads(x) for x in (a, b))
            for manifest in (a, b):
                manifest.pop("created"), manifest.pop("command")
        assert a == b, f"{name} differs"


def test_force_replaces_an_earlier_report(tmp_path, no_maps):
    out = tmp_path / "r"
    out.mkdir()
    (out / "manifest.json").write_text('{"allocsim": "0.0.1"}')  # a report of a version that listed no files
    (out / "tables").mkdir()
    (out / "tables" / "stale.csv").write_text("old")
    result = CliRunner().invoke(cli, ["report", "luf-2021-published", "hle-only", "--out", str(out), "--force",
                                      "--robustness-draws", "0"])
    assert result.exit_code == 0
    assert not (out / "tables" / "stale.csv").exists() and (out / "index.html").is_file()


def test_force_never_replaces_a_folder_of_other_files(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.docx").write_text("precious")
    result = CliRunner().invoke(cli, ["report", "luf-2021-published", "hle-only", "--out", str(out), "--force"])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: --out {out} already exists and holds files allocsim did not write "
                             "(thesis.docx); choose a new folder, or empty this one\n")
    assert (out / "thesis.docx").read_text() == "precious"


def test_force_never_replaces_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "manifest.json").write_text('{"allocsim": "0.0.1"}')
    result = CliRunner().invoke(cli, ["report", "luf-2021-published", "hle-only", "--out", ".", "--force"])
    assert result.exit_code == 2
    assert "refusing to replace the current folder" in result.stderr
    assert (tmp_path / "manifest.json").exists()


def test_seed_is_accepted_without_a_budget(tmp_path, no_maps):
    out = tmp_path / "seeded"
    result = CliRunner().invoke(cli, ["report", "luf-2021-published", "hle-only", "--seed", "5",
                                      "--robustness-draws", "50", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert json.loads((out / "manifest.json").read_text())["seed"] == 5


@pytest.mark.parametrize("args, message", [
    (["--spread", "5"], "--spread: must be in [0, 1) (0 holds the weights fixed), got 5"),
    (["--focus-share", "2"], "--focus-share: must be in (0, 1], got 2"),
    (["--robustness-draws", "0", "--spread", "-1"], "--spread: must be in [0, 1) (0 holds the weights fixed), got -1"),
    (["--budget", "4.8e9", "--param", "hle_column.value=region"],
     "rules/parameters/health-return.toml with --param hle_column.value=region: hle_column.value: column 'region' "
     "is not numeric; it must hold healthy life expectancy in years (40-90)"),
])
def test_a_bad_option_is_reported_before_an_existing_output_folder(report_dir, args, message):
    result = CliRunner().invoke(cli, ["report", "luf-2021-published", "hle-only", *args, "--out", str(report_dir)])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}\n"


def test_the_manifest_command_reruns_the_report_and_its_options_are_json(tmp_path, no_maps):
    """The command keeps a 0 (once dropped as if not given) and quotes what the shell would split;
    the options keep their types. With a budget the money section says what was left unspent and
    every money table names the parameter files."""
    out = tmp_path / "r"
    args = ["report", "luf-2021-published", "health-inclusive", "--countries", "England", "--budget", "8e9",
            "--mechanism", "competitive", "--draws", "20", "--seed", "3", "--param", "need_elasticity.central=2",
            "--param", 'hle_column.value="hle_male_2011_13"', "--robustness-draws", "0"]
    result = CliRunner().invoke(cli, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    rerun = shlex.split(manifest["command"])
    assert rerun[:2] == ["allocsim", "report"] and "--out" not in rerun  # the manifest is the same wherever written
    parsed = [report.make_context("report", list(a)).params for a in (args[1:], rerun[2:])]
    assert parsed[0] | {"out": None} == parsed[1] | {"out": None}
    assert manifest["options"] == {
        "countries": ["England"], "focus": "hle_male_2011_13", "focus_share": 0.3, "focus_end": "lowest", "budget": 8e9,
        "mechanism": "competitive", "draws": 20,
        "param_overrides": ["need_elasticity.central=2", 'hle_column.value="hle_male_2011_13"'],
        "robustness_draws": 0, "spread": 0.2}
    html = (out / "index.html").read_text()
    for rule in ("luf-2021-published", "health-inclusive"):
        assert re.search(rf"<li>{rule}: allocated £[\d,.]+m, unspent £[\d,.]+m \(mean over draws\); 20 of 20 draws "
                         r"left money unspent, max £[\d,.]+m\.</li>", html), rule
    named = ("rules/parameters/health-return.toml and rules/parameters/allocation.toml, with --param "
             'need_elasticity.central=2 --param hle_column.value="hle_male_2011_13"')
    money_tables = [p for p in (out / "tables").glob("*.csv")
                    if p.name.startswith(("base_", "alt_", "allocation_", "health_")) and "_rank" not in p.name]
    assert len(money_tables) == 19  # per rule: allocation, health_return, five breakdowns, one-way; three comparisons
    for path in money_tables:
        assert set(pd.read_csv(path)["parameters"]) == {named}, path.name


def test_what_check_inputs_works_out_is_not_worked_out_again(monkeypatch, no_maps):
    """The comparison and the money settings (both parameter files read) were once computed
    twice: by check_inputs and again by assemble_report."""
    names = {"base": "luf-2021-published", "alt": "hle-only"}
    inputs = ReportInputs(base=load_rule(names["base"]), alt=load_rule(names["alt"]), data=load_dataset(),
                          data_path=dataset_path(), rule_paths={r: rule_path(n) for r, n in names.items()},
                          budget="1e9", money_options={"draws": 5}, robustness_draws=0)
    checked = check_inputs(inputs)
    assert checked.comparison.alt.rule.name == "hle-only"
    assert (checked.money_settings.budget_pence, checked.money_settings.draws) == (100_000_000_000, 5)

    def again(*args, **kwargs):
        raise AssertionError("worked out again")

    for name in ("compare", "money_for", "check_money_data"):
        monkeypatch.setattr(report_inputs_module, name, again)
    files = assemble_report(inputs, checked)
    assert json.loads(files["tables/money_summary.json"])["draws"] == 5
    assert json.loads(files["manifest.json"])["inputs"]["dataset"]["path"] == "datasets/gb_local_authorities_2020.csv"


@pytest.mark.parametrize("model", ["report_model", "report_money_model", "report_chain_model", "report_actual_model"])
def test_every_charts_spec_is_valid_vega_lite(model, request):
    """The report draws its specs without validating them (for speed): here every one is validated."""
    from allocsim.charts.spec import chart_spec

    for section in request.getfixturevalue(model).sections:
        assert chart_spec(section.chart, validate=True)["$schema"].startswith("https://vega.github.io/schema/")


def test_a_table_without_deprivation_makes_a_report_without_that_chart(tmp_path, no_maps, dataset):
    """A --data table with no imd2019_rank ended the report in a KeyError; compare and simulate took it."""
    data = tmp_path / "no-imd.csv"
    dataset.drop(columns=["imd2019_rank"]).reset_index().to_csv(data, index=False)
    out = tmp_path / "report"
    result = CliRunner().invoke(cli, ["report", "luf-2021-published", "hle-only", "--data", str(data),
                                      "--robustness-draws", "20", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    page = (out / "index.html").read_text()
    assert "Moves between groups" in page and "Health and deprivation" not in page
