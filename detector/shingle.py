"""Character n-gram shingles, hashed with numpy.

A shingle is every run of ``n`` consecutive characters of the normalised
text. Each is hashed to 64 bits in one vectorised pass: a polynomial over the
code points (``n`` whole-array steps, no per-shingle Python loop) followed by
the MurmurHash3 64-bit finaliser. Two different shingles collide with
probability about 2**-64, so set operations on the hashes are exact for any
practical purpose.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["fmix64", "shingle_hashes", "shingle_set", "shingle_sets"]

_PRIME = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xFF51AFD7ED558CCD)
_M2 = np.uint64(0xC4CEB9FE1A85EC53)
_S33 = np.uint64(33)


def fmix64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser, a bijection that avalanches every bit.

    Args:
        values: uint64 array (not modified).

    Returns:
        A new uint64 array.
    """
    h = values ^ (values >> _S33)
    h *= _M1
    h ^= h >> _S33
    h *= _M2
    h ^= h >> _S33
    return h


def shingle_hashes(codepoints: np.ndarray, n: int) -> np.ndarray:
    """Hash every character n-gram of a code-point array, in text order.

    A text shorter than ``n`` (but not empty) yields one shingle: the whole
    text. An empty text yields none.

    Args:
        codepoints: uint32 code points, e.g. ``NormalizedText.codepoints()``.
        n: n-gram size.

    Returns:
        uint64 array of ``max(len - n + 1, 1)`` hashes (empty for empty input).

    Examples:
        >>> import numpy as np
        >>> cps = np.frombuffer("生态环境保护".encode("utf-32-le"), dtype=np.uint32)
        >>> len(shingle_hashes(cps, 5))
        2
    """
    length = len(codepoints)
    if length == 0:
        return np.empty(0, dtype=np.uint64)
    n = min(n, length)
    count = length - n + 1
    cps = codepoints.astype(np.uint64)
    h = np.full(count, np.uint64(n), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(n):
            h *= _PRIME
            h += cps[j : j + count]
        return fmix64(h)


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    values = np.sort(values)
    if len(values) < 2:
        return values
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def shingle_set(codepoints: np.ndarray, n: int) -> np.ndarray:
    """Sorted unique shingle hashes of one text (its n-gram set)."""
    return _sorted_unique(shingle_hashes(codepoints, n))


def shingle_sets(texts: Sequence[np.ndarray], n: int) -> list[np.ndarray]:
    """Shingle sets of many texts, hashed in one pass over their concatenation.

    Args:
        texts: uint32 code-point arrays.
        n: n-gram size.

    Returns:
        One sorted unique uint64 array per text.
    """
    if not texts:
        return []
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    if lengths.min() < n:
        return [shingle_set(t, n) for t in texts]
    hashes = shingle_hashes(np.concatenate(texts), n)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    counts = lengths - n + 1
    return [_sorted_unique(hashes[s : s + c]) for s, c in zip(starts.tolist(), counts.tolist(), strict=True)]


def __getattr__(name: str) -> Any:
    """``jaccard`` and ``containment``: now :func:`detector.scoring.exact_scores` (kept one release)."""
    if name not in ("jaccard", "containment"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from detector.scoring import exact_scores

    which = 0 if name == "jaccard" else 1
    return lambda a, b: exact_scores(a, b)[which]
