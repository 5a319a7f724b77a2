"""Run sensitivity draws on Dask workers (``--backend dask``; install ``allocsim[dask]``).

The model is sent to every worker once, and each worker thread gets one task, pinned to it: a share
of the chunks, dealt round-robin as local threads get theirs. A tally holds per-area arrays (rank
histograms, sums per factor bin), tens of megabytes at LSOA scale, so shipping one per task to the
client and adding them there cost more than the draws. Instead a task's tally stays on its worker:
tallies are added where they lie as tasks finish (one accumulator per worker, nothing moved), then
the workers' totals in a tree, and only the last few come back, fetched from the workers themselves
where the client can reach them (:func:`fetch_directly`). Tallies travel packed
(:class:`~allocsim.robustness.tally.PackedTally`) and are added without unpacking. Chunks carry
their own random streams and tallies are sums of whole numbers, so the result is identical to a
local run with the same seed, however the chunks fall. Dask starts its workers with a setting that
makes every large temporary a fresh mapping of memory; a task undoes that while it runs
(:mod:`allocsim.robustness.heap`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from allocsim.errors import ParameterError
from allocsim.robustness.heap import reused_heap
from allocsim.robustness.kernel import Progress, empty_tally, simulate
from allocsim.robustness.model import Chunk, Model
from allocsim.robustness.tally import PackedTally, Tally, add_tallies

HOST_SCHEMES = ("tcp", "tls")  # protocols whose addresses name the host a worker listens on
LOOPBACK = "loopback"  # how _host names every loopback address, however written
WORKER_CONFIG = {"distributed.worker.profile.enabled": False}  # allocsim's own cluster: no dashboard to profile for
GATHERED = 4  # workers' tallies fetched by the client together, once the tree has come down to this many


def run(model: Model, chunks: list[Chunk], scheduler: str | None = None,
        progress: Progress | None = None) -> Tally:
    """Simulate ``chunks`` on the Dask cluster at ``scheduler`` (or a new local one)."""
    as_completed = _dask().as_completed
    with _client(scheduler) as client:
        threads = client.nthreads()  # every worker: scheduler_info() lists only five in some Dask versions
        slots = [address for address, count in threads.items() for _ in range(count)]
        direct = fetch_directly(client.scheduler.address, threads, lambda: _scratch_folders(client))
        # one task per worker thread: more add scheduling, tallies to add and buffers to fault in, and balance no better
        batches = _batches(chunks, max(1, len(slots)))
        shared = client.scatter(model, broadcast=True, hash=False)  # a new model each run: no use hashing it
        # Each task asks for its own worker thread: left to itself, the scheduler sometimes queued two tasks
        # on one worker while another stood idle (measured: the run took twice as long).
        futures = [client.submit(_simulate, shared, batch, pure=False, allow_other_workers=True,
                                 workers=[slots[i % len(slots)]] if slots else None)
                   for i, batch in enumerate(batches)]
        sizes = {future.key: sum(c.size for c in batch) for future, batch in zip(futures, batches)}
        if len(futures) <= GATHERED:  # as few as the tree would leave: fetched as they finish, no round trips
            fetched = _fetched(client, as_completed(futures), direct, sizes, progress)
            return add_tallies(fetched, empty_tally(model))
        finished = as_completed(futures)
        del futures  # a tally leaves its worker's memory once it has been added to another
        waiting = {}  # worker -> a finished tally there, waiting for the next one to be added to it
        for done in finished.batches():
            where = client.who_has(done)
            for future in done:
                if progress is not None and future.key in sizes:
                    progress(sizes[future.key])
                worker = min(where[future.key])
                if worker in waiting:  # both on one worker: the addition runs there, nothing is moved
                    finished.add(client.submit(_add, shared, waiting.pop(worker), future, pure=False))
                else:
                    waiting[worker] = future
        last = _tree_sum(client, shared, list(waiting.values()))
        return add_tallies(client.gather(last, direct=direct), empty_tally(model))


def fetch_directly(scheduler: str, workers: Collection[str], folders: Callable[[], Iterable[str]]) -> bool:
    """Whether the client fetches tallies from the workers themselves rather than through the scheduler (Dask's
    default); a hop less for every result: a tally at LSOA scale reached the client 0.015 s after its task
    ended instead of 0.055 s (medians of 16). Only where the client can reach them: every worker of
    ``workers`` (their addresses) listens on the host where the client reached the ``scheduler``, or in the
    client's own process. Where that host is a loopback address, the cluster must be on this machine, not
    behind a tunnel to another: one of the workers' scratch ``folders`` (read only then) exists here."""
    host = _host(scheduler)
    if not workers or host is None or any(_host(worker) != host for worker in workers):
        return False
    return host != LOOPBACK or any(folder and Path(folder).is_dir() for folder in folders())


def _host(address: str) -> str | None:
    """The machine (for in-process workers, the process) behind a TCP, TLS or in-process ``address``, with
    ``LOOPBACK`` for every loopback address; None for other protocols, or an address that cannot be read."""
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address)
        if scheme == "inproc":  # inproc://host/pid/number
            return location.rsplit("/", 1)[0]
        if scheme not in HOST_SCHEMES:
            return None
        host = parse_host_port(location)[0]
    except ValueError:
        return None
    return LOOPBACK if _loopback(host) else host


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name
        return host == "localhost"


def _scratch_folders(client) -> list[str]:
    """Each worker's scratch folder on its own machine (as many workers as the scheduler lists)."""
    return [worker.get("local_directory") or "" for worker in client.scheduler_info().get("workers", {}).values()]


def _fetched(client, finished, direct: bool, sizes: dict, progress: Progress | None):
    """Each finished task's tally as it finishes, reporting its draws."""
    for done in finished.batches():
        for future, tally in zip(done, client.gather(done, direct=direct)):
            if progress is not None:
                progress(sizes[future.key])
            yield tally


def _tree_sum(client, shared, futures: list) -> list:
    """The workers' tallies added in pairs, level by level (each level moves half of them), until
    ``GATHERED`` are left: the client fetches those at once, rather than wait for more levels."""
    while len(futures) > GATHERED:
        pairs = [client.submit(_add, shared, a, b, pure=False) for a, b in zip(futures[::2], futures[1::2])]
        futures = pairs + futures[len(pairs) * 2:]
    return futures


def _simulate(model: Model, chunks: list[Chunk]) -> PackedTally:
    """``simulate`` on a worker, with one BLAS thread (the products are thin; threads would only contend) and
    its temporaries reusing freed memory (:mod:`allocsim.robustness.heap`); packed to move."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1, user_api="blas"), reused_heap():
        tally = simulate(model, chunks)
    return PackedTally.of(tally)  # outside the block: what outlives the task gets its own memory


def _add(model: Model, *tallies: PackedTally) -> PackedTally:
    with reused_heap():
        total = add_tallies(tallies, empty_tally(model))
    return PackedTally.of(total)


def _batches(chunks: list[Chunk], count: int) -> list[list[Chunk]]:
    count = max(1, min(count, len(chunks)))
    return [chunks[i::count] for i in range(count)]


@contextmanager
def local_cluster(**options) -> Iterator:
    """A ``LocalCluster`` (``options`` as it takes them) as allocsim starts its own when no ``--scheduler`` is
    given: without a dashboard, and so without the statistical profiler that feeds the dashboard. A worker's
    profiler wakes every 10 ms to read the running task's stack; on two cores, with a worker on each, it took
    0.05 s of CPU in 3 s from each (``WORKER_CONFIG``)."""
    import dask

    distributed = _dask()
    with dask.config.set(WORKER_CONFIG), distributed.LocalCluster(dashboard_address=None, **options) as cluster:
        yield cluster


@contextmanager
def _client(scheduler: str | None):
    distributed = _dask()
    if scheduler is None:
        with local_cluster() as cluster, distributed.Client(cluster) as client:
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
