"""Applying rules to data: toy cases, policies, and hypothesis properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from toys import make_toy_data, make_toy_rule, rule_with_categories

from allocsim.engine.cut import group_sizes
from allocsim.errors import DataError, RuleError
from allocsim.ranking import rank
from allocsim.rules.load import validate_rule

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_scores_are_weighted_z_scores(toy_data, toy_rule):
    result = rank(toy_rule, toy_data)
    z = lambda s: (s - s.mean()) / s.std(ddof=0)  # noqa: E731
    expected = 2 / 3 * z(-toy_data["gva_per_hour"]) + 1 / 3 * z(toy_data["unemployment_rate"])
    np.testing.assert_allclose(result.table["score"], expected)
    np.testing.assert_allclose(result.contributions().sum(axis=1), result.table["score"])


def test_ranks_and_groups(toy_data, toy_rule):
    table = rank(toy_rule, toy_data).table
    assert sorted(table["rank"]) == list(range(1, 13))
    assert table["group"].value_counts().sort_index().tolist() == [3, 3, 6]
    top = table.sort_values("rank")
    assert top["group"].is_monotonic_increasing


def test_per_country_normalisation_centres_each_country(toy_data):
    result = rank(make_toy_rule(normalisation_scope="per_country"), toy_data)
    means = result.table.groupby("country")["score"].mean()
    np.testing.assert_allclose(means, 0, atol=1e-12)


def test_per_country_categories_split_each_country(toy_data):
    rule = make_toy_rule(categories={"shares": [0.5, 0.5], "scope": "per_country"})
    counts = rank(rule, toy_data).table.groupby(["country", "group"]).size()
    assert set(counts) == {2}


def test_thresholds(toy_data):
    table = rank(make_toy_rule(categories={"thresholds": [0.5, 0.0]}), toy_data).table
    expected = np.where(table["score"] >= 0.5, 1, np.where(table["score"] >= 0.0, 2, 3))
    assert table["group"].tolist() == expected.tolist()


def test_countries_option_narrows_the_areas(toy_data, toy_rule):
    assert set(rank(toy_rule, toy_data, ["Wales"]).table["country"]) == {"Wales"}


@pytest.mark.parametrize(("country", "described"), [
    (None, "no value"), ("", "an empty country"), ("  ", "an empty country"), ("france", "'france'")])
def test_an_area_without_a_known_country_is_refused_not_dropped(toy_data, toy_rule, country, described):
    data = toy_data.copy()
    data.loc[data.index[1], "country"] = country
    with pytest.raises(DataError) as caught:
        rank(toy_rule, data)
    assert str(caught.value) == (f"column 'country': area {data.index[1]} has {described}; every area needs "
                                 f"one of England, Scotland, Wales")


def test_missing_error_policy_names_the_columns(toy_data):
    toy_data.loc["T000", "gva_per_hour"] = np.nan
    with pytest.raises(RuleError, match=r"missing values in England: gva_per_hour \(1\)"):
        rank(make_toy_rule(missing="error"), toy_data)


def test_reweight_uses_the_other_indicators(toy_data):
    toy_data.loc["T000", "gva_per_hour"] = np.nan
    result = rank(make_toy_rule(missing="reweight"), toy_data)
    assert result.contributions().loc["T000", "gva_per_hour"] == 0
    assert any("left out" in note for note in result.notes)


def test_impute_median_within_country(toy_data):
    england = toy_data[toy_data["country"] == "England"]
    toy_data.loc["T000", "gva_per_hour"] = np.nan
    result = rank(make_toy_rule(missing="impute_median"), toy_data)
    median = england["gva_per_hour"].drop("T000").median()
    filled = toy_data.fillna({"gva_per_hour": median})
    assert result.table["score"].equals(rank(make_toy_rule(), filled).table["score"])


def test_indicator_missing_for_a_whole_country_is_left_out_there(toy_data):
    toy_data.loc[toy_data["country"] == "Scotland", "unemployment_rate"] = np.nan
    result = rank(make_toy_rule(missing="error"), toy_data)
    scots = result.contributions()[result.table["country"] == "Scotland"]
    assert (scots["unemployment_rate"] == 0).all()
    assert result.notes[0].startswith("Scotland: unemployment_rate has no values there; the weight is shared")


def test_log_transform_refuses_non_positive_values(toy_data):
    toy_data.loc["T001", "gva_per_hour"] = 0
    indicators = [{"column": "gva_per_hour", "direction": "lower_is_more_need", "transform": "log"}]
    with pytest.raises(RuleError, match="values <= 0"):
        rank(make_toy_rule(indicators=indicators), toy_data)


def test_published_rule_reads_groups(dataset):
    result = rank("luf-2021-published", dataset)
    assert result.table["group"].equals(dataset["luf_r1_category"].astype(int).rename("group"))


def test_no_downgrade_keeps_the_higher_group(dataset):
    rule = validate_rule(
        {**make_toy_rule().model_dump(mode="json"), "no_downgrade_from": "luf-2021-published",
         "indicators": [{"column": "hle_male_2011_13", "direction": "lower_is_more_need"}],
         "categories": {"shares": [0.334, 0.333, 0.333]}},
        "test",
    )
    result = rank(rule, dataset)
    assert (result.table["group"] <= dataset["luf_r1_category"]).all()


LOOPED = """name = "{name}"
title = "Loop"
description = "For tests."
sources = ["tests"]
no_downgrade_from = "{other}"
[[indicators]]
column = "gva_per_hour"
direction = "lower_is_more_need"
[categories]
shares = [0.5, 0.5]
"""


def test_no_downgrade_loop_is_refused(tmp_path, dataset, monkeypatch):
    import allocsim.rules.load as load

    monkeypatch.setattr(load, "rules_dir", lambda: tmp_path)
    for name, other in (("a", "b"), ("b", "a")):
        (tmp_path / f"{name}.toml").write_text(LOOPED.format(name=name, other=other))
    with pytest.raises(RuleError, match="no_downgrade_from forms a loop: a -> b -> a"):
        rank(load.load_rule("a"), dataset)


# -- properties ------------------------------------------------------------------------------

methods = st.sampled_from(["zscore", "minmax", "rank", "distance_to_best"])


@PROPERTY
@given(seed=st.integers(0, 10_000), method=methods, permutation_seed=st.integers(0, 10_000))
def test_row_order_does_not_change_ranks(seed, method, permutation_seed):
    data = make_toy_data(n=15, seed=seed)
    rule = make_toy_rule(normalisation=method)
    shuffled = data.sample(frac=1, random_state=np.random.default_rng(permutation_seed).integers(1 << 31))
    a = rank(rule, data).table["rank"]
    b = rank(rule, shuffled).table["rank"].reindex(a.index)
    assert a.equals(b)


@PROPERTY
@given(seed=st.integers(0, 10_000), method=methods, area=st.integers(0, 14),
       bump=st.floats(0.01, 20), aggregation=st.sampled_from(["arithmetic", "geometric"]))
def test_raising_a_need_value_never_lowers_that_areas_score(seed, method, area, bump, aggregation):
    if aggregation == "geometric" and method == "zscore":
        return
    data = make_toy_data(n=15, seed=seed)
    rule = make_toy_rule(normalisation=method, aggregation=aggregation)
    code = data.index[area]
    before = rank(rule, data).table.at[code, "score"]
    data.loc[code, "unemployment_rate"] += bump  # higher_is_more_need
    after = rank(rule, data).table.at[code, "score"]
    assert after >= before - 1e-9


@PROPERTY
@given(n=st.integers(3, 60), cut=st.lists(st.integers(1, 20), min_size=2, max_size=5))
def test_group_sizes_follow_the_shares(n, cut):
    shares = [c / sum(cut) for c in cut]
    shares[-1] = 1 - sum(shares[:-1])
    data = make_toy_data(n=n, seed=n)
    table = rank(make_toy_rule(categories={"shares": shares}), data).table
    counts = table["group"].value_counts().reindex(range(1, len(cut) + 1), fill_value=0)
    assert counts.tolist() == group_sizes(n, shares).tolist()
    assert pd.Series(table.sort_values("rank")["group"]).is_monotonic_increasing


OFFICIAL = """name = "official"
title = "Official groups"
description = "For tests."
sources = ["tests"]
kind = "published"
column = "official"
"""


@PROPERTY
@given(seed=st.integers(0, 10_000), method=methods, n=st.integers(6, 40))
def test_no_downgrade_ratchet_never_downgrades(seed, method, n):
    import tempfile
    from pathlib import Path
    from unittest import mock

    import allocsim.rules.load as load

    data = make_toy_data(n=n, seed=seed)
    data["official"] = np.random.default_rng(seed).integers(1, 4, n)
    rule = make_toy_rule(normalisation=method, no_downgrade_from="official",
                         categories={"shares": [0.334, 0.333, 0.333]})
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "official.toml").write_text(OFFICIAL)
        with mock.patch.object(load, "rules_dir", lambda: Path(folder)):
            groups = rank(rule, data).table["group"]
    assert (groups <= data["official"]).all()
    unratcheted = rank(make_toy_rule(normalisation=method, categories={"shares": [0.334, 0.333, 0.333]}), data)
    assert (groups == np.minimum(unratcheted.table["group"], data["official"])).all()


def test_distance_to_best_with_a_zero_best_names_the_indicator(toy_data):
    toy_data.loc["T001", "unemployment_rate"] = 0.0
    with pytest.raises(RuleError, match=r"^toy: normalisation: distance_to_best is undefined when the "
                                        r"best value is 0 \(indicator 'unemployment_rate'\); choose another"):
        rank(make_toy_rule(normalisation="distance_to_best"), toy_data)


def test_an_area_with_no_values_is_refused_not_ranked_last(toy_data):
    toy_data.loc["T004", ["gva_per_hour", "unemployment_rate"]] = np.nan
    with pytest.raises(RuleError, match="area T004 has no value for any of the rule's indicators"):
        rank(make_toy_rule(missing="reweight"), toy_data)


def test_areas_with_values_only_for_indicators_without_weight_are_refused(dataset):
    """Transport alone: Scotland and Wales have no journey times, nor have five English areas whose codes
    postdate them; they had been scored 0 and ranked last."""
    from allocsim.rules.load import apply_overrides, load_rule

    alone = [f"domains.{d}.weight=0" for d in ("economy", "regeneration", "health")]
    with pytest.raises(RuleError) as caught:
        rank(apply_overrides(load_rule("health-inclusive"), alone), dataset)
    assert str(caught.value).endswith(
        ": 59 areas have values only for indicators the rule gives no weight (E06000058, E06000059, E07000244 and "
        "2 more in England; all 32 in Scotland; all 22 in Wales); give weight to an indicator they have, or leave "
        "them out of the data (--countries for a whole nation)")
    with pytest.raises(RuleError, match=r"5 areas have values only .* \(E06000058, E06000059, E07000244 and 2 more "
                                        r"in England\); give weight to an indicator they have, or leave them out of "
                                        r"the data$"):  # --countries cannot leave out five English areas
        rank(apply_overrides(load_rule("health-inclusive"), alone), dataset[dataset["country"] == "England"])


def test_one_area_left_with_only_unweighted_values_is_named_without_a_country_column(toy_data):
    from allocsim.rules.load import apply_overrides

    toy_data.loc["T004", "gva_per_hour"] = np.nan  # left with unemployment_rate, which now weighs nothing
    rule = apply_overrides(make_toy_rule(missing="reweight"), ["indicators.unemployment_rate.weight=0"])
    with pytest.raises(RuleError) as caught:
        rank(rule, toy_data.drop(columns="country"))
    assert str(caught.value).endswith(": 1 area has values only for indicators the rule gives no weight (T004); give "
                                      "weight to an indicator it has, or leave it out of the data")


def test_geometric_contributions_are_noted_as_logs(toy_data):
    """Geometric contributions sum to log(1 + score), and the result says so; arithmetic ones to the score."""
    geometric = rank(make_toy_rule(aggregation="geometric", normalisation="minmax"), toy_data)
    sums = geometric.contributions().sum(axis=1)
    np.testing.assert_allclose(sums, np.log1p(geometric.table["score"]))
    assert any("sum to log(1 + score), not to the score" in n for n in geometric.notes)
    arithmetic = rank(make_toy_rule(normalisation="minmax"), toy_data)
    np.testing.assert_allclose(arithmetic.contributions().sum(axis=1), arithmetic.table["score"])
    assert not any("log(1 + score)" in n for n in arithmetic.notes)


def test_thresholds_that_leave_groups_empty_are_noted(dataset, tmp_path):
    """Thresholds of 1.5 and 1.2 on min-max scores (0 to 1) put all 368 areas in group 3 without a word."""
    result = rank(str(rule_with_categories(tmp_path, "thresholds = [1.5, 1.2]")), dataset)
    assert (result.table["group"] == 3).all()
    assert any(n.startswith("groups 1, 2 have no area: the scores run from") and n.endswith("thresholds are 1.5, 1.2")
               for n in result.notes)
    reached = rank(str(rule_with_categories(tmp_path, "thresholds = [0.55, 0.45]")), dataset)
    assert not any("no area" in n for n in reached.notes)
