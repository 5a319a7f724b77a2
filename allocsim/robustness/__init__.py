"""How robust is a ranking? Monte Carlo over weights and normalisations, and leave-one-out.

**Weights.** Each draw takes indicator weights ~ Dirichlet(alpha * w), where ``w`` are the
rule's effective weights (summing to 1) and ``alpha = 1 / spread**2 - 1``. Every weight then
has mean ``w_i`` and standard deviation ``spread * sqrt(w_i * (1 - w_i))``, and so has every
domain's share (summed Dirichlet components are again Dirichlet, with the same alpha): with
spread 0.2, health at 30% has sd 0.092, so it mostly falls between 12% and 48%. Spread 0 holds
the weights at the rule's; spread must be below 1 (alpha > 0), and 0 or at least ``MIN_SPREAD``
(1e-6): below that alpha passes 1e12, the weights vary by less than a millionth, and for spreads
below about 1e-154 alpha overflows to infinity.

**Normalisation.** Each draw picks one of the allowed methods (all registered ones by default)
with equal probability. A method the rule cannot use is left out and named in the summary:
``distance_to_best`` when an indicator's best value is 0, a method that can go negative under an
aggregation that needs non-negative values (``zscore`` under geometric).

**Per area:** the probability of each group and the modal group, from every draw; the median
rank with the 5-95% interval (the lowest rank ``r`` with ``P(rank <= r) >= q``, numpy's
"inverted_cdf"; exact up to 1,024 areas, above that interpolated within rank bins of about
``n**2 / 2**20`` ranks) from the first ``rank_draws`` draws (10,000 by default). Ranking a draw
means sorting it, which costs more than scoring it; quantiles settle long before group
probabilities do, so the sort is kept to that subsample and the other draws only cut each draw
at the group bounds.

**First-order indices** and their minimum draws: :mod:`allocsim.robustness.indices`.
**Leave-one-out.** Each indicator in turn is dropped (its weight shared among the others in
proportion, as for a missing value), with the rule's own weights and normalisation.

**How it runs.** Draws come in chunks of at most ``2**20`` area-scores (the chunk size depends
only on the number of areas), so memory is bounded whatever the number of draws. Each chunk has
its own random stream, ``SeedSequence(seed).spawn``, and every tally is a sum of whole numbers,
so results are identical however the chunks are shared among threads or Dask workers
(:mod:`allocsim.robustness.backends`). Every draw is scored, ordered and cut by the engine's
batched kernels, the same ones :func:`allocsim.rank` runs on a batch of one, so with spread 0 and
the rule's own normalisation every draw reproduces :func:`allocsim.rank` exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from os import PathLike

import pandas as pd

from allocsim.arguments import check_sensitivity_arguments
from allocsim.checks import check_whole
from allocsim.errors import ParameterError
from allocsim.robustness.backends import BACKENDS, BackendOptions
from allocsim.robustness.indices import first_order_indices
from allocsim.robustness.kernel import Progress
from allocsim.robustness.model import RANK_DRAWS, build_model, plan
from allocsim.robustness.summary import SensitivitySummary, area_table, leave_one_out, summarise
from allocsim.rules.load import load_rule
from allocsim.rules.resolve import ResolvedRule, resolve
from allocsim.rules.schema import Rule

MIN_SPREAD = 1e-6  # the smallest spread above 0: alpha = 1e12 - 1; smaller ones overflow alpha or change nothing
MAX_DRAWS = 10_000_000  # about 40 s on 368 areas here; more adds nothing a report could show
LONG_RUN = 200_000_000  # draws x areas above which a progress bar shows even off a terminal


@dataclass(frozen=True)
class Sensitivity:
    """``table``: per area (indexed by ``code``) ``name, country, group`` (the rule's own),
    ``p_group_1 .. p_group_k``, ``modal_group``, ``median_rank``, ``rank_p05``, ``rank_p95``.
    ``indices``: ``factor, kind, first_order_rank, first_order_group1``. ``leave_one_out``:
    ``indicator, areas_changing_group, group1_changes, kendall_tau``."""

    table: pd.DataFrame
    indices: pd.DataFrame
    leave_one_out: pd.DataFrame
    summary: SensitivitySummary
    rule: Rule | None = None


def sensitivity(rule: Rule | ResolvedRule | str, data: pd.DataFrame, draws: int = 10_000, spread: float = 0.2,
                seed: int = 0, countries: Iterable[str] | None = None, *,
                normalisations: Sequence[str] | None = None, backend: str = "local",
                scheduler: str | None = None, workers: int | None = None,
                progress: Progress | None = None, rank_draws: int = RANK_DRAWS) -> Sensitivity:
    """Monte Carlo robustness of ``rule`` on ``data``; see the module docstring for the method.

    ``progress`` is called with the number of draws each finished chunk held.
    """
    check_sensitivity_arguments(rule, data, spread, countries, normalisations)
    check_options(draws, spread, seed, backend, scheduler)
    check_whole(rank_draws, "rank_draws", 1)
    resolved = resolve(load_rule(rule) if isinstance(rule, (str, PathLike)) else rule)
    model, baseline, left_out = build_model(resolved, data, spread, countries, normalisations, rank_draws)
    chunks = plan(draws, model.chunk_size, seed)
    tally = BACKENDS[backend].run(model, chunks, BackendOptions(scheduler, workers), progress)
    table = area_table(model, tally, baseline)
    indices = first_order_indices(model, tally)
    loo = leave_one_out(model, resolved.rule, baseline)
    summary = summarise(resolved.rule, model, tally, table, indices, loo, left_out, seed, spread, baseline)
    return Sensitivity(table, indices, loo, summary, resolved.rule)


def check_options(draws: int, spread: float, seed: int = 0, backend: str = "local",
                  scheduler: str | None = None) -> None:
    """Refuse bad options before any work, naming the option and the value."""
    check_whole(draws, "--draws", 1, MAX_DRAWS)
    if not 0 <= spread < 1:
        raise ParameterError(f"--spread: must be in [0, 1) (0 holds the weights fixed), got {spread:g}")
    if 0 < spread < MIN_SPREAD:
        raise ParameterError(f"--spread: must be 0 (the weights held fixed) or at least {MIN_SPREAD:g}, got "
                             f"{spread:g}; smaller spreads vary the weights by less than a millionth")
    check_whole(seed, "--seed", 0)
    if backend not in BACKENDS:
        names = list(BACKENDS)
        raise ParameterError(f"--backend: must be {' or '.join(repr(n) for n in names)}, got '{backend}'")
    if scheduler is not None and not BACKENDS[backend].takes_scheduler:
        takes = [n for n, b in BACKENDS.items() if b.takes_scheduler]
        raise ParameterError(f"--scheduler {scheduler}: only with --backend {takes[0]}")


def is_long_run(draws: int, n_areas: int) -> bool:
    """Whether a run is long enough to show progress even when stderr is not a terminal."""
    return draws * n_areas >= LONG_RUN


__all__ = ["MAX_DRAWS", "Sensitivity", "check_options", "is_long_run", "sensitivity"]
