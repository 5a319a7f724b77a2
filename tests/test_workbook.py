"""``--xlsx``: one workbook holding what the CSV files hold, a README sheet that defines every
column, no formula anywhere, and the same bytes for the same run."""

from __future__ import annotations

import csv
import io
import shlex
import zipfile

import pandas as pd
import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from allocsim.cli import cli
from allocsim.workbook import About, sheet_names, workbook_bytes

MAIN_JOB = ("compare", "luf-2021-published", "luf-2021", "health-inclusive", "--budget", "4.8e9")


def sheets(path) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def readme_fields(readme: list[list]) -> dict[str, str]:
    """The README sheet's fields above its column definitions: Command, Dataset, Price base, ..."""
    return {row[0]: row[1] for row in readme[:12] if row and row[0]}


def readme_definitions(readme: list[list]) -> dict[str, str]:
    start = next(i for i, row in enumerate(readme) if row[:2] == ["Column", "Definition"])
    rows = readme[start + 1:]
    return {row[0]: row[1] for row in rows[:next(i for i, r in enumerate(rows) if r[0] == "")]}


def run_module(*args):
    return CliRunner(env={"COLUMNS": "400"}).invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def main_job(tmp_path_factory):
    folder = tmp_path_factory.mktemp("xlsx")
    result = run_module(*MAIN_JOB, "--out", str(folder / "csv"), "--xlsx", str(folder / "main.xlsx"))
    assert result.exit_code == 0, result.stderr
    return folder


def test_a_sheet_per_csv_holding_the_same_table(main_job):
    book = sheets(main_job / "main.xlsx")
    csvs = sorted((main_job / "csv").glob("*.csv"))
    names = sheet_names([p.name for p in csvs])
    assert set(book) == {"README", "summary", *names.values()}
    for path in csvs:
        expected = pd.read_csv(path, keep_default_na=False, na_values=[""])
        rows = book[names[path.name]]
        assert rows[0] == list(expected.columns)
        got = pd.DataFrame(rows[1:], columns=rows[0]).replace("", float("nan"))
        for column in expected.columns:
            if pd.api.types.is_numeric_dtype(expected[column]) and expected[column].dtype != bool:
                assert got[column].astype(float).tolist() == pytest.approx(expected[column].tolist(), nan_ok=True)
            else:
                assert got[column].astype(str).tolist() == expected[column].astype(str).tolist(), column


def test_readme_names_the_run_and_defines_every_column(main_job):
    readme = sheets(main_job / "main.xlsx")["README"]
    fields = readme_fields(readme)
    assert fields["Command"].startswith("allocsim compare luf-2021-published luf-2021 health-inclusive --focus")
    assert "--budget 4.8e9" in fields["Command"] and "--out" not in fields["Command"]
    # the defaults of the money options too, as of every other: a later change of default cannot change the rerun
    assert "--budget 4.8e9 --mechanism formula --draws 1000 --seed 0 " in fields["Command"]
    assert fields["Price base"] == "2020-21 prices"
    assert fields["Dataset"] == "gb_local_authorities_2020.csv"
    definitions = readme_definitions(readme)
    undefined = [c for c, words in definitions.items() if words.startswith("see allocsim")]
    assert not undefined  # the main job's every column has a definition of its own
    assert definitions["hle_male_2011_13"].startswith("Male healthy life expectancy at birth, 2011-13")  # from the dataset's metadata
    assert "modelled" in definitions["modelled_qalys_change_p05"]
    sources = readme[next(i for i, r in enumerate(readme) if r[0] == "Dataset column") + 1:]
    assert any(r[0] == "hle_male_2011_13" and r[2] == "Office for National Statistics" for r in sources)


def test_negative_numbers_stay_numbers(main_job):
    rows = sheets(main_job / "main.xlsx")["allocation_comparison"]
    change = [r[rows[0].index("allocation_change")] for r in rows[1:]]
    assert all(isinstance(v, float) for v in change) and min(change) < 0


def test_no_cell_is_a_formula_and_risky_text_is_neutralised():
    hostile = ["=HYPERLINK(\"http://x\",\"a\")", "+SUM(1)", "-1+2", "@cmd", "\tTab", "\rCR", "plain", "'=kept"]
    files = {"t.csv": pd.DataFrame({"name": hostile, "value": range(-4, 4)}).to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC)}
    book = workbook_bytes(files, About("=title", "allocsim x", "d", None))
    with zipfile.ZipFile(io.BytesIO(book)) as parts:
        xml = "".join(parts.read(n).decode() for n in parts.namelist() if n.endswith(".xml"))
    assert "<f>" not in xml and "<f " not in xml
    rows = CalamineWorkbook.from_filelike(io.BytesIO(book)).get_sheet_by_name("t").to_python()
    names = [r[0] for r in rows[1:]]
    assert names[:6] == ["'" + h for h in hostile[:6]]
    assert names[6:] == ["plain", "'=kept"]
    assert [r[1] for r in rows[1:]] == [float(v) for v in range(-4, 4)]


def test_same_run_same_bytes(main_job, tmp_path):
    again = tmp_path / "again.xlsx"
    assert run_module(*MAIN_JOB, "--xlsx", str(again)).exit_code == 0
    assert again.read_bytes() == (main_job / "main.xlsx").read_bytes()


def test_simulate_workbook(run, tmp_path):
    result = run("simulate", "health-inclusive", "--budget", "4.8e9", "--draws", "200", "--xlsx", str(tmp_path / "s.xlsx"))
    assert result.exit_code == 0, result.stderr
    book = sheets(tmp_path / "s.xlsx")
    assert {"README", "allocation", "health_return", "health_one_way", "summary"} <= set(book)
    assert book["allocation"][0][-2:] == ["price_base", "parameters"]


def test_sheet_names_fit_excel_and_stay_unique():
    names = sheet_names(["winners_losers_by_combined_authority.csv", "winners_losers_by_combined_authority_2.csv",
                         "README.csv", "readme.csv"])
    assert all(len(n) <= 31 for n in names.values())
    assert len({n.lower() for n in names.values()}) == 4
    assert "readme" not in {n.lower() for n in names.values()}


def test_a_comparison_without_a_budget_records_no_money_option(run, tmp_path):
    """--mechanism or --draws without --budget is refused: the recorded command must rerun."""
    assert run("compare", "luf-2021", "hle-only", "--xlsx", str(tmp_path / "c.xlsx")).exit_code == 0
    command = readme_fields(sheets(tmp_path / "c.xlsx")["README"])["Command"]
    assert command.startswith("allocsim compare luf-2021 hle-only") and "--seed" not in command
    assert run(*shlex.split(command)[1:], "--out", str(tmp_path / "again")).exit_code == 0


def test_xlsx_on_a_folder_is_one_line(run, tmp_path):
    result = run("compare", "luf-2021", "hle-only", "--xlsx", str(tmp_path))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "--xlsx" in result.stderr


def test_report_workbook_holds_the_report_tables(run, tmp_path, no_maps):
    result = run("report", "luf-2021-published", "health-inclusive", "--budget", "4.8e9", "--draws", "100",
                 "--robustness-draws", "0", "--out", tmp_path / "r", "--xlsx", tmp_path / "r.xlsx")
    assert result.exit_code == 0, result.stderr
    book = sheets(tmp_path / "r.xlsx")
    tables = sorted((tmp_path / "r" / "tables").iterdir())
    assert set(book) == {"README", *sheet_names([p.name for p in tables]).values()}
    assert {"comparison", "money_summary", "summary", "alt_allocation"} <= set(book)
    readme = readme_fields(book["README"])
    assert readme["Price base"] == "2020-21 prices" and "--out" not in readme["Command"]
