"""Wall time of what users wait for: ``allocsim --help``, ``rules list``, README's main job and the
report; not in the default test run (pytest collects only ``test_*.py``).

Each command runs as a user runs it, in a fresh interpreter, ``--runs`` times; the table gives the
median, the fastest and the slowest. Each checkout's modules are compiled to bytecode first, as
``pip install`` compiles them (where ``PYTHONDONTWRITEBYTECODE`` is set, as on the machine these
figures come from, every run would otherwise compile allocsim's modules again). Give
``--checkout`` more than once to time other checkouts of allocsim side by side (e.g. a worktree
of main): their runs are interleaved, so a change in the machine's load falls on each alike. On a
shared machine compare medians, never single runs.

    python tests/benchmarks/startup_and_jobs.py                      # this checkout, 5 runs each
    python tests/benchmarks/startup_and_jobs.py --runs 9 --only help --only rules-list
    python tests/benchmarks/startup_and_jobs.py --checkout ../allocsim-base --checkout .
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MAIN_JOB = ["compare", "luf-2021-published", "luf-2021", "health-inclusive", "--budget", "4.8e9"]
REPORT = ["report", "luf-2021-published", "health-inclusive", "--budget", "4.8e9"]

# name -> the command's arguments; {out} is a fresh folder for each run.
CASES = {
    "help": ["--help"],
    "rules-list": ["rules", "list"],
    "main-job": [*MAIN_JOB, "--out", "{out}"],
    "report": [*REPORT, "--out", "{out}"],
}


def run_once(checkout: Path, args: list[str], scratch: Path) -> float:
    """Seconds for one run of ``allocsim ARGS`` with ``checkout`` first on the path."""
    out = Path(tempfile.mkdtemp(dir=scratch)) / "out"
    command = [sys.executable, "-m", "allocsim", *(a.format(out=out) for a in args)]
    env = {**os.environ, "PYTHONPATH": str(checkout), "COLUMNS": "120"}
    start = time.perf_counter()
    done = subprocess.run(command, cwd=scratch, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {checkout}:\n{done.stderr}")
    return seconds


def measure(checkouts: list[Path], cases: list[str], runs: int) -> dict[tuple[str, Path], list[float]]:
    """Each case's run times in each checkout, the checkouts taking turns run by run."""
    times: dict[tuple[str, Path], list[float]] = {(c, k): [] for c in cases for k in checkouts}
    with tempfile.TemporaryDirectory() as scratch:
        for case in cases:
            for _ in range(runs):
                for checkout in checkouts:
                    times[case, checkout].append(run_once(checkout, CASES[case], Path(scratch)))
    return times


def table(times: dict[tuple[str, Path], list[float]]) -> str:
    lines = [f"{'command':<12} {'checkout':<40} {'runs':>4} {'median s':>9} {'min s':>7} {'max s':>7}"]
    for (case, checkout), seconds in times.items():
        lines.append(f"{case:<12} {str(checkout)[-40:]:<40} {len(seconds):>4} {statistics.median(seconds):>9.2f} "
                     f"{min(seconds):>7.2f} {max(seconds):>7.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", action="append", choices=sorted(CASES), help="Only this command (repeatable).")
    parser.add_argument("--checkout", action="append", type=Path,
                        help="A checkout of allocsim to time (repeatable; default this one).")
    options = parser.parse_args(argv)
    checkouts = [c.resolve() for c in options.checkout or [REPO]]
    for checkout in checkouts:
        compileall.compile_dir(str(checkout / "allocsim"), quiet=1)
    print(f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f} at the start", flush=True)
    print(table(measure(checkouts, options.only or list(CASES), options.runs)))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
