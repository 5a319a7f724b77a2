"""Rebuilding the dataset from ../shared/data/raw reproduces the committed files exactly."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from allocsim.datasets import build as build_module
from allocsim.datasets import deflator, geography
from allocsim.datasets.boundaries import build_boundaries
from allocsim.paths import BOUNDARIES_NAME, DATASET_NAME


@pytest.fixture(scope="module")
def rebuilt(raw_dir, repo, tmp_path_factory):
    out = tmp_path_factory.mktemp("rebuilt")
    table, metadata, report = build_module.build(raw_dir, repo / "datasets")
    boundaries = build_boundaries(raw_dir, set(table["code"]))
    build_module.write(table, metadata, boundaries, out)
    deflator.write(deflator.financial_years(deflator.read_quarters(raw_dir)), out)
    return out, report


def test_rebuild_equals_committed_files(rebuilt, repo):
    out, _ = rebuilt
    for name in (f"{DATASET_NAME}.csv", f"{DATASET_NAME}.meta.json", BOUNDARIES_NAME, "gdp_deflator.csv",
                 "gdp_deflator.meta.json"):
        fresh = (out / name).read_bytes()
        committed = (repo / "datasets" / name).read_bytes()
        assert fresh == committed, f"{name} differs: run python -m allocsim.datasets.build"


def test_reconciliation_reports_every_source(rebuilt):
    _, report = rebuilt
    text = "\n".join(report)
    assert "luf_r1: 368 of 368 names matched (1 through the alias table)" in text
    assert "hle_male_2011_13 [hle_2026" in text and "missing 0" in text
    assert "health_index_2019 [health_index" in text and "successor 7, proxy 2" in text


def test_reconciliation_prints_the_new_joins(rebuilt):
    text = "\n".join(rebuilt[1])
    assert "hle_male_2011_13_district: slope" in text and "leave-one-out on 123 areas" in text
    assert "luf_outcomes_r1: 105 bids, £1,693,323,657.33 (announced 105 bids, £1,693.3m: reconciled)" in text
    assert "luf_outcomes_r2: 111 bids, £2,088,234,431.00 (announced 111 bids, £2,088.2m: reconciled)" in text
    assert "Northern Ireland 11 bids £48,791,079.00" in text and "Northern Ireland 10 bids £71,072,373.00" in text
    assert "12 straddle two ICBs" in text and "East Suffolk tied" in text
    assert "differs for none" in text  # December 2020 combined authorities agree with mySociety's


def test_raw_spot_values(raw_dir, dataset):
    hle = pd.read_csv(raw_dir / "ons_healthy_life_expectancy/healthy-life-expectancy.csv")
    pick = hle[(hle["areacd"] == "E06000009") & (hle["indicator"] == "Male healthy life expectancy")
               & (hle["period"] == "2011-01-01/P3Y")]
    assert dataset.at["E06000009", "hle_male_2011_13"] == pick["observation"].item()
    lancashire = hle[(hle["areacd"] == "E10000017") & (hle["indicator"] == "Female healthy life expectancy")
                     & (hle["period"] == "2022-01-01/P3Y")]
    assert dataset.at["E07000117", "hle_female_2022_24"] == lancashire["observation"].item()
    gva = pd.read_csv(raw_dir / "ons_local_indicators/gross-value-added.csv")
    burnley = gva[(gva["areacd"] == "E07000117") & (gva["period"] == "2019-01-01/P1Y")
                  & (gva["indicator"] == "Gross value added per hour worked")]
    assert dataset.at["E07000117", "gva_per_hour"] == burnley["observation"].item()


def test_resolution_prefers_own_then_upper_tier_then_successor():
    links = pd.DataFrame(
        [("D1", "U1", "successor"), ("C", "C2", "same_area")],
        columns=["code", "linked_code", "relation"],
    )
    chain = geography.candidate_codes("D1", "C", links)
    assert chain == [("D1", "own"), ("C", "upper_tier"), ("C2", "upper_tier"), ("U1", "successor")]
    values = pd.Series({"C2": 61.0, "U1": 59.0})
    every = frozenset(geography.FLAGS)
    assert geography.resolve(values, {"D1": chain}, every).loc["D1"].tolist() == [61.0, "upper_tier", "C2"]
    no_upper = every - {"upper_tier"}
    assert geography.resolve(values, {"D1": chain}, no_upper).loc["D1"].tolist() == [59.0, "successor", "U1"]


def test_listed_but_empty_value_stays_a_gap():
    chain = [("D1", "own"), ("U1", "successor")]
    values = pd.Series({"D1": float("nan"), "U1": 59.0})
    row = geography.resolve(values, {"D1": chain}, frozenset(geography.FLAGS)).loc["D1"]
    assert pd.isna(row["value"]) and row["flag"] is None


def test_boundaries_cover_every_area(dataset):
    import json

    from allocsim.paths import boundaries_path

    topology = json.loads(boundaries_path().read_text())
    codes = {g["properties"]["code"] for g in topology["objects"]["lad2020"]["geometries"]}
    assert codes == set(dataset.index)


def test_a_derivation_claiming_flags_the_data_lacks_is_refused():
    from allocsim.datasets.catalogue import INDICATORS
    from allocsim.errors import DataError

    smoking = next(i for i in INDICATORS if i.name == "smoking_prevalence")
    claims_flags = replace(smoking, derivation="Northamptonshire districts take their successor's value (flagged).")
    with pytest.raises(DataError, match="smoking_prevalence: the derivation says values are flagged"):
        build_module._check_flag_claim(claims_flags, flagged=False)
    with pytest.raises(DataError, match="says there is no flag column"):
        build_module._check_flag_claim(smoking, flagged=True)
    build_module._check_flag_claim(smoking, flagged=False)
