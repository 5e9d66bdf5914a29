"""Character-level alignment of two normalised texts, fast on long documents.

Anchors first, then the gaps: k-grams that occur exactly once in each text
are matched, the longest chain of them that keeps both texts in order
(longest increasing subsequence) becomes the backbone, and only the short
stretches between backbone blocks are aligned edit by edit (rapidfuzz's
longest-common-subsequence opcodes, which keep shared digits aligned). Cost
grows with the length of the texts plus the size of the gaps, never with the
product of the two lengths. Unique k-grams left out of the backbone mark
passages that moved.

Repetitive texts (one speech pasted many times) have few unique k-grams, so
their gaps can be as long as the texts. A gap whose two sides multiply to more
than ``_MAX_CELLS`` is never handed to the quadratic aligner whole: it is
walked in windows along the diagonal, each window aligned on its own and
committed up to three quarters of its length before the next one starts.
Work and memory per window are bounded, so the whole stays linear.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Literal, cast, get_args

import numpy as np
from rapidfuzz.distance import Indel

from detector.shingle import shingle_hashes

__all__ = ["TAGS", "Alignment", "Block", "Opcode", "Tag", "align"]

#: What one alignment step does.
Tag = Literal["equal", "replace", "delete", "insert"]
#: Every alignment tag.
TAGS: tuple[Tag, ...] = get_args(Tag)

#: Gaps up to this many characters on each side are aligned edit by edit;
#: larger ones are searched for anchors again with a shorter k.
_DIRECT_GAP = 4000
#: Gaps whose both sides are at least this long are aligned character by
#: character only if they are at least half similar.
_UNRELATED_GAP = 20
#: Largest gap (product of its two lengths) aligned in one piece; beyond it
#: the gap is aligned window by window. Must exceed ``_DIRECT_GAP ** 2``.
_MAX_CELLS = 25_000_000
#: Anchor length inside a window of a large gap.
_WINDOW_K = 12


@dataclass(frozen=True)
class Block:
    """A run of identical characters: ``a[a:a+size] == b[b:b+size]``."""

    a: int
    b: int
    size: int


@dataclass(frozen=True)
class Opcode:
    """One step turning ``a`` into ``b``, as in :mod:`difflib`.

    ``tag`` is ``equal``, ``replace``, ``delete`` or ``insert``; spans are
    half-open offsets into the two normalised texts.
    """

    tag: Tag
    a_start: int
    a_end: int
    b_start: int
    b_end: int


@dataclass(frozen=True)
class Alignment:
    """The alignment of two texts.

    Attributes:
        opcodes: Steps covering both texts from start to end, in order.
        moved: ``(a_start, a_end, b_start, b_end)`` of passages found in both
            texts but out of order (reported by the opcodes as a delete and
            an insert elsewhere).
        anchored: Number of characters of ``a`` inside anchor blocks: a
            measure of how much of the texts aligned without guessing.
    """

    opcodes: tuple[Opcode, ...]
    moved: tuple[tuple[int, int, int, int], ...]
    anchored: int

    @property
    def matched(self) -> int:
        """Number of characters in equal steps."""
        return sum(op.a_end - op.a_start for op in self.opcodes if op.tag == "equal")


def _unique_positions(hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hashes occurring exactly once, and their positions (sorted by hash)."""
    order = np.argsort(hashes, kind="stable")
    sorted_h = hashes[order]
    if len(sorted_h) == 0:
        return sorted_h, order
    first = np.ones(len(sorted_h), dtype=bool)
    first[1:] = sorted_h[1:] != sorted_h[:-1]
    last = np.ones(len(sorted_h), dtype=bool)
    last[:-1] = sorted_h[1:] != sorted_h[:-1]
    once = first & last
    return sorted_h[once], order[once]


def _anchors(a: str, b: str, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``(i, j)`` of k-grams unique in both texts, sorted by ``i``."""
    if len(a) < k or len(b) < k:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    ha = shingle_hashes(np.frombuffer(a.encode("utf-32-le"), dtype=np.uint32), k)
    hb = shingle_hashes(np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32), k)
    ua, pa = _unique_positions(ha)
    ub, pb = _unique_positions(hb)
    _, ia, ib = np.intersect1d(ua, ub, assume_unique=True, return_indices=True)
    i, j = pa[ia].astype(np.int64), pb[ib].astype(np.int64)
    order = np.argsort(i, kind="stable")
    return i[order], j[order]


def _lis(values: list[int]) -> list[int]:
    """Indices of a longest strictly increasing subsequence of ``values``."""
    tails: list[int] = []
    tail_index: list[int] = []
    previous = [-1] * len(values)
    for index, value in enumerate(values):
        pos = bisect.bisect_left(tails, value)
        if pos == len(tails):
            tails.append(value)
            tail_index.append(index)
        else:
            tails[pos] = value
            tail_index[pos] = index
        previous[index] = tail_index[pos - 1] if pos else -1
    out = []
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        out.append(index)
        index = previous[index]
    return out[::-1]


def _blocks(i: np.ndarray, j: np.ndarray, k: int) -> list[Block]:
    """Merge chained anchors into non-overlapping, increasing blocks."""
    blocks: list[list[int]] = []
    for ai, bj in zip(i.tolist(), j.tolist(), strict=True):
        if blocks:
            pa, pb, size = blocks[-1]
            if ai - pa == bj - pb and ai <= pa + size:
                blocks[-1][2] = max(size, ai + k - pa)
                continue
            shift = max(0, pa + size - ai, pb + size - bj)
            if shift >= k:
                continue
            blocks.append([ai + shift, bj + shift, k - shift])
        else:
            blocks.append([ai, bj, k])
    return [Block(*blk) for blk in blocks]


def _shift(ops: list[Opcode], a0: int, b0: int) -> list[Opcode]:
    """Opcodes moved by ``a0`` in ``a`` and ``b0`` in ``b``."""
    return [Opcode(op.tag, op.a_start + a0, op.a_end + a0, op.b_start + b0, op.b_end + b0) for op in ops]


def _window_sizes(ra: int, rb: int) -> tuple[int, int]:
    """Window lengths on each side, in proportion to what is left, multiplying to at most ``_MAX_CELLS``."""
    wa = max(1, min(ra, _MAX_CELLS, int((_MAX_CELLS * ra / rb) ** 0.5)))
    wb = max(1, min(rb, _MAX_CELLS // wa))
    return max(1, min(ra, _MAX_CELLS // wb)), wb


def _truncate(op: Opcode, limit_a: int, limit_b: int) -> Opcode:
    """The part of ``op`` before the limits (``op`` starts before both)."""
    if op.tag == "equal":
        size = min(op.a_end - op.a_start, limit_a - op.a_start, limit_b - op.b_start)
        return Opcode("equal", op.a_start, op.a_start + size, op.b_start, op.b_start + size)
    a_end, b_end = min(op.a_end, limit_a), min(op.b_end, limit_b)
    tag: Tag = "insert" if a_end == op.a_start else "delete" if b_end == op.b_start else op.tag
    return Opcode(tag, op.a_start, a_end, op.b_start, b_end)


def _commit(ops: list[Opcode], limit_a: int, limit_b: int) -> list[Opcode]:
    """The opcodes up to the limits, the one crossing them cut at them."""
    out = []
    for op in ops:
        if op.a_end <= limit_a and op.b_end <= limit_b:
            out.append(op)
            continue
        out.append(_truncate(op, limit_a, limit_b))
        break
    return out


def _windowed(a: str, b: str, a0: int, a1: int, b0: int, b1: int) -> list[Opcode]:
    """Align a gap too large to align whole, one bounded window at a time.

    Each window is aligned with anchors and gaps like a pair of short texts;
    what lies in its first three quarters is kept (its end may be cut off
    from what matches it) and the next window starts there.
    """
    out: list[Opcode] = []
    pa, pb = a0, b0
    while pa < a1 and pb < b1:
        wa, wb = _window_sizes(a1 - pa, b1 - pb)
        ops = _shift(_align(a[pa : pa + wa], b[pb : pb + wb], _WINDOW_K)[0], pa, pb)
        if pa + wa == a1 and pb + wb == b1:
            return out + ops
        limit_a = a1 if pa + wa == a1 else pa + max(1, 3 * wa // 4)
        limit_b = b1 if pb + wb == b1 else pb + max(1, 3 * wb // 4)
        kept = _commit(ops, limit_a, limit_b)
        out.extend(kept)
        pa, pb = kept[-1].a_end, kept[-1].b_end
    if pa < a1:
        out.append(Opcode("delete", pa, a1, pb, pb))
    elif pb < b1:
        out.append(Opcode("insert", pa, pa, pb, b1))
    return out


def _gap_opcodes(a: str, b: str, a0: int, a1: int, b0: int, b1: int, k: int) -> list[Opcode]:
    """Opcodes for the gap ``a[a0:a1]`` / ``b[b0:b1]`` between two anchor blocks."""
    if a0 == a1 and b0 == b1:
        return []
    if a0 == a1:
        return [Opcode("insert", a0, a0, b0, b1)]
    if b0 == b1:
        return [Opcode("delete", a0, a1, b0, b0)]
    if (a1 - a0 > _DIRECT_GAP or b1 - b0 > _DIRECT_GAP) and k > 4:
        return _shift(_align(a[a0:a1], b[b0:b1], max(4, k // 2))[0], a0, b0)
    if (a1 - a0) * (b1 - b0) > _MAX_CELLS:
        return _windowed(a, b, a0, a1, b0, b1)
    if min(a1 - a0, b1 - b0) >= _UNRELATED_GAP and Indel.normalized_similarity(a[a0:a1], b[b0:b1]) < 0.5:
        # Unrelated stretches: one replaced passage, not a storm of chance one-character matches.
        return [Opcode("replace", a0, a1, b0, b1)]
    return [
        Opcode(cast(Tag, op.tag), op.src_start + a0, op.src_end + a0, op.dest_start + b0, op.dest_end + b0)
        for op in Indel.opcodes(a[a0:a1], b[b0:b1])
    ]


def _align(a: str, b: str, k: int) -> tuple[list[Opcode], list[Block], list[tuple[int, int, int, int]]]:
    i, j = _anchors(a, b, k)
    chain = _lis(j.tolist())
    in_chain = np.zeros(len(i), dtype=bool)
    in_chain[chain] = True
    blocks = _blocks(i[in_chain], j[in_chain], k)
    ops: list[Opcode] = []
    a_pos = b_pos = 0
    for blk in blocks:
        ops.extend(_gap_opcodes(a, b, a_pos, blk.a, b_pos, blk.b, k))
        ops.append(Opcode("equal", blk.a, blk.a + blk.size, blk.b, blk.b + blk.size))
        a_pos, b_pos = blk.a + blk.size, blk.b + blk.size
    ops.extend(_gap_opcodes(a, b, a_pos, len(a), b_pos, len(b), k))
    moved = [
        (blk.a, blk.a + blk.size, blk.b, blk.b + blk.size) for blk in _blocks(i[~in_chain], j[~in_chain], k)
    ]
    return ops, blocks, moved


def _merge(ops: list[Opcode]) -> list[Opcode]:
    out: list[Opcode] = []
    for op in ops:
        if op.a_start == op.a_end and op.b_start == op.b_end:
            continue
        if out and out[-1].tag == op.tag:
            last = out[-1]
            out[-1] = Opcode(op.tag, last.a_start, op.a_end, last.b_start, op.b_end)
        else:
            out.append(op)
    return out


def align(a: str, b: str, *, anchor: int | None = None, min_moved: int = 30) -> Alignment:
    """Align two normalised texts character by character.

    Args:
        a: First text (normalised).
        b: Second text (normalised).
        anchor: Length of the unique k-grams used as anchors (default: 12,
            shorter for short texts).
        min_moved: Shortest passage reported as moved.

    Returns:
        An :class:`Alignment`.

    Examples:
        >>> [(o.tag, o.a_start, o.a_end) for o in align("坚决打赢2022年污染防治攻坚战",
        ...                                              "坚决打赢2023年污染防治攻坚战", anchor=4).opcodes]
        [('equal', 0, 7), ('insert', 7, 7), ('delete', 7, 8), ('equal', 8, 16)]
        >>> align("生态环境保护", "生态环境保护").matched
        6
    """
    if anchor is None:
        anchor = min(12, max(3, min(len(a), len(b)) // 10))
    ops, blocks, moved = _align(a, b, anchor)
    # Moved runs that the backbone already covers on either side are not moves.
    kept = []
    covered_a = np.zeros(len(a) + 1, dtype=bool)
    covered_b = np.zeros(len(b) + 1, dtype=bool)
    for blk in blocks:
        covered_a[blk.a : blk.a + blk.size] = True
        covered_b[blk.b : blk.b + blk.size] = True
    for a0, a1, b0, b1 in moved:
        if a1 - a0 >= min_moved and not covered_a[a0:a1].any() and not covered_b[b0:b1].any():
            kept.append((a0, a1, b0, b1))
    return Alignment(tuple(_merge(ops)), tuple(kept), sum(blk.size for blk in blocks))
