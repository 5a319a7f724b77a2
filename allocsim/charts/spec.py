"""A chart as a Vega-Lite spec (a dict), fast even when it carries map boundaries.

Altair converts a chart by walking every value it holds, inline data included, and validates the
result against the Vega-Lite schema. The LAD 2020 boundaries are hundreds of thousands of numbers,
so a map's ``to_dict()`` took seconds, almost all of it on the boundaries. Here each boundary
topology is swapped for a small stand-in while Altair converts and validates the chart (the rest
of the spec is validated as usual), and put back into the spec afterwards under the name Altair
itself would have given it (``data-`` and the first 32 hex digits of the SHA-256 of its sorted
JSON), so the spec is the same, byte for byte, as ``chart.to_dict()``.

A chart's layers often share one DataFrame; Altair converts it to records once per layer, then
keeps one copy. :func:`chart_spec` converts each DataFrame once (:func:`converted_once`).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import altair as alt
from altair.utils.schemapi import SchemaBase, debug_mode

from allocsim.charts.theme import theme

STAND_IN_MARK = "allocsim_topology_stand_in"
ONCE = "allocsim_converted_once"
_REGISTRY = threading.RLock()  # one converted_once block at a time: the registry is the process's


@contextmanager
def unchecked() -> Iterator[None]:
    """Compose charts without Altair validating each part as it is made (its "debug mode"), which
    converts and checks every part again at each step; :func:`chart_spec` validates the whole spec
    once at the end, so a bad chart is still refused, only later."""
    with debug_mode(False):
        yield


@contextmanager
def converted_once() -> Iterator[None]:
    """Altair's active data transformer, run once per data object (a DataFrame shared by a chart's
    layers) while the block runs, each object held until the end so that no other takes its id.

    Altair keeps its transformers in one registry for the whole process, and its ``enable``
    restores the registry's state on leaving; blocks in two threads at once would restore each
    other's, so they take turns. Where the active transformer is "vegafusion", whose name Altair
    checks, nothing is changed."""
    if alt.data_transformers.active == "vegafusion":
        yield
        return
    with _REGISTRY:
        active = alt.data_transformers.get()
        converted: dict[int, tuple[Any, Any]] = {}

        def once(data: Any, **kwargs: Any) -> Any:
            if id(data) not in converted:
                converted[id(data)] = (data, active(data, **kwargs))
            return converted[id(data)][1]

        alt.data_transformers.register(ONCE, once)
        try:
            with alt.data_transformers.enable(ONCE):
                yield
        finally:
            alt.data_transformers.register(ONCE, None)


def is_topology(values: Any) -> bool:
    """Whether ``values`` (an inline dataset) is a TopoJSON topology."""
    return isinstance(values, dict) and values.get("type") == "Topology"


def dataset_name(values: Any) -> str:
    """The name Altair gives an inline dataset when it gathers them under ``datasets``."""
    text = json.dumps(values, sort_keys=True, default=str)
    return "data-" + hashlib.sha256(text.encode()).hexdigest()[:32]


def chart_spec(chart: alt.TopLevelMixin, validate: bool = True) -> dict:
    """The spec of ``chart`` in the allocsim theme, ``styled(chart).to_dict(validate=validate)``,
    with every boundary topology kept out of Altair's conversion and validation (see the module's
    note). The theme is set on ``chart`` itself while it converts (a copy of a compound chart
    copies its every part again), then its own config is put back: ``chart`` is left as it was."""
    topologies: list[dict] = []
    swapped: list[tuple[dict, str, Any]] = []
    _swap(chart, topologies, swapped)
    swapped.append((chart._kwds, "config", chart._kwds.get("config", alt.Undefined)))
    chart._kwds["config"] = theme()
    try:
        with converted_once():
            spec = chart.to_dict(validate=validate)
    finally:
        for kwds, key, original in reversed(swapped):
            kwds[key] = original
    return _put_back(spec, topologies) if topologies else spec


def _swap(node: Any, topologies: list[dict], swapped: list) -> None:
    """Replace (in place, noting each) every inline topology under ``node`` with a numbered stand-in."""
    if isinstance(node, list):
        for item in node:
            _swap(item, topologies, swapped)
        return
    if not isinstance(node, SchemaBase):
        return
    for key, value in list(node._kwds.items()):
        if isinstance(value, alt.InlineData) and is_topology(value.values):
            number = next((i for i, t in enumerate(topologies) if t is value.values), None)
            if number is None:
                topologies.append(value.values)
                number = len(topologies) - 1
            swapped.append((node._kwds, key, value))
            node._kwds[key] = alt.InlineData(values={"type": "Topology", "objects": {}, "arcs": [],
                                                     STAND_IN_MARK: number}, format=value.format)
        elif not isinstance(value, alt.InlineData):
            _swap(value, topologies, swapped)


def _put_back(spec: dict, topologies: list[dict]) -> dict:
    """The spec with each stand-in dataset replaced by its topology, renamed as Altair names it."""
    renamed: dict[str, str] = {}
    datasets = {}
    for name, values in spec.get("datasets", {}).items():
        if is_topology(values) and STAND_IN_MARK in values:
            topology = topologies[values[STAND_IN_MARK]]
            renamed[name] = dataset_name(topology)
            datasets[renamed[name]] = topology
        else:
            datasets[name] = values
    spec["datasets"] = datasets
    return _rename(spec, renamed)


def _rename(node: Any, renamed: dict[str, str]) -> Any:
    """``node`` with every data reference ``{"name": stand-in}`` pointing at the renamed dataset."""
    if isinstance(node, dict):
        return {k: (renamed.get(v, v) if k == "name" and isinstance(v, str)
                    else v if k == "datasets" else _rename(v, renamed)) for k, v in node.items()}
    if isinstance(node, list):
        return [_rename(v, renamed) for v in node]
    return node
