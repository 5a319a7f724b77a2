"""The report in a real headless Chromium with networking disabled.

Needs Debian's chromium (``apt-get install chromium``) and the playwright package (in the
``test`` extra); skipped with the reason when either is missing. With ``ALLOCSIM_SCREENSHOTS``
naming a folder, the tests save full-page screenshots of the reports there, to look at.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import SET_OVERRIDE, UNMAPPED_CODE, XSS_NAME

from allocsim.charts.explorer import NO_INDEX, ZERO_MESSAGE
from allocsim.cli import cli

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("no chromium on PATH (apt-get install chromium)")
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Page:
    """An offline page that records console errors, page errors, dialogs and outside requests."""

    def __init__(self, browser, path):
        self.context = browser.new_context(offline=True)
        self.page = self.context.new_page()
        self.errors, self.dialogs, self.requests = [], [], []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("request", lambda r: r.url.startswith("file:") or self.requests.append(r.url))
        self.page.goto(path.as_uri())
        self.page.wait_for_function(
            "Object.keys(window.allocsimViews).length + window.allocsimErrors.length"
            " >= document.querySelectorAll('[data-chart]').length", timeout=60_000)
        self.own_weights = self.page.evaluate(  # the explorer's sliders as the page loads: the rule's own weights
            "Object.fromEntries(Array.from(document.querySelectorAll('#chart-weights_explorer input[name]'))"
            ".map(e => [e.name, e.value]))")

    def close(self) -> None:
        self.context.close()

    def explorer_areas(self) -> dict[str, tuple[int, int]]:
        """(group, rank) of each area on the explorer's map of Great Britain, read from its labels."""
        labels = self.page.evaluate(
            "Array.from(document.querySelectorAll('#chart-weights_explorer path[aria-label]'))"
            ".map(e => e.getAttribute('aria-label'))")
        found = (re.search(r"\((\w+)\): priority group (\d+), rank (\d+)", label) for label in labels)
        return {m.group(1): (int(m.group(2)), int(m.group(3))) for m in found if m}

    def groups(self) -> dict[str, int]:
        return {code: group for code, (group, _) in self.explorer_areas().items()}

    def count_lines(self) -> list[str]:
        """The lines of the explorer's live counts panel."""
        return self.page.evaluate("Array.from(document.querySelectorAll("
                                  "'#chart-weights_explorer .explorer_live_counts_marks text')).map(e => e.textContent)")

    def counts(self) -> dict[str, str]:
        """The explorer's live counts, "what: value" as the page shows them."""
        return dict(line.rsplit(": ", 1) for line in self.count_lines())

    def exported_rule(self) -> str:
        return self.page.input_value("#export-weights_explorer textarea")

    def screenshot(self, name: str) -> None:
        """A full-page screenshot as ``name`` in the folder ``ALLOCSIM_SCREENSHOTS`` names (none without it:
        a long page takes seconds, and the tests read the page itself)."""
        if os.environ.get("ALLOCSIM_SCREENSHOTS"):
            folder = Path(os.environ["ALLOCSIM_SCREENSHOTS"])
            folder.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(folder / name), full_page=True)

    def move_slider(self, name: str, value: float) -> None:
        self.page.evaluate(
            "([name, value]) => { const input = document.querySelector(`input[name='${name}']`);"
            " input.value = value; input.dispatchEvent(new Event('input', {bubbles: true})); }",
            [name, str(value)])
        self.page.evaluate("window.allocsimViews.weights_explorer.runAsync().then(() => true)")


@pytest.fixture
def open_page(browser):
    """Opens a report's page (``open_page(folder)``), closed after the test."""
    opened: list[Page] = []

    def open_page(folder: Path) -> Page:
        opened.append(Page(browser, folder / "index.html"))
        return opened[-1]

    yield open_page
    for page in opened:
        page.close()


@pytest.fixture(scope="module")
def report_page(browser, report_dir) -> Page:
    """The report loaded once (a load takes seconds) for this module's tests on it."""
    page = Page(browser, report_dir / "index.html")
    yield page
    page.close()


@pytest.fixture
def explorer_page(report_page) -> Page:
    """:func:`report_page` with the explorer's sliders back at the rule's own weights, as the page loads, for a
    test that moves them."""
    for name, value in report_page.own_weights.items():
        report_page.move_slider(name, value)
    return report_page


def test_every_chart_renders_offline_without_errors(report_page):
    page = report_page
    assert page.page.evaluate("window.allocsimErrors") == []
    counts = page.page.evaluate(
        "Array.from(document.querySelectorAll('[data-chart]')).map(e => "
        "[e.dataset.chart, e.querySelectorAll('svg').length, e.querySelectorAll('svg path, svg text').length])")
    for name, svgs, marks in counts:
        assert svgs >= 1 and marks > 10, name
    assert page.errors == [] and page.requests == []


def test_moving_a_slider_changes_an_areas_group(explorer_page, report_dir):
    page = explorer_page
    before = page.groups()
    ranked = pd.read_csv(report_dir / "tables" / "alt_rank.csv", index_col="code")
    assert len(before) == len(ranked)
    assert before == ranked["group"].to_dict()  # at the rule's own weights: exactly the engine's groups
    page.move_slider("w_health", 1.0)
    after = page.groups()
    changed = [code for code in before if before[code] != after[code]]
    assert changed, "moving the health weight to 1 changed no area's group"
    assert page.errors == []


MOVED = "Areas in another group than at the rule's own weights"
GAIN = "Focus areas that gain priority against luf-2021-published"


def test_the_explorer_counts_and_exports_the_rule_it_shows(explorer_page, report_dir, tmp_path):
    """Move a slider: the live counts change, and the exported rule file is valid and ranks every
    area exactly as the page does (ties by code in both)."""
    page = explorer_page
    summary = pd.read_json(report_dir / "tables" / "summary.json", typ="series")
    assert page.counts() == {MOVED: "0", GAIN: str(summary["focus"]["gain_priority"]),
                             "Focus areas that lose priority against luf-2021-published":
                                 str(summary["focus"]["lose_priority"]),
                             "Focus areas in group 1": f"{summary['focus']['in_group1_alt']} of "
                                                       f"{summary['focus']['areas']} (70.6%)"}
    page.move_slider("w_health", 0.9)
    page.move_slider("w_transport", 0.05)
    counts = page.counts()
    assert int(counts[MOVED]) > 0 and counts[GAIN] != str(summary["focus"]["gain_priority"])

    rule = tmp_path / "explored.toml"
    rule.write_text(page.exported_rule())
    validated = CliRunner().invoke(cli, ["rules", "validate", str(rule)])
    assert validated.exit_code == 0, validated.output
    assert "valid rule 'health-inclusive-explored'" in validated.output
    assert "weight = 0.9\n" in rule.read_text() and "weight = 0.05\n" in rule.read_text()
    ranked = tmp_path / "ranked.csv"
    result = CliRunner().invoke(cli, ["rank", str(rule), "--out", str(ranked)])
    assert result.exit_code == 0, result.output
    engine = pd.read_csv(ranked, index_col="code")
    expected = {code: (int(g), int(r)) for code, g, r in zip(engine.index, engine["group"], engine["rank"])}
    assert page.explorer_areas() == expected
    assert page.errors == []


def test_all_weights_at_zero_are_refused_on_the_page(explorer_page):
    """With every slider at zero there is no index; the page once ranked by area code without a word."""
    page = explorer_page
    for slider in ("w_economy", "w_transport", "w_regeneration", "w_health"):
        page.move_slider(slider, 0)
    assert page.count_lines() == [ZERO_MESSAGE]
    fills = page.page.evaluate(
        "Array.from(document.querySelectorAll('#chart-weights_explorer path[aria-label]'))"
        ".map(e => e.getAttribute('fill'))")
    assert fills and {fill.lower() for fill in fills} == {NO_INDEX.lower()}
    assert page.exported_rule() == ""
    assert page.page.is_visible("#export-weights_explorer [data-export-refused]")
    assert page.page.get_attribute("#export-weights_explorer [data-export-download]", "aria-disabled") == "true"
    page.move_slider("w_health", 0.5)
    assert page.exported_rule().startswith('name = "health-inclusive-explored"')
    assert page.errors == []


def test_a_report_with_an_override_renders(open_page, report_set_dir):
    page = open_page(report_set_dir)
    assert page.page.evaluate("window.allocsimErrors") == [] and page.errors == []
    assert f"--set {SET_OVERRIDE}" in page.page.inner_text("#overrides")
    # the explorer starts at the overridden weights, so it shows the overridden rule's groups exactly
    ranked = pd.read_csv(report_set_dir / "tables" / "alt_rank.csv", index_col="code")
    assert page.groups() == ranked["group"].to_dict()
    page.screenshot("report_with_set.png")


def test_a_report_with_an_area_the_maps_cannot_draw_renders(open_page, report_unmapped_dir):
    page = open_page(report_unmapped_dir)
    assert page.page.evaluate("window.allocsimErrors") == [] and page.errors == []
    assert f"Nowhere on the map ({UNMAPPED_CODE})" in page.page.inner_text("#unmapped")
    texts = page.page.evaluate(
        "Array.from(document.querySelectorAll('#chart-group_maps svg text')).map(e => e.textContent)")
    assert any(f"Not drawn (no LAD 2020 boundary): Nowhere on the map ({UNMAPPED_CODE})." in t for t in texts)
    page.screenshot("report_with_unmapped_code.png")


def test_charts_use_the_page_width(report_page):
    """Charts once filled about 45% of the page's width."""
    page = report_page
    page_width = page.page.evaluate("document.querySelector('h2').getBoundingClientRect().width")
    widths = page.page.evaluate(
        "Array.from(document.querySelectorAll('[data-chart]')).map(e => "
        "[e.dataset.chart, e.querySelector('svg').getBoundingClientRect().width])")
    for name, chart in widths:
        assert 0.85 * page_width <= chart <= page_width, name


def test_injected_area_name_renders_as_text(open_page, xss_report_dir):
    page = open_page(xss_report_dir)
    assert page.dialogs == [] and page.errors == []
    assert XSS_NAME in page.page.inner_text("body")  # shown literally in the table


def test_a_chain_report_renders(open_page, report_chain_dir):
    """``allocsim report A B C``: every chart, the steps and the whole chain's, draws without errors."""
    page = open_page(report_chain_dir)
    assert page.page.evaluate("window.allocsimErrors") == [] and page.errors == [] and page.requests == []
    drawn = page.page.evaluate("Array.from(document.querySelectorAll('[data-chart]')).map(e => "
                               "[e.dataset.chart, e.querySelectorAll('svg path, svg text').length])")
    assert [name for name, _ in drawn][:3] == ["chain_focus_steps", "chain_focus_groups", "chain_health"]
    assert all(marks > 10 for _, marks in drawn), drawn
    assert "Step 1: reconstruction" in page.page.inner_text("#steps + table")
    page_width = page.page.evaluate("document.querySelector('h2').getBoundingClientRect().width")
    widths = page.page.evaluate("Array.from(document.querySelectorAll('[data-chart]')).map(e => "
                                "[e.dataset.chart, e.querySelector('svg').getBoundingClientRect().width])")
    for name, chart in widths:
        assert 0.85 * page_width <= chart <= page_width, name
    page.screenshot("report_chain.png")


@pytest.mark.parametrize("folder", ["report_money_dir", "report_actual_dir"])
def test_the_money_and_evidence_charts_render_at_the_page_width(open_page, folder, request):
    """With a budget (and with --budget actual): every chart draws without errors and fills the page."""
    page = open_page(request.getfixturevalue(folder))
    assert page.page.evaluate("window.allocsimErrors") == [] and page.errors == [] and page.requests == []
    page_width = page.page.evaluate("document.querySelector('h2').getBoundingClientRect().width")
    widths = page.page.evaluate(
        "Array.from(document.querySelectorAll('[data-chart]')).map(e => "
        "[e.dataset.chart, e.querySelector('svg').getBoundingClientRect().width])")
    assert {"winners_losers", "health_central_median", "health_one_way", "fairness"} <= {n for n, _ in widths}
    for name, chart in widths:
        assert 0.85 * page_width <= chart <= page_width, name
