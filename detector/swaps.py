"""Classify the edits between two aligned texts: what was swapped for what.

An edit region (consecutive non-equal alignment steps, joined across single
unchanged characters) is widened to whole numbers and words, then classified:

``year``        2021 → 2023, 二〇二二 → 二〇二三
``number``      28 → 30, 4.5% → 5%, 二十八 → 三十, 第二轮 → 第三轮
``placeholder`` * → x, ×× → XX, 某某 → x
``synonym``     a pair of the spin lexicon (发展 → 开展, 原则 → 原那么), marked known spin
``place``       a division name or administrative-level word on a side (浙江 → 福建, 全县 → 全区)
``word``        any other short replacement

Longer regions are passages: deleted from the first text, inserted in the
second. Punctuation, width and furniture never reach this stage: alignment
runs on normalised text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from detector.align import Opcode
from detector.entities import (
    CN_NUMERALS,
    DIGITS,
    FRACTIONS,
    NUMBER_INNER,
    NUMBER_TAIL,
    ORDINAL_MARK,
    ORDINAL_UNITS,
    PLACEHOLDER_MARKS,
    PLACEHOLDERS,
    gazetteer,
    is_admin_level,
    is_placeholder,
    is_year,
)
from detector.errors import ConfigError

__all__ = ["Edit", "Lexicon", "classify", "load_lexicon", "regions"]

_MAX_SWAP = 8
_MAX_WORD = 4
_CONTEXT = 3


@dataclass(frozen=True)
class Edit:
    """One classified edit, in normalised coordinates.

    ``kind`` is a swap kind or ``inserted`` / ``deleted``; ``known_spin`` is
    true for lexicon pairs. ``old`` and ``new`` hold the normalised text;
    reports take the original text from the offset map.
    """

    kind: str
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    known_spin: bool = False
    ordinal: bool = False


class Lexicon:
    """Known spin pairs, matched in both directions.

    Args:
        pairs: ``(original, spun)`` word pairs.
    """

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.pairs: dict[str, set[str]] = {}
        for old, new in pairs:
            self.pairs.setdefault(old, set()).add(new)
            self.pairs.setdefault(new, set()).add(old)
        self.longest = max((len(w) for w in self.pairs), default=0)

    def __contains__(self, pair: object) -> bool:
        if not isinstance(pair, tuple) or len(pair) != 2:
            return False
        return pair[1] in self.pairs.get(pair[0], ())

    def __len__(self) -> int:
        return sum(len(v) for v in self.pairs.values()) // 2

    def segment(self, a: str, b: str) -> list[tuple[int, int, int, int]] | None:
        """Split ``a``/``b`` into lexicon pairs and equal characters.

        Returns:
            Spans ``(a0, a1, b0, b1)`` of the lexicon pairs, or ``None`` when
            the two strings are not such a sequence (or are equal).
        """

        @functools.cache
        def solve(i: int, j: int) -> tuple[tuple[int, int, int, int], ...] | None:
            if i == len(a) and j == len(b):
                return ()
            if i < len(a) and j < len(b) and a[i] == b[j]:
                rest = solve(i + 1, j + 1)
                if rest is not None:
                    return rest
            for la in range(1, min(self.longest, len(a) - i) + 1):
                options = self.pairs.get(a[i : i + la])
                if not options:
                    continue
                for new in options:
                    if b.startswith(new, j):
                        rest = solve(i + la, j + len(new))
                        if rest is not None:
                            return ((i, i + la, j, j + len(new)), *rest)
            return None

        found = solve(0, 0)
        return list(found) if found else None


def _parse_lexicon(text: str, origin: str) -> list[tuple[str, str]]:
    pairs = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not all(parts):
            raise ConfigError(f"{origin}:{number}: expected 'word<TAB>spun word', got {line!r}")
        pairs.append((parts[0].strip(), parts[1].strip()))
    return pairs


@functools.cache
def _bundled_pairs() -> tuple[tuple[str, str], ...]:
    text = resources.files("detector.resources").joinpath("spin.tsv").read_text("utf-8")
    return tuple(_parse_lexicon(text, "spin.tsv"))


def load_lexicon(extra: Iterable[str | Path] = ()) -> Lexicon:
    """The bundled spin lexicon plus pairs from extra TSV files.

    Raises:
        ConfigError: A file is missing or has a malformed line.

    Examples:
        >>> ("原则", "原那么") in load_lexicon(), ("开展", "发展") in load_lexicon()
        (True, True)
    """
    pairs = list(_bundled_pairs())
    for path in extra:
        try:
            pairs.extend(_parse_lexicon(Path(path).read_text(encoding="utf-8"), str(path)))
        except FileNotFoundError:
            raise ConfigError(f"{path}: lexicon file not found") from None
        except UnicodeDecodeError:
            raise ConfigError(f"{path}: lexicon file is not UTF-8 text") from None
    return Lexicon(pairs)


def regions(opcodes: Iterable[Opcode], a: str, *, join: int = 1) -> Iterator[tuple[int, int, int, int]]:
    """Edit regions: non-equal steps joined across equal runs of ``join`` characters or fewer.

    An equal run of digits is never joined across: it belongs to a number.
    An equal run of placeholder marks is always joined across: among runs of
    marks that changed, the alignment may have paired any two.
    """
    current: list[int] | None = None
    for op in opcodes:
        if op.tag == "equal":
            marks = set(a[op.a_start : op.a_end]) <= PLACEHOLDER_MARKS
            if current is not None and (
                (op.a_end - op.a_start > join and not marks)
                or a[op.a_start] in DIGITS
                or a[op.a_end - 1] in DIGITS
            ):
                yield current[0], current[1], current[2], current[3]
                current = None
            continue
        if current is None:
            current = [op.a_start, op.a_end, op.b_start, op.b_end]
        else:
            current[1], current[3] = op.a_end, op.b_end
    if current is not None:
        yield current[0], current[1], current[2], current[3]


def widen_numbers(
    spans: Iterable[tuple[int, int, int, int]], a_numbers: Sequence[int], b_numbers: Sequence[int]
) -> list[tuple[int, int, int, int]]:
    """Widen edit regions that touch a number to the whole number on both sides.

    Args:
        spans: Edit regions ``(a0, a1, b0, b1)`` in text order.
        a_numbers: For each character of the first normalised text, the id of
            the number it belongs to in the original (``-1`` for none); a
            number is one original token such as ``4.5%``.
        b_numbers: The same for the second text.

    Returns:
        Regions in text order, merged where widening made them overlap.
    """

    def grow(ids: Sequence[int], s0: int, s1: int, other: Sequence[int], o0: int, o1: int) -> tuple[int, int]:
        if s0 < s1:
            inside = {ids[k] for k in range(s0, s1) if ids[k] >= 0}
        else:
            # An empty side takes a number next to it only where the other
            # side's edit meets a number at the same end (12 → 125, not a
            # deleted sentence ending in a full stop before a number).
            near = [k for k, o in ((s0 - 1, o0), (s0, o1 - 1)) if 0 <= o < len(other) and other[o] >= 0]
            inside = {ids[k] for k in near if 0 <= k < len(ids) and ids[k] >= 0}
        if not inside:
            return s0, s1
        while s0 > 0 and ids[s0 - 1] in inside:
            s0 -= 1
        while s1 < len(ids) and ids[s1] in inside:
            s1 += 1
        return s0, s1

    out: list[list[int]] = []
    for a0, a1, b0, b1 in spans:
        touches = any(0 <= k < len(a_numbers) and a_numbers[k] >= 0 for k in range(a0 - 1, a1 + 1)) or any(
            0 <= k < len(b_numbers) and b_numbers[k] >= 0 for k in range(b0 - 1, b1 + 1)
        )
        if touches:
            a0, a1 = grow(a_numbers, a0, a1, b_numbers, b0, b1)
            b0, b1 = grow(b_numbers, b0, b1, a_numbers, a0, a1)
        if out and (a0 < out[-1][1] or b0 < out[-1][3]):
            last = out[-1]
            last[0], last[1] = min(last[0], a0), max(last[1], a1)
            last[2], last[3] = min(last[2], b0), max(last[3], b1)
        else:
            out.append([a0, a1, b0, b1])
    return [(r[0], r[1], r[2], r[3]) for r in out]


def _widen(a: str, b: str, a0: int, a1: int, b0: int, b1: int, chars: frozenset[str]):
    while a0 > 0 and b0 > 0 and a[a0 - 1] in chars and a[a0 - 1] == b[b0 - 1]:
        a0 -= 1
        b0 -= 1
    while a1 < len(a) and b1 < len(b) and a[a1] in chars and a[a1] == b[b1]:
        a1 += 1
        b1 += 1
    return a0, a1, b0, b1


#: How a percentage is written in Chinese numerals: 百分之五 is 5%.
PERCENT_WORD = "百分之"


def _numeral(text: str, start: int, end: int) -> tuple[int, int, str] | None:
    """A number in either script at ``[start, end)``: its whole span and script, else ``None``.

    Arabic numbers arrive whole; Chinese ones are widened over their numerals
    and a 百分之 before them.

    Examples:
        >>> _numeral("下降百分之五以上", 5, 6), _numeral("用5年", 1, 2), _numeral("统一", 1, 2)
        ((2, 6, 'chinese'), (1, 2, 'arabic'), (1, 2, 'chinese'))
    """
    piece = text[start:end]
    if set(piece) <= DIGITS:
        return start, end, "arabic"
    if piece.startswith(PERCENT_WORD):
        start, piece = start + len(PERCENT_WORD), piece[len(PERCENT_WORD) :]
    if not piece or not set(piece) <= CN_NUMERALS:
        return None
    if is_year(piece, text[end : end + 1], text[start - 1 : start]):
        return start, end, "chinese"
    while start > 0 and text[start - 1] in CN_NUMERALS:
        start -= 1
    while end < len(text) and text[end] in CN_NUMERALS:
        end += 1
    if text[max(0, start - len(PERCENT_WORD)) : start] == PERCENT_WORD:
        start -= len(PERCENT_WORD)
    return start, end, "chinese"


#: Chinese numerals that are units of a number as well as digits of it: 15万 → 十九万 keeps 万.
_MAGNITUDES = frozenset("万亿")


def _shared_unit(a: str, a1: int, b: str, b1: int) -> tuple[int, int]:
    """End the two sides of a swap before a magnitude (万, 亿) that both keep.

    Examples:
        >>> _shared_unit("15万人", 2, "十九万人", 3)
        (2, 2)
    """
    for text, end, other, other_end in ((b, b1, a, a1), (a, a1, b, b1)):
        run = end
        while run > 0 and text[run - 1] in _MAGNITUDES:
            run -= 1
        for cut in range(run, end):
            if other[other_end : other_end + end - cut] == text[cut:end]:
                if text is b:
                    b1 = cut
                else:
                    a1 = cut
                break
    return a1, b1


#: Characters that belong to a number: an end that is one of them is not trimmed.
_NUMBER_CHARS = CN_NUMERALS | DIGITS | NUMBER_INNER | NUMBER_TAIL | FRACTIONS


def _numeral_core(a: str, b: str, a0: int, a1: int, b0: int, b1: int) -> tuple[int, int, int, int]:
    """An edit region less the ends both sides share, when what is left is numerals (一集 → 二集: 一 → 二).

    Examples:
        >>> _numeral_core("第一集", "第二集", 1, 3, 1, 3), _numeral_core("发展", "开展", 0, 2, 0, 2)
        ((1, 2, 1, 2), (0, 2, 0, 2))
    """
    s0, s1, t0, t1 = a0, a1, b0, b1
    while s0 < s1 and t0 < t1 and a[s0] == b[t0] and a[s0] not in _NUMBER_CHARS:
        s0, t0 = s0 + 1, t0 + 1
    while s1 > s0 and t1 > t0 and a[s1 - 1] == b[t1 - 1] and a[s1 - 1] not in _NUMBER_CHARS:
        s1, t1 = s1 - 1, t1 - 1
    core = a[s0:s1] + b[t0:t1]
    if core and (s0, s1, t0, t1) != (a0, a1, b0, b1) and set(core) <= CN_NUMERALS | DIGITS:
        return s0, s1, t0, t1
    return a0, a1, b0, b1


def _numeric(a: str, b: str, a0: int, a1: int, b0: int, b1: int) -> Edit | None:
    """A year or number swap; Arabic numbers arrive whole from :func:`widen_numbers`."""
    a0, a1, b0, b1 = _numeral_core(a, b, a0, a1, b0, b1)
    old, new = a[a0:a1], b[b0:b1]
    if (old or new) and set(old + new) <= CN_NUMERALS:
        # A numeral added to or dropped from a Chinese number (十 → 十一) changes the number.
        a0, a1, b0, b1 = _widen(a, b, a0, a1, b0, b1, CN_NUMERALS)
        old, new = a[a0:a1], b[b0:b1]
    if not old or not new:
        return None
    chars = set(old + new)
    if chars <= CN_NUMERALS:
        a0, a1, b0, b1 = _widen(a, b, a0, a1, b0, b1, CN_NUMERALS)
        old, new = a[a0:a1], b[b0:b1]
    elif not chars <= DIGITS:
        side_a, side_b = _numeral(a, a0, a1), _numeral(b, b0, b1)
        if side_a is None or side_b is None or side_a[2] == side_b[2]:
            return None
        (a0, a1, _), (b0, b1, _) = side_a, side_b
        a1, b1 = _shared_unit(a, a1, b, b1)
        old, new = a[a0:a1], b[b0:b1]
    if is_year(old, a[a1 : a1 + 1], a[a0 - 1 : a0]) and is_year(new, b[b1 : b1 + 1], b[b0 - 1 : b0]):
        return Edit("year", a0, a1, b0, b1)
    ordinal = a0 > 0 and b0 > 0 and a[a0 - 1] == ORDINAL_MARK and b[b0 - 1] == ORDINAL_MARK
    if ordinal:
        a0, b0 = a0 - 1, b0 - 1
        if a1 < len(a) and b1 < len(b) and a[a1] == b[b1] and a[a1] in ORDINAL_UNITS:
            a1, b1 = a1 + 1, b1 + 1
    return Edit("number", a0, a1, b0, b1, ordinal=ordinal)


def _expansions(a: str, b: str, a0: int, a1: int, b0: int, b1: int, reach: int):
    for left in range(reach + 1):
        for right in range(reach + 1):
            if a0 - left < 0 or b0 - left < 0 or a1 + right > len(a) or b1 + right > len(b):
                continue
            if a[a0 - left : a0] != b[b0 - left : b0] or a[a1 : a1 + right] != b[b1 : b1 + right]:
                continue
            yield a0 - left, a1 + right, b0 - left, b1 + right


def _place(a: str, b: str, a0: int, a1: int, b0: int, b1: int) -> Edit | None:
    """A place swap: the shortest widening where both sides are division names,
    else the longest where both are administrative-level words (全县 → 全区),
    else the shortest where one side is a division name."""
    both_names = admin = one_name = None
    for span in _expansions(a, b, a0, a1, b0, b1, _CONTEXT):
        s0, s1, t0, t1 = span
        old, new = a[s0:s1], b[t0:t1]
        if not old or not new or old == new or len(old) > _MAX_SWAP or len(new) > _MAX_SWAP:
            continue
        size = (s1 - s0) + (t1 - t0)
        names = (old in gazetteer()) + (new in gazetteer())
        if names == 2 and (both_names is None or size < both_names[0]):
            both_names = (size, span)
        elif is_admin_level(old) and is_admin_level(new) and (admin is None or size > admin[0]):
            admin = (size, span)
        elif names == 1 and (one_name is None or size < one_name[0]):
            one_name = (size, span)
    for found in (both_names, admin, one_name):
        if found is not None:
            return Edit("place", *found[1])
    return None


_RUNS = re.compile(rf"[{''.join(sorted(PLACEHOLDERS))}]+|[^{''.join(sorted(PLACEHOLDERS))}]+")


def _placeholder_runs(a: str, b: str, a0: int, a1: int, b0: int, b1: int) -> list[Edit]:
    """Several placeholders swapped in one region, the text between them kept (**和** → xx和xx).

    Returns one ``placeholder`` edit per run of marks that changed, or none
    when the two sides differ in anything but their runs of marks.

    Examples:
        >>> edits = _placeholder_runs("**和**", "xx和xx", 0, 5, 0, 5)
        >>> [(e.a_start, e.a_end, e.b_start, e.b_end) for e in edits]
        [(0, 2, 0, 2), (3, 5, 3, 5)]
        >>> _placeholder_runs("**和**", "xx与xx", 0, 5, 0, 5)
        []
    """
    old, new = list(_RUNS.finditer(a[a0:a1])), list(_RUNS.finditer(b[b0:b1]))
    if len(old) != len(new) or len(old) < 2:
        return []
    edits = []
    for x, y in zip(old, new, strict=True):
        marks = is_placeholder(x.group()), is_placeholder(y.group())
        if marks == (False, False) and x.group() == y.group():
            continue
        if marks != (True, True) or len(x.group()) > _MAX_SWAP or len(y.group()) > _MAX_SWAP:
            return []
        edits.append(Edit("placeholder", a0 + x.start(), a0 + x.end(), b0 + y.start(), b0 + y.end()))
    return edits


def classify(a: str, b: str, region: tuple[int, int, int, int], lexicon: Lexicon) -> list[Edit]:
    """Classify one edit region of two normalised texts.

    Args:
        a: First normalised text.
        b: Second normalised text.
        region: ``(a0, a1, b0, b1)`` from :func:`regions`.
        lexicon: Known spin pairs.

    Returns:
        One or more edits: swaps, or an ``inserted`` and/or ``deleted`` passage.
    """
    a0, a1, b0, b1 = region
    old, new = a[a0:a1], b[b0:b1]
    numeric = _numeric(a, b, a0, a1, b0, b1)
    if numeric is not None:
        return [numeric]
    marks = [is_placeholder(old), is_placeholder(new)]
    if old and new and (all(marks) or (any(marks) and max(len(old), len(new)) <= _MAX_SWAP)):
        # Marks on both sides may run long where punctuation between them was
        # removed (**.**%、*): the report cuts them there again, piece for piece.
        return [Edit("placeholder", a0, a1, b0, b1)]
    runs = _placeholder_runs(a, b, a0, a1, b0, b1)
    if runs:
        return runs
    if max(len(old), len(new)) <= _MAX_SWAP * 2 and lexicon.longest:
        for s0, s1, t0, t1 in _expansions(a, b, a0, a1, b0, b1, lexicon.longest - 1):
            found = lexicon.segment(a[s0:s1], b[t0:t1])
            if found:
                return [
                    Edit("synonym", s0 + x0, s0 + x1, t0 + y0, t0 + y1, known_spin=True)
                    for x0, x1, y0, y1 in found
                ]
    if old and new and len(old) <= _MAX_SWAP and len(new) <= _MAX_SWAP:
        place = _place(a, b, a0, a1, b0, b1)
        if place is not None:
            return [place]
        if len(old) <= _MAX_WORD and len(new) <= _MAX_WORD:
            return [Edit("word", a0, a1, b0, b1)]
    edits = []
    if old:
        edits.append(Edit("deleted", a0, a1, b0, b0))
    if new:
        edits.append(Edit("inserted", a1, a1, b0, b1))
    return edits
