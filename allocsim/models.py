"""The base of every data-file model (rules, parameters): frozen, and unknown keys refused."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

# A number in a rule or parameter file (or a --set / --param value) must be written as one: pydantic
# would otherwise read true as 1 and the text "0.5" as 0.5. Whole numbers are numbers; the checks of
# range are each field's own.
Number = Annotated[float, Field(strict=True)]
WholeNumber = Annotated[int, Field(strict=True)]


class FieldProblem(ValueError):
    """A model-level check failed at a known field path (pydantic keeps it in the error's ctx)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path


def every_problem(model: str, problems: list[FieldProblem]) -> ValidationError:
    """Several model-level problems as one pydantic error with a line each, so that a check across fields
    reports every problem it finds (``rules validate`` lists them), not only the first."""
    errors = [InitErrorDetails(type=PydanticCustomError("value_error", "{message}", {"message": str(problem)}),
                               loc=tuple(problem.path.split(".")), input=None) for problem in problems]
    return ValidationError.from_exception_data(model, errors)


class Strict(BaseModel):
    """The pydantic base of every rule and parameter model: frozen, and an unknown key is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)
