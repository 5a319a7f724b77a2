"""Run sensitivity draws on Dask workers (``--backend dask``; install ``allocsim[dask]``).

The model is sent to every worker once; each task simulates a batch of chunks and returns its
tally. Chunks carry their own random streams and tallies are sums of whole numbers, so the
result is identical to a local run with the same seed, however the batches fall.
"""

from __future__ import annotations

from contextlib import contextmanager

from allocsim.errors import ParameterError
from allocsim.robustness.kernel import Progress, empty_tally, simulate
from allocsim.robustness.model import Chunk, Model
from allocsim.robustness.tally import Tally, add_tallies

BATCHES_PER_WORKER = 4  # small enough to spread the load, large enough to keep tasks cheap


def run(model: Model, chunks: list[Chunk], scheduler: str | None = None,
        progress: Progress | None = None) -> Tally:
    """Simulate ``chunks`` on the Dask cluster at ``scheduler`` (or a new local one)."""
    as_completed = _dask().as_completed
    with _client(scheduler) as client:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        batches = _batches(chunks, workers * BATCHES_PER_WORKER)
        shared = client.scatter(model, broadcast=True)
        futures = client.map(simulate, [shared] * len(batches), batches, pure=False)
        sizes = {future.key: sum(c.size for c in batch) for future, batch in zip(futures, batches)}
        tallies = []
        for future, tally in as_completed(futures, with_results=True):
            tallies.append(tally)
            if progress is not None:
                progress(sizes[future.key])
    return add_tallies(tallies, empty_tally(model))


def _batches(chunks: list[Chunk], count: int) -> list[list[Chunk]]:
    count = max(1, min(count, len(chunks)))
    return [chunks[i::count] for i in range(count)]


@contextmanager
def _client(scheduler: str | None):
    distributed = _dask()
    if scheduler is None:
        with distributed.LocalCluster(dashboard_address=None) as cluster, distributed.Client(cluster) as client:
            yield client
        return
    try:
        client = distributed.Client(scheduler, timeout="10s")
    except (OSError, TimeoutError, ValueError) as error:
        raise ParameterError(f"--scheduler: cannot connect to '{scheduler}': {error}") from None
    with client:
        yield client


def _dask():
    try:
        import dask.distributed as distributed
    except ImportError:
        raise ParameterError("--backend dask: dask is not installed; "
                             "install it with: pip install 'allocsim[dask]'") from None
    return distributed
