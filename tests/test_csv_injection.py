"""CSV (formula) injection: no CSV the tool writes hands a spreadsheet a formula from the data.

Each writer runs, through the command a user types, on a dataset whose area codes, names and
regions begin with the characters OWASP lists (``=``, ``+``, ``-``, ``@``, tab, carriage return).
In every CSV every such text cell must carry a leading ``'``; numbers, negative ones included,
stay numbers; JSON keeps the raw value.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from allocsim.cli import cli
from allocsim.outputs import money_csv_text
from allocsim.safe_csv import FORMULA_STARTS, csv_text, neutralise

HOSTILE = ['=HYPERLINK("http://x","a")', "+SUM(1)", "-1+2", "@cmd", "=1+1", "-2", "+44 20 7946 0000", "@SUM(A1)"]
HOSTILE_CODES = [f"{start}Z{i}" for i, start in enumerate("=-+@" * 6)]
NUMBER = re.compile(r"-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
SEARCH_RULE = """name = "two-domains"
title = "Two domains"
description = "For tests."
sources = ["tests"]
[domains.health]
weight = 1
[domains.deprivation]
weight = 1
[[indicators]]
column = "hle_male_2018_20"
direction = "lower_is_more_need"
domain = "health"
[[indicators]]
column = "imd2019_rank"
direction = "lower_is_more_need"
domain = "deprivation"
[categories]
shares = [0.5, 0.5]
"""


def hostile_areas(path: Path) -> Path:
    """24 areas, 20 in England; hostile codes, names (but 8), regions and combined authorities."""
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["code", "name", "country", "region", "combined_authority", "population_2019",
                         "hle_male_2011_13", "hle_male_2018_20", "hle_female_2018_20", "luf_r1_category",
                         "imd2019_rank"])
        for i in range(24):
            code = HOSTILE_CODES[i]
            name = HOSTILE[i % len(HOSTILE)] if i < 16 else f"Area {i}"
            region = HOSTILE[(i + 3) % len(HOSTILE)] if i % 2 else "North"
            combined = HOSTILE[i % len(HOSTILE)] if i % 3 == 0 else ""
            writer.writerow([code, name, "Wales" if i % 6 == 5 else "England", region, combined, 1000 + 37 * i,
                             50 + (i * 7) % 13, 51 + (i * 5) % 11, 52 + (i * 3) % 10, 1 + i % 3, 1 + (i * 11) % 24])
    return path


def assert_safe(text: str, where: str) -> None:
    """No cell starts a formula; a cell starting with '-' is a number."""
    rows = list(csv.reader(io.StringIO(text)))
    for line, row in enumerate(rows, start=1):
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), f"{where} line {line}: {cell!r}"
            if cell.startswith("-"):
                assert NUMBER.fullmatch(cell), f"{where} line {line}: {cell!r} is text starting with '-'"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    """Every CSV-writing command, run once on the hostile areas: command -> what it wrote."""
    folder = tmp_path_factory.mktemp("hostile")
    data = str(hostile_areas(folder / "areas.csv"))
    (folder / "two-domains.toml").write_text(SEARCH_RULE)
    runs = {
        "rank": ["rank", "hle-only", "--out", "{out}.csv"],
        "compare": ["compare", "luf-2021-published", "hle-only", "--out", "{out}"],
        "compare_budget": ["compare", "luf-2021-published", "hle-only", "--budget", "1e6", "--draws", "50",
                           "--mechanism", "competitive", "--out", "{out}"],
        "simulate": ["simulate", "hle-only", "--budget", "1e6", "--out", "{out}"],
        "sensitivity": ["sensitivity", "hle-only", "--draws", "200", "--out", "{out}"],
        "search": ["search", str(folder / "two-domains.toml"), "--vary", "health", "--target",
                   "focus_in_group1_share>=0.5", "--out", "{out}.csv"],
    }
    written = {}
    for name, args in runs.items():
        out = folder / name
        result = CliRunner().invoke(cli, [a.format(out=out) for a in args] + ["--data", data],
                                    catch_exceptions=False)
        assert result.exit_code in (0, 1), f"{name}: {result.output}"
        written[name] = out.with_suffix(".csv") if args[-1].endswith(".csv") else out
    return written


@pytest.fixture(scope="module")
def report(tmp_path_factory, outputs) -> Path:
    """The report's folder (placeholder images) on the same areas, with money and robustness."""
    import allocsim.report.rendering as rendering

    data = outputs["rank"].parent / "areas.csv"
    out = tmp_path_factory.mktemp("hostile-report") / "report"
    drawn = rendering.chart_images
    rendering.chart_images = lambda spec: (b"<svg/>", b"\x89PNG placeholder")
    try:
        result = CliRunner().invoke(cli, ["report", "luf-2021-published", "hle-only", "--budget", "1e6",
                                          "--robustness-draws", "200", "--data", str(data), "--out", str(out)])
    finally:
        rendering.chart_images = drawn
    assert result.exit_code == 0, result.output
    return out


def csv_files(path: Path) -> list[Path]:
    return [path] if path.is_file() else sorted(path.rglob("*.csv"))


@pytest.mark.parametrize("command", ["rank", "compare", "compare_budget", "simulate", "sensitivity", "search"])
def test_every_csv_of_every_command_is_safe(outputs, command):
    files = csv_files(outputs[command])
    assert files
    for path in files:
        assert_safe(path.read_text(encoding="utf-8"), f"{command}: {path.name}")


def test_every_table_of_the_report_is_safe(report):
    files = csv_files(report / "tables")
    assert len(files) >= 15
    for path in files:
        assert_safe(path.read_text(encoding="utf-8"), f"report: {path.name}")


@pytest.mark.parametrize("command", ["rank", "compare", "simulate", "sensitivity"])
def test_hostile_names_and_codes_are_kept_as_text(outputs, command):
    path = csv_files(outputs[command])[0]
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert {"'" + code for code in HOSTILE_CODES} <= set(table["code"])
    assert {"'" + name for name in HOSTILE} <= set(table["name"])


def test_regions_are_neutralised(outputs):
    by_region = pd.read_csv(outputs["simulate"] / "health_by_region.csv", dtype=str, keep_default_na=False)
    assert {"'=1+1", "'-1+2", "'+44 20 7946 0000", "'" + HOSTILE[0], "North"} <= set(by_region["category"])


def test_negative_numbers_stay_numbers(outputs):
    ranked = pd.read_csv(outputs["rank"])
    contributions = [c for c in ranked.columns if c.startswith("contrib:")]
    assert (ranked[contributions] < 0).any().any()
    assert all(pd.api.types.is_float_dtype(ranked[c]) for c in contributions)
    money = pd.read_csv(outputs["compare_budget"] / "allocation_comparison.csv")
    compared = pd.read_csv(outputs["compare"] / "comparison.csv")
    assert (money["allocation_change"] < 0).any() and (compared["rank_change"] < 0).any()


def test_json_keeps_the_raw_values(outputs, report):
    texts = [p.read_text(encoding="utf-8") for p in outputs["compare"].glob("*.json")]
    texts += [p.read_text(encoding="utf-8") for p in (report / "tables").glob("*.json")]
    found = {value for text in texts for value in _strings(json.loads(text))}
    assert found & set(HOSTILE_CODES)
    assert not any(value.startswith("'") and value[1:] in HOSTILE + HOSTILE_CODES for value in found)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


# -- the one function every CSV goes through ----------------------------------------------------

@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_each_formula_start_gets_a_quote(start):
    assert neutralise(start + "x") == "'" + start + "x"
    assert neutralise("x" + start) == "x" + start


def test_text_columns_change_numeric_columns_do_not():
    frame = pd.DataFrame({"name": ["-1+2", "-1.5", "ok", None], "value": [-1.5, 2.0, -3.25e-5, float("nan")],
                          "count": pd.array([-1, 2, 3, None], dtype="Int64"),
                          "kind": pd.Categorical(["=a", "b", "=a", "b"]), "mixed": [-1, "@x", 2.5, "y"]})
    rows = list(csv.reader(io.StringIO(csv_text(frame))))
    assert rows[0] == ["name", "value", "count", "kind", "mixed"]
    assert [r[0] for r in rows[1:]] == ["'-1+2", "'-1.5", "ok", ""]
    assert [r[1] for r in rows[1:]] == ["-1.5", "2", "-3.25e-05", ""]
    assert [r[2] for r in rows[1:]] == ["-1", "2", "3", ""]
    assert [r[3] for r in rows[1:]] == ["'=a", "b", "'=a", "b"]
    assert [r[4] for r in rows[1:]] == ["-1", "'@x", "2.5", "y"]


def test_headers_are_neutralised_and_the_frame_is_untouched():
    frame = pd.DataFrame({"=cmd": ["+x"], "-1": [-1.0]})
    assert csv_text(frame).splitlines() == ["'=cmd,'-1", "'+x,-1"]
    assert list(frame.columns) == ["=cmd", "-1"] and frame.iloc[0, 0] == "+x"


def test_pounds_are_formatted_after_the_check_so_a_negative_amount_stays_a_number():
    frame = pd.DataFrame({"name": ["-x"], "allocation_change": [-1234.5], "allocation": [10.0]})
    assert money_csv_text(frame).splitlines() == ["name,allocation_change,allocation", "'-x,-1234.50,10.00"]


def test_no_other_module_writes_csv_or_workbooks():
    """Every CSV goes through allocsim.safe_csv.csv_text, and every workbook through
    allocsim.workbook (tested in tests/test_workbook.py). The dataset builds are the exception:
    they write the embedded datasets from the publishers' files, which allocsim reads back, so a
    quote added there would change the data."""
    package = Path(__file__).resolve().parents[1] / "allocsim"
    allowed = {package / "safe_csv.py", package / "workbook.py", package / "datasets" / "build.py",
               package / "datasets" / "deflator.py"}
    writers = re.compile(r"\.to_csv\(|\.to_excel\(|csv\.writer\(|csv\.DictWriter\(|ExcelWriter\(|openpyxl|xlsxwriter")
    found = [f"{p.relative_to(package.parent)}:{n}" for p in sorted(package.rglob("*.py")) if p not in allowed
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1) if writers.search(line)]
    assert found == []
