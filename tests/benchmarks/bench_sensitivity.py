"""Speed and memory of ``allocsim.sensitivity``, measured side by side in one run; not in the default
test run (pytest collects only ``test_*.py``).

    python -m pytest tests/benchmarks/bench_sensitivity.py -s -q   # a few minutes on 2 cores
    python tests/benchmarks/bench_sensitivity.py                    # the same table, no assertions

Every time is the median of ``REPEATS`` runs (Dask: ``DASK_REPEATS``), the runs of the things
compared taking turns, so that a shared machine's load falls on each alike; each run notes how
much of a core other processes used meanwhile, and a run is retried once (after waiting up to a
few seconds for quiet) when that was above ``NOISE``. Dask's ratios are also given paired (the
median over rounds of each Dask run's time over the local run's just before it), which a drift
in the machine's speed from one round to the next moves less; the targets are checked on the
ratio of medians. On the embedded dataset (368 areas, rule
health-inclusive) and a synthetic table at LSOA scale (33,755 areas):

* marginal cost per weight draw: the time of a 201,000-draw ``allocsim.sensitivity`` run (2
  threads) minus a 1,000-draw run, over 200,000; against a per-draw loop building scikit-criteria's
  decision matrix with the draw's weights and evaluating ``WeightedSumModel`` on the same normalised
  matrix (``SKCRITERIA_DRAWS`` draws per run, taking turns with ours);
* where a cut draw's time goes: its steps timed one by one on one thread;
* local threads: the 201,000-draw run on 1 and on 2 threads;
* Dask: a 2-worker ``LocalCluster`` (one thread each, started as allocsim starts its own) against 2
  local threads, at 368 areas (201,000 draws) and at LSOA scale (4,000 draws, and the issue's
  20,000), results checked identical; the issue's run again on a cluster with Dask's defaults;
* peak memory added during a 1,000-draw run at LSOA scale, by tracemalloc.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import LSOA_AREAS, RULE, lsoa_table, machine  # noqa: E402

import allocsim  # noqa: E402
from allocsim.datasets import load_dataset  # noqa: E402
from allocsim.engine.cut import cut_edges  # noqa: E402
from allocsim.engine.cut_keys import CutKeys  # noqa: E402
from allocsim.engine.score import method_rows  # noqa: E402
from allocsim.engine.workspace import Workspace  # noqa: E402
from allocsim.robustness import kernel  # noqa: E402
from allocsim.robustness.cut_draws import TILE  # noqa: E402
from allocsim.robustness.model import build_model, plan  # noqa: E402
from allocsim.robustness.tally import ColumnTally  # noqa: E402
from allocsim.rules.load import load_rule  # noqa: E402

SHORT, LONG = 1_000, 201_000
REPEATS, DASK_REPEATS = 5, 5
SKCRITERIA_DRAWS = 300  # per run
LSOA_MEMORY_DRAWS, LSOA_DASK_DRAWS, LSOA_ISSUE_DRAWS = 1_000, 4_000, 20_000  # the last: the issue's LSOA run
TARGETS = {"vs_skcriteria": 500, "dask_vs_local_368": 1.3, "dask_vs_local_lsoa": 1.0, "dask_vs_local_lsoa_20k": 1.0,
           "lsoa_peak_mb": 200}
NOISE, WAIT_S = 0.15, 5.0  # others' share of a core above which a run is retried; seconds to wait for quiet
noise = []  # others' share of a core during each run kept


def medians(functions: dict, repeat: int = REPEATS, results: dict | None = None,
            rounds: dict | None = None) -> dict:
    """Median seconds of each function over ``repeat`` runs, the functions taking turns in every round; each
    one's last result goes in ``results``, its seconds in every round in ``rounds``."""
    times = {name: [] for name in functions} if rounds is None else rounds
    results = {} if results is None else results
    for _ in range(repeat):
        for name, function in functions.items():
            seconds, results[name] = quiet_run(function)
            times.setdefault(name, []).append(seconds)
    return {name: float(np.median(t)) for name, t in times.items()}


def quiet_run(function) -> tuple[float, object]:
    """(seconds, result) of ``function``; run again, once, after waiting for quiet, if other processes used
    more than ``NOISE`` of a core meanwhile (the quieter of the two runs is kept)."""
    best = None
    for attempt in range(2):
        if attempt:
            _wait_for_quiet()
        start_cpu, start = _cpu_seconds(), time.perf_counter()
        result = function()
        seconds, end_cpu = time.perf_counter() - start, _cpu_seconds()
        others = max(0.0, (end_cpu[0] - start_cpu[0]) - (end_cpu[1] - start_cpu[1])) / seconds
        best = min(best or (others, seconds, result), (others, seconds, result), key=lambda r: r[0])
        if others <= NOISE:
            break
    noise.append(best[0])
    return best[1], best[2]


def _cpu_seconds() -> tuple[float, float]:
    """(busy CPU seconds of the whole machine, of this process and its children such as Dask workers)."""
    import psutil

    total = psutil.cpu_times()
    busy = sum(total) - total.idle - getattr(total, "iowait", 0) - getattr(total, "guest", 0) \
        - getattr(total, "guest_nice", 0)
    me, ours = psutil.Process(), 0.0
    for process in [me, *me.children(recursive=True)]:
        try:
            times = process.cpu_times()
            ours += times.user + times.system
        except psutil.Error:  # a child that ended meanwhile
            pass
    return busy, ours


def _wait_for_quiet(window_s: float = 0.3) -> None:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        start = _cpu_seconds()
        time.sleep(window_s)
        end = _cpu_seconds()
        if (end[0] - start[0]) - (end[1] - start[1]) <= NOISE * window_s:
            return


def run(data: pd.DataFrame, draws: int, **options):
    return allocsim.sensitivity(RULE, data, draws=draws, seed=0, **options)


# -- the marginal cost of a draw, and scikit-criteria ----------------------------------------------

def measure_marginal(data: pd.DataFrame) -> dict:
    """Marginal seconds per draw of our run (2 threads) and of a scikit-criteria loop, taking turns."""
    model = build_model(load_rule(RULE), data, 0.2)[0]
    Z = model.scoring.scaled[model.scoring.own].T  # areas x indicators, the rule's own normalisation, 0 where missing
    weights = np.random.default_rng(0).dirichlet(model.concentration * model.weights, SKCRITERIA_DRAWS)
    times = medians({"short": partial(run, data, SHORT, workers=2), "long": partial(run, data, LONG, workers=2),
                     "skcriteria": partial(_skcriteria_seconds, Z, weights)})
    figures = {"short_s": times["short"], "long_s": times["long"],
               "ours_per_draw_us": (times["long"] - times["short"]) / (LONG - SHORT) * 1e6,
               "skcriteria_per_draw_us": times["skcriteria"] / SKCRITERIA_DRAWS * 1e6}
    figures["vs_skcriteria"] = figures["skcriteria_per_draw_us"] / figures["ours_per_draw_us"]
    return figures


def _skcriteria_seconds(Z: np.ndarray, weights: np.ndarray) -> float:
    skcriteria = pytest.importorskip("skcriteria", reason="scikit-criteria is not installed (allocsim[bench])")
    from skcriteria.agg.simple import WeightedSumModel

    model, objectives = WeightedSumModel(), [max] * Z.shape[1]
    start = time.perf_counter()
    for w in weights:
        model.evaluate(skcriteria.mkdm(Z, objectives, weights=w))
    return time.perf_counter() - start


# -- where a cut draw's time goes ------------------------------------------------------------------

def profile_cut_path(data: pd.DataFrame, repeat: int = 3) -> dict:
    """Microseconds per draw of each step of a cut draw (one thread), as the kernel takes them; per step,
    the median of ``repeat`` runs. The steps are those of ``CutKeys.cut`` and ``CutDraws.add`` written
    out here, one timer each: keep them in step with the kernel."""
    runs = [quiet_run(partial(_profile_once, data))[1] for _ in range(repeat)]
    return {step: float(np.median([r[step] for r in runs])) for step in runs[0]}


def _profile_once(data: pd.DataFrame, chunks: int = 12) -> dict:
    from threadpoolctl import threadpool_limits

    model = build_model(load_rule(RULE), data, 0.2)[0]
    scoring = model.scoring
    keys32 = CutKeys.of(scoring.scaled, scoring.layout, scoring.aggregation.finish, scoring.cut.bounds)
    work = Workspace(model.chunk_size, model.n_areas, model.n_columns, len(scoring.cut.bounds) - 1)
    into, seconds = ColumnTally.zeros(model.n_areas, scoring.cut.n_groups, model.n_columns), {}

    @contextmanager
    def step(name: str):
        start = time.perf_counter()
        yield
        seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - start

    with threadpool_limits(1, user_api="blas"):
        for chunk in plan(chunks * model.chunk_size, model.chunk_size, 1):
            with step("draw the weights (Dirichlet) and methods"):
                weights, method = kernel.draw(model, np.random.default_rng(chunk.seed), chunk.size)
            with step("sort the draws by method"):
                order = np.argsort(method, kind="stable")
                weights, method = weights[order], method[order]
            with step("one-hot factor bins"):
                hot = kernel._one_hot(model, weights, method, work.hot[:chunk.size])
            for start in range(0, chunk.size, TILE):
                w, m = weights[start:start + TILE], method[start:start + TILE]
                c = len(w)
                product, keys, beyond = work.scores[:c], work.keys32[:c], work.beyond[:, :c]
                with step("scores: matrix product (the keys' scale folded in)"):
                    w = w / w.sum(axis=1, keepdims=True)
                    for me, a, b in method_rows(m, len(keys32.matrix)):
                        np.matmul(w[a:b], keys32.matrix[me], out=product[a:b])
                with step("scores: rescale the areas with gaps"):
                    total = w @ keys32.has
                    product[:, keys32.gaps_from:] /= np.take(total, keys32.pattern, axis=1)
                with step("keys: float64 to int32"):
                    np.copyto(keys, product, casting="unsafe")
                with step("cut: copy, partition at each cut, check the gaps"):
                    after = np.empty((c, len(keys32.bounds) - 1), np.int32)
                    edges = cut_edges(keys, keys32.bounds, work.cut32[:c], after)
                    # as CutKeys.cut; the few draws it marks, cut again with the exact keys, are not timed
                    (np.subtract(after, edges, dtype=np.int64) < 2).any(axis=1)
                with step("group membership: keys > edge, per cut"):
                    for j, edge in enumerate(edges.T):
                        np.greater(keys, edge[:, np.newaxis], out=beyond[j], casting="unsafe")
                with step("tally: factor bins x membership (sgemm), sums"):
                    into.past_first += np.matmul(hot[start:start + c].T, beyond[0], out=work.sums)
                    into.past_later += beyond[1:].sum(axis=1)
    return {name: s / (chunks * model.chunk_size) * 1e6 for name, s in seconds.items()}


# -- threads and Dask ------------------------------------------------------------------------------

def measure_threads(data: pd.DataFrame) -> dict:
    """The long run on 1 and on 2 local threads, taking turns."""
    times = medians({1: partial(run, data, LONG, workers=1), 2: partial(run, data, LONG, workers=2)})
    return {"one_thread_s": times[1], "two_threads_s": times[2], "speedup": times[1] / times[2]}


def measure_dask(data: pd.DataFrame, lsoa: pd.DataFrame) -> dict:
    """A 2-worker LocalCluster (one thread each) against 2 local threads, taking turns; results identical. The
    cluster is started as allocsim starts its own (``dask_backend.local_cluster``); the issue's LSOA run is
    measured again on a cluster with Dask's default worker configuration, as a user's own may be."""
    distributed = pytest.importorskip("dask.distributed", reason="dask is not installed (allocsim[dask])")
    from allocsim.robustness.dask_backend import local_cluster

    figures = {}
    clusters = ((local_cluster, (("368", data, LONG), ("lsoa", lsoa, LSOA_DASK_DRAWS),
                                 ("lsoa_20k", lsoa, LSOA_ISSUE_DRAWS))),
                (partial(distributed.LocalCluster, dashboard_address=None), (("lsoa_20k_dask_defaults", lsoa,
                                                                              LSOA_ISSUE_DRAWS),)))
    for start, runs in clusters:
        with start(n_workers=2, threads_per_worker=1) as cluster:
            run(data, SHORT, backend="dask", scheduler=cluster.scheduler_address)  # workers import allocsim once
            for label, table, draws in runs:
                results, rounds = {}, {}
                times = medians({"local": partial(run, table, draws, workers=2),
                                 "dask": partial(run, table, draws, backend="dask",
                                                 scheduler=cluster.scheduler_address)},
                                repeat=DASK_REPEATS, results=results, rounds=rounds)
                local, remote = results["local"], results["dask"]
                pd.testing.assert_frame_equal(local.table, remote.table)
                assert local.summary == remote.summary
                # each round's Dask run over the local run just before it: steadier than the ratio of medians
                # where the machine's speed drifts from one round to the next
                paired = np.median(np.divide(rounds["dask"], rounds["local"]))
                figures.update({f"local_{label}_s": times["local"], f"dask_{label}_s": times["dask"],
                                f"dask_vs_local_{label}": times["dask"] / times["local"],
                                f"dask_vs_local_{label}_paired": float(paired)})
    return figures


# -- memory ----------------------------------------------------------------------------------------

def measure_memory(lsoa: pd.DataFrame) -> dict:
    """Peak memory added during a run at LSOA scale (numpy reports its buffers to tracemalloc)."""
    tracemalloc.start()
    start = time.perf_counter()
    run(lsoa, LSOA_MEMORY_DRAWS)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"lsoa_peak_mb": peak / 2**20, "lsoa_s": seconds}


# -- the report ------------------------------------------------------------------------------------

def measure_all() -> dict:
    """Every figure of the table, in one run."""
    data, lsoa = load_dataset(), lsoa_table()
    run(data, SHORT)  # imports and first-touch costs out of the way
    figures = {"machine": machine(), "profile": profile_cut_path(data), **measure_marginal(data),
               **measure_threads(data), **measure_dask(data, lsoa), **measure_memory(lsoa)}
    return {**figures, "noise": float(np.median(noise)), "noise_max": float(np.max(noise))}


def _met(value: float, target: float, below: bool = True) -> str:
    return "met" if (value <= target if below else value >= target) else "NOT met"


def report(f: dict) -> str:
    """The results as a markdown table, then the profile."""
    total = sum(f["profile"].values())
    rows = [
        ("marginal cost per draw, 368 areas, 2 threads: (201,000-draw run - 1,000-draw run) / 200,000",
         f"{f['ours_per_draw_us']:.2f} us ({f['long_s']:.3f} s - {f['short_s']:.3f} s)", ""),
        ("scikit-criteria WeightedSumModel per draw (same normalised matrix)",
         f"{f['skcriteria_per_draw_us']:.0f} us: ours {f['vs_skcriteria']:.0f}x faster",
         f">= {TARGETS['vs_skcriteria']}x: {_met(f['vs_skcriteria'], TARGETS['vs_skcriteria'], below=False)}"),
        (f"{LONG:,} draws, 1 thread / 2 threads",
         f"{f['one_thread_s']:.3f} s / {f['two_threads_s']:.3f} s: speed-up {f['speedup']:.2f}", ""),
        (f"Dask 2 workers / 2 local threads, 368 areas, {LONG:,} draws",
         f"{f['dask_368_s']:.3f} s / {f['local_368_s']:.3f} s = {f['dask_vs_local_368']:.2f}x "
         f"(paired {f['dask_vs_local_368_paired']:.3f}x)",
         f"<= {TARGETS['dask_vs_local_368']}x: {_met(f['dask_vs_local_368'], TARGETS['dask_vs_local_368'])}"),
        *[(f"the same at {LSOA_AREAS:,} synthetic areas, {draws:,} draws",
           f"{f[f'dask_{label}_s']:.2f} s / {f[f'local_{label}_s']:.2f} s = {f[f'dask_vs_local_{label}']:.2f}x "
           f"(paired {f[f'dask_vs_local_{label}_paired']:.3f}x)",
           f"<= {TARGETS[f'dask_vs_local_{label}']}x: "
           f"{_met(f[f'dask_vs_local_{label}'], TARGETS[f'dask_vs_local_{label}'])}")
          for label, draws in (("lsoa", LSOA_DASK_DRAWS), ("lsoa_20k", LSOA_ISSUE_DRAWS))],
        (f"the same, {LSOA_ISSUE_DRAWS:,} draws, on a cluster with Dask's default worker configuration (profiler on)",
         f"{f['dask_lsoa_20k_dask_defaults_s']:.2f} s / {f['local_lsoa_20k_dask_defaults_s']:.2f} s = "
         f"{f['dask_vs_local_lsoa_20k_dask_defaults']:.2f}x (paired "
         f"{f['dask_vs_local_lsoa_20k_dask_defaults_paired']:.3f}x)", ""),
        (f"{LSOA_AREAS:,} areas, {LSOA_MEMORY_DRAWS:,} draws: peak added memory",
         f"{f['lsoa_peak_mb']:.0f} MB ({f['lsoa_s']:.1f} s)",
         f"< {TARGETS['lsoa_peak_mb']} MB: {_met(f['lsoa_peak_mb'], TARGETS['lsoa_peak_mb'])}"),
    ]
    lines = [f"{f['machine']}; medians of {REPEATS} runs (Dask {DASK_REPEATS}) taking turns; other processes used "
             f"a median {f['noise']:.2f} of a core during a run (at most {f['noise_max']:.2f})", "",
             "| what | measured | target |", "| --- | --- | --- |"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    lines += ["", f"Where a cut draw's time goes (one thread, {total:.2f} us per draw):", "",
              "| step | us per draw | share |", "| --- | ---: | ---: |"]
    lines += [f"| {name} | {us:.2f} | {100 * us / total:.0f}% |" for name, us in f["profile"].items()]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def figures() -> dict:
    measured = measure_all()
    print("\n" + report(measured))
    return measured


def test_faster_than_a_scikit_criteria_loop(figures):
    assert figures["vs_skcriteria"] >= TARGETS["vs_skcriteria"]


@pytest.mark.parametrize("scale", ["368", "lsoa", "lsoa_20k"])
def test_dask_keeps_up_with_local_threads(figures, scale):
    assert figures[f"dask_vs_local_{scale}"] <= TARGETS[f"dask_vs_local_{scale}"]


def test_memory_at_lsoa_scale(figures):
    assert figures["lsoa_peak_mb"] < TARGETS["lsoa_peak_mb"]


if __name__ == "__main__":
    print(report(measure_all()))
