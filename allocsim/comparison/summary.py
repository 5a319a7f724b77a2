"""What a comparison of two rules says in numbers: focus gains and losses, transitions, rank
correlation, group-1 overlap and agreement, and who group 1 holds."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from allocsim.comparison.fairness import DEFAULT_HLE, AuditResult, audit
from allocsim.comparison.focus import DEFAULT_FOCUS_END, FocusSelection, focus_selection
from allocsim.comparison.money import MoneySummary
from allocsim.comparison.table import transition_matrix
from allocsim.ranking import RankResult
from allocsim.results import JsonResult, flattened, optional
from allocsim.rules.schema import Rule
from allocsim.stats import cohen_kappa, kendall_tau, rounded, spearman_rho


@dataclass(frozen=True)
class FocusSummary(JsonResult):
    """The focus areas of ``column`` as :class:`~allocsim.comparison.focus.FocusSelection` chose them (its fields
    in the JSON beside these) and how they fare."""

    column: str
    selection: FocusSelection = flattened()
    gain_priority: int
    lose_priority: int
    keep_priority: int
    in_group1_base: int
    in_group1_alt: int

    @property
    def areas(self) -> int:
        """How many focus areas there are."""
        return self.selection.areas


@dataclass(frozen=True)
class Moves(JsonResult):
    """Areas gaining, losing and keeping priority between the two rules (a gain is a move to a lower-numbered,
    higher-priority group)."""

    gain_priority: int
    lose_priority: int
    keep_priority: int


@dataclass(frozen=True)
class RankCorrelation(JsonResult):
    """Kendall's tau-b and Spearman's rho of the two rankings, to 4 decimals; None where undefined (fewer than
    two areas, or a ranking that ties every area)."""

    kendall_tau: float | None
    spearman_rho: float | None


@dataclass(frozen=True)
class Overlap(JsonResult):
    """Group 1 under each rule: its size under ``base`` and ``alt``, the areas in ``both``, and the Jaccard
    index (None when group 1 is empty under both)."""

    base: int
    alt: int
    both: int
    jaccard: float | None


@dataclass(frozen=True)
class Agreement(JsonResult):
    """The share of areas in the same group under both rules (4 decimals) and Cohen's kappa (None when each
    rule puts every area in one group)."""

    exact_share: float
    cohen_kappa: float | None


@dataclass(frozen=True)
class Group1Profile(JsonResult):
    """Who group 1 holds: areas, population share and mean of the focus indicator."""

    areas: int
    population_share: float | None
    focus_column: str
    focus_mean: float | None
    has_population: bool = True

    def to_json(self) -> dict:
        """``areas``, then ``population_share`` (only when the data have a population), then the focus
        indicator's mean keyed ``mean_<focus column>``."""
        out: dict = {"areas": self.areas}
        if self.has_population:
            out["population_share"] = self.population_share
        out[f"mean_{self.focus_column}"] = self.focus_mean
        return out


@dataclass(frozen=True)
class ComparisonSummary(JsonResult):
    """``summary.json`` of ``allocsim compare`` (keys documented in README)."""

    base_rule: str
    base_rule_source: str  # the file, and any --set applied to it
    alt_rule: str
    alt_rule_source: str
    base_label: str  # how outputs name each rule: its name, or its file when the two share a name
    alt_label: str
    alt_effective_weights: dict[str, float] | None
    areas: int
    focus: FocusSummary
    all_areas: Moves
    transitions: dict[int, dict[int, int]]
    rank_correlation: RankCorrelation
    group1_overlap: Overlap
    agreement: Agreement
    fairness: list[AuditResult]
    group1_profile: dict[str, Group1Profile]
    money: MoneySummary | None = optional()


def summarise(table: pd.DataFrame, base: RankResult, alt: RankResult, data: pd.DataFrame,
              focus: str, focus_share: float, fairness_hle: str = DEFAULT_HLE,
              labels: tuple[str, str] | None = None, focus_end: str = DEFAULT_FOCUS_END) -> ComparisonSummary:
    """The typed summary of comparison ``table``: focus gains and losses, moves over every area, transitions,
    rank correlation, group-1 overlap, agreement, fairness audits and who group 1 holds; money is added with a
    budget."""
    focus_rows = table[table["in_focus"]]
    g1_base = set(table.index[table["base_group"] == 1])
    g1_alt = set(table.index[table["alt_group"] == 1])
    return ComparisonSummary(
        base_rule=base.rule.name, base_rule_source=base.rule.source, alt_rule=alt.rule.name,
        alt_rule_source=alt.rule.source, base_label=(labels or (base.rule.name,))[0],
        alt_label=(labels or (None, alt.rule.name))[1], alt_effective_weights=effective_weights(alt.rule),
        areas=len(table),
        focus=FocusSummary(focus, focus_selection(table[focus], focus_share, focus_end),
                           *moves(focus_rows["group_change"]),
                           int((focus_rows["base_group"] == 1).sum()), int((focus_rows["alt_group"] == 1).sum())),
        all_areas=Moves(*moves(table["group_change"])),
        transitions=transition_matrix(table).to_dict("index"),
        rank_correlation=_rank_correlation(table),
        group1_overlap=Overlap(len(g1_base), len(g1_alt), len(g1_base & g1_alt),
                               round(len(g1_base & g1_alt) / len(g1_base | g1_alt), 4) if g1_base | g1_alt else None),
        agreement=agreement(table["base_group"], table["alt_group"]),
        fairness=audit({"base": table["base_group"], "alt": table["alt_group"]}, data, fairness_hle),
        group1_profile={"base": group1_profile(table, data, "base_group", focus),
                        "alt": group1_profile(table, data, "alt_group", focus)},
    )


def moves(change: pd.Series) -> tuple[int, int, int]:
    """Areas gaining, losing and keeping priority, from group changes (positive = gain)."""
    return int((change > 0).sum()), int((change < 0).sum()), int((change == 0).sum())


def effective_weights(rule: Rule) -> dict[str, float] | None:
    """Each indicator's share of the index, rounded for reading (None for a published rule)."""
    if rule.kind != "index":
        return None
    return {column: round(weight, 6) for column, weight in rule.effective_weights().items()}


def _rank_correlation(table: pd.DataFrame) -> RankCorrelation:
    tau = kendall_tau(table["base_rank"], table["alt_rank"])
    rho = spearman_rho(table["base_rank"], table["alt_rank"])
    return RankCorrelation(rounded(tau), rounded(rho))


def agreement(reference: pd.Series, other: pd.Series) -> Agreement:
    """Exact group agreement and Cohen's kappa between two group assignments."""
    same = float((reference == other).mean())
    return Agreement(round(same, 4), rounded(cohen_kappa(reference, other)))


def group1_profile(table: pd.DataFrame, data: pd.DataFrame, column: str, focus: str) -> Group1Profile:
    """Who group 1 holds: areas, population share and mean of the focus indicator."""
    in_group1 = table[column] == 1
    share, has_population = None, "population_2019" in data.columns
    if has_population:
        population = data["population_2019"].reindex(table.index).astype(float)
        share = rounded(population[in_group1].sum() / population.sum())
    return Group1Profile(int(in_group1.sum()), share, focus,
                         rounded(data[focus].reindex(table.index)[in_group1].mean()), has_population)
