"""Statistics shared by comparison, search and robustness: rank correlation and agreement.

Each is computed here in numpy, step for step as SciPy's ``kendalltau`` (tau-b) and ``spearmanr``
and scikit-learn's ``cohen_kappa_score`` compute it (tests/test_stats.py checks they agree bit for
bit): importing ``scipy.stats`` alone takes longer than a whole comparison of two rules.
"""

from __future__ import annotations

import numpy as np


def kendall_tau(a, b) -> float:
    """Kendall's tau-b of two rankings; NaN when it is undefined (fewer than two areas, or either
    ranking the same for every area) or a value is missing."""
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if _undefined(x, y):
        return float("nan")
    # Dense ranks of y, then of x in a stable order, so ties in x keep y ascending: a pair is
    # discordant exactly when it is an inversion of y.
    perm = np.argsort(y)
    x, y = x[perm], _dense(y[perm])
    perm = np.argsort(x, kind="mergesort")
    x, y = _dense(x[perm]), y[perm]
    discordant = _inversions(y)
    joint = np.diff(np.flatnonzero(np.r_[True, (x[1:] != x[:-1]) | (y[1:] != y[:-1]), True]))
    both_tied = int((joint * (joint - 1) // 2).sum())
    total, x_tied, y_tied = len(x) * (len(x) - 1) // 2, _tied_pairs(x), _tied_pairs(y)
    difference = total - x_tied - y_tied + both_tied - 2 * discordant  # concordant minus discordant
    tau = difference / np.sqrt(total - x_tied) / np.sqrt(total - y_tied)
    return float(np.minimum(1.0, max(-1.0, tau)))


def spearman_rho(a, b) -> float:
    """Spearman's rank correlation; NaN when it is undefined, as for :func:`kendall_tau`."""
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if _undefined(x, y):
        return float("nan")
    ranked = np.column_stack((_average_ranks(x), _average_ranks(y)))
    return float(np.corrcoef(ranked, rowvar=False)[1, 0])


def _undefined(a: np.ndarray, b: np.ndarray) -> bool:
    return (len(a) < 2 or bool((a == a[0]).all()) or bool((b == b[0]).all())
            or bool(np.isnan(a).any() or np.isnan(b).any()))


def _dense(ordered: np.ndarray) -> np.ndarray:
    """Dense ranks (1, 2, ...) of values already in ascending order."""
    return np.r_[True, ordered[1:] != ordered[:-1]].cumsum(dtype=np.intp)


def _tied_pairs(dense: np.ndarray) -> int:
    counts = np.bincount(dense).astype(np.int64)
    counts = counts[counts > 1]
    return int((counts * (counts - 1) // 2).sum())


def _inversions(values: np.ndarray) -> int:
    """How many pairs i < j have ``values[i] > values[j]`` (non-negative integers), by merging sorted
    runs of 1, 2, 4, ... elements: each element of a right run counts the larger ones in its left run."""
    n = len(values)
    if n < 2:
        return 0
    runs, top, count, width = values.astype(np.int64), int(values.max()) + 1, 0, 1
    position = np.arange(n)
    while width < n:
        pair = position // (2 * width)
        right = (position // width) % 2 == 1
        keys = pair * top + runs  # each run is sorted, so the left runs' keys are in ascending order
        left = keys[~right]
        larger = (np.searchsorted(left, (pair[right] + 1) * top, side="left")
                  - np.searchsorted(left, keys[right], side="right"))
        count += int(larger.sum())
        runs = np.sort(keys) % top  # each pair of runs merged into one sorted run
        width *= 2
    return count


def _average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n, tied values sharing the average of their ranks."""
    order = np.argsort(values)
    ordered = values[order]
    first = np.r_[True, ordered[1:] != ordered[:-1]]
    starts = np.r_[np.flatnonzero(first), len(values)]
    dense = np.empty(len(values), dtype=np.intp)
    dense[order] = first.cumsum()
    return 0.5 * (starts[dense] + starts[dense - 1] + 1)


def cohen_kappa(reference, other) -> float | None:
    """Cohen's kappa of two group assignments; None when chance agreement is certain (each
    assignment puts every area in one group), where kappa is undefined."""
    reference, other = np.asarray(reference), np.asarray(other)
    if len(np.unique(reference)) == 1 and len(np.unique(other)) == 1:
        return None
    labels, codes = np.unique(np.concatenate((reference, other)), return_inverse=True)
    k, n = len(labels), len(reference)
    confusion = np.bincount(codes[:n] * k + codes[n:], minlength=k * k).reshape(k, k).astype(np.float64)
    sum0, sum1 = confusion.sum(axis=0), confusion.sum(axis=1)
    expected = np.outer(sum0, sum1) / sum0.sum()
    disagree = np.ones((k, k))
    np.fill_diagonal(disagree, 0)
    return float(1 - np.sum(disagree * confusion) / np.sum(disagree * expected))


def rounded(value: float | None, digits: int = 4) -> float | None:
    """``value`` rounded for reading (a value that rounds to zero is 0, never -0); None for a missing or non-finite
    value (JSON has no NaN)."""
    return None if value is None or not np.isfinite(value) else round(float(value), digits) + 0.0
