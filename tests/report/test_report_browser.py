"""The report in a real headless Chromium with networking disabled.

Needs Debian's chromium (``apt-get install chromium``) and the playwright package (in the
``test`` extra); skipped with the reason when either is missing.
"""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest
from conftest import XSS_NAME

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

    def groups(self) -> dict[str, int]:
        labels = self.page.evaluate(
            "Array.from(document.querySelectorAll('#chart-weights_explorer path[aria-label]'))"
            ".map(e => e.getAttribute('aria-label'))")
        found = (re.search(r"\((\w+)\): priority group (\d+)", label) for label in labels)
        return {m.group(1): int(m.group(2)) for m in found if m}

    def move_slider(self, name: str, value: float) -> None:
        self.page.evaluate(
            "([name, value]) => { const input = document.querySelector(`input[name='${name}']`);"
            " input.value = value; input.dispatchEvent(new Event('input', {bubbles: true})); }",
            [name, str(value)])
        self.page.evaluate("window.allocsimViews.weights_explorer.runAsync().then(() => true)")


def test_every_chart_renders_offline_without_errors(browser, report_dir):
    page = Page(browser, report_dir / "index.html")
    assert page.page.evaluate("window.allocsimErrors") == []
    counts = page.page.evaluate(
        "Array.from(document.querySelectorAll('[data-chart]')).map(e => "
        "[e.dataset.chart, e.querySelectorAll('svg').length, e.querySelectorAll('svg path, svg text').length])")
    for name, svgs, marks in counts:
        assert svgs >= 1 and marks > 10, name
    assert page.errors == [] and page.requests == []


def test_moving_a_slider_changes_an_areas_group(browser, report_dir):
    page = Page(browser, report_dir / "index.html")
    before = page.groups()
    ranked = pd.read_csv(report_dir / "tables" / "alt_rank.csv", index_col="code")
    assert len(before) == len(ranked)
    assert before == ranked["group"].to_dict()  # at the rule's own weights: exactly the engine's groups
    page.move_slider("w_health", 1.0)
    after = page.groups()
    changed = [code for code in before if before[code] != after[code]]
    assert changed, "moving the health weight to 1 changed no area's group"
    assert page.errors == []


def test_injected_area_name_renders_as_text(browser, xss_report_dir):
    page = Page(browser, xss_report_dir / "index.html")
    assert page.dialogs == [] and page.errors == []
    assert XSS_NAME in page.page.inner_text("body")  # shown literally in the table
