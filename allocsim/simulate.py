"""Money for a rule: share a budget among its priority groups, then model the health return.

:func:`simulate` ranks the areas under a rule, allocates the budget (:mod:`allocsim.allocation`)
and models the health return (:mod:`allocsim.health`). :func:`compare_money` does both for two
rules with the same seed, so their draws are paired (same bids, same health parameters) and the
difference between them carries only the rules' difference. Parameters come from data files in
``rules/parameters/`` (or the user's own), with ``--param NAME=VALUE`` overrides validated like
the file.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from pydantic import BaseModel, ValidationError

from allocsim.allocation import (
    MAX_DRAWS,
    MECHANISMS,
    AllocationParameters,
    allocate,
    check_population,
    expected_pence,
)
from allocsim.checks import check_whole
from allocsim.compare import Comparison
from allocsim.datasets import display_path, load_dataset
from allocsim.errors import DataError, ParameterError
from allocsim.health import (
    SUFFIXES,
    HealthParameters,
    HealthReturn,
    check_hle_column,
    draw_parameters,
    hle_gap_change_months,
    interval,
    model_health,
    modelled_notice,
    summary_interval,
)
from allocsim.io import parse_toml, read_user_text
from allocsim.overrides import parse_assignment, set_path
from allocsim.paths import rules_dir
from allocsim.ranking import RankResult, rank
from allocsim.rules.load import describe_validation_error
from allocsim.rules.schema import Rule

POPULATION_COLUMN = "population_2019"
AREA_COLUMNS = ["name", "country", "region", "combined_authority"]
PARAMETER_FILES = {"allocation": "allocation.toml", "health": "health-return.toml"}
ALLOCATION_KEYS = {"formula", "competitive"}  # --param NAME=VALUE starting otherwise goes to health
MAX_BUDGET_GBP = 1e13  # pence stay exact in floating point well beyond this
Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True)
class Settings:
    """Validated money options shared by every rule in a run."""

    budget_pence: int
    mechanism: str
    draws: int
    seed: int
    allocation: AllocationParameters
    allocation_source: str  # the file, or "given in Python"
    health: HealthParameters
    health_source: str
    overrides: tuple[str, ...]
    allocation_described: str = ""  # how messages name the parameters: the file and any --param
    health_described: str = ""

    @property
    def files(self) -> dict[str, str]:
        return {"allocation": self.allocation_source, "health": self.health_source}


@dataclass(frozen=True)
class Simulation:
    """A budget allocated under one rule, and its modelled health return.

    ``allocation`` is indexed by code: ``name, country, region, combined_authority, group,
    population, allocation, allocation_per_head`` in pounds (for ``competitive`` the mean over
    draws, with ``allocation_p05, allocation_p95, funded_probability``). ``allocation_pence``
    holds every draw (one row for ``formula``), in the order of ``allocation``.
    """

    rule: Rule
    allocation: pd.DataFrame
    health: HealthReturn
    summary: dict
    allocation_pence: np.ndarray


@dataclass(frozen=True)
class MoneyComparison:
    """Two rules' money and health side by side; differences are alternative minus base."""

    base: Simulation
    alt: Simulation
    table: pd.DataFrame  # per area
    by_hle_decile: pd.DataFrame
    summary: dict


# -- the public API --------------------------------------------------------------------------

def simulate(rule: Rule | str, data: pd.DataFrame | None, budget: float | str, mechanism: str = "formula",
             draws: int = 1000, seed: int = 0, countries: Iterable[str] | None = None,
             allocation_params: str | Path | AllocationParameters | None = None,
             health_params: str | Path | HealthParameters | None = None,
             param_overrides: Iterable[str] = (), hle_column: str | None = None) -> Simulation:
    """Allocate ``budget`` pounds among the areas ``rule`` prioritises and model the health return.

    ``data`` defaults to the embedded dataset. ``param_overrides`` are ``NAME=VALUE`` strings
    (``cost_per_qaly.central=4000``, ``formula.cap_gbp.value=5e7``), validated like the files.
    """
    settings = money_settings(budget, mechanism, draws, seed, allocation_params, health_params,
                              param_overrides, hle_column)
    data = load_dataset() if data is None else data
    return simulate_ranked(rank(rule, data, countries), data, settings)


def compare_money(comparison: Comparison, data: pd.DataFrame, budget: float | str,
                  **options: Any) -> MoneyComparison:
    """Both rules of ``comparison`` under the same budget and seed: which buys more health, for whom.

    ``options`` are :func:`simulate`'s (``mechanism``, ``draws``, ``seed``, parameter files and
    overrides, ``hle_column``).
    """
    return money_comparison(comparison, data, money_settings(budget, **options))


def money_comparison(comparison: Comparison, data: pd.DataFrame, settings: Settings) -> MoneyComparison:
    """:func:`compare_money` with the money options already checked (:func:`money_settings`)."""
    base = simulate_ranked(comparison.base, data, settings)
    alt = simulate_ranked(comparison.alt, data, settings)
    return MoneyComparison(base, alt, money_table(base, alt), decile_differences(base, alt),
                           money_summary(base, alt, settings))


def comparison_with_money(comparison: Comparison, money: MoneyComparison) -> Comparison:
    """The comparison with the money and health differences added to its summary under ``money``."""
    return dataclasses.replace(comparison, summary={**comparison.summary, "money": money.summary})


def require_budget(budget: Any, **money_options: Any) -> None:
    """Money options (named as :func:`simulate` takes them) mean nothing without a budget: refuse
    them rather than ignore them."""
    given = [name for name, value in money_options.items() if value not in (None, ())]
    if budget is None and given:
        option = "param" if given[0] == "param_overrides" else given[0].replace("_", "-")
        raise ParameterError(f"--{option} needs --budget (the money to allocate)")


# -- settings and parameter files ------------------------------------------------------------

def money_settings(budget: float | str, mechanism: str = "formula", draws: int = 1000, seed: int = 0,
                   allocation_params=None, health_params=None, param_overrides: Iterable[str] = (),
                   hle_column: str | None = None) -> Settings:
    """Check every money option and load both parameter files, before anything is computed."""
    pence = budget_pence(budget)
    if mechanism not in MECHANISMS:
        raise ParameterError(f"--mechanism: must be one of {', '.join(MECHANISMS)}, got {mechanism!r}")
    check_whole(draws, "--draws", 1, MAX_DRAWS)
    check_whole(seed, "--seed", 0)
    overrides = tuple(param_overrides) + ((f'hle_column.value="{hle_column}"',) if hle_column else ())
    for_allocation = [o for o in overrides if o.partition("=")[0].split(".")[0].strip() in ALLOCATION_KEYS]
    for_health = [o for o in overrides if o not in for_allocation]
    allocation, allocation_source, allocation_described = load_parameters(
        AllocationParameters, allocation_params, "allocation", for_allocation)
    health, health_source, health_described = load_parameters(
        HealthParameters, health_params, "health", for_health)
    return Settings(pence, mechanism, int(draws), int(seed), allocation, allocation_source, health,
                    health_source, overrides, allocation_described, health_described)


def budget_pence(budget: float | str) -> int:
    """A budget in pounds (a number, or text such as ``4.8e9`` or ``4,800,000,000``) in whole pence."""
    try:
        pounds = float(budget.replace(",", "").replace("_", "") if isinstance(budget, str) else budget)
    except (TypeError, ValueError):
        raise ParameterError(f"--budget: must be an amount in pounds such as 4.8e9, got {budget!r}") from None
    shown = budget if isinstance(budget, str) else f"{pounds:g}"
    if not math.isfinite(pounds):
        raise ParameterError(f"--budget: must be a finite amount in pounds, got {shown}")
    if pounds <= 0:
        raise ParameterError(f"--budget: must be more than 0 pounds, got {shown}")
    if pounds > MAX_BUDGET_GBP:
        raise ParameterError(f"--budget: must be at most {MAX_BUDGET_GBP:g} pounds, got {shown}")
    pence = round(pounds * 100)
    if pence < 1:
        raise ParameterError(f"--budget: must be at least 0.01 pounds (one penny), got {shown}")
    return pence


def load_parameters(model: type[Model], given, kind: str,
                    overrides: Iterable[str] = ()) -> tuple[Model, str, str]:
    """A validated parameter model from the shipped file for ``kind``, the user's file at
    ``given``, or a ``given`` model, with ``NAME=VALUE`` overrides applied; then the file's name
    and how messages name the result (the file with its overrides)."""
    if isinstance(given, model):
        params, source = given, f"{kind} parameters given in Python"
    else:
        path = Path(given) if given is not None else rules_dir() / "parameters" / PARAMETER_FILES[kind]
        source = _display(path)
        params = _validated(model, _read_toml(path, source), source)
    overrides = list(overrides)
    if not overrides:
        return params, source, source
    raw = params.model_dump()
    for assignment in overrides:
        name, value = parse_param(assignment)
        set_path(raw, name, value, f"--param {assignment}", ParameterError)
    described = f"{source} with --param {' --param '.join(overrides)}"
    return _validated(model, raw, described), source, described


def _display(path: Path) -> str:
    shipped = rules_dir() / "parameters"
    return f"rules/parameters/{path.name}" if path.resolve().parent == shipped.resolve() else str(path)


def _read_toml(path: Path, source: str) -> dict:
    return parse_toml(read_user_text(path, "parameter", ParameterError, source), source, ParameterError)


def _validated(model: type[Model], raw: dict, source: str) -> Model:
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        raise ParameterError(f"{source}: {describe_validation_error(error)}") from None


def parse_param(assignment: str) -> tuple[str, Any]:
    """``"cost_per_qaly.central=5000"`` -> ``("cost_per_qaly.central", 5000)``; values are TOML,
    a bare word is text."""
    return parse_assignment(assignment, "--param", "cost_per_qaly.central=4000", ParameterError,
                                      name="NAME")


# -- one rule --------------------------------------------------------------------------------

def simulate_ranked(result: RankResult, data: pd.DataFrame, settings: Settings) -> Simulation:
    """Allocate and model the health return for areas already ranked by a rule."""
    areas = area_frame(result, data, settings.health.hle_column.value)
    data_file = display_path(data.attrs.get("source"))  # how messages name the dataset
    # before the allocation, which takes seconds for many competitive draws (model_health checks again)
    check_hle_column(areas, settings.health.hle_column.value, settings.health_described, data_file)
    groups = result.table.loc[areas.index, "group"].astype(int)
    allocation_seed, health_seed = np.random.SeedSequence(settings.seed).spawn(2)
    allocated = allocate(groups, areas["population"], settings.budget_pence, settings.mechanism,
                         settings.allocation, settings.allocation_described, settings.draws,
                         np.random.default_rng(allocation_seed), population_source(data_file))
    expected_gbp = expected_pence(allocated.pence) / 100
    drawn = draw_parameters(settings.health, settings.draws, np.random.default_rng(health_seed))
    health = model_health(allocated.pence / 100, areas, settings.health, settings.health_described, drawn,
                          data_file=data_file, expected_gbp=expected_gbp)
    table = allocation_table(areas, groups, allocated.pence, expected_gbp, settings.mechanism)
    summary = simulation_summary(result, table, allocated.pence, settings, health)
    return Simulation(result.rule, table, health, summary, allocated.pence)


def check_money_data(result: RankResult, data: pd.DataFrame, settings: Settings) -> None:
    """Refuse now what :func:`simulate_ranked` would refuse in the data (an area's population, the
    HLE column), by the same checks with the same messages: for callers that check every input
    before any slow work."""
    areas = area_frame(result, data, settings.health.hle_column.value)
    data_file = display_path(data.attrs.get("source"))  # how messages name the dataset
    check_population(areas["population"], population_source(data_file))
    check_hle_column(areas, settings.health.hle_column.value, settings.health_described, data_file)


def area_frame(result: RankResult, data: pd.DataFrame, hle_column: str) -> pd.DataFrame:
    """The ranked areas in code order with what allocation and health need from the dataset:
    ``name, country, region, combined_authority, population``, the HLE column and IMD rank.

    Columns the dataset lacks are left empty, but the HLE column is left out, so that
    :func:`~allocsim.health.check_hle_column` refuses it as not a column of the dataset. The
    population is checked by :func:`~allocsim.allocation.allocate`; HLE before the allocation
    and again by :func:`model_health`, which library callers may use on their own.
    """
    if POPULATION_COLUMN not in data.columns:
        raise DataError(f"the dataset has no '{POPULATION_COLUMN}' column; sharing a budget needs each "
                        f"area's population")
    codes = result.table.index.sort_values()
    wanted = [c for c in dict.fromkeys([*AREA_COLUMNS, hle_column, "imd2019_rank"])
              if c in data.columns and c != "population"]  # "population" is this frame's own column
    shown = [c for c in AREA_COLUMNS if c != hle_column or c in data.columns]  # no empty stand-in for HLE
    areas = data.loc[codes, wanted].reindex(columns=list(dict.fromkeys([*shown, *wanted])))
    areas.insert(len(shown), "population", data.loc[codes, POPULATION_COLUMN])
    areas.index.name = "code"
    return areas


def population_source(data_file: str | None) -> str:
    """How messages name the areas' population: the data file (if any) and the column."""
    return f"{data_file + ': ' if data_file else ''}column '{POPULATION_COLUMN}'"


def allocation_table(areas: pd.DataFrame, groups: pd.Series, pence: np.ndarray, expected_gbp: np.ndarray,
                     mechanism: str) -> pd.DataFrame:
    """Each area's group, its expected allocation in pounds (``expected_gbp``: to the penny and
    summing to the mean amount allocated, see :func:`expected_pence`), per head, and for
    competitive its interval."""
    pounds = pence / 100
    table = areas[AREA_COLUMNS].copy()
    table["group"] = groups
    table["population"] = areas["population"]
    table["allocation"] = expected_gbp
    table["allocation_per_head"] = table["allocation"] / areas["population"].astype(float)
    if mechanism == "competitive":
        table["allocation_p05"], table["allocation_p95"] = np.quantile(pounds, [0.05, 0.95], axis=0)
        table["funded_probability"] = (pence > 0).mean(axis=0)
    return table


def simulation_summary(result: RankResult, table: pd.DataFrame, pence: np.ndarray, settings: Settings,
                       health: HealthReturn) -> dict:
    allocated = pence.sum(axis=1) / 100
    unspent = settings.budget_pence / 100 - allocated
    expected = round(float(table["allocation"].sum()), 2)  # the mean to the penny, as allocation.csv sums
    return {
        "modelled_notice": _notice(settings),
        "rule": result.rule.name,
        "rule_source": result.rule.source,  # the file, and any --set applied to it
        "areas": len(table),
        "budget": settings.budget_pence / 100,
        "mechanism": settings.mechanism,
        "mechanism_description": describe_mechanism(settings),
        "seed": settings.seed,
        "draws": settings.draws,
        "allocation_draws": int(pence.shape[0]),
        "parameter_files": settings.files,
        "parameter_overrides": list(settings.overrides),
        "allocated": expected,
        "unspent": round(settings.budget_pence / 100 - expected, 2),
        "allocated_per_draw": _spread(allocated),
        "unspent_per_draw": _spread(unspent),
        "draws_with_unspent": int((unspent > 0).sum()),
        "by_group": _by_group(table),
        "totals": health.summary["totals"],
        "hle_gap": health.summary["hle_gap"],
        "health": health.summary,
        "notes": list(result.notes),
    }


def _notice(settings: Settings) -> str:
    return (f"{modelled_notice(settings.health_source)} Allocation parameters: "
            f"{settings.allocation_source}.")


def _spread(values: np.ndarray) -> dict:
    return {"mean": round(float(values.mean()), 2), "min": round(float(values.min()), 2),
            "max": round(float(values.max()), 2)}


def _by_group(table: pd.DataFrame) -> dict:
    groups = table.groupby("group").agg(areas=("allocation", "size"), population=("population", "sum"),
                                        allocation=("allocation", "sum"))
    return {int(g): {"areas": int(row.areas), "population": int(row.population),
                     "allocation": round(float(row.allocation), 2),
                     "allocation_per_head": round(float(row.allocation / row.population), 2)}
            for g, row in groups.iterrows()}


def describe_mechanism(settings: Settings) -> str:
    if settings.mechanism == "formula":
        f = settings.allocation.formula
        weights = ":".join(f"{w:g}" for w in f.group_weights.value)
        cap = f"cap £{f.cap_gbp.value:,.0f} an area" if math.isfinite(f.cap_gbp.value) else "no cap"
        floor = f"floor £{f.floor_gbp.value:,.0f} an area" if f.floor_gbp.value else "no floor"
        return f"formula: group weights {weights} per head, {cap}, {floor}; whole pence by a divisor method"
    c = settings.allocation.competitive
    success = " / ".join(f"{p:g}" for p in c.success_probability.value)
    return (f"competitive: {c.rounds.value} rounds, {c.bid_slots_per_area.value} bid slots an area, bids up "
            f"to £{c.bid_cap_gbp.value:,.0f}, success {success} by group; successful bids funded round "
            f"by round ({c.funding_order.value.replace('_', ' ')}), the last part-funded")


# -- two rules -------------------------------------------------------------------------------

def per_head_by(allocations: Mapping[str, pd.DataFrame], data: pd.DataFrame, column: str) -> pd.DataFrame:
    """Allocation per resident by ``column`` (e.g. region) under each labelled allocation table.

    Areas with no value in ``column`` (not in a combined authority, say) are left out.
    """
    rows = []
    for label, table in allocations.items():
        joined = table[["allocation", "population"]].join(data[[column]])
        sums = joined.dropna(subset=[column]).groupby(column)[["allocation", "population"]].sum()
        rows.append(sums.assign(rule=label).reset_index())
    frame = pd.concat(rows, ignore_index=True)
    frame["per_head"] = frame["allocation"] / frame["population"]
    return frame


def money_table(base: Simulation, alt: Simulation) -> pd.DataFrame:
    """Per area: both groups and allocations, and the paired change in modelled QALYs."""
    b, a = base.allocation, alt.allocation
    table = b[["name", "country", "region"]].copy()
    table["hle_decile"] = base.health.categories["hle_decile"]
    table["base_group"], table["alt_group"] = b["group"], a["group"]
    table["base_allocation"], table["alt_allocation"] = b["allocation"], a["allocation"]
    table["allocation_change"] = a["allocation"] - b["allocation"]
    change = interval(alt.health.qalys - base.health.qalys)
    for suffix, values in zip(SUFFIXES, change):
        table[f"modelled_qalys_change_{suffix}"] = values
    return table


def decile_differences(base: Simulation, alt: Simulation) -> pd.DataFrame:
    """Per HLE decile (1 = lowest HLE): allocation and paired modelled changes, alternative minus base."""
    decile = base.health.categories["hle_decile"]
    population = base.allocation["population"].to_numpy(dtype=float)
    rows = []
    for value in sorted(decile.unique()):
        members = (decile == value).to_numpy()
        qalys = (alt.health.qalys - base.health.qalys)[:, members].sum(axis=1)
        months = 12 * (alt.health.undiscounted_qalys - base.health.undiscounted_qalys)[:, members].sum(axis=1)
        row = {"category": int(value), "areas": int(members.sum()),
               "base_allocation": base.allocation["allocation"][members].sum(),
               "alt_allocation": alt.allocation["allocation"][members].sum()}
        row["allocation_change"] = row["alt_allocation"] - row["base_allocation"]
        row |= {f"modelled_qalys_change_{s}": q for s, q in zip(SUFFIXES, interval(qalys))}
        row |= {f"modelled_hle_months_change_{s}": q
                for s, q in zip(SUFFIXES, interval(months / population[members].sum()))}
        rows.append(row)
    return pd.DataFrame(rows)


def money_summary(base: Simulation, alt: Simulation, settings: Settings) -> dict:
    qalys = alt.health.qalys.sum(axis=1) - base.health.qalys.sum(axis=1)
    value = qalys * base.health.value_per_qaly
    decile = base.health.categories["hle_decile"]
    population = base.allocation["population"].to_numpy(dtype=float)
    gap = (hle_gap_change_months(alt.health.undiscounted_qalys, population, decile)
           - hle_gap_change_months(base.health.undiscounted_qalys, population, decile))
    difference = summary_interval(qalys)
    return {
        "modelled_notice": _notice(settings),
        "budget": settings.budget_pence / 100,
        "mechanism": settings.mechanism,
        "mechanism_description": describe_mechanism(settings),
        "seed": settings.seed,
        "draws": settings.draws,
        "paired": "both rules use the same seed: the same bids and the same health parameters in each draw",
        "parameter_files": settings.files,
        "parameter_overrides": list(settings.overrides),
        "base": _rule_money(base),
        "alt": _rule_money(alt),
        "difference_alt_minus_base": {
            "modelled_qalys": difference,
            "modelled_value_gbp": summary_interval(value),
            "modelled_hle_gap_change_months": summary_interval(gap),
            "probability_alt_buys_more_health": round(float((qalys > 0).mean()), 4),
        },
        "buys_more_health": verdict(base.rule.name, alt.rule.name, difference),
        "by_hle_decile": decile_differences(base, alt).round(4).to_dict("records"),
    }


def _rule_money(sim: Simulation) -> dict:
    s = sim.summary
    return {"rule": sim.rule.name, "allocated": s["allocated"], "unspent": s["unspent"],
            "allocation_draws": s["allocation_draws"], "draws_with_unspent": s["draws_with_unspent"],
            "unspent_per_draw": s["unspent_per_draw"], "totals": s["totals"],
            "modelled_hle_gap_change_months": s["hle_gap"]["modelled_change_months"]}


def verdict(base: str, alt: str, difference: dict) -> str:
    """Which rule buys more modelled health, judged by the 90% interval of the paired difference."""
    if difference["p05"] is not None and difference["p05"] > 0:
        return f"'{alt}' buys more modelled health than '{base}' (90% interval of the difference above 0)"
    if difference["p95"] is not None and difference["p95"] < 0:
        return f"'{base}' buys more modelled health than '{alt}' (90% interval of the difference below 0)"
    return "neither clearly: the 90% interval of the difference in modelled QALYs includes 0"
