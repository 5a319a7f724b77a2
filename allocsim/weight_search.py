"""Search for the smallest weight on one domain that meets a target, and the frontier on the way.

The target is ``METRIC OP NUMBER`` (``focus_in_group1_share>=0.8``), read without ``eval``:

* ``focus_in_group1_share``: share of the focus areas in group 1; the focus areas are the
  lowest ``focus_share`` of areas by ``focus`` (or the highest, by ``focus_end``; as in
  :func:`allocsim.compare.focus_set`);
* ``focus_in_group1``: how many focus areas are in group 1;
* ``kendall_tau``: rank correlation (tau-b) with the unchanged rule.

Varying a domain's share ``d`` keeps the other domains' relative weights: each gets ``1 - d``
times its share of the rest, and indicators keep their shares within their domain. The shares
0, 0.005, ..., 1 are scored at once (one matrix product), the step where the target is first met
is searched again in steps of 0.0001, and the weight found is checked with :func:`allocsim.rank`.
A share at which some areas would have no indicator with weight (only 0 or 1 can be one: weights
are linear in the share) is left out, as the engine would refuse that rule.

A target no share meets is a result, not an error: :func:`search` returns the frontier with
``met`` False and, as ``weight``, the share that comes closest. A target that no value of its
metric could meet (a share above 1, a correlation below -1) is bad input.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass
from os import PathLike

import numpy as np
import pandas as pd

from allocsim.arguments import check_search_arguments
from allocsim.comparison.focus import (
    DEFAULT_FOCUS,
    DEFAULT_FOCUS_END,
    DEFAULT_FOCUS_SHARE,
    FocusSelection,
    check_focus,
    check_focus_selects,
    focus_selection,
    focus_set,
)
from allocsim.errors import ParameterError
from allocsim.ranking import rank
from allocsim.ranking.batch import prepare
from allocsim.ranking.model import ScoringModel, outcomes, scorable
from allocsim.rules.load import apply_overrides, load_rule
from allocsim.rules.resolve import resolve
from allocsim.rules.schema import Rule
from allocsim.stats import kendall_tau

METRICS = ("focus_in_group1_share", "focus_in_group1", "kendall_tau")
OPERATORS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}
# the values each metric can take; focus_in_group1 is further bounded by the number of focus areas
RANGES = {"focus_in_group1_share": (0.0, 1.0), "focus_in_group1": (0.0, np.inf), "kendall_tau": (-1.0, 1.0)}
COARSE_STEP, FINE_STEP = 0.005, 0.0001
FRONTIER_COLUMNS = ["weight", "focus_in_group1_share", "focus_in_group1", "kendall_tau", "meets_target"]


@dataclass(frozen=True)
class Target:
    """A search target such as ``kendall_tau>=0.9``: a metric (one of :data:`METRICS`), a comparison (``>=``,
    ``>``, ``<=`` or ``<``) and a value; ``str()`` writes it back in that form."""

    metric: str
    op: str
    value: float

    def met(self, values):
        """Whether ``values`` of the target's metric (a number, or an array of them, element by element) meet
        it."""
        return OPERATORS[self.op](values, self.value)

    def __str__(self) -> str:
        return f"{self.metric}{self.op}{self.value:g}"


@dataclass(frozen=True)
class Metrics:
    """The frontier's metrics at one weight."""

    weight: float
    focus_in_group1_share: float
    focus_in_group1: int
    kendall_tau: float

    def __getitem__(self, metric: str) -> float:
        """The value of ``metric``, one of :data:`METRICS` (a target names its metric)."""
        return getattr(self, metric)


@dataclass(frozen=True)
class SearchResult:
    """``met``: whether any share of ``domain`` meets ``target``; ``weight``: the smallest share
    that does or, when none does, the (smallest) share that comes closest; ``frontier``:
    ``weight, focus_in_group1_share, focus_in_group1, kendall_tau, meets_target`` at every step
    of 0.005 but those in ``left_out``, and at ``weight``; ``at_weight``: the metrics at ``weight``
    (checked with the engine); ``variant``: the rule at ``weight``; ``focus_selection``: how the focus
    areas were chosen (see :func:`allocsim.comparison.focus.focus_selection`); ``left_out``: the steps
    not tried, at which some areas would have no indicator with weight (the engine refuses such a rule)."""

    rule: Rule
    domain: str
    target: Target
    weight: float
    rule_weight: float  # the domain's share under the rule itself
    at_weight: Metrics
    frontier: pd.DataFrame
    variant: Rule
    focus: str
    focus_selection: FocusSelection
    met: bool = True
    left_out: tuple[float, ...] = ()  # shares not tried: some areas would have no indicator with weight


def parse_target(text: str) -> Target:
    """``"focus_in_group1_share>=0.8"`` -> Target; anything else is a ParameterError naming --target."""
    match = re.fullmatch(r"\s*([A-Za-z0-9_]*)\s*([<>=!~]*)\s*(.*?)\s*", text)
    metric, op, number = match.groups()
    if not metric or not op or not number:
        raise ParameterError(f"--target: expected METRIC OP NUMBER, e.g. "
                             f"'focus_in_group1_share>=0.8', got '{text}'")
    if metric not in METRICS:
        raise ParameterError(f"--target: unknown metric '{metric}' (use {', '.join(METRICS)})")
    if op not in OPERATORS:
        raise ParameterError(f"--target: unknown operator '{op}' (use {', '.join(OPERATORS)})")
    try:
        value = float(number)
    except ValueError:
        raise ParameterError(f"--target: '{number}' is not a number") from None
    if not np.isfinite(value):
        raise ParameterError(f"--target: '{number}' is not a finite number")
    target = Target(metric, op, value)
    check_target(target)
    return target


def check_target(target: Target, focus_areas: float = np.inf) -> None:
    """Refuse a target that no value of its metric could meet, or whose number lies outside
    the values the metric takes (a share from 0 to 1, a correlation from -1 to 1)."""
    low, high = RANGES[target.metric]
    counted = target.metric == "focus_in_group1" and np.isfinite(focus_areas)
    high = focus_areas if counted else high
    span = (f"lies from {low:g} to {high:g}" if np.isfinite(high) else f"is {low:g} or more") + (
        " (the number of focus areas)" if counted else "")
    if not low <= target.value <= high:
        raise ParameterError(f"--target {target}: {target.metric} {span}, so {target.value:g} is out of range")
    if (target.op == ">" and target.value == high) or (target.op == "<" and target.value == low):
        raise ParameterError(f"--target {target}: {target.metric} {span}, so it can never be "
                             f"{target.op} {target.value:g}")


def search(rule: Rule | str, data: pd.DataFrame, vary: str, target: Target | str,
           focus: str = DEFAULT_FOCUS, focus_share: float = DEFAULT_FOCUS_SHARE,
           countries: Iterable[str] | None = None, focus_end: str = DEFAULT_FOCUS_END) -> SearchResult:
    """The smallest share of domain ``vary`` for which ``target`` holds or, when none does, the
    closest, with ``met`` False (see the module docstring)."""
    check_search_arguments(rule, data, vary, target, focus, focus_share, countries, focus_end)
    rule = load_rule(rule) if isinstance(rule, (str, PathLike)) else rule
    target = parse_target(target) if isinstance(target, str) else target
    _check_domain(rule, vary)
    check_focus(data, focus, focus_share, focus_end)
    batch = prepare(resolve(rule), data, countries, [rule.normalisation])
    model, baseline = batch.model, batch.baseline
    focus_values = data[focus].reindex(model.codes)
    check_focus_selects(focus_values, focus, focus_share, focus_end)
    in_focus = np.isin(model.codes, focus_set(focus_values, focus_share, focus_end))
    check_target(target, int(in_focus.sum()))
    base_rank = baseline.table["rank"].reindex(model.codes).to_numpy()
    score, weights = _scorer(rule, vary, model, in_focus, base_rank)

    shares = np.round(np.arange(0, 1 + COARSE_STEP / 2, COARSE_STEP), 6)
    tried = scorable(model, weights(shares))
    frontier = score(shares[tried])
    met = bool(target.met(frontier[target.metric]).any())
    weight = _smallest_weight(score, target, frontier) if met else _closest_weight(target, frontier)
    variant = rule_at(rule, vary, weight)
    checked = rank(variant, data, countries).table.reindex(model.codes)  # the engine, not the kernel
    found = _metrics(np.array([weight]), checked["rank"].to_numpy()[np.newaxis],
                     checked["group"].to_numpy()[np.newaxis], in_focus, base_rank)
    frontier = (pd.concat([frontier[frontier["weight"] != weight], found]).sort_values("weight", kind="stable")
                .reset_index(drop=True))
    frontier["meets_target"] = target.met(frontier[target.metric])
    rule_weight = rule.domains[vary].weight / sum(d.weight for d in rule.domains.values())
    at_weight = Metrics(**found.to_dict("records")[0])
    return SearchResult(rule, vary, target, weight, rule_weight, at_weight,
                        frontier[FRONTIER_COLUMNS], variant, focus,
                        focus_selection(focus_values, focus_share, focus_end), met,
                        tuple(float(s) for s in shares[~tried]))


def _smallest_weight(score, target: Target, frontier: pd.DataFrame) -> float:
    """The first coarse step meeting the target, refined in fine steps from the step before (from 0 where share 0
    was left out: every share between 0 and the first step tried can be scored)."""
    met = target.met(frontier[target.metric]).to_numpy()
    first = int(np.argmax(met))
    weight = float(frontier["weight"].iloc[first])
    if weight == 0:
        return weight
    before = float(frontier["weight"].iloc[first - 1]) if first > 0 else 0.0
    fine = score(np.round(np.arange(before + FINE_STEP, weight, FINE_STEP), 6))
    passing = fine["weight"][target.met(fine[target.metric]).to_numpy()]
    return float(passing.iloc[0]) if len(passing) else weight


def _check_domain(rule: Rule, domain: str) -> None:
    if rule.kind != "index" or not rule.domains:
        raise ParameterError(f"--vary: rule '{rule.name}' has no domains to vary")
    if domain not in rule.domains:
        raise ParameterError(f"--vary: unknown domain '{domain}' (rule '{rule.name}' has "
                             f"{', '.join(rule.domains)})")
    if len(rule.domains) < 2:
        raise ParameterError(f"--vary: '{domain}' is the rule's only domain; "
                             f"there is nothing to trade it against")


def _scorer(rule: Rule, domain: str, model: ScoringModel, in_focus: np.ndarray, base_rank: np.ndarray):
    """Two functions of domain shares, all shares at once: the frontier's metrics, and the indicators'
    weights."""
    # Effective weights are linear in the share, between the rule at share 0 and at share 1.
    ends = [rule_at(rule, domain, share).effective_weights() for share in (0.0, 1.0)]
    low, high = (np.array([end[i.column] for i in rule.indicators]) for end in ends)

    def weights(shares: np.ndarray) -> np.ndarray:
        return (1 - shares)[:, np.newaxis] * low + shares[:, np.newaxis] * high

    def score(shares: np.ndarray) -> pd.DataFrame:
        ranks, groups = outcomes(model, weights(shares), np.full(len(shares), model.own))
        return _metrics(shares, ranks, groups, in_focus, base_rank)

    return score, weights


def _metrics(shares: np.ndarray, ranks: np.ndarray, groups: np.ndarray, in_focus: np.ndarray,
             base_rank: np.ndarray) -> pd.DataFrame:
    """One row per share: the focus areas in group 1 and the rank correlation with the rule."""
    in_group1 = (groups[:, in_focus] == 1).sum(axis=1)
    return pd.DataFrame({
        "weight": shares,
        "focus_in_group1_share": np.round(in_group1 / in_focus.sum(), 6),
        "focus_in_group1": in_group1,
        "kendall_tau": [round(kendall_tau(r, base_rank), 6) for r in ranks],
    })


def rule_at(rule: Rule, domain: str, share: float) -> Rule:
    """``rule`` with ``domain`` at ``share`` of the index and the other domains in proportion."""
    return apply_overrides(rule, _overrides(rule, domain, share), rule.name)


def _overrides(rule: Rule, domain: str, share: float) -> list[str]:
    others = {name: d.weight for name, d in rule.domains.items() if name != domain}
    total = sum(others.values())
    values = {name: (1 - share) * (w / total if total > 0 else 1 / len(others)) for name, w in others.items()}
    values[domain] = share
    return [f"domains.{name}.weight={value:.12g}" for name, value in values.items()]


def _closest_weight(target: Target, frontier: pd.DataFrame) -> float:
    """The smallest coarse step with the metric's best value in the target's direction."""
    values = frontier[target.metric]
    if values.isna().all():  # kendall_tau with a single area
        return float(frontier["weight"].iloc[0])
    best = values.idxmax() if target.op in (">=", ">") else values.idxmin()
    return float(frontier.at[best, "weight"])
