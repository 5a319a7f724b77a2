"""The report's biggest movers: which focus areas, and why each moved, indicator by indicator."""

from __future__ import annotations

import pandas as pd
import pytest
from report.test_report_page import visible_text

from allocsim.comparison import compare
from allocsim.explain import explain
from allocsim.report.movers import biggest_movers, explain_movers, indicator_rows


@pytest.fixture(scope="module")
def comparison(dataset):
    return compare("luf-2021-published", "health-inclusive", dataset)


def test_the_movers_are_the_focus_areas_moving_most_each_way(comparison):
    codes = biggest_movers(comparison)
    table = comparison.table.loc[codes]
    assert table["in_focus"].all()
    assert list(table["group_change"] > 0) == [True, True, True, False, False, False]
    gains = comparison.table[comparison.table["in_focus"] & (comparison.table["group_change"] > 0)]
    assert table["group_change"].iloc[0] == gains["group_change"].max() == 2  # Telford and Wrekin: 3 -> 1
    assert codes[0] == "E06000020"
    among_one_group = table[table["group_change"].abs() == 1]
    gainers = among_one_group[among_one_group["group_change"] > 0]["rank_change"].abs().tolist()
    assert gainers == sorted(gainers, reverse=True)


def test_each_mover_is_explained_as_allocsim_explain_does(comparison, dataset):
    explained = explain_movers(comparison, dataset)
    one = explain(explained[1].code, "luf-2021-published", "health-inclusive", dataset)
    assert explained[1].reasons == one.reasons
    pd.testing.assert_frame_equal(explained[1].indicators, one.indicators)


def test_the_indicator_rows_add_up_to_the_score(comparison, dataset):
    mover = explain_movers(comparison, dataset)[0]
    rows = indicator_rows(mover)
    assert rows["columns"] == ["indicator", "domain", "value", "need under health-inclusive",
                               "weight under health-inclusive", "contribution under health-inclusive"]
    total = sum(float(r[5]) for r in rows["rows"])
    assert total == pytest.approx(mover.views[1].score, abs=1e-3)


def test_two_published_lists_have_no_movers_to_explain(dataset):
    both = compare("luf-2021-published", "luf-2021-published", dataset, labels=["a", "b"])
    assert explain_movers(both, dataset) == []


def test_the_page_explains_each_mover(report_model, report_files):
    names = [s.name for s in report_model.sections]
    assert names[names.index("focus_rank_change") + 1] == "movers"
    text = visible_text(report_files["index.html"].decode())
    mover = report_model.movers[0]
    assert f"{mover.name} ({mover.code})" in text
    assert mover.reasons[1] in text and "It rises from group 3 to group 1." in text
    assert "hle_male_2018_20 health" in text
    indicators = pd.read_csv(pd.io.common.StringIO(report_files["tables/movers_indicators.csv"].decode()))
    assert list(pd.unique(indicators["code"])) == [m.code for m in report_model.movers]
