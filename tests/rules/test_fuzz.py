"""Hypothesis-generated TOML fed to the rule loader: a valid rule or an allocsim error, nothing else."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allocsim.errors import AllocsimError
from allocsim.rules.load import parse_rule
from allocsim.rules.schema import Rule

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KEYS = ["name", "title", "description", "sources", "kind", "column", "countries", "indicators", "domains",
        "normalisation", "normalisation_scope", "aggregation", "missing", "categories", "no_downgrade_from",
        "weight", "direction", "shares", "thresholds", "scope", "transform", "winsorise_percentiles", "domain"]
WORDS = ["zscore", "minmax", "rank", "distance_to_best", "pooled", "per_country", "arithmetic", "geometric",
         "reweight", "error", "impute_median", "higher_is_more_need", "lower_is_more_need", "England", "Wales",
         "log", "winsorise", "published", "index", "gva_per_hour", "x"]

scalars = st.one_of(st.sampled_from(WORDS), st.text(max_size=8), st.booleans(),
                    st.integers(-10**20, 10**20), st.floats(allow_nan=False, allow_infinity=False))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)), max_leaves=12)


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if not isinstance(value, float) or value == value else "nan"
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
    try:
        rule = parse_rule(text, "fuzz.toml")
    except AllocsimError as error:
        message = str(error)
        assert message.startswith("fuzz.toml: ") and "\n" not in message.strip("\n") or "TOML" in message
        return
    assert isinstance(rule, Rule)
