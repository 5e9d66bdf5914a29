"""The swap table on real documents nobody generated: which changed numbers it finds.

Corpora (``../shared/corpora``, or ``$DETECTOR_CORPORA``): the Reserve Bank
of Australia's monetary-policy statements (``en_rba_decisions``, English),
the 2026 provincial government work reports (``cn_provincial_gwr_2026``) and
the 2024 新闻联播 transcripts (``cn_xinwenlianbo_2024``). Each corpus gives
its consecutive pairs in sorted file-name order (A the earlier file, B the
later one).

What counts as a changed number, with no help from the detector:

* Sentences end after 。！？； (any text), after . ! ? ; followed by
  whitespace (so 3.85 does not end one; U.S. does) and at line breaks.
  A list number at a sentence's start (``3.``, ``（二）``, ``四、``) is not
  part of it. Sentences with fewer than 10 characters besides numbers and
  whitespace are left out (headings, dates).
* A sentence's numbers: every match of ``detector.entities.NUMBER_TOKEN``
  (5-1/4, 2½, 1,234.5, 4.5%), every run of Chinese numerals
  (``CN_NUMERALS``, with 百分之 before it), and the English number words
  one … twenty, hundred, thousand, million, billion, half, quarter as whole
  words. Its masked form has each number replaced by one mark and
  whitespace collapsed.
* A changed sentence pair: a sentence of A and one of B with the same masked
  form and different numbers. Each B sentence takes at most one A sentence
  and each A sentence at most one B sentence; a B sentence with an A
  sentence of the same masked form and the same numbers is unchanged. Of
  several A candidates, the one with the fewest differing numbers, then the
  nearest relative position, is taken.
* Each position where the two number lists differ is one changed number
  (old as written in A, new as written in B).
* Moved: all sentence matches (unchanged and changed) are put in A's order;
  the longest chain that is also in B's order is the aligned text, and a
  changed pair outside that chain is moved.

What the detector finds: ``detector.compare(A, B).swaps`` (the swap table of
the two aligned whole texts, not the per-passage swaps). A changed number is

* found whole: a swap of kind ``year`` or ``number`` with old and new equal to
  the numbers as written (width-folded, whitespace removed), at a position
  whose ``a_start`` lies in the A sentence and ``b_start`` in the B sentence
  (an ordinal swap is written with its 第 and unit, 第十集 → 第十一集: its
  numbers are compared);
* found with a wrong kind: the same, with another kind;
* found partly: a swap at that place whose old is part of the A number and
  new part of the B number (not both whole);
* found wider: a swap at that place whose old holds the A number and new the
  B number, at least one with more around it;
* missed: none of these.

Usage:
    python -m benchmarks.real_swaps [--corpus NAME]... [--limit N] [--write]

``--limit`` takes the first N pairs of each corpus; ``--write`` replaces the
real_swaps section of ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.results import machine, publish
from detector import compare, read_document
from detector.entities import CN_NUMERALS, NUMBER_TOKEN, ORDINAL_MARK, ORDINAL_UNITS
from detector.errors import DetectorError
from detector.results import Swap

ROOT = Path(__file__).resolve().parent.parent
CORPORA = Path(os.environ.get("DETECTOR_CORPORA", ROOT.parent / "shared" / "corpora"))
LAYOUT = {
    "en_rba_decisions": "docs/*.txt",
    "cn_provincial_gwr_2026": "docs/*.txt",
    "cn_xinwenlianbo_2024": "news/*.md",
}
NUMBER_KINDS = frozenset({"year", "number"})
MIN_TEXT = 10
CONTEXT = 30
EXAMPLES = 10

_ENGLISH = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
_ENGLISH += " seventeen eighteen nineteen twenty hundred thousand million billion half quarter"
_CN = "".join(sorted(CN_NUMERALS))
NUMBERS = re.compile(
    rf"(?:百分之)?[{_CN}]+|{NUMBER_TOKEN.pattern}|(?i:\b(?:{_ENGLISH.replace(' ', '|')})\b)",
)
SENTENCE_END = re.compile(r"[。！？；]|[.!?;](?=\s)|\n")
SPACES = re.compile(r"\s+")
_LIST_NUMBER = "0-9０-９一二三四五六七八九十"
LIST_MARK = re.compile(rf"(?:[0-9０-９]+[.．、]|[（(][{_LIST_NUMBER}]+[）)]|[一二三四五六七八九十]+、)\s*")
MARK = "\ue000"  # a private-use character: never in the texts


@dataclass(frozen=True)
class Sentence:
    """One sentence: its span in the original text, masked form and numbers as written."""

    index: int
    start: int
    end: int
    masked: str
    numbers: tuple[tuple[int, int, str], ...]  # (start, end, text) in the original text


@dataclass
class Tally:
    """Counts over changed numbers (all, or only those in moved sentences)."""

    sentences: int = 0
    numbers: int = 0
    pairs: int = 0  # document pairs with a changed sentence
    unrelated: int = 0  # of them, pairs compare() calls unrelated (no swap table)
    outcomes: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: str) -> None:
        self.numbers += 1
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


@dataclass(frozen=True)
class Missed:
    """A changed number the swap table does not list, with its context."""

    pair: str
    old: str
    new: str
    context_a: str
    context_b: str


OUTCOMES = ("whole", "wrong kind", "partly", "wider", "missed")


def fold(text: str) -> str:
    """Width-folded, whitespace removed: the form swap sides are given in."""
    out = [chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in text]
    return SPACES.sub("", "".join(out))


def sentences(text: str) -> list[Sentence]:
    """The sentences of a text with enough text besides numbers, in order."""
    found: list[Sentence] = []
    start = 0
    ends = [m.end() for m in SENTENCE_END.finditer(text)]
    for end in [*ends, len(text)]:
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        mark = LIST_MARK.match(piece, lead)
        lead = mark.end() if mark else lead
        first, last = start + lead, start + len(piece.rstrip())
        start = end
        if first >= last:
            continue
        body = text[first:last]
        numbers = tuple((first + m.start(), first + m.end(), m.group()) for m in NUMBERS.finditer(body))
        masked = SPACES.sub(" ", NUMBERS.sub(MARK, body)).strip()
        if len(SPACES.sub("", masked.replace(MARK, ""))) < MIN_TEXT:
            continue
        found.append(Sentence(len(found), first, last, masked, numbers))
    return found


def differing(a: Sentence, b: Sentence) -> int:
    return sum(x[2] != y[2] for x, y in zip(a.numbers, b.numbers, strict=True))


def distance(a: Sentence, b: Sentence, count_a: int, count_b: int) -> float:
    return abs(a.index / count_a - b.index / count_b)


def match(
    a: list[Sentence], b: list[Sentence]
) -> tuple[list[tuple[Sentence, Sentence]], set[tuple[int, int]]]:
    """Changed sentence pairs, and every sentence match (unchanged too) as index pairs."""
    by_form: dict[str, list[Sentence]] = {}
    for s in a:
        by_form.setdefault(s.masked, []).append(s)
    used: set[int] = set()
    changed: list[tuple[Sentence, Sentence]] = []
    matches: set[tuple[int, int]] = set()
    for s in b:
        candidates = [c for c in by_form.get(s.masked, []) if c.index not in used]
        if not candidates:
            continue
        same = [c for c in candidates if differing(c, s) == 0]
        if same:
            chosen = min(same, key=lambda c: abs(c.index / len(a) - s.index / len(b)))
        else:
            chosen = min(
                candidates, key=lambda c: (differing(c, s), abs(c.index / len(a) - s.index / len(b)))
            )
            changed.append((chosen, s))
        used.add(chosen.index)
        matches.add((chosen.index, s.index))
    return changed, matches


def in_order(matches: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The longest chain of matches increasing in both A and B (the aligned ones)."""
    pairs = sorted(matches)
    tails: list[int] = []  # tails[k]: smallest B index ending a chain of length k + 1
    tail_at: list[int] = []  # index into pairs of that tail
    back: list[int] = [-1] * len(pairs)
    for n, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tails, j)
        back[n] = tail_at[k - 1] if k else -1
        if k == len(tails):
            tails.append(j)
            tail_at.append(n)
        else:
            tails[k], tail_at[k] = j, n
    chain: set[tuple[int, int]] = set()
    n = tail_at[-1] if tail_at else -1
    while n >= 0:
        chain.add(pairs[n])
        n = back[n]
    return chain


def _ordinal_number(ordinal: str) -> str:
    """The number of an ordinal as the swap table writes it: 第十一次 → 十一."""
    number = ordinal.removeprefix(ORDINAL_MARK)
    return number[:-1] if number and number[-1] in ORDINAL_UNITS else number


def outcome(old: str, new: str, a: Sentence, b: Sentence, swaps: list[Swap]) -> str:
    """How the swap table reports one changed number (see the module docstring)."""
    old, new = fold(old), fold(new)
    best = "missed"
    for swap in swaps:
        if not any(a.start <= p.a_start < a.end and b.start <= p.b_start < b.end for p in swap.positions):
            continue
        s_old, s_new = fold(swap.old), fold(swap.new)
        if swap.kind == "number" and s_old.startswith(ORDINAL_MARK) and s_new.startswith(ORDINAL_MARK):
            s_old, s_new = _ordinal_number(s_old), _ordinal_number(s_new)
        if (s_old, s_new) == (old, new):
            if swap.kind in NUMBER_KINDS:
                return "whole"
            best = "wrong kind"
        elif s_old and s_new and s_old in old and s_new in new:
            best = min(best, "partly", key=OUTCOMES.index)
        elif old in s_old and new in s_new:
            best = min(best, "wider", key=OUTCOMES.index)
    return best


def context(text: str, start: int, end: int) -> str:
    around = text[max(0, start - CONTEXT) : start] + "[" + text[start:end] + "]" + text[end : end + CONTEXT]
    return SPACES.sub(" ", around).replace("`", "'")


def measure(corpus: str, limit: int | None) -> tuple[int, Tally, Tally, list[Missed], float]:
    """Consecutive pairs, tallies (all and moved), missed numbers and seconds for one corpus."""
    folder, pattern = LAYOUT[corpus].split("/")
    paths = sorted((CORPORA / corpus / folder).glob(pattern))
    pairs = list(itertools.pairwise(paths))[:limit]
    every, moved, missed = Tally(), Tally(), []
    started = time.perf_counter()
    for path_a, path_b in pairs:
        doc_a, doc_b = read_document(path_a), read_document(path_b)
        changed, matches = match(sentences(doc_a.text), sentences(doc_b.text))
        if not changed:
            continue
        aligned = in_order(matches)
        try:
            comparison = compare(doc_a, doc_b)
            related, swaps = comparison.related, list(comparison.swaps)
        except DetectorError:
            related, swaps = False, []
        every.pairs += 1
        every.unrelated += not related
        for a, b in changed:
            tallies = [every] if (a.index, b.index) in aligned else [every, moved]
            for tally in tallies:
                tally.sentences += 1
            for x, y in zip(a.numbers, b.numbers, strict=True):
                if x[2] == y[2]:
                    continue
                found = outcome(x[2], y[2], a, b, swaps)
                for tally in tallies:
                    tally.add(found)
                if found == "missed":
                    label = f"{path_a.stem} → {path_b.stem}"
                    missed.append(
                        Missed(
                            label,
                            x[2],
                            y[2],
                            context(doc_a.text, x[0], x[1]),
                            context(doc_b.text, y[0], y[1]),
                        )
                    )
    return len(pairs), every, moved, missed, time.perf_counter() - started


def spread(missed: list[Missed], count: int) -> list[Missed]:
    """Up to ``count`` examples, one per pair first, then a second per pair, and so on."""
    rank: dict[str, int] = {}
    ranked = []
    for order, m in enumerate(missed):
        rank[m.pair] = rank.get(m.pair, -1) + 1
        ranked.append((rank[m.pair], order, m))
    return [m for _, _, m in sorted(ranked, key=lambda r: r[:2])[:count]]


def share(part: int, whole: int) -> str:
    return f"{part} ({part / whole:.0%})" if whole else "0"


def row(name: str, tally: Tally) -> str:
    counts = [tally.outcomes.get(o, 0) for o in OUTCOMES]
    cells = [share(c, tally.numbers) for c in counts]
    return f"| {name} | {tally.sentences} | {tally.numbers} | " + " | ".join(cells) + " |"


def section(corpus: str, limit: int | None) -> str:
    pairs, every, moved, missed, seconds = measure(corpus, limit)
    lines = [
        f"### {corpus}",
        "",
        f"{pairs} consecutive pairs, {every.pairs} with a changed sentence, {every.unrelated} of those "
        f"unrelated to `compare` (no swap table); {every.sentences} changed sentence pairs, "
        f"{moved.sentences} of them moved ({seconds:.1f} s).",
        "",
        "| sentences | changed sentence pairs | changed numbers | found whole, right kind | wrong kind "
        "| partly | wider | missed |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        row("all", every),
        row("moved", moved),
        "",
    ]
    if missed:
        lines.append(f"Missed ({min(len(missed), EXAMPLES)} of {len(missed)}):")
        lines.append("")
        for m in spread(missed, EXAMPLES):
            lines.append(f"- {m.pair}: `{m.old}` → `{m.new}`; A `…{m.context_a}…`; B `…{m.context_b}…`")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", action="append", choices=sorted(LAYOUT), help="corpus (repeatable; default all)"
    )
    parser.add_argument("--limit", type=int, default=None, help="consecutive pairs per corpus (default all)")
    parser.add_argument("--write", action="store_true", help="replace the real_swaps section of RESULTS.md")
    args = parser.parse_args(argv)
    corpora = args.corpus or list(LAYOUT)
    command = "python -m benchmarks.real_swaps" + "".join(f" --corpus {c}" for c in args.corpus or [])
    if args.limit is not None:
        command += f" --limit {args.limit}"
    parts = [
        "## Swaps on real documents",
        "",
        "Changed numbers in sentences that consecutive real documents share (found without the detector), "
        "and how `detector.compare(A, B).swaps` reports them; definitions in `benchmarks/real_swaps.py`.",
        "",
        f"Machine: {machine()}. Reproduce: `{command}`.",
        "",
    ]
    parts.extend(section(c, args.limit) for c in corpora)
    publish("real_swaps", "\n".join(parts).rstrip("\n"), args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
