"""The modelled health return: the arithmetic by hand, the need gradient, the parameter file."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocsim import prices
from allocsim.datasets.load import HLE_RANGE
from allocsim.errors import AllocsimError
from allocsim.health import (
    area_categories,
    central_parameters,
    discount_factor,
    draw_parameters,
    model_health,
    need_multiplier,
    undiscounted_qalys,
)
from allocsim.parameters import HealthParameters, load_parameters

SHIPPED = "rules/parameters/health-return.toml"


@pytest.fixture(scope="module")
def params() -> HealthParameters:
    return load_parameters(HealthParameters, None, "health")[0]


def one_area(population=10_000, hle=60.0) -> pd.DataFrame:
    return pd.DataFrame({"population": [population], "hle_male_2011_13": [hle], "imd2019_rank": [1.0],
                         "region": ["North East"]}, index=pd.Index(["A"], name="code"))


def test_linear_model_by_hand(params):
    """One area, £1m, every parameter at its central value (rules/parameters/health-return.toml):
    health-acting share 0.34 x 0.10 + 0.33 x 0.10 + 0.33 x 0.05 = 0.0835; the cost per QALY of
    £3,800 in 2013-14 prices is £3,800 x 95.825 / 82.175 = £4,431.21 in 2020-21 prices (the GDP
    deflator); QALYs before discounting £1m x 0.0835 / £4,431.21 = 18.84; spread evenly over years 5
    to 25 at 1.5% a year the mean discount factor is (1.015^-5 - 1.015^-25) / (20 ln 1.015) = 0.8028;
    value at £70,000 a QALY (2020-21 prices); a single area has need multiplier 1."""
    result = model_health(np.array([[1_000_000.0]]), one_area(), params, SHIPPED, central_parameters(params))
    raw = 1_000_000 * (0.34 * 0.10 + 0.33 * 0.10 + 0.33 * 0.05) / (3800 * 95.825 / 82.175)
    factor = (1.015 ** -5 - 1.015 ** -25) / (20 * math.log(1.015))
    row = result.table.loc["A"]
    assert raw == pytest.approx(18.8436, abs=1e-4) and factor == pytest.approx(0.80281, abs=1e-5)
    assert row["modelled_qalys_median"] == pytest.approx(raw * factor) == row["modelled_qalys_central"]
    assert row["modelled_healthy_months_median"] == pytest.approx(12 * raw / 10_000)
    assert row["modelled_value_gbp_median"] == pytest.approx(raw * factor * 70_000)
    assert row["modelled_bcr_median"] == pytest.approx(raw * factor * 70_000 / 1_000_000)
    assert row["modelled_qalys_p05"] == row["modelled_qalys_median"] == row["modelled_qalys_p95"]


def test_every_output_says_it_is_modelled(params):
    result = model_health(np.array([[1e6]]), one_area(), params, SHIPPED, central_parameters(params))
    assert result.summary.to_json()["modelled_notice"].startswith("Modelled, not observed")
    assert SHIPPED in result.summary.to_json()["modelled_notice"]
    assert all(c.startswith("modelled_") for c in result.table.columns)


def test_discounting():
    assert discount_factor(np.array([0.0]), np.array([5.0]), np.array([20.0])) == pytest.approx(1.0)
    # A very short horizon discounts at the lag: (1.015)^-10.
    assert discount_factor(np.array([0.015]), np.array([10.0]), np.array([1e-6])) == pytest.approx(1.015 ** -10)


def test_need_multiplier_favours_low_hle_and_adds_nothing_overall():
    hle, population = np.array([50.0, 60.0, 70.0]), np.array([1.0, 2.0, 1.0])
    m = need_multiplier(hle, population, np.array([0.0, 1.0, 3.0]))
    assert m[0] == pytest.approx(np.ones(3))
    assert (np.diff(m[1:], axis=1) < 0).all()
    assert m @ (population / population.sum()) == pytest.approx(np.ones(3))


def test_diminishing_returns_match_linear_for_little_money_and_fall_below_for_much():
    """1,000 residents, saturation £50 a head (k = £50,000): £10m with 10% acting on health is
    £1m = 20 k, which buys k ln(1 + 20) = 3.04 k, 15.2% of the linear return."""
    population, share, cost = np.array([1000.0]), np.array([0.1]), np.array([3800.0])
    ones, k = np.ones((1, 1)), np.array([50.0])
    for spend, ratio in ((10.0, 1.0), (1e7, math.log(21) / 20)):
        linear = undiscounted_qalys(np.array([[spend]]), population, share, cost, ones, "linear", k)
        curved = undiscounted_qalys(np.array([[spend]]), population, share, cost, ones, "diminishing", k)
        assert curved[0, 0] / linear[0, 0] == pytest.approx(ratio, abs=0.01)


def test_deciles_and_quintiles():
    n = 20
    areas = pd.DataFrame({"hle_male_2011_13": np.arange(n, 0, -1) + 50.0,
                          "imd2019_rank": [np.nan] * 5 + list(range(1, 16)),
                          "region": ["X"] * n}, index=[f"E{i:02d}" for i in range(n)])
    categories = area_categories(areas, "hle_male_2011_13")
    assert categories["hle_decile"].tolist() == [10, 10, 9, 9, 8, 8, 7, 7, 6, 6, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    assert categories["imd_quintile"].isna().sum() == 5
    assert categories["imd_quintile"].dropna().tolist() == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5]


def test_money_to_low_hle_areas_narrows_the_gap(params):
    n = 10
    areas = pd.DataFrame({"population": [1000] * n, "hle_male_2011_13": 55.0 + np.arange(n)},
                         index=[f"A{i}" for i in range(n)])
    allocation = np.zeros((1, n))
    allocation[0, 0] = 1e6
    result = model_health(allocation, areas, params, SHIPPED, central_parameters(params))
    assert result.summary.to_json()["healthy_months_gap"]["modelled_difference_months"]["median"] < 0
    assert result.summary.to_json()["healthy_months_gap"]["baseline_hle_gap_years"] == 9.0
    breakdown = result.breakdowns["hle_decile"]
    assert breakdown["category"].tolist() == list(range(1, 11))
    assert breakdown.loc[0, "allocation"] == 1e6 and breakdown["allocation"].iloc[1:].sum() == 0


def test_a_missing_hle_value_is_refused(params):
    areas = pd.concat([one_area(), one_area(hle=np.nan).rename(index={"A": "B"})])
    with pytest.raises(AllocsimError) as error:
        model_health(np.ones((1, 2)), areas, params, SHIPPED, central_parameters(params))
    assert str(error.value) == ("column 'hle_male_2011_13': no value for area B; the health model needs one for "
                                "every area (choose another column with --param hle_column.value=COLUMN)")


def test_hle_messages_name_the_data_file_when_given(params):
    areas = pd.concat([one_area(), one_area(hle=np.nan).rename(index={"A": "B"})])
    with pytest.raises(AllocsimError) as error:
        model_health(np.ones((1, 2)), areas, params, SHIPPED, central_parameters(params), data_file="areas.csv")
    assert str(error.value).startswith("areas.csv: column 'hle_male_2011_13': no value for area B;")
    with pytest.raises(AllocsimError) as error:
        model_health(np.ones((1, 2)), areas.drop(columns="hle_male_2011_13"), params, SHIPPED,
                     central_parameters(params), data_file="areas.csv")
    assert str(error.value) == f"{SHIPPED}: hle_column.value: 'hle_male_2011_13' is not a column of areas.csv"


def test_the_population_column_is_never_taken_as_hle(params):
    """``population`` is the model's own input; with HLE-like values it would pass every other check."""
    areas = one_area(population=60)
    chosen = params.model_copy(update={"hle_column": params.hle_column.model_copy(update={"value": "population"})})
    with pytest.raises(AllocsimError) as error:
        model_health(np.ones((1, 1)), areas, chosen, SHIPPED, central_parameters(chosen))
    assert str(error.value) == f"{SHIPPED}: hle_column.value: 'population' is not a column of the dataset"


def test_expected_allocations_given_are_used_as_given(params):
    """A caller that has each area's expected pounds already (simulate) passes them in."""
    areas = pd.concat([one_area(), one_area().rename(index={"A": "B"})])
    drawn = central_parameters(params)
    worked_out = model_health(np.array([[1.0, 3.0]]), areas, params, SHIPPED, drawn)
    given_ = model_health(np.array([[1.0, 3.0]]), areas, params, SHIPPED, drawn, expected_gbp=np.array([2.0, 5.0]))
    assert worked_out.breakdowns["hle_decile"]["allocation"].sum() == 4.0
    assert given_.breakdowns["hle_decile"]["allocation"].sum() == 7.0


@pytest.mark.parametrize("values, why", [
    (["North", "South"], "is not numeric; it must hold healthy life expectancy in years (40-90)"),
    ([60.0, 93663.0], "has 93663 for area B, outside 40-90 years; it must hold healthy life expectancy"),
    ([60.0, 12.0], "has 12 for area B, outside 40-90 years; it must hold healthy life expectancy"),
])
def test_an_hle_column_that_does_not_hold_hle_is_refused(params, values, why):
    areas = pd.concat([one_area(), one_area().rename(index={"A": "B"})]).assign(hle_male_2011_13=values)
    with pytest.raises(AllocsimError) as error:
        model_health(np.ones((1, 2)), areas, params, SHIPPED, central_parameters(params))
    assert str(error.value) == f"{SHIPPED}: hle_column.value: column 'hle_male_2011_13' {why}"


def test_the_hle_range_is_the_one_data_validate_uses(params):
    """The edges of HLE_RANGE are allowed, just outside them is not."""
    low, high = HLE_RANGE
    areas = pd.concat([one_area(hle=low), one_area(hle=high).rename(index={"A": "B"})])
    assert model_health(np.ones((1, 2)), areas, params, SHIPPED, central_parameters(params)).table.shape[0] == 2
    with pytest.raises(AllocsimError, match="outside 40-90 years"):
        model_health(np.ones((1, 2)), areas.assign(hle_male_2011_13=[low, high + 0.1]), params, SHIPPED,
                     central_parameters(params))


def test_breakdown_allocations_add_up_to_the_penny(params):
    """Three areas each funded 1p in one of three draws: each mean is a third of a penny, which
    rounds to 0p on its own, but the mean total is 1p and the breakdown must add up to it."""
    areas = pd.DataFrame({"population": [1000] * 3, "hle_male_2011_13": [55.0, 60.0, 65.0],
                          "region": ["A", "B", "C"]}, index=["A0", "A1", "A2"])
    drawn = draw_parameters(params, 3, np.random.default_rng(0))
    by_region = model_health(np.eye(3) / 100, areas, params, SHIPPED, drawn).breakdowns["region"]
    assert by_region["allocation"].tolist() == [0.01, 0.0, 0.0]


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**32), draws=st.integers(1, 50))
def test_parameter_draws_are_seeded_and_within_range(params, seed, draws):
    first = draw_parameters(params, draws, np.random.default_rng(seed))
    again = draw_parameters(params, draws, np.random.default_rng(seed))
    other = draw_parameters(params, draws, np.random.default_rng(seed + 1))
    assert all(np.array_equal(first[k], again[k]) for k in first)
    assert not np.array_equal(first["lag_years"], other["lag_years"])
    # the study's specifications, each converted from 2013-14 to 2020-21 prices
    assert np.isin(first["cost_per_qaly"], np.array([2725, 3412, 3800, 4845]) * prices.factor("2013-14")).all()
    assert (first["discount_rate"] == 0.015).all()


@pytest.mark.parametrize("override, message", [
    ("cost_per_qaly.central=5000", "cost_per_qaly.central: must be one of the specifications 2725, 3412, 3800, 4845, got 5000"),
    ("health_share.culture.high=1.5", "health_share.culture.high: must be a share between 0 and 1, got 1.5"),
    ("lag_years.low=-1", "lag_years.low: must be from 0 to 1000 years, got -1"),
    ("discount_rate.high=1", "discount_rate.high: must be a yearly rate from 0 up to (not including) 1, got 1"),
    ("theme_mix.value.culture=0.5", "theme_mix.value: shares must sum to 1, got 1.17"),
    ("curve.value=cubic", "curve.value: must be 'linear' or 'diminishing' (got 'cubic')"),
    ("qaly_value.source=''", "qaly_value: give the value's 'source', or label it an 'assumption' with the reason"),
    ("cost_per_qaly.central=cheap", "cost_per_qaly.central: must be a valid number (got 'cheap')"),
    ("cost_per_qaly.central=true", "cost_per_qaly.central: must be a valid number (got True)"),  # was read as 1
    ("lag_years.low=true", "lag_years.low: must be a valid number (got True)"),  # was read as 1
    ('lag_years.low="0.5"', "lag_years.low: must be a valid number (got '0.5')"),  # was read as 0.5
    ("cost_per_qaly.median=1", "cost_per_qaly.median: unknown key"),
])
def test_a_parameter_outside_its_range_is_refused(override, message):
    with pytest.raises(AllocsimError) as error:
        load_parameters(HealthParameters, None, "health", [override])
    assert str(error.value) == f"{SHIPPED} with --param {override}: {message}"


def test_the_shipped_values_from_sources_are_those_sources_give(params):
    # Martin, Lomas & Claxton (2020); HM Treasury Green Book (2022)
    assert params.cost_per_qaly.central == 3800 and "Martin, Lomas & Claxton" in params.cost_per_qaly.source
    assert params.discount_rate.central == 0.015 and params.qaly_value.central == 70_000


column_values = st.one_of(st.floats(-1e6, 1e6, allow_nan=False), st.just(np.nan))


@given(st.integers(1, 40).flatmap(lambda draws: st.lists(
    st.lists(column_values, min_size=draws, max_size=draws), min_size=1, max_size=6)))
def test_intervals_are_np_nanquantile_column_by_column_bit_for_bit(columns):
    """Columns without NaN are taken together, those with some NaN one by one, all-NaN ones give NaN."""
    import warnings

    from allocsim.health.draws import QUANTILES, interval

    values = np.array(columns).T
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = np.column_stack([np.nanquantile(values[:, j], QUANTILES) for j in range(values.shape[1])])
    assert interval(values).tobytes() == expected.tobytes()


def test_a_decimal_without_a_leading_digit_is_a_number_in_param(dataset):
    """'.5' is not TOML; it was kept as text and then refused as 'must be a valid number (got '.5')'."""
    import allocsim

    half = allocsim.simulate("hle-only", dataset, 1e9, draws=10, param_overrides=["need_elasticity.central=.5"])
    same = allocsim.simulate("hle-only", dataset, 1e9, draws=10, param_overrides=["need_elasticity.central=0.5"])
    none = allocsim.simulate("hle-only", dataset, 1e9, draws=10)
    assert half.summary.to_json()["parameter_overrides"] == ["need_elasticity.central=.5"]
    assert half.summary.central == same.summary.central != none.summary.central
