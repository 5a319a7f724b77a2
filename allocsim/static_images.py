"""Static chart images (SVG, and a PNG rasterised from it) drawn by vl-convert in worker processes.

vl-convert has one converter per process, so one process draws one SVG at a time; a report's
charts are drawn side by side by a few worker processes instead. This module imports only the
standard library and vl_convert, so a worker starts in about half a second (most of it the
converter's own start, done while the parent still computes the report) and never imports
altair, pandas or the report package.

A worker is ``python -c`` running :func:`serve`, started (never forked: a fork of a process in
which vl-convert's threads run can hang) in a session of its own, so that Ctrl-C reaches only the
command, which stops it. It reads pickled jobs on its stdin and answers on its stdout, and exits
when its stdin closes: when the command closes it, and when the command dies, even by SIGKILL,
so it never outlives the command. Where no worker can start, or one dies, :class:`ImageWorkers`
draws in the command's own process instead (the same bytes).

Fonts: a converter draws with vl-convert's bundled Liberation Sans only (:func:`start_converter`).
With the system's fonts it would read the font file afresh for every glyph of every text it
measures or draws (an ``open`` and an ``mmap`` each time: tens of thousands per chart, and most of
a report's time in the kernel), and the images would depend on which fonts the machine has.
"""

from __future__ import annotations

import atexit
import os
import pickle
import queue
import re
import signal
import subprocess
import sys
import threading
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path

import vl_convert as vlc

LOCAL_THREADS = 2  # drawing in this process (no worker processes): two threads, one converter between them
MAX_WORKERS = 4  # each holds a converter (a JavaScript runtime) in memory; a report has about 15 charts
STOP_WAIT = 10  # seconds: a worker's start and one chart take about half a second
ROOT = str(Path(__file__).resolve().parents[1])  # where this allocsim is imported from, for the workers
SERVE = ("import sys; sys.path.insert(0, sys.argv[1]); from allocsim.static_images import serve; "
         "serve(sys.argv[2], float(sys.argv[3]))")


def stable_svg(svg: str) -> str:
    """Renumber the SVG's gradient and clip ids from 0, so the same chart gives the same bytes.

    Vega numbers them with a counter that lives as long as the converter process.
    """
    numbers: dict[str, str] = {}

    def renumber(match: re.Match) -> str:
        kind = match.group(1)
        key = match.group(0)
        if key not in numbers:
            numbers[key] = f"{kind}_{sum(k.startswith(kind) for k in numbers)}"
        return numbers[key]

    return re.sub(r"\b(gradient|clip|pattern)_?(\d+)\b", renumber, svg)


def draw(spec: dict, vl_version: str, scale: float) -> tuple[bytes, bytes]:
    """The static SVG and PNG (``scale`` times the SVG's size) of one Vega-Lite chart spec, drawn in
    this process: the PNG is rasterised from the SVG (the same bytes as vl-convert's own PNG of the
    spec, which would draw the chart again)."""
    start_converter(vl_version)
    svg = stable_svg(vlc.vegalite_to_svg(spec, vl_version=vl_version))
    return svg.encode("utf-8"), vlc.svg_to_png(svg, scale=scale)


# a chart with text (its axis labels), so that starting the converter also loads its fonts
FIRST_CHART = {"data": {"values": [{"a": 1}]}, "mark": "point",
               "encoding": {"x": {"field": "a", "type": "quantitative"}}}
FONTS_CONFIG = Path(__file__).with_name("bundled_fonts_only.conf")  # its only font folder does not exist
_start = threading.Lock()
_fonts_loaded = False  # whether this process's converter has drawn its first chart here


def start_converter(vl_version: str) -> None:
    """Start this process's converter (about half a second, once per process) with vl-convert's
    bundled fonts only, before the first chart.

    vl-convert loads its fonts once, at its first text: the system's fonts, as fontconfig lists
    them, then its bundled Liberation Sans. That first text is drawn here with ``FONTCONFIG_FILE``
    naming :data:`FONTS_CONFIG`, whose only font folder does not exist, and the environment is
    restored after. Nothing is written, so this cannot fail where no temporary folder is usable;
    where the file is missing or unreadable, vl-convert reads the system's fonts as before (slower,
    and the images depend on them). So do converters that drew text before in this process, and
    those on systems without fontconfig (macOS, Windows)."""
    global _fonts_loaded
    with _start:
        if not _fonts_loaded:
            with _bundled_fonts_only():
                vlc.vegalite_to_svg(FIRST_CHART, vl_version=vl_version)
            _fonts_loaded = True


@contextmanager
def _bundled_fonts_only():
    """``FONTCONFIG_FILE`` naming :data:`FONTS_CONFIG` while the block runs."""
    kept = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = str(FONTS_CONFIG)
    try:
        yield
    finally:
        if kept is None:
            del os.environ["FONTCONFIG_FILE"]
        else:
            os.environ["FONTCONFIG_FILE"] = kept


def serve(vl_version: str, scale: float) -> None:
    """A worker's loop: draw each spec read from stdin, answer ``(True, (svg, png))`` or ``(False,
    error)`` on stdout; return at the end of stdin (or when the command stops reading)."""
    jobs, answers = sys.stdin.buffer, sys.stdout.buffer
    start_converter(vl_version)
    while True:
        try:
            spec = pickle.load(jobs)
        except EOFError:
            return
        try:
            answer = (True, draw(spec, vl_version, scale))
        except Exception as error:  # noqa: BLE001 - sent to the command, which raises it
            answer = (False, error)
        answers.write(answer_bytes(answer))
        answers.flush()


def answer_bytes(answer: tuple[bool, object]) -> bytes:
    """``answer`` pickled, or, where it does not pickle or would not unpickle (an exception class needing
    other arguments), ``(False, RuntimeError(repr(error)))``: the command always reads an answer."""
    try:
        data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(data)
    except Exception:  # noqa: BLE001 - whatever the error's class does, the command gets one it can read
        data = pickle.dumps((False, RuntimeError(repr(answer[1]))), protocol=pickle.HIGHEST_PROTOCOL)
    return data


class WorkerLost(Exception):
    """A worker process stopped answering (it could not start, or it died)."""


class ImageWorkers:
    """Draws chart specs in ``processes`` worker processes, started at once (so that their start
    overlaps whatever the command does next); each is fed by a thread of this process, and charts
    go to whichever worker is free. ``processes`` 0, or workers that cannot start, draw on those
    threads in this process instead. :meth:`close` stops the workers; a Ctrl-C while they start is raised
    once each is tracked, and stops them, and those that a command leaves open are closed as it exits."""

    def __init__(self, vl_version: str, scale: float, processes: int):
        self.vl_version, self.scale = vl_version, scale
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._futures: list[Future] = []
        self._closed = False
        self._local = threading.Event()  # set once a thread draws in this process
        self._workers: list[subprocess.Popen] = []
        self._feeders: list[threading.Thread] = []  # those started
        _open.add(self)
        try:
            with _ctrl_c_held():  # a Ctrl-C while processes and threads start is raised once each is tracked
                for _ in range(processes if processes > 0 else LOCAL_THREADS):
                    worker = self._start() if processes > 0 else None
                    if worker is not None:
                        self._workers.append(worker)
                    feeder = threading.Thread(target=self._feed, args=(worker,), daemon=True,
                                              name=f"images-{len(self._feeders)}")
                    feeder.start()
                    self._feeders.append(feeder)
        except BaseException:
            self.close()
            raise

    def _start(self) -> subprocess.Popen | None:
        try:
            return subprocess.Popen([sys.executable, "-c", SERVE, ROOT, self.vl_version, repr(self.scale)],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    start_new_session=True)
        except (OSError, ValueError):  # e.g. no interpreter to run, or processes not allowed
            return None

    def submit(self, spec: dict) -> Future:
        """Start drawing ``spec``; the future's result is ``(svg, png)``."""
        if self._closed:
            raise RuntimeError("the image workers are closed")
        future: Future = Future()
        self._futures.append(future)
        self._jobs.put((future, spec))
        return future

    @property
    def drawn_here(self) -> bool:
        """Whether any chart (or the converter's warm-up) was drawn in this process."""
        return self._local.is_set()

    def _feed(self, worker: subprocess.Popen | None) -> None:
        try:
            if worker is None:
                self._draw_here_from_now()
            while (job := self._jobs.get()) is not None:
                future, spec = job
                if future.set_running_or_notify_cancel():
                    worker = self._run(worker, future, spec)
        finally:
            if worker is not None:
                _stop(worker)

    def _run(self, worker: subprocess.Popen | None, future: Future, spec: dict) -> subprocess.Popen | None:
        """Draw one job (on ``worker``, or here if it is None or lost); the worker to use next."""
        try:
            if worker is not None:
                try:
                    ok, value = _ask(worker, spec)
                except WorkerLost:
                    _stop(worker, kill=True)
                    worker = None
                    if self._closed:
                        raise
                    self._draw_here_from_now()
            if worker is None:
                ok, value = True, draw(spec, self.vl_version, self.scale)
        except BaseException as error:  # noqa: BLE001 - handed to whoever waits for the chart
            future.set_exception(error)
        else:
            (future.set_result if ok else future.set_exception)(value)
        return worker

    def _draw_here_from_now(self) -> None:
        if not self._local.is_set():
            self._local.set()
            start_converter(self.vl_version)

    def close(self, at_once: bool = False) -> None:
        """Stop the workers: when they have read the end of their input if every chart asked for
        is drawn, else (or ``at_once``) at once: the command failed or was interrupted."""
        self._closed = True
        finished = not at_once and bool(self._futures) and all(f.done() for f in self._futures)
        for future in self._futures:
            future.cancel()
        for _ in self._feeders:
            self._jobs.put(None)
        if not finished:
            for worker in self._workers:
                worker.kill()
            for worker in self._workers:  # gone before the command is: a worker idle when killed had no feeder
                worker.wait()             # waiting on it, and could outlive the command for a moment
        for feeder in self._feeders:
            feeder.join()
        _open.discard(self)


_open: set[ImageWorkers] = set()  # those not yet closed


@atexit.register
def _close_left_open() -> None:
    """Close the workers that a command left open: it was interrupted after they started and before it
    could hold on to them, so that no worker outlives the command."""
    for workers in list(_open):
        try:
            workers.close(at_once=True)
        except Exception:  # noqa: BLE001 - the others' workers are still to be stopped
            continue


@contextmanager
def _ctrl_c_held():
    """Run the block with Ctrl-C (SIGINT) held back, then handled as it would have been: on the main
    thread, where Python handles signals, and where a Python function handles SIGINT; elsewhere (SIGINT
    ignored, or left to the system) the block runs as is."""
    if threading.current_thread() is not threading.main_thread() or not callable(signal.getsignal(signal.SIGINT)):
        yield
        return
    held: list[int] = []
    kept = signal.signal(signal.SIGINT, lambda number, frame: held.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, kept)
        if held:
            signal.raise_signal(signal.SIGINT)


def _ask(worker: subprocess.Popen, spec: dict) -> tuple[bool, object]:
    """Send ``spec`` to ``worker`` and read its answer."""
    job = pickle.dumps(spec, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        worker.stdin.write(job)
        worker.stdin.flush()
        return pickle.load(worker.stdout)
    except (OSError, EOFError, ValueError, pickle.UnpicklingError) as lost:  # answers always unpickle (answer_bytes)
        raise WorkerLost(f"image worker {worker.pid} stopped") from lost


def _stop(worker: subprocess.Popen, kill: bool = False) -> None:
    """End ``worker`` (closing its input ends it once it is idle; one that has not ended
    :data:`STOP_WAIT` seconds later is killed) and reap it."""
    if kill:
        worker.kill()
    for pipe in (worker.stdin, worker.stdout):
        try:
            pipe.close()
        except OSError:  # its input, unread: nothing is lost
            pass
    try:
        worker.wait(timeout=STOP_WAIT)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
