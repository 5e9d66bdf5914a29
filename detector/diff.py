"""Compare two documents: align them and report what was swapped.

``compare`` runs read → normalise → align → classify → group, and maps every
finding back to the original texts through the offset maps.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import defaultdict

import numpy as np

from detector.align import Alignment, Opcode, align
from detector.canonical import fold_script, to_simplified
from detector.config import Config
from detector.normalize import FurnitureRules, NormalizedText, normalize
from detector.report import SWAP_KINDS, Comparison, Passage, Position, Swap
from detector.shingle import jaccard, shingle_sets
from detector.sources import Document
from detector.swaps import Edit, Lexicon, classify, load_lexicon, regions, widen_numbers

__all__ = ["compare"]

#: Texts are related when this share of the shorter one (and at least this
#: many characters) aligns through unique anchors, or half of it aligns at all.
_MIN_ANCHORED_SHARE = 0.05
_MIN_ANCHORED_CHARS = 50
_NUMBER_TAIL = frozenset("%％‰")
#: First private-use code point standing for a whole number during alignment.
_SYMBOLS = 0xF0000
#: A number as written in the original: digits with decimal points and a percent sign.
_NUMBER_TOKEN = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)*[%％‰]?")
_NUMBER_INNER = frozenset(".．")


class _Side:
    """One document: original text, normalised text, line starts."""

    def __init__(self, norm: NormalizedText) -> None:
        self.norm = norm
        self.text = norm.text
        self.original = norm.original
        self.line_starts = [0] + [i + 1 for i, c in enumerate(self.original) if c == "\n"]
        token = np.full(len(self.original) + 1, -1, dtype=np.int64)
        for number, m in enumerate(_NUMBER_TOKEN.finditer(self.original)):
            token[m.start() : m.end()] = number
        self.numbers = token[norm.offsets].tolist() if len(norm.offsets) else []

    def atoms(self, symbols: dict[str, str]) -> tuple[str, list[int]]:
        """The text with each number as one symbol, and where each symbol starts.

        Aligning numbers as units keeps their digits from being matched across
        different numbers. ``symbols`` maps a number as written to its symbol
        and is shared by both texts.
        """
        chars: list[str] = []
        starts: list[int] = []
        previous = -1
        for i, (ch, number) in enumerate(zip(self.text, self.numbers, strict=True)):
            if number >= 0 and number == previous:
                continue
            previous = number
            starts.append(i)
            if number < 0:
                chars.append(ch)
                continue
            end = i + 1
            while end < len(self.numbers) and self.numbers[end] == number:
                end += 1
            o0, o1 = self.number_span(i, end)
            written = unicodedata.normalize("NFKC", self.original[o0:o1])
            chars.append(symbols.setdefault(written, chr(_SYMBOLS + len(symbols))))
        starts.append(len(self.text))
        return "".join(chars), starts

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
            self.original[o1] in _NUMBER_TAIL
            or (
                self.original[o1] in _NUMBER_INNER
                and o1 + 1 < len(self.original)
                and self.original[o1 + 1].isdigit()
            )
        ):
            o1 += 1
        return o0, o1

    def line_column(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1


def _display(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def compare(
    a: str | Document,
    b: str | Document,
    *,
    config: Config | None = None,
    rules: FurnitureRules | None = None,
    lexicon: Lexicon | None = None,
) -> Comparison:
    """Compare two documents and list what was swapped, inserted, deleted and moved.

    Args:
        a: The first (older) document or its text.
        b: The second document or its text.
        config: Settings (``ngram`` for the similarity; with ``canonical``,
            traditional and simplified characters compare equal).
        rules: Furniture rules (bundled ones by default).
        lexicon: Spin lexicon (bundled one by default).

    Returns:
        A :class:`~detector.report.Comparison` whose positions are offsets in
        the original texts.

    Examples:
        >>> c = compare("坚决打赢2022年污染防治攻坚战，为县域发展提供坚实基础。",
        ...             "坚决打赢2023年污染防治攻坚战,为县域开展提供坚实根底")
        >>> [(s.kind, s.old, s.new) for s in c.swaps]
        [('year', '2022', '2023'), ('synonym', '发展', '开展'), ('synonym', '基础', '根底')]
    """
    config = config or Config()
    lexicon = lexicon or load_lexicon()
    docs = [d if isinstance(d, Document) else Document(id=label, text=d) for d, label in ((a, "a"), (b, "b"))]
    # Traditional and simplified characters align as equal (with ``config.canonical``);
    # what the swaps show is read from the original texts.
    if config.canonical:
        sa, sb = (_Side(fold_script(normalize(d.text, rules=rules, fold=to_simplified))) for d in docs)
    else:
        sa, sb = (_Side(normalize(d.text, rules=rules)) for d in docs)
    score = jaccard(*shingle_sets([sa.norm.codepoints(), sb.norm.codepoints()], config.ngram))
    symbols: dict[str, str] = {}
    (a_atoms, a_starts), (b_atoms, b_starts) = sa.atoms(symbols), sb.atoms(symbols)
    alignment = _expand(align(a_atoms, b_atoms), a_starts, b_starts)
    shorter = min(len(sa.text), len(sb.text))
    related = (
        alignment.anchored >= max(_MIN_ANCHORED_CHARS, _MIN_ANCHORED_SHARE * shorter)
        or alignment.matched >= 0.5 * shorter
    )
    labels = (docs[0].path or docs[0].id, docs[1].path or docs[1].id)
    if not related:
        return Comparison(labels[0], labels[1], score, False)

    grouped: dict[tuple[str, str, str], list[Position]] = defaultdict(list)
    spin: dict[tuple[str, str, str], bool] = {}
    inserted: list[Passage] = []
    deleted: list[Passage] = []
    moved_a = [(m[0], m[1]) for m in alignment.moved]
    moved_b = [(m[2], m[3]) for m in alignment.moved]

    def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in spans)

    widened = widen_numbers(regions(alignment.opcodes, sa.text), sa.numbers, sb.numbers)
    for region in (piece for r in widened for piece in _split_numbers(r, sa.numbers, sb.numbers)):
        for edit in classify(sa.text, sb.text, region, lexicon):
            _collect(edit, sa, sb, grouped, spin, inserted, deleted, moved_a, moved_b, inside)

    swaps = [
        Swap(kind, old, new, len(positions), tuple(positions), spin[(kind, old, new)])
        for (kind, old, new), positions in grouped.items()
    ]
    swaps.sort(key=lambda s: (SWAP_KINDS.index(s.kind), -s.count, s.positions[0].a_start))
    moved = []
    for a0, a1, b0, b1 in alignment.moved:
        o0, o1 = sa.span(a0, a1)
        p0, p1 = sb.span(b0, b1)
        moved.append(Passage(o0, o1, p0, p1, sa.original[o0:o1]))
    return Comparison(
        labels[0], labels[1], score, True, tuple(swaps), tuple(inserted), tuple(deleted), tuple(moved)
    )


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


def _collect(
    edit: Edit, sa: _Side, sb: _Side, grouped, spin, inserted, deleted, moved_a, moved_b, inside
) -> None:
    if edit.kind == "inserted":
        if inside(moved_b, edit.b_start, edit.b_end):
            return
        o = sa.span(edit.a_start, edit.a_start)
        p0, p1 = sb.span(edit.b_start, edit.b_end)
        inserted.append(Passage(o[0], o[0], p0, p1, sb.original[p0:p1]))
        return
    if edit.kind == "deleted":
        if inside(moved_a, edit.a_start, edit.a_end):
            return
        o0, o1 = sa.span(edit.a_start, edit.a_end)
        p = sb.span(edit.b_start, edit.b_start)
        deleted.append(Passage(o0, o1, p[0], p[0], sa.original[o0:o1]))
        return
    if edit.kind == "number":
        o0, o1 = sa.number_span(edit.a_start, edit.a_end)
        p0, p1 = sb.number_span(edit.b_start, edit.b_end)
    else:
        o0, o1 = sa.span(edit.a_start, edit.a_end)
        p0, p1 = sb.span(edit.b_start, edit.b_end)
    old, new = _display(sa.original[o0:o1]), _display(sb.original[p0:p1])
    if old == new:
        return
    key = (edit.kind, old, new)
    al, ac = sa.line_column(o0)
    bl, bc = sb.line_column(p0)
    grouped[key].append(Position(o0, o1, p0, p1, al, ac, bl, bc))
    spin[key] = edit.known_spin
