"""Prioritisation rules as data: the schema, loading, overrides and comparison of rule files."""

from allocsim.rules.load import apply_overrides, list_rules, load_rule
from allocsim.rules.schema import Rule

__all__ = ["Rule", "apply_overrides", "list_rules", "load_rule"]
