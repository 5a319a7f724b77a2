"""Thread, process and Dask-worker scaling of ``allocsim sensitivity`` on a many-core machine; prints
markdown tables and writes them as JSON to ``--out``. Needs only allocsim installed with its
``dask`` extra (``pip install ".[dask]"``): no pytest.

    python tests/benchmarks/scaling_16_cores.py --out results/
    python tests/benchmarks/scaling_16_cores.py --out results/ --workers 1,2,4,8,16 --repeat 5
    python tests/benchmarks/scaling_16_cores.py --out results/ --tiles 256,1024,4096 --steps

Two scales: the embedded dataset (368 areas, rule health-inclusive, ``--draws`` 1,000,000) and a
synthetic table at LSOA scale (33,755 areas, ``--lsoa-draws`` 20,000). For each number of workers
N, each the median of ``--repeat`` runs: local threads (``workers=N``); N forked processes each
simulating its share of the same chunks (as threads share them: no GIL between them, the same
memory traffic), which tells the GIL's part from the machine's; and a Dask ``LocalCluster`` of N
single-threaded worker processes (started once per N and warmed up). Every result is checked
equal to the one-thread run. ``--tiles`` times local threads at each cut tile size (cache
locality against Python calls per draw); ``--steps`` times each numpy step of a cut draw alone in
N threads at once, to show which steps the machine runs in parallel and which it does not.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import RULE, lsoa_table, machine  # noqa: E402

import allocsim  # noqa: E402
from allocsim.cpus import available_cpus  # noqa: E402
from allocsim.datasets import load_dataset  # noqa: E402
from allocsim.robustness import cut_draws  # noqa: E402
from allocsim.robustness.backends import BackendOptions, run_local  # noqa: E402
from allocsim.robustness.dask_backend import _batches  # noqa: E402
from allocsim.robustness.kernel import empty_tally  # noqa: E402
from allocsim.robustness.model import build_model, plan  # noqa: E402
from allocsim.robustness.tally import ARRAYS, add_tallies  # noqa: E402
from allocsim.rules.load import load_rule  # noqa: E402


def timed(function, repeat: int) -> tuple[float, object]:
    """Median seconds of ``repeat`` runs and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), result


def check(result, reference, what: str) -> None:
    pd.testing.assert_frame_equal(result.table, reference.table, obj=what)
    assert result.summary == reference.summary, what


_SHARED = {}  # the model for forked processes, set before the fork


def _simulate_share(share: list) -> object:
    """A forked process's share, as a Dask worker runs one (one BLAS thread)."""
    from allocsim.robustness.dask_backend import _simulate

    return _simulate(_SHARED["model"], share)


def processes_seconds(data: pd.DataFrame, draws: int, n: int, repeat: int) -> float:
    """Seconds of the kernel on ``n`` forked processes, chunks shared as Dask tasks share them; their tally is
    checked against one local thread's."""
    model = build_model(load_rule(RULE), data, 0.2)[0]
    chunks = plan(draws, model.chunk_size, 0)
    shares = _batches(chunks, n)
    _SHARED["model"] = model
    context = multiprocessing.get_context("fork")
    with context.Pool(n) as pool:
        pool.map(_simulate_share, [share[:1] for share in shares])  # warm up: imports, first touch
        seconds, tally = timed(lambda: add_tallies(pool.map(_simulate_share, shares), empty_tally(model)), repeat)
    local = run_local(model, chunks, BackendOptions(workers=1))
    for name in ARRAYS:
        np.testing.assert_array_equal(getattr(tally, name), getattr(local, name), err_msg=f"{n} processes: {name}")
    return seconds


def scale_table(label: str, data: pd.DataFrame, draws: int, workers: list[int], repeat: int) -> list[dict]:
    from allocsim.robustness.dask_backend import local_cluster

    run = lambda **options: allocsim.sensitivity(RULE, data, draws=draws, seed=0, **options)  # noqa: E731
    rows, reference = [], run(workers=1)
    for n in workers:
        local_s, result = timed(lambda n=n: run(workers=n), repeat)
        check(result, reference, f"{label}: {n} threads")
        process_s = processes_seconds(data, draws, n, repeat)
        with local_cluster(n_workers=n, threads_per_worker=1) as cluster:  # as allocsim starts its own
            address = cluster.scheduler_address
            allocsim.sensitivity(RULE, data, draws=min(draws, 5_000), seed=1, backend="dask", scheduler=address)
            dask_s, result = timed(lambda a=address: run(backend="dask", scheduler=a), repeat)
        check(result, reference, f"{label}: {n} Dask workers")
        rows.append({"workers": n, "local_s": local_s, "processes_s": process_s, "dask_s": dask_s})
        print(f"  {label}: {n:2d} workers: threads {local_s:7.2f} s, processes {process_s:7.2f} s, "
              f"Dask {dask_s:7.2f} s", flush=True)
    return rows


def tile_table(data: pd.DataFrame, draws: int, workers: list[int], tiles: list[int], repeat: int) -> list[dict]:
    rows, default = [], cut_draws.TILE
    try:
        for tile in tiles:
            cut_draws.TILE = tile
            for n in workers:
                seconds, _ = timed(lambda n=n: allocsim.sensitivity(RULE, data, draws=draws, seed=0, workers=n), repeat)
                rows.append({"tile": tile, "workers": n, "local_s": seconds})
                print(f"  tile {tile}: {n:2d} threads {seconds:7.2f} s", flush=True)
    finally:
        cut_draws.TILE = default
    return rows


def step_table(workers: list[int], repeat: int, rounds: int = 200) -> list[dict]:
    """Seconds of ``rounds`` repetitions of each numpy step of a cut tile (1,024 draws x 368 areas), in N
    threads at once (each its own arrays): a step that scales takes as long in N threads as in one."""
    rng = np.random.default_rng(0)

    def arrays():
        weights = rng.dirichlet(np.ones(7), 1024)
        matrix = rng.uniform(2**29, 2**30, (7, 368))
        keys = (weights @ matrix).astype(np.int32)
        return {"weights": weights, "matrix": matrix, "keys": keys, "scratch": keys.copy(),
                "product": np.empty((1024, 368)), "beyond": np.empty((1024, 368), np.float32),
                "hot": (rng.random((1024, 45)) < 0.1).astype(np.float32), "edge": keys[:, :1].copy()}

    steps = {
        "matrix product (float64)": lambda a: np.matmul(a["weights"], a["matrix"], out=a["product"]),
        "float64 to int32": lambda a: np.copyto(a["keys"], a["product"], casting="unsafe"),
        "partition int32": lambda a: (np.copyto(a["scratch"], a["keys"]), a["scratch"].partition(122, axis=1)),
        "compare keys > edge": lambda a: np.greater(a["keys"], a["edge"], out=a["beyond"], casting="unsafe"),
        "tally sgemm": lambda a: a["hot"].T @ a["beyond"],
        "row minimum": lambda a: a["keys"].min(axis=1),
    }
    rows = []
    for name, step in steps.items():
        row = {"step": name}
        for n in workers:
            data = [arrays() for _ in range(n)]

            def work(a, step=step):
                for _ in range(rounds):
                    step(a)

            def together(data=data, work=work):
                threads = [threading.Thread(target=work, args=(a,)) for a in data]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()

            row[n] = timed(together, repeat)[0]
        rows.append(row)
        print(f"  {name}: " + ", ".join(f"{n} threads {row[n]:.3f} s" for n in workers), flush=True)
    return rows


def markdown(label: str, rows: list[dict]) -> str:
    one = rows[0]
    lines = [f"### {label}", "", "| workers | threads (s) | speed-up | processes (s) | speed-up | Dask (s) | speed-up "
             "| Dask / threads |", "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    lines += [f"| {r['workers']} | {r['local_s']:.2f} | {one['local_s'] / r['local_s']:.1f}x | {r['processes_s']:.2f} "
              f"| {one['processes_s'] / r['processes_s']:.1f}x | {r['dask_s']:.2f} | {one['dask_s'] / r['dask_s']:.1f}x "
              f"| {r['dask_s'] / r['local_s']:.2f} |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    from threadpoolctl import threadpool_limits

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    cores = available_cpus()
    default_workers = ",".join(str(n) for n in (1, 2, 4, 8, 16) if n <= cores) or "1"
    parser.add_argument("--out", required=True, type=Path, help="folder for scaling.json (made if missing)")
    parser.add_argument("--workers", default=default_workers, help="numbers of workers (default: %(default)s)")
    parser.add_argument("--draws", type=int, default=1_000_000, help="draws at 368 areas (default: %(default)s)")
    parser.add_argument("--lsoa-draws", type=int, default=20_000, help="draws at LSOA scale (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure, median taken (default: %(default)s)")
    parser.add_argument("--tiles", default="", help="cut tile sizes to time local threads at, e.g. 256,1024,4096")
    parser.add_argument("--steps", action="store_true", help="also time each numpy step of a cut draw in N threads")
    parser.add_argument("--skip-lsoa", action="store_true", help="only the 368-area table")
    args = parser.parse_args()
    workers = [int(n) for n in args.workers.split(",")]
    results = {"machine": machine(), "rule": RULE, "repeat": args.repeat, "draws": args.draws,
               "lsoa_draws": args.lsoa_draws}
    print(f"{results['machine']}; {RULE}; medians of {args.repeat} runs", flush=True)
    results["368"] = scale_table("368 areas", load_dataset(), args.draws, workers, args.repeat)
    tables = [markdown(f"368 areas, {args.draws:,} draws", results["368"])]
    if not args.skip_lsoa:
        results["lsoa"] = scale_table("LSOA", lsoa_table(), args.lsoa_draws, workers, args.repeat)
        tables.append(markdown(f"33,755 areas (LSOA scale), {args.lsoa_draws:,} draws", results["lsoa"]))
    if args.tiles:
        results["tiles"] = tile_table(load_dataset(), args.draws, workers, [int(t) for t in args.tiles.split(",")],
                                      args.repeat)
    if args.steps:
        with threadpool_limits(1, user_api="blas"):
            results["steps"] = step_table(workers, args.repeat)
        lines = ["### Each step alone in N threads at once (seconds; equal across a row means it scales)", "",
                 "| step | " + " | ".join(f"{n}" for n in workers) + " |", "| --- |" + " ---: |" * len(workers)]
        lines += [f"| {r['step']} | " + " | ".join(f"{r[n]:.3f}" for n in workers) + " |" for r in results["steps"]]
        tables.append("\n".join(lines))
    print("\n\n".join(tables))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "scaling.json").write_text(json.dumps(results, indent=1, default=str) + "\n")
    print(f"written: {args.out / 'scaling.json'}")


if __name__ == "__main__":
    main()
