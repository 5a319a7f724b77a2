"""Statistics shared by comparison, search and robustness: rank correlation and agreement."""

from __future__ import annotations

import numpy as np


def kendall_tau(a, b) -> float:
    """Kendall's tau-b of two rankings; NaN, without scipy's warning, when it is undefined
    (fewer than two areas, or either ranking the same for every area)."""
    from scipy import stats

    a, b = np.asarray(a), np.asarray(b)
    if _undefined(a, b):
        return float("nan")
    return float(stats.kendalltau(a, b).statistic)


def spearman_rho(a, b) -> float:
    """Spearman's rank correlation; NaN when it is undefined, as for :func:`kendall_tau`."""
    from scipy import stats

    a, b = np.asarray(a), np.asarray(b)
    if _undefined(a, b):
        return float("nan")
    return float(stats.spearmanr(a, b).statistic)


def _undefined(a: np.ndarray, b: np.ndarray) -> bool:
    return len(a) < 2 or bool((a == a[0]).all()) or bool((b == b[0]).all())


def cohen_kappa(reference, other) -> float | None:
    """Cohen's kappa of two group assignments; None when chance agreement is certain (each
    assignment puts every area in one group), where kappa is undefined."""
    from sklearn.metrics import cohen_kappa_score

    reference, other = np.asarray(reference), np.asarray(other)
    if len(np.unique(reference)) == 1 and len(np.unique(other)) == 1:
        return None
    return float(cohen_kappa_score(reference, other))


def rounded(value: float | None, digits: int = 4) -> float | None:
    """``value`` rounded for reading; None for a missing or non-finite value (JSON has no NaN)."""
    return None if value is None or not np.isfinite(value) else round(float(value), digits)
