"""Typed results as JSON: fields in order, nested results as objects, optional and flattened fields."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

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
    assert "note" not in Outer("hle", Inner(0.3, 1)).to_json()
    assert Outer("hle", Inner(0.3, 1), note="").to_json()["note"] == ""
    assert Outer("hle", Inner(0.3, 1)).to_json()["nested"] is None  # None, but not optional: kept as null


@dataclass(frozen=True)
class Clashing(JsonResult):
    areas: int
    inner: Inner = flattened()


def test_a_flattened_field_named_as_its_parents_is_refused():
    with pytest.raises(ValueError, match="two fields named alike"):
        Clashing(3, Inner(0.3, 1)).to_json()
