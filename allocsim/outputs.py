"""Write results to disk: each output folder is staged and moved into place only when complete."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from allocsim.compare import Comparison
from allocsim.io import atomic_write_text, staged_dir
from allocsim.ranking import RankResult

COMPARISON_COLUMNS = ["code", "name", "country", "base_rank", "alt_rank", "rank_change",
                      "base_group", "alt_group", "group_change", "in_focus"]


def to_json(value: Any) -> str:
    """Stable, readable JSON for summaries (numpy numbers become plain numbers)."""
    return json.dumps(value, indent=2, sort_keys=False, default=_plain, ensure_ascii=False) + "\n"


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (pd.Index, set, tuple)):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def csv_text(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n", float_format="%.10g")


def rank_frame(result: RankResult) -> pd.DataFrame:
    return result.table.reset_index()


def write_rank(result: RankResult, path: Path) -> None:
    atomic_write_text(Path(path), csv_text(rank_frame(result)))


def comparison_frame(comparison: Comparison) -> pd.DataFrame:
    frame = comparison.table.reset_index()
    return frame[COMPARISON_COLUMNS + [comparison.focus]]


def write_comparison(comparison: Comparison, out: Path, extra: dict[str, str] | None = None) -> None:
    """``comparison.csv`` and ``summary.json`` (plus any ``extra`` files) into ``out``."""
    with staged_dir(Path(out)) as stage:
        (stage / "comparison.csv").write_text(csv_text(comparison_frame(comparison)), encoding="utf-8")
        (stage / "summary.json").write_text(to_json(comparison.summary), encoding="utf-8")
        for name, text in (extra or {}).items():
            (stage / name).write_text(text, encoding="utf-8")
