"""Let a Dask task's large temporaries reuse freed memory, where the worker's environment stops glibc
from doing so.

Dask's nanny starts each worker with ``MALLOC_TRIM_THRESHOLD_=65536``
(``distributed.nanny.pre-spawn-environ``), so that freed memory goes back to the system. Setting
that variable also fixes glibc's mmap threshold at 128 KiB, which otherwise rises to the largest
block freed: every array above 128 KiB is then mapped afresh and faulted in page by page. A chunk
of draws at LSOA scale counts its rank histogram into a new 8.9 MB array, so a worker took 40,000
to 71,000 page faults and 0.16-0.24 s of system time where a local thread took 2,000-10,000 and
0.02-0.09 s for the same draws (4,000 draws on 33,755 areas, two workers).

While a task runs, :func:`reused_heap` raises both thresholds (``TASK_MMAP_THRESHOLD``,
``TASK_TRIM_THRESHOLD``); when the last task on the worker ends, it sets them back to the
environment's values and trims the heap (``malloc_trim(0)``), giving the memory back as the
worker's configuration asks. The environment read is the one the process started with, as glibc
read it. Nothing changes where neither variable was set (the adaptive threshold already reuses
memory) or where the C library is not glibc.
"""

from __future__ import annotations

import ctypes
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # mallopt parameters (malloc.h)
GLIBC_DEFAULT = 128 * 1024  # glibc's starting trim and mmap thresholds
TASK_MMAP_THRESHOLD = 32 * 2**20  # the ceiling of glibc's own adaptive threshold on 64-bit systems
TASK_TRIM_THRESHOLD = 2 * TASK_MMAP_THRESHOLD  # what glibc pairs with that threshold when it adapts
VARIABLES = {"MALLOC_TRIM_THRESHOLD_": M_TRIM_THRESHOLD, "MALLOC_MMAP_THRESHOLD_": M_MMAP_THRESHOLD}

_lock = threading.Lock()
_running = 0  # tasks inside reused_heap in this process
_raised = False  # whether the first of them raised the thresholds (glibc may refuse)


@contextmanager
def reused_heap(environ: Mapping[str, str] | None = None, libc=None) -> Iterator[None]:
    """Within the block, arrays up to ``TASK_MMAP_THRESHOLD`` reuse freed heap memory; see the module
    docstring. ``environ``: the environment glibc read at start (default: :func:`starting_environment`).
    Blocks on several threads share one setting, restored when the last one leaves."""
    restore = environment_thresholds(starting_environment() if environ is None else environ)
    libc = libc if libc is not None else glibc()
    if restore is None or libc is None:
        yield
        return
    global _running, _raised
    with _lock:
        if _running == 0:
            _raised = libc.mallopt(M_MMAP_THRESHOLD, TASK_MMAP_THRESHOLD) == 1
            if _raised:
                libc.mallopt(M_TRIM_THRESHOLD, TASK_TRIM_THRESHOLD)
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0 and _raised:
                for parameter, value in restore.items():  # values glibc took at start, as these are
                    libc.mallopt(parameter, value)
                libc.malloc_trim(0)
                _raised = False


def environment_thresholds(environ: Mapping[str, str]) -> dict[int, int] | None:
    """The thresholds the environment fixed (mallopt parameter -> value), glibc's default for one it left
    unset; None when it fixed neither, gave a value other than a decimal number of bytes below 2**31 (glibc
    also reads hexadecimal and octal; those are left alone, as are ``GLIBC_TUNABLES``), or fixed the mmap
    threshold at ``TASK_MMAP_THRESHOLD`` or above already."""
    if not any(name in environ for name in VARIABLES):
        return None
    values = {}
    for name, parameter in VARIABLES.items():
        text = environ.get(name, str(GLIBC_DEFAULT)).strip()
        if not (text.isascii() and text.isdigit()) or int(text) >= 2**31:
            return None
        values[parameter] = int(text)
    return values if values[M_MMAP_THRESHOLD] < TASK_MMAP_THRESHOLD else None


@cache
def starting_environment() -> Mapping[str, str]:
    """The environment this process started with, which glibc read its settings from. On Linux it comes from
    ``/proc/self/environ``: ``os.environ`` may have changed since (Dask's nanny sets its workers' variables in
    its own ``os.environ``, which under a ``LocalCluster`` is the client's). Elsewhere, ``os.environ``."""
    try:
        raw = Path("/proc/self/environ").read_bytes()
    except OSError:
        return os.environ
    pairs = (entry.split(b"=", 1) for entry in raw.split(b"\0") if b"=" in entry)
    return {os.fsdecode(name): os.fsdecode(value) for name, value in pairs}


@cache
def glibc():
    """This process's C library when it is glibc (it has ``mallopt`` and ``malloc_trim``), else None."""
    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version, libc.mallopt, libc.malloc_trim  # noqa: B018 (glibc has all three)
    except (OSError, AttributeError, TypeError):
        return None
    return libc
