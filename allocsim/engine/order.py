"""Order a batch of scores like the engine: highest score first, exact ties by area code.

Scores become integer keys: the float's bits made order-preserving, their lowest bits replaced
by the area's position in code order. Sorting a row of keys orders its areas; partitioning it
finds a group's last area. Scores within about ``2**-(52 - bits)`` of each other (1e-13 for
368 areas) therefore count as tied and go by code, so the order never hangs on last-bit rounding.
"""

from __future__ import annotations

import numpy as np

_LOW63 = np.int64(0x7FFF_FFFF_FFFF_FFFF)


def code_bits(n_areas: int) -> int:
    """Bits of a key that hold the area's position in code order."""
    return max(1, (n_areas - 1).bit_length())


def order_keys(scores: np.ndarray, code_position: np.ndarray, rows: list[tuple[int, int, bool]],
               scratch: np.ndarray) -> np.ndarray:
    """Integer keys (overwriting ``scores``) that sort like ``(-score, code)``, area in the low bits.

    ``rows`` gives each block of rows ``(start, stop, nonnegative)``: whether its scores are
    never negative (then their bits already order like the floats); ``scratch`` is an int64
    array the shape of ``scores``.
    """
    bits = code_bits(len(code_position))
    keys = scores.view(np.int64)
    for start, stop, nonnegative in rows:
        block = keys[start:stop]
        if nonnegative:  # the bits of floats >= 0 order like the floats; inverted, they sort descending
            np.invert(block, out=block)
            continue
        np.subtract(0.0, scores[start:stop], out=scores[start:stop])  # 0 - x: never -0.0
        flip = np.right_shift(block, 63, out=scratch[start:stop])
        flip &= _LOW63
        block ^= flip
    keys &= ~((1 << bits) - 1)  # clear the lowest bits (rounding down keeps the order) ...
    keys |= code_position  # ... and put the area there
    return keys


def order(scores: np.ndarray, code_position: np.ndarray, rows: list[tuple[int, int, bool]],
          scratch: np.ndarray) -> np.ndarray:
    """Per row, the areas (positions in code order) from highest score to lowest, ties by code."""
    keys = order_keys(scores, code_position, rows, scratch)
    keys.sort(axis=1)
    keys &= (1 << code_bits(len(code_position))) - 1
    return keys


def by_area(order_: np.ndarray, at_position: np.ndarray, out: np.ndarray | None = None,
            index: np.ndarray | None = None) -> np.ndarray:
    """Scatter values given per rank position back to the areas: ``out[d, order[d, p]] = v[d, p]``
    (``at_position`` flat, draw after draw); with ``at_position`` 1, 2, ..., the ranks."""
    c, n = order_.shape
    out = np.empty((c, n), dtype=at_position.dtype) if out is None else out
    index = np.add(order_, np.arange(0, c * n, n)[:, np.newaxis], out=index)
    out.reshape(-1)[index.reshape(-1)] = at_position  # flat: several times faster than 2-D indexing
    return out
