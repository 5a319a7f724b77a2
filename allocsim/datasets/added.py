"""What a build step beyond the plain indicators hands back: columns, their metadata, its report."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class AddedColumns:
    """New columns indexed by area code (in output order), one metadata entry per column (with
    ``source`` a key, or list of keys, of :data:`allocsim.datasets.sources.SOURCES`), the
    reconciliation lines the build prints, and entries for the metadata file's top level."""

    values: pd.DataFrame
    meta: dict[str, dict]
    report: list[str]
    top_level: dict = field(default_factory=dict)
