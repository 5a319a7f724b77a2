"""Parameters of the money and health models, in one place: the cited and ranged value models,
the allocation and health-return file models, and loading them with ``--param`` overrides."""

from allocsim.parameters.allocation import AllocationParameters, Competitive, Formula
from allocsim.parameters.cited import Cited, Ranged, Value
from allocsim.parameters.health import HealthParameters
from allocsim.parameters.load import PARAMETER_FILES, load_parameters, parse_param

__all__ = ["PARAMETER_FILES", "AllocationParameters", "Cited", "Competitive", "Formula", "HealthParameters",
           "Ranged", "Value", "load_parameters", "parse_param"]
