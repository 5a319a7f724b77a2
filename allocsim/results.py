"""Typed results: frozen dataclasses that say what a result holds, with one ``to_json()`` each.

Every ``summary.json`` the tool writes is a :class:`JsonResult` turned into JSON: its fields in
order, under their own names, nested results as objects. A field marked ``skip_none`` is left
out when it is None (where a key exists only in some runs, such as ``money`` without a budget); one
made with :func:`flattened` puts its own fields in its parent's object, where it stands.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np


def optional(default: Any = None) -> Any:
    """A field left out of the JSON when it is None."""
    return field(default=default, metadata={"skip_none": True})


def flattened() -> Any:
    """A nested result whose fields the JSON holds in its parent's object, in its place, rather than under
    its own name (a summary that adds figures to a result it holds)."""
    return field(metadata={"flatten": True})


class JsonResult:
    """Mixin for dataclass results: :meth:`to_json` gives their JSON form."""

    def to_json(self) -> dict:
        """The result as JSON holds it: each field in order under its own name, nested results as objects,
        numpy numbers as numbers; a field made with :func:`optional` is left out when it is None, and one made
        with :func:`flattened` gives its own fields in its place."""
        pairs = []
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if value is None and f.metadata.get("skip_none"):
                continue
            pairs += plain(value).items() if f.metadata.get("flatten") else [(f.name, plain(value))]
        out = dict(pairs)
        if len(out) < len(pairs):  # a flattened result's field named as one of its parent's: a programming error
            raise ValueError(f"{type(self).__name__}: two fields named alike in its JSON")
        return out


def plain(value: Any) -> Any:
    """``value`` as JSON holds it: results and dataclasses as objects, numpy numbers as numbers."""
    if isinstance(value, JsonResult):
        return value.to_json()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


@dataclass(frozen=True)
class Interval(JsonResult):
    """A Monte Carlo result: the median and the 5th and 95th percentiles over the draws
    (None where undefined)."""

    median: float | None
    p05: float | None
    p95: float | None
