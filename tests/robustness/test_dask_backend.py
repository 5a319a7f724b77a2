"""The Dask backend gives exactly the local result for the same seed."""

from __future__ import annotations

import sys

import pandas as pd
import pytest

from allocsim import sensitivity
from allocsim.errors import ParameterError


@pytest.mark.filterwarnings("ignore:Couldn't detect a suitable IP address")  # no network in tests
def test_two_dask_workers_match_the_local_run(dataset):
    distributed = pytest.importorskip("dask.distributed", reason="dask is not installed (allocsim[dask])")
    local = sensitivity("health-inclusive", dataset, draws=5000, seed=9)
    with distributed.LocalCluster(n_workers=2, processes=False, dashboard_address=None) as cluster:
        remote = sensitivity("health-inclusive", dataset, draws=5000, seed=9, backend="dask",
                             scheduler=cluster.scheduler_address)
    pd.testing.assert_frame_equal(local.table, remote.table)
    pd.testing.assert_frame_equal(local.indices, remote.indices)
    pd.testing.assert_frame_equal(local.leave_one_out, remote.leave_one_out)
    assert local.summary == remote.summary


@pytest.mark.filterwarnings("ignore:Couldn't detect a suitable IP address")
def test_tallies_added_on_the_workers_and_in_a_tree_match_the_local_run(dataset):
    """Six worker threads: more tallies than the client fetches, so they are added where they lie."""
    distributed = pytest.importorskip("dask.distributed", reason="dask is not installed (allocsim[dask])")
    local = sensitivity("health-inclusive", dataset, draws=20_000, seed=4)
    with distributed.LocalCluster(n_workers=3, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        remote = sensitivity("health-inclusive", dataset, draws=20_000, seed=4, backend="dask",
                             scheduler=cluster.scheduler_address)
    pd.testing.assert_frame_equal(local.table, remote.table)
    pd.testing.assert_frame_equal(local.indices, remote.indices)
    assert local.summary == remote.summary


def test_missing_dask_is_a_clear_error(monkeypatch, toy_data, toy_rule):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # import fails as if not installed
    with pytest.raises(ParameterError) as error:
        sensitivity(toy_rule, toy_data, draws=10, backend="dask")
    assert str(error.value) == ("--backend dask: dask is not installed; install it with: "
                                "pip install 'allocsim[dask]'")
