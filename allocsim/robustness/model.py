"""What a robustness run draws from: the rule's scoring model under every usable normalisation,
the Dirichlet around its weights, the factors whose first-order indices are tallied, and the
chunks the draws come in (each with its own random stream)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from allocsim.ranking import RankResult
from allocsim.ranking.batch import prepare, requested
from allocsim.ranking.model import ScoringModel
from allocsim.rules.resolve import ResolvedRule, resolve
from allocsim.rules.schema import Rule

CHUNK_CELLS = 2**20  # area-scores per chunk: bounds memory, and keeps float32 sums of ranks exact
HIST_CELLS = 2**20  # area x rank-bin cells in the rank histogram
RANK_DRAWS = 10_000  # draws ranked in full, for rank quantiles and the rank index
INDEX_BINS = 10


@dataclass(frozen=True)
class Factor:
    """One input whose first-order index is tallied: an indicator's weight, a domain's share (the sum of its
    ``members``' weights) or the normalisation, in ``n_bins`` bins from tally column ``offset``."""

    name: str
    kind: str  # weight | domain | normalisation
    members: tuple[int, ...]  # indicators whose drawn weights sum to the factor's value
    edges: np.ndarray  # inner bin edges; empty for the normalisation
    offset: int  # its first column in the tallies (column 0 counts every draw)
    n_bins: int


@dataclass(frozen=True)
class Model:
    """Everything a chunk needs (picklable, for Dask workers); areas are in code order."""

    scoring: ScoringModel
    weights: np.ndarray  # effective indicator weights, summing to 1
    concentration: float  # Dirichlet alpha; inf holds the weights fixed
    drawn: np.ndarray  # indices into scoring.methods that draws pick from
    factors: tuple[Factor, ...]
    rank_edges: np.ndarray  # rank-histogram bins: positions [edges[b], edges[b + 1])
    position_bin: np.ndarray  # (areas,) the rank-histogram bin of each position from 0
    chunk_size: int
    rank_draws: int  # draws (by their number from 0) that are ranked in full

    @property
    def codes(self) -> np.ndarray:
        """The area codes, in code order: the order of every per-area array of the run."""
        return self.scoring.codes

    @property
    def n_areas(self) -> int:
        """How many areas the rule covers."""
        return self.scoring.n_areas

    @property
    def n_columns(self) -> int:
        """The number of tally columns: one counting every draw, then each factor's bins."""
        return 1 + sum(f.n_bins for f in self.factors)


@dataclass(frozen=True)
class Chunk:
    """``size`` consecutive draws, numbered from ``start``, with their own random stream from ``seed``, so the
    result does not depend on how chunks are shared out."""

    size: int
    seed: np.random.SeedSequence
    start: int = 0  # number of its first draw


def plan(draws: int, chunk_size: int, seed: int) -> list[Chunk]:
    """Chunks of ``chunk_size`` draws (the last one shorter), each with its own random stream."""
    sizes = [chunk_size] * (draws // chunk_size) + ([draws % chunk_size] if draws % chunk_size else [])
    starts = np.cumsum([0] + sizes[:-1]).tolist()
    children = np.random.SeedSequence(seed).spawn(len(sizes))
    return [Chunk(size, child, start) for size, child, start in zip(sizes, children, starts)]


def build_model(rule: Rule | ResolvedRule, data: pd.DataFrame, spread: float, countries: Iterable[str] | None = None,
                normalisations: Sequence[str] | None = None,
                rank_draws: int = RANK_DRAWS) -> tuple[Model, RankResult, dict[str, str]]:
    """The model for ``rule`` on ``data``, the engine's own result, and the methods left out (why)."""
    resolved = resolve(rule)
    rule = resolved.rule
    batch = prepare(resolved, data, countries, normalisations)
    scoring = batch.model
    weights = np.array([rule.effective_weights()[i.column] for i in rule.indicators])
    alpha = np.inf if spread == 0 else 1 / spread**2 - 1
    drawn = np.array([scoring.methods.index(m) for m in requested(normalisations) if m in scoring.methods])
    n = scoring.n_areas
    rank_edges = _rank_edges(n, scoring.cut.bounds)
    model = Model(
        scoring=scoring, weights=weights, concentration=alpha, drawn=drawn,
        factors=_factors(rule, weights, alpha, len(drawn) > 1, len(scoring.methods)),
        rank_edges=rank_edges, position_bin=np.searchsorted(rank_edges, np.arange(n), side="right") - 1,
        chunk_size=max(1, min(4096, CHUNK_CELLS // n)), rank_draws=rank_draws,
    )
    return model, batch.baseline, batch.left_out


def _factors(rule, weights: np.ndarray, alpha: float, vary_method: bool, n_methods: int) -> tuple[Factor, ...]:
    """Domains' shares (or indicators' weights when the rule has no domains) and the normalisation."""
    from scipy.special import betaincinv  # the Beta quantile of scipy.stats.beta.ppf, without importing scipy.stats

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
            edges = betaincinv(alpha * share, alpha * (1 - share), np.arange(1, INDEX_BINS) / INDEX_BINS)
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
