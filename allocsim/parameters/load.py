"""Read a parameter file (the shipped one or a user's), apply ``--param NAME=VALUE``, validate."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from allocsim.errors import ParameterError
from allocsim.io import parse_toml, read_user_text
from allocsim.overrides import parse_assignment, set_path
from allocsim.paths import rules_dir
from allocsim.rules.load import describe_validation_error

PARAMETER_FILES = {"allocation": "allocation.toml", "health": "health-return.toml"}
Model = TypeVar("Model", bound=BaseModel)


def load_parameters(model: type[Model], given, kind: str,
                    overrides: Iterable[str] = ()) -> tuple[Model, str, str]:
    """A validated parameter model from the shipped file for ``kind``, the user's file at
    ``given``, or a ``given`` model, with ``NAME=VALUE`` overrides applied; then the file's name
    and how messages name the result (the file with its overrides)."""
    if isinstance(given, model):
        params, source = given, f"{kind} parameters given in Python"
    else:
        path = Path(given) if given is not None else rules_dir() / "parameters" / PARAMETER_FILES[kind]
        source = display(path)
        params = _validated(model, _read_toml(path, source), source)
    overrides = list(overrides)
    if not overrides:
        return params, source, source
    raw = params.model_dump()
    for assignment in overrides:
        name, value = parse_param(assignment)
        set_path(raw, name, value, f"--param {assignment}", ParameterError)
    described = f"{source} with --param {' --param '.join(overrides)}"
    return _validated(model, raw, described), source, described


def display(path: Path) -> str:
    """How messages name a parameter file: shipped ones as ``rules/parameters/<file>``."""
    shipped = rules_dir() / "parameters"
    return f"rules/parameters/{path.name}" if path.resolve().parent == shipped.resolve() else str(path)


def parameter_path(shown: str) -> Path:
    """The file behind a name from :func:`display`."""
    path = Path(shown)
    return path if path.is_file() else rules_dir().parent / shown


def _read_toml(path: Path, source: str) -> dict:
    return parse_toml(read_user_text(path, "parameter", ParameterError, source), source, ParameterError)


def _validated(model: type[Model], raw: dict, source: str) -> Model:
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        raise ParameterError(f"{source}: {describe_validation_error(error)}") from None


def parse_param(assignment: str) -> tuple[str, Any]:
    """``"cost_per_qaly.central=5000"`` -> ``("cost_per_qaly.central", 5000)``; values are TOML,
    a bare word is text."""
    return parse_assignment(assignment, "--param", "cost_per_qaly.central=4000", ParameterError, name="NAME")
