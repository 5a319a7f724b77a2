"""How robust is a ranking? Monte Carlo over weights and normalisations, and leave-one-out.

**Weights.** Each draw takes indicator weights ~ Dirichlet(alpha * w), where ``w`` are the
rule's effective weights (summing to 1) and ``alpha = 1 / spread**2 - 1``. Every weight then
has mean ``w_i`` and standard deviation ``spread * sqrt(w_i * (1 - w_i))``, and so has every
domain's share (summed Dirichlet components are again Dirichlet, with the same alpha): with
spread 0.2, health at 30% has sd 0.092, so it mostly falls between 12% and 48%. Spread 0 holds
the weights at the rule's; spread must be below 1 (alpha > 0).

**Normalisation.** Each draw picks one of the allowed methods (all four by default) with equal
probability. A method the rule cannot use is left out and named in the summary:
``distance_to_best`` when an indicator's best value is 0, ``zscore`` under geometric aggregation
(it gives negative values).

**Per area:** the probability of each group and the modal group, from every draw; the median
rank with the 5-95% interval (the lowest rank ``r`` with ``P(rank <= r) >= q``, numpy's
"inverted_cdf"; exact up to 1,024 areas, above that interpolated within rank bins of about
``n**2 / 2**20`` ranks) from the first ``rank_draws`` draws (10,000 by default). Ranking a draw
means sorting it, which costs more than scoring it; quantiles settle long before group
probabilities do (with 10,000 draws the 5th percentile is estimated to within about a
hundredth of the probability mass), so the sort is kept to that subsample and the
other draws only cut each draw at the group bounds with ``np.partition``.

**First-order indices.** For a factor X (a domain's share, or each indicator's weight when the
rule has no domains; and the normalisation method) and an area's rank or group-1 membership Y,
``S = Var(E[Y | X]) / Var(Y)``, with ``E[Y | X]`` estimated as the mean of Y over ten
equal-probability bins of X (edges from X's exact Beta marginal; one bin per method for the
normalisation). Across areas it is summarised as ``sum_a Var(E[Y_a | X]) / sum_a Var(Y_a)``,
the index of the whole vector of ranks, so areas whose rank never moves add nothing. With N
draws the estimate is biased upwards by about ``(bins - 1) / N``; the rank index uses the
ranked subsample, the group-1 index every draw. Below ``100 * bins`` draws (1,000 for ten
bins) an index is left blank (NaN) and a note says how many draws it needs: only from there
is the bias below 0.01, a tenth of the smallest index worth reporting, where with 10 draws it
is about 0.9 per factor and the indices can sum to more than 1.

**Leave-one-out.** Each indicator in turn is dropped (its weight shared among the others in
proportion, as for a missing value), with the rule's own weights and normalisation.

**How it runs.** Draws come in chunks of at most ``2**20`` area-scores (the chunk size depends
only on the number of areas), so memory is bounded whatever the number of draws. Each chunk has
its own random stream, ``SeedSequence(seed).spawn``, and every tally is a sum of whole numbers,
so results are identical however the chunks are shared among threads or Dask workers. A chunk
scores all its draws as one matrix product per method, the vectorised form of
:func:`allocsim.engine.aggregate.weight_matrix`, ``(Z * A) @ W.T / (A @ W.T)``, dividing once
per group of areas that have the same indicators. The scores become integer keys that order
like (score, then area code, as the engine breaks ties); a ranked draw sorts them, any other
draw is cut at the group bounds by ``np.partition`` (rules cut by pooled shares; rules cut by
thresholds or per country rank every draw). With spread 0 and the rule's own
normalisation, every draw reproduces :func:`allocsim.rank` exactly (the tests check this on
every shipped index rule).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import stats

from allocsim.checks import check_whole
from allocsim.engine import categorise
from allocsim.engine import normalise as norm
from allocsim.errors import ParameterError, RuleError
from allocsim.ranking import RankResult, need_matrix, rank, select_areas
from allocsim.rules.load import load_reference, load_rule
from allocsim.rules.schema import NORMALISATIONS, Rule

CHUNK_CELLS = 2**20  # area-scores per chunk: bounds memory, and keeps float32 sums of ranks exact
HIST_CELLS = 2**20  # area x rank-bin cells in the rank histogram
RANK_DRAWS = 10_000  # draws ranked in full, for rank quantiles and the rank index
MAX_DRAWS = 10_000_000  # about 40 s on 368 areas here; more adds nothing a report could show
LONG_RUN = 200_000_000  # draws x areas above which a progress bar shows even off a terminal
INDEX_BINS = 10
MIN_DRAWS_PER_BIN = 100  # keeps an index's upward bias, about (bins - 1) / draws, below 0.01
ROBUST_PROBABILITY = 0.8
QUANTILES = (0.5, 0.05, 0.95)
_LOW63 = np.int64(0x7FFF_FFFF_FFFF_FFFF)

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Sensitivity:
    """``table``: per area (indexed by ``code``) ``name, country, group`` (the rule's own),
    ``p_group_1 .. p_group_k``, ``modal_group``, ``median_rank``, ``rank_p05``, ``rank_p95``.
    ``indices``: ``factor, kind, first_order_rank, first_order_group1``. ``leave_one_out``:
    ``indicator, areas_changing_group, group1_changes, kendall_tau``."""

    table: pd.DataFrame
    indices: pd.DataFrame
    leave_one_out: pd.DataFrame
    summary: dict
    rule: Rule | None = None


@dataclass(frozen=True)
class Factor:
    name: str
    kind: str  # weight | domain | normalisation
    members: tuple[int, ...]  # indicators whose drawn weights sum to the factor's value
    edges: np.ndarray  # inner bin edges; empty for the normalisation
    offset: int  # its first column in the tallies (column 0 counts every draw)
    n_bins: int


@dataclass(frozen=True)
class Cut:
    """How scores become groups: the rule's categories, its scopes, and any no-downgrade floor."""

    n_groups: int
    shares: np.ndarray | None
    thresholds: np.ndarray | None
    scope_of: np.ndarray | None  # scope number of each area when groups are cut per country
    floor: np.ndarray | None  # the no_downgrade_from groups (n_groups where an area has none)
    bounds: np.ndarray | None  # pooled shares: the last rank of each group

    @property
    def by_rank(self) -> bool:
        """Groups follow from the pooled rank alone (shares, pooled)."""
        return self.bounds is not None


@dataclass(frozen=True)
class Layout:
    """The kernel's columns: areas grouped by the indicators they have, complete ones first, so
    that rescaling each group's weights is one slice. Results come back in code order."""

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


@dataclass(frozen=True)
class Model:
    """Everything a chunk needs (picklable, for Dask workers); areas are in code order."""

    codes: np.ndarray
    weights: np.ndarray  # effective indicator weights, summing to 1
    concentration: float  # Dirichlet alpha; inf holds the weights fixed
    methods: tuple[str, ...]  # the normalisations the rule can use
    drawn: np.ndarray  # indices into methods that draws pick from
    own: int  # index of the rule's own normalisation
    scaled: np.ndarray  # (methods, indicators, columns): normalised, 0 where left out
    nonnegative: np.ndarray  # (methods,) scores of this method are never negative
    layout: Layout
    geometric: bool
    cut: Cut
    factors: tuple[Factor, ...]
    rank_edges: np.ndarray  # rank-histogram bins: positions [edges[b], edges[b + 1])
    chunk_size: int
    rank_draws: int  # draws (by their number from 0) that are ranked in full

    @property
    def n_areas(self) -> int:
        return len(self.codes)

    @property
    def n_columns(self) -> int:
        return 1 + sum(f.n_bins for f in self.factors)


@dataclass(frozen=True)
class Chunk:
    size: int
    seed: np.random.SeedSequence
    start: int = 0  # number of its first draw


@dataclass
class Tally:
    """Sums over draws; adding tallies in any order gives the same numbers."""

    draws: int
    ranked: int  # draws ranked in full
    rank_hist: np.ndarray  # (areas, rank bins), over the ranked draws
    group_counts: np.ndarray  # (areas, groups)
    bin_counts: np.ndarray  # (columns,) draws per factor bin; column 0 = all
    ranked_bin_counts: np.ndarray  # (columns,) the same over the ranked draws
    rank_sums: np.ndarray  # (columns, areas) sum of ranks over the bin's ranked draws
    group1_sums: np.ndarray  # (columns, areas) draws in group 1

    @classmethod
    def zeros(cls, model: Model) -> Tally:
        n, columns = model.n_areas, model.n_columns
        return cls(0, 0, np.zeros((n, len(model.rank_edges) - 1), np.int64),
                   np.zeros((n, model.cut.n_groups), np.int64), np.zeros(columns, np.int64),
                   np.zeros(columns, np.int64), np.zeros((columns, n)), np.zeros((columns, n)))

    def __iadd__(self, other: Tally) -> Tally:
        self.draws += other.draws
        self.ranked += other.ranked
        for name in ("rank_hist", "group_counts", "bin_counts", "ranked_bin_counts", "rank_sums", "group1_sums"):
            getattr(self, name).__iadd__(getattr(other, name))
        return self


# -- the public entry point --------------------------------------------------------------------

def sensitivity(rule: Rule | str, data: pd.DataFrame, draws: int = 10_000, spread: float = 0.2,
                seed: int = 0, countries: Iterable[str] | None = None, *,
                normalisations: Sequence[str] | None = None, backend: str = "local",
                scheduler: str | None = None, workers: int | None = None,
                progress: Progress | None = None, rank_draws: int = RANK_DRAWS) -> Sensitivity:
    """Monte Carlo robustness of ``rule`` on ``data``; see the module docstring for the method.

    ``progress`` is called with the number of draws each finished chunk held.
    """
    check_options(draws, spread, seed, backend, scheduler)
    check_whole(rank_draws, "rank_draws", 1)
    rule = load_rule(rule) if isinstance(rule, str) else rule
    model, baseline, left_out = build_model(rule, data, spread, countries, normalisations, rank_draws)
    chunks = plan(draws, model.chunk_size, seed)
    if backend == "dask":
        from allocsim import distributed

        tally = distributed.run(model, chunks, scheduler, progress)
    else:
        tally = run_local(model, chunks, workers, progress)
    table = area_table(model, tally, baseline)
    indices = first_order_indices(model, tally)
    loo = leave_one_out(model, rule, baseline)
    summary = _summary(rule, model, tally, table, indices, loo, left_out, seed, spread, baseline)
    return Sensitivity(table, indices, loo, summary, rule)


def check_options(draws: int, spread: float, seed: int = 0, backend: str = "local",
                  scheduler: str | None = None) -> None:
    """Refuse bad options before any work, naming the option and the value."""
    check_whole(draws, "--draws", 1, MAX_DRAWS)
    if not 0 <= spread < 1:
        raise ParameterError(f"--spread: must be in [0, 1) (0 holds the weights fixed), got {spread:g}")
    check_whole(seed, "--seed", 0)
    if backend not in ("local", "dask"):
        raise ParameterError(f"--backend: must be 'local' or 'dask', got '{backend}'")
    if scheduler is not None and backend != "dask":
        raise ParameterError(f"--scheduler {scheduler}: only with --backend dask")


def is_long_run(draws: int, n_areas: int) -> bool:
    """Whether a run is long enough to show progress even when stderr is not a terminal."""
    return draws * n_areas >= LONG_RUN


def plan(draws: int, chunk_size: int, seed: int) -> list[Chunk]:
    """Chunks of ``chunk_size`` draws (the last one shorter), each with its own random stream."""
    sizes = [chunk_size] * (draws // chunk_size) + ([draws % chunk_size] if draws % chunk_size else [])
    starts = np.cumsum([0] + sizes[:-1]).tolist()
    children = np.random.SeedSequence(seed).spawn(len(sizes))
    return [Chunk(size, child, start) for size, child, start in zip(sizes, children, starts)]


def run_local(model: Model, chunks: list[Chunk], workers: int | None = None,
              progress: Progress | None = None) -> Tally:
    """Simulate ``chunks`` on this machine, in ``workers`` threads (default: one per core)."""
    from threadpoolctl import threadpool_limits

    workers = max(1, min(workers or _cores(), len(chunks)))
    lock = threading.Lock()

    def report(size: int) -> None:
        with lock:
            progress(size)

    shares = [chunks[i::workers] for i in range(workers)]
    # The matrix products are thin (one column per indicator): BLAS threads would only contend.
    with threadpool_limits(1, user_api="blas"), ThreadPoolExecutor(workers) as pool:
        tallies = list(pool.map(lambda part: simulate(model, part, report if progress else None), shares))
    return add_tallies(tallies, model)


def add_tallies(tallies: Iterable[Tally], model: Model) -> Tally:
    total = Tally.zeros(model)
    for tally in tallies:
        total += tally
    return total


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


# -- the model ---------------------------------------------------------------------------------

def build_model(rule: Rule, data: pd.DataFrame, spread: float, countries: Iterable[str] | None = None,
                normalisations: Sequence[str] | None = None,
                rank_draws: int = RANK_DRAWS) -> tuple[Model, RankResult, dict[str, str]]:
    """The model for ``rule`` on ``data``, the engine's own result, and the methods left out (why)."""
    if rule.kind != "index":
        raise RuleError(f"rule '{rule.name}' reads its groups from column '{rule.column}'; "
                        f"sensitivity needs an index rule built from indicators")
    baseline = rank(rule, data, countries)
    areas = select_areas(data, rule, countries)
    areas = areas.iloc[np.argsort(areas.index.to_numpy(dtype=str), kind="stable")]
    X, labels, _ = need_matrix(rule, areas)
    normalised, left_out = _normalisations(rule, X, labels, normalisations)
    methods = tuple(normalised)
    available = ~np.isnan(X)
    layout = Layout.of(available)
    # + 0.0 turns any -0.0 into 0.0, whose bits the kernel's sort keys rely on
    stack = np.stack([np.where(available, normalised[m] + 0.0, 0.0)[layout.code_position].T for m in methods])
    scaled = np.log1p(stack) if rule.aggregation == "geometric" else stack
    weights = np.array([rule.effective_weights()[i.column] for i in rule.indicators])
    alpha = np.inf if spread == 0 else 1 / spread**2 - 1
    drawn = np.array([methods.index(m) for m in _requested(normalisations) if m in normalised])
    n, cut = len(areas), _cut(rule, areas, labels, data, countries)
    model = Model(
        codes=areas.index.to_numpy(dtype=str), weights=weights, concentration=alpha, methods=methods,
        drawn=drawn, own=methods.index(rule.normalisation), scaled=scaled,
        nonnegative=np.array([np.nanmin(normalised[m], initial=0) >= 0 for m in methods]), layout=layout,
        geometric=rule.aggregation == "geometric", cut=cut,
        factors=_factors(rule, weights, alpha, len(drawn) > 1, len(methods)),
        rank_edges=_rank_edges(n, cut.bounds), chunk_size=max(1, min(4096, CHUNK_CELLS // n)),
        rank_draws=rank_draws,
    )
    return model, baseline, left_out


def _requested(normalisations: Sequence[str] | None) -> tuple[str, ...]:
    requested = NORMALISATIONS if normalisations is None else tuple(normalisations)
    unknown = [m for m in requested if m not in NORMALISATIONS]
    if unknown or not requested:
        problem = f"unknown method '{unknown[0]}'" if unknown else "give at least one method"
        raise ParameterError(f"--normalisations: {problem} (use {', '.join(NORMALISATIONS)})")
    return tuple(dict.fromkeys(requested))


def _normalisations(rule: Rule, X: np.ndarray, labels: np.ndarray,
                    requested: Sequence[str] | None) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Each usable method's normalised matrix (the rule's own always), and why others are left out."""
    usable, left_out = {}, {}
    for method in dict.fromkeys(_requested(requested) + (rule.normalisation,)):
        if rule.aggregation == "geometric" and method == "zscore":
            left_out[method] = "geometric aggregation needs non-negative values"
            continue
        try:
            usable[method] = (norm.normalise_by_group(X, labels, method)
                              if rule.normalisation_scope == "per_country" else norm.normalise(X, method))
        except ValueError as error:
            left_out[method] = str(error)
    if not any(m in usable for m in _requested(requested)):
        reasons = "; ".join(f"{m}: {why}" for m, why in left_out.items())
        raise ParameterError(f"--normalisations: rule '{rule.name}' can use none of "
                             f"{', '.join(_requested(requested))} ({reasons})")
    return usable, {m: r for m, r in left_out.items() if m in _requested(requested)}


def _cut(rule: Rule, areas: pd.DataFrame, labels: np.ndarray, data: pd.DataFrame, countries) -> Cut:
    cut = rule.categories
    floor = bounds = None
    if rule.no_downgrade_from:
        base = rank(load_reference(rule), data, countries).table["group"].reindex(areas.index)
        floor = base.fillna(cut.n_groups).clip(upper=cut.n_groups).to_numpy(dtype=np.int64)
    if cut.shares is not None and cut.scope == "pooled":
        bounds = np.cumsum(categorise.group_sizes(len(areas), np.array(cut.shares)))
    return Cut(cut.n_groups, None if cut.shares is None else np.array(cut.shares),
               None if cut.thresholds is None else np.array(cut.thresholds),
               np.unique(labels, return_inverse=True)[1] if cut.scope == "per_country" else None,
               floor, bounds)


def _factors(rule: Rule, weights: np.ndarray, alpha: float, vary_method: bool,
             n_methods: int) -> tuple[Factor, ...]:
    """Domains' shares (or indicators' weights when the rule has no domains) and the normalisation."""
    if rule.domains:
        groups = {d: [j for j, i in enumerate(rule.indicators) if i.domain == d] for d in rule.domains}
        kind = "domain"
    else:
        groups = {i.column: [j] for j, i in enumerate(rule.indicators)}
        kind = "weight"
    factors, offset = [], 1
    for name, members in groups.items():
        share = weights[members].sum()
        if np.isfinite(alpha) and 0 < share < 1:
            edges = stats.beta.ppf(np.arange(1, INDEX_BINS) / INDEX_BINS, alpha * share, alpha * (1 - share))
            factors.append(Factor(name, kind, tuple(members), edges, offset, INDEX_BINS))
            offset += INDEX_BINS
    if vary_method:
        factors.append(Factor("normalisation", "normalisation", (), np.empty(0), offset, n_methods))
    return tuple(factors)


def _rank_edges(n: int, bounds: np.ndarray | None) -> np.ndarray:
    """Rank-histogram bins: one per rank up to 1,024 areas; above that fewer, plus the group edges."""
    bins = n if n * n <= HIST_CELLS else max(1, HIST_CELLS // n)
    edges = np.linspace(0, n, bins + 1).round().astype(np.int64)
    return np.unique(np.concatenate([edges, [] if bounds is None else bounds]).astype(np.int64))


# -- draws and the vectorised kernel -------------------------------------------------------------

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
    tally = Tally.zeros(model)
    cuts = len(model.cut.bounds) - 1 if model.cut.by_rank else 0
    work = Workspace(model.chunk_size, model.n_areas, model.n_columns, cuts)
    for chunk in chunks:
        weights, method = draw(model, np.random.default_rng(chunk.seed), chunk.size)
        # Draws numbered below rank_draws are ranked in full; the rest (pooled shares) only cut.
        ranked = chunk.size if not model.cut.by_rank else int(np.clip(model.rank_draws - chunk.start, 0, chunk.size))
        if ranked:
            _tally_ranked(model, weights[:ranked], method[:ranked], tally, work)
        if ranked < chunk.size:
            _tally_cut(model, weights[ranked:], method[ranked:], tally, work)
        if progress is not None:
            progress(chunk.size)
    return tally


class Workspace:
    """Buffers reused from chunk to chunk: a fresh large array costs a page fault per 4 KiB on
    first touch, about as much again as the arithmetic done in it."""

    def __init__(self, rows: int, n: int, columns: int = 1, cuts: int = 0) -> None:
        self.rows, self.n, self.cuts = rows, n, cuts
        self.scores = np.empty((rows, n))
        self.index = np.empty((rows, n), np.int64)
        self.ranks = np.empty((rows, n), np.float32)
        self.group1 = np.empty((rows, n), np.float32)
        self.hot = np.empty((rows, columns), np.float32)
        self.positions = np.tile(np.arange(1, n + 1, dtype=np.float32), rows)

    @cached_property
    def cut(self) -> np.ndarray:
        """Keys being partitioned (only made if some draws are cut rather than ranked)."""
        return np.empty((self.rows, self.n), np.int64)

    @cached_property
    def beyond(self) -> np.ndarray:
        return np.empty((max(1, self.cuts), self.rows, self.n), np.float32)


def _tally_ranked(model: Model, weights: np.ndarray, method: np.ndarray, tally: Tally,
                  work: Workspace) -> None:
    """Draws ranked in full: rank histogram and sums, groups, index sums."""
    by_method = np.argsort(method, kind="stable")
    weights, method = weights[by_method], method[by_method]
    c, cut = len(weights), model.cut
    hot = _one_hot(model, weights, method, work.hot[:c])
    order, ranks, by_score = _ranked(model, weights, method, work)
    groups = _groups(cut, order, ranks, by_score)
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
    c, cut, columns = len(weights), model.cut, model.layout.code_position
    hot = _one_hot(model, weights, method, work.hot[:c])
    rows = _method_rows(method, len(model.methods))
    keys = _keys(_scores(model, weights, rows, work.scores[:c]), columns,
                 [(a, b, model.nonnegative[m]) for m, a, b in rows], work.index[:c])
    edges = cut_edges(keys, cut.bounds, work.cut[:c])
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


def cut_edges(keys: np.ndarray, bounds: np.ndarray, scratch: np.ndarray) -> np.ndarray:
    """(draws, groups - 1): per row, the key of the last area of each group but the last.

    One partition per cut, each on what lies beyond the previous cut: numpy partitions at
    several positions at once far more slowly than this.
    """
    scratch[:] = keys
    edges = np.empty((len(keys), len(bounds) - 1), dtype=keys.dtype)
    start = 0
    for j, bound in enumerate(bounds[:-1]):
        tail = scratch[:, start:]
        tail.partition(bound - 1 - start, axis=1)
        edges[:, j] = tail[:, bound - 1 - start]
        start = bound
    return edges


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


def outcomes(model: Model, weights: np.ndarray, method: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each area's rank (1 = most need) and group under each weight vector, as
    :func:`allocsim.rank` gives them; ``method`` (the normalisation of each row) sorted."""
    order, ranks, by_score = _ranked(model, weights, method, Workspace(len(weights), model.n_areas))
    return ranks.astype(np.int64), _groups(model.cut, order, ranks, by_score)


def _ranked(model: Model, weights: np.ndarray, method: np.ndarray, work: Workspace):
    """The areas in rank order, each area's rank (float32) and, for thresholds, the groups."""
    c = len(weights)
    rows = _method_rows(method, len(model.methods))
    scores = _scores(model, weights, rows, work.scores[:c])
    by_score = None
    if model.cut.thresholds is not None:
        by_score = np.empty(scores.shape, dtype=np.int64)
        by_score[:, model.layout.code_position] = categorise.groups_by_thresholds(
            scores.ravel(), model.cut.thresholds).reshape(scores.shape)
    order = _order(scores, model.layout.code_position, [(a, b, model.nonnegative[m]) for m, a, b in rows],
                   work.index[:c])
    ranks = _by_area(order, work.positions[:scores.size], work.ranks[:c], work.index[:c])
    return order, ranks, by_score


def _groups(cut: Cut, order: np.ndarray, ranks: np.ndarray, by_score: np.ndarray | None) -> np.ndarray:
    groups = by_score if by_score is not None else _share_groups(cut, order, ranks)
    if cut.floor is not None:
        np.minimum(groups, cut.floor, out=groups)
    return groups


def _method_rows(method: np.ndarray, n_methods: int) -> list[tuple[int, int, int]]:
    """(method, start, stop) of each method's block of rows; ``method`` is sorted."""
    bounds = np.searchsorted(method, np.arange(n_methods + 1))
    return [(m, int(a), int(b)) for m, (a, b) in enumerate(zip(bounds[:-1], bounds[1:])) if b > a]


def _scores(model: Model, weights: np.ndarray, rows: list[tuple[int, int, int]],
            out: np.ndarray) -> np.ndarray:
    """(draws, columns): each area's weights rescaled over the indicators it has, as the engine
    does; with each row of weights summing to 1, complete areas need no rescaling."""
    total = weights.sum(axis=1, keepdims=True)
    weights = np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)
    for m, start, stop in rows:
        np.matmul(weights[start:stop], model.scaled[m], out=out[start:stop])
    for start, stop, has in model.layout.gaps:
        total = (weights @ has)[:, np.newaxis]
        block = out[:, start:stop]
        np.divide(block, total, out=block, where=total > 0)
    return np.expm1(out, out=out) if model.geometric else out


def _keys(scores: np.ndarray, code_position: np.ndarray, rows: list[tuple[int, int, bool]],
          scratch: np.ndarray) -> np.ndarray:
    """Integer keys (overwriting the scores) that sort like ``(-score, code)``, area in the low bits.

    The float's bits made order-preserving, their lowest bits replaced by the area's position in
    code order. Scores within about ``2**-(52 - bits)`` of each other (1e-13 for 368 areas)
    therefore count as tied and go by code, as the engine orders exact ties, and the order never
    hangs on last-bit rounding.
    """
    bits = max(1, (len(code_position) - 1).bit_length())
    keys = scores.view(np.int64)
    for start, stop, nonnegative in rows:
        block = keys[start:stop]
        if nonnegative:  # the bits of floats >= 0 order like the floats; inverted, they sort descending
            np.invert(block, out=block)
            continue
        np.subtract(0.0, scores[start:stop], out=scores[start:stop])  # 0 - x: never -0.0
        flip = np.right_shift(block, 63, out=scratch[start:stop])
        flip &= _LOW63
        block ^= flip
    keys &= ~((1 << bits) - 1)  # clear the lowest bits (rounding down keeps the order) ...
    keys |= code_position  # ... and put the area there
    return keys


def _order(scores: np.ndarray, code_position: np.ndarray, rows: list[tuple[int, int, bool]],
           scratch: np.ndarray) -> np.ndarray:
    """Per row, the areas (positions in code order) from highest score to lowest, ties by code."""
    keys = _keys(scores, code_position, rows, scratch)
    keys.sort(axis=1)
    keys &= (1 << max(1, (len(code_position) - 1).bit_length())) - 1
    return keys


def _by_area(order: np.ndarray, at_position: np.ndarray, out: np.ndarray | None = None,
             index: np.ndarray | None = None) -> np.ndarray:
    """Scatter values given per rank position back to the areas: ``out[d, order[d, p]] = v[d, p]``
    (``at_position`` flat, draw after draw)."""
    c, n = order.shape
    out = np.empty((c, n), dtype=at_position.dtype) if out is None else out
    index = np.add(order, np.arange(0, c * n, n)[:, np.newaxis], out=index)
    out.reshape(-1)[index.reshape(-1)] = at_position  # flat: several times faster than 2-D indexing
    return out


def _share_groups(cut: Cut, order: np.ndarray, ranks: np.ndarray) -> np.ndarray:
    if cut.scope_of is None:
        return categorise.groups_by_shares(ranks.T, cut.shares).T
    local = _by_area(order, _local_positions(cut.scope_of[order]).reshape(-1))
    groups = np.empty(ranks.shape, dtype=np.int64)
    for scope in range(cut.scope_of.max() + 1):
        columns = np.flatnonzero(cut.scope_of == scope)
        groups[:, columns] = categorise.groups_by_shares(local[:, columns].T, cut.shares).T
    return groups


def _local_positions(scope_at: np.ndarray) -> np.ndarray:
    """Rank within its own scope of the area at each position of the pooled order."""
    local = np.zeros(scope_at.shape, dtype=np.float32)
    for scope in np.unique(scope_at):
        here = scope_at == scope
        local += np.where(here, np.cumsum(here, axis=1), 0)
    return local


# -- summaries -------------------------------------------------------------------------------

def area_table(model: Model, tally: Tally, baseline: RankResult) -> pd.DataFrame:
    """Per area, in the data's order: the rule's group, group probabilities, rank quantiles."""
    own = baseline.table.reindex(model.codes)
    # a fresh frame: the dataset's metadata (attrs) would be deep-copied by every pandas step
    table = pd.DataFrame({c: own[c].to_numpy() for c in ("name", "country", "group") if c in own.columns},
                         index=pd.Index(model.codes, name="code"))
    p = tally.group_counts / tally.draws
    for g in range(p.shape[1]):
        table[f"p_group_{g + 1}"] = p[:, g]
    table["modal_group"] = p.argmax(axis=1) + 1
    quantiles = rank_quantiles(tally.rank_hist, model.rank_edges, QUANTILES)
    for name, column in zip(("median_rank", "rank_p05", "rank_p95"), quantiles.T):
        table[name] = column.astype(np.int64)
    return table.reindex(baseline.table.index)


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
    """The fewest draws for which ``factor``'s first-order index is reported (see the docstring)."""
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
    need = max(draws_needed(f) for f in factors)
    return (f"first-order {which}indices of {', '.join(f.name for f in factors)} are left blank: they need "
            f"at least {need:,} draws ({MIN_DRAWS_PER_BIN} per bin of the factor, so that the estimate's "
            f"upward bias, about (bins - 1) / draws, stays below 0.01) and {have}; {fix} {need} or more")


def kendall_tau(a: np.ndarray, b: np.ndarray) -> float:
    """Kendall's tau-b of two rankings; NaN, without scipy's warning, when it is undefined
    (fewer than two areas, or either ranking the same for every area)."""
    a, b = np.asarray(a), np.asarray(b)
    if len(a) < 2 or (a == a[0]).all() or (b == b[0]).all():
        return float("nan")
    return float(stats.kendalltau(a, b).statistic)


def leave_one_out(model: Model, rule: Rule, baseline: RankResult) -> pd.DataFrame:
    """Each indicator dropped in turn, with the rule's own weights and normalisation."""
    columns = ["indicator", "areas_changing_group", "group1_changes", "kendall_tau"]
    k = len(model.weights)
    if k < 2:
        return pd.DataFrame(columns=columns)
    weights = np.tile(model.weights, (k, 1))
    weights[np.arange(k), np.arange(k)] = 0
    ranks, groups = outcomes(model, weights, np.full(k, model.own))
    own = baseline.table.reindex(model.codes)
    base_rank, base_group = own["rank"].to_numpy(), own["group"].to_numpy()
    rows = [{"indicator": indicator.column,
             "areas_changing_group": int((groups[j] != base_group).sum()),
             "group1_changes": int(((groups[j] == 1) != (base_group == 1)).sum()),
             "kendall_tau": round(kendall_tau(ranks[j], base_rank), 4)}
            for j, indicator in enumerate(rule.indicators)]
    return pd.DataFrame(rows, columns=columns)


def _summary(rule: Rule, model: Model, tally: Tally, table: pd.DataFrame, indices: pd.DataFrame,
             loo: pd.DataFrame, left_out: dict[str, str], seed: int, spread: float,
             baseline: RankResult) -> dict:
    p = table[[c for c in table.columns if c.startswith("p_group_")]].to_numpy()
    p_modal = p.max(axis=1)
    p_own = p[np.arange(len(p)), table["group"].to_numpy() - 1]
    return {
        "rule": rule.name,
        "rule_source": rule.source,  # the file, and any --set applied to it
        "areas": model.n_areas,
        "groups": model.cut.n_groups,
        "draws": tally.draws,
        "ranked_draws": tally.ranked,
        "seed": seed,
        "spread": spread,
        # significant figures, not decimals: spread 0.9999999 gives 2e-07, not 0
        "concentration": None if np.isinf(model.concentration) else float(f"{model.concentration:.6g}"),
        "weights": {i.column: round(float(w), 6) for i, w in zip(rule.indicators, model.weights)},
        "normalisations": {"drawn": [model.methods[m] for m in model.drawn], "left_out": left_out},
        "robustness": {
            "probability_threshold": ROBUST_PROBABILITY,
            "areas_modal_group_below": int((p_modal < ROBUST_PROBABILITY).sum()),
            "areas_own_group_below": int((p_own < ROBUST_PROBABILITY).sum()),
            "areas_modal_group_not_own": int((table["modal_group"] != table["group"]).sum()),
            "median_rank_interval_width": float((table["rank_p95"] - table["rank_p05"]).median()),
        },
        "indices": _records(indices),
        "leave_one_out": _records(loo),
        "notes": index_notes(model, tally, indices) + list(baseline.notes),  # what the screen shows first
    }


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts with None for NaN, which JSON cannot hold."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")
