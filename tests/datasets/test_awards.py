"""LUF money awarded, rounds 1 and 2: joins, splits and totals."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocsim.datasets.awards import split_pence
from allocsim.paths import dataset_path, metadata_path_for

LANCASHIRE_R2_BID = 49_602_741  # Lancashire County Council, round 2 (luf_outcomes round 2 file)


@pytest.fixture(scope="module")
def awards():
    return json.loads(metadata_path_for(dataset_path()).read_text())["luf_awards"]


def test_burnley_round_1(dataset):
    # PROVENANCE.md spot check: Burnley, round 1, GBP 19,900,000 (E07000117).
    assert dataset.at["E07000117", "luf_r1_award_gbp"] == 19_900_000
    assert dataset.at["E07000117", "luf_r1_bids"] == 1
    assert dataset.at["E07000117", "luf_r1_award_attribution"] == "own"


def test_a_county_led_bid_is_shared_by_population_and_sums_back_to_the_bid(dataset):
    lancashire = dataset[dataset["upper_tier_code"] == "E10000017"]
    assert len(lancashire) == 12 and (lancashire["luf_r2_award_attribution"] == "attributed").all()
    # Hyndburn, Lancaster and Preston also led bids of their own in round 2.
    own = {"E07000120": 20_000_000, "E07000121": 50_000_000, "E07000123": 20_000_000}
    shares = lancashire["luf_r2_award_gbp"] - pd.Series(own).reindex(lancashire.index).fillna(0)
    assert round(shares.sum() * 100) == LANCASHIRE_R2_BID * 100
    per_head = shares / lancashire["population_2019"]
    assert per_head.max() - per_head.min() < 1e-6  # by population, to the penny


def test_split_pence_rounds_by_largest_remainder():
    weights = pd.Series({"B": 1.0, "A": 1.0, "C": 1.0})
    assert split_pence(100, weights).to_dict() == {"B": 33, "A": 34, "C": 33}


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 5_000_000_000), st.lists(st.integers(1, 1_200_000), min_size=1, max_size=14))
def test_split_pence_always_adds_up_to_the_bid(pence, populations):
    weights = pd.Series(populations, index=[f"E{i:08d}" for i in range(len(populations))])
    shares = split_pence(pence, weights)
    assert shares.sum() == pence and (shares >= 0).all()
    exact = pence * weights / weights.sum()
    assert (shares - exact).abs().max() < 1


@pytest.mark.parametrize(("round_key", "title", "total_m", "ni_bids"), [("r1", "round_1", 1693.3, 11),
                                                                         ("r2", "round_2", 2088.2, 10)])
def test_totals_reconcile_with_northern_ireland_apart(dataset, awards, round_key, title, total_m, ni_bids):
    record = awards[title]
    gb = round(dataset[f"luf_{round_key}_award_gbp"].sum() * 100)
    ni = round(record["northern_ireland"]["total_gbp"] * 100)
    assert gb == round(record["great_britain"]["total_gbp"] * 100)
    assert gb + ni == round(record["total_gbp"] * 100)
    assert round(record["total_gbp"] / 1e5) == round(total_m * 10)
    assert record["northern_ireland"]["bids"] == ni_bids
    assert record["bids"] == {"r1": 105, "r2": 111}[round_key]


def test_successor_codes_map_back_by_the_lead_authoritys_name(dataset):
    # Barrow-in-Furness, round 1, GBP 15,992,485 listed under Westmorland and Furness (E06000064).
    assert dataset.at["E07000027", "luf_r1_award_gbp"] == 15_992_485
    assert dataset.at["E07000030", "luf_r1_award_gbp"] == 0  # Eden, also in the successor
    # Round 2: Allerdale 9,586,777 and Copeland 20,000,000 (both Cumberland, E06000063), plus
    # their population shares of Cumbria County Council's bid over all six Cumbrian districts.
    cumbria = dataset[dataset["upper_tier_code"] == "E10000006"]
    assert (cumbria["luf_r2_award_attribution"] == "attributed").all()
    own = cumbria["luf_r2_award_gbp"] - pd.Series({"E07000026": 9_586_777, "E07000029": 20_000_000}) \
        .reindex(cumbria.index).fillna(0)
    assert round(own.sum() * 100) == 1_782_669_700


def test_the_bridgwater_bid_is_sedgemoors(dataset):
    """Somerset County Council's round 1 bid, listed under the new Somerset's code (E06000066): its project is
    in Bridgwater, Sedgemoor (luf_outcomes PROVENANCE.md), not shared over four districts by population."""
    assert dataset.at["E07000188", "luf_r1_award_gbp"] == 10_058_181
    assert dataset.at["E07000188", "luf_r1_award_attribution"] == "own"
    for district in ("E07000187", "E07000189", "E07000246"):  # Mendip, South Somerset, Somerset West and Taunton
        assert dataset.at[district, "luf_r1_award_gbp"] == 0 and pd.isna(dataset.at[district,
                                                                                   "luf_r1_award_attribution"])


def test_areas_without_a_bid_have_zero_and_no_flag(dataset):
    none = dataset[dataset["luf_r1_bids"] == 0]
    assert (none["luf_r1_award_gbp"] == 0).all() and none["luf_r1_award_attribution"].isna().all()
    assert dataset["luf_r1_bids"].dtype.kind in "iu" or str(dataset["luf_r1_bids"].dtype) == "Int64"


def test_single_district_round_1_bids_by_category_match_the_provenance_check(raw_dir, dataset):
    """luf_outcomes/PROVENANCE.md: single-district GB bids joined to the round 1 categories give
    category 1 61 bids / GBP 1,117m, category 2 18 / 271m, category 3 8 / 103m (codes as listed,
    so Barrow-in-Furness, listed under its 2023 successor, is not among them)."""
    from allocsim.datasets import awards, sources

    predecessors = awards._predecessors(sources.read_mysociety(raw_dir), set(dataset.index))
    rows = [awards._attribute(row, dataset.index, predecessors, dataset["name"])
            for row in awards.read_bids(raw_dir, "r1").itertuples(index=False)]
    own = pd.DataFrame([(dataset.at[b.areas[0], "luf_r1_category"], b.pence) for b in rows if b.how == "own"],
                       columns=["category", "pence"])
    summary = own.groupby("category")["pence"].agg(["size", "sum"])
    assert summary["size"].tolist() == [61, 18, 8]
    assert (summary["sum"] / 1e8).round().tolist() == [1117, 271, 103]
