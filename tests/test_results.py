"""Typed results as JSON: fields in order, nested results as objects, optional and flattened fields."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from allocsim.results import JsonResult, flattened, optional


@dataclass(frozen=True)
class Inner(JsonResult):
    share: float
    areas: int


@dataclass(frozen=True)
class Outer(JsonResult):
    column: str
    inner: Inner = flattened()
    nested: Inner | None = None
    note: str | None = optional()


def test_a_flattened_result_gives_its_fields_in_its_place():
    result = Outer("hle", Inner(0.3, np.int64(110)), Inner(0.5, 2))
    assert result.to_json() == {"column": "hle", "share": 0.3, "areas": 110, "nested": {"share": 0.5, "areas": 2}}
    assert list(result.to_json()) == ["column", "share", "areas", "nested"]  # in the flattened field's place
    assert type(result.to_json()["areas"]) is int  # numpy numbers as numbers


def test_an_optional_field_is_left_out_only_when_none():
    assert "note" in Outer("hle", Inner(0.3, 1), note="").to_json()
    assert "nested" in Outer("hle", Inner(0.3, 1)).to_json()  # None, but not optional: kept as null
