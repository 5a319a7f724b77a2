"""How well the modelled district HLE works: leave-one-out on areas whose HLE is published.

Unitaries, metropolitan districts and London boroughs have HLE published for themselves. They
are put in county-like groups (each metropolitan county; London; the other unitaries of each
region), each group's value taken as the population-weighted mean of its members, and every
group is left out of the fit in turn: its members are predicted from the group value and slopes
fitted on the other groups, benchmarked exactly as shire districts are, and compared with their
published values. The naive estimate gives every member the group's value, as the dataset's
upper-tier HLE gives every shire district its county's. Alternative covariates are scored the
same way, so the reconciliation shows why the chosen one was chosen.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pandas as pd

from allocsim.datasets import geography, small_area
from allocsim.datasets.health_index import read_indicator

# Period -> middle year, whose mid-year population weights the benchmark.
PERIODS = {"2011_13": 2012, "2018_20": 2019}
SEXES = ("male", "female")
# The covariate used: IMD 2019 health deprivation and disability score. It gave the lowest
# leave-one-out error of the candidates for all four series (the build prints each).
CHOSEN = ("imd2019_health_score",)
LIFE_EXPECTANCY = "health_index_life_expectancy"
# Health Index year of life expectancy for each period: 2015 is the index's first year.
LIFE_EXPECTANCY_YEAR = {"2011_13": 2015, "2018_20": 2019}
CANDIDATES = {
    "IMD 2019 health deprivation score": CHOSEN,
    "Health Index life expectancy": (LIFE_EXPECTANCY,),
    "both": (*CHOSEN, LIFE_EXPECTANCY),
}
LONDON = "London"


def validation_groups(areas: pd.DataFrame) -> pd.Series:
    """Metropolitan county, London, or 'unitaries of <region>', for areas published for themselves."""
    met = areas["metropolitan_county_code"]
    unitary = "unitaries of " + areas["region"].astype(str)
    return met.where(met.notna(), unitary.where(areas["region"] != LONDON, LONDON))


def training_set(areas: pd.DataFrame, period: str, raw: Path) -> pd.DataFrame:
    """English areas with HLE published for themselves and every candidate covariate."""
    chosen = areas[(areas["country"] == "England") & (areas["kind"] == geography.OWN)].copy()
    life = read_indicator("Life expectancy", LIFE_EXPECTANCY_YEAR[period], raw)
    chosen[LIFE_EXPECTANCY] = life.reindex(chosen.index)
    covariates = sorted({c for spec in CANDIDATES.values() for c in spec})
    chosen = chosen.dropna(subset=covariates)
    chosen["group"] = validation_groups(chosen)
    return chosen


def validate(areas: pd.DataFrame, sex: str, period: str, raw: Path) -> dict:
    """Slopes of the chosen covariate on every training area, leave-one-out errors of each
    candidate (all areas and outside London), and the reconciliation lines."""
    train = training_set(areas, period, raw)
    observed, weights = train[f"hle_{sex}_{period}"], train[f"weight_{period}"]
    score = partial(_score, train, observed, weights)
    scores = {name: score(spec) for name, spec in CANDIDATES.items()}
    x = small_area.deviations(train[list(CHOSEN)], train["group"], weights)
    y = observed - small_area.group_means(observed, train["group"], weights)
    beta = small_area.fit_slopes(x, y)
    summary = {
        "covariates": list(CHOSEN),
        "slopes_years_per_unit": {c: round(float(b), 4) for c, b in zip(CHOSEN, beta)},
        "groups": int(train["group"].nunique()),
        **scores[next(iter(CANDIDATES))],
        "alternatives_rmse": {name: s["all"]["rmse"] for name, s in scores.items()},
    }
    return {"beta": beta, "summary": summary, "report": _report(sex, period, summary)}


def _score(train: pd.DataFrame, observed: pd.Series, weights: pd.Series, spec: tuple[str, ...]) -> dict:
    result = small_area.leave_one_group_out(observed, train[list(spec)], train["group"], weights)
    london = train["group"] == LONDON
    return {"all": _rounded(small_area.errors(result)),
            "outside_london": _rounded(small_area.errors(result[~london])),
            "london": _rounded(small_area.errors(result[london]))}


def _rounded(errors: dict) -> dict:
    return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in errors.items()}


def _report(sex: str, period: str, summary: dict) -> list[str]:
    every, outside, london = summary["all"], summary["outside_london"], summary["london"]
    slope = ", ".join(f"{v:+.2f} years per point of {c}" for c, v in summary["slopes_years_per_unit"].items())
    alternatives = "; ".join(f"{name} {rmse:.2f}" for name, rmse in summary["alternatives_rmse"].items())
    label = f"hle_{sex}_{period}_district"
    return [
        f"{label}: slope {slope}; leave-one-out on {every['areas']} areas with published HLE "
        f"({summary['groups']} groups): RMSE {every['rmse']:.2f}, MAE {every['mae']:.2f} years "
        f"(naive {every['naive_rmse']:.2f}, {every['naive_mae']:.2f}); outside London "
        f"({outside['areas']}): {outside['rmse']:.2f}, {outside['mae']:.2f} "
        f"(naive {outside['naive_rmse']:.2f}, {outside['naive_mae']:.2f}); London ({london['areas']}): "
        f"{london['rmse']:.2f}, {london['mae']:.2f} (naive {london['naive_rmse']:.2f}, {london['naive_mae']:.2f})",
        f"{label}: leave-one-out RMSE by covariate: {alternatives}",
    ]
