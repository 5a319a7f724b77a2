"""Terminal output fits the terminal, with headers in words and money in £m."""

from __future__ import annotations


def test_output_fits_the_terminal_width(run):
    for columns in (80, 120):
        result = run("compare", "luf-2021-published", "luf-2021", "health-inclusive", "--budget", "4.8e9",
                     "--draws", "20", env={"COLUMNS": str(columns)})
        assert result.exit_code == 0, result.output
        assert max(len(line) for line in result.output.splitlines()) <= columns


def test_headers_are_words_and_money_is_in_millions(run):
    result = run("compare", "luf-2021-published", "health-inclusive", "--budget", "4.8e9", "--draws", "20")
    assert "male HLE 2011-13, years" in result.output and "group before" in result.output
    headers = [line for line in result.output.splitlines() if "group before" in line]
    assert headers and all("base_group" not in h and "hle_male_2011_13" not in h for h in headers)
    assert "allocated £4,800.0m" in result.output and "£ per head" in result.output
    assert "HLE decile" in result.output and "£m before" in result.output
