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
from allocsim.comparison.chain import Chain
from allocsim.comparison.money import MoneySummary
from allocsim.folders import write_folder
from allocsim.io import atomic_write_text
from allocsim.money.simulation import SimulationSummary
from allocsim.ranking import RankResult
from allocsim.results import plain

COMPARISON_COLUMNS = ["code", "name", "country", "base_rank", "alt_rank", "rank_change",
                      "base_group", "alt_group", "group_change", "in_focus"]


def to_json(value: Any) -> str:
    """Stable, readable JSON for summaries (typed results by their ``to_json``, numpy numbers as numbers; a
    number that is not finite, such as a statistic undefined for too few areas, as null: NaN is not JSON)."""
    return json.dumps(_finite(plain(value)), indent=2, sort_keys=False, default=_plain, ensure_ascii=False) + "\n"


def _finite(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _finite(v) for key, v in value.items()}
    if isinstance(value, (list, tuple, set, pd.Index, np.ndarray)):
        return [_finite(v) for v in value]
    if isinstance(value, (float, np.floating)) and not np.isfinite(value):
        return None
    return value


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
    """Every area, highest need first (ties by code, as the engine orders them): what ``rank --out`` writes."""
    return result.ordered()


def write_rank(result: RankResult, path: Path) -> None:
    """Write ``result``'s ranking to ``path`` as CSV, atomically: every area, highest need first, text cells
    made safe to open in a spreadsheet."""
    atomic_write_text(Path(path), csv_text(rank_frame(result)))


def comparison_frame(comparison: Comparison) -> pd.DataFrame:
    """The comparison table as ``comparison.csv`` holds it: code, name, country, both ranks and groups, their
    changes and ``in_focus``, then the focus column and every column after it."""
    frame = comparison.table.reset_index()
    focus_onwards = comparison.table.columns[comparison.table.columns.get_loc(comparison.focus):]
    return frame[COMPARISON_COLUMNS + list(focus_onwards)]


def comparison_files(comparison: Comparison) -> dict[str, str]:
    """What ``compare BASE ALT --out`` writes: ``comparison.csv``, ``summary.json`` and, with a
    budget, the money files (:func:`money_comparison_files`), and with ``--budget actual`` the
    awarded money beside both rules by view (``actual_beside_by_<view>.csv``)."""
    files = {"comparison.csv": csv_text(comparison_frame(comparison)), "summary.json": to_json(comparison.summary)}
    if comparison.money is not None:
        files |= money_comparison_files(comparison.money)
    return files | actual_beside_files(comparison)


def actual_beside_files(comparison: Comparison) -> dict[str, str]:
    """With ``--budget actual``, the awarded money beside both rules by view (``actual_beside_by_<view>.csv``)."""
    labels = {"base_per_head": f"per_head:{comparison.base.rule.name}",
              "alt_per_head": f"per_head:{comparison.alt.rule.name}"}
    return {f"actual_beside_by_{view}.csv": csv_text(stamped(frame.rename(columns=labels), comparison.money.summary))
            for view, frame in (comparison.actual or {}).items()}


def chain_files(chain: Chain) -> dict[str, str]:
    """What ``compare`` of a chain writes: ``comparison.csv`` (the first rule against the last, with
    every rule's group), ``steps.csv`` (each step's headline figures beside the total's; with a budget,
    ending with the price base of the money each step moves and the parameters),
    ``summary.json`` (every step's summary) and, with a budget, the total's money files and
    ``allocation_by_rule.csv`` (with ``--budget actual``, the awarded money beside the first and last rule)."""
    table = comparison_frame(chain.total)
    for result in chain.rules:
        table[f"group:{result.rule.name}"] = result.table["group"].reindex(table["code"]).to_numpy()
    money, steps = chain.total.money, steps_frame(chain)
    steps = steps if money is None else stamped(steps, money.summary)  # the pounds each step moves
    files = {"comparison.csv": csv_text(table), "steps.csv": money_csv_text(steps),  # the money moved to the penny
             "summary.json": to_json(chain.summary)}
    if money is None:
        return files
    by_rule = pd.DataFrame({"code": chain.simulations[0].allocation.index})
    for simulation in chain.simulations:
        by_rule[f"allocation:{simulation.rule.name}"] = simulation.allocation["allocation"].to_numpy()
    files["allocation_by_rule.csv"] = money_csv_text(stamped(by_rule, money.summary), pounds_prefix=True)
    return files | money_comparison_files(money) | actual_beside_files(chain.total)


def steps_frame(chain: Chain) -> pd.DataFrame:
    """One row per step and one for the total: what it measures and its headline figures."""
    rows = []
    for step, comparison in [*zip(chain.described, chain.steps), (chain.described[-1], chain.total)]:
        s = comparison.summary
        row = {"base_rule": step.base_rule, "alt_rule": step.alt_rule, "kind": step.kind,
               "focus_gain_priority": s.focus.gain_priority, "focus_lose_priority": s.focus.lose_priority,
               "focus_in_group1_base": s.focus.in_group1_base, "focus_in_group1_alt": s.focus.in_group1_alt,
               "areas_changing_group": s.all_areas.gain_priority + s.all_areas.lose_priority,
               "kendall_tau": s.rank_correlation.kendall_tau}
        row |= {f"{a.name}_{side}": a.counts[side] for a in s.fairness for side in ("base", "alt")}
        if comparison.money is not None:
            d = comparison.money.summary.difference_alt_minus_base
            row["money_moved_between_areas"] = comparison.money.moved_between_areas
            row |= {f"modelled_qalys_change_{k}": getattr(d.modelled_qalys, k)
                    for k in ("central", "median", "p05", "p95")}
            row["modelled_qalys_change_from_need_gradient_median"] = d.from_need_gradient.median
        rows.append(row)
    return pd.DataFrame(rows)


def awards_files(calibration, actual, simulation, data: pd.DataFrame) -> dict[str, str]:
    """What ``allocsim awards --out`` writes: per area the money awarded (in the price base, and the cash as
    announced) and the model's prediction,
    the money per resident by each view, the check by group and its reliability bins."""
    from allocsim.reality.actual import per_head, views

    per_area = actual.table.join(simulation.allocation[["name", "group", "allocation", "funded_probability"]]
                                 .rename(columns={"allocation": "model_expected_allocation",
                                                  "funded_probability": "model_funded_probability"}))
    # the cash column adds pounds of two years as announced: the price base column says so, row by row
    cash = "cash_total_as_announced"
    years = " and ".join(f"{r.round.replace('_', ' ')} {r.financial_year}" for r in actual.rounds)
    per_area = per_area.rename(columns={"cash_total": cash}).reset_index().assign(
        price_base=f"{calibration.price_base}, but {cash}: cash as announced ({years}), added")
    files = {"awards.csv": money_csv_text(per_area, pounds_prefix=True)}
    for name, view in views(data).items():
        frame = per_head(actual.table["total"], data["population_2019"], view).assign(view=view.title)
        files[f"actual_by_{name}.csv"] = csv_text(frame.assign(price_base=calibration.price_base))
    files["calibration_by_group.csv"] = csv_text(pd.DataFrame([g.to_json() for g in calibration.by_group]))
    files["reliability.csv"] = csv_text(pd.DataFrame(calibration.reliability))
    files["summary.json"] = to_json(calibration)
    return files


def explain_files(explanation) -> dict[str, str]:
    """What ``allocsim explain --out`` writes: the area's indicators and domains under both rules."""
    return {"indicators.csv": csv_text(explanation.indicators.assign(code=explanation.code)),
            "domains.csv": csv_text(explanation.domains.assign(code=explanation.code))}



# -- money and modelled health -----------------------------------------------------------------

ALLOCATION_COLUMNS = ["code", "name", "group", "population", "allocation", "allocation_per_head"]
POUNDS_COLUMNS = ("allocation", "allocation_p05", "allocation_p95", "base_allocation", "alt_allocation",
                  "allocation_change", "gained_by_gaining_areas", "lost_by_losing_areas", "money_moved_between_areas")


def money_csv_text(frame: pd.DataFrame, pounds_prefix: bool = False) -> str:
    """Like :func:`csv_text`, with amounts in pounds written to the penny (never in e-notation): the
    columns in :data:`POUNDS_COLUMNS` (and, with ``pounds_prefix``, every ``allocation:`` column)."""
    pounds = [c for c in frame.columns
              if c in POUNDS_COLUMNS or (pounds_prefix and str(c).startswith("allocation:"))]
    return safe_csv.csv_text(frame, {column: _pounds for column in pounds})


def _pounds(value: Any) -> str:
    return "" if pd.isna(value) else f"{value:.2f}"


def parameters_text(summary: SimulationSummary | MoneySummary) -> str:
    """The parameter files and any ``--param`` behind a run's money and modelled health, as the
    constant ``parameters`` column of each money CSV (so a CSV on its own still names them)."""
    files, overrides = summary.parameter_files, summary.parameter_overrides
    shown = f"{files['health']} and {files['allocation']}"
    return shown + (f", with --param {' --param '.join(overrides)}" if overrides else "")


def stamped(frame: pd.DataFrame, summary: SimulationSummary | MoneySummary) -> pd.DataFrame:
    """``frame`` with the constant columns every money or modelled-health CSV ends with, so that a
    CSV on its own still says what it rests on: ``price_base`` of its pounds and ``parameters``. A
    frame whose rows name their own price base (a one-way table: each parameter's values in its own
    base, "2013-14 prices", blank for those not in pounds) keeps them."""
    if "price_base" in frame:
        return frame.assign(price_base=frame["price_base"].fillna(""), parameters=parameters_text(summary))
    return frame.assign(price_base=summary.price_base, parameters=parameters_text(summary))


def allocation_frame(simulation) -> pd.DataFrame:
    """``simulation``'s table as ``allocation.csv`` holds it: code, name, group, population, expected
    allocation and allocation per head (pounds, price base), then the mechanism's extra columns."""
    frame = simulation.allocation.reset_index()
    return frame[ALLOCATION_COLUMNS + list(MECHANISMS[simulation.summary.mechanism].columns)]


def simulation_files(simulation) -> dict[str, str]:
    """``allocation.csv``, ``health_return.csv``, one ``health_by_<category>.csv`` per breakdown,
    ``health_one_way.csv``, ``summary.json``: file name -> text. Each CSV has the ``price_base`` and
    ``parameters`` columns (:func:`stamped`)."""
    summary = simulation.summary
    health = simulation.allocation[["name"]].join(simulation.health.table).reset_index()
    files = {"allocation.csv": money_csv_text(stamped(allocation_frame(simulation), summary)),
             "health_return.csv": csv_text(stamped(health, summary))}
    for name, frame in simulation.health.breakdowns.items():
        files[f"health_by_{name}.csv"] = money_csv_text(stamped(frame, summary))
    files["health_one_way.csv"] = csv_text(stamped(simulation.health.one_way, summary))
    files["summary.json"] = to_json(simulation.summary)
    return files


def write_simulation(simulation, out: Path) -> list[str]:
    """Every file of :func:`simulation_files` as the folder ``out``, staged so a failure leaves nothing."""
    files = simulation_files(simulation)
    write_folder(Path(out), files, "simulate")
    return list(files)


def money_comparison_files(money) -> dict[str, str]:
    """The extra files of ``compare --budget``: per area, per HLE decile, and the one-way
    sensitivity of the difference in modelled QALYs."""
    s = money.summary
    files = {"allocation_comparison.csv": money_csv_text(stamped(money.table.reset_index(), s)),
             "health_comparison_by_hle_decile.csv": money_csv_text(stamped(money.by_hle_decile, s)),
             "health_one_way_difference.csv": csv_text(stamped(pd.DataFrame(s.one_way_difference), s))}
    for name, frame in money.places.items():
        files[f"winners_losers_by_{name}.csv"] = money_csv_text(stamped(frame, s))
    return files


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
