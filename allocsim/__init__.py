"""allocsim: test how public money would be prioritised under different rules.

The public Python API::

    import allocsim
    data = allocsim.load_dataset()                   # GB LAD 2020 areas, indexed by code
"""

__version__ = "0.1.0"

from allocsim.datasets import load_dataset  # noqa: E402
from allocsim.errors import AllocsimError  # noqa: E402

__all__ = ["AllocsimError", "__version__", "load_dataset"]
