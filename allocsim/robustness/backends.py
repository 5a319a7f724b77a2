"""Where a robustness run's chunks are simulated: a registry of backends, each
``run(model, chunks, options, progress) -> Tally``.

Chunks carry their own random streams and tallies are sums of whole numbers, so every backend
gives the same result for the same seed, however the chunks are shared out.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from allocsim.cpus import available_cpus
from allocsim.robustness.kernel import Progress, empty_tally, simulate
from allocsim.robustness.model import Chunk, Model
from allocsim.robustness.tally import Tally, add_tallies


@dataclass(frozen=True)
class BackendOptions:
    """How a backend runs: the Dask ``scheduler`` address (None: a new local cluster) and the local backend's
    number of threads, ``workers`` (None: one per core)."""

    scheduler: str | None = None  # dask: a scheduler address (default: a new local cluster)
    workers: int | None = None  # local: threads (default: one per core)


@dataclass(frozen=True)
class Backend:
    """One place to simulate a robustness run's chunks: its name (``--backend``), its ``run`` function,
    whether it takes ``--scheduler``, and a description."""

    name: str
    run: Callable[[Model, list[Chunk], BackendOptions, Progress | None], Tally]
    takes_scheduler: bool
    description: str


def run_local(model: Model, chunks: list[Chunk], options: BackendOptions = BackendOptions(),
              progress: Progress | None = None) -> Tally:
    """Simulate ``chunks`` on this machine, in ``options.workers`` threads (default: one per core)."""
    from threadpoolctl import threadpool_limits

    workers = max(1, min(options.workers or available_cpus(), len(chunks)))
    lock = threading.Lock()

    def report(size: int) -> None:
        with lock:
            progress(size)

    shares = [chunks[i::workers] for i in range(workers)]
    # The matrix products are thin (one column per indicator): BLAS threads would only contend.
    with threadpool_limits(1, user_api="blas"), ThreadPoolExecutor(workers) as pool:
        tallies = list(pool.map(lambda part: simulate(model, part, report if progress else None), shares))
    return add_tallies(tallies, empty_tally(model))


def run_dask(model: Model, chunks: list[Chunk], options: BackendOptions = BackendOptions(),
             progress: Progress | None = None) -> Tally:
    """Simulate ``chunks`` on Dask workers (at ``options.scheduler``, or on a new local cluster); the same
    tally as :func:`run_local` for the same chunks. Needs ``allocsim[dask]``."""
    import allocsim.robustness.dask_backend as dask_backend

    return dask_backend.run(model, chunks, options.scheduler, progress)


BACKENDS: dict[str, Backend] = {b.name: b for b in (
    Backend("local", run_local, False, "this machine's cores"),
    Backend("dask", run_dask, True, "Dask workers (allocsim[dask])"),
)}
