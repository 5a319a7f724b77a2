"""``allocsim awards --out``: the money awarded, per area and by view, each file saying its price base."""

import json

import pandas as pd
import pytest
from toys import strict_json


def test_awards_writes_each_amount_under_the_price_base_it_is_in(run, tmp_path, dataset):
    from allocsim.reality.actual import actual_awards

    out = tmp_path / "awards"
    result = run("awards", "--draws", "20", "--out", out)
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    price_base = summary["price_base"]
    awards = pd.read_csv(out / "awards.csv")
    # the cash as announced adds pounds of two years, so one price base cannot cover the row (it read "2020-21
    # prices" beside a cash column)
    assert "cash_total" not in awards
    assert set(awards["price_base"]) == {f"{price_base}, but cash_total_as_announced: cash as announced "
                                         "(round 1 2021-22 and round 2 2022-23), added"}
    rounds = actual_awards(dataset).rounds
    assert awards["cash_total_as_announced"].sum() == pytest.approx(sum(r.cash_gbp for r in rounds))
    assert awards["total"].sum() == pytest.approx(sum(r.in_price_base_gbp for r in rounds)) == summary["budget"]
    nation = pd.read_csv(out / "actual_by_nation.csv")
    assert set(nation["price_base"]) == {price_base}
    assert nation["money"].sum() == pytest.approx(awards["total"].sum())


@pytest.mark.filterwarnings("error::RuntimeWarning")  # pytest would take numpy's warnings before stderr showed them
def test_awards_on_a_few_areas_writes_json_and_names_what_is_undefined(run, tmp_path, dataset):
    """On two areas the five reliability bins had three empty ones: numpy warned on stderr, the text read
    "predicted nan", and summary.json held bare NaN, which JSON readers refuse."""
    data = tmp_path / "two.csv"
    dataset[dataset["luf_r1_award_gbp"] > 0].head(2).reset_index().to_csv(data, index=False)
    out = tmp_path / "awards"
    result = run("awards", "--draws", "20", "--data", data, "--out", out)
    assert result.exit_code == 0, result.output
    assert "nan" not in result.stdout
    assert "Reliability (areas in two bins of predicted chance)" in result.stdout
    assert "AUC not defined for these areas" in result.stdout  # both got money: nothing to rank them against
    summary = strict_json((out / "summary.json").read_text())
    assert [r["areas"] for r in summary["reliability"]] == [1, 1] and summary["auc"] is None
