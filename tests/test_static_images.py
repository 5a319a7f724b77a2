"""Chart images drawn in worker processes: the same bytes as drawn in this process, drawing here
where workers cannot start or die, errors handed back, and no worker outliving its command
(closed, failed, interrupted with Ctrl-C or killed)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import allocsim.report as report
import allocsim.static_images as static_images
from allocsim.report.html import VL_VERSION
from allocsim.static_images import ImageWorkers

SPECS = [{"data": {"values": [{"a": a, "b": b} for a, b in zip("xyz", values)]}, "mark": mark,
          "encoding": {"x": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"},
                       "color": {"field": "b", "type": "quantitative"}}}
         for mark, values in (("bar", (1, 3, 2)), ("point", (5, 4, 6)), ("area", (2, 2, 9)))]
PROC = Path("/proc")
SYSTEM_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
needs_proc = pytest.mark.skipif(not (PROC / "self" / "stat").exists(), reason="finds processes in /proc")


def drawn(processes: int, specs=SPECS) -> tuple[list, bool]:
    workers = ImageWorkers(VL_VERSION, 2, processes)
    try:
        return [f.result(timeout=60) for f in [workers.submit(s) for s in specs]], workers.drawn_here
    finally:
        workers.close()


@pytest.fixture(scope="module")
def drawn_here():
    """The specs drawn on two threads of this process."""
    images, here = drawn(0)
    assert here
    return images


def test_workers_draw_the_same_bytes_as_this_process(drawn_here):
    images, here = drawn(2)
    assert not here
    assert images == drawn_here
    assert all(svg.startswith(b"<svg") and png.startswith(b"\x89PNG") for svg, png in images)


def labelled(family: str) -> dict:
    """A chart whose width follows its axis labels' width in font ``family``."""
    return {"data": {"values": [{"a": "WWW wide label", "b": 1}]}, "mark": "bar",
            "config": {"axis": {"labelFont": family}},
            "encoding": {"y": {"field": "a", "type": "nominal"}, "x": {"field": "b", "type": "quantitative"}}}


@pytest.mark.skipif(not SYSTEM_FONT.exists(), reason="needs DejaVu Sans installed, a font vl-convert does not bundle")
def test_charts_are_drawn_with_vl_convert_bundled_fonts_only():
    """DejaVu Sans, installed on the system, is not used: a label in it is measured as one in a font
    that no system has (with the system's fonts, its wider letters widen the chart)."""
    (installed, _), (missing, _) = drawn(1, [labelled("DejaVu Sans"), labelled("No Such Font")])[0]
    assert installed.replace(b"DejaVu Sans", b"No Such Font") == missing


def test_starting_the_converter_here_leaves_the_environment_as_it_was(monkeypatch):
    monkeypatch.setenv("FONTCONFIG_FILE", "/somewhere/fonts.conf")
    seen = []
    monkeypatch.setattr(static_images.vlc, "vegalite_to_svg", lambda spec, vl_version: seen.append(
        os.environ["FONTCONFIG_FILE"]))
    monkeypatch.setattr(static_images, "_fonts_loaded", False)
    static_images.start_converter(VL_VERSION)
    static_images.start_converter(VL_VERSION)  # once per process
    assert seen == [str(static_images.FONTS_CONFIG)]
    assert os.environ["FONTCONFIG_FILE"] == "/somewhere/fonts.conf"


def test_the_font_configuration_names_only_a_folder_that_does_not_exist():
    config = static_images.FONTS_CONFIG.read_text()
    folders = re.findall(r'<dir prefix="relative">([^<]+)</dir>', config)
    assert folders == ["no-fonts"] and config.count("<dir") == 1
    assert not (static_images.FONTS_CONFIG.parent / "no-fonts").exists()


def test_where_no_worker_can_start_the_charts_are_drawn_here(drawn_here, monkeypatch):
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    assert drawn(2) == (drawn_here, True)


def test_a_dead_worker_is_replaced_by_drawing_here(drawn_here):
    workers = ImageWorkers(VL_VERSION, 2, 1)
    try:
        workers._workers[0].kill()
        assert [f.result(timeout=60) for f in [workers.submit(s) for s in SPECS]] == drawn_here
        assert workers.drawn_here
    finally:
        workers.close()


def test_a_worker_hands_back_the_error_of_a_bad_spec_and_draws_on(drawn_here):
    workers = ImageWorkers(VL_VERSION, 2, 1)
    try:
        failed = workers.submit({"mark": {"type": "no-such-mark"}})
        error = failed.exception(timeout=60)
        assert isinstance(error, ValueError) and "conversion failed" in str(error)
        assert workers.submit(SPECS[0]).result(timeout=60) == drawn_here[0]
        assert not workers.drawn_here
    finally:
        workers.close()


def test_closing_with_charts_unfinished_stops_the_workers_at_once():
    workers = ImageWorkers(VL_VERSION, 2, 2)
    futures = [workers.submit(s) for s in SPECS * 3]
    started = time.monotonic()
    workers.close()
    assert time.monotonic() - started < 5
    assert all(w.poll() is not None for w in workers._workers)
    assert all(f.done() for f in futures)


def test_a_failing_report_leaves_no_worker(monkeypatch):
    made = []

    class Recorded(ImageWorkers):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    def fails(inputs, checked, drawer):
        raise RuntimeError("computing failed")

    monkeypatch.setattr(static_images, "ImageWorkers", Recorded)
    monkeypatch.setattr(report, "build", fails)
    with pytest.raises(RuntimeError, match="computing failed"):
        report.assemble_report(None, None)
    assert made and made[0]._workers
    assert all(w.poll() is not None for w in made[0]._workers)


# -- the command, interrupted or killed ---------------------------------------------------------

def children(pid: int) -> list[int]:
    """The worker processes ``pid`` started."""
    found = []
    for stat in PROC.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and b"allocsim.static_images" in (stat.parent / "cmdline").read_bytes():
                found.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):  # it ended meanwhile
            continue
    return found


def running(pid: int) -> bool:
    """Whether ``pid`` runs (an exited process not yet reaped does not)."""
    try:
        return (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] not in "ZX"
    except OSError:
        return False


@needs_proc
def test_ctrl_c_while_the_workers_start_stops_every_worker_started(monkeypatch):
    """Ctrl-C just after the first worker started: it used to interrupt the constructor, leaving a
    worker that nothing would close, to outlive the command."""
    started = []

    def start_then_ctrl_c(self):
        worker = start(self)
        started.append(worker.pid)
        signal.raise_signal(signal.SIGINT)  # what the terminal's Ctrl-C sends, here and now
        return worker

    start = ImageWorkers._start
    monkeypatch.setattr(ImageWorkers, "_start", start_then_ctrl_c)
    kept = signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a command (pytest may ignore it)
    try:
        with pytest.raises(KeyboardInterrupt):
            ImageWorkers(VL_VERSION, 2, 2)
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back as it was
    finally:
        signal.signal(signal.SIGINT, kept)
    assert not any(running(pid) for pid in started)
    assert len(started) == 2  # held back until the constructor's processes and threads had started


@needs_proc
def test_a_feeder_thread_that_cannot_start_leaves_no_worker(monkeypatch):
    """Each worker is tracked before the next starts: had all started first, those after the failed
    thread would have been lost."""
    started, start_thread = [], threading.Thread.start

    def second_fails(thread):
        if thread.name == "images-1":
            raise RuntimeError("can't start new thread")
        start_thread(thread)

    start = ImageWorkers._start
    monkeypatch.setattr(ImageWorkers, "_start", lambda self: started.append(start(self)) or started[-1])
    monkeypatch.setattr(threading.Thread, "start", second_fails)
    with pytest.raises(RuntimeError, match="can't start new thread"):
        ImageWorkers(VL_VERSION, 2, 3)
    assert len(started) == 2 and not any(running(w.pid) for w in started)


@needs_proc
def test_workers_a_command_left_open_are_stopped_before_it_exits():
    """Workers started and never closed (the command was interrupted before it could hold on to them):
    without the exit hook, each would outlive the command while its converter starts."""
    script = ("import sys; from allocsim.static_images import ImageWorkers; "
              "workers = ImageWorkers(sys.argv[1], 2, 2); print(*(w.pid for w in workers._workers))")
    done = subprocess.run([sys.executable, "-c", script, VL_VERSION], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": static_images.ROOT})
    assert done.returncode == 0, done.stderr
    pids = [int(pid) for pid in done.stdout.split()]
    assert len(pids) == 2 and not any(running(pid) for pid in pids)


def report_with_workers(tmp_path) -> tuple[subprocess.Popen, list[int]]:
    """``allocsim report`` started in a process group of its own (as a shell starts a command),
    once its image workers have started."""
    # Ctrl-C reaches a terminal's command with SIGINT handled; a test run started in the background
    # (``pytest &``) ignores SIGINT, and an ignored signal stays ignored in the processes it starts.
    ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    kept = signal.signal(signal.SIGINT, signal.default_int_handler) if ignored else None
    try:
        command = subprocess.Popen([sys.executable, "-m", "allocsim", "report", "luf-2021-published",
                                    "health-inclusive", "--out", str(tmp_path / "report")],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, process_group=0)
    finally:
        if ignored:
            signal.signal(signal.SIGINT, kept)
    deadline = time.monotonic() + 120
    while not children(command.pid) and command.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)  # the others start right after the first
    return command, children(command.pid)


@needs_proc
def test_ctrl_c_stops_the_report_and_its_workers(tmp_path):
    command, workers = report_with_workers(tmp_path)
    assert workers, "no image worker started"
    os.killpg(command.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's command
    _, stderr = command.communicate(timeout=60)
    assert command.returncode == 1
    assert stderr.decode().split() == ["Error:", "aborted"]  # no traceback, from the command or a worker
    assert not any(running(w) for w in workers)
    assert not (tmp_path / "report").exists()


@needs_proc
def test_a_killed_report_leaves_no_worker(tmp_path):
    command, workers = report_with_workers(tmp_path)
    assert workers, "no image worker started"
    command.kill()
    command.communicate(timeout=60)
    deadline = time.monotonic() + 30  # a worker still starting its converter ends when it has
    while any(running(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(running(w) for w in workers)


class NeedsTwo(Exception):
    """Pickles, but does not unpickle: its arguments are not what its constructor takes."""

    def __init__(self, first, second):
        super().__init__(first)


def test_a_workers_answer_always_unpickles_in_the_command(monkeypatch):
    """An error that would not unpickle used to pass for a dead worker, so every later chart was drawn in
    the command's own process."""
    import copyreg
    import pickle

    # Importing dask.distributed (other tests in this process may have) has tblib register every exception class
    # then defined with copyreg, to be rebuilt whatever its constructor takes: NeedsTwo would then unpickle.
    monkeypatch.delitem(copyreg.dispatch_table, NeedsTwo, raising=False)

    assert pickle.loads(static_images.answer_bytes((True, (b"<svg/>", b"png")))) == (True, (b"<svg/>", b"png"))
    for error in (NeedsTwo("bad", "spec"), ValueError(lambda: None)):
        ok, sent = pickle.loads(static_images.answer_bytes((False, error)))
        assert not ok and isinstance(sent, RuntimeError) and repr(error) == str(sent)
    ok, sent = pickle.loads(static_images.answer_bytes((False, ValueError("conversion failed"))))
    assert type(sent) is ValueError and str(sent) == "conversion failed"
