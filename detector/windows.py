"""The window LSH: which corpus documents share a window of text with a draft.

Whole-document similarity cannot see a draft that borrows a tenth of a long
source. Here every corpus document is cut into short overlapping windows of
normalised text; each window's MinHash goes into a banded LSH (numpy arrays
sorted per band, so a corpus of hundreds of thousands of windows builds in
seconds). A draft is cut into windows at a finer stride and each is looked
up: a source that shares even one sentence with the draft shares a window.
The candidates are then measured exactly by :func:`detector.passages.find_passages`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from detector.shingle import fmix64, shingle_hashes
from detector.sketch import Sketcher

__all__ = ["WindowIndex"]

#: Query windows sketched and looked up at a time, so a long draft needs bounded memory.
_QUERY_BATCH = 4096

_P = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class _Bands:
    keys: np.ndarray  # (bands, windows) uint32, each row sorted
    owners: np.ndarray  # (bands, windows) int32: document label of each key
    # Distinct documents of the large buckets met so far, by (band, first position).
    documents: dict[tuple[int, int], int] = field(default_factory=dict)

    def documents_in(self, band: int, start: int, end: int) -> int:
        """How many distinct documents own the windows of one bucket (``start:end`` of a band)."""
        found = self.documents.get((band, start))
        if found is None:
            found = len(np.unique(self.owners[band][start:end]))
            self.documents[(band, start)] = found
        return found


class WindowIndex:
    """A banded MinHash LSH over fixed-size windows of many documents.

    Args:
        num_perm: Values per window signature (one-permutation MinHash).
        seed: Hash seed.
        ngram: Shingle size inside windows.
        window: Window length in normalised characters.
        stride: Distance between window starts in indexed documents.
        bands: Number of LSH bands.
        rows: Values per band (``bands * rows <= num_perm``).
        max_bucket: Buckets holding windows of more documents than this are
            skipped at query time: they are formulations shared by many
            documents (a passage one document repeats counts once).

    Examples:
        >>> import numpy as np
        >>> from detector import normalize
        >>> texts = ("生态环境保护责任重大，必须压实各方责任。" * 3, "完全不同的一段文字内容")
        >>> docs = [normalize(t).codepoints() for t in texts]
        >>> index = WindowIndex(window=20, stride=10)
        >>> index.build(docs)
        >>> sorted(index.query(normalize("生态环境保护责任重大必须压实各方责任").codepoints()))
        [0]
    """

    def __init__(
        self,
        *,
        num_perm: int = 64,
        seed: int = 1,
        ngram: int = 5,
        window: int = 50,
        stride: int = 25,
        bands: int = 21,
        rows: int = 3,
        max_bucket: int = 500,
    ) -> None:
        if bands * rows > num_perm:
            raise ValueError(f"bands × rows ({bands}×{rows}) exceeds num_perm {num_perm}")
        self.sketcher = Sketcher(num_perm, seed, "oph")
        self.ngram = ngram
        self.window = window
        self.stride = stride
        self.bands = bands
        self.rows = rows
        self.max_bucket = max_bucket
        self._index: _Bands | None = None

    def _windows(self, codepoints: np.ndarray, stride: int) -> tuple[list[int], list[np.ndarray]]:
        hashes = shingle_hashes(codepoints, self.ngram)
        per_window = max(1, self.window - self.ngram + 1)
        if len(hashes) <= per_window:
            return ([0], [hashes]) if len(hashes) else ([], [])
        starts = list(range(0, len(hashes) - per_window + 1, stride))
        if starts[-1] != len(hashes) - per_window:
            starts.append(len(hashes) - per_window)
        return starts, [hashes[s : s + per_window] for s in starts]

    def band_keys(self, signatures: np.ndarray) -> np.ndarray:
        """Band hashes of signatures: ``(bands, n)`` uint32.

        32 bits are enough: a chance collision only adds a candidate, which
        exact matching then rejects.
        """
        sig = signatures.astype(np.uint64)
        keys = np.empty((self.bands, len(sig)), dtype=np.uint32)
        with np.errstate(over="ignore"):
            for band in range(self.bands):
                h = np.full(len(sig), np.uint64(band + 1), dtype=np.uint64)
                for row in range(self.rows):
                    h = fmix64(h * _P + sig[:, band * self.rows + row])
                keys[band] = (h >> np.uint64(32)).astype(np.uint32)
        return keys

    def document_keys(self, codepoints: np.ndarray) -> np.ndarray:
        """Band keys of one document's windows: ``(bands, windows)`` uint32."""
        return self.documents_keys([codepoints])[0]

    def documents_keys(self, documents: Sequence[np.ndarray]) -> list[np.ndarray]:
        """Band keys of several documents' windows, sketched in one pass."""
        windows: list[np.ndarray] = []
        counts = []
        for cps in documents:
            found = self._windows(cps, self.stride)[1]
            windows.extend(found)
            counts.append(len(found))
        if not windows:
            return [np.empty((self.bands, 0), dtype=np.uint32) for _ in documents]
        keys = self.band_keys(self.sketcher.sketch_many(windows))
        edges = np.cumsum([0, *counts])
        return [keys[:, a:b] for a, b in zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True)]

    def build(self, documents: Sequence[np.ndarray]) -> None:
        """Index the windows of documents (code-point arrays), replacing any index.

        The document index returned by :meth:`query` is the position in ``documents``.
        """
        windows: list[np.ndarray] = []
        owners: list[int] = []
        for number, cps in enumerate(documents):
            found = self._windows(cps, self.stride)[1]
            windows.extend(found)
            owners.extend([number] * len(found))
        if not windows:
            self.build_from_keys([])
            return
        keys = self.band_keys(self.sketcher.sketch_many(windows))
        self._load(keys, np.asarray(owners, dtype=np.int32))

    def build_from_keys(self, keys: Sequence[np.ndarray], labels: Sequence[int] | None = None) -> None:
        """Index documents from their :meth:`document_keys`.

        Args:
            keys: Each document's keys.
            labels: What :meth:`query` reports for each document (default: its position).
        """
        if not keys:
            self._index = _Bands(np.empty((self.bands, 0), np.uint32), np.empty((self.bands, 0), np.int32))
            return
        names = np.arange(len(keys), dtype=np.int32) if labels is None else np.asarray(labels, dtype=np.int32)
        owners = np.repeat(names, [k.shape[1] for k in keys])
        self._load(np.concatenate(keys, axis=1), owners)

    @property
    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The sorted band keys and their owners: two ``(bands, windows)`` arrays."""
        if self._index is None:
            return np.empty((self.bands, 0), np.uint32), np.empty((self.bands, 0), np.int32)
        return self._index.keys, self._index.owners

    def load_arrays(self, keys: np.ndarray, owners: np.ndarray) -> None:
        """Use band keys and owners already sorted (as :attr:`arrays` gives them)."""
        if keys.shape != owners.shape or keys.shape[0] != self.bands:
            raise ValueError(
                f"expected two arrays of shape ({self.bands}, n), got {keys.shape} and {owners.shape}"
            )
        self._index = _Bands(keys.astype(np.uint32, copy=False), owners.astype(np.int32, copy=False))

    def merge(
        self, keys: Sequence[np.ndarray], labels: Sequence[int], *, keep: np.ndarray | None = None
    ) -> None:
        """Add documents' :meth:`document_keys` to the index without sorting it again.

        Args:
            keys: Each new document's keys.
            labels: Their labels.
            keep: Labels to keep among those already indexed (default: all).
        """
        old_keys, old_owners = self.arrays
        if keep is not None and old_owners.size:
            alive = np.isin(old_owners[0], keep)
            if not alive.all():
                # Every band holds the same windows, so one mask per band from its own owners.
                masks = [np.isin(old_owners[band], keep) for band in range(self.bands)]
                old_keys = np.stack([old_keys[b][masks[b]] for b in range(self.bands)])
                old_owners = np.stack([old_owners[b][masks[b]] for b in range(self.bands)])
        if not keys:
            self._index = _Bands(old_keys, old_owners)
            return
        owners = np.repeat(np.asarray(labels, dtype=np.int32), [k.shape[1] for k in keys])
        add_keys, add_owners = _sort_bands(np.concatenate(keys, axis=1), owners)
        merged_keys = np.empty((self.bands, old_keys.shape[1] + add_keys.shape[1]), dtype=np.uint32)
        merged_owners = np.empty(merged_keys.shape, dtype=np.int32)
        for band in range(self.bands):
            at = np.searchsorted(old_keys[band], add_keys[band], side="right")
            merged_keys[band] = np.insert(old_keys[band], at, add_keys[band])
            merged_owners[band] = np.insert(old_owners[band], at, add_owners[band])
        self._index = _Bands(merged_keys, merged_owners)

    def _load(self, keys: np.ndarray, owners: np.ndarray) -> None:
        self._index = _Bands(*_sort_bands(keys, owners))

    @property
    def size(self) -> int:
        """Number of windows indexed."""
        return 0 if self._index is None else self._index.keys.shape[1]

    def query(
        self, codepoints: np.ndarray, *, stride: int = 5, ignore: np.ndarray | None = None
    ) -> Counter[int]:
        """Documents sharing a window with a text, and in how many bands.

        Args:
            codepoints: The query text (normalised code points).
            stride: Distance between query window starts.
            ignore: One boolean per character; windows with more than half
                of their characters ignored (common phrases) are not looked up.

        Returns:
            ``Counter`` of document index → number of (query window, band)
            pairs that found it.
        """
        hits: Counter[int] = Counter()
        if self._index is None or self.size == 0:
            return hits
        starts, windows = self._windows(codepoints, stride)
        if ignore is not None and windows:
            covered = np.concatenate(([0], np.cumsum(ignore, dtype=np.int64)))
            first = np.asarray(starts)
            last = np.minimum(first + self.window, len(ignore))
            keep = (covered[last] - covered[first]) * 2 <= (last - first)
            windows = [w for w, k in zip(windows, keep.tolist(), strict=True) if k]
        if not windows:
            return hits
        for start in range(0, len(windows), _QUERY_BATCH):
            self._look_up(windows[start : start + _QUERY_BATCH], hits)
        return hits

    def _look_up(self, windows: list[np.ndarray], hits: Counter[int]) -> None:
        """Count, per document, the (window, band) pairs of a batch of query windows that find it."""
        assert self._index is not None
        keys = self.band_keys(self.sketcher.sketch_many(windows))
        for band in range(self.bands):
            row = self._index.keys[band]
            left = np.searchsorted(row, keys[band], side="left")
            right = np.searchsorted(row, keys[band], side="right")
            width = right - left
            usable = self._usable(band, left, right)
            if not usable.any():
                continue
            starts, widths = left[usable], width[usable]
            positions = np.repeat(starts - np.cumsum(widths) + widths, widths) + np.arange(widths.sum())
            window = np.repeat(np.flatnonzero(usable), widths)
            owners = self._index.owners[band][positions]
            pairs = np.unique(owners.astype(np.int64) * len(windows) + window)
            found, counts = np.unique(pairs // len(windows), return_counts=True)
            hits.update(dict(zip(found.tolist(), counts.tolist(), strict=True)))

    def _usable(self, band: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Which buckets of a band (``left:right`` each) hold windows of at most ``max_bucket`` documents."""
        assert self._index is not None
        width = right - left
        usable = (width > 0) & (width <= self.max_bucket)
        for at in np.flatnonzero(width > self.max_bucket).tolist():
            usable[at] = self._index.documents_in(band, int(left[at]), int(right[at])) <= self.max_bucket
        return usable


def _sort_bands(keys: np.ndarray, owners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sort each band's keys with their owners, one band at a time to bound memory."""
    owners = owners.astype(np.int32, copy=False)
    sorted_keys = np.empty_like(keys)
    sorted_owners = np.empty(keys.shape, dtype=np.int32)
    for band in range(keys.shape[0]):
        order = np.argsort(keys[band], kind="stable")
        sorted_keys[band] = keys[band][order]
        sorted_owners[band] = owners[order]
    return sorted_keys, sorted_owners
