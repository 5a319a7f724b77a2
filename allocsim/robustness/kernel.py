"""Tally a robustness run's draws: weights drawn, scored, ordered and cut by the engine's
batched kernels, and counted into a :class:`~allocsim.robustness.tally.Tally`.

Draws numbered below ``rank_draws`` are ranked in full (rank histograms and sums for the rank
quantiles and the rank index); the rest of a rule cut by pooled shares are only cut at the
group bounds with ``np.partition``, which costs less than sorting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from allocsim.engine import cut as cutting
from allocsim.engine import order as ordering
from allocsim.engine.workspace import Workspace
from allocsim.ranking.model import block_rows, ranked
from allocsim.ranking.model import scores as scored
from allocsim.robustness.model import Chunk, Model
from allocsim.robustness.tally import Tally

Progress = Callable[[int], None]


def empty_tally(model: Model) -> Tally:
    """A tally of no draws, shaped for ``model``: its areas, rank-histogram bins, groups and tally columns."""
    return Tally.zeros(model.n_areas, len(model.rank_edges) - 1, model.scoring.cut.n_groups, model.n_columns)


def draw(model: Model, rng: np.random.Generator, size: int) -> tuple[np.ndarray, np.ndarray]:
    """``size`` weight vectors (rows summing to 1) and the normalisation each uses."""
    if np.isinf(model.concentration):
        weights = np.tile(model.weights, (size, 1))
    else:
        weights = np.zeros((size, len(model.weights)))
        positive = model.weights > 0
        weights[:, positive] = rng.dirichlet(model.concentration * model.weights[positive], size)
    return weights, model.drawn[rng.integers(len(model.drawn), size=size)]


def simulate(model: Model, chunks: Iterable[Chunk], progress: Progress | None = None) -> Tally:
    """Tally every draw of ``chunks``."""
    tally = empty_tally(model)
    cut = model.scoring.cut
    cuts = len(cut.bounds) - 1 if cut.by_rank else 0
    work = Workspace(model.chunk_size, model.n_areas, model.n_columns, cuts)
    for chunk in chunks:
        weights, method = draw(model, np.random.default_rng(chunk.seed), chunk.size)
        # Draws numbered below rank_draws are ranked in full; the rest (pooled shares) only cut.
        ranked_here = chunk.size if not cut.by_rank else int(np.clip(model.rank_draws - chunk.start, 0, chunk.size))
        if ranked_here:
            _tally_ranked(model, weights[:ranked_here], method[:ranked_here], tally, work)
        if ranked_here < chunk.size:
            _tally_cut(model, weights[ranked_here:], method[ranked_here:], tally, work)
        if progress is not None:
            progress(chunk.size)
    return tally


def _tally_ranked(model: Model, weights: np.ndarray, method: np.ndarray, tally: Tally, work: Workspace) -> None:
    """Draws ranked in full: rank histogram and sums, groups, index sums."""
    by_method = np.argsort(method, kind="stable")
    weights, method = weights[by_method], method[by_method]
    c = len(weights)
    hot = _one_hot(model, weights, method, work.hot[:c])
    order, ranks, by_score = ranked(model.scoring, weights, method, work)
    groups = cutting.groups(model.scoring.cut, order, ranks, by_score)
    _tally_groups(groups, hot, tally, work.group1[:c])
    bins = len(model.rank_edges) - 1
    order *= bins  # area * bins + the rank bin of each position, counted in one pass
    order += np.searchsorted(model.rank_edges, np.arange(model.n_areas), side="right") - 1
    tally.rank_hist += _counts(order, tally.rank_hist.shape)
    tally.ranked_bin_counts += hot.sum(axis=0).astype(np.int64)
    tally.rank_sums += hot.T @ ranks  # float32 sums of whole numbers below 2**24: exact
    tally.ranked += c


def _tally_cut(model: Model, weights: np.ndarray, method: np.ndarray, tally: Tally, work: Workspace) -> None:
    """Draws only cut into groups (pooled shares): keys partitioned at each group's last rank.

    Everything is tallied in the kernel's column order and put in code order once per chunk,
    on the small tallies rather than on every draw.
    """
    by_method = np.argsort(method, kind="stable")
    weights, method = weights[by_method], method[by_method]
    scoring = model.scoring
    c, cut, columns = len(weights), scoring.cut, scoring.layout.code_position
    hot = _one_hot(model, weights, method, work.hot[:c])
    _, key_rows = block_rows(scoring, method)
    keys = ordering.order_keys(scored(scoring, weights, method, work.scores[:c]), columns, key_rows, work.index[:c])
    edges = cutting.cut_edges(keys, cut.bounds, work.cut[:c])
    if cut.floor is not None:
        groups = np.ones(keys.shape, dtype=np.int8)
        for edge in edges.T:  # keys sort like need, highest first
            groups += keys > edge[:, np.newaxis]
        np.minimum(groups, cut.floor[columns].astype(np.int8), out=groups)
        _tally_groups(groups, hot, tally, work.group1[:c], columns)
        return
    # beyond[j]: 1 where the area falls after group j + 1's last rank; group g = 1 + sum_j beyond[j]
    beyond = work.beyond[: len(edges.T), :c]
    for j, edge in enumerate(edges.T):
        np.greater(keys, edge[:, np.newaxis], out=beyond[j], casting="unsafe")
    past_first = hot.T @ beyond[0]  # per factor bin; row 0 (every draw) gives the column sums
    past = [past_first[0]] + [np.ones(c, np.float32) @ b for b in beyond[1:]]  # float32: exact below 2**24
    past = np.rint(np.vstack(past)).astype(np.int64)  # (cuts, columns): draws past each cut
    counts = -np.diff(np.vstack([np.full(len(columns), c), past, np.zeros(len(columns), np.int64)]), axis=0)
    tally.group_counts[columns] += counts.T
    in_bin = hot.sum(axis=0).astype(np.int64)
    tally.group1_sums[:, columns] += in_bin[:, np.newaxis] - past_first
    tally.bin_counts += in_bin
    tally.draws += c


def _tally_groups(groups: np.ndarray, hot: np.ndarray, tally: Tally, group1: np.ndarray,
                  columns: np.ndarray | None = None) -> None:
    """Group counts per area and group-1 sums per factor bin; ``groups`` is in code order, or in
    the order of ``columns`` (the area in each column) when given."""
    where = slice(None) if columns is None else columns
    for g in range(tally.group_counts.shape[1]):
        tally.group_counts[where, g] += np.count_nonzero(groups == g + 1, axis=0)
    np.equal(groups, 1, out=group1)
    tally.bin_counts += hot.sum(axis=0).astype(np.int64)
    tally.group1_sums[:, where] += hot.T @ group1
    tally.draws += len(groups)


def _counts(flat_index: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    return np.bincount(flat_index.ravel(), minlength=shape[0] * shape[1]).reshape(shape)


def _one_hot(model: Model, weights: np.ndarray, method: np.ndarray, out: np.ndarray) -> np.ndarray:
    """(draws, columns): column 0 for every draw, then each factor's bin."""
    out[:] = 0
    out[:, 0] = 1
    rows = np.arange(len(weights))
    for f in model.factors:
        if f.kind == "normalisation":
            out[rows, f.offset + method] = 1
        else:
            out[rows, f.offset + np.searchsorted(f.edges, weights[:, list(f.members)].sum(axis=1))] = 1
    return out
