"""allocsim: test how public money would be prioritised under different rules.

The public Python API::

    import allocsim
    data = allocsim.load_dataset()                      # GB LAD 2020 areas, indexed by code
    rule = allocsim.load_rule("health-inclusive")      # a shipped name or a path
    result = allocsim.rank(rule, data)                  # score, rank, group, contributions
    comparison = allocsim.compare("luf-2021-published", rule, data)
"""

__version__ = "0.1.0"

from allocsim.compare import compare  # noqa: E402
from allocsim.datasets import load_dataset  # noqa: E402
from allocsim.errors import AllocsimError  # noqa: E402
from allocsim.ranking import rank  # noqa: E402
from allocsim.rules import load_rule  # noqa: E402
from allocsim.sensitivity import sensitivity  # noqa: E402
from allocsim.simulate import simulate  # noqa: E402

__all__ = ["AllocsimError", "__version__", "compare", "load_dataset", "load_rule", "rank", "sensitivity", "simulate"]
