"""The 32-bit cut keys give exactly the tallies of the exact 64-bit keys, and hand the draws they cannot
settle at a cut to the exact keys."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from toys import make_toy_data, make_toy_rule

from allocsim.engine.workspace import Workspace
from allocsim.robustness.cut_draws import CutDraws
from allocsim.robustness.kernel import draw, simulate
from allocsim.robustness.model import build_model, plan
from allocsim.robustness.tally import ARRAYS
from allocsim.rules.load import apply_overrides, list_rules, load_rule

INDEX_RULES = [r.name for r in list_rules() if r.kind == "index"]
VARIANTS = {  # health-inclusive cut otherwise: per country and by thresholds rank every draw; the floor cuts
    "per_country": ['categories.scope="per_country"'],
    "thresholds": ["categories={thresholds=[0.6, 0.4]}"],
    "floor": ['no_downgrade_from="luf-2021"'],
}


def assert_same_tallies(model, draws: int, seed: int) -> None:
    chunks = plan(draws, model.chunk_size, seed)
    fast, exact = simulate(model, chunks), simulate(model, chunks, cut_keys=False)
    assert (fast.draws, fast.ranked) == (exact.draws, exact.ranked)
    for name in ARRAYS:
        np.testing.assert_array_equal(getattr(fast, name), getattr(exact, name), err_msg=name)


@pytest.mark.parametrize("seed", [0, 5])
@pytest.mark.parametrize("name", INDEX_RULES)
def test_cut_keys_tally_as_the_exact_keys_on_every_shipped_rule(name, seed, dataset):
    model = build_model(load_rule(name), dataset, 0.3, rank_draws=100)[0]
    assert_same_tallies(model, 3000, seed)


@pytest.mark.parametrize("seed", [1, 9])
@pytest.mark.parametrize("variant", VARIANTS)
def test_cut_keys_tally_as_the_exact_keys_per_country_thresholds_and_floor(variant, seed, dataset):
    rule = apply_overrides(load_rule("health-inclusive"), VARIANTS[variant])
    model = build_model(rule, dataset, 0.3, rank_draws=100)[0]
    assert_same_tallies(model, 2000, seed)


def test_a_floor_on_a_rule_with_shared_values(dataset):
    rule = apply_overrides(load_rule("hle-only"), ['no_downgrade_from="luf-2021-published"'])
    assert_same_tallies(build_model(rule, dataset, 0.3, rank_draws=1)[0], 2000, 3)


def near_twins(n: int = 24, gap: float = 1e-11) -> pd.DataFrame:
    """Half the areas in pairs whose values differ by ``gap`` (relative): too close for the 32-bit keys, apart
    for the exact keys, with the twin of the later code sometimes the needier."""
    data = make_toy_data(n=n, seed=4)
    rng = np.random.default_rng(2)
    for column in ("gva_per_hour", "unemployment_rate"):
        values = data[column].to_numpy(dtype=float, copy=True)
        values[1:n // 2:2] = values[:n // 2:2] * (1 + gap * rng.choice([-1, 1], n // 4))
        data[column] = values
    return data


@pytest.mark.parametrize("seed", [0, 2, 13])
def test_near_ties_at_a_cut_are_cut_again_with_the_exact_keys(seed):
    model = build_model(make_toy_rule(categories={"shares": [0.375, 0.25, 0.375]}), near_twins(), 0.5, rank_draws=1)[0]
    weights, method = draw(model, np.random.default_rng(seed), 500)
    order = np.argsort(method, kind="stable")
    cut_draws = CutDraws.of(model)
    _, _, exact = cut_draws.keys.cut(weights[order], method[order], Workspace(500, model.n_areas, model.n_columns, 2))
    assert 0 < len(exact) < 500  # some draws have twins across a cut (at ranks 9 and 15), some not
    assert_same_tallies(model, 3000, seed)


@pytest.mark.parametrize("shares", [[0.48, 0.04, 0.48], [0.01, 0.49, 0.5]])
def test_a_group_too_small_for_any_area_stays_empty_in_cut_draws(shares):
    """12 areas in shares that leave a group empty (sizes 6, 0, 6 and 0, 6, 6): cut draws count it as the
    fully ranked draws do. The cut once put every area beyond the previous cut into the empty group."""
    model = build_model(make_toy_rule(categories={"shares": shares}), make_toy_data(n=12), 0.3, rank_draws=1)[0]
    chunks = plan(300, model.chunk_size, 4)
    ranked = build_model(make_toy_rule(categories={"shares": shares}), make_toy_data(n=12), 0.3, rank_draws=10**6)[0]
    empty = shares.index(min(shares))
    for tally in (simulate(model, chunks), simulate(model, chunks, cut_keys=False)):
        assert tally.ranked == 1
        assert (tally.group_counts[:, empty] == 0).all()
        np.testing.assert_array_equal(tally.group_counts, simulate(ranked, chunks).group_counts)
    # and the 32-bit keys still do the cutting (an empty first group once sent every draw to the exact keys)
    weights, method = draw(model, np.random.default_rng(4), 300)
    order = np.argsort(method, kind="stable")
    work = Workspace(300, model.n_areas, model.n_columns, len(shares) - 1)
    assert len(CutDraws.of(model).keys.cut(weights[order], method[order], work)[2]) < 30


def test_above_32768_areas_scores_that_the_exact_keys_tie_are_cut_again():
    """At 32,800 areas the exact keys keep 16 bits fewer of a score than at 368, so they tie scores
    ``2**-29`` apart at 200 and order them by code. Scores 1.5 key steps apart in a range of 1 (a
    largest score of 201) must be cut again with the exact keys, not settled by the 32-bit keys."""
    import dataclasses

    n = 32_800
    model = build_model(make_toy_rule(categories={"shares": [16403 / 32800, 16397 / 32800]}), make_toy_data(n=n),
                        0.3, rank_draws=1)[0]
    scoring = model.scoring
    position = scoring.layout.code_position
    value = 200.5 + position * 1.5 * 2.0**-30  # need rises with code; neighbours 1.5 key steps apart
    value[position == 0], value[position == n - 1] = 200.0, 201.0
    scaled = np.broadcast_to(value, scoring.scaled.shape).copy()
    model = dataclasses.replace(model, scoring=dataclasses.replace(scoring, scaled=scaled))
    assert CutDraws.of(model).keys.exact_method.all()
    assert_same_tallies(model, 200, 0)


@pytest.mark.parametrize("name", ["health-inclusive", "luf-2021"])
def test_the_32_bit_keys_settle_almost_every_draw_of_a_rule_without_shared_values(name, dataset):
    """The tallies above match whichever keys cut a draw; this checks that the fast keys do the cutting
    (hle-only, whose shire districts share their county's values, sends most draws to the exact keys)."""
    model = build_model(load_rule(name), dataset, 0.3, rank_draws=1)[0]
    weights, method = draw(model, np.random.default_rng(1), 1000)
    order = np.argsort(method, kind="stable")
    work = Workspace(1000, model.n_areas, model.n_columns, len(model.scoring.cut.bounds) - 1)
    _, _, exact = CutDraws.of(model).keys.cut(weights[order], method[order], work)
    assert len(exact) < 50
