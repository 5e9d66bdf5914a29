"""Numpy helpers shared by the pipeline: runs of a mask, membership in a sorted array.

Examples:
    >>> import numpy as np
    >>> runs(np.array([0, 1, 1, 0, 1], dtype=bool))
    [(1, 3), (4, 5)]
    >>> member(np.array([2, 5, 9], dtype=np.uint64), np.array([5, 6, 9, 10], dtype=np.uint64)).tolist()
    [True, False, True, False]
"""

from __future__ import annotations

import numpy as np

__all__ = ["member", "runs"]


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """The runs of true values of a boolean mask.

    Args:
        mask: A one-dimensional boolean array.

    Returns:
        ``(start, end)`` of each run of ``True``, end exclusive, in order.

    Examples:
        >>> runs(np.zeros(3, dtype=bool))
        []
        >>> runs(np.ones(2, dtype=bool))
        [(0, 2)]
    """
    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.astype(np.int8), [0]))))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def member(sorted_values: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Which of ``values`` occur in ``sorted_values`` (sorted ascending, repeats allowed).

    Args:
        sorted_values: The sorted array to look in.
        values: The values to look up, in any order.

    Returns:
        A boolean array, one entry per value.

    Examples:
        >>> member(np.array([], dtype=np.uint64), np.array([1], dtype=np.uint64)).tolist()
        [False]
    """
    if len(sorted_values) == 0:
        return np.zeros(len(values), dtype=bool)
    position = np.searchsorted(sorted_values, values)
    position[position == len(sorted_values)] = 0
    return np.asarray(sorted_values[position] == values)
