"""Scores of a batch of weight vectors: each area's weighted mean over the indicators it has.

Areas are held in the kernel's *column order* (:class:`Layout`): grouped by the indicators they
have, complete ones first, so that rescaling each group's weights is one slice. With each row of
weights summing to 1, complete areas need no rescaling; an area missing an indicator (Scotland
and Wales have no journey times) has that weight spread over its others in proportion.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from allocsim.methods.aggregations import Aggregation


@dataclass(frozen=True)
class Layout:
    """The kernel's columns; results go back to code order through ``code_position``."""

    code_position: np.ndarray  # (areas,) the area (position in code order) in each column
    gaps: tuple[tuple[int, int, np.ndarray], ...]  # (start, stop, has indicator) per incomplete group

    @classmethod
    def of(cls, available: np.ndarray) -> Layout:
        """From ``available`` (areas in code order x indicators)."""
        patterns, pattern = np.unique(available, axis=0, return_inverse=True)
        pattern = np.where(patterns.all(axis=1)[pattern], -1, pattern)
        columns = np.argsort(pattern, kind="stable")
        starts = np.flatnonzero(np.diff(pattern[columns], prepend=-2))
        gaps = tuple((int(a), int(b), available[columns[a]].astype(float))
                     for a, b in zip(starts, np.append(starts[1:], len(columns))) if pattern[columns[a]] >= 0)
        return cls(columns.astype(np.int64), gaps)


def scaled(normalised: np.ndarray, available: np.ndarray, layout: Layout, aggregation: Aggregation) -> np.ndarray:
    """(indicators, columns): each normalised value transformed for ``aggregation``, 0 where the
    area lacks the indicator, in the kernel's column order."""
    # + 0.0 turns any -0.0 into 0.0, whose bits the order keys rely on
    return aggregation.transform(np.where(available, normalised + 0.0, 0.0)[layout.code_position].T)


def scores(weights: np.ndarray, scaled_by_method: np.ndarray, rows: list[tuple[int, int, int]], layout: Layout,
           aggregation: Aggregation, out: np.ndarray) -> np.ndarray:
    """(draws, columns) scores of ``weights`` (draws x indicators); ``rows`` gives each block of
    draws (``method, start, stop``) and ``scaled_by_method[method]`` its :func:`scaled` matrix."""
    total = weights.sum(axis=1, keepdims=True)
    weights = np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)
    for m, start, stop in rows:
        np.matmul(weights[start:stop], scaled_by_method[m], out=out[start:stop])
    for start, stop, has in layout.gaps:
        total = (weights @ has)[:, np.newaxis]
        block = out[:, start:stop]
        if total.all():  # the same quotients; numpy's masked (where=) division is several times slower
            block /= total
        else:
            np.divide(block, total, out=block, where=total > 0)
    return aggregation.finish(out, out=out)


def method_rows(method: np.ndarray, n_methods: int) -> list[tuple[int, int, int]]:
    """(method, start, stop) of each method's block of rows; ``method`` is sorted."""
    bounds = np.searchsorted(method, np.arange(n_methods + 1))
    return [(m, int(a), int(b)) for m, (a, b) in enumerate(zip(bounds[:-1], bounds[1:])) if b > a]


def contributions(normalised: np.ndarray, available: np.ndarray, weights: np.ndarray,
                  aggregation: Aggregation) -> np.ndarray:
    """(areas, indicators): each indicator's part of each area's score, weights rescaled over
    the indicators the area has (they sum to the score before ``aggregation.finish``)."""
    W = np.where(available, weights[np.newaxis, :], 0.0)
    total = W.sum(axis=1, keepdims=True)
    W = np.divide(W, total, out=np.zeros_like(W), where=total > 0)
    return W * aggregation.transform(np.nan_to_num(normalised))
