"""The aggregation registry: each method's browser expression scores as its numpy steps do."""

from __future__ import annotations

import math

import numpy as np
import pytest

from allocsim.methods.aggregations import AGGREGATIONS
from allocsim.methods.normalisers import NORMALISERS


@pytest.mark.parametrize("name", sorted(AGGREGATIONS))
def test_the_vega_expression_matches_the_numpy_steps(name):
    aggregation = AGGREGATIONS[name]
    values, weights = [0.2, 1.5, 0.0], [0.5, 0.2, 0.3]
    expression = aggregation.vega_score([str(v) for v in values], [str(w) for w in weights])
    python = expression.replace("log(", "math.log(").replace("exp(", "math.exp(")
    expected = aggregation.finish(np.dot(weights, aggregation.transform(np.array(values))) / sum(weights))
    assert eval(python, {"math": math, "max": max}) == pytest.approx(float(expected))


def test_geometric_needs_non_negative_values_and_zscore_is_the_one_method_that_can_go_negative():
    assert AGGREGATIONS["geometric"].needs_nonnegative and not AGGREGATIONS["arithmetic"].needs_nonnegative
    assert [n for n, m in NORMALISERS.items() if not m.nonnegative] == ["zscore"]
