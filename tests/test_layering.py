"""The package's structure: no module over 400 lines, and no import cycle, lazy imports included.

Every ``import`` and ``from ... import`` of an allocsim module anywhere in a module (at the top or
inside a function) is an edge of the graph, and so is each name the top-level package imports
lazily (its ``_API`` table) and each command module the command line imports when used (its
``COMMANDS`` table); a package's ``__init__`` counts as the package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "allocsim"
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str) -> set[str]:
    """The allocsim modules ``name`` imports, anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[name].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    if name == "allocsim":  # the public API, imported on first use
        found |= set(_table("allocsim", "_API").values())
    if name == "allocsim.cli":  # the commands, imported when used
        found |= {where.partition(":")[0] for where, _ in _table("allocsim.cli", "COMMANDS").values()}
    return {m for m in found if m in MODULES and m != name}


def _table(module: str, name: str) -> dict:
    """The literal assigned to ``name`` at the top of ``module``."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    return next(ast.literal_eval(node.value) for node in tree.body
                if (isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == name)
                or (isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == name))


def test_the_lazily_imported_modules_exist():
    assert set(_table("allocsim", "_API").values()) <= set(MODULES)
    assert {where.partition(":")[0] for where, _ in _table("allocsim.cli", "COMMANDS").values()} <= set(MODULES)


def cycle_from(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    """A path of imports from ``start`` back to itself, if there is one."""
    stack, seen = [(start, [start])], set()
    while stack:
        node, path = stack.pop()
        for nxt in sorted(graph[node]):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def test_there_is_no_import_cycle_lazy_imports_included():
    graph = {name: imports(name) for name in MODULES}
    cycles = [cycle for name in MODULES if (cycle := cycle_from(name, graph))]
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles[:5])


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_400_lines(name):
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{MODULES[name].relative_to(PACKAGE.parent)} has {lines} lines"
