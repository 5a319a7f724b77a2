"""Where the shipped rules and the embedded dataset live.

In a source checkout (or an editable install) they are the repository's top-level ``rules/``
and ``datasets/`` folders; a wheel carries copies under ``allocsim/_data/``.
"""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped_dir(name: str) -> Path:
    """The folder holding the shipped ``rules`` or ``datasets``."""
    packaged = _PACKAGE / "_data" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / name


def rules_dir() -> Path:
    """The folder of shipped rules: the repository's ``rules/``, or the wheel's copy under
    ``allocsim/_data/``."""
    return shipped_dir("rules")


def datasets_dir() -> Path:
    """The folder of shipped datasets: the repository's ``datasets/``, or the wheel's copy under
    ``allocsim/_data/``."""
    return shipped_dir("datasets")


DATASET_NAME = "gb_local_authorities_2020"
BOUNDARIES_NAME = "lad2020_boundaries.topo.json"


def dataset_path() -> Path:
    """The embedded dataset's CSV (``gb_local_authorities_2020.csv``) in :func:`datasets_dir`; its metadata
    sits beside it (:func:`metadata_path_for`)."""
    return datasets_dir() / f"{DATASET_NAME}.csv"


def metadata_path_for(csv_path: Path) -> Path:
    """The metadata file that sits beside a dataset CSV (``x.csv`` -> ``x.meta.json``)."""
    return csv_path.with_suffix(".meta.json")


def boundaries_path() -> Path:
    """The simplified LAD 2020 boundaries for maps (``lad2020_boundaries.topo.json``, TopoJSON) in
    :func:`datasets_dir`."""
    return datasets_dir() / BOUNDARIES_NAME


DEFLATOR_NAME = "gdp_deflator"


def deflator_path() -> Path:
    """The GDP deflator table by financial year (``gdp_deflator.csv``) in :func:`datasets_dir`."""
    return datasets_dir() / f"{DEFLATOR_NAME}.csv"
