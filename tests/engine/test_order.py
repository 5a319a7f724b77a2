"""Order keys: highest score first, exact ties by area code, the same for a batch of one or many."""

from __future__ import annotations

import numpy as np

from allocsim.engine import order


def ranks_of(scores: np.ndarray, nonnegative: bool) -> list[list[int]]:
    scores = np.array(scores, dtype=float)
    code_position = np.arange(scores.shape[1], dtype=np.int64)
    keys = order.order(scores.copy(), code_position, [(0, len(scores), nonnegative)], np.empty(scores.shape, np.int64))
    positions = np.tile(np.arange(1, scores.shape[1] + 1, dtype=np.float32), len(scores))
    return order.by_area(keys, positions).astype(int).tolist()


def test_the_highest_score_ranks_first_and_ties_go_by_code():
    assert ranks_of([[0.1, 0.5, 0.5, -1.0]], nonnegative=False) == [[3, 1, 2, 4]]


def test_non_negative_scores_order_by_their_bits():
    assert ranks_of([[0.1, 0.5, 0.5, 0.0]], nonnegative=True) == [[3, 1, 2, 4]]
    assert ranks_of([[0.1, 0.5, 0.5, 0.0]], nonnegative=False) == [[3, 1, 2, 4]]


def test_each_row_of_a_batch_is_ordered_alone():
    assert ranks_of([[3.0, 2.0, 1.0], [1.0, 2.0, 3.0]], nonnegative=True) == [[1, 2, 3], [3, 2, 1]]


def test_negative_zero_and_zero_tie():
    assert ranks_of([[-0.0, 0.0, -1.0]], nonnegative=False) == [[1, 2, 3]]
