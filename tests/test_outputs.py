"""What the output writers guarantee whatever they are given."""

import numpy as np
import pandas as pd
from toys import strict_json

from allocsim.outputs import to_json


def test_a_summary_writes_a_number_that_is_not_finite_as_null():
    """JSON has no NaN or infinity: written bare, strict readers refuse the whole file."""
    value = {"auc": float("nan"), "ratio": np.float64(np.inf), "rows": [{"p": -np.inf, "n": np.int64(3)}],
             "index": pd.Index([1.5, np.nan]), "array": np.array([[np.nan, 2.0]]), "fine": 0.25}
    assert strict_json(to_json(value)) == {
        "auc": None, "ratio": None, "rows": [{"p": None, "n": 3}], "index": [1.5, None], "array": [[None, 2.0]],
        "fine": 0.25}
