"""A rule made ready for the engine: its areas' normalised values, layout and cut, and the
batched evaluation that :func:`allocsim.rank` (a batch of one), weight search and robustness
(batches of thousands) all run."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from allocsim.engine import cut as cutting
from allocsim.engine import order as ordering
from allocsim.engine import score as scoring
from allocsim.engine.workspace import Workspace
from allocsim.methods.aggregations import Aggregation
from allocsim.rules.resolve import ResolvedRule


@dataclass(frozen=True)
class ScoringModel:
    """Everything needed to score, order and cut a rule's areas (picklable, for Dask workers).

    Areas are in code order; ``scaled[m]`` is normalisation ``methods[m]``'s matrix in the
    kernel's column order (:class:`~allocsim.engine.score.Layout`).
    """

    codes: np.ndarray
    methods: tuple[str, ...]
    own: int  # the rule's own normalisation
    scaled: np.ndarray  # (methods, indicators, columns)
    nonnegative: np.ndarray  # (methods,) scores under this method are never negative
    layout: scoring.Layout
    aggregation: Aggregation
    cut: cutting.Cut

    @property
    def n_areas(self) -> int:
        """How many areas the model scores."""
        return len(self.codes)


def scoring_model(resolved: ResolvedRule, codes: np.ndarray, available: np.ndarray,
                  normalised: dict[str, np.ndarray], labels: np.ndarray,
                  floor: np.ndarray | None = None) -> ScoringModel:
    """The model of ``resolved`` on areas ``codes`` (code order): ``available`` marks the values
    an area has, ``normalised`` maps each method to its matrix, ``labels`` give each area's country
    and ``floor`` any no-downgrade groups."""
    rule, aggregation = resolved.rule, resolved.aggregation
    methods = tuple(normalised)
    layout = scoring.Layout.of(available)
    scaled = np.stack([scoring.scaled(normalised[m], available, layout, aggregation) for m in methods])
    categories = rule.categories
    scope_of = np.unique(labels, return_inverse=True)[1] if categories.scope == "per_country" else None
    return ScoringModel(
        codes=codes, methods=methods, own=methods.index(rule.normalisation), scaled=scaled,
        nonnegative=np.array([np.nanmin(normalised[m], initial=0) >= 0 for m in methods]), layout=layout,
        aggregation=aggregation,
        cut=cutting.Cut.of(len(codes), categories.shares, categories.thresholds, scope_of, floor),
    )


def block_rows(model: ScoringModel, method: np.ndarray) -> tuple[list, list]:
    """Each method's block of rows (``method`` sorted): for scoring and for the order keys."""
    rows = scoring.method_rows(method, len(model.methods))
    return rows, [(a, b, model.nonnegative[m]) for m, a, b in rows]


def scores(model: ScoringModel, weights: np.ndarray, method: np.ndarray, out: np.ndarray) -> np.ndarray:
    """(draws, columns) scores of each weight vector under its normalisation (``method`` sorted)."""
    rows, _ = block_rows(model, method)
    return scoring.scores(weights, model.scaled, rows, model.layout, model.aggregation, out)


def ranked(model: ScoringModel, weights: np.ndarray, method: np.ndarray, work: Workspace,
           scores_out: np.ndarray | None = None):
    """The areas in rank order, each area's rank (float32) and, for thresholds, the groups;
    ``scores_out`` (draws x areas), if given, receives the scores in code order."""
    c = len(weights)
    rows, key_rows = block_rows(model, method)
    values = scoring.scores(weights, model.scaled, rows, model.layout, model.aggregation, work.scores[:c])
    if scores_out is not None:
        scores_out[:, model.layout.code_position] = values
    by_score = None
    if model.cut.thresholds is not None:
        by_score = np.empty(values.shape, dtype=np.int64)
        by_score[:, model.layout.code_position] = cutting.groups_by_thresholds(
            values.ravel(), model.cut.thresholds).reshape(values.shape)
    order = ordering.order(values, model.layout.code_position, key_rows, work.index[:c])
    ranks = ordering.by_area(order, work.positions[:values.size], work.ranks[:c], work.index[:c])
    return order, ranks, by_score


def scorable(model: ScoringModel, weights: np.ndarray) -> np.ndarray:
    """Per row of ``weights`` (draws x indicators), whether every area has an indicator with weight: the engine
    refuses a rule under which an area has none, where the batch kernel would score it 0."""
    has = [gap for _, _, gap in model.layout.gaps]  # the indicators each incomplete group of areas has
    return np.all([weights.sum(axis=1) > 0, *(weights @ gap > 0 for gap in has)], axis=0)


def outcomes(model: ScoringModel, weights: np.ndarray, method: np.ndarray,
             scores_out: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Each area's rank (1 = most need) and group (code order) under each weight vector;
    ``method`` (the normalisation of each row) sorted."""
    order, ranks, by_score = ranked(model, weights, method, Workspace(len(weights), model.n_areas), scores_out)
    return ranks.astype(np.int64), cutting.groups(model.cut, order, ranks, by_score)
