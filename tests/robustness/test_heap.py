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
    def __init__(self, refuses=()):
        self.calls, self.refuses = [], refuses  # refuses: (parameter, value) pairs mallopt returns 0 for

    def mallopt(self, parameter, value):
        self.calls.append(("mallopt", parameter, value))
        return 0 if (parameter, value) in self.refuses else 1

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


def test_a_threshold_glibc_refuses_to_raise_leaves_everything_as_it_was():
    libc = FakeLibc(refuses=[(M_MMAP_THRESHOLD, TASK_MMAP_THRESHOLD)])  # as a 32-bit glibc would
    with reused_heap(DASK_WORKER, libc):
        pass
    assert libc.calls == [("mallopt", M_MMAP_THRESHOLD, TASK_MMAP_THRESHOLD)]


@pytest.mark.parametrize("environ", [{}, {"MALLOC_TRIM_THRESHOLD_": "64k"}, {"MALLOC_TRIM_THRESHOLD_": "-1"},
                                     {"MALLOC_TRIM_THRESHOLD_": "\u00b2"}, {"MALLOC_MMAP_THRESHOLD_": str(2**31)},
                                     {"MALLOC_MMAP_THRESHOLD_": str(TASK_MMAP_THRESHOLD)}])
def test_nothing_changes_where_the_environment_fixed_no_threshold_to_raise(environ):
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


@pytest.mark.skipif(not os.path.exists("/proc/self/environ"), reason="no /proc/self/environ")
def test_the_environment_read_is_the_one_the_process_started_with():
    """Dask's nanny sets the variable in its own process's os.environ (the client's, under a LocalCluster),
    after glibc has read its settings: that must not count."""
    script = textwrap.dedent("""
        import os
        from allocsim.robustness.heap import environment_thresholds, starting_environment

        os.environ["MALLOC_MMAP_THRESHOLD_"] = "131072"
        print(environment_thresholds(starting_environment()))
    """)
    environ = {**os.environ, **DASK_WORKER}
    environ.pop("MALLOC_MMAP_THRESHOLD_", None)
    started_with = subprocess.run([sys.executable, "-c", script], env=environ, capture_output=True, text=True,
                                  check=True)
    assert started_with.stdout.strip() == str({M_TRIM_THRESHOLD: 65536, M_MMAP_THRESHOLD: GLIBC_DEFAULT})
    environ.pop("MALLOC_TRIM_THRESHOLD_")
    set_later = subprocess.run([sys.executable, "-c", script], env=environ, capture_output=True, text=True,
                               check=True)
    assert set_later.stdout.strip() == "None"


MAPPED_FOR_AN_ARRAY = textwrap.dedent("""
    import ctypes
    import os
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

    mapped_for_an_array()  # glibc's adaptive threshold, where it has one, rises past 8 MiB here
    os.environ.update(MALLOC_TRIM_THRESHOLD_="65536")  # as Dask's nanny does in its own process: too late
    outside = mapped_for_an_array()
    with reused_heap():
        inside = mapped_for_an_array()
    print(outside, inside, mapped_for_an_array())
""")


@pytest.mark.skipif(heap.glibc() is None or not hasattr(heap.glibc(), "mallinfo2"),
                    reason="the C library is not glibc 2.33 or later")
def test_under_dasks_setting_a_large_array_is_mapped_afresh_outside_the_block_only():
    """In a process started as Dask starts a worker, an 8 MiB array is a memory mapping of its own
    outside the block (glibc counts it in ``hblkhd``), and comes from the heap inside it."""
    environ = {**os.environ, **DASK_WORKER}
    result = subprocess.run([sys.executable, "-c", MAPPED_FOR_AN_ARRAY], env=environ, capture_output=True,
                            text=True, check=True)
    outside, inside, after = map(int, result.stdout.split())
    assert outside >= 2**23 and after >= 2**23  # mapped afresh, before the block and after it
    assert inside == 0  # from the heap


@pytest.mark.skipif(heap.glibc() is None or not hasattr(heap.glibc(), "mallinfo2"),
                    reason="the C library is not glibc 2.33 or later")
def test_a_process_started_without_the_setting_keeps_glibcs_adaptive_threshold():
    environ = {name: value for name, value in os.environ.items() if name not in heap.VARIABLES}
    result = subprocess.run([sys.executable, "-c", MAPPED_FOR_AN_ARRAY], env=environ, capture_output=True,
                            text=True, check=True)
    assert list(map(int, result.stdout.split())) == [0, 0, 0]  # from the heap throughout, the block included
