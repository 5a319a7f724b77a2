"""Hypothesis-generated TOML fed to the rule loader: a valid rule or an allocsim error, nothing else."""

from __future__ import annotations

import json

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from toys import make_toy_data

from allocsim.errors import AllocsimError
from allocsim.ranking import rank
from allocsim.rules.load import parse_rule

TOY = make_toy_data(n=9, seed=3)

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KEYS = ["name", "title", "description", "sources", "kind", "column", "countries", "indicators", "domains",
        "normalisation", "normalisation_scope", "aggregation", "missing", "categories", "no_downgrade_from",
        "weight", "direction", "shares", "thresholds", "scope", "transform", "winsorise_percentiles", "domain"]
WORDS = ["zscore", "minmax", "rank", "distance_to_best", "pooled", "per_country", "arithmetic", "geometric",
         "reweight", "error", "impute_median", "higher_is_more_need", "lower_is_more_need", "England", "Wales",
         "log", "winsorise", "published", "index", "gva_per_hour", "x"]

scalars = st.one_of(st.sampled_from(WORDS), st.text(max_size=8), st.booleans(),
                    st.integers(-10**20, 10**20), st.floats())  # NaN and infinities included
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)), max_leaves=12)


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value != value:
        return "nan"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else "-inf"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


VALID = {"name": "ok", "title": "T", "description": "D", "sources": ["s"],
         "indicators": [{"column": "gva_per_hour", "direction": "lower_is_more_need"}],
         "categories": {"shares": [0.5, 0.5]}}


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(KEYS), values, max_size=5), drop=st.sets(st.sampled_from(list(VALID))))
def test_mutated_rules_load_or_raise_an_allocsim_error(changes, drop):
    raw = {k: v for k, v in {**VALID, **changes}.items() if k not in drop}
    text = "\n".join(f"{k} = {toml_value(v)}" for k, v in raw.items())
    _load_or_error(text)


@FUZZ
@given(text=st.text(max_size=200))
def test_arbitrary_text_loads_or_raises_an_allocsim_error(text):
    _load_or_error(text)


def _load_or_error(text: str) -> None:
    """Loading gives a rule or one allocsim error; a rule that loads then ranks toy data or
    refuses it with an allocsim error, and its scores are finite."""
    try:
        rule = parse_rule(text, "fuzz.toml")
    except AllocsimError as error:
        assert str(error).startswith("fuzz.toml: ")
        return
    try:
        result = rank(rule, TOY)
    except AllocsimError:
        event("valid rule refused by the data")
        return
    event("valid rule ranked")
    scores = result.table["score"]
    assert rule.kind == "published" or np.isfinite(scores.to_numpy(dtype=float)).all()
    assert result.table["group"].between(1, 10).all()


odd_numbers = st.one_of(st.floats(), st.integers(-5, 10**7), st.sampled_from([0, 1e-300, 1e6, 1e308]))
plausible = st.fixed_dictionaries({
    "normalisation": st.sampled_from(["zscore", "minmax", "rank", "distance_to_best"]),
    "normalisation_scope": st.sampled_from(["pooled", "per_country"]),
    "aggregation": st.sampled_from(["arithmetic", "geometric"]),
    "missing": st.sampled_from(["error", "impute_median", "reweight"]),
    "indicators": st.lists(st.fixed_dictionaries({
        "column": st.sampled_from(["gva_per_hour", "unemployment_rate", "hle_male_2011_13", "imd2019_rank"]),
        "direction": st.sampled_from(["higher_is_more_need", "lower_is_more_need"]),
        "weight": st.one_of(st.floats(0.1, 5), odd_numbers),
        "transform": st.sampled_from(["none", "log", "winsorise"]),
    }), min_size=1, max_size=3),
    "categories": st.one_of(
        st.fixed_dictionaries({"shares": st.one_of(
            st.lists(st.integers(1, 5), min_size=2, max_size=4).map(lambda xs: [x / sum(xs) for x in xs]),
            st.lists(st.floats(0, 1), min_size=1, max_size=4)),
            "scope": st.sampled_from(["pooled", "per_country"])}),
        st.fixed_dictionaries({"thresholds": st.lists(odd_numbers, min_size=1, max_size=3)})),
})


@FUZZ
@given(parts=plausible)
def test_plausible_rules_with_odd_values_rank_or_raise_an_allocsim_error(parts):
    raw = {**{k: v for k, v in VALID.items() if k != "indicators"}, **parts}
    lines = [f"{k} = {toml_value(v)}" for k, v in raw.items() if k not in ("indicators", "categories")]
    for indicator in raw["indicators"]:
        lines += ["[[indicators]]"] + [f"{k} = {toml_value(v)}" for k, v in indicator.items()]
    lines += ["[categories]"] + [f"{k} = {toml_value(v)}" for k, v in raw["categories"].items()]
    _load_or_error("\n".join(lines))
