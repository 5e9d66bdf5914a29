"""Exact passages: which stretches of a draft a source holds, across small edits.

Candidate sources come from the window LSH (:mod:`detector.windows`) and are
verified exactly here: :func:`find_passages` matches the
draft and the source k-gram by k-gram, joins matches along their diagonals,
and chains runs across small edits (a swapped year, place or spun word), so
an edited paragraph stays one passage and reordered paragraphs are each found.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from detector.arrays import member
from detector.entities import CN_NUMERALS, DIGITS, FRACTIONS, NUMBER_INNER, NUMBER_TAIL
from detector.shingle import shingle_hashes
from detector.windows import WindowIndex as _WindowIndex

__all__ = ["KgramTable", "WindowIndex", "find_passages"]

#: Old import path of :class:`detector.windows.WindowIndex` (one release).
WindowIndex = _WindowIndex


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


def _kgram_matches(d: np.ndarray, table: KgramTable, max_repeat: int) -> tuple[np.ndarray, np.ndarray]:
    """All ``(i, j)`` with ``d[i:i+k] == s[j:j+k]``; a k-gram ``s`` repeats more than
    ``max_repeat`` times is matched to its first ``max_repeat`` places only."""
    k = table.k
    if len(d) < k or len(table.hashes) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    hd = shingle_hashes(d, k)
    left = np.searchsorted(table.hashes, hd, side="left")
    right = np.searchsorted(table.hashes, hd, side="right")
    count = right - left
    np.minimum(count, max_repeat, out=count)
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
        max_repeat: A k-gram occurring more often than this in the source
            seeds passages at its first ``max_repeat`` places only.
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
        seeded = p[1] - p[0]
        if seeded + reach >= min_length:
            _extend(draft, source, p, k)
            if seeded >= max(min_length, reach):
                _extend(draft, source, p, k, carry=True)
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
    draft: np.ndarray,
    source: np.ndarray,
    p: list[int],
    k: int,
    skip: int = 2,
    need: int = 3,
    *,
    carry: bool = False,
) -> None:
    """Grow a passage outwards over the few characters its k-gram seeds miss.

    Equal characters are taken one by one; up to ``skip`` substituted
    characters are bridged when ``need`` equal ones follow. Each side grows
    by at most ``k + skip`` characters: anything longer holds a k-gram seed
    and is found by chaining. With ``carry`` (for a passage whose exact
    matches alone are long enough, and at least ``2 * (k + 2)``), an end is
    also carried across one number written differently on each side when
    the characters after it agree (``to 5.0 per cent`` → ``to 4.75 per
    cent``), so the changed number is inside the passage.
    """
    d0, d1, s0, s1 = p
    d0, s0 = _grow(draft, source, d0, s0, -1, k + skip, skip, need, carry)
    d1, s1 = _grow(draft, source, d1, s1, 1, k + skip, skip, need, carry)
    p[:] = [d0, d1, s0, s1]


#: Code points of the characters numbers are written with, in either script.
_NUMERALS = frozenset(ord(c) for c in DIGITS | CN_NUMERALS | FRACTIONS | NUMBER_INNER | NUMBER_TAIL | {","})
#: Longest number a passage end is carried across.
_NUMBER_SPAN = 12
#: Equal characters needed after the number (its unit: 集, 亿, per).
_AFTER_NUMBER = 1


def _numeral_end(cps: np.ndarray, at: int, way: int) -> int:
    """Where a run of numerals starting at ``at`` (going ``way``) ends, or ``at`` when there is none."""
    end = at
    while 0 <= (end if way > 0 else end - 1) < len(cps) and abs(end - at) < _NUMBER_SPAN:
        if int(cps[end if way > 0 else end - 1]) not in _NUMERALS:
            break
        end += way
    return end


def _over_number(draft: np.ndarray, source: np.ndarray, d: int, s: int, way: int) -> tuple[int, int] | None:
    """Carry a passage end across a number written differently on each side (5.0 → 4.75, 十 → 十一).

    The end moves back to the start of the number both sides begin alike,
    over each side's number, and on only when the next character is the same
    on both sides; ``None`` when there is no such number.
    """
    while _numeral_end(draft, d, -way) != d and _numeral_end(source, s, -way) != s:
        d, s = d - way, s - way
    nd, ns = _numeral_end(draft, d, way), _numeral_end(source, s, way)
    if nd == d and ns == s:
        return None
    same = 0
    while same < _AFTER_NUMBER and _same_at(draft, source, nd + way * same, ns + way * same, way):
        same += 1
    return (nd, ns) if same == _AFTER_NUMBER else None


def _same_at(draft: np.ndarray, source: np.ndarray, d: int, s: int, way: int) -> bool:
    """Whether the next character going ``way`` from ``d`` and ``s`` is the same in both."""
    if way < 0:
        d, s = d - 1, s - 1
    return 0 <= d < len(draft) and 0 <= s < len(source) and draft[d] == source[s]


def _grow(
    draft: np.ndarray,
    source: np.ndarray,
    d: int,
    s: int,
    way: int,
    budget: int,
    skip: int,
    need: int,
    carry: bool = False,
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
        if step:
            d, s, moved = d + way * step, s + way * step, moved + step
            continue
        carried = _over_number(draft, source, d, s, way) if carry else None
        if carried is None:
            break
        carry = False  # one number per end: a run of numbers is a table's skeleton, not a passage
        moved += max(abs(carried[0] - d), abs(carried[1] - s))
        d, s = carried
    return d, s
