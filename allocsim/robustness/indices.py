"""Per-area rank quantiles and the first-order sensitivity indices, from a run's tallies.

For a factor X (a domain's share, or each indicator's weight when the rule has no domains; and
the normalisation method) and an area's rank or group-1 membership Y,
``S = Var(E[Y | X]) / Var(Y)``, with ``E[Y | X]`` the mean of Y over ten equal-probability bins of
X, summarised across areas as ``sum_a Var(E[Y_a | X]) / sum_a Var(Y_a)``. With N draws the
estimate is biased upwards by about ``(bins - 1) / N``, so an index is left blank (NaN) below
``100 * bins`` draws, with a note saying how many it needs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from allocsim.robustness.model import Factor, Model
from allocsim.robustness.tally import Tally

MIN_DRAWS_PER_BIN = 100  # keeps an index's upward bias, about (bins - 1) / draws, below 0.01


def rank_quantiles(hist: np.ndarray, edges: np.ndarray, qs: Sequence[float]) -> np.ndarray:
    """(areas, quantiles): the lowest rank r with P(rank <= r) >= q, from rank histograms.

    Exact when every bin is one rank wide; otherwise interpolated within the bin.
    """
    cumulative = np.cumsum(hist, axis=1)
    total = cumulative[:, -1:]
    rows = np.arange(len(hist))
    out = np.empty((len(hist), len(qs)))
    for i, q in enumerate(qs):
        target = q * total
        # a tolerance so that q * N landing a rounding error above a whole count still counts
        b = np.sum(cumulative < target - 1e-9 * total, axis=1)
        before = np.where(b > 0, cumulative[rows, np.maximum(b - 1, 0)], 0)
        low, width = edges[b], edges[b + 1] - edges[b]
        share = (target[:, 0] - before) / np.maximum(hist[rows, b], 1)
        out[:, i] = low + np.clip(np.ceil(share * width - 1e-9), 1, width)
    return out


def _rank_moments(tally: Tally, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each area's mean rank (exact) and rank variance (exact when bins are one rank wide)."""
    low, high = edges[:-1] + 1, edges[1:]
    middle, width = (low + high) / 2, high - low + 1
    mean = tally.rank_sums[0] / tally.ranked
    square = (tally.rank_hist @ (middle**2 + (width**2 - 1) / 12)) / tally.ranked
    return mean, np.maximum(square - mean**2, 0)


def draws_needed(factor: Factor) -> int:
    """The fewest draws for which ``factor``'s first-order index is reported."""
    return MIN_DRAWS_PER_BIN * factor.n_bins


def first_order_indices(model: Model, tally: Tally) -> pd.DataFrame:
    """One row per factor; an index is NaN when too few draws went into it, or nothing varied."""
    rank_mean, rank_var = _rank_moments(tally, model.rank_edges)
    group1_mean = tally.group1_sums[0] / tally.draws
    rows = []
    for f in model.factors:
        columns = slice(f.offset, f.offset + f.n_bins)
        enough_ranked, enough = tally.ranked >= draws_needed(f), tally.draws >= draws_needed(f)
        rows.append({
            "factor": f.name, "kind": f.kind,
            "first_order_rank": _first_order(tally.rank_sums[columns], tally.ranked_bin_counts[columns],
                                             rank_mean, rank_var, tally.ranked) if enough_ranked else np.nan,
            "first_order_group1": _first_order(tally.group1_sums[columns], tally.bin_counts[columns],
                                               group1_mean, group1_mean * (1 - group1_mean), tally.draws)
            if enough else np.nan,
        })
    frame = pd.DataFrame(rows, columns=["factor", "kind", "first_order_rank", "first_order_group1"])
    return frame.sort_values("first_order_rank", ascending=False, kind="stable").reset_index(drop=True)


def _first_order(sums: np.ndarray, counts: np.ndarray, mean: np.ndarray, variance: np.ndarray,
                 draws: int) -> float:
    """``sum_a Var(E[Y_a | bin]) / sum_a Var(Y_a)`` from per-bin sums of Y."""
    used = counts > 0
    explained = (sums[used] ** 2 / counts[used, np.newaxis]).sum(axis=0) / draws - mean**2
    total = variance.sum()
    return round(float(np.clip(explained.sum() / total, 0, 1)), 4) if total > 0 else float("nan")


def index_notes(model: Model, tally: Tally, indices: pd.DataFrame) -> list[str]:
    """Why any first-order index is blank, and how many draws would give it."""
    short_group1 = [f for f in model.factors if tally.draws < draws_needed(f)]
    short_rank = [f for f in model.factors if tally.ranked < draws_needed(f)]
    notes = []
    if short_group1:
        which = "" if short_rank == short_group1 else "group-1 "
        notes.append(_too_few(which, short_group1, f"this run has {tally.draws:,}", "use --draws"))
    if short_rank != short_group1:
        notes.append(_too_few("rank ", short_rank, f"this run ranked {tally.ranked:,}", "raise rank_draws to"))
    by_factor = indices.set_index("factor")
    for column, label, what, short in (("first_order_rank", "rank", "rank", short_rank),
                                       ("first_order_group1", "group-1", "group-1 membership", short_group1)):
        still = [name for name, value in by_factor[column].items()
                 if pd.isna(value) and name not in {f.name for f in short}]
        if still:
            notes.append(f"first-order {label} indices of {', '.join(still)} are blank: no area's "
                         f"{what} varied across the draws, so there is nothing to explain")
    return notes


def _too_few(which: str, factors: list[Factor], have: str, fix: str) -> str:
    """The note for ``factors`` with too few draws, saying how many each needs where they need different numbers
    (a domain's ten bins 1,000, the four normalisations 400)."""
    needs: dict[int, list[str]] = {}
    for factor in factors:
        needs.setdefault(draws_needed(factor), []).append(factor.name)
    need = max(needs)
    per_bin = "per bin of the factor, so that the estimate's upward bias, about (bins - 1) / draws, stays below 0.01"
    if len(needs) == 1:
        return (f"first-order {which}indices of {', '.join(needs[need])} are left blank: they need at least {need:,} "
                f"draws ({MIN_DRAWS_PER_BIN} {per_bin}) and {have}; {fix} {need} or more")
    listed = " and ".join(f"{', '.join(names)} (at least {n:,} draws{' each' if len(names) > 1 else ''})"
                          for n, names in sorted(needs.items(), reverse=True))
    return (f"first-order {which}indices of {listed} are left blank: they need {MIN_DRAWS_PER_BIN} draws {per_bin}, "
            f"and {have}; {fix} {need} or more")
