"""Field-by-field differences between two rules (``allocsim rules diff``)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from allocsim.rules.schema import Rule

IDENTITY = {"name", "title", "description", "sources"}


def flatten_rule(rule: Rule) -> dict[str, Any]:
    """Dotted paths to leaf values; indicators are keyed by column, so order does not matter. An indicator's
    winsorising percentiles are left out unless it is winsorised (the default pair is otherwise unused)."""
    raw = rule.model_dump(mode="json")
    raw["indicators"] = {i.pop("column"): i for i in raw["indicators"]}
    for indicator in raw["indicators"].values():
        if indicator.get("transform") != "winsorise":
            indicator.pop("winsorise_percentiles", None)
    flat: dict[str, Any] = {}
    _walk(raw, "", flat)
    for column, weight in (rule.effective_weights().items() if rule.kind == "index" else []):
        flat[f"effective_weight.{column}"] = round(weight, 6)
    return flat


def _walk(value: Any, prefix: str, flat: dict[str, Any]) -> None:
    if isinstance(value, dict) and value:
        for key, item in value.items():
            _walk(item, f"{prefix}.{key}" if prefix else key, flat)
    else:
        flat[prefix] = value


def diff_rules(a: Rule, b: Rule, include_identity: bool = False) -> pd.DataFrame:
    """One row per field that differs: ``field``, value in ``a``, value in ``b`` (blank if absent)."""
    left, right = flatten_rule(a), flatten_rule(b)
    label_a, label_b = (a.name, b.name) if a.name != b.name else ("a", "b")
    rows = []
    for field in sorted(set(left) | set(right)):
        if not include_identity and field.split(".")[0] in IDENTITY:
            continue
        if left.get(field, "<absent>") != right.get(field, "<absent>"):
            rows.append({"field": field, label_a: _show(left.get(field, "—")), label_b: _show(right.get(field, "—"))})
    return pd.DataFrame(rows, columns=["field", label_a, label_b])


def documentation_differences(a: Rule, b: Rule) -> list[str]:
    """The identity fields (name, title, description, sources) that differ, which ``diff_rules``
    leaves out unless asked."""
    fields = diff_rules(a, b, include_identity=True)["field"]
    return sorted({f.split(".")[0] for f in fields} & IDENTITY)


def _show(value: Any) -> str:
    """A field's value in the table: lists joined, an unset field "(not set)" (a field absent from the rule
    is "—")."""
    if value is None:
        return "(not set)"
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
