"""What the report's page tells its reader: overrides, effective weights, areas the maps cannot draw."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from conftest import SET_OVERRIDE, UNMAPPED_CODE


def visible_text(page: str) -> str:
    """The page's text as a reader sees it: no scripts (chart specs, data), no tags, spaces collapsed."""
    page = re.sub(r"<script\b.*?</script>", " ", page, flags=re.S)
    page = re.sub(r"<style\b.*?</style>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html_lib.unescape(page))


def test_an_override_is_named_on_the_page_with_the_weights_it_gives(report_set_dir):
    """Bug: ``report --set domains.health.weight=0.5`` wrote a page that never mentioned it, and the
    rule's text still said health takes 30% while it took 41.7%."""
    text = visible_text((report_set_dir / "index.html").read_text())
    assert f"--set {SET_OVERRIDE}" in text
    assert text.count(f"--set {SET_OVERRIDE}") >= 2  # at the top and with the rule it changed
    # the effective weights of the rule as run: health 0.5 / (0.35 + 0.175 + 0.175 + 0.5)
    assert re.search(r"Effective weights of health-inclusive .*? health 41\.7% ", text)
    assert re.search(r"hle_male_2018_20 health 41\.7% 35\.0% 14\.6% ", text)
    assert re.search(r"gva_per_hour economy 29\.2% 33\.3% 9\.7% ", text)


def test_every_rule_has_an_effective_weights_table(report_files):
    text = visible_text(report_files["index.html"].decode())
    assert "Overrides" not in text and "--set" not in text.replace("'--set domains", "")  # none given
    assert re.search(r"Effective weights of health-inclusive .*? health 30\.0% ", text)
    assert re.search(r"hle_male_2018_20 health 30\.0% 35\.0% 10\.5% ", text)
    assert "luf-2021-published has no weights: it reads each area's group from column luf_r1_category" in text


def test_the_maps_name_the_areas_they_cannot_draw(report_unmapped_model, report_unmapped_dir):
    """Bug: a --data row with a code that has no boundary vanished from the maps without a word."""
    maps = next(s for s in report_unmapped_model.sections if s.name == "group_maps")
    assert UNMAPPED_CODE in maps.caption and "Nowhere on the map" in maps.caption
    subtitle = " ".join(maps.chart.title.to_dict()["subtitle"])  # the title alone: the maps are drawn in the page
    assert f"Not drawn (no LAD 2020 boundary): Nowhere on the map ({UNMAPPED_CODE})" in subtitle
    text = visible_text((report_unmapped_dir / "index.html").read_text())
    assert re.search(rf"1 area has no boundary on the maps: Nowhere on the map \({UNMAPPED_CODE}\)", text)


def test_a_report_whose_areas_all_have_boundaries_says_nothing_of_it(report_model, report_files):
    maps = next(s for s in report_model.sections if s.name == "group_maps")
    assert "no LAD 2020 boundary" not in str(maps.chart.title.to_dict())
    assert "no boundary" not in visible_text(report_files["index.html"].decode())


def test_a_name_the_page_reads_that_its_context_lacks_fails_the_build():
    """The summary card read fields that had moved (summary.focus.areas_without_value): rendered as nothing,
    the card lost its words without a sign. The page's templates now refuse an undefined name."""
    from jinja2 import UndefinedError

    from allocsim.report.html import _ENVIRONMENT

    with pytest.raises(UndefinedError):
        _ENVIRONMENT.from_string("{{ summary.focus.gone }}").render(summary={"focus": {}})
