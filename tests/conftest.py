"""Shared fixtures: the embedded dataset, the raw sources (when present), a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from toys import make_toy_data, make_toy_rule

import allocsim
from allocsim.cli import cli

REPO = Path(__file__).resolve().parents[1]
RAW = REPO.parent / "shared" / "data" / "raw"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    if not RAW.is_dir():
        pytest.skip(f"raw public data not present at {RAW} (only CI and developers have ../shared)")
    return RAW


@pytest.fixture(scope="session")
def dataset():
    return allocsim.load_dataset()


@pytest.fixture
def run():
    """Run the CLI as a user would; returns click's Result (stderr kept separate)."""

    def invoke(*args: str):
        return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


@pytest.fixture
def write_csv(tmp_path):
    """Write text to a CSV file in a temporary folder and return its path."""

    def write(text: str, name: str = "areas.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write



@pytest.fixture
def toy_data():
    return make_toy_data()


@pytest.fixture
def toy_rule():
    return make_toy_rule()


XSS_NAME = "</script><script>alert(1)</script>"
XSS_CODE = "E08000016"  # Barnsley: a low-HLE area that gains priority under health-inclusive


@pytest.fixture(scope="session")
def report_dir(tmp_path_factory):
    """One report (published LUF list against health-inclusive), built once per test session."""
    out = tmp_path_factory.mktemp("report") / "report"
    result = CliRunner().invoke(cli, ["report", "luf-2021-published", "health-inclusive", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def xss_report_dir(tmp_path_factory, dataset):
    """A report on a copy of the dataset in which one area is named like a script injection."""
    folder = tmp_path_factory.mktemp("xss")
    data = dataset.copy()
    data.loc[XSS_CODE, "name"] = XSS_NAME
    csv = folder / "areas.csv"
    data.reset_index().to_csv(csv, index=False)
    out = folder / "report"
    result = CliRunner().invoke(cli, ["report", "luf-2021-published", "health-inclusive", "--data", str(csv),
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


# -- the whole suite runs offline ---------------------------------------------------------------

LOOPBACK = ("127.", "::1", "localhost")


class NetworkBlocked(OSError):
    pass


@pytest.fixture(autouse=True, scope="session")
def no_network():
    """Make every connection to a non-loopback address fail, for the whole test session.

    Loopback stays open because local tools talk over it (the Dask test cluster, the browser
    driver); anything that tries to reach another host fails loudly.
    """
    import socket

    original = socket.socket.connect, socket.socket.connect_ex, socket.create_connection

    def guard(address):
        host = address[0] if isinstance(address, tuple) else str(address)
        if isinstance(address, tuple) and not str(host).startswith(LOOPBACK):
            raise NetworkBlocked(f"network access blocked in tests: {address}")

    def connect(self, address):
        guard(address)
        return original[0](self, address)

    def connect_ex(self, address):
        guard(address)
        return original[1](self, address)

    def create_connection(address, *args, **kwargs):
        guard(address)
        return original[2](address, *args, **kwargs)

    socket.socket.connect, socket.socket.connect_ex, socket.create_connection = connect, connect_ex, create_connection
    yield
    socket.socket.connect, socket.socket.connect_ex, socket.create_connection = original
