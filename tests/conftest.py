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


WIDE = {"COLUMNS": "400"}  # lines are pinned whole; tests/cli/test_terminal.py checks the fitting


@pytest.fixture
def run():
    """Run the CLI as a user would, on a wide terminal; returns click's Result (stderr kept separate)."""

    def invoke(*args: str, env: dict | None = None):
        return CliRunner(env={**WIDE, **(env or {})}).invoke(cli, [str(a) for a in args], catch_exceptions=False)

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


NO_BOUNDARIES = {"type": "Topology", "objects": {"lad2020": {"type": "GeometryCollection", "geometries": []}},
                 "arcs": []}  # maps drawn on these show no area; a report on them takes a tenth of the time

XSS_NAME = "</script><script>alert(1)</script>"
XSS_CODE = "E08000016"  # Barnsley: a low-HLE area that gains priority under health-inclusive


@pytest.fixture(scope="session")
def report_dir(tmp_path_factory):
    """One whole report (published LUF list against health-inclusive) with its PNG and SVG copies,
    written by the command once per test session: the end-to-end check."""
    out = tmp_path_factory.mktemp("report") / "report"
    result = CliRunner().invoke(cli, ["report", "luf-2021-published", "health-inclusive", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def report_inputs(data, base="luf-2021-published", alt="health-inclusive", overrides=(), **options):
    """What ``allocsim report BASE ALT [--set ...]`` makes from ``data`` (the embedded dataset's path)."""
    from allocsim.paths import dataset_path
    from allocsim.report import ReportInputs
    from allocsim.rules.load import load_rule, rule_path

    return ReportInputs(base=load_rule(base), alt=load_rule(alt, overrides), data=data, data_path=dataset_path(),
                        rule_paths={"base": rule_path(base), "alt": rule_path(alt)}, overrides=tuple(overrides),
                        **options)


@pytest.fixture(scope="session")
def report_model(dataset):
    """The same report as :func:`report_dir`, computed but not drawn: for tests of what it says."""
    from allocsim.report import build

    return build(report_inputs(dataset))


@pytest.fixture(scope="session")
def report_files(report_model):
    """:func:`report_model` rendered without the static chart copies (no image conversion)."""
    from allocsim.report import render

    return render(report_model, images=False)


@pytest.fixture
def no_images(monkeypatch):
    """Commands write placeholder chart images: for tests of behaviour, not of drawing."""
    import allocsim.report.rendering as render

    monkeypatch.setattr(render, "chart_images", lambda spec: (b"<svg/>", b"\x89PNG placeholder"))


@pytest.fixture
def no_maps(monkeypatch, no_images):
    """Commands draw the maps and the weights explorer on no boundaries (every area listed as not
    drawn) and write placeholder images: for tests of behaviour, not of drawing. The boundaries
    are most of a report's time."""
    import allocsim.report.model as model

    monkeypatch.setattr(model, "load_boundaries", lambda: NO_BOUNDARIES)


def write_files(files: dict[str, bytes], folder: Path) -> Path:
    """Write a rendered report's files into ``folder``."""
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return folder


@pytest.fixture(scope="session")
def xss_report_dir(tmp_path_factory, dataset):
    """A report (its page and tables; no static images) on a copy of the dataset in which one area
    is named like a script injection. Its maps have no boundaries to draw (the name is in their data
    all the same): escaping is what it tests."""
    import allocsim.report.model as model
    from allocsim.report import build, render

    data = dataset.copy()
    data.loc[XSS_CODE, "name"] = XSS_NAME
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(model, "load_boundaries", lambda: NO_BOUNDARIES)
        files = render(build(report_inputs(data, robustness_draws=0)), images=False)
    return write_files(files, tmp_path_factory.mktemp("xss"))


SET_OVERRIDE = "domains.health.weight=0.5"  # health's share becomes 0.5 / 1.2 = 41.7%
UNMAPPED_CODE = "E06000999"  # a code with no LAD 2020 boundary


@pytest.fixture(scope="session")
def report_set_model(dataset):
    """The report with ``--set domains.health.weight=0.5`` on ALT (no robustness draws)."""
    from allocsim.report import build

    return build(report_inputs(dataset, overrides=[SET_OVERRIDE], robustness_draws=0))


@pytest.fixture(scope="session")
def report_set_dir(tmp_path_factory, report_set_model):
    """:func:`report_set_model` written to a folder (page and tables; no static images)."""
    from allocsim.report import render

    return write_files(render(report_set_model, images=False), tmp_path_factory.mktemp("set"))


@pytest.fixture(scope="session")
def unmapped_data(dataset):
    """The dataset with one more area, a copy of Blackpool under a code that has no boundary."""
    import pandas as pd

    extra = dataset.loc[["E06000009"]].rename(index={"E06000009": UNMAPPED_CODE})
    extra["name"] = "Nowhere on the map"
    return pd.concat([dataset, extra])


@pytest.fixture(scope="session")
def report_unmapped_model(unmapped_data):
    """A report on :func:`unmapped_data`, with a budget (the money charts too), no robustness draws."""
    from allocsim.report import build

    return build(report_inputs(unmapped_data, robustness_draws=0, budget="4.8e9", money_options={"draws": 50}))


@pytest.fixture(scope="session")
def report_unmapped_dir(tmp_path_factory, report_unmapped_model):
    from allocsim.report import render

    return write_files(render(report_unmapped_model, images=False), tmp_path_factory.mktemp("unmapped"))


# -- the whole suite runs offline ---------------------------------------------------------------


class NetworkBlocked(OSError):
    pass


def is_loopback(host) -> bool:
    """Exactly a loopback address (127.0.0.0/8, ::1, an IPv4-mapped 127.x) or the name "localhost";
    "localhost.invalid" or "127.0.0.1.example.com" are other hosts."""
    import ipaddress

    host = host.decode() if isinstance(host, bytes) else host
    if not isinstance(host, str):
        return False
    if host.lower() == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host.split("%")[0])  # an IPv6 scope ("::1%lo") is not part of it
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or (mapped is not None and mapped.is_loopback)


def guard(address) -> None:
    """Refuse an Internet address that is not loopback; local (AF_UNIX) paths pass."""
    if isinstance(address, tuple) and not is_loopback(address[0]):
        raise NetworkBlocked(f"network access blocked in tests: {address}")


@pytest.fixture(autouse=True, scope="session")
def no_network():
    """Make every attempt to reach a non-loopback host fail, for the whole test session.

    Connecting (``connect``, ``connect_ex``, ``create_connection``), sending to an address
    (``sendto``, ``sendmsg``: UDP needs no connection) and resolving a name (``getaddrinfo``,
    ``gethostbyname``) are all guarded. Loopback stays open because local tools talk over it (the
    Dask test cluster, the browser driver); anything that tries to reach another host fails loudly.
    """
    import socket

    cls = socket.socket
    saved = {name: getattr(cls, name) for name in ("connect", "connect_ex", "sendto", "sendmsg")}
    saved_module = {name: getattr(socket, name)
                    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex")}

    def connect(self, address):
        guard(address)
        return saved["connect"](self, address)

    def connect_ex(self, address):
        guard(address)
        return saved["connect_ex"](self, address)

    def sendto(self, data, *rest):  # sendto(data, address) or sendto(data, flags, address)
        guard(rest[-1] if rest else None)
        return saved["sendto"](self, data, *rest)

    def sendmsg(self, buffers, *rest):  # sendmsg(buffers, ancdata, flags, address)
        if len(rest) >= 3:
            guard(rest[2])
        return saved["sendmsg"](self, buffers, *rest)

    def create_connection(address, *args, **kwargs):
        guard(address)
        return saved_module["create_connection"](address, *args, **kwargs)

    def resolving(name):
        def resolve(host, *args, **kwargs):
            if host is not None and not is_loopback(host):  # None: the local (passive) address
                raise NetworkBlocked(f"network access blocked in tests: {name}({host!r})")
            return saved_module[name](host, *args, **kwargs)
        return resolve

    for name, patched in {"connect": connect, "connect_ex": connect_ex, "sendto": sendto, "sendmsg": sendmsg}.items():
        setattr(cls, name, patched)
    socket.create_connection = create_connection
    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        setattr(socket, name, resolving(name))
    yield
    for name, original in saved.items():
        setattr(cls, name, original)
    for name, original in saved_module.items():
        setattr(socket, name, original)
