"""Every kind of bad input, through the CLI as a user meets it.

Each case must end with exit status 2, exactly one ``Error: ...`` line on stderr that names the
culprit (file, field, option or value), no traceback, nothing on stdout, and nothing left where
the command was asked to write.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from allocsim.cli import cli

INVALID = Path(__file__).parent / "rules" / "invalid"
GOOD_ROWS = "A1,Alpha,England,1000,60.5\nB2,Beta,England,2000,58.0\nC3,Gamma,Wales,3000,62.0\n"
HEADER = "code,name,country,population_2019,hle_male_2018_20\n"
HLE_HEADER = "code,name,country,hle_male_2018_20,hle_female_2018_20\n"
HLE_ROWS = "A1,Alpha,England,60.5,62\nB2,Beta,England,58,61\nC3,Gamma,Wales,62,63\n"

# (case id, file to write as {data} or None, command with {data}/{out} placeholders, culprit named in the message)
DATA_CASES = [
    ("data-missing", None, ["rank", "hle-only", "--data", "{tmp}/absent.csv"], "absent.csv"),
    ("data-empty", b"", ["rank", "hle-only", "--data", "{data}"], "is empty"),
    ("data-not-utf8", b"code,name\nA1,Caf\xe9\n", ["data", "describe", "--data", "{data}"], "not UTF-8"),
    ("data-duplicate-code", HEADER + GOOD_ROWS + "A1,Again,England,10,60\n", ["rank", "hle-only", "--data", "{data}"],
     "duplicate code 'A1'"),
    ("data-text-in-numeric", HEADER + "A1,Alpha,England,1000,sixty\n", ["rank", "hle-only", "--data", "{data}"],
     "'sixty' is not a number"),
    ("data-hle-out-of-range", HEADER + "A1,Alpha,England,1000,160\n", ["rank", "hle-only", "--data", "{data}"],
     "column 'hle_male_2018_20': 160 is outside 40-90"),
    ("data-share-out-of-range", "code,name,unemployment_rate\nA1,Alpha,140\n", ["data", "describe", "--data", "{data}"],
     "column 'unemployment_rate': 140 is outside 0-100"),
    ("data-population-zero", HEADER + "A1,Alpha,England,0,60\n", ["rank", "hle-only", "--data", "{data}"],
     "column 'population_2019': 0"),
    ("data-ragged-row", HEADER + "A1,Alpha,England,1000,60,extra\n", ["rank", "hle-only", "--data", "{data}"],
     "line 2 has 6 fields"),
    ("data-no-name-column", "code,hle_male_2018_20\nA1,60\n", ["rank", "hle-only", "--data", "{data}"],
     "column 'name': required column is missing"),
    ("data-header-only", HEADER, ["rank", "hle-only", "--data", "{data}"], "no rows"),
    ("data-duplicate-header", "code,name,name\nA1,a,b\n", ["data", "describe", "--data", "{data}"],
     "column 'name' appears more than once"),
    ("data-folder", None, ["data", "describe", "--data", "{tmp}"], "is a folder"),
    ("data-unknown-area", None, ["data", "show", "Atlantis"], "unknown area 'Atlantis'"),
    ("data-rule-column-absent", HEADER + GOOD_ROWS, ["rank", "lu-need-2022", "--data", "{data}"],
     "'nvq3_plus_share' is not a column of the dataset"),
    ("data-infinite-number", "code,name,gva_per_hour\nA1,Alpha,1e400\nB2,Beta,30\n",
     ["data", "describe", "--data", "{data}"], "'1e400' is not a finite number"),
    ("data-area-without-any-value", HLE_HEADER + HLE_ROWS + "D4,Delta,England,,\n",
     ["rank", "hle-only", "--set", 'missing="reweight"', "--data", "{data}", "--out", "{out}.csv"],
     "area D4 has no value for any of the rule's indicators"),
    ("data-country-values-unknown", HLE_HEADER + "A1,Alpha,england,60,61\n",
     ["rank", "hle-only", "--data", "{data}"], "its 'country' column holds 'england'"),
]

CLI_CASES = [
    ("rule-unknown-name", ["rank", "hle-onyl", "--out", "{out}.csv"], "rule 'hle-onyl' not found"),
    ("rule-file-missing", ["rank", "{tmp}/nope.toml"], "rule file not found"),
    ("set-bad-value", ["rank", "hle-only", "--set", "normalisation=robust", "--out", "{out}.csv"],
     "normalisation: must be"),
    ("set-unknown-field", ["rank", "hle-only", "--set", "normalisaton=rank"], "normalisaton: unknown key"),
    ("set-without-equals", ["rank", "hle-only", "--set", "normalisation"], "--set normalisation: expected FIELD=VALUE"),
    ("set-negative-weight", ["compare", "luf-2021-published", "health-inclusive", "--set", "domains.health.weight=-1",
                             "--out", "{out}"], "domains.health.weight: must be greater than or equal to 0"),
    ("countries-unknown", ["rank", "hle-only", "--countries", "Ireland"], "unknown country 'Ireland'"),
    ("focus-unknown-column", ["compare", "luf-2021-published", "hle-only", "--focus", "hle", "--out", "{out}"],
     "--focus: 'hle' is not a column"),
    ("focus-share-zero", ["compare", "luf-2021-published", "hle-only", "--focus-share", "0", "--out", "{out}"],
     "--focus-share: must be in (0, 1], got 0"),
    ("compare-different-areas", ["compare", "luf-2021-published", "imd-2019", "--out", "{out}"],
     "cover different areas"),
    ("check-unknown-reference", ["rules", "check", "luf-2021", "--against", "luf-2022"], "rule 'luf-2022' not found"),
    ("budget-zero", ["simulate", "hle-only", "--budget", "0", "--out", "{out}"], "--budget"),
    ("budget-negative", ["simulate", "hle-only", "--budget", "-5e6", "--out", "{out}"], "--budget"),
    ("budget-not-a-number", ["simulate", "hle-only", "--budget", "lots", "--out", "{out}"], "lots"),
    ("budget-missing", ["simulate", "hle-only", "--out", "{out}"], "Missing option '--budget'"),
    ("mechanism-unknown", ["simulate", "hle-only", "--budget", "1e9", "--mechanism", "lottery", "--out", "{out}"],
     "'lottery' is not one of 'formula', 'competitive'"),
    ("draws-zero", ["simulate", "hle-only", "--budget", "1e9", "--mechanism", "competitive", "--draws", "0",
                    "--out", "{out}"], "--draws"),
    ("param-outside-its-range", ["simulate", "hle-only", "--budget", "1e9", "--param", "cost_per_qaly.central=99999",
                                 "--out", "{out}"], "cost_per_qaly.central: must lie within low..high"),
    ("param-unknown", ["simulate", "hle-only", "--budget", "1e9", "--param", "cost_per_qualy.central=1",
                       "--out", "{out}"], "cost_per_qualy"),
    ("health-params-missing", ["simulate", "hle-only", "--budget", "1e9", "--health-params", "{tmp}/none.toml",
                               "--out", "{out}"], "parameter file not found"),
    ("money-option-without-budget", ["compare", "luf-2021-published", "hle-only", "--mechanism", "competitive",
                                     "--out", "{out}"], "--budget"),
    ("sensitivity-draws-zero", ["sensitivity", "hle-only", "--draws", "0", "--out", "{out}"], "--draws"),
    ("sensitivity-spread-too-big", ["sensitivity", "hle-only", "--spread", "1.5", "--out", "{out}"],
     "--spread: must be in [0, 1)"),
    ("sensitivity-published-rule", ["sensitivity", "luf-2021-published", "--draws", "10", "--out", "{out}"],
     "needs an index rule"),
    ("sensitivity-unknown-normalisation", ["sensitivity", "hle-only", "--normalisations", "bogus", "--out", "{out}"],
     "unknown method 'bogus'"),
    ("search-bad-operator", ["search", "health-inclusive", "--vary", "health", "--target",
                             "focus_in_group1_share=>0.5", "--out", "{out}.csv"], "unknown operator '=>'"),
    ("search-unknown-domain", ["search", "health-inclusive", "--vary", "healthh", "--target",
                               "focus_in_group1_share>=0.5", "--out", "{out}.csv"], "unknown domain 'healthh'"),
    ("search-unreachable-target", ["search", "health-inclusive", "--vary", "health", "--target",
                                   "focus_in_group1_share>=0.99", "--out", "{out}.csv"], "focus_in_group1_share"),
    ("report-output-exists", ["report", "luf-2021-published", "hle-only", "--out", "{tmp}"], "already exists"),
    ("unknown-command", ["frobnicate"], "No such command 'frobnicate'"),
    ("set-into-a-value", ["rank", "health-inclusive", "--set", "domains.health.weight.x=1"],
     "'domains.health.weight' is a value, not a table"),
    ("set-overflowing-weight", ["rank", "health-inclusive", "--set", "domains.health.weight=1e308"],
     "domains.health.weight: must be less than or equal to 1000000"),
    ("set-nan-threshold", ["rank", "hle-only", "--set", "categories={{thresholds=[nan]}}"],
     "categories.thresholds[0]"),
    ("countries-outside-the-rule", ["rank", "imd-2019", "--countries", "Wales"], "covers only England"),
    ("top-negative", ["rank", "hle-only", "--top", "-3"], "--top"),
    ("out-under-a-file", ["rank", "hle-only", "--out", "{tmp}/file.txt/ranked.csv"], "is not a folder"),
    ("report-force-on-other-files", ["report", "luf-2021-published", "hle-only", "--out", "{tmp}", "--force"],
     "not an allocsim report"),
    ("missing-argument", ["compare", "luf-2021-published"], "Missing argument 'ALT'"),
]

RULE_FILE_CASES = [(f"rule-file-{p.stem}", p.stem) for p in sorted(INVALID.glob("*.toml"))]


def _run(args: list[str], tmp_path: Path, data: Path | None):
    out = tmp_path / "out"
    filled = [a.format(tmp=tmp_path, out=out, data=data) for a in args]
    return CliRunner().invoke(cli, filled, catch_exceptions=False), out


def _assert_one_clean_error(result, culprit: str, out: Path) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert culprit in lines[0]
    assert "Traceback" not in result.output
    leftovers = [p for p in out.parent.iterdir() if p.name.startswith(("out", ".out"))]
    assert leftovers == [], f"left behind: {leftovers}"


@pytest.mark.parametrize(("case", "content", "args", "culprit"), DATA_CASES, ids=[c[0] for c in DATA_CASES])
def test_bad_data(case, content, args, culprit, tmp_path):
    data = None
    if content is not None:
        data = tmp_path / "areas.csv"
        data.write_bytes(content if isinstance(content, bytes) else content.encode())
    result, out = _run(args, tmp_path, data)
    _assert_one_clean_error(result, culprit, out)


@pytest.mark.parametrize(("case", "args", "culprit"), CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_bad_option(case, args, culprit, tmp_path):
    if case in {"report-output-exists", "report-force-on-other-files"}:
        (tmp_path / "keep.txt").write_text("mine")
    if case == "out-under-a-file":
        (tmp_path / "file.txt").write_text("a file, not a folder")
    result, out = _run(args, tmp_path, None)
    _assert_one_clean_error(result, culprit, out)
    if case in {"report-output-exists", "report-force-on-other-files"}:
        assert (tmp_path / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize(("case", "name"), RULE_FILE_CASES, ids=[c[0] for c in RULE_FILE_CASES])
def test_bad_rule_file(case, name, tmp_path):
    path = INVALID / f"{name}.toml"
    result, out = _run(["rank", str(path), "--out", "{out}.csv"], tmp_path, None)
    _assert_one_clean_error(result, str(path), out)


def test_the_corpus_has_at_least_forty_distinct_cases():
    cases = [c[0] for c in DATA_CASES] + [c[0] for c in CLI_CASES] + [c[0] for c in RULE_FILE_CASES]
    assert len(set(cases)) == len(cases) >= 40
