"""Tally a robustness run's draws: weights drawn, scored, ordered and cut by the engine's
batched kernels, and counted into a :class:`~allocsim.robustness.tally.Tally`.

Draws numbered below ``rank_draws`` are ranked in full (rank histograms and sums for the rank
quantiles and the rank index); the rest of a rule cut by pooled shares are only cut at the
group bounds with ``np.partition``, which costs less than sorting
(:mod:`allocsim.robustness.cut_draws`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from allocsim.engine import cut as cutting
from allocsim.engine.workspace import Workspace
from allocsim.ranking.model import ranked, scorable
from allocsim.robustness.cut_draws import CutDraws
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
        positive = model.weights > 0
        alpha = model.concentration * model.weights[positive]
        if positive.all():  # the same draws, without a copy into a zero-filled array
            weights = rng.dirichlet(alpha, size)
        else:
            weights = np.zeros((size, len(model.weights)))
            weights[:, positive] = rng.dirichlet(alpha, size)
    return weights, model.drawn[rng.integers(len(model.drawn), size=size)]


def simulate(model: Model, chunks: Iterable[Chunk], progress: Progress | None = None, *,
             cut_keys: bool = True) -> Tally:
    """Tally every draw of ``chunks``; ``cut_keys``: cut draws go through the 32-bit cut keys (else always the
    exact 64-bit keys; the tallies are the same)."""
    tally = empty_tally(model)
    cut = model.scoring.cut
    cuts = len(cut.bounds) - 1 if cut.by_rank else 0
    work = Workspace(model.chunk_size, model.n_areas, model.n_columns, cuts)
    cut_draws = None
    for chunk in chunks:
        weights, method = draw(model, np.random.default_rng(chunk.seed), chunk.size)
        tally.unscored += int(chunk.size - np.count_nonzero(scorable(model.scoring, weights)))
        # Draws numbered below rank_draws are ranked in full; the rest (pooled shares) only cut.
        ranked_here = chunk.size if not cut.by_rank else int(np.clip(model.rank_draws - chunk.start, 0, chunk.size))
        if ranked_here:
            _tally_ranked(model, weights[:ranked_here], method[:ranked_here], tally, work)
        if ranked_here < chunk.size:
            cut_draws = cut_draws or CutDraws.of(model, cut_keys)
            weights, method = _by_method(weights[ranked_here:], method[ranked_here:])
            cut_draws.add(weights, method, _one_hot(model, weights, method, work.hot[:len(weights)]), work)
        if progress is not None:
            progress(chunk.size)
    if cut.by_rank_alone:  # the ranked draws' group counts are sums of their rank bins
        edges = np.searchsorted(model.rank_edges, np.append(0, cut.bounds))
        for g, (first, stop) in enumerate(zip(edges[:-1], edges[1:])):
            tally.group_counts[:, g] += tally.rank_hist[:, first:stop].sum(axis=1)
    if cut_draws is not None:  # the cut draws' tallies go into code order once, at the end
        cut_draws.tally.add_to(tally, model.scoring.layout.code_position)
    return tally


def _by_method(weights: np.ndarray, method: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The draws sorted by their normalisation, so that each method's rows are one block."""
    by_method = np.argsort(method, kind="stable")
    return weights[by_method], method[by_method]


def _tally_ranked(model: Model, weights: np.ndarray, method: np.ndarray, tally: Tally, work: Workspace) -> None:
    """Draws ranked in full: rank histogram and sums, groups, index sums. Cut by pooled shares without a
    floor, the group bounds are rank-bin edges, so their group counts are sums of the histogram's bins,
    added once at the end of :func:`simulate`."""
    weights, method = _by_method(weights, method)
    c, cut = len(weights), model.scoring.cut
    hot = _one_hot(model, weights, method, work.hot[:c])
    in_bin = hot.sum(axis=0).astype(np.int64)
    order, ranks, by_score = ranked(model.scoring, weights, method, work)
    if cut.by_rank_alone:
        group1 = np.less_equal(ranks, cut.bounds[0], out=work.group1[:c], casting="unsafe")
    else:
        groups = cutting.groups(cut, order, ranks, by_score)
        for g in range(tally.group_counts.shape[1]):
            tally.group_counts[:, g] += np.count_nonzero(groups == g + 1, axis=0)
        group1 = np.equal(groups, 1, out=work.group1[:c])
    order *= len(model.rank_edges) - 1  # area * bins + the rank bin of each position, counted in one pass
    order += model.position_bin
    tally.rank_hist += _counts(order, tally.rank_hist.shape)
    tally.bin_counts += in_bin
    tally.group1_sums += np.matmul(hot.T, group1, out=work.sums)  # float32 sums of whole numbers: exact
    tally.draws += c
    tally.ranked_bin_counts += in_bin
    tally.rank_sums += np.matmul(hot.T, ranks, out=work.sums)  # float32 sums of whole numbers below 2**24: exact
    tally.ranked += c


def _counts(flat_index: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    return np.bincount(flat_index.ravel(), minlength=shape[0] * shape[1]).reshape(shape)


def _one_hot(model: Model, weights: np.ndarray, method: np.ndarray, out: np.ndarray) -> np.ndarray:
    """(draws, columns) float32: column 0 for every draw, then each factor's bin; one comparison for every
    column rather than an assignment per factor."""
    factor_of, bin_of = np.zeros(out.shape[1], np.int64), np.zeros(out.shape[1], np.int64)
    bins = np.zeros((len(weights), len(model.factors) + 1), np.int64)  # column 0: bin 0 of "every draw"
    for i, f in enumerate(model.factors, start=1):
        factor_of[f.offset:f.offset + f.n_bins], bin_of[f.offset:f.offset + f.n_bins] = i, np.arange(f.n_bins)
        bins[:, i] = (method if f.kind == "normalisation"
                      else np.searchsorted(f.edges, weights[:, list(f.members)].sum(axis=1)))
    return np.equal(bins[:, factor_of], bin_of, out=out, casting="unsafe")
