"""Sensitivity analysis: agreement with the engine, determinism, estimators, bad input."""

from __future__ import annotations

import json
from functools import lru_cache

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from toys import make_toy_data, make_toy_rule, rule_with_categories, rule_with_shares

from allocsim import rank, sensitivity
from allocsim.errors import ParameterError, RuleError
from allocsim.ranking.model import outcomes
from allocsim.robustness.backends import BackendOptions, run_local
from allocsim.robustness.indices import rank_quantiles
from allocsim.robustness.kernel import draw, empty_tally, simulate
from allocsim.robustness.model import CHUNK_CELLS, build_model, plan
from allocsim.robustness.tally import add_tallies
from allocsim.rules.load import apply_overrides, load_rule
from allocsim.stats import kendall_tau

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TABLE_COLUMNS = ["name", "country", "group", "p_group_1", "p_group_2", "p_group_3", "modal_group",
                 "median_rank", "rank_p05", "rank_p95"]
TOY_VARIANTS = {
    "pooled": {},
    "per_country_groups": {"categories": {"shares": [0.5, 0.5], "scope": "per_country"}},
    "thresholds": {"categories": {"thresholds": [0.5, 0.0]}},
    "geometric": {"aggregation": "geometric", "normalisation": "minmax"},
    "per_country_scaling": {"normalisation_scope": "per_country", "normalisation": "rank"},
    "distance_to_best": {"normalisation": "distance_to_best"},
}


def fixed(rule, data, **options):
    """No weight uncertainty and the rule's own normalisation: every draw is the rule itself."""
    return sensitivity(rule, data, draws=40, spread=0, normalisations=[rule.normalisation], **options)


def assert_matches_engine(result, engine):
    table = result.table
    assert table.index.equals(engine.table.index)
    assert (table["group"] == engine.table["group"]).all()
    assert (table["modal_group"] == engine.table["group"]).all()
    assert (table["median_rank"] == engine.table["rank"]).all()
    assert (table["rank_p05"] == table["rank_p95"]).all()
    own = [table.at[code, f"p_group_{g}"] for code, g in engine.table["group"].items()]
    assert np.all(np.array(own) == 1.0)


@lru_cache(maxsize=None)
def toy_model(data_seed: int = 0, tied: bool = False, spread: float = 0.5):
    """A model of the toy rule, built once per data set so that property examples stay quick."""
    data = tied_data() if tied else make_toy_data(n=9, seed=data_seed)
    return build_model(make_toy_rule(), data, spread)[0], data


# -- agreement with the engine -----------------------------------------------------------------

@pytest.mark.parametrize("variant", TOY_VARIANTS)
def test_fixed_draws_reproduce_the_engine_on_toys(variant):
    data = make_toy_data(n=30, seed=3)
    data.loc[data.index[::7], "unemployment_rate"] = np.nan  # reweighted per area
    rule = make_toy_rule(**TOY_VARIANTS[variant])
    assert_matches_engine(fixed(rule, data), rank(rule, data))


@pytest.mark.parametrize("name", ["health-inclusive", "luf-2021", "lu-need-2022", "hle-only"])
def test_fixed_draws_reproduce_the_engine_on_the_shipped_rules(name, dataset):
    rule = load_rule(name)
    assert_matches_engine(fixed(rule, dataset), rank(rule, dataset))


@pytest.mark.parametrize(("variant", "scope"), [("pooled", None), ("per_country_groups", "country")])
def test_every_draw_fills_each_group_to_its_size(variant, scope):
    """Whatever the weights, a cut by shares puts the same number of areas in each group."""
    data = make_toy_data(n=30, seed=3)
    rule = make_toy_rule(**TOY_VARIANTS[variant])
    table = sensitivity(rule, data, draws=300, spread=0.4, seed=2).table
    keys = table[scope] if scope else np.zeros(len(table))
    p_columns = [c for c in table.columns if c.startswith("p_group_")]
    expected = pd.get_dummies(table["group"]).astype(float).groupby(keys).sum().to_numpy()
    np.testing.assert_allclose(table[p_columns].groupby(keys).sum().to_numpy(), expected)
    assert table[p_columns].to_numpy().min() < 1  # the weights did move areas between groups


def test_england_only_rule_with_countries(dataset):
    rule = load_rule("imd-2019")
    assert_matches_engine(fixed(rule, dataset, countries=["England"]), rank(rule, dataset, ["England"]))


def test_no_downgrade_floor_is_respected(dataset):
    rule = apply_overrides(load_rule("health-inclusive"), ['no_downgrade_from="luf-2021"'])
    assert_matches_engine(fixed(rule, dataset), rank(rule, dataset))
    table = sensitivity(rule, dataset, draws=500, seed=1).table
    floor = rank(load_rule("luf-2021"), dataset).table["group"].reindex(table.index)
    for f in (1, 2):  # an area floored at group f has no chance of any group worse than f
        worse = [f"p_group_{h}" for h in range(f + 1, 4)]
        floored = table.loc[floor == f, worse]
        assert len(floored) > 0 and (floored == 0).all().all(), f
    assert table.loc[floor == 3, "p_group_3"].max() > 0  # the unfloored do fall: the check can fail


@given(seed=st.integers(0, 2**32 - 1), rows=st.integers(1, 12))
@PROPERTY
def test_kernel_scores_each_draw_as_the_engine_does(seed, rows):
    """Any weight vector the kernel scores gives the engine's ranks and groups for that rule."""
    base = make_toy_rule()
    model, data = toy_model(seed % 20)
    weights, _ = draw(model, np.random.default_rng(seed), rows)
    ranks, groups = outcomes(model.scoring, weights, np.full(rows, model.scoring.own))
    row = int(seed % rows)
    indicators = [dict(i.model_dump(exclude_defaults=True), weight=float(w))
                  for i, w in zip(base.indicators, weights[row])]
    engine = rank(make_toy_rule(indicators=indicators), data).table.reindex(model.codes)
    assert ranks[row].tolist() == engine["rank"].tolist()
    assert groups[row].tolist() == engine["group"].tolist()


# -- determinism: seeds, chunks, threads, ties ------------------------------------------------

def tied_data(n: int = 24) -> pd.DataFrame:
    """Whole numbers in a narrow range, so many areas tie exactly."""
    data = make_toy_data(n=n, seed=11)
    rng = np.random.default_rng(5)
    data["gva_per_hour"] = rng.integers(30, 33, n).astype(float)
    data["unemployment_rate"] = rng.integers(3, 5, n).astype(float)
    return data


def test_ties_go_by_code_as_in_the_engine():
    data = tied_data()
    rule = make_toy_rule(categories={"shares": [0.3, 0.3, 0.4]})
    assert_matches_engine(fixed(rule, data), rank(rule, data))


@given(split=st.lists(st.integers(0, 3), min_size=1, max_size=12), seed=st.integers(0, 1000))
@PROPERTY
def test_tallies_do_not_depend_on_how_chunks_are_grouped(split, seed):
    model, _ = toy_model(tied=True)
    chunks = plan(len(split) * 5, 5, seed)
    whole = simulate(model, chunks)
    groups = [[c for c, g in zip(chunks, split) if g == k] for k in range(4)]
    parts = add_tallies([simulate(model, group) for group in reversed(groups)], empty_tally(model))
    for name in ("draws", "rank_hist", "group_counts", "bin_counts", "rank_sums", "group1_sums"):
        assert np.array_equal(getattr(whole, name), getattr(parts, name)), name


@given(seed=st.integers(0, 2**32 - 1), rows=st.integers(2, 12))
@PROPERTY
def test_a_draw_scores_the_same_alone_or_in_a_chunk(seed, rows):
    model, _ = toy_model(tied=True)
    weights, method = draw(model, np.random.default_rng(seed), rows)
    method = np.sort(method)
    together = outcomes(model.scoring, weights, method)
    for row in range(rows):
        alone = outcomes(model.scoring, weights[row:row + 1], method[row:row + 1])
        assert np.array_equal(alone[0][0], together[0][row]) and np.array_equal(alone[1][0], together[1][row])


def test_threads_and_seeds(dataset):
    one = sensitivity("health-inclusive", dataset, draws=3000, seed=4, workers=1)
    two = sensitivity("health-inclusive", dataset, draws=3000, seed=4, workers=2)
    pd.testing.assert_frame_equal(one.table, two.table)
    pd.testing.assert_frame_equal(one.indices, two.indices)
    other = sensitivity("health-inclusive", dataset, draws=3000, seed=5, workers=1)
    assert not one.table.equals(other.table)


def test_chunks_bound_memory_whatever_the_draws(dataset):
    model, _, _ = build_model(load_rule("health-inclusive"), dataset, 0.2)
    assert model.chunk_size * model.n_areas <= CHUNK_CELLS
    chunks = plan(10 * model.chunk_size + 7, model.chunk_size, 0)
    assert [c.size for c in chunks] == [model.chunk_size] * 10 + [7]
    big = np.random.default_rng(0).normal(size=(40_000, 3))
    frame = pd.DataFrame(big, columns=["gva_per_hour", "unemployment_rate", "hle_male_2011_13"],
                         index=pd.Index([f"A{i:05d}" for i in range(40_000)], name="code"))
    frame["name"], frame["country"] = frame.index, "England"
    large, _, _ = build_model(make_toy_rule(), frame, 0.2)
    assert large.chunk_size * large.n_areas <= CHUNK_CELLS and len(large.rank_edges) <= 1 + CHUNK_CELLS // 40_000 + 3



@pytest.mark.parametrize("spread", [0.05, 0.2, 0.6])
def test_factor_bins_are_scipys_beta_quantiles_bit_for_bit(dataset, spread):
    from scipy import stats

    model, _, _ = build_model(load_rule("health-inclusive"), dataset, spread)
    alpha, tenths = model.concentration, np.arange(1, 10) / 10
    domains = [f for f in model.factors if f.kind == "domain"]
    assert domains
    for factor in domains:
        share = model.weights[list(factor.members)].sum()
        assert factor.edges.tobytes() == stats.beta.ppf(tenths, alpha * share, alpha * (1 - share)).tobytes()

# -- the estimators ----------------------------------------------------------------------------

@given(st.lists(st.integers(1, 30), min_size=1, max_size=300), st.lists(st.floats(0.01, 0.99), min_size=1, max_size=4))
@PROPERTY
def test_rank_quantiles_are_numpys_inverted_cdf(ranks, qs):
    hist = np.bincount(np.array(ranks) - 1, minlength=30)[np.newaxis, :]
    got = rank_quantiles(hist, np.arange(31), qs)[0]
    assert got.tolist() == np.quantile(ranks, qs, method="inverted_cdf").tolist()


def test_dirichlet_spread_sets_each_weight_sd(dataset):
    model, _, _ = build_model(load_rule("health-inclusive"), dataset, 0.2)
    weights, _ = draw(model, np.random.default_rng(0), 200_000)
    w = model.weights
    np.testing.assert_allclose(weights.mean(axis=0), w, atol=1e-3)
    np.testing.assert_allclose(weights.std(axis=0), 0.2 * np.sqrt(w * (1 - w)), rtol=0.02)
    np.testing.assert_allclose(weights.sum(axis=1), 1)


def test_first_order_index_finds_the_factor_that_matters():
    """Toy rule with one indicator per domain: the domain weight is all that varies, so with a
    fixed normalisation its index explains the rank variance; an inert domain explains nothing."""
    data = make_toy_data(n=40, seed=2)
    data["constant"] = 1.0
    rule = make_toy_rule(domains={"a": {"weight": 1}, "b": {"weight": 1}, "c": {"weight": 1}},
                         indicators=[
                             {"column": "gva_per_hour", "direction": "lower_is_more_need", "domain": "a"},
                             {"column": "unemployment_rate", "direction": "higher_is_more_need", "domain": "b"},
                             {"column": "constant", "direction": "higher_is_more_need", "domain": "c"},
                         ], normalisation="minmax")
    indices = sensitivity(rule, data, draws=20_000, spread=0.5, normalisations=["minmax"]).indices
    by = indices.set_index("factor")["first_order_rank"]
    assert set(indices["kind"]) == {"domain"}
    assert by["a"] > 0.3 and by["b"] > 0.3 and by["c"] < 0.15


def test_normalisation_index_when_methods_vary(dataset):
    result = sensitivity("health-inclusive", dataset, draws=2000, seed=3)
    assert list(result.indices.columns) == ["factor", "kind", "first_order_rank", "first_order_group1"]
    assert set(result.indices["kind"]) == {"domain", "normalisation"}
    assert result.indices[["first_order_rank", "first_order_group1"]].apply(lambda c: c.between(0, 1)).all().all()
    assert fixed(load_rule("health-inclusive"), dataset).indices.empty


@pytest.mark.parametrize(("draws", "rank_draws", "blank_rank", "blank_group1"), [
    (1, 1, {"gva_per_hour", "unemployment_rate", "normalisation"},
     {"gva_per_hour", "unemployment_rate", "normalisation"}),
    (999, 999, {"gva_per_hour", "unemployment_rate"}, {"gva_per_hour", "unemployment_rate"}),
    (1000, 1000, set(), set()),
    (1000, 300, {"gva_per_hour", "unemployment_rate", "normalisation"}, set()),
])
def test_indices_are_blank_with_too_few_draws(draws, rank_draws, blank_rank, blank_group1, toy_rule):
    """Below 100 draws per bin (1,000 for ten bins, 400 for four methods) the estimator's upward
    bias, about (bins - 1) / N, would swamp the index: it is NaN, and a note says what is needed."""
    data = make_toy_data(n=30, seed=3)
    result = sensitivity(toy_rule, data, draws=draws, rank_draws=rank_draws, seed=1)
    indices = result.indices.set_index("factor")
    assert set(indices.index[indices["first_order_rank"].isna()]) == blank_rank
    assert set(indices.index[indices["first_order_group1"].isna()]) == blank_group1
    notes = [n for n in result.summary.to_json()["notes"] if n.startswith("first-order")]
    # each factor's own need: a ten-bin indicator 1,000 draws, the four normalisations 400
    if "normalisation" in blank_rank:
        needs = ("gva_per_hour, unemployment_rate (at least 1,000 draws each) and normalisation (at least 400 draws) "
                 "are left blank")
    else:
        needs = "gva_per_hour, unemployment_rate are left blank: they need at least 1,000 draws"
    if blank_group1:
        assert notes[0].startswith(f"first-order indices of {needs}") and f"this run has {draws:,}" in notes[0]
        assert notes[0].endswith("use --draws 1000 or more")
    if blank_rank != blank_group1:
        assert notes[-1].startswith(f"first-order rank indices of {needs}")
        assert "this run ranked 300; raise rank_draws to 1000 or more" in notes[-1]
    assert bool(notes) == bool(blank_rank)
    json.dumps(result.summary.to_json(), allow_nan=False)  # blank indices are null, not NaN


@pytest.mark.filterwarnings("error")  # scipy's SmallSampleWarning would fail the test
def test_a_single_area_gives_blank_statistics_without_warnings(toy_rule):
    data = make_toy_data(n=1)
    result = sensitivity(toy_rule, data, draws=1000)
    assert result.leave_one_out["kendall_tau"].isna().all()
    assert result.indices[["first_order_rank", "first_order_group1"]].isna().all().all()
    assert any("no area's rank varied across the draws" in n for n in result.summary.to_json()["notes"])
    summary = json.loads(json.dumps(result.summary.to_json(), allow_nan=False))
    assert {row["kendall_tau"] for row in summary["leave_one_out"]} == {None}


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize(("a", "b"), [([1], [1]), ([1, 2, 3], [2, 2, 2]), ([4, 4], [1, 2])])
def test_kendall_tau_is_nan_where_undefined(a, b):
    assert np.isnan(kendall_tau(np.array(a), np.array(b)))
    assert kendall_tau(np.array([1, 2, 3]), np.array([1, 3, 2])) == pytest.approx(1 / 3)


def test_concentration_keeps_its_significant_figures(toy_data, toy_rule):
    """Spread 0.9999999 gives alpha 2e-07: rounding to 6 decimals would make it 0, i.e. "fixed"."""
    summary = sensitivity(toy_rule, toy_data, draws=10, spread=0.9999999).summary.to_json()
    assert summary["concentration"] == pytest.approx(2e-07, rel=1e-5) and summary["concentration"] > 0
    assert sensitivity(toy_rule, toy_data, draws=10, spread=0).summary.to_json()["concentration"] is None


def test_leave_one_out_of_a_weightless_indicator_changes_nothing(toy_data):
    rule = make_toy_rule(indicators=[
        {"column": "gva_per_hour", "direction": "lower_is_more_need", "weight": 2},
        {"column": "unemployment_rate", "direction": "higher_is_more_need", "weight": 1},
        {"column": "hle_male_2011_13", "direction": "lower_is_more_need", "weight": 0},
    ])
    loo = sensitivity(rule, toy_data, draws=50).leave_one_out.set_index("indicator")
    assert loo.loc["hle_male_2011_13"].tolist() == [0, 0, 1.0]
    assert loo.loc["gva_per_hour", "areas_changing_group"] > 0


# -- the data contract ------------------------------------------------------------------------

def test_data_contract(dataset):
    result = sensitivity("health-inclusive", dataset, draws=1000)
    assert list(result.table.columns) == TABLE_COLUMNS and result.table.index.name == "code"
    p = result.table[["p_group_1", "p_group_2", "p_group_3"]]
    np.testing.assert_allclose(p.sum(axis=1), 1)
    assert (result.table["modal_group"] == p.to_numpy().argmax(axis=1) + 1).all()
    assert (result.table["rank_p05"] <= result.table["median_rank"]).all()
    assert (result.table["median_rank"] <= result.table["rank_p95"]).all()
    assert list(result.leave_one_out.columns) == ["indicator", "areas_changing_group", "group1_changes",
                                                  "kendall_tau"]
    summary = result.summary.to_json()
    assert summary["draws"] == 1000 and summary["concentration"] == 24.0
    assert summary["normalisations"] == {"drawn": ["zscore", "minmax", "rank", "distance_to_best"], "left_out": {}}


# -- rules a method does not suit, and bad input ----------------------------------------------

def test_methods_a_rule_cannot_use_are_left_out(toy_data):
    toy_data["unemployment_rate"] -= toy_data["unemployment_rate"].min()  # best value 0
    result = sensitivity(make_toy_rule(aggregation="geometric", normalisation="minmax"), toy_data, draws=100)
    left_out = result.summary.to_json()["normalisations"]["left_out"]
    assert set(left_out) == {"zscore", "distance_to_best"}
    assert "non-negative" in left_out["zscore"] and "best value is 0" in left_out["distance_to_best"]
    assert result.summary.to_json()["normalisations"]["drawn"] == ["minmax", "rank"]
    with pytest.raises(ParameterError, match="--normalisations: rule 'toy' can use none of zscore"):
        sensitivity(make_toy_rule(aggregation="geometric", normalisation="minmax"), toy_data,
                    normalisations=["zscore"])


def test_a_rule_cut_by_score_thresholds_draws_only_its_own_normalisation(dataset, tmp_path):
    """Thresholds are cut-offs on the rule's own scores (minmax): applied to z-scores or ranks they had made
    group 1 anything from 74 to 316 areas, and the normalisation 'explained' 0.7 of the variance."""
    rule = rule_with_categories(tmp_path, "thresholds = [0.55, 0.45]")
    result = sensitivity(str(rule), dataset, draws=200)
    methods = result.summary.to_json()["normalisations"]
    assert methods["drawn"] == ["minmax"] and set(methods["left_out"]) == {"zscore", "rank", "distance_to_best"}
    assert "thresholds are cut-offs on minmax scores" in methods["left_out"]["zscore"]
    assert "normalisation" not in {i["factor"] for i in result.summary.to_json()["indices"]}
    with pytest.raises(ParameterError, match="can use none of rank"):
        sensitivity(str(rule), dataset, normalisations=["rank"])


@pytest.mark.parametrize(("options", "message"), [
    ({"draws": 0}, "--draws: must be a whole number from 1 to 10,000,000, got 0"),
    ({"draws": 2.5}, "--draws: must be a whole number from 1 to 10,000,000, got 2.5"),
    ({"spread": 1.0}, "--spread: must be in [0, 1) (0 holds the weights fixed), got 1"),
    ({"spread": -0.1}, "--spread: must be in [0, 1) (0 holds the weights fixed), got -0.1"),
    ({"seed": -1}, "--seed: must be a whole number 0 or more, got -1"),
    ({"backend": "spark"}, "--backend: must be 'local' or 'dask', got 'spark'"),
    ({"scheduler": "tcp://x:1"}, "--scheduler tcp://x:1: only with --backend dask"),
    ({"normalisations": ["median"]}, "--normalisations: unknown method 'median'"),
])
def test_bad_options(options, message, toy_data, toy_rule):
    with pytest.raises(ParameterError) as error:
        sensitivity(toy_rule, toy_data, **options)
    assert str(error.value).startswith(message)


def test_published_rule_is_refused(dataset):
    with pytest.raises(RuleError, match="sensitivity needs an index rule"):
        sensitivity("luf-2021-published", dataset, draws=10)


def test_run_local_progress_counts_every_draw(toy_data, toy_rule):
    model, _, _ = build_model(toy_rule, toy_data, 0.2)
    seen = []
    run_local(model, plan(1000, 64, 0), BackendOptions(workers=2), progress=seen.append)
    assert sum(seen) == 1000


# -- draws that are only cut (np.partition) rather than ranked --------------------------------

@pytest.mark.parametrize("name", ["health-inclusive", "luf-2021", "hle-only"])
def test_cut_draws_reproduce_the_engine_groups(name, dataset):
    """With fixed weights, a draw cut by partition puts every area in the engine's group."""
    rule = load_rule(name)
    result = sensitivity(rule, dataset, draws=30, spread=0, normalisations=[rule.normalisation], rank_draws=1)
    engine = rank(rule, dataset)
    assert result.summary.to_json()["ranked_draws"] == 1
    assert (result.table["modal_group"] == engine.table["group"]).all()
    own = [result.table.at[code, f"p_group_{g}"] for code, g in engine.table["group"].items()]
    assert np.all(np.array(own) == 1.0)


@pytest.mark.parametrize("seed", [0, 7])
def test_group_probabilities_are_the_same_whether_draws_are_ranked_or_cut(seed, dataset):
    """Ranking and cutting are two routes to the same groups: identical counts, draw for draw."""
    common = dict(draws=1000, spread=0.3, seed=seed)  # enough for every index (100 draws per bin)
    ranked = sensitivity("health-inclusive", dataset, rank_draws=1000, **common)
    cut = sensitivity("health-inclusive", dataset, rank_draws=1, **common)
    mixed = sensitivity("health-inclusive", dataset, rank_draws=333, **common)
    columns = [c for c in ranked.table.columns if c.startswith("p_group_")] + ["modal_group"]
    for other in (cut, mixed):
        pd.testing.assert_frame_equal(ranked.table[columns], other.table[columns])
        by_factor = [r.indices.set_index("factor")["first_order_group1"].sort_index() for r in (ranked, other)]
        pd.testing.assert_series_equal(*by_factor)
    assert mixed.summary.to_json()["ranked_draws"] == 333


def test_no_downgrade_floor_holds_on_cut_draws(dataset):
    rule = apply_overrides(load_rule("hle-only"), ['no_downgrade_from="luf-2021-published"'])
    result = sensitivity(rule, dataset, draws=200, spread=0.3, rank_draws=1)
    published = dataset["luf_r1_category"].reindex(result.table.index)
    for group in (1, 2):
        worse = result.table[[f"p_group_{g}" for g in range(group + 1, 4)]].sum(axis=1)
        assert (worse[published == group] == 0).all()


def test_a_rule_of_many_groups_gets_its_table_without_pandas_warnings(dataset, tmp_path):
    """Each group's probability column went in one at a time: with 200 groups pandas warned, on stderr, that
    the frame was highly fragmented."""
    import warnings

    rule = rule_with_shares(tmp_path, [0.005] * 200)
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.PerformanceWarning)
        result = sensitivity(str(rule), dataset, draws=50, seed=1)
    assert [c for c in result.table.columns if c.startswith("p_group_")][-1] == "p_group_200"


def test_an_area_whose_own_group_ties_for_most_frequent_keeps_it_as_modal(dataset):
    """Thurrock is in groups 1 and 2 equally often (2,498 draws each of 5,000): it was shown as most likely in
    group 1 (numpy's argmax takes the first) and counted among the areas most often in another group."""
    result = sensitivity("luf-2021", dataset, draws=5000, spread=0.3)
    thurrock = result.table.loc["E06000034"]
    assert thurrock["p_group_1"] == thurrock["p_group_2"] > 0.49 and thurrock["group"] == 2
    assert thurrock["modal_group"] == 2
    p = result.table[[c for c in result.table.columns if c.startswith("p_group_")]].to_numpy()
    own = p[np.arange(len(p)), result.table["group"].to_numpy() - 1]
    # counted from the probabilities: areas with another group strictly more frequent than their own
    assert result.summary.robustness.areas_modal_group_not_own == int((own < p.max(axis=1)).sum())


def test_leave_one_out_is_blank_where_dropping_an_indicator_leaves_areas_no_weight(dataset):
    """Economy and regeneration off, health on hle_male_2018_20 alone: dropping it leaves Scotland and Wales only
    journey times, which they lack; the row had said 255 areas change group, with their scores 0."""
    rule = apply_overrides(load_rule("health-inclusive"), [
        "domains.economy.weight=0", "domains.regeneration.weight=0", "indicators.hle_female_2018_20.weight=0",
        "indicators.inactive_long_term_sick_share.weight=0"])
    result = sensitivity(rule, dataset, draws=20, spread=0, seed=1)
    loo = result.leave_one_out.set_index("indicator")
    assert loo.loc["hle_male_2018_20"].isna().all() and loo.drop(index="hle_male_2018_20").notna().all().all()
    assert ("leave-one-out of hle_male_2018_20 left blank: without it, some areas would have no indicator with "
            "weight, and no score") in result.summary.to_json()["notes"]
    json.dumps(result.summary.to_json(), allow_nan=False)


def test_draws_that_leave_areas_no_weighted_indicator_are_counted_and_noted(dataset):
    """At a spread near 1 a drawn weight can underflow to exactly 0: with health at 0.01 and economy and
    regeneration off, most draws leave Scotland and Wales (no journey times) nothing with weight."""
    rule = apply_overrides(load_rule("health-inclusive"), [
        "domains.economy.weight=0", "domains.regeneration.weight=0", "domains.health.weight=0.01"])
    notes = sensitivity(rule, dataset, draws=400, spread=0.99, seed=1).summary.to_json()["notes"]
    counted = [n for n in notes if "draws gave every indicator of some areas a weight of exactly 0" in n]
    assert len(counted) == 1 and 0 < int(counted[0].split(" of ")[0].replace(",", "")) <= 400
    assert counted[0].endswith("a smaller --spread avoids it")
    usual = sensitivity("health-inclusive", dataset, draws=400, seed=1).summary.to_json()["notes"]
    assert not any("exactly 0" in n for n in usual)
