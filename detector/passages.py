"""Passage-level reuse: a window LSH to find sources, exact passages to measure them.

Whole-document similarity cannot see a draft that borrows a tenth of a long
source. Here every corpus document is cut into short overlapping windows of
normalised text; each window's MinHash goes into a banded LSH (numpy arrays
sorted per band, so a corpus of hundreds of thousands of windows builds in
seconds). A draft is cut into windows at a finer stride and each is looked
up: a source that shares even one sentence with the draft shares a window.

Candidates are then verified exactly: :func:`find_passages` matches the
draft and the source k-gram by k-gram, joins matches along their diagonals,
and chains runs across small edits (a swapped year, place or spun word), so
an edited paragraph stays one passage and reordered paragraphs are each found.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from detector.arrays import member
from detector.shingle import fmix64, shingle_hashes
from detector.sketch import Sketcher

__all__ = ["KgramTable", "WindowIndex", "find_passages"]

_P = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class _Bands:
    keys: np.ndarray  # (bands, windows) uint32, each row sorted
    owners: np.ndarray  # (bands, windows) int32: document label of each key


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
        max_bucket: Buckets holding more windows than this are skipped at
            query time: they are formulations shared by many documents.

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
        keys = self.band_keys(self.sketcher.sketch_many(windows))
        for band in range(self.bands):
            row = self._index.keys[band]
            left = np.searchsorted(row, keys[band], side="left")
            right = np.searchsorted(row, keys[band], side="right")
            width = right - left
            usable = (width > 0) & (width <= self.max_bucket)
            if not usable.any():
                continue
            starts, widths = left[usable], width[usable]
            positions = np.repeat(starts - np.cumsum(widths) + widths, widths) + np.arange(widths.sum())
            window = np.repeat(np.flatnonzero(usable), widths)
            owners = self._index.owners[band][positions]
            pairs = np.unique(owners.astype(np.int64) * len(windows) + window)
            found, counts = np.unique(pairs // len(windows), return_counts=True)
            hits.update(dict(zip(found.tolist(), counts.tolist(), strict=True)))
        return hits


@dataclass(frozen=True)
class KgramTable:
    """The k-grams of one text, sorted for lookups.

    Attributes:
        k: k-gram length.
        hashes: Hashes of the k-grams, sorted.
        order: Start of each sorted k-gram in the text.
    """

    k: int
    hashes: np.ndarray
    order: np.ndarray

    @classmethod
    def of(cls, codepoints: np.ndarray, k: int = 8) -> KgramTable:
        """Build the table of a text (code points)."""
        if len(codepoints) < k:
            return cls(k, np.empty(0, np.uint64), np.empty(0, np.int64))
        hashes = shingle_hashes(codepoints, k)
        order = np.argsort(hashes, kind="stable")
        return cls(k, hashes[order], order.astype(np.int64))

    def contains(self, hashes: np.ndarray) -> np.ndarray:
        """Which of the given k-gram hashes occur in the text."""
        return member(self.hashes, hashes)


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


def _kgram_matches(d: np.ndarray, table: KgramTable, max_repeat: int) -> tuple[np.ndarray, np.ndarray]:
    """All ``(i, j)`` with ``d[i:i+k] == s[j:j+k]``, skipping k-grams repeated often in ``s``."""
    k = table.k
    if len(d) < k or len(table.hashes) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    hd = shingle_hashes(d, k)
    left = np.searchsorted(table.hashes, hd, side="left")
    right = np.searchsorted(table.hashes, hd, side="right")
    count = right - left
    count[count > max_repeat] = 0
    i = np.repeat(np.arange(len(hd), dtype=np.int64), count)
    offsets = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    j = table.order[np.repeat(left, count) + offsets]
    return i, j


def find_passages(
    draft: np.ndarray,
    source: np.ndarray,
    *,
    k: int = 8,
    gap: int = 12,
    min_length: int = 20,
    max_repeat: int = 20,
    table: KgramTable | None = None,
) -> list[tuple[int, int, int, int]]:
    """Passages of ``source`` reused in ``draft``, tolerant of small edits.

    Args:
        draft: Normalised draft as code points.
        source: Normalised source as code points.
        k: Length of the exact matches that seed passages.
        gap: Largest edit (in characters, either text) bridged inside a passage.
        min_length: Shortest passage kept, in draft characters.
        max_repeat: k-grams occurring more often than this in the source are
            ignored as seeds.
        table: The source's :class:`KgramTable` for ``k``, when already built.

    Returns:
        ``(draft_start, draft_end, source_start, source_end)`` in normalised
        coordinates, sorted by draft position, not overlapping in the draft.

    Examples:
        >>> import numpy as np
        >>> cps = lambda t: np.frombuffer(t.encode("utf-32-le"), dtype=np.uint32)
        >>> find_passages(cps("今年新增内容坚决打赢2023年污染防治攻坚战系统提升我县城乡人居环境"),
        ...               cps("坚决打赢2022年污染防治攻坚战系统提升我县城乡人居环境其他"))
        [(6, 34, 0, 28)]
    """
    if table is None or table.k != k:
        table = KgramTable.of(source, k)
    passages = _chain(_diagonal_runs(draft, table, k, max_repeat), gap)
    reach = 2 * (k + 2)
    for p in passages:
        if p[1] - p[0] + reach >= min_length:
            _extend(draft, source, p, k)
    return _claim(passages, len(draft), min_length)


def _diagonal_runs(
    draft: np.ndarray, table: KgramTable, k: int, max_repeat: int
) -> list[tuple[int, int, int]]:
    """Runs of consecutive k-gram matches on one diagonal: ``(draft_start, draft_end, source - draft)``."""
    i, j = _kgram_matches(draft, table, max_repeat)
    if len(i) == 0:
        return []
    diag = j - i
    order = np.lexsort((i, diag))
    i, diag = i[order], diag[order]
    breaks = np.flatnonzero((np.diff(diag) != 0) | (np.diff(i) > 1)) + 1
    run_start = np.concatenate(([0], breaks))
    run_end = np.concatenate((breaks, [len(i)]))
    return sorted(
        (int(i[a]), int(i[b - 1]) + k, int(diag[a])) for a, b in zip(run_start, run_end, strict=True)
    )


def _chain(runs: list[tuple[int, int, int]], gap: int) -> list[list[int]]:
    """Runs joined into passages ``[d0, d1, s0, s1]`` across edits of at most ``gap`` characters."""
    passages: list[list[int]] = []
    active: list[list[int]] = []
    for d0, d1, dg in runs:
        s0, s1 = d0 + dg, d1 + dg
        active = [p for p in active if d0 - p[1] <= gap]
        best = None
        for p in active:
            shift = abs((s0 - d0) - (p[3] - p[1]))
            if -gap <= s0 - p[3] <= gap and shift <= gap and (best is None or shift < best[0]):
                best = (shift, p)
        if best is not None:
            p = best[1]
            p[1], p[3] = max(p[1], d1), max(p[3], s1)
        else:
            p = [d0, d1, s0, s1]
            passages.append(p)
            active.append(p)
    return passages


def _claim(passages: list[list[int]], length: int, min_length: int) -> list[tuple[int, int, int, int]]:
    """Longest passages first, each trimmed to the draft characters no longer one claimed."""
    kept: list[tuple[int, int, int, int]] = []
    covered = np.zeros(length + 1, dtype=bool)
    for p in sorted(passages, key=lambda p: p[0] - p[1]):
        d0, d1, s0, s1 = p
        if d1 - d0 < min_length:
            continue
        free = ~covered[d0:d1]
        if free.sum() < 0.5 * (d1 - d0):
            continue
        idx = np.flatnonzero(free)
        nd0, nd1 = d0 + int(idx[0]), d0 + int(idx[-1]) + 1
        if nd1 - nd0 < min_length:
            continue
        ns0 = s0 + (nd0 - d0) if nd0 != d0 else s0
        ns1 = s1 - (d1 - nd1) if nd1 != d1 else s1
        covered[nd0:nd1] = True
        kept.append((nd0, nd1, max(s0, ns0), max(ns0 + 1, ns1)))
    return sorted(kept)


def _extend(
    draft: np.ndarray, source: np.ndarray, p: list[int], k: int, skip: int = 2, need: int = 3
) -> None:
    """Grow a passage outwards over the few characters its k-gram seeds miss.

    Equal characters are taken one by one; up to ``skip`` substituted
    characters are bridged when ``need`` equal ones follow. Each side grows
    by at most ``k + skip`` characters: anything longer holds a k-gram seed
    and is found by chaining.
    """
    d0, d1, s0, s1 = p
    d0, s0 = _grow(draft, source, d0, s0, -1, k + skip, skip, need)
    d1, s1 = _grow(draft, source, d1, s1, 1, k + skip, skip, need)
    p[:] = [d0, d1, s0, s1]


def _grow(
    draft: np.ndarray, source: np.ndarray, d: int, s: int, way: int, budget: int, skip: int, need: int
) -> tuple[int, int]:
    """Move one end of a passage (``way`` -1: its start, 1: its end) over equal or bridged characters."""
    back = way < 0

    def same(a: int, b: int) -> bool:
        if back:
            return a > 0 and b > 0 and draft[a - 1] == source[b - 1]
        return a < len(draft) and b < len(source) and draft[a] == source[b]

    moved = 0
    while moved < budget:
        if same(d, s):
            d, s, moved = d + way, s + way, moved + 1
            continue
        step = next(
            (
                jump
                for jump in range(1, skip + 1)
                if all(same(d + way * (jump + t), s + way * (jump + t)) for t in range(need))
            ),
            0,
        )
        if not step:
            break
        d, s, moved = d + way * step, s + way * step, moved + step
    return d, s
