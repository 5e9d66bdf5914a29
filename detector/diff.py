"""What changed between two aligned texts: swaps, insertions, deletions, moves.

:func:`changes` runs align → classify → group on two :class:`AlignedText`
(whole documents, or slices of them for one reused passage) and maps every
finding back to the original texts through the offset maps. ``detector
diff`` and the swaps inside every reused passage of a check both come from
here. The whole comparison of two documents is :func:`detector.compare`.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

import numpy as np

from detector.align import Alignment, Opcode, align
from detector.canonical import fold_script, to_simplified
from detector.config import Config
from detector.entities import (
    FRACTIONS,
    NUMBER_INNER,
    NUMBER_TAIL,
    NUMBER_TOKEN,
    is_number_word,
    placeholder_spans,
)
from detector.lines import LineIndex
from detector.normalize import FurnitureRules, NormalizedText, normalize
from detector.results import SWAP_KINDS, Passage, Position, Swap, SwapKind
from detector.scripts import spaced_char, whole_words, written_with_spaces
from detector.swaps import Edit, Lexicon, classify, load_lexicon, regions, widen_numbers

__all__ = ["AlignedText", "Changes", "changes"]

#: Texts are related when this share of the shorter one (and at least this
#: many characters) aligns through unique anchors, or half of it aligns at all.
_MIN_ANCHORED_SHARE = 0.05
_MIN_ANCHORED_CHARS = 50
#: First private-use code point standing for a whole number during alignment.
_SYMBOLS = 0xF0000


class AlignedText:
    """One document as alignment sees it: the normalised text, its numbers, its lines.

    Positions found in an aligned text are offsets into the original text,
    also for a :meth:`slice`, so a passage's swaps need no shifting.

    Args:
        norm: The normalised text (script folded, spin kept: swaps must see it).
    """

    def __init__(self, norm: NormalizedText) -> None:
        token = np.full(len(norm.original) + 1, -1, dtype=np.int64)
        for number, m in enumerate(NUMBER_TOKEN.finditer(norm.original)):
            token[m.start() : m.end()] = number
        numbers = token[norm.offsets].tolist() if len(norm.offsets) else []
        mark = np.full(len(norm.original) + 1, -1, dtype=np.int64)
        for run, (m0, m1) in enumerate(placeholder_spans(norm.original)):
            mark[m0:m1] = run
        self._set(
            norm, numbers, LineIndex(norm.original), mark[norm.offsets] if len(norm.offsets) else mark[:0]
        )

    @classmethod
    def of(cls, text: str, config: Config, rules: FurnitureRules | None = None) -> AlignedText:
        """The aligned form of a text: normalised, with traditional script folded when
        ``config.canonical`` (spun words are kept, so that swaps can name them)."""
        if config.canonical:
            return cls(fold_script(normalize(text, rules=rules, fold=to_simplified)))
        return cls(normalize(text, rules=rules))

    def _set(self, norm: NormalizedText, numbers: list[int], lines: LineIndex, marks: np.ndarray) -> None:
        self.norm = norm
        self.text = norm.text
        self.original = norm.original
        self.numbers = numbers
        self.lines = lines
        #: For each character, the run of placeholder marks it belongs to in the original (-1: none).
        self.marks = marks

    def slice(self, start: int, end: int) -> AlignedText:
        """The part ``[start, end)`` of the normalised text, offsets still into the whole original."""
        part = NormalizedText(self.text[start:end], self.norm.offsets[start:end], self.original)
        sliced = AlignedText.__new__(AlignedText)
        sliced._set(part, self.numbers[start:end], self.lines, self.marks[start:end])
        return sliced

    def pieces(self, start: int, end: int) -> list[tuple[int, int]]:
        """``[start, end)`` cut where the original has punctuation between two characters.

        Examples:
            >>> AlignedText.of("**.**%、*", Config()).pieces(0, 5)
            [(0, 2), (2, 4), (4, 5)]
        """
        cuts = [start]
        for i in range(start, end - 1):
            between = self.original[int(self.norm.offsets[i]) + 1 : int(self.norm.offsets[i + 1])]
            if between.strip():
                cuts.append(i + 1)
        cuts.append(end)
        return list(itertools.pairwise(cuts))

    def locate(self, o0: int, o1: int) -> tuple[int, int]:
        """The span of the normalised text that covers the original span ``[o0, o1)``."""
        offsets = self.norm.offsets
        return int(np.searchsorted(offsets, o0, "left")), int(np.searchsorted(offsets, o1, "left"))

    def atoms(self, symbols: dict[str, str]) -> tuple[str, list[int]]:
        """The text with each number as one symbol, and where each symbol starts.

        Aligning numbers as units keeps their digits from being matched across
        different numbers; a run of placeholder marks (``**``) is one unit too,
        so runs that changed pair up with each other, not with a neighbour's
        marks. ``symbols`` maps a number as written to its symbol
        and is shared by both texts.
        """
        if not self.text:
            return "", [0]
        numbers = np.asarray(self.numbers, dtype=np.int64)
        # Numbers and runs of placeholder marks are units: ids kept apart by sign.
        units = np.where(numbers >= 0, numbers, np.where(self.marks >= 0, -2 - self.marks, -1))
        previous = np.concatenate(([-1], units[:-1]))
        kept = np.flatnonzero((units == -1) | (units != previous))
        starts = [*kept.tolist(), len(self.text)]
        atoms = self.norm.codepoints()[kept]
        for k in np.flatnonzero(units[kept] != -1).tolist():
            if units[kept[k]] >= 0:
                o0, o1 = self.number_span(starts[k], starts[k + 1])
            else:
                o0, o1 = self.span(starts[k], starts[k + 1])
            written = unicodedata.normalize("NFKC", self.original[o0:o1])
            atoms[k] = ord(symbols.setdefault(written, chr(_SYMBOLS + len(symbols))))
        return atoms.tobytes().decode("utf-32-le"), starts

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original span of a normalised span (an empty one maps to a point)."""
        if start < end:
            return self.norm.original_span(start, end)
        if start < len(self.text):
            point = int(self.norm.offsets[start])
        elif self.text:
            point = int(self.norm.offsets[-1]) + 1
        else:
            point = 0
        return point, point

    def number_span(self, start: int, end: int) -> tuple[int, int]:
        """Original span of a number, widened over decimal points and percent signs."""
        o0, o1 = self.span(start, end)
        while o1 < len(self.original) and (
            self.original[o1] in NUMBER_TAIL
            or (
                self.original[o1] in NUMBER_INNER
                and o1 + 1 < len(self.original)
                and self.original[o1 + 1].isdigit()
            )
        ):
            o1 += 1
        return o0, o1


def _display(text: str) -> str:
    """How a swap shows a side: width folded (vulgar fractions kept), spaces only between words.

    Examples:
        >>> _display("２０２２年"), _display("2½ per  cent"), _display("全 县")
        ('2022年', '2½ per cent', '全县')
    """
    folded = "".join(ch if ch in FRACTIONS else unicodedata.normalize("NFKC", ch) for ch in text)
    return _SPACE_RUN.sub(_space, folded.strip())


_SPACE_RUN = re.compile(r"\s+")


def _space(m: re.Match[str]) -> str:
    """One space between two characters of a language written with spaces, else nothing."""
    before, after = m.string[m.start() - 1], m.string[m.end()]
    return " " if spaced_char(before) and spaced_char(after) else ""


@dataclass(frozen=True)
class Changes:
    """What aligning two texts found, every position an offset into the originals.

    Attributes:
        related: False when the texts share too little to align; then
            nothing else is listed.
        swaps: Swaps grouped by (kind, old, new), in kind order then by count.
        inserted: Passages only in the second text.
        deleted: Passages only in the first text.
        moved: Passages in both, in a different order.
    """

    related: bool
    swaps: tuple[Swap, ...] = ()
    inserted: tuple[Passage, ...] = ()
    deleted: tuple[Passage, ...] = ()
    moved: tuple[Passage, ...] = ()


def changes(
    sa: AlignedText, sb: AlignedText, lexicon: Lexicon | None = None, *, counterparts: bool = True
) -> Changes:
    """Align two texts and list what was swapped, inserted, deleted and moved.

    Args:
        sa: The first (older) text, or a slice of it.
        sb: The second text, or a slice of it.
        lexicon: Spin lexicon (the bundled one by default).
        counterparts: Pair each deleted passage with an inserted one that is
            the same text moved and edited (a sentence carried to another
            paragraph with its number changed), and list the swaps inside
            them; the pair is listed as moved.

    Returns:
        The :class:`Changes`; positions are offsets in the original texts.

    Examples:
        >>> a = AlignedText.of("坚决打赢2022年污染防治攻坚战，为县域发展提供坚实基础。", Config())
        >>> b = AlignedText.of("坚决打赢2023年污染防治攻坚战,为县域开展提供坚实根底", Config())
        >>> [(s.kind, s.old, s.new) for s in changes(a, b).swaps]
        [('year', '2022', '2023'), ('synonym', '发展', '开展'), ('synonym', '基础', '根底')]
    """
    lexicon = lexicon or load_lexicon()
    symbols: dict[str, str] = {}
    (a_atoms, a_starts), (b_atoms, b_starts) = sa.atoms(symbols), sb.atoms(symbols)
    alignment = _expand(align(a_atoms, b_atoms), a_starts, b_starts)
    shorter = min(len(sa.text), len(sb.text))
    related = (
        alignment.anchored >= max(_MIN_ANCHORED_CHARS, _MIN_ANCHORED_SHARE * shorter)
        or alignment.matched >= 0.5 * shorter
    )
    if not related:
        return Changes(False)
    alignment, inside = _across_numbers(sa, sb, alignment)
    found = _Found(sa, sb, alignment)
    found.inside = inside
    for edit in inside:
        found.collect(edit)
    widened = widen_numbers(regions(alignment.opcodes, sa.text), sa.numbers, sb.numbers)
    for region in (piece for r in widened for piece in _split_numbers(r, sa.numbers, sb.numbers)):
        edits = classify(sa.text, sb.text, region, lexicon)
        if found.spaced[0] and found.spaced[1]:
            edits = _whole_word(sa, sb, region, edits)
        for edit in edits:
            found.collect(edit)
    if counterparts:
        found.pair_moved(lexicon)
    return found.changes()


#: Longest word (characters) a replacement in text written with spaces may be to be a word swap.
_LONGEST_WORD = 20


def _whole_word(
    sa: AlignedText, sb: AlignedText, region: tuple[int, int, int, int], edits: list[Edit]
) -> list[Edit]:
    """In text written with spaces, a replacement of one whole word by another is a word swap.

    ``lower → raise`` is one swap of whole words, not a deletion and an
    insertion, nor ``lowe → rais``.
    """
    a0, a1, b0, b1 = region
    if a0 == a1 or b0 == b1 or any(e.kind not in ("word", "inserted", "deleted") for e in edits):
        return edits
    spans, words = [], []
    for side, (start, end) in ((sa, (a0, a1)), (sb, (b0, b1))):
        o0, o1 = whole_words(side.original, *side.span(start, end))
        word = side.original[o0:o1]
        if len(word) > _LONGEST_WORD or not (word.replace("-", "").isalpha() or NUMBER_TOKEN.fullmatch(word)):
            return edits
        spans.append(side.locate(o0, o1))
        words.append(word)
    numbers = [is_number_word(w) or bool(NUMBER_TOKEN.fullmatch(w)) for w in words]
    if not all(numbers) and not all(w.isalpha() for w in words):
        return edits
    (s0, s1), (t0, t1) = spans
    return [Edit("number" if all(numbers) else "word", s0, s1, t0, t1)]


#: Equal characters a moved passage must go on for after a changed number to take the number in.
_MOVED_TAIL = 4


def _across_numbers(sa: AlignedText, sb: AlignedText, alignment: Alignment) -> tuple[Alignment, list[Edit]]:
    """Moved passages carried on across a changed number; the number swaps inside them.

    The aligner's moved passages are exact: one that moved with a number
    changed stops at the number. Where both sides go on with a number and
    then at least :data:`_MOVED_TAIL` equal characters, the passage takes
    them in and the numbers are a swap.
    """
    moved, inside = [], []
    for a0, a1, b0, b1 in alignment.moved:
        while a1 < len(sa.text) and b1 < len(sb.text) and sa.numbers[a1] >= 0 and sb.numbers[b1] >= 0:
            na, nb = _number_end(sa.numbers, a1), _number_end(sb.numbers, b1)
            tail = _common_prefix(sa.text, na, sb.text, nb)
            if tail < _MOVED_TAIL:
                break
            inside.append(Edit("number", a1, na, b1, nb))
            a1, b1 = na + tail, nb + tail
        moved.append((a0, a1, b0, b1))
    if not inside:
        return alignment, []
    return Alignment(alignment.opcodes, tuple(moved), alignment.anchored), inside


def _number_end(ids: list[int], start: int) -> int:
    end = start
    while end < len(ids) and ids[end] == ids[start]:
        end += 1
    return end


def _common_prefix(a: str, i: int, b: str, j: int) -> int:
    k = 0
    while i + k < len(a) and j + k < len(b) and a[i + k] == b[j + k]:
        k += 1
    return k


def _runs(ids: list[int], start: int, end: int) -> list[tuple[int, int, bool]]:
    """Split ``[start, end)`` into runs: whole numbers, and the text between them."""
    runs: list[tuple[int, int, bool]] = []
    i = start
    while i < end:
        j = i + 1
        while j < end and (ids[j] == ids[i] if ids[i] >= 0 else ids[j] < 0):
            j += 1
        runs.append((i, j, ids[i] >= 0))
        i = j
    return runs


def _split_numbers(
    region: tuple[int, int, int, int], a_ids: list[int], b_ids: list[int]
) -> list[tuple[int, int, int, int]]:
    """Split a region holding as many numbers on each side into number-for-number pieces.

    ``增长4.5%`` → ``按增长5%安排`` gives a number swap 4.5% → 5% and an
    insertion, not one muddled replacement.
    """
    a0, a1, b0, b1 = region
    ra, rb = _runs(a_ids, a0, a1), _runs(b_ids, b0, b1)
    numbers_a = [r for r in ra if r[2]]
    numbers_b = [r for r in rb if r[2]]
    if not numbers_a or len(numbers_a) != len(numbers_b) or (len(ra) == 1 and len(rb) == 1):
        return [region]
    pieces = []
    pa, pb = a0, b0
    for (s0, s1, _), (t0, t1, _) in zip(numbers_a, numbers_b, strict=True):
        if pa < s0 or pb < t0:
            pieces.append((pa, s0, pb, t0))
        pieces.append((s0, s1, t0, t1))
        pa, pb = s1, t1
    if pa < a1 or pb < b1:
        pieces.append((pa, a1, pb, b1))
    return pieces


def _expand(alignment: Alignment, a_starts: list[int], b_starts: list[int]) -> Alignment:
    """Map an alignment of number-as-symbol texts back to the normalised texts."""
    opcodes = tuple(
        Opcode(op.tag, a_starts[op.a_start], a_starts[op.a_end], b_starts[op.b_start], b_starts[op.b_end])
        for op in alignment.opcodes
    )
    moved = tuple(
        (a_starts[a0], a_starts[a1], b_starts[b0], b_starts[b1]) for a0, a1, b0, b1 in alignment.moved
    )
    return Alignment(opcodes, moved, alignment.anchored)


class _Found:
    """Edits collected into swaps and passages, mapped to the original texts."""

    def __init__(self, sa: AlignedText, sb: AlignedText, alignment: Alignment) -> None:
        self.sa, self.sb, self.alignment = sa, sb, alignment
        self.grouped: dict[tuple[SwapKind, str, str], list[Position]] = defaultdict(list)
        self.spin: dict[tuple[SwapKind, str, str], bool] = {}
        self.inserted: list[Passage] = []
        self.deleted: list[Passage] = []
        self.inserted_at: list[tuple[int, int]] = []
        self.deleted_at: list[tuple[int, int]] = []
        self.paired: list[Passage] = []
        self.inside: list[Edit] = []
        self.spaced = written_with_spaces(sa.text), written_with_spaces(sb.text)
        self.moved_a = [(m[0], m[1]) for m in alignment.moved]
        self.moved_b = [(m[2], m[3]) for m in alignment.moved]

    def collect(self, edit: Edit) -> None:
        sa, sb = self.sa, self.sb
        if edit.kind == "inserted":
            if not _inside(self.moved_b, edit.b_start, edit.b_end):
                o = sa.span(edit.a_start, edit.a_start)
                p0, p1 = self._words(1, sb.span(edit.b_start, edit.b_end))
                self.inserted.append(Passage(o[0], o[0], p0, p1, sb.original[p0:p1]))
                self.inserted_at.append((edit.b_start, edit.b_end))
            return
        if edit.kind == "deleted":
            if not _inside(self.moved_a, edit.a_start, edit.a_end):
                o0, o1 = self._words(0, sa.span(edit.a_start, edit.a_end))
                p = sb.span(edit.b_start, edit.b_start)
                self.deleted.append(Passage(o0, o1, p[0], p[0], sa.original[o0:o1]))
                self.deleted_at.append((edit.a_start, edit.a_end))
            return
        if self.moved_b and _overlaps(self.moved_b, edit.b_start, edit.b_end) and edit not in self.inside:
            return
        if edit.kind == "number":
            o0, o1 = sa.number_span(edit.a_start, edit.a_end)
            p0, p1 = sb.number_span(edit.b_start, edit.b_end)
            self._swap(edit, o0, o1, p0, p1)
            return
        # A swap never spans punctuation the normalisation removed: it is cut
        # there, piece for piece, or it is no swap but a deletion and an insertion.
        pieces_a = sa.pieces(edit.a_start, edit.a_end)
        pieces_b = sb.pieces(edit.b_start, edit.b_end)
        if len(pieces_a) != len(pieces_b):
            self.collect(Edit("deleted", edit.a_start, edit.a_end, edit.b_start, edit.b_start))
            self.collect(Edit("inserted", edit.a_end, edit.a_end, edit.b_start, edit.b_end))
            return
        for (a0, a1), (b0, b1) in zip(pieces_a, pieces_b, strict=True):
            self._swap(edit, *sa.span(a0, a1), *sb.span(b0, b1))

    def _swap(self, edit: Edit, o0: int, o1: int, p0: int, p1: int) -> None:
        sa, sb = self.sa, self.sb
        old, new = _display(sa.original[o0:o1]), _display(sb.original[p0:p1])
        if old == new:
            return
        key = (cast(SwapKind, edit.kind), old, new)
        al, ac = sa.lines.line_column(o0)
        bl, bc = sb.lines.line_column(p0)
        self.grouped[key].append(Position(o0, o1, p0, p1, al, ac, bl, bc))
        self.spin[key] = edit.known_spin

    def _words(self, side: int, span: tuple[int, int]) -> tuple[int, int]:
        """A passage's span completed to whole words when its text is written with spaces."""
        if not self.spaced[side]:
            return span
        return whole_words((self.sa, self.sb)[side].original, *span)

    def pair_moved(self, lexicon: Lexicon) -> None:
        """Align deleted passages with inserted ones that hold the same text, moved and edited.

        Candidates share masked k-grams (digits masked, so changed numbers
        still match); each pair whose alignment relates them gives its
        swaps, is listed as moved, and leaves only its unmatched parts as
        deleted and inserted, which are paired again (a passage that held
        two moved sentences gives up both).
        """
        for _ in range(_COUNTERPART_ROUNDS):
            if not self._pair_once(lexicon):
                break

    def _pair_once(self, lexicon: Lexicon) -> bool:
        """One round of :meth:`pair_moved`; whether it paired anything."""
        pairs = _counterparts(
            [self.sa.text[a0:a1] for a0, a1 in self.deleted_at],
            [self.sb.text[b0:b1] for b0, b1 in self.inserted_at],
        )
        gone_d: set[int] = set()
        gone_i: set[int] = set()
        for d, i in pairs:
            if d in gone_d or i in gone_i:
                continue
            (a0, a1), (b0, b1) = self.deleted_at[d], self.inserted_at[i]
            inner = changes(self.sa.slice(a0, a1), self.sb.slice(b0, b1), lexicon, counterparts=False)
            if not inner.related:
                continue
            gone_d.add(d)
            gone_i.add(i)
            for swap in inner.swaps:
                self.grouped[(swap.kind, swap.old, swap.new)].extend(swap.positions)
                key = (swap.kind, swap.old, swap.new)
                self.spin[key] = self.spin.get(key, False) or swap.known_spin
            o0, o1 = self._words(0, self.sa.span(a0, a1))
            p0, p1 = self._words(1, self.sb.span(b0, b1))
            self.paired.append(Passage(o0, o1, p0, p1, self.sa.original[o0:o1]))
            for passage in inner.deleted:
                self.deleted.append(passage)
                self.deleted_at.append(self.sa.locate(passage.a_start, passage.a_end))
            for passage in inner.inserted:
                self.inserted.append(passage)
                self.inserted_at.append(self.sb.locate(passage.b_start, passage.b_end))
        self.deleted, self.deleted_at = _without(self.deleted, self.deleted_at, gone_d)
        self.inserted, self.inserted_at = _without(self.inserted, self.inserted_at, gone_i)
        return bool(gone_d)

    def changes(self) -> Changes:
        swaps = []
        for (kind, old, new), places in self.grouped.items():
            # A place found again by a later round of pairing counts once.
            positions = tuple(sorted(set(places), key=lambda p: (p.a_start, p.b_start)))
            swaps.append(Swap(kind, old, new, len(positions), positions, self.spin[(kind, old, new)]))
        swaps.sort(key=lambda s: (SWAP_KINDS.index(s.kind), -s.count, s.positions[0].a_start))
        moved = []
        for a0, a1, b0, b1 in self.alignment.moved:
            o0, o1 = self._words(0, self.sa.span(a0, a1))
            p0, p1 = self._words(1, self.sb.span(b0, b1))
            moved.append(Passage(o0, o1, p0, p1, self.sa.original[o0:o1]))
        moved = sorted(moved + self.paired, key=lambda p: (p.a_start, p.b_start))
        self.deleted.sort(key=lambda p: (p.a_start, p.a_end))
        self.inserted.sort(key=lambda p: (p.b_start, p.b_end))
        return Changes(True, tuple(swaps), tuple(self.inserted), tuple(self.deleted), tuple(moved))


#: Rounds of pairing deleted and inserted passages (what one pair leaves is paired again).
_COUNTERPART_ROUNDS = 3


def _without(
    passages: list[Passage], spans: list[tuple[int, int]], gone: set[int]
) -> tuple[list[Passage], list[tuple[int, int]]]:
    """The passages and their normalised spans, those at the positions in ``gone`` left out."""
    kept = [k for k in range(len(passages)) if k not in gone]
    return [passages[k] for k in kept], [spans[k] for k in kept]


#: Characters of the k-grams that propose a deleted and an inserted passage as counterparts.
_COUNTERPART_K = 6
#: Shortest passage (normalised characters) paired with a counterpart.
_COUNTERPART_MIN = 10
#: Share of the shorter passage's k-grams the two must share.
_COUNTERPART_SHARE = 0.3
_DIGIT = re.compile(r"[0-9]")


def _counterparts(deleted: list[str], inserted: list[str]) -> list[tuple[int, int]]:
    """Pairs ``(deleted, inserted)`` that share enough k-grams once digits are masked, best first.

    Examples:
        >>> deleted = ["拟安排7000亿元用于生态环境保护", "无关的一段话"]
        >>> _counterparts(deleted, ["其他", "拟安排7350亿元用于生态环境保护"])
        [(0, 1)]
    """

    def grams(text: str) -> set[str]:
        masked = _DIGIT.sub("0", text)
        return {masked[k : k + _COUNTERPART_K] for k in range(len(masked) - _COUNTERPART_K + 1)}

    owners: dict[str, list[int]] = defaultdict(list)
    sizes = []
    for d, text in enumerate(deleted):
        found = grams(text) if len(text) >= _COUNTERPART_MIN else set()
        sizes.append(len(found))
        for gram in found:
            owners[gram].append(d)
    scored = []
    for i, text in enumerate(inserted):
        if len(text) < _COUNTERPART_MIN:
            continue
        found = grams(text)
        shared: dict[int, int] = defaultdict(int)
        for gram in found:
            for d in owners.get(gram, ()):
                shared[d] += 1
        for d, count in shared.items():
            if count >= _COUNTERPART_SHARE * min(len(found), sizes[d]):
                scored.append((-count, d, i))
    return [(d, i) for _, d, i in sorted(scored)]


def merge_swaps(swaps: Iterable[Swap]) -> tuple[Swap, ...]:
    """Swaps of several alignments (passages) as one table: the same swap counted once with all its places.

    Ordered as :func:`changes` orders its table: by kind, then most frequent
    first, then by place.
    """
    grouped: dict[tuple[SwapKind, str, str], list[Position]] = defaultdict(list)
    spin: dict[tuple[SwapKind, str, str], bool] = {}
    for swap in swaps:
        key = (swap.kind, swap.old, swap.new)
        grouped[key].extend(swap.positions)
        spin[key] = spin.get(key, False) or swap.known_spin
    merged = []
    for (kind, old, new), places in grouped.items():
        positions = tuple(sorted(set(places), key=lambda p: (p.a_start, p.b_start)))
        merged.append(Swap(kind, old, new, len(positions), positions, spin[(kind, old, new)]))
    merged.sort(key=lambda s: (SWAP_KINDS.index(s.kind), -s.count, s.positions[0].a_start))
    return tuple(merged)


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def __getattr__(name: str) -> Any:
    """``detector.diff.compare`` moved to :mod:`detector.workflows`; the old path works for one release."""
    if name == "compare":
        from detector.workflows import compare

        return compare
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
