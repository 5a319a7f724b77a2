"""Recorded outputs stay byte-identical while the code is restructured (see tests/golden/runs.py).

Retire or re-record a run (``python tests/golden/runs.py``) only with a change that alters its
outputs on purpose, and say so in the commit.
"""

from __future__ import annotations

import json

import pytest
from golden import runs

RECORDED = json.loads(runs.RECORD.read_text(encoding="utf-8"))
SAME_IMAGES = RECORDED["environment"] == runs.environment()


@pytest.mark.parametrize("name", sorted(runs.RUNS))
def test_outputs_are_byte_identical_to_the_recording(name, tmp_path):
    got = runs.run(name, tmp_path / name)
    expected = RECORDED["runs"][name]
    if not SAME_IMAGES:
        got = {k: v for k, v in got.items() if not runs.is_image(k)}
        expected = {k: v for k, v in expected.items() if not runs.is_image(k)}
    assert sorted(got) == sorted(expected)
    differ = sorted(k for k in got if got[k] != expected[k])
    assert not differ, f"{name}: these outputs changed: {differ}"
