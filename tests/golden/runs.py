"""The recorded runs that guard behaviour while the code is restructured (issue 11).

Each run is an allocsim command on a frozen copy of the embedded dataset (so later changes to
the dataset do not touch it) with fixed seeds. ``python tests/golden/runs.py`` records the
SHA-256 of every file each run writes, and of what it prints, in ``outputs.json``;
``tests/test_golden.py`` runs them again and compares. Images are compared only where the
packages that draw them are the versions that recorded them (they are drawn with vl-convert's
bundled fonts, so the system's fonts do not change them).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from click.testing import CliRunner

HERE = Path(__file__).resolve().parent
DATA = HERE / "gb_local_authorities_2020.csv"
RECORD = HERE / "outputs.json"
IMAGE_PACKAGES = ("vl-convert-python", "altair")
VOLATILE_MANIFEST_KEYS = ("created", "packages", "python")

RUNS: dict[str, list[str]] = {
    "readme_main": ["compare", "luf-2021-published", "health-inclusive", "--budget", "4.8e9", "--out", "{out}"],
    "compare_competitive": ["compare", "luf-2021-published", "health-inclusive", "--budget", "4.8e9",
                            "--mechanism", "competitive", "--draws", "300", "--seed", "3", "--out", "{out}"],
    "simulate_formula": ["simulate", "health-inclusive", "--budget", "4.8e9", "--out", "{out}"],
    "simulate_competitive": ["simulate", "luf-2021-published", "--budget", "4.8e9", "--mechanism", "competitive",
                             "--draws", "300", "--seed", "1", "--out", "{out}"],
    "rank_health_inclusive": ["rank", "health-inclusive", "--out", "{out}/ranked.csv"],
    "rank_luf": ["rank", "luf-2021", "--out", "{out}/ranked.csv"],
    "rank_lu_need": ["rank", "lu-need-2022", "--out", "{out}/ranked.csv"],
    "sensitivity": ["sensitivity", "health-inclusive", "--draws", "3000", "--seed", "2", "--out", "{out}"],
    "sensitivity_luf": ["sensitivity", "luf-2021", "--draws", "1500", "--seed", "5", "--spread", "0.3",
                        "--out", "{out}"],
    "search": ["search", "health-inclusive", "--vary", "health", "--target", "focus_in_group1_share>=0.75",
               "--out", "{out}/frontier.csv"],
    "report": ["report", "luf-2021-published", "health-inclusive", "--budget", "4.8e9", "--out", "{out}/report"],
}


def environment() -> dict[str, str]:
    return {name: metadata.version(name) for name in IMAGE_PACKAGES}


def run(name: str, out: Path) -> dict[str, str]:
    """Run one recorded command into ``out``; SHA-256 of its stdout and of every file it wrote."""
    from allocsim.cli import cli

    out.mkdir(parents=True, exist_ok=True)
    args = [a.format(out=out) for a in RUNS[name]] + ["--data", str(DATA)]
    result = CliRunner(env={"COLUMNS": "120"}).invoke(cli, args, catch_exceptions=False)  # as recorded: the width
    # of no terminal (what it prints is fitted to COLUMNS, else to the terminal pytest runs in)
    if result.exit_code != 0:
        raise AssertionError(f"{name}: exit {result.exit_code}: {result.output}")
    hashes = {"stdout": _sha(result.stdout.replace(str(out), "{out}").encode())}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        relative = path.relative_to(out).as_posix()
        hashes[relative] = _sha(_stable(path))
    return hashes


def _stable(path: Path) -> bytes:
    if path.name != "manifest.json":
        return path.read_bytes()
    manifest = json.loads(path.read_text(encoding="utf-8"))
    for key in VOLATILE_MANIFEST_KEYS:
        manifest.pop(key, None)
    manifest["inputs"]["dataset"]["path"] = re.sub(r".*/tests/golden/", "tests/golden/",
                                                   manifest["inputs"]["dataset"]["path"])
    manifest["command"] = manifest["command"].replace(str(DATA), "DATA")
    return json.dumps(manifest, sort_keys=True).encode()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_image(name: str) -> bool:
    return name.endswith((".png", ".svg"))


def main(out_root: str) -> None:
    recorded = {"environment": environment(),
                "runs": {name: run(name, Path(out_root) / name) for name in RUNS}}
    RECORD.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"recorded {len(RUNS)} runs in {RECORD}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(Path(tempfile.gettempdir()) / "allocsim-golden"))
