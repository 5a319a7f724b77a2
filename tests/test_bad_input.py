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
OUT_CSV = ["--out", "{out}.csv"]  # every case of a command that writes asks it to write here

# (case id, file to write as {data} or None, command with {data}/{out} placeholders, culprit named in the message)
DATA_CASES = [
    ("data-missing", None, ["rank", "hle-only", "--data", "{tmp}/absent.csv", *OUT_CSV], "absent.csv"),
    ("data-empty", b"", ["rank", "hle-only", "--data", "{data}", *OUT_CSV], "is empty"),
    ("data-not-utf8", b"code,name\nA1,Caf\xe9\n", ["data", "describe", "--data", "{data}"], "not UTF-8"),
    ("data-duplicate-code", HEADER + GOOD_ROWS + "A1,Again,England,10,60\n",
     ["rank", "hle-only", "--data", "{data}", *OUT_CSV],
     "duplicate code 'A1'"),
    ("data-text-in-numeric", HEADER + "A1,Alpha,England,1000,sixty\n",
     ["rank", "hle-only", "--data", "{data}", *OUT_CSV],
     "'sixty' is not a number"),
    ("data-hle-out-of-range", HEADER + "A1,Alpha,England,1000,160\n",
     ["rank", "hle-only", "--data", "{data}", *OUT_CSV],
     "column 'hle_male_2018_20': 160 is outside 40-90"),
    ("data-share-out-of-range", "code,name,country,unemployment_rate\nA1,Alpha,England,140\n",
     ["data", "describe", "--data", "{data}"],
     "column 'unemployment_rate': 140 is outside 0-100"),
    ("data-population-zero", HEADER + "A1,Alpha,England,0,60\n", ["rank", "hle-only", "--data", "{data}", *OUT_CSV],
     "column 'population_2019': 0"),
    ("data-ragged-row", HEADER + "A1,Alpha,England,1000,60,extra\n", ["rank", "hle-only", "--data", "{data}", *OUT_CSV],
     "line 2 has 6 fields"),
    ("data-no-name-column", "code,hle_male_2018_20\nA1,60\n", ["rank", "hle-only", "--data", "{data}", *OUT_CSV],
     "column 'name': required column is missing"),
    ("data-header-only", HEADER, ["rank", "hle-only", "--data", "{data}", *OUT_CSV], "no rows"),
    ("data-duplicate-header", "code,name,name\nA1,a,b\n", ["data", "describe", "--data", "{data}"],
     "column 'name' appears more than once"),
    ("data-folder", None, ["data", "describe", "--data", "{tmp}"], "is a folder"),
    ("data-unknown-area", None, ["data", "show", "Atlantis"], "unknown area 'Atlantis'"),
    ("data-rule-column-absent", HEADER + GOOD_ROWS, ["rank", "lu-need-2022", "--data", "{data}", *OUT_CSV],
     "'nvq3_plus_share' is not a column of the dataset"),
    ("data-infinite-number", "code,name,country,gva_per_hour\nA1,Alpha,England,1e400\nB2,Beta,Wales,30\n",
     ["data", "describe", "--data", "{data}"], "'1e400' is not a finite number"),
    ("data-area-without-any-value", HLE_HEADER + HLE_ROWS + "D4,Delta,England,,\n",
     ["rank", "hle-only", "--set", 'missing="reweight"', "--data", "{data}", *OUT_CSV],
     "area D4 has no value for any of the rule's indicators"),
    ("data-country-values-unknown", HLE_HEADER + "A1,Alpha,england,60,61\n",
     ["rank", "hle-only", "--data", "{data}", *OUT_CSV], "'england'"),
]

CLI_CASES = [
    ("rule-unknown-name", ["rank", "hle-onyl", *OUT_CSV], "rule 'hle-onyl' not found"),
    ("rule-file-missing", ["rank", "{tmp}/nope.toml", *OUT_CSV], "rule file not found"),
    ("set-bad-value", ["rank", "hle-only", "--set", "normalisation=robust", *OUT_CSV],
     "normalisation: must be"),
    ("set-unknown-field", ["rank", "hle-only", "--set", "normalisaton=rank", *OUT_CSV], "normalisaton: unknown key"),
    ("set-without-equals", ["rank", "hle-only", "--set", "normalisation", *OUT_CSV],
     "--set normalisation: expected FIELD=VALUE"),
    ("set-negative-weight", ["compare", "luf-2021-published", "health-inclusive", "--set", "domains.health.weight=-1",
                             "--out", "{out}"], "domains.health.weight: must be greater than or equal to 0"),
    ("countries-unknown", ["rank", "hle-only", "--countries", "Ireland", *OUT_CSV], "unknown country 'Ireland'"),
    ("countries-empty", ["rank", "hle-only", "--countries", "", *OUT_CSV], "--countries: give at least one of"),
    ("set-rule-table-to-a-value", ["rank", "hle-only", "--set", "categories=3", *OUT_CSV],
     "categories: must be a table of fields (set one as categories.FIELD), not a single value (got 3)"),
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
                             "focus_in_group1_share=>0.5", *OUT_CSV], "unknown operator '=>'"),
    ("search-unknown-domain", ["search", "health-inclusive", "--vary", "healthh", "--target",
                               "focus_in_group1_share>=0.5", *OUT_CSV], "unknown domain 'healthh'"),
    ("search-target-out-of-range", ["search", "health-inclusive", "--vary", "health", "--target",
                                    "focus_in_group1_share>=1.5", *OUT_CSV],
     "focus_in_group1_share lies from 0 to 1, so 1.5 is out of range"),
    ("sensitivity-no-normalisation", ["sensitivity", "hle-only", "--normalisations", "", "--out", "{out}"],
     "--normalisations: give at least one method"),
    ("report-output-exists", ["report", "luf-2021-published", "hle-only", "--out", "{tmp}"], "already exists"),
    ("unknown-command", ["frobnicate"], "No such command 'frobnicate'"),
    ("set-into-a-value", ["rank", "health-inclusive", "--set", "domains.health.weight.x=1", *OUT_CSV],
     "'domains.health.weight' is a value, not a table"),
    ("set-overflowing-weight", ["rank", "health-inclusive", "--set", "domains.health.weight=1e308", *OUT_CSV],
     "domains.health.weight: must be less than or equal to 1000000"),
    ("set-nan-threshold", ["rank", "hle-only", "--set", "categories={{thresholds=[nan]}}", *OUT_CSV],
     "categories.thresholds[0]"),
    ("countries-outside-the-rule", ["rank", "imd-2019", "--countries", "Wales", *OUT_CSV], "covers only England"),
    ("top-negative", ["rank", "hle-only", "--top", "-3", *OUT_CSV], "--top"),
    ("out-under-a-file", ["rank", "hle-only", "--out", "{tmp}/file.txt/ranked.csv"], "is not a folder"),
    ("report-force-on-other-files", ["report", "luf-2021-published", "hle-only", "--out", "{tmp}", "--force"],
     "holds files allocsim did not write (keep.txt)"),
    ("missing-argument", ["compare", "luf-2021-published", "--out", "{out}"], "Missing argument 'ALT'"),
]

RULE_FILE_CASES = [(f"rule-file-{p.stem}", p.stem) for p in sorted(INVALID.glob("*.toml"))]


WRITING_COMMANDS = {"rank", "compare", "simulate", "report", "sensitivity", "search"}  # those with --out


def _run(args: list[str], tmp_path: Path, data: Path | None):
    """Run the case; return its result and what it left in ``tmp_path`` that was not there before."""
    out = tmp_path / "out"
    filled = [a.format(tmp=tmp_path, out=out, data=data) for a in args]
    before = _tree(tmp_path)
    result = CliRunner().invoke(cli, filled, catch_exceptions=False)
    return result, sorted(_tree(tmp_path) - before)


def _tree(folder: Path) -> set[Path]:
    return set(folder.rglob("*"))


def _assert_one_clean_error(result, culprit: str, leftovers: list[Path]) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert culprit in lines[0]
    assert "Traceback" not in result.output
    assert leftovers == [], f"left behind: {leftovers}"


@pytest.mark.parametrize(("case", "content", "args", "culprit"), DATA_CASES, ids=[c[0] for c in DATA_CASES])
def test_bad_data(case, content, args, culprit, tmp_path):
    data = None
    if content is not None:
        data = tmp_path / "areas.csv"
        data.write_bytes(content if isinstance(content, bytes) else content.encode())
    result, leftovers = _run(args, tmp_path, data)
    _assert_one_clean_error(result, culprit, leftovers)


@pytest.mark.parametrize(("case", "args", "culprit"), CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_bad_option(case, args, culprit, tmp_path):
    if case in {"report-output-exists", "report-force-on-other-files"}:
        (tmp_path / "keep.txt").write_text("mine")
    if case == "out-under-a-file":
        (tmp_path / "file.txt").write_text("a file, not a folder")
    result, leftovers = _run(args, tmp_path, None)
    _assert_one_clean_error(result, culprit, leftovers)
    if case in {"report-output-exists", "report-force-on-other-files"}:
        assert (tmp_path / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize(("case", "name"), RULE_FILE_CASES, ids=[c[0] for c in RULE_FILE_CASES])
def test_bad_rule_file(case, name, tmp_path):
    path = INVALID / f"{name}.toml"
    result, leftovers = _run(["rank", str(path), "--out", "{out}.csv"], tmp_path, None)
    _assert_one_clean_error(result, str(path), leftovers)


@pytest.mark.parametrize(("case", "args"), [(c[0], c[2]) for c in DATA_CASES] + [(c[0], c[1]) for c in CLI_CASES])
def test_every_case_that_could_write_is_given_a_place_to_write(case, args):
    """Otherwise "nothing left behind" would look at an empty folder and could never fail."""
    if args[0] in WRITING_COMMANDS:
        assert "--out" in args, case
        assert args[args.index("--out") + 1].startswith(("{out}", "{tmp}")), case


def test_a_written_output_would_be_caught(tmp_path):
    """The check itself can fail: a successful run's output shows up as left behind."""
    result, leftovers = _run(["rank", "hle-only", *OUT_CSV], tmp_path, None)
    assert result.exit_code == 0 and leftovers == [tmp_path / "out.csv"]


def test_the_corpus_has_at_least_forty_distinct_cases():
    cases = [c[0] for c in DATA_CASES] + [c[0] for c in CLI_CASES] + [c[0] for c in RULE_FILE_CASES]
    assert len(set(cases)) == len(cases) >= 40
