"""Every public function, class and method in ``allocsim/`` has a docstring.

Public means a module-level name that does not start with ``_``, and a method (properties included)
of such a class whose name does not start with ``_``; dunder methods are skipped. Property setters
and deleters share their property's docstring.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "allocsim"

Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


def _top_level(body: list[ast.stmt]) -> list[Definition]:
    """The definitions in ``body``, looking inside module-level ``if`` and ``try`` blocks too."""
    found: list[Definition] = []
    for node in body:
        if isinstance(node, Definition):
            found.append(node)
        elif isinstance(node, ast.If):
            found += _top_level(node.body) + _top_level(node.orelse)
        elif isinstance(node, ast.Try):
            blocks = [node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)]
            found += [d for block in blocks for d in _top_level(block)]
    return found


def _is_accessor(node: Definition) -> bool:
    """Whether ``node`` is a property's ``@x.setter`` or ``@x.deleter``."""
    return any(isinstance(d, ast.Attribute) and d.attr in ("setter", "deleter") for d in node.decorator_list)


def _missing(node: Definition, prefix: str) -> list[str]:
    """The public names at or under ``node`` that have no docstring, as dotted paths."""
    if node.name.startswith("_") or _is_accessor(node):
        return []
    name = f"{prefix}{node.name}"
    missing = [] if ast.get_docstring(node) else [f"{name} (line {node.lineno})"]
    if isinstance(node, ast.ClassDef):
        for child in _top_level(node.body):
            missing += _missing(child, f"{name}.")
    return missing


def undocumented(package: Path = PACKAGE) -> list[str]:
    """Every public function, class and method under ``package`` without a docstring, as ``path: name``."""
    missing = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        missing += [f"{relative}: {name}" for node in _top_level(tree.body) for name in _missing(node, "")]
    return missing


def test_every_public_function_class_and_method_has_a_docstring():
    missing = undocumented()
    assert not missing, f"{len(missing)} without a docstring:\n" + "\n".join(missing)


def test_the_walk_finds_a_missing_docstring(tmp_path):
    (tmp_path / "module.py").write_text(
        '"""A module."""\n'
        "def bare(): pass\n"
        "def _private(): pass\n"
        "class Thing:\n"
        "    def __init__(self): pass\n"
        "    @property\n"
        "    def size(self): return 1\n"
        "    def method(self):\n"
        '        """Documented."""\n',
        encoding="utf-8",
    )
    assert undocumented(tmp_path) == ["module.py: bare (line 2)", "module.py: Thing (line 4)",
                                      "module.py: Thing.size (line 7)"]
