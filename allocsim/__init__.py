"""allocsim: test how public money would be prioritised under different rules.

The public Python API::

    import allocsim
    data = allocsim.load_dataset()                      # GB LAD 2020 areas, indexed by code
    rule = allocsim.load_rule("health-inclusive")      # a shipped name or a path
    result = allocsim.rank(rule, data)                  # score, rank, group, contributions
    comparison = allocsim.compare("luf-2021-published", rule, data, budget=4.8e9)

Each name is imported when first used, so ``import allocsim`` (and the command line's ``--help``)
stays quick.
"""

from __future__ import annotations

import importlib

from allocsim.version import __version__

_API = {
    "AllocsimError": "allocsim.errors",
    "compare": "allocsim.comparison",
    "load_dataset": "allocsim.datasets",
    "load_rule": "allocsim.rules",
    "rank": "allocsim.ranking",
    "search": "allocsim.weight_search",
    "sensitivity": "allocsim.robustness",
    "simulate": "allocsim.money.simulation",
}

# Modules of the API reached from ``import allocsim`` alone, as README names them
# (``allocsim.explain.explain(area, base, alt, data)``).
_MODULES = {"explain": "allocsim.explain"}

__all__ = ["__version__", *_API]


def __getattr__(name: str):
    if name in _MODULES:
        return importlib.import_module(_MODULES[name])
    if name not in _API:
        raise AttributeError(f"module 'allocsim' has no attribute {name!r}")
    value = getattr(importlib.import_module(_API[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API) | set(_MODULES))
