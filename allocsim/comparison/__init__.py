"""Compare rules: the per-area table, statistics, and with a budget the money and modelled health."""

from allocsim.comparison.compare_rules import Comparison, compare, compare_results, with_money
from allocsim.comparison.focus import DEFAULT_FOCUS, DEFAULT_FOCUS_SHARE
from allocsim.comparison.money import MoneyComparison

__all__ = ["DEFAULT_FOCUS", "DEFAULT_FOCUS_SHARE", "Comparison", "MoneyComparison", "compare", "compare_results",
           "with_money"]
