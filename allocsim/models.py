"""The base of every data-file model (rules, parameters): frozen, and unknown keys refused."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class FieldProblem(ValueError):
    """A model-level check failed at a known field path (pydantic keeps it in the error's ctx)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path


class Strict(BaseModel):
    """The pydantic base of every rule and parameter model: frozen, and an unknown key is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)
