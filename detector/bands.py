"""LSH banding with arrays: the candidate pairs of a whole corpus at once.

MinHash LSH cuts each signature into ``b`` bands of ``r`` values; two
documents are candidates when all ``r`` values of some band agree. The
bands are those datasketch's ``MinHashLSH`` picks for the threshold
(:func:`lsh_bands`), so the candidates are exactly the documents that
inserting every signature into ``MinHashLSH`` and querying it would give.

Instead of a hash table per band, the signatures are kept as one matrix:
sorting each band's rows puts equal band values next to each other, and
every run of equal rows is a bucket. This is what a scan does (every pair
at once, ``b`` sorts); looking up one signature compares it with every
row of each band. The Redis-backed index keeps datasketch's ``MinHashLSH``,
whose storage Redis provides.

Examples:
    >>> signatures = np.array([[1, 2, 3, 4], [1, 2, 9, 9], [5, 6, 3, 4]], dtype=np.uint32)
    >>> bands = Bands(2, 2)
    >>> bands.pairs(signatures).tolist()
    [[0, 1], [0, 2]]
    >>> bands.query(signatures, np.array([5, 6, 0, 0], dtype=np.uint32)).tolist()
    [2]
"""

from __future__ import annotations

import functools

import numpy as np

__all__ = ["Bands", "lsh_bands"]


#: What datasketch's ``MinHashLSH`` picks for the default settings (a test
#: compares it), so that the common case need not load datasketch and SciPy.
_KNOWN = {(0.3, 128): (37, 3), (0.5, 128): (25, 5)}


@functools.lru_cache(maxsize=16)
def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """Bands and rows per band, as datasketch's ``MinHashLSH`` picks them.

    Args:
        threshold: The Jaccard similarity at which documents should become candidates.
        num_perm: The signature length.

    Returns:
        ``(b, r)``.

    Examples:
        >>> lsh_bands(0.3, 128)
        (37, 3)
    """
    if (threshold, num_perm) in _KNOWN:
        return _KNOWN[(threshold, num_perm)]
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


class Bands:
    """Candidate pairs of signatures that agree on a whole band.

    Args:
        bands: Number of bands ``b``.
        rows: Values per band ``r`` (``b × r`` must not exceed the signature length).
    """

    def __init__(self, bands: int, rows: int) -> None:
        self.bands = bands
        self.rows = rows

    @classmethod
    def for_threshold(cls, threshold: float, num_perm: int) -> Bands:
        """The bands datasketch's ``MinHashLSH`` uses for ``threshold`` and ``num_perm``."""
        return cls(*lsh_bands(threshold, num_perm))

    def _band(self, signatures: np.ndarray, band: int) -> np.ndarray:
        return signatures[:, band * self.rows : (band + 1) * self.rows]

    def pairs(self, signatures: np.ndarray) -> np.ndarray:
        """Every candidate pair among the rows of a signature matrix.

        Args:
            signatures: One signature per row.

        Returns:
            An ``(m, 2)`` array of row numbers ``i < j``, each pair once, sorted.
        """
        count = len(signatures)
        codes = [np.empty(0, dtype=np.int64)]
        for band in range(self.bands):
            block = self._band(signatures, band)
            order = np.lexsort(block.T[::-1])
            ranked = block[order]
            new = np.ones(count, dtype=bool)
            new[1:] = (ranked[1:] != ranked[:-1]).any(axis=1)
            starts = np.flatnonzero(new)
            sizes = np.diff(np.append(starts, count))
            codes.append(_bucket_pairs(order, starts[sizes >= 2], sizes[sizes >= 2], count))
        found = np.unique(np.concatenate(codes))
        return np.stack([found // max(count, 1), found % max(count, 1)], axis=1)

    def query(self, signatures: np.ndarray, signature: np.ndarray) -> np.ndarray:
        """Row numbers of the signatures that share a band with ``signature``, in order.

        Args:
            signatures: One signature per row.
            signature: The signature looked up.
        """
        found = np.zeros(len(signatures), dtype=bool)
        for band in range(self.bands):
            start = band * self.rows
            found |= (self._band(signatures, band) == signature[start : start + self.rows]).all(axis=1)
        return np.flatnonzero(found)


def _bucket_pairs(order: np.ndarray, starts: np.ndarray, sizes: np.ndarray, count: int) -> np.ndarray:
    """Pair codes ``i * count + j`` (``i < j``) of the rows in each bucket of two or more."""
    twos = sizes == 2
    first, second = order[starts[twos]], order[starts[twos] + 1]
    codes = [np.minimum(first, second) * count + np.maximum(first, second)]
    for start, size in zip(starts[~twos].tolist(), sizes[~twos].tolist(), strict=True):
        members = np.sort(order[start : start + size])
        i, j = np.triu_indices(size, 1)
        codes.append(members[i] * count + members[j])
    return np.concatenate(codes).astype(np.int64)
