"""The small-area estimation kernels on toy data whose answer is known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocsim.datasets import small_area


def _toy(slope: float = -5.0, noise: float = 0.0, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = 40
    frame = pd.DataFrame({
        "group": np.repeat(list("ABCDEFGH"), 5),
        "weight": rng.integers(20_000, 300_000, n).astype(float),
        "x": rng.normal(0, 0.6, n),
    }, index=[f"D{i:02d}" for i in range(n)])
    level = frame["group"].map(dict(zip("ABCDEFGH", rng.normal(62, 2, 8))))
    frame["y"] = level + slope * frame["x"] + rng.normal(0, noise, n)
    return frame


def test_fit_recovers_the_slope_of_noiseless_deviations():
    toy = _toy()
    x = small_area.deviations(toy[["x"]], toy["group"], toy["weight"])
    y = toy["y"] - small_area.group_means(toy["y"], toy["group"], toy["weight"])
    assert small_area.fit_slopes(x, y) == pytest.approx([-5.0])


def test_benchmarked_predictions_average_to_the_group_value():
    toy = _toy(noise=1.0)
    value = pd.Series(60.0, index=toy.index)
    predicted = value + 3 * toy["x"]  # not centred: benchmarking must shift it
    done = small_area.benchmark(predicted, toy["group"], toy["weight"], value)
    assert small_area.group_means(done, toy["group"], toy["weight"]).to_numpy() == pytest.approx(60.0)


def test_leave_one_group_out_is_exact_without_noise_and_beats_naive_with_it():
    exact = small_area.leave_one_group_out(*_args(_toy()))
    assert (exact["predicted"] - exact["observed"]).abs().max() < 1e-9
    noisy = small_area.errors(small_area.leave_one_group_out(*_args(_toy(noise=0.5))))
    assert noisy["rmse"] < noisy["naive_rmse"] and noisy["areas"] == 40


def test_a_group_left_out_does_not_train_its_own_prediction():
    toy = _toy(noise=0.5)
    before = small_area.leave_one_group_out(*_args(toy))
    toy.loc[toy["group"] == "A", "y"] += 10 * toy.loc[toy["group"] == "A", "x"]  # steeper in A only
    after = small_area.leave_one_group_out(*_args(toy))
    b_rows = toy["group"] == "B"
    assert not np.allclose(before.loc[b_rows, "predicted"], after.loc[b_rows, "predicted"])
    a_rows = toy["group"] == "A"
    # A's prediction uses slopes from B-H only, and A's group value is its own (changed) mean.
    shift = small_area.group_means(toy["y"], toy["group"], toy["weight"])[a_rows] - before.loc[a_rows, "naive"]
    assert after.loc[a_rows, "predicted"].to_numpy() == pytest.approx((before.loc[a_rows, "predicted"] + shift).to_numpy())


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-3, 3), min_size=2, max_size=8), st.floats(50, 75))
def test_benchmark_holds_for_any_predictions(offsets, value):
    index = [f"A{i}" for i in range(len(offsets))]
    groups = pd.Series("G", index=index)
    weights = pd.Series(np.arange(1, len(offsets) + 1, dtype=float) * 1000, index=index)
    done = small_area.benchmark(pd.Series(offsets, index=index) + value, groups, weights,
                                pd.Series(value, index=index))
    assert small_area.group_means(done, groups, weights).iloc[0] == pytest.approx(value)


def _args(toy: pd.DataFrame):
    return toy["y"], toy[["x"]], toy["group"], toy["weight"]
