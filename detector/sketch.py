"""MinHash signatures of shingle sets, accepted by datasketch's ``MinHashLSH``.

Two schemes:

``"oph"`` (default)
    One-permutation hashing with optimal densification (Shrivastava, 2017):
    each shingle hash is re-mixed with the seed once; its high 32 bits pick
    one of ``num_perm`` bins and its low 32 bits are the value; each bin keeps
    its minimum, and empty bins borrow the value of a bin chosen by a seeded
    probe sequence. One hash per shingle instead of ``num_perm``, with the same
    estimation error as k-permutation MinHash (``benchmarks/separation.py``
    measures both).

``"affine32"``
    k-permutation MinHash, bit-identical to datasketch 2.x's default scheme
    fed the low 32 bits of each shingle hash: MurmurHash3 32-bit pre-mix,
    then ``a * h + b mod 2**32`` with datasketch's own permutation parameters.

Both produce uint32 signatures. :meth:`Sketcher.minhash` wraps one in a
``datasketch.LeanMinHash`` (scheme label ``"affine32"``, the uint32 layout
that LSH expects). Do not mix signatures of different schemes or seeds in one
index: their values are not comparable.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from detector.config import Scheme
from detector.errors import ConfigError
from detector.shingle import fmix64

if TYPE_CHECKING:
    from datasketch import LeanMinHash

__all__ = ["Sketcher", "estimate_jaccard"]

_EMPTY = np.uint32(0xFFFFFFFF)
_MASK32 = np.uint64(0xFFFFFFFF)
_S32 = np.uint64(32)


def _fmix32(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


class Sketcher:
    """Makes MinHash signatures from shingle hashes.

    Args:
        num_perm: Signature length.
        seed: Hash seed; only signatures of the same seed compare.
        scheme: ``"oph"`` or ``"affine32"`` (see the module docstring).

    Examples:
        >>> import numpy as np
        >>> from detector.shingle import shingle_set
        >>> cps = np.frombuffer("生态环境保护责任".encode("utf-32-le"), dtype=np.uint32)
        >>> sketcher = Sketcher(num_perm=64)
        >>> sig = sketcher.sketch(shingle_set(cps, 5))
        >>> sig.shape, sig.dtype
        ((64,), dtype('uint32'))
        >>> estimate_jaccard(sig, sig)
        1.0
    """

    def __init__(self, num_perm: int = 128, seed: int = 1, scheme: Scheme = "oph") -> None:
        if scheme not in ("oph", "affine32"):
            raise ConfigError(f"scheme must be 'oph' or 'affine32', got {scheme!r}")
        self.num_perm = num_perm
        self.seed = seed
        self.scheme: Scheme = scheme
        mixed = fmix64(np.array([seed + 0x5BD1E995], dtype=np.uint64))[0]
        self._seed_mix = np.uint64(mixed)
        if scheme == "affine32":
            from datasketch import MinHash

            perms = MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations
            self._a = perms[0].astype(np.uint32)[:, None]
            self._b = perms[1].astype(np.uint32)[:, None]

    def sketch(self, shingles: np.ndarray) -> np.ndarray:
        """Signature of one shingle set.

        Args:
            shingles: uint64 shingle hashes (duplicates allowed).

        Returns:
            uint32 array of length ``num_perm``.
        """
        return self.sketch_many([shingles])[0]

    def sketch_many(self, shingle_arrays: Sequence[np.ndarray]) -> np.ndarray:
        """Signatures of many shingle sets in one vectorised pass.

        Args:
            shingle_arrays: uint64 shingle hashes per document.

        Returns:
            uint32 array of shape ``(len(shingle_arrays), num_perm)``. A
            document with no shingles gets all ``0xFFFFFFFF``.
        """
        count = len(shingle_arrays)
        if count == 0:
            return np.empty((0, self.num_perm), dtype=np.uint32)
        if self.scheme == "affine32":
            return np.stack([self._affine32(s) for s in shingle_arrays])
        return self._oph(shingle_arrays)

    def _affine32(self, shingles: np.ndarray) -> np.ndarray:
        if len(shingles) == 0:
            return np.full(self.num_perm, _EMPTY, dtype=np.uint32)
        hv = _fmix32((shingles & _MASK32).astype(np.uint32))
        return (self._a * hv[None, :] + self._b).min(axis=1)

    def _oph(self, shingle_arrays: Sequence[np.ndarray]) -> np.ndarray:
        k = self.num_perm
        count = len(shingle_arrays)
        lengths = np.fromiter((len(s) for s in shingle_arrays), dtype=np.int64, count=count)
        values = fmix64(np.concatenate(shingle_arrays) ^ self._seed_mix)
        doc = np.repeat(np.arange(count, dtype=np.int64), lengths)
        bins = ((values >> _S32) * np.uint64(k)) >> _S32
        key = doc * k + bins.astype(np.int64)
        sig = np.full(count * k, _EMPTY, dtype=np.uint32)
        np.minimum.at(sig, key, (values & _MASK32).astype(np.uint32))
        filled = np.zeros(count * k, dtype=bool)
        filled[key] = True
        table = sig.reshape(count, k)
        full = filled.reshape(count, k)
        sparse = ~full.all(axis=1) & (lengths > 0)
        if sparse.any():
            self._densify(table, full, np.flatnonzero(sparse))
        return table

    def _densify(self, table: np.ndarray, filled: np.ndarray, rows: np.ndarray) -> None:
        """Fill empty bins from non-empty ones along seeded probe sequences.

        The probe sequence of an empty bin depends only on the bin and the
        attempt, so all rows are densified together, one attempt at a time.
        """
        k = self.num_perm
        sub_row, empty = np.nonzero(~filled[rows])
        row = rows[sub_row]
        bins = empty.astype(np.uint64)
        source = np.full(len(row), -1, dtype=np.int64)
        pending = np.arange(len(row))
        attempt = 0
        while len(pending):
            attempt += 1
            probe = fmix64((bins[pending] << _S32) ^ np.uint64(attempt) ^ self._seed_mix)
            candidate = ((probe >> _S32) * np.uint64(k) >> _S32).astype(np.int64)
            hit = filled[row[pending], candidate]
            source[pending[hit]] = candidate[hit]
            pending = pending[~hit]
        table[row, empty] = table[row, source]

    def minhash(self, signature: np.ndarray) -> LeanMinHash:
        """Wrap a signature as a ``datasketch.LeanMinHash`` for ``MinHashLSH``."""
        from datasketch import LeanMinHash

        return LeanMinHash(seed=self.seed, hashvalues=signature, scheme="affine32")


def estimate_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity estimated from two signatures (share of equal values)."""
    if a.shape != b.shape:
        raise ValueError(f"signatures differ in length: {a.shape} vs {b.shape}")
    return float(np.count_nonzero(a == b)) / len(a)
