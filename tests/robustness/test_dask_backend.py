"""The Dask backend gives exactly the local result for the same seed."""

from __future__ import annotations

import sys

import pandas as pd
import pytest

from allocsim import sensitivity
from allocsim.errors import ParameterError
from allocsim.robustness.dask_backend import _tree_sum as _real_tree_sum


@pytest.mark.filterwarnings("ignore:Couldn't detect a suitable IP address")  # no network in tests
@pytest.mark.parametrize("direct", [True, False], ids=["fetched-from-workers", "through-the-scheduler"])
def test_two_dask_workers_match_the_local_run(dataset, monkeypatch, direct):
    distributed = pytest.importorskip("dask.distributed", reason="dask is not installed (allocsim[dask])")
    import allocsim.robustness.dask_backend as dask_backend

    asked, fetched = [], []
    monkeypatch.setattr(dask_backend, "fetch_directly",
                        lambda scheduler, workers, folders: asked.append(list(workers)) or direct)
    gather = distributed.Client.gather
    monkeypatch.setattr(distributed.Client, "gather", lambda self, futures, *args, direct=None, **kwargs:
                        fetched.append(direct) or gather(self, futures, *args, direct=direct, **kwargs))
    local = sensitivity("health-inclusive", dataset, draws=5000, seed=9)
    with distributed.LocalCluster(n_workers=2, processes=False, dashboard_address=None) as cluster:
        remote = sensitivity("health-inclusive", dataset, draws=5000, seed=9, backend="dask",
                             scheduler=cluster.scheduler_address)
    assert len(asked) == 1 and len(asked[0]) == 2  # asked once, about both workers
    assert fetched and set(fetched) == {direct}  # and every tally fetched as it said
    pd.testing.assert_frame_equal(local.table, remote.table)
    pd.testing.assert_frame_equal(local.indices, remote.indices)
    pd.testing.assert_frame_equal(local.leave_one_out, remote.leave_one_out)
    assert local.summary == remote.summary


@pytest.mark.filterwarnings("ignore:Couldn't detect a suitable IP address")
def test_tallies_added_on_the_workers_and_in_a_tree_match_the_local_run(dataset, monkeypatch):
    """Six worker threads: more tallies than the client fetches, so they are added where they lie, then
    in a tree (the client fetching one, so that the tree has levels to add)."""
    distributed = pytest.importorskip("dask.distributed", reason="dask is not installed (allocsim[dask])")
    import allocsim.robustness.dask_backend as dask_backend

    added = []
    monkeypatch.setattr(dask_backend, "GATHERED", 1)
    monkeypatch.setattr(dask_backend, "_tree_sum", lambda client, shared, futures: added.append(len(futures)) or
                        _real_tree_sum(client, shared, futures))
    local = sensitivity("health-inclusive", dataset, draws=20_000, seed=4)
    with distributed.LocalCluster(n_workers=3, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        remote = sensitivity("health-inclusive", dataset, draws=20_000, seed=4, backend="dask",
                             scheduler=cluster.scheduler_address)
    assert added and added[0] > 1  # several workers' tallies went into the tree
    pd.testing.assert_frame_equal(local.table, remote.table)
    pd.testing.assert_frame_equal(local.indices, remote.indices)
    assert local.summary == remote.summary


def test_missing_dask_is_a_clear_error(monkeypatch, toy_data, toy_rule):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # import fails as if not installed
    with pytest.raises(ParameterError) as error:
        sensitivity(toy_rule, toy_data, draws=10, backend="dask")
    assert str(error.value) == ("--backend dask: dask is not installed; install it with: "
                                "pip install 'allocsim[dask]'")


def test_worker_tasks_compute_inside_reused_heap_and_pack_outside_it(monkeypatch, dataset):
    """Both kinds of task (simulating chunks, adding tallies) run in the block; what they return is packed
    after it, so that it gets memory of its own."""
    from contextlib import contextmanager

    import allocsim.robustness.dask_backend as dask_backend
    from allocsim.robustness.model import build_model, plan
    from allocsim.robustness.tally import PackedTally
    from allocsim.rules.load import load_rule

    events = []

    @contextmanager
    def recorded():
        events.append("enter")
        yield
        events.append("leave")

    packed_of = PackedTally.of
    monkeypatch.setattr(dask_backend, "reused_heap", recorded)
    monkeypatch.setattr(PackedTally, "of", classmethod(lambda cls, tally: events.append("pack") or packed_of(tally)))
    model = build_model(load_rule("health-inclusive"), dataset, 0.2)[0]
    one = dask_backend._simulate(model, plan(50, model.chunk_size, 1))
    both = dask_backend._add(model, one, one)
    assert events == ["enter", "leave", "pack"] * 2
    assert isinstance(both, PackedTally) and both.draws == 2 * one.draws == 100


def _unread():
    raise AssertionError("the workers' folders are read only for a cluster on loopback addresses")


@pytest.mark.parametrize(("scheduler", "workers", "direct"), [
    ("tcp://10.0.0.5:8786", ["tcp://10.0.0.5:40001", "tcp://10.0.0.5:40002"], True),
    ("tls://10.0.0.5:8786", ["tls://10.0.0.5:40001"], True),
    ("tcp://[2001:db8::5]:8786", ["tcp://[2001:db8::5]:40001"], True),
    ("tcp://10.0.0.5:8786", ["tcp://10.0.0.5:40001", "tcp://10.0.0.6:40002"], False),  # one on another machine
    ("tcp://127.0.0.1:8786", ["tcp://10.0.0.5:40001"], False),  # a tunnel to a scheduler elsewhere
    ("tcp://10.0.0.5:8786", [], False),  # none yet: those that join may be anywhere
    ("inproc://192.0.2.2/4242/1", ["inproc://192.0.2.2/4242/4"], True),  # workers in the client's process
    ("inproc://192.0.2.2/4242/1", ["inproc://192.0.2.2/4343/4"], False),
    ("ws://10.0.0.5:8786", ["ws://10.0.0.5:40001"], False),  # other protocols: through the scheduler
    ("tcp://10.0.0.5:8786", ["no address"], False),
])
def test_tallies_are_fetched_from_the_workers_only_where_the_client_reaches_them(scheduler, workers, direct):
    pytest.importorskip("dask.distributed", reason="dask is not installed (allocsim[dask])")
    from allocsim.robustness.dask_backend import fetch_directly

    assert fetch_directly(scheduler, workers, _unread) is direct


@pytest.mark.parametrize(("scheduler", "workers"), [
    ("tcp://localhost:8786", ["tcp://127.0.0.1:40001", "tcp://[::1]:40002"]),  # loopback, however written
    ("tcp://127.0.0.2:8786", ["tcp://[0:0:0:0:0:0:0:1]:40001"]),
])
def test_a_cluster_on_loopback_addresses_is_fetched_from_only_when_it_is_on_this_machine(tmp_path, scheduler,
                                                                                           workers):
    """Workers on loopback addresses are on the scheduler's machine, which may be at the end of a tunnel
    (``ssh -L 8786:localhost:8786``): the client would dial its own loopback. A worker's scratch folder that
    exists here tells that the cluster is on this machine."""
    pytest.importorskip("dask.distributed", reason="dask is not installed (allocsim[dask])")
    from allocsim.robustness.dask_backend import fetch_directly

    assert fetch_directly(scheduler, workers, lambda: ["", str(tmp_path)]) is True
    assert fetch_directly(scheduler, workers, lambda: [str(tmp_path / "worker-elsewhere"), ""]) is False
    assert fetch_directly(scheduler, workers, lambda: []) is False


@pytest.mark.filterwarnings("ignore:Couldn't detect a suitable IP address")
def test_allocsims_own_cluster_runs_its_workers_without_the_profiler():
    """The profiler feeds the dashboard, which allocsim's own cluster does not have; a cluster started with Dask's
    defaults has it, so that this test can fail."""
    distributed = pytest.importorskip("dask.distributed", reason="dask is not installed (allocsim[dask])")
    from allocsim.robustness.dask_backend import local_cluster

    def profiled(cluster) -> list[bool]:
        with distributed.Client(cluster) as client:
            return list(client.run(lambda dask_worker: "profile" in dask_worker.periodic_callbacks).values())

    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
        assert profiled(cluster) == [True]
    with local_cluster(n_workers=2, processes=False) as cluster:
        assert profiled(cluster) == [False, False]


@pytest.mark.filterwarnings("ignore:Couldn't detect a suitable IP address")
def test_a_run_without_a_scheduler_starts_allocsims_own_cluster(monkeypatch, toy_data, toy_rule):
    """backend="dask" with no --scheduler goes through local_cluster (no profiler), not a default LocalCluster."""
    pytest.importorskip("dask.distributed", reason="dask is not installed (allocsim[dask])")
    from allocsim.robustness import dask_backend

    started = []
    own = dask_backend.local_cluster

    def recorded(**options):
        started.append(options)
        return own(n_workers=1, processes=False, **options)

    monkeypatch.setattr(dask_backend, "local_cluster", recorded)
    sensitivity(toy_rule, toy_data, draws=50, backend="dask")
    assert started == [{}]
