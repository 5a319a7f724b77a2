"""Sharing a budget in whole pence: the formula, the bidding fund, and their invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocsim.allocation import allocate
from allocsim.allocation.competitive import Bids, bidding_round_pence, draw_bids, fund_in_order
from allocsim.allocation.formula import formula_pence
from allocsim.errors import AllocsimError
from allocsim.parameters import AllocationParameters, load_parameters
from allocsim.pence import expected_pence

SOURCE = "rules/parameters/allocation.toml"


@pytest.fixture(scope="module")
def params() -> AllocationParameters:
    return load_parameters(AllocationParameters, None, "allocation")[0]


def with_formula(params: AllocationParameters, **values) -> AllocationParameters:
    """The shipped parameters with formula values replaced (validated again)."""
    raw = params.model_dump()
    for name, value in values.items():
        raw["formula"][name]["value"] = value
    return AllocationParameters.model_validate(raw)


def three_areas(groups=(1, 2, 3), population=(100, 200, 300)) -> tuple[pd.Series, pd.Series]:
    codes = pd.Index(["A", "B", "C"], name="code")
    return pd.Series(groups, index=codes), pd.Series(population, index=codes)


# -- formula -----------------------------------------------------------------------------------

def test_formula_by_hand(params):
    """Weights 3:2:1 x population 100/200/300 = need 300:400:300; £600 -> £180, £240, £180."""
    groups, population = three_areas()
    allocated = allocate(groups, population, 60_000, "formula", params, SOURCE)
    assert allocated.pence.tolist() == [[18_000, 24_000, 18_000]]
    assert allocated.unspent_pence.tolist() == [0]


def test_formula_cap_shares_the_excess(params):
    """A £230 cap stops B at £230; the other £370.01 goes to A and C (equal need 300 each):
    £185.005 each, and the tied odd penny goes to the earlier row, A."""
    groups, population = three_areas()
    allocated = allocate(groups, population, 60_001, "formula", with_formula(params, cap_gbp=230), SOURCE)
    assert allocated.pence.tolist() == [[18_501, 23_000, 18_500]]


def test_formula_floor_lifts_small_areas(params):
    """A £190 floor: A and C rise to £190, B takes the remaining £220."""
    groups, population = three_areas()
    allocated = allocate(groups, population, 60_000, "formula", with_formula(params, floor_gbp=190), SOURCE)
    assert allocated.pence.tolist() == [[19_000, 22_000, 19_000]]


def test_caps_that_cannot_absorb_the_budget_leave_it_unspent(params):
    groups, population = three_areas()
    allocated = allocate(groups, population, 60_000, "formula", with_formula(params, cap_gbp=100), SOURCE)
    assert allocated.pence.tolist() == [[10_000, 10_000, 10_000]]
    assert allocated.unspent_pence.tolist() == [30_000]


def test_a_floor_the_budget_cannot_pay_is_refused(params):
    groups, population = three_areas()
    with pytest.raises(AllocsimError) as error:
        allocate(groups, population, 60_000, "formula", with_formula(params, floor_gbp=250), SOURCE)
    assert str(error.value) == (f"{SOURCE}: formula.floor_gbp.value: a floor of £250.00 (2020-21 prices) for each of 3 areas "
                                f"needs £750.00, more than the budget £600.00")


def test_more_groups_than_weights_is_refused(params):
    groups, population = three_areas(groups=(1, 2, 4))
    with pytest.raises(AllocsimError,
                       match="formula.group_weights.value: gives 3 groups but the rule puts areas in groups up to 4"):
        allocate(groups, population, 60_000, "formula", params, SOURCE)


def test_tiny_weights_share_as_their_ratios_do(params):
    """Weights 3:2:1 scaled by 1e-306 (or down to subnormals) allocate exactly as 3:2:1; once lambda
    overflowed and every area got -92233720368547760 pence."""
    groups, population = three_areas()
    for weights in ([3e-306, 2e-306, 1e-306], [3 * 2.0**-1060, 2 * 2.0**-1060, 2.0**-1060]):  # then subnormal
        allocated = allocate(groups, population, 60_000, "formula", with_formula(params, group_weights=weights), SOURCE)
        assert allocated.pence.tolist() == [[18_000, 24_000, 18_000]]


def test_a_cap_passes_the_rest_to_an_area_of_tiny_need(params):
    """A group-1 area capped at £100 leaves £50 of £150 to an area whose need is 1e-320 of it (and
    nothing to one with no need): the need is scaled between its smallest and largest values, so lambda
    stays finite; scaled by its largest alone, lambda overflowed and the weights were refused."""
    groups, population = three_areas()
    tiny = with_formula(params, group_weights=[1, 1e-320, 0], cap_gbp=100)
    assert allocate(groups, population, 15_000, "formula", tiny, SOURCE).pence.tolist() == [[10_000, 5_000, 0]]


@pytest.mark.parametrize("population, shown", [((100, None, 300), "has no value"), ((100, 0, 300), "has 0"),
                                               ((100, -5, 300), "has -5")])
def test_a_missing_or_zero_population_is_refused(params, population, shown):
    groups, people = three_areas(population=population)
    with pytest.raises(AllocsimError) as error:
        allocate(groups, people.astype("Float64"), 60_000, "formula", params, SOURCE)
    assert str(error.value) == (f"population: area B {shown}; every area needs a population above 0 "
                                f"to share the budget per head")


@pytest.mark.parametrize("text, shown", [("n/a", "has 'n/a', which is not a number"), (" ", "has no value")])
def test_a_text_population_is_refused_as_not_a_number(params, text, shown):
    """Text such as 'n/a' was once reported as having no value."""
    groups, people = three_areas(population=("100", text, "300"))
    with pytest.raises(AllocsimError) as error:
        allocate(groups, people, 60_000, "formula", params, SOURCE,
                 population_source="areas.csv: column 'population_2019'")
    assert str(error.value) == (f"areas.csv: column 'population_2019': area B {shown}; every area needs a "
                                f"population above 0 to share the budget per head")


def test_unknown_mechanism_is_refused(params):
    groups, population = three_areas()
    with pytest.raises(AllocsimError, match="--mechanism: must be one of formula, competitive, got 'lottery'"):
        allocate(groups, population, 60_000, "lottery", params, SOURCE)


# -- competitive -------------------------------------------------------------------------------

def one_round(sizes_pence, submit=(0, 0, 0), order=(0.5, 0.5, 0.5)) -> Bids:
    """One draw, one round, one slot per area, every bid succeeding unless told otherwise."""
    shape = (1, 1, 1, len(sizes_pence))
    return Bids(np.reshape(submit, shape).astype(float), np.zeros(shape),
                np.reshape(sizes_pence, shape).astype(np.int64), np.reshape(order, shape).astype(float))


def test_bids_funded_by_group_with_the_last_part_funded():
    """Bids of £300 (group 1), £250 (group 2), £200 (group 3) against £600: group 1 and 2 in full,
    group 3's bid gets the £50 left."""
    bids = one_round([30_000, 25_000, 20_000])
    pence = bidding_round_pence(bids, np.ones(3), np.ones(3), np.array([0, 1, 2]), 60_000)
    assert pence.tolist() == [[30_000, 25_000, 5_000]]


def test_random_order_decides_within_a_group():
    """All in one group: the order uniforms decide; C (0.1) then A (0.2) then B (0.9) part-funded."""
    bids = one_round([30_000, 25_000, 20_000], order=(0.2, 0.9, 0.1))
    pence = bidding_round_pence(bids, np.ones(3), np.ones(3), np.zeros(3, dtype=int), 60_000)
    assert pence.tolist() == [[30_000, 10_000, 20_000]]


def test_bids_not_submitted_get_nothing_and_money_is_left_unspent():
    bids = one_round([30_000, 25_000, 20_000], submit=(0.0, 0.9, 0.0))
    pence = bidding_round_pence(bids, np.full(3, 0.5), np.ones(3), np.array([0, 1, 2]), 60_000)
    assert pence.tolist() == [[30_000, 0, 20_000]]


def test_competitive_allocation_reports_unspent_per_draw(params):
    groups, population = three_areas()
    allocated = allocate(groups, population, 100_000_000_000, "competitive", params, SOURCE, draws=20,
                         rng=np.random.default_rng(1))
    assert allocated.pence.shape == (20, 3)
    # Three areas cannot absorb £1bn with £20m bids: everything they win is paid, the rest reported.
    assert (allocated.pence.sum(axis=1) + allocated.unspent_pence == 100_000_000_000).all()
    assert (allocated.unspent_pence > 0).all()


def test_calibration_reproduces_the_published_round(params):
    """LUF round 2 (HM Treasury, MHCLG and DfT, 2022): 529 bids for £8.8bn, 111 funded, and of 90
    funded GB council projects 59 / 27 / 4 in categories 1 / 2 / 3; round 1 categories hold 123 / 123 /
    122 GB councils. One modelled round should reproduce these in expectation."""
    c = params.competitive
    areas = np.array([123, 123, 122])
    bids = areas * c.bid_slots_per_area.value * np.array(c.bid_probability.value)
    funded = bids * np.array(c.success_probability.value)
    assert bids.sum() == pytest.approx(529, abs=0.5)
    assert funded.sum() == pytest.approx(111, abs=0.5)
    assert funded / funded.sum() == pytest.approx(np.array([59, 27, 4]) / 90, abs=0.002)
    mean_bid = c.bid_cap_gbp.value * c.bid_size_mean_share_of_cap.value
    assert mean_bid == pytest.approx(8.8e9 / 529, rel=1e-3)


def test_draw_bids_has_the_calibrated_mean_size():
    bids = draw_bids(np.random.default_rng(0), 200, 1, 2, 368, 2_000_000_000, 0.8318, 5.0)
    assert bids.size_pence.max() <= 2_000_000_000
    assert bids.size_pence.mean() / 100 == pytest.approx(16.64e6, rel=0.01)


# -- properties --------------------------------------------------------------------------------

areas_strategy = st.integers(1, 12)


@st.composite
def formula_cases(draw):
    n = draw(areas_strategy)
    need = np.array(draw(st.lists(st.integers(0, 10**7), min_size=n, max_size=n)), dtype=float)
    if not need.any():
        need[0] = 1.0
    floor = np.array(draw(st.lists(st.integers(0, 10**6), min_size=n, max_size=n)), dtype=float)
    capped = draw(st.booleans())
    cap = floor + np.array(draw(st.lists(st.integers(0, 10**8), min_size=n, max_size=n))) if capped else np.full(n, np.inf)
    budget = int(floor.sum()) + draw(st.integers(1, 10**10))
    return need, floor, cap, budget


@settings(max_examples=300, deadline=None)
@given(case=formula_cases())
def test_formula_spends_the_budget_to_the_penny(case):
    need, floor, cap, budget = case
    pence = formula_pence(need, budget, floor, cap)
    capacity = np.where(need > 0, cap, floor).sum()
    assert pence.sum() == min(budget, capacity)
    assert (pence >= floor).all() and (pence <= cap).all()


@settings(max_examples=300, deadline=None)
@given(case=formula_cases(), more=st.integers(1, 10**9))
def test_more_budget_never_reduces_an_area_s_formula_allocation(case, more):
    need, floor, cap, budget = case
    before = formula_pence(need, budget, floor, cap)
    after = formula_pence(need, budget + more, floor, cap)
    assert (after >= before).all()


@settings(max_examples=200, deadline=None)
@given(case=formula_cases())
def test_one_more_penny_goes_to_exactly_one_area(case):
    """House monotonicity at the smallest step, where largest-remainder rounding would fail."""
    need, floor, cap, budget = case
    before = formula_pence(need, budget, floor, cap)
    after = formula_pence(need, budget + 1, floor, cap)
    assert (after - before).sum() in (0, 1) and (after >= before).all()


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 8), budget=st.integers(1, 10**11), seed=st.integers(0, 2**32),
       groups=st.lists(st.integers(1, 3), min_size=8, max_size=8))
def test_every_competitive_draw_spends_the_budget_or_reports_the_rest(params, n, budget, seed, groups):
    codes = pd.Index([f"A{i}" for i in range(n)])
    allocated = allocate(pd.Series(groups[:n], index=codes), pd.Series(1000, index=codes), budget,
                         "competitive", params, SOURCE, draws=5, rng=np.random.default_rng(seed))
    assert (allocated.pence.sum(axis=1) + allocated.unspent_pence == budget).all()
    assert (allocated.pence >= 0).all() and (allocated.unspent_pence >= 0).all()


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**32))
def test_the_same_seed_reproduces_the_draws_and_another_differs(params, seed):
    groups, population = three_areas()
    run = lambda s: allocate(groups, population, 10**10, "competitive", params, SOURCE, draws=10,  # noqa: E731
                             rng=np.random.default_rng(s)).pence
    assert np.array_equal(run(seed), run(seed))
    assert not np.array_equal(run(seed), run(seed + 1))


def test_fund_in_order_pays_in_key_order():
    funded = fund_in_order(np.array([[5, 3, 4], [5, 3, 4]]), np.array([[0.5, 0.1, 0.2], [0.1, 0.2, 0.3]]), 8)
    assert funded.tolist() == [[1, 3, 4], [5, 3, 0]]


# -- expected allocations ----------------------------------------------------------------------

def test_expected_pence_gives_the_short_pennies_to_the_largest_remainders():
    """Three areas each funded 1p in two of three draws: each mean is 2/3p, which alone rounds to
    1p (3p in all), but the mean total is 6p / 3 = 2p; the tie goes to the earlier rows."""
    pence = np.array([[1, 1, 0], [1, 0, 1], [0, 1, 1]])
    assert expected_pence(pence).tolist() == [1, 1, 0]


def test_expected_pence_is_exact_where_64_bits_would_overflow():
    """20,000 draws of 10^15 pence (the largest budget) sum to 2 x 10^19, past 2^63 (9.2 x 10^18)."""
    pence = np.full((20_000, 2), 10**15 // 2, dtype=np.int64)
    pence[0, 0] += 1
    assert expected_pence(pence).tolist() == [10**15 // 2, 10**15 // 2]


@settings(max_examples=300, deadline=None)
@given(rows=st.integers(1, 30), seed=st.integers(0, 2**32), areas=st.integers(1, 12))
def test_expected_pence_sum_to_the_mean_total_and_stay_within_a_penny(rows, seed, areas):
    pence = np.random.default_rng(seed).integers(0, 10**12, size=(rows, areas))
    expected = expected_pence(pence)
    mean_total = pence.sum() / rows
    assert abs(int(expected.sum()) - mean_total) <= 0.5
    assert (np.abs(expected - pence.mean(axis=0)) < 1).all()


@pytest.mark.parametrize("override, message", [
    ("formula.group_weights.value=[true,1,1]", "formula.group_weights.value[0]: must be a valid number (got True)"),
    ('formula.group_weights.value=["3",2,1]', "formula.group_weights.value[0]: must be a valid number (got '3')"),
    ("competitive.rounds.value=2.0", "competitive.rounds.value: must be a valid integer (got 2.0)"),
])
def test_a_parameter_number_must_be_written_as_a_number(override, message):
    """As in rule files: true was read as 1 and "3" as 3."""
    from allocsim.parameters import AllocationParameters, load_parameters

    with pytest.raises(AllocsimError) as error:
        load_parameters(AllocationParameters, None, "allocation", [override])
    assert str(error.value).endswith(f"--param {override}: {message}")
