"""``NAME=VALUE`` overrides of fields in a data file: ``--set`` for rules, ``--param`` for parameters.

A value is read as TOML (``0.4``, ``[0.2, 0.8]``, ``"text"``), as a number when it is a decimal
TOML refuses (``.5``, ``5.``), or else taken as a bare word (``rank``). Overrides are applied to a
plain copy of the file's data, which is then validated exactly like the file.
"""

from __future__ import annotations

import copy
import re
import tomllib
from typing import Any

from allocsim.errors import AllocsimError
from allocsim.io import MAX_NESTING, too_deep

BARE_DECIMAL = re.compile(r"[+-]?(\d+\.|\.\d+)([eE][+-]?\d+)?")  # decimals TOML refuses: no digit on one side


def parse_assignment(assignment: str, option: str, example: str, error: type[AllocsimError],
                     name: str = "FIELD") -> tuple[str, Any]:
    """``"domains.health.weight=0.4"`` -> ``("domains.health.weight", 0.4)``."""
    field, sep, text = assignment.partition("=")
    if not sep or not field.strip() or not text.strip():
        raise error(f"{option} {assignment}: expected {name}=VALUE, e.g. {option} {example}")
    where = f"{option} {_shortened(field.strip())}"
    if field.count(".") >= MAX_NESTING:
        raise error(f"{where}: a field path more than {MAX_NESTING} levels deep")
    try:
        value = tomllib.loads(f"v = {text.strip()}")["v"]
    except tomllib.TOMLDecodeError:  # not TOML: a decimal TOML refuses (.5, 5.) is still a number, else text
        value = float(text) if BARE_DECIMAL.fullmatch(text.strip()) else text.strip()
    except RecursionError:  # tomllib parses nested arrays and tables recursively
        value = None
    if value is None or too_deep(value):
        raise error(f"{where}: the value nests arrays or tables more than {MAX_NESTING} levels deep")
    return field.strip(), value


def _shortened(text: str, most: int = 60) -> str:
    return text if len(text) <= most else text[: most - 3] + "..."


def set_path(raw: dict, field: str, value: Any, where: str, error: type[AllocsimError]) -> None:
    """Set ``raw[a][b][c] = value`` for ``field`` ``"a.b.c"``, creating tables on the way.

    Lists of tables (a rule's indicators) are addressed by an entry's ``column`` or position.
    ``where`` names the override in messages (e.g. ``--set indicators.x.weight=2``).
    """
    parts = field.split(".")
    target: Any = raw
    for depth, part in enumerate(parts[:-1]):
        target = _step(target, part, parts[: depth + 1], where, error)
    if isinstance(target, list):
        target[_list_index(target, parts[-1], parts, where, error)] = value
    elif isinstance(target, dict):
        target[parts[-1]] = copy.deepcopy(value)
    else:
        raise error(f"{where}: '{'.'.join(parts[:-1])}' is a value, not a table")


def _step(target: Any, part: str, walked: list[str], where: str, error: type[AllocsimError]) -> Any:
    if isinstance(target, list):
        return target[_list_index(target, part, walked, where, error)]
    if not isinstance(target, dict):
        raise error(f"{where}: '{'.'.join(walked[:-1])}' is a value, not a table")
    return target.setdefault(part, {})


def _list_index(items: list, part: str, walked: list[str], where: str, error: type[AllocsimError]) -> int:
    if part.isdigit() and int(part) < len(items):
        return int(part)
    for index, item in enumerate(items):
        if isinstance(item, dict) and item.get("column") == part:
            return index
    raise error(f"{where}: no entry '{part}' in {'.'.join(walked[:-1])}")
