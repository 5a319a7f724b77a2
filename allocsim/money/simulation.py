"""Money for one rule: share a budget among its priority groups, then model the health return.

:func:`simulate` ranks the areas under a rule, allocates the budget (:mod:`allocsim.allocation`)
and models the health return (:mod:`allocsim.health`). Parameters come from data files in
``rules/parameters/`` (or the user's own), with ``--param NAME=VALUE`` overrides validated like
the file (:mod:`allocsim.parameters`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from allocsim.allocation import MECHANISMS, Allocated, allocate, check_population
from allocsim.arguments import POPULATION_COLUMN, check_simulate_arguments, check_simulation_size
from allocsim.datasets import display_path, load_dataset
from allocsim.errors import DataError, ParameterError
from allocsim.health import (
    HealthReturn,
    HealthSummary,
    check_hle_column,
    draw_parameters,
    model_health,
    modelled_notice,
)
from allocsim.health.summary import HealthTotals, MonthsGap
from allocsim.money.envelopes import nations_of
from allocsim.money.settings import DEFAULT_DRAWS, DEFAULT_MECHANISM, DEFAULT_SEED, Settings, money_settings
from allocsim.parameters import AllocationParameters, HealthParameters
from allocsim.pence import expected_pence
from allocsim.prices import price_base_label
from allocsim.ranking import RankResult, rank
from allocsim.results import JsonResult
from allocsim.rollups import rollups
from allocsim.rules.schema import Rule

IDENTITY_COLUMNS = ["name", "country"]
PER_GROUP_FIELDS = ("formula.group_weights.value", "competitive.bid_probability.value",
                    "competitive.success_probability.value")


@dataclass(frozen=True)
class Simulation:
    """A budget allocated under one rule, and its modelled health return.

    ``allocation`` is indexed by code: ``name, country``, a column per geography roll-up that
    money is broken down by (``region, combined_authority`` on the embedded data), ``group,
    population, allocation, allocation_per_head`` in pounds (for a random mechanism the mean over
    draws, with its extra columns, e.g. ``allocation_p05, allocation_p95, funded_probability``).
    ``allocation_pence`` holds every draw (one row for ``formula``), in the order of ``allocation``.
    """

    rule: Rule
    allocation: pd.DataFrame
    health: HealthReturn
    summary: SimulationSummary
    allocation_pence: np.ndarray


def simulate(rule: Rule | str, data: pd.DataFrame | None, budget: float | str, mechanism: str = DEFAULT_MECHANISM,
             draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED, countries: Iterable[str] | None = None,
             allocation_params: str | Path | AllocationParameters | None = None,
             health_params: str | Path | HealthParameters | None = None,
             param_overrides: Iterable[str] = (), hle_column: str | None = None,
             envelopes: str | Mapping[str, float] | None = None) -> Simulation:
    """Allocate ``budget`` pounds (2020-21 prices) among the areas ``rule`` prioritises and model
    the health return.

    ``data`` defaults to the embedded dataset. ``param_overrides`` are ``NAME=VALUE`` strings
    (``need_elasticity.central=1``, ``formula.cap_gbp.value=5e7``), validated like the files;
    ``envelopes`` fixes each nation's share (:mod:`allocsim.money.envelopes`).
    """
    check_simulate_arguments(rule, data, countries)
    settings = money_settings(budget, mechanism, draws, seed, allocation_params, health_params,
                              param_overrides, hle_column, envelopes)
    data = load_dataset() if data is None else data
    return simulate_ranked(rank(rule, data, countries), data, settings)


def simulate_ranked(result: RankResult, data: pd.DataFrame, settings: Settings,
                    most_groups: int | None = None) -> Simulation:
    """Allocate and model the health return for areas already ranked by a rule; ``most_groups``: the most
    groups of any rule simulated in the same run (see :func:`check_per_group_overrides`)."""
    # before the allocation, which takes seconds for many competitive draws (model_health checks again)
    areas, data_file = check_money_data(result, data, settings, most_groups)
    groups = result.table.loc[areas.index, "group"].astype(int)
    allocation_seed, health_seed = np.random.SeedSequence(settings.seed).spawn(2)
    allocated = allocate_budget(groups, areas, settings, allocation_seed, population_source(data_file))
    expected_gbp = expected_pence(allocated.pence) / 100
    drawn = draw_parameters(settings.health, settings.draws, np.random.default_rng(health_seed))
    health = model_health(allocated.pence / 100, areas, settings.health, settings.health_described, drawn,
                          data_file=data_file, expected_gbp=expected_gbp, places=rollups(data, "health"))
    table = allocation_table(areas, groups, allocated.pence, expected_gbp, settings.mechanism, data)
    summary = simulation_summary(result, table, allocated.pence, settings, health)
    return Simulation(result.rule, table, health, summary, allocated.pence)


def allocate_budget(groups: pd.Series, areas: pd.DataFrame, settings: Settings, seed: np.random.SeedSequence,
                    population_from: str) -> Allocated:
    """The budget shared among the areas by the mechanism, or within each nation's envelope
    (:mod:`allocsim.money.envelopes`), each nation with its own random stream."""
    def share(mask: np.ndarray, pence: int, rng_seed: np.random.SeedSequence) -> Allocated:
        return allocate(groups[mask], areas["population"][mask], pence, settings.mechanism, settings.allocation,
                        settings.allocation_described, settings.draws, np.random.default_rng(rng_seed),
                        population_from)

    if settings.envelopes is None:
        return share(np.ones(len(areas), dtype=bool), settings.budget_pence, seed)
    nations = nations_of(areas, settings.envelopes)
    parts = {n: share(mask, settings.envelopes[n], child) for (n, mask), child
             in zip(nations.items(), seed.spawn(len(nations))) if mask.any()}
    rows = max(p.pence.shape[0] for p in parts.values())
    pence = np.zeros((rows, len(areas)), dtype=np.int64)
    for nation, part in parts.items():
        pence[:, nations[nation]] = part.pence
    return Allocated(pence, settings.budget_pence - pence.sum(axis=1), settings.budget_pence)


def check_money_data(result: RankResult, data: pd.DataFrame, settings: Settings,
                     most_groups: int | None = None) -> tuple[pd.DataFrame, str]:
    """Refuse what the money cannot be worked out for (the size, per-group ``--param`` values, an area's
    population, the HLE column): :func:`simulate_ranked` calls it first, and callers that check every
    input before any slow work call it themselves. Returns the areas' frame and how messages name the
    dataset."""
    check_simulation_size(len(result.table), settings)
    check_per_group_overrides(result, data, settings, most_groups)
    areas = area_frame(result, data, settings.health.hle_column.value)
    data_file = display_path(data.attrs.get("source"))  # how messages name the dataset
    check_population(areas["population"], population_source(data_file))
    check_hle_column(areas, settings.health.hle_column.value, settings.health_described, data_file)
    return areas, data_file


def rule_groups(result: RankResult, data: pd.DataFrame) -> int:
    """How many priority groups ``result``'s rule has: its categories' count, or for a published rule
    the highest group in its column over the whole dataset (the areas in scope may lack some)."""
    rule = result.rule
    if rule.categories is not None:
        return rule.categories.n_groups
    if rule.column is not None and rule.column in data.columns:
        return max(int(pd.to_numeric(data[rule.column], errors="coerce").max()), result.n_groups)
    return result.n_groups


def check_per_group_overrides(result: RankResult, data: pd.DataFrame, settings: Settings,
                              most_groups: int | None = None) -> None:
    """Refuse a ``--param`` that gives one value per group (``formula.group_weights.value``,
    ``competitive.bid_probability.value``, ...) with fewer values than the rule's groups, or more than
    the most groups of any rule in the run (``most_groups``, default the rule's own): a parameter
    file's list serves rules of any size (a rule uses its first values), but values given for this
    run that no rule would use would be silently ignored."""
    groups = rule_groups(result, data)
    most = max(groups, most_groups or 0)
    for assignment in settings.overrides:
        name = assignment.partition("=")[0].strip()
        if name not in PER_GROUP_FIELDS:
            continue
        table, field, _ = name.split(".")
        given = len(getattr(getattr(settings.allocation, table), field).value)
        if given < groups or given > most:
            wanted = f"{groups}" if most == groups else f"{groups} to {most} (the rules compared have up to {most})"
            raise ParameterError(f"--param {name}: gives {given} values but {result.rule.source} has {groups} "
                                 f"groups; give {wanted} values, one per group, group 1 first")


def most_groups(results, data: pd.DataFrame) -> int:
    """The most groups of any of ``results`` (rankings simulated in one run)."""
    return max(rule_groups(result, data) for result in results)


def area_columns(data: pd.DataFrame) -> list[str]:
    """The columns that describe an area in money tables: its name and country, and its group
    under each roll-up money is broken down by."""
    return [*IDENTITY_COLUMNS, *(r.column for r in rollups(data, "money") if r.column not in IDENTITY_COLUMNS)]


def area_frame(result: RankResult, data: pd.DataFrame, hle_column: str) -> pd.DataFrame:
    """The ranked areas in code order with what allocation and health need from the dataset: the
    :func:`area_columns`, ``population``, the HLE column, IMD rank and each health roll-up.

    Columns the dataset lacks are left empty, but the HLE column is left out, so that
    :func:`~allocsim.health.check_hle_column` refuses it as not a column of the dataset. The
    population is checked by :func:`~allocsim.allocation.allocate`; HLE before the allocation
    and again by :func:`model_health`, which library callers may use on their own.
    """
    if POPULATION_COLUMN not in data.columns:
        raise DataError(f"the dataset has no '{POPULATION_COLUMN}' column; sharing a budget needs each "
                        f"area's population")
    codes = result.table.index.sort_values()
    described = area_columns(data)
    places = [r.column for r in rollups(data, "health")]
    wanted = [c for c in dict.fromkeys([*described, hle_column, "imd2019_rank", *places])
              if c in data.columns and c != "population"]  # "population" is this frame's own column
    shown = [c for c in described if c != hle_column or c in data.columns]  # no empty stand-in for HLE
    areas = data.loc[codes, wanted].reindex(columns=list(dict.fromkeys([*shown, *wanted])))
    areas.insert(len(shown), "population", data.loc[codes, POPULATION_COLUMN])
    areas.index.name = "code"
    return areas


def population_source(data_file: str | None) -> str:
    """How messages name the areas' population: the data file (if any) and the column."""
    return f"{data_file + ': ' if data_file else ''}column '{POPULATION_COLUMN}'"


def allocation_table(areas: pd.DataFrame, groups: pd.Series, pence: np.ndarray, expected_gbp: np.ndarray,
                     mechanism: str, data: pd.DataFrame) -> pd.DataFrame:
    """Each area's group, its expected allocation in pounds (``expected_gbp``: to the penny and
    summing to the mean amount allocated, see :func:`expected_pence`), per head, and the
    mechanism's extra columns (for competitive its interval and chance of any money)."""
    table = areas[area_columns(data)].copy()
    table["group"] = groups
    table["population"] = areas["population"]
    table["allocation"] = expected_gbp
    table["allocation_per_head"] = table["allocation"] / areas["population"].astype(float)
    for column, values in MECHANISMS[mechanism].extra_columns(pence).items():
        table[column] = values
    return table


@dataclass(frozen=True)
class Spread(JsonResult):
    """The mean, minimum and maximum of an amount over the Monte Carlo draws, in pounds (price base)."""

    mean: float
    min: float
    max: float

    @classmethod
    def of(cls, values: np.ndarray) -> Spread:
        """The spread of ``values`` (pounds, one per draw), each figure rounded to the penny."""
        return cls(round(float(values.mean()), 2), round(float(values.min()), 2), round(float(values.max()), 2))


@dataclass(frozen=True)
class GroupMoney(JsonResult):
    """One priority group's money: its areas, population, expected allocation and allocation per head, in
    pounds (price base) to the penny."""

    areas: int
    population: int
    allocation: float
    allocation_per_head: float


@dataclass(frozen=True)
class SimulationSummary(JsonResult):
    """``summary.json`` of ``allocsim simulate`` (keys documented in README)."""

    modelled_notice: str
    rule: str
    rule_source: str  # the file, and any --set applied to it
    areas: int
    price_base: str  # every amount of money below
    budget: float
    mechanism: str
    mechanism_description: str
    seed: int
    draws: int
    allocation_draws: int
    parameter_files: dict[str, str]
    parameter_overrides: list[str]
    allocated: float  # the mean to the penny, as allocation.csv sums
    unspent: float
    allocated_per_draw: Spread
    unspent_per_draw: Spread
    draws_with_unspent: int
    by_group: dict[int, GroupMoney]
    central: HealthTotals
    totals: HealthTotals
    healthy_months_gap: MonthsGap
    health: HealthSummary
    notes: list[str]


def simulation_summary(result: RankResult, table: pd.DataFrame, pence: np.ndarray, settings: Settings,
                       health: HealthReturn) -> SimulationSummary:
    """The typed ``summary.json`` of a simulation of ``result``'s rule: the budget and what was allocated and
    left unspent (mean, and spread over draws), money by group, and the modelled health return; pounds in the
    price base."""
    allocated = pence.sum(axis=1) / 100
    unspent = settings.budget_pence / 100 - allocated
    expected = round(float(table["allocation"].sum()), 2)
    return SimulationSummary(
        modelled_notice=notice(settings), rule=result.rule.name, rule_source=result.rule.source, areas=len(table),
        price_base=price_base_label(), budget=settings.budget_pence / 100, mechanism=settings.mechanism,
        mechanism_description=settings.describe_mechanism(), seed=settings.seed, draws=settings.draws,
        allocation_draws=int(pence.shape[0]), parameter_files=settings.files,
        parameter_overrides=list(settings.overrides), allocated=expected,
        unspent=round(settings.budget_pence / 100 - expected, 2), allocated_per_draw=Spread.of(allocated),
        unspent_per_draw=Spread.of(unspent), draws_with_unspent=int((unspent > 0).sum()), by_group=_by_group(table),
        central=health.summary.central, totals=health.summary.totals,
        healthy_months_gap=health.summary.healthy_months_gap, health=health.summary,
        notes=list(result.notes),
    )


def notice(settings: Settings) -> str:
    """The modelled-figures notice for ``settings``' health parameters, followed by the allocation parameter
    file used."""
    return (f"{modelled_notice(settings.health_source)} Allocation parameters: "
            f"{settings.allocation_source}.")


def _by_group(table: pd.DataFrame) -> dict[int, GroupMoney]:
    groups = table.groupby("group").agg(areas=("allocation", "size"), population=("population", "sum"),
                                        allocation=("allocation", "sum"))
    return {int(g): GroupMoney(int(row.areas), int(row.population), round(float(row.allocation), 2),
                               round(float(row.allocation / row.population), 2))
            for g, row in groups.iterrows()}
