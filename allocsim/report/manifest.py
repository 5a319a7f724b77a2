"""The report's manifest: versions, input hashes, options and the command that reruns it."""

from __future__ import annotations

import hashlib
import platform
from datetime import datetime, timezone
from importlib import metadata as importlib_metadata
from pathlib import Path

import altair as alt

from allocsim.comparison import MoneyComparison
from allocsim.datasets import display_path as dataset_display_path
from allocsim.money.settings import budget_pence
from allocsim.parameters.load import parameter_path
from allocsim.reality.actual import Actual
from allocsim.report.inputs import ReportInputs
from allocsim.rules.load import display_path
from allocsim.version import __version__

PACKAGES = ["numpy", "pandas", "scikit-learn", "scipy", "altair", "vl-convert-python", "pydantic", "click", "jinja2"]


def manifest(inputs: ReportInputs, money: MoneyComparison | None = None, actual: Actual | None = None) -> dict:
    """What the report's ``manifest.json`` records: allocsim's and its packages' versions, each input
    file with its SHA-256 (dataset, rules, every rule of a chain in order under ``inputs.chain``,
    parameter files), the options (``budget`` in pounds, 2020-21 prices, or ``"actual"`` with the
    total it stands for as ``budget_gbp``), the seed, the command that reruns it, and when."""
    every_rule = [{"name": rule.name, "path": display_path(Path(path)), "sha256": sha256(path)}
                  for rule, path in zip(inputs.rules, inputs.paths)]  # each file read once
    parameters = {}
    if money is not None:
        parameters = {kind: {"path": path, "sha256": sha256(parameter_path(path))}
                      for kind, path in money.summary.parameter_files.items()}
    return {
        "allocsim": __version__,
        "python": platform.python_version(),
        "packages": {name: _version(name) for name in PACKAGES},
        "vega_lite": alt.SCHEMA_VERSION,
        "inputs": {
            "dataset": {"path": dataset_display_path(inputs.data_path), "sha256": sha256(inputs.data_path)},
            "rules": {"base": every_rule[0], "alt": every_rule[-1]},
            "overrides": list(inputs.overrides),
            "parameters": parameters,
            **({"chain": every_rule} if inputs.middle else {}),
        },
        "options": {"countries": inputs.countries, "focus": inputs.focus, "focus_share": inputs.focus_share,
                    "focus_end": inputs.focus_end,
                    "budget": _budget(inputs.budget, actual),
                    **{k: _json_option(v) for k, v in inputs.money_options.items()},
                    "robustness_draws": inputs.robustness_draws, "spread": inputs.spread,
                    **({"budget_gbp": round(actual.total_gbp, 2)} if actual is not None else {})},
        "seed": inputs.seed,
        "command": inputs.command,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def _budget(budget, actual: Actual | None):
    if actual is not None:
        return "actual"
    return None if budget is None else budget_pence(budget) / 100


def _json_option(value):
    """An option value as JSON has it: paths as text, repeated options as lists, numbers as numbers."""
    if isinstance(value, (list, tuple)):
        return [_json_option(v) for v in value]
    return str(value) if isinstance(value, Path) else value


def sha256(path: Path) -> str:
    """The SHA-256 of the file at ``path``, as hex."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _version(package: str) -> str | None:
    try:
        return importlib_metadata.version(package)
    except importlib_metadata.PackageNotFoundError:
        return None
