"""What a Python caller passes to the public functions, checked as the command line checks it.

The command line hands the library only what it has checked: a dataset from ``load_dataset``,
numbers it parsed, lists it split. A Python caller can pass anything, so each public function
(``rank``, ``compare``, ``simulate``, ``sensitivity``, ``search``, and ``money_settings`` behind
every budget) first calls one function here, which refuses what the command line would refuse
with the project's own errors, naming the argument (as the option that sets it, where there is
one), instead of a pandas or numpy error deep inside.
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Collection
from typing import Any

import numpy as np
import pandas as pd

from allocsim.allocation.competitive import CHUNK_DRAWS
from allocsim.checks import digits
from allocsim.datasets.load import MAX_MAGNITUDE  # refused in a file, refused here too
from allocsim.errors import DataError, ParameterError, RuleError
from allocsim.parameters import AllocationParameters, HealthParameters
from allocsim.rules.resolve import ResolvedRule
from allocsim.rules.schema import Rule

POPULATION_COLUMN = "population_2019"  # the population a budget is shared by


def check_rank_arguments(rule: Any, data: Any, countries: Any) -> None:
    """Refuse what :func:`allocsim.rank` cannot take: a ``rule`` that is not a rule, name or path, ``data``
    that is not a table of areas, ``countries`` that is not a list of text (None: the rule's own
    countries)."""
    check_rule(rule, "rule")
    check_data(data)
    check_countries(countries)


def check_compare_arguments(base: Any, alt: Any, data: Any, countries: Any, focus: Any, focus_share: Any,
                            focus_end: Any) -> None:
    """Refuse what :func:`allocsim.compare` cannot take: ``base`` and ``alt`` as :func:`check_rule`, ``data``
    as :func:`check_data`, ``countries``, and a ``focus`` or ``focus_end`` that is not text or a ``focus_share``
    that is not a number."""
    check_rule(base, "base")
    check_rule(alt, "alt")
    check_data(data)
    check_countries(countries)
    check_text(focus, "--focus")
    check_number(focus_share, "--focus-share")
    check_text(focus_end, "--focus-end")


def check_explain_arguments(area: Any, base: Any, alt: Any, data: Any, countries: Any) -> None:
    """Refuse what :func:`explain` cannot take, naming the argument: an ``area`` that is not text,
    ``base`` and ``alt`` that are not rules, names or paths, ``data`` that is not a table of areas with a
    ``name`` column, ``countries`` that is not a list of text."""
    check_text(area, "area")
    check_rule(base, "base")
    check_rule(alt, "alt")
    check_data(data)
    if "name" not in data.columns:
        raise DataError("data: has no 'name' column (each area's name, as allocsim.load_dataset() gives)")
    check_countries(countries)


def check_simulate_arguments(rule: Any, data: Any, countries: Any) -> None:
    """``data`` None means the embedded dataset."""
    check_rule(rule, "rule")
    if data is not None:
        check_data(data)
        check_numeric_column(data, POPULATION_COLUMN)
    check_countries(countries)


def check_money_arguments(budget: Any, allocation_params: Any, health_params: Any, param_overrides: Any,
                          hle_column: Any) -> None:
    """Refuse a ``budget`` that is neither a number nor text, a parameter file argument that is neither a path
    nor its model, ``param_overrides`` that are not a list of text, or an ``hle_column`` that is not text."""
    if isinstance(budget, bool) or not isinstance(budget, (str, numbers.Real)):
        raise ParameterError(f"--budget: must be an amount in pounds such as 4.8e9, got {budget!r}")
    for given, name, model in ((allocation_params, "--allocation-params", AllocationParameters),
                               (health_params, "--health-params", HealthParameters)):
        if given is not None and not isinstance(given, (str, os.PathLike, model)):
            raise ParameterError(f"{name}: must be the path of a parameter file or a {model.__name__}, got "
                                 f"{_shown(given)}")
    check_list_of_text(param_overrides, "--param", "cost_per_qaly.central=4000")
    if hle_column is not None:
        check_text(hle_column, "hle_column")


def check_sensitivity_arguments(rule: Any, data: Any, spread: Any, countries: Any, normalisations: Any) -> None:
    """Refuse what :func:`allocsim.sensitivity` cannot take: the ``rule``, ``data`` and ``countries`` as for
    ranking, a ``spread`` that is not a number, ``normalisations`` (when given) that are not a list of
    text."""
    check_rule(rule, "rule")
    check_data(data)
    check_number(spread, "--spread")
    check_countries(countries)
    if normalisations is not None:
        check_list_of_text(normalisations, "--normalisations", "minmax")


def check_search_arguments(rule: Any, data: Any, vary: Any, target: Any, focus: Any, focus_share: Any,
                           countries: Any, focus_end: Any) -> None:
    """Refuse what :func:`allocsim.search` cannot take: the ``rule``, ``data`` and ``countries`` as for
    ranking, ``vary``, ``focus`` or ``focus_end`` not text, a ``target`` neither text nor Target-like, a
    ``focus_share`` not a number."""
    check_rule(rule, "rule")
    check_data(data)
    check_text(vary, "--vary")
    if not isinstance(target, str) and not all(hasattr(target, a) for a in ("metric", "op", "value")):
        raise ParameterError(f"--target: must be text such as 'kendall_tau>=0.9' or a Target, got {_shown(target)}")
    check_text(focus, "--focus")
    check_number(focus_share, "--focus-share")
    check_text(focus_end, "--focus-end")
    check_countries(countries)


# -- memory -----------------------------------------------------------------------------------

# What a simulation's arrays take, measured (peak resident memory, /usr/bin/time) on 20,000 and
# 200,000 areas: about 48 bytes per draw and area (the health model's draws x areas arrays and the
# pence), and for the competitive mechanism about 80 bytes per bid slot it simulates at once
# (draws in a chunk x rounds x slots x areas). 200,000 areas with 1,000 draws took 9.3 GiB.
BYTES_PER_AREA_DRAW = 48
BYTES_PER_BID_SLOT = 80
MAX_SIMULATION_BYTES = 2**30


def check_simulation_size(areas: int, settings: Any) -> None:
    """Refuse a simulation whose arrays would take more than :data:`MAX_SIMULATION_BYTES`, naming
    ``--draws`` and the most that fit. ``settings``: a run's checked money settings."""
    slots = 0
    if settings.mechanism == "competitive":
        competitive = settings.allocation.competitive
        slots = competitive.rounds.value * competitive.bid_slots_per_area.value

    def needed(draws: int) -> int:
        return areas * (draws * BYTES_PER_AREA_DRAW + min(draws, CHUNK_DRAWS) * slots * BYTES_PER_BID_SLOT)

    if needed(settings.draws) <= MAX_SIMULATION_BYTES:
        return
    low, high = 0, settings.draws  # the most draws that fit
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if needed(middle) <= MAX_SIMULATION_BYTES else (low, middle - 1)
    advice = f"use --draws {low:,} or fewer, or fewer areas (--countries)" if low else "use fewer areas"
    raise ParameterError(f"--draws: {settings.draws:,} draws on {areas:,} areas need about "
                         f"{needed(settings.draws) / 2**30:.2f} GiB for the simulation's arrays, more than the "
                         f"{MAX_SIMULATION_BYTES // 2**30} GiB allowed; {advice}")


# -- the pieces ---------------------------------------------------------------------------------

def check_rule(rule: Any, name: str) -> None:
    """Refuse (:class:`~allocsim.errors.RuleError`) a ``rule`` that is not a rule, a resolved rule, a name or
    a path; ``name`` is the argument the message names. Whether the name or file exists is checked on
    loading."""
    if not isinstance(rule, (Rule, ResolvedRule, str, os.PathLike)):
        raise RuleError(f"{name}: must be a rule (allocsim.load_rule), a shipped rule's name or the path of a "
                        f".toml file, got {_shown(rule)}")


def check_data(data: Any, name: str = "data") -> None:
    """A DataFrame of areas as ``load_dataset`` gives: one row per area code, finite numbers."""
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"{name}: must be a pandas DataFrame of areas indexed by code (as allocsim.load_dataset() "
                        f"gives), got {_shown(data)}")
    index = data.index
    if isinstance(index, pd.MultiIndex):
        raise DataError(f"{name}: must be indexed by area code alone, not by a MultiIndex of {index.nlevels} levels "
                        f"({', '.join(str(n) for n in index.names)}); keep the code level, e.g. "
                        f"data.reset_index(level=[...])")
    if index.hasnans:
        raise DataError(f"{name}: an area has no code (a missing value in the index)")
    if not index.is_unique:
        raise DataError(f"{name}: duplicate area code {index[index.duplicated()][0]!r} in the index")
    if not data.columns.is_unique:
        raise DataError(f"{name}: column {data.columns[data.columns.duplicated()][0]!r} appears more than once")
    _check_numbers(data, name)


def _check_numbers(data: pd.DataFrame, name: str) -> None:
    numeric = data.select_dtypes("number")
    if numeric.empty:
        return
    values = numeric.to_numpy(dtype=float, na_value=np.nan)
    bad = np.isinf(values) | (np.abs(np.nan_to_num(values)) > MAX_MAGNITUDE)
    if bad.any():
        row, column = (int(i[0]) for i in np.nonzero(bad))
        value = values[row, column]
        why = "not a finite number" if np.isinf(value) else "too large (numbers must lie within ±1e15)"
        raise DataError(f"{name}: column {numeric.columns[column]!r}: area {numeric.index[row]} has {value:g}, {why}")


def check_numeric_column(data: pd.DataFrame, column: str, name: str = "data") -> None:
    """Refuse numbers stored as text in ``column`` (a missing, zero or non-number value is left for
    the check that names the area, e.g. :func:`allocsim.allocation.check_population`)."""
    if column not in data.columns or pd.api.types.is_numeric_dtype(data[column]):
        return
    values = data[column]
    text = values[values.map(lambda v: isinstance(v, str))]
    numeric_text = text[pd.to_numeric(text, errors="coerce").notna()]
    if not numeric_text.empty:
        raise DataError(f"{name}: column {column!r} holds numbers stored as text (area {numeric_text.index[0]} has "
                        f"{numeric_text.iloc[0]!r}); convert it, e.g. with pd.to_numeric")


def check_countries(countries: Any) -> None:
    """Refuse ``countries`` that is neither None (the rule's own countries) nor a list of text; one string is
    refused, not read as a list of its letters. Whether each country exists is checked where they are
    selected."""
    if countries is None:
        return
    if isinstance(countries, str):
        raise ParameterError(f"--countries: give a list of country names such as [{countries!r}], not one "
                             f"string")
    check_list_of_text(countries, "--countries", "England")


def check_list_of_text(values: Any, name: str, example: str) -> None:
    """A list (tuple, set) of text. Not an iterator: the library reads the list more than once."""
    if isinstance(values, str) or not isinstance(values, Collection):
        raise ParameterError(f"{name}: give a list of text such as [{example!r}], got {_shown(values)}")
    for value in values:
        check_text(value, name)


def check_text(value: Any, name: str) -> None:
    """Refuse a ``value`` that is not a string, naming the argument ``name``."""
    if not isinstance(value, str):
        raise ParameterError(f"{name}: must be text, got {_shown(value)}")


def check_number(value: Any, name: str) -> None:
    """A real number (not a bool, text or NaN) that a float can hold (a whole number beyond about 1.8e308
    cannot); its range is checked where it is used."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ParameterError(f"{name}: must be a number, got {_shown(value)}")
    try:
        as_float = float(value)
    except OverflowError:
        raise ParameterError(f"{name}: must be a number a float can hold, got a whole number of "
                             f"{digits(value)} digits") from None
    if math.isnan(as_float):
        raise ParameterError(f"{name}: must be a number, got {_shown(value)}")


def _shown(value: Any) -> str:
    text = repr(value)
    text = text if len(text) <= 60 else text[:57] + "..."
    return f"{text} ({type(value).__name__})"
