"""What the sensitivity benchmarks share, with nothing beyond numpy, pandas and allocsim: the rule,
a synthetic table at LSOA scale, and a line naming the machine."""

from __future__ import annotations

import os
import platform

import numpy as np
import pandas as pd

from allocsim.cpus import available_cpus
from allocsim.rules.load import load_rule

RULE = "health-inclusive"
LSOA_AREAS = 33_755


def lsoa_table(n: int = LSOA_AREAS, seed: int = 0) -> pd.DataFrame:
    """Synthetic English areas carrying the rule's columns, with a few gaps to reweight."""
    rng = np.random.default_rng(seed)
    rule = load_rule(RULE)
    frame = pd.DataFrame({i.column: rng.gamma(4.0, 10.0, n) for i in rule.indicators},
                         index=pd.Index([f"E01{i:06d}" for i in range(n)], name="code"))
    for column in ("unemployment_rate", "journey_time_car"):
        frame.loc[frame.sample(frac=0.02, random_state=seed).index, column] = np.nan
    frame.insert(0, "name", frame.index)
    frame.insert(1, "country", "England")
    return frame


def machine() -> str:
    """The CPU model, the cores this process may use, and numpy's version."""
    model = platform.processor()
    if os.path.exists("/proc/cpuinfo"):
        with open("/proc/cpuinfo") as info:
            model = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), model)
    cores = available_cpus()
    return f"{model}, {cores} cores, numpy {np.__version__}"
