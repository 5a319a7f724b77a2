"""Write results to disk: each output folder is staged and moved into place only when complete."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from allocsim import safe_csv
from allocsim.allocation import MECHANISMS
from allocsim.comparison import Comparison
from allocsim.comparison.money import MoneySummary
from allocsim.folders import write_folder
from allocsim.io import atomic_write_text
from allocsim.money.simulation import SimulationSummary
from allocsim.ranking import RankResult
from allocsim.results import plain

COMPARISON_COLUMNS = ["code", "name", "country", "base_rank", "alt_rank", "rank_change",
                      "base_group", "alt_group", "group_change", "in_focus"]


def to_json(value: Any) -> str:
    """Stable, readable JSON for summaries (typed results by their ``to_json``, numpy numbers as numbers)."""
    return json.dumps(plain(value), indent=2, sort_keys=False, default=_plain, ensure_ascii=False) + "\n"


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (pd.Index, set, tuple)):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as CSV, its text cells safe to open in a spreadsheet (:mod:`allocsim.safe_csv`)."""
    return safe_csv.csv_text(frame)


def rank_frame(result: RankResult) -> pd.DataFrame:
    """Every area, highest need first (ties by code, as the engine orders them)."""
    return result.table.reset_index().sort_values(["rank", "code"], kind="stable", ignore_index=True)


def write_rank(result: RankResult, path: Path) -> None:
    atomic_write_text(Path(path), csv_text(rank_frame(result)))


def comparison_frame(comparison: Comparison) -> pd.DataFrame:
    frame = comparison.table.reset_index()
    focus_onwards = comparison.table.columns[comparison.table.columns.get_loc(comparison.focus):]
    return frame[COMPARISON_COLUMNS + list(focus_onwards)]


def write_comparison(comparison: Comparison, out: Path, extra: dict[str, str] | None = None) -> None:
    """``comparison.csv`` and ``summary.json`` (plus any ``extra`` files) as the folder ``out``,
    staged and swapped in whole (:func:`allocsim.folders.write_folder`)."""
    files = {"comparison.csv": csv_text(comparison_frame(comparison)), "summary.json": to_json(comparison.summary),
             **(extra or {})}
    write_folder(Path(out), files, "compare")


# -- money and modelled health -----------------------------------------------------------------

ALLOCATION_COLUMNS = ["code", "name", "group", "population", "allocation", "allocation_per_head"]
POUNDS_COLUMNS = ("allocation", "allocation_p05", "allocation_p95", "base_allocation", "alt_allocation",
                  "allocation_change")


def money_csv_text(frame: pd.DataFrame) -> str:
    """Like :func:`csv_text`, with amounts in pounds written to the penny (never in e-notation)."""
    return safe_csv.csv_text(frame, {column: _pounds for column in POUNDS_COLUMNS})


def _pounds(value: Any) -> str:
    return "" if pd.isna(value) else f"{value:.2f}"


def parameters_text(summary: SimulationSummary | MoneySummary) -> str:
    """The parameter files and any ``--param`` behind a run's money and modelled health, as the
    constant ``parameters`` column of each money CSV (so a CSV on its own still names them)."""
    files, overrides = summary.parameter_files, summary.parameter_overrides
    shown = f"{files['health']} and {files['allocation']}"
    return shown + (f", with --param {' --param '.join(overrides)}" if overrides else "")


def allocation_frame(simulation) -> pd.DataFrame:
    frame = simulation.allocation.reset_index()
    return frame[ALLOCATION_COLUMNS + list(MECHANISMS[simulation.summary.mechanism].columns)]


def simulation_files(simulation) -> dict[str, str]:
    """``allocation.csv``, ``health_return.csv``, one ``health_by_<category>.csv`` per breakdown,
    ``summary.json``: file name -> text. Each CSV ends with a ``parameters`` column."""
    parameters = parameters_text(simulation.summary)
    health = simulation.allocation[["name"]].join(simulation.health.table).reset_index()
    files = {"allocation.csv": money_csv_text(allocation_frame(simulation).assign(parameters=parameters)),
             "health_return.csv": csv_text(health.assign(parameters=parameters))}
    for name, frame in simulation.health.breakdowns.items():
        files[f"health_by_{name}.csv"] = money_csv_text(frame.assign(parameters=parameters))
    files["summary.json"] = to_json(simulation.summary)
    return files


def write_simulation(simulation, out: Path) -> list[str]:
    """Every file of :func:`simulation_files` as the folder ``out``, staged so a failure leaves nothing."""
    files = simulation_files(simulation)
    write_folder(Path(out), files, "simulate")
    return list(files)


def money_comparison_files(money) -> dict[str, str]:
    """The extra files of ``compare --budget``: per area and per HLE decile."""
    parameters = parameters_text(money.summary)
    return {"allocation_comparison.csv": money_csv_text(money.table.reset_index().assign(parameters=parameters)),
            "health_comparison_by_hle_decile.csv": money_csv_text(money.by_hle_decile.assign(parameters=parameters))}


# -- robustness (allocsim sensitivity, allocsim search) -----------------------------------------

def sensitivity_frame(result) -> pd.DataFrame:
    """``robustness.csv``: the per-area table of a :class:`~allocsim.sensitivity.Sensitivity`."""
    return result.table.reset_index()


def write_sensitivity(result, out: Path) -> None:
    """``robustness.csv`` and ``summary.json`` as the folder ``out``, staged so a failure leaves nothing."""
    files = {"robustness.csv": csv_text(sensitivity_frame(result)), "summary.json": to_json(result.summary)}
    write_folder(Path(out), files, "sensitivity")


def write_search(result, path: Path) -> None:
    """The frontier of a :class:`~allocsim.search.SearchResult` as CSV."""
    atomic_write_text(Path(path), csv_text(result.frontier))
