"""Interrupted and failing writes: a killed run never leaves a folder that mixes two runs, and a
full disk leaves nothing behind.

Each folder-writing command runs in a forked child that counts its file operations (creating,
opening for writing, renaming, deleting) and kills itself with SIGKILL just before the n-th, for
every n until the run completes. After each kill ``--out`` must be the earlier complete output,
the new complete output, or absent, and a rerun must succeed (and clear what the killed run left
beside ``--out``). For the report the child skips drawing (the files are computed once): every
kill point lies in the writing, which is the command's own. The other commands compute their
results once too (:func:`computed_once`), so each killed run and each rerun repeats only the
writing.
"""

from __future__ import annotations

import builtins
import io
import os
import pickle
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from toys import gva_rule_toml, make_toy_data

import allocsim.cli.compare as compare_cli
import allocsim.cli.report as report_cli
import allocsim.cli.sensitivity as sensitivity_cli
import allocsim.cli.simulate as simulate_cli
from allocsim.cli import cli
from allocsim.folders import LISTING

COUNTED = ("mkdir", "rename", "replace", "rmdir", "unlink", "remove", "chmod")
# For each command: the arguments of the earlier run, then of the new one (their outputs differ).
COMMANDS = {
    "compare": (["compare", "{a}", "{b}", "--focus", "hle_male_2011_13"],
                ["compare", "{a}", "{b}", "--focus", "hle_male_2011_13", "--budget", "1e6", "--draws", "20"]),
    "simulate": (["simulate", "{a}", "--budget", "1e6", "--draws", "20"],
                 ["simulate", "{a}", "--budget", "2e6", "--draws", "20"]),
    "sensitivity": (["sensitivity", "{a}", "--draws", "50", "--seed", "1"],
                    ["sensitivity", "{a}", "--draws", "50", "--seed", "2"]),
    "report": (["report", "{a}", "{b}", "--robustness-draws", "0"],  # see report_files
               ["report", "{a}", "{b}", "--robustness-draws", "0"]),
}


# Where each command computes what it writes (the report's files come from report_files instead).
COMPUTING = {"compare": (compare_cli, "compare_rules"), "simulate": (simulate_cli, "simulate_money"),
             "sensitivity": (sensitivity_cli, "run_sensitivity")}


@pytest.fixture
def computed_once(monkeypatch):
    """``computed_once(command)``: from now on that command's computing answers a call with the same
    arguments as an earlier one (pickled alike) with the earlier result; forked children inherit
    the results, so the runs killed while writing, and the reruns, compute nothing again."""

    def cache(command: str) -> None:
        if command not in COMPUTING:
            return
        module, name = COMPUTING[command]
        real, results = getattr(module, name), {}

        def cached(*args, **kwargs):
            key = pickle.dumps((args, kwargs))
            if key not in results:
                results[key] = real(*args, **kwargs)
            return results[key]

        monkeypatch.setattr(module, name, cached)

    return cache


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("inputs")
    make_toy_data(12).to_csv(folder / "areas.csv")
    for name, weight in (("a", 2), ("b", 1)):
        (folder / f"{name}.toml").write_text(gva_rule_toml(name, extra=f'weight = {weight}\n[[indicators]]\ncolumn = "unemployment_rate"\n'
                                                                 'direction = "higher_is_more_need"\n'))
    return {"a": str(folder / "a.toml"), "b": str(folder / "b.toml"), "data": str(folder / "areas.csv")}


@pytest.fixture(scope="module")
def report_files(inputs, tmp_path_factory) -> dict[int, dict[str, bytes]]:
    """The new (1) report's files, computed once by the command (placeholder images), and an
    earlier report (0) made from them: one table fewer, another more, and its page changed."""
    import allocsim.report.rendering as rendering

    drawn = rendering.chart_images
    rendering.chart_images = lambda spec: (b"<svg/>", b"\x89PNG placeholder")
    try:
        out = tmp_path_factory.mktemp("report") / "out"
        assert _invoke(_args("report", 1, inputs, out)).exit_code == 0
    finally:
        rendering.chart_images = drawn
    new = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != LISTING}
    earlier = {name: content for name, content in new.items() if name != "tables/transitions.csv"}
    earlier |= {"tables/earlier_only.csv": b"a\n1\n", "index.html": new["index.html"] + b"<!-- earlier -->"}
    return {0: earlier, 1: new}


def _args(command: str, which: int, inputs: dict[str, str], out: Path | str) -> list[str]:
    args = [a.format(**inputs) for a in COMMANDS[command][which]] + ["--data", inputs["data"], "--out", str(out)]
    return args + (["--force"] if command == "report" else [])


def _invoke(args: list[str]):
    return CliRunner().invoke(cli, args)


def _run(command, which, inputs, out, report_files):
    """The command in this process (the report's files from ``report_files``)."""
    if command == "report":
        report_cli.assemble_report, kept = (lambda *a: report_files[which]), report_cli.assemble_report
        try:
            return _invoke(_args(command, which, inputs, out))
        finally:
            report_cli.assemble_report = kept
    return _invoke(_args(command, which, inputs, out))


def snapshot(folder: Path) -> dict[str, bytes] | None:
    if not folder.exists():
        return None
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else b"<dir>")
            for p in sorted(folder.rglob("*"))}


def forked(run, kill_at: int | None = None, file_size: int | None = None, timeout: float = 120):
    """Run ``run()`` in a forked child that counts its file operations and is killed with SIGKILL
    just before the ``kill_at``-th; with ``file_size``, no file may grow past that many bytes.

    Returns ``(how, status, stderr, operations)``: how is "killed" or "exit"; operations, the names
    of those a child that ran to its end made, in order.
    """
    pipes = {name: os.pipe() for name in ("count", "stderr")}  # pipes: no file size limit applies
    pid = os.fork()
    if pid == 0:  # the child: never returns
        status = 70
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
            sys.stderr = os.fdopen(pipes["stderr"][1], "w")
            count = _count_operations(kill_at)
            if file_size is not None:
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
                resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
            try:
                run()
                status = 0
            except SystemExit as done:
                status = done.code if isinstance(done.code, int) else 1
            sys.stderr.flush()
            os.write(pipes["count"][1], ",".join(count).encode())
        finally:
            os._exit(status)
    for reading, writing in pipes.values():
        os.close(writing)
        os.set_blocking(reading, False)
    received = {name: b"" for name in pipes}
    deadline = time.monotonic() + timeout
    while True:
        for name, (reading, _) in pipes.items():
            received[name] += _drain(reading)
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail(f"the child hung (kill_at={kill_at})")
        time.sleep(0.002)
    for name, (reading, _) in pipes.items():
        received[name] += _drain(reading)
        os.close(reading)
    stderr, counted = received["stderr"].decode(), [op for op in received["count"].decode().split(",") if op]
    if os.WIFSIGNALED(status):
        assert os.WTERMSIG(status) == signal.SIGKILL
        return "killed", None, stderr, counted
    return "exit", os.WEXITSTATUS(status), stderr, counted


def _drain(fd: int) -> bytes:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def _count_operations(kill_at: int | None) -> list[str]:
    done: list[str] = []

    def tick(name: str):
        if kill_at is not None and len(done) + 1 >= kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        done.append(name)

    for name in COUNTED:
        real = getattr(os, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            tick(_name)
            return _real(*args, **kwargs)

        setattr(os, name, counted)
    real_open = io.open

    def opened(file, mode="r", *args, **kwargs):
        if any(c in mode for c in "wax+"):
            tick("open")
        return real_open(file, mode, *args, **kwargs)

    io.open = builtins.open = opened
    return done


def _main(args: list[str]):
    return lambda: cli.main(args)


def _main_report(args: list[str], files: dict[str, bytes]):
    def run():
        report_cli.assemble_report = lambda *a: files
        cli.main(args)

    return run


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_run_killed_while_writing_leaves_the_old_or_the_new_folder_never_a_mix(command, inputs, request, tmp_path,
                                                                                computed_once):
    report_files = request.getfixturevalue("report_files") if command == "report" else {}
    computed_once(command)
    expected = {}
    for which in (0, 1):  # the earlier and the new complete outputs, written normally
        done = tmp_path / f"complete{which}" / "out"
        assert _run(command, which, inputs, done, report_files).exit_code == 0
        expected[which] = snapshot(done)
    assert expected[0] != expected[1]
    args = lambda out: _args(command, 1, inputs, out)  # noqa: E731
    child = (lambda out: _main_report(args(out), report_files[1])) if command == "report" else (
        lambda out: _main(args(out)))
    counting = tmp_path / "counting" / "out"
    shutil.copytree(tmp_path / "complete0" / "out", counting)
    operations = forked(child(counting))[3]
    assert operations.count("replace") >= 2, f"the hook does not see the swap: {operations}"
    for kill_at in kill_points(operations, every=4 if command == "report" else 1):
        place = tmp_path / f"killed{kill_at}"
        shutil.copytree(tmp_path / "complete0" / "out", place / "out")  # the earlier run's output
        assert forked(child(place / "out"), kill_at)[0] == "killed"
        state = snapshot(place / "out")
        assert state in (expected[0], expected[1], None), f"{command}: a mixed folder after {kill_at} operations"
        rerun = _run(command, 1, inputs, place / "out", report_files)
        assert rerun.exit_code == 0, rerun.output
        assert snapshot(place / "out") == expected[1]
        assert [p.name for p in place.iterdir()] == ["out"], "what the killed run left beside --out stayed"


def kill_points(operations: list[str], every: int) -> list[int]:
    """Before each rename, before the first operation of each kind (creating, writing, deleting),
    and before every ``every``-th operation (numbered from 1)."""
    first = {operations.index(op) + 1 for op in set(operations)}
    return [n for n, op in enumerate(operations, start=1)
            if op in ("rename", "replace") or n in first or n % every == 0 or n == len(operations)]


def test_a_run_killed_while_creating_a_new_folder_leaves_it_absent_or_complete(inputs, tmp_path, computed_once):
    computed_once("simulate")
    done = tmp_path / "complete" / "out"
    assert _run("simulate", 1, inputs, done, {}).exit_code == 0
    operations = forked(_main(_args("simulate", 1, inputs, tmp_path / "counting" / "new" / "sub" / "D")))[3]
    for kill_at in kill_points(operations, every=1):
        out = tmp_path / f"killed{kill_at}" / "new" / "sub" / "D"
        assert forked(_main(_args("simulate", 1, inputs, out)), kill_at)[0] == "killed"
        assert snapshot(out) in (None, snapshot(done))
        assert _run("simulate", 1, inputs, out, {}).exit_code == 0
        assert snapshot(out) == snapshot(done)


# -- a full disk --------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [*COMMANDS, "rank", "search"])
def test_a_full_disk_ends_in_one_error_line_and_leaves_nothing(command, inputs, request, tmp_path):
    place = tmp_path / "place"
    place.mkdir()
    out = place / "new" / "sub" / "D"
    if command in COMMANDS:
        args = _args(command, 1, inputs, out)
        run = _main_report(args, request.getfixturevalue("report_files")[1]) if command == "report" else _main(args)
    elif command == "rank":
        run = _main(["rank", inputs["a"], "--data", inputs["data"], "--out", f"{out}.csv"])
    else:  # a toy rule has no domains to vary: one that has, on the embedded data
        run = _main(["search", "health-inclusive", "--vary", "health", "--target", "kendall_tau>=0.5",
                     "--out", f"{out}.csv"])
    ended = forked(run, file_size=64)
    assert ended[:2] == ("exit", 2), ended
    lines = ended[2].splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: cannot write ") and "File too large" in lines[0], lines
    assert list(place.iterdir()) == []


def test_a_full_disk_through_the_installed_command(inputs, tmp_path):
    """The same in a fresh interpreter, as a user meets it (python -m allocsim)."""
    out = tmp_path / "new" / "sub" / "D"

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))

    done = subprocess.run([sys.executable, "-m", "allocsim", *_args("simulate", 1, inputs, out)],
                          capture_output=True, text=True, preexec_fn=limit, timeout=300,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.splitlines() == [f"Error: cannot write {out}: File too large"]
    assert list(tmp_path.iterdir()) == []
