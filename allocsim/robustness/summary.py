"""What a robustness run reports: per-area probabilities and rank quantiles, leave-one-out, summary."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from allocsim.ranking import RankResult
from allocsim.ranking.model import outcomes, scorable
from allocsim.results import JsonResult
from allocsim.robustness.indices import index_notes, rank_quantiles
from allocsim.robustness.model import Model
from allocsim.robustness.tally import Tally
from allocsim.rules.schema import Rule
from allocsim.stats import kendall_tau

ROBUST_PROBABILITY = 0.8
QUANTILES = (0.5, 0.05, 0.95)


def area_table(model: Model, tally: Tally, baseline: RankResult) -> pd.DataFrame:
    """Per area, in the data's order: the rule's group, group probabilities, the most frequent group (the rule's
    own where it ties for most frequent; else the first of those tied) and rank quantiles."""
    own = baseline.table.reindex(model.codes)
    # a fresh frame: the dataset's metadata (attrs) would be deep-copied by every pandas step
    columns = {c: own[c].to_numpy() for c in ("name", "country", "group") if c in own.columns}
    counts = tally.group_counts
    p = counts / tally.draws
    columns |= {f"p_group_{g + 1}": p[:, g] for g in range(p.shape[1])}  # at once: a rule may have many groups
    group = own["group"].to_numpy(dtype=np.int64)
    ties_own = counts[np.arange(len(counts)), group - 1] == counts.max(axis=1)  # not "most often in another"
    columns["modal_group"] = np.where(ties_own, group, counts.argmax(axis=1) + 1)
    quantiles = rank_quantiles(tally.rank_hist, model.rank_edges, QUANTILES)
    columns |= {name: column.astype(np.int64) for name, column in zip(("median_rank", "rank_p05", "rank_p95"),
                                                                       quantiles.T)}
    return pd.DataFrame(columns, index=pd.Index(model.codes, name="code")).reindex(baseline.table.index)


def leave_one_out(model: Model, rule: Rule, baseline: RankResult) -> pd.DataFrame:
    """Each indicator dropped in turn, with the rule's own weights and normalisation; blank where dropping it
    would leave some areas with no indicator with weight (the engine would refuse that rule: see
    :func:`loo_notes`)."""
    columns = ["indicator", "areas_changing_group", "group1_changes", "kendall_tau"]
    k = len(model.weights)
    if k < 2:
        return pd.DataFrame(columns=columns)
    weights = np.tile(model.weights, (k, 1))
    weights[np.arange(k), np.arange(k)] = 0
    ranks, groups = outcomes(model.scoring, weights, np.full(k, model.scoring.own))
    own = baseline.table.reindex(model.codes)
    base_rank, base_group = own["rank"].to_numpy(), own["group"].to_numpy()
    rows = [{"indicator": indicator.column,
             "areas_changing_group": int((groups[j] != base_group).sum()),
             "group1_changes": int(((groups[j] == 1) != (base_group == 1)).sum()),
             "kendall_tau": round(kendall_tau(ranks[j], base_rank), 4)} if ok else {"indicator": indicator.column}
            for j, (indicator, ok) in enumerate(zip(rule.indicators, scorable(model.scoring, weights)))]
    return pd.DataFrame(rows, columns=columns).astype({"areas_changing_group": "Int64", "group1_changes": "Int64"})


def unscored_notes(tally: Tally) -> list[str]:
    """How many draws left some area with no indicator with weight: at a large spread a drawn weight can be
    exactly 0, and an area whose indicators all drew 0 scores 0 in that draw, as no rule would score it."""
    if not tally.unscored:
        return []
    return [f"{tally.unscored:,} of {tally.draws:,} draws gave every indicator of some areas a weight of exactly 0 "
            f"(at this spread a drawn weight can underflow to 0); those areas scored 0 in those draws, as no rule "
            f"would score them: a smaller --spread avoids it"]


def loo_notes(loo: pd.DataFrame) -> list[str]:
    """Why a leave-one-out row is blank."""
    blank = loo.loc[loo["areas_changing_group"].isna(), "indicator"].tolist()
    return [f"leave-one-out of {', '.join(blank)} left blank: without {'it' if len(blank) == 1 else 'each'}, "
            f"some areas would have no indicator with weight, and no score"] if blank else []


@dataclass(frozen=True)
class Normalisations(JsonResult):
    """The normalisation methods the draws pick from, and those the rule cannot use, each with the reason."""

    drawn: list[str]
    left_out: dict[str, str]  # method -> why the rule cannot use it


@dataclass(frozen=True)
class RobustnessCounts(JsonResult):
    """How settled the groups are: the probability threshold; the areas whose most likely group, or own group,
    is below it; the areas most often in a group other than their own; the median width of the 5-95% rank
    interval, in ranks."""

    probability_threshold: float
    areas_modal_group_below: int
    areas_own_group_below: int
    areas_modal_group_not_own: int
    median_rank_interval_width: float


@dataclass(frozen=True)
class SensitivitySummary(JsonResult):
    """``summary.json`` of ``allocsim sensitivity`` (keys documented in README)."""

    rule: str
    rule_source: str  # the file, and any --set applied to it
    areas: int
    groups: int
    draws: int
    ranked_draws: int
    seed: int
    spread: float
    concentration: float | None  # significant figures, not decimals: spread 0.9999999 gives 2e-07, not 0
    weights: dict[str, float]
    normalisations: Normalisations
    robustness: RobustnessCounts
    indices: list[dict]
    leave_one_out: list[dict]
    notes: list[str]  # what the screen shows first


def summarise(rule: Rule, model: Model, tally: Tally, table: pd.DataFrame, indices: pd.DataFrame,
              loo: pd.DataFrame, left_out: dict[str, str], seed: int, spread: float,
              baseline: RankResult) -> SensitivitySummary:
    """The typed ``summary.json`` of a sensitivity run: the rule, areas, groups, draws, seed, spread and
    Dirichlet concentration (None when the weights are held fixed), weights, normalisations, robustness
    counts, sensitivity indices, leave-one-out and notes."""
    p = table[[c for c in table.columns if c.startswith("p_group_")]].to_numpy()
    p_modal = p.max(axis=1)
    p_own = p[np.arange(len(p)), table["group"].to_numpy() - 1]
    methods = model.scoring.methods
    return SensitivitySummary(
        rule=rule.name, rule_source=rule.source, areas=model.n_areas, groups=model.scoring.cut.n_groups,
        draws=tally.draws, ranked_draws=tally.ranked, seed=seed, spread=spread,
        concentration=None if np.isinf(model.concentration) else float(f"{model.concentration:.6g}"),
        weights={i.column: round(float(w), 6) for i, w in zip(rule.indicators, model.weights)},
        normalisations=Normalisations([methods[m] for m in model.drawn], left_out),
        robustness=RobustnessCounts(
            ROBUST_PROBABILITY, int((p_modal < ROBUST_PROBABILITY).sum()), int((p_own < ROBUST_PROBABILITY).sum()),
            int((table["modal_group"] != table["group"]).sum()),
            float((table["rank_p95"] - table["rank_p05"]).median())),
        indices=records(indices), leave_one_out=records(loo),
        notes=unscored_notes(tally) + index_notes(model, tally, indices) + loo_notes(loo) + list(baseline.notes),
    )


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts with None for NaN, which JSON cannot hold."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")
