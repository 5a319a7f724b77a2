"""Write a rule as TOML that :func:`allocsim.rules.load.parse_rule` reads back as the same rule.

Only what differs from the schema's defaults is written (as ``--set`` does it), top-level values
first, then the tables (``[domains.NAME]``, ``[categories]``) and the ``[[indicators]]``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from allocsim.rules.schema import BARE_KEY, Rule

LINE = 100  # a longer array is written one item a line


def rule_toml(rule: Rule, literal: Mapping[str, str] | None = None) -> str:
    """``rule`` as TOML text. ``literal`` maps a field's dotted path (``domains.health.weight``) to
    text written in place of its value as it is (a placeholder a page fills in, say)."""
    raw = rule.model_dump(mode="json", exclude_defaults=True)
    return "\n".join(_table(raw, [], dict(literal or {}))).strip() + "\n"


def _table(table: dict, path: list[str], literal: dict[str, str]) -> list[str]:
    lines = []
    for key, value in table.items():
        if not _is_table(value) and not _is_table_list(value):
            lines.append(f"{_key(key)} = {literal.get('.'.join([*path, key])) or toml_value(value)}")
    for key, value in table.items():
        if _is_table(value):
            if all(_is_table(v) for v in value.values()) and value:  # e.g. domains: one table per name
                lines += _table(value, [*path, key], literal)
                continue
            lines += ["", f"[{'.'.join(_key(p) for p in [*path, key])}]", *_table(value, [*path, key], literal)]
    for key, value in table.items():
        if _is_table_list(value):
            for index, item in enumerate(value):
                header = f"[[{'.'.join(_key(p) for p in [*path, key])}]]"
                lines += ["", header, *_table(item, [*path, key, str(index)], literal)]
    return lines


def _is_table(value: Any) -> bool:
    return isinstance(value, dict)


def _is_table_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _key(key: str) -> str:
    return key if BARE_KEY.fullmatch(key) else _string(key)


def toml_value(value: Any) -> str:
    """A value as TOML (a long array one item a line)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"TOML has no {value}; a rule's numbers are finite")
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (list, tuple)):
        items = [toml_value(v) for v in value]
        one_line = "[" + ", ".join(items) + "]"
        return one_line if len(one_line) <= LINE else "[\n" + "".join(f"    {item},\n" for item in items) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _string(text: str) -> str:
    """A multi-line literal string where the text allows one (no ''' and no control characters but
    newlines and tabs), else a basic string: JSON's escapes are all valid in TOML."""
    plain = not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text) and "'''" not in text and not text.endswith("'")
    if "\n" in text and plain:
        return "'''\n" + text + "'''"
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")
