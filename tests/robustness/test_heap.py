import os
import subprocess
import sys
import textwrap
import threading

import pytest

from allocsim.robustness import heap
from allocsim.robustness.heap import (
    GLIBC_DEFAULT,
    M_MMAP_THRESHOLD,
    M_TRIM_THRESHOLD,
    TASK_MMAP_THRESHOLD,
    TASK_TRIM_THRESHOLD,
    environment_thresholds,
    reused_heap,
)

DASK_WORKER = {"MALLOC_TRIM_THRESHOLD_": "65536"}  # what Dask's nanny sets in a worker's environment


class FakeLibc:
    def __init__(self):
        self.calls = []

    def mallopt(self, parameter, value):
        self.calls.append(("mallopt", parameter, value))
        return 1

    def malloc_trim(self, pad):
        self.calls.append(("malloc_trim", pad))
        return 1


RAISED = [("mallopt", M_MMAP_THRESHOLD, TASK_MMAP_THRESHOLD), ("mallopt", M_TRIM_THRESHOLD, TASK_TRIM_THRESHOLD)]


def test_a_task_raises_the_thresholds_then_restores_the_environments_and_trims():
    libc = FakeLibc()
    with reused_heap(DASK_WORKER, libc):
        assert libc.calls == RAISED
    assert libc.calls[2:] == [("mallopt", M_TRIM_THRESHOLD, 65536), ("mallopt", M_MMAP_THRESHOLD, GLIBC_DEFAULT),
                              ("malloc_trim", 0)]


def test_the_thresholds_are_restored_when_the_task_fails():
    libc = FakeLibc()
    with pytest.raises(RuntimeError), reused_heap(DASK_WORKER, libc):
        raise RuntimeError("the task failed")
    assert libc.calls[-1] == ("malloc_trim", 0) and ("mallopt", M_TRIM_THRESHOLD, 65536) in libc.calls


@pytest.mark.parametrize("environ", [{}, {"MALLOC_TRIM_THRESHOLD_": "64k"}, {"MALLOC_TRIM_THRESHOLD_": "-1"},
                                     {"MALLOC_MMAP_THRESHOLD_": str(2**31)}])
def test_nothing_changes_where_the_environment_fixed_no_threshold_glibc_would_read(environ):
    libc = FakeLibc()
    with reused_heap(environ, libc):
        pass
    assert libc.calls == []


def test_either_variable_counts_and_the_other_keeps_glibcs_default():
    assert environment_thresholds({"MALLOC_MMAP_THRESHOLD_": " 262144 "}) == {
        M_TRIM_THRESHOLD: GLIBC_DEFAULT, M_MMAP_THRESHOLD: 262144}
    assert environment_thresholds({"MALLOC_TRIM_THRESHOLD_": "0", "MALLOC_MMAP_THRESHOLD_": "131072"}) == {
        M_TRIM_THRESHOLD: 0, M_MMAP_THRESHOLD: 131072}


def test_tasks_on_several_threads_share_one_setting_restored_when_the_last_leaves():
    libc, inside, leave = FakeLibc(), threading.Barrier(3), threading.Event()

    def task():
        with reused_heap(DASK_WORKER, libc):
            inside.wait()
            leave.wait()

    threads = [threading.Thread(target=task) for _ in range(2)]
    for thread in threads:
        thread.start()
    try:
        inside.wait(timeout=10)  # both tasks inside
        calls_inside = list(libc.calls)
    finally:
        leave.set()
        for thread in threads:
            thread.join()
    assert calls_inside == RAISED
    assert [c[0] for c in libc.calls[2:]] == ["mallopt", "mallopt", "malloc_trim"]
    assert heap._running == 0


@pytest.mark.skipif(heap.glibc() is None or not hasattr(heap.glibc(), "mallinfo2"),
                    reason="the C library is not glibc 2.33 or later")
def test_under_dasks_setting_a_large_array_is_mapped_afresh_outside_the_block_only():
    """In a process started as Dask starts a worker, an 8 MiB array is a memory mapping of its own
    outside the block (glibc counts it in ``hblkhd``), and comes from the heap inside it."""
    script = textwrap.dedent("""
        import ctypes
        import numpy as np
        from allocsim.robustness.heap import glibc, reused_heap

        class Mallinfo2(ctypes.Structure):
            _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd",
                                                             "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

        libc = glibc()
        libc.mallinfo2.restype = Mallinfo2

        def mapped_for_an_array():
            before = libc.mallinfo2().hblkhd
            array = np.ones(2**20)  # 8 MiB
            return libc.mallinfo2().hblkhd - before

        outside = mapped_for_an_array()
        with reused_heap():
            inside = mapped_for_an_array()
        print(outside, inside, mapped_for_an_array())
    """)
    environ = {**os.environ, **DASK_WORKER}
    result = subprocess.run([sys.executable, "-c", script], env=environ, capture_output=True, text=True, check=True)
    outside, inside, after = map(int, result.stdout.split())
    assert outside >= 2**23 and after >= 2**23  # mapped afresh, before the block and after it
    assert inside == 0  # from the heap
