"""Swaps hold only the swapped text: no chunk marker, punctuation, whitespace or site furniture.

Pairs are a seed speech and a copy made by ``benchmarks.recycle``: recycled,
then wrapped by ``scrape`` in a document-sharing site's header and footer with
``1、 2、 3、`` chunk markers cut into its sentences and half-width
punctuation; or seed 003 and its real scraped copy, seed 004, as it is or
recycled again. Every swap is checked in each view: :func:`detector.compare`,
:meth:`detector.Corpus.check`, and the JSON of ``detector diff`` and
``detector check``.

For each swap, ``old`` and ``new`` are non-empty and hold no whitespace, no
punctuation (Unicode category ``P*``) or space separator (``Zs``), no chunk
marker (digits before ``、``, or before ``.``/``．`` not followed by a digit)
and no substring of four or more characters found only in the scraped page's
furniture lines. The marks a swap kind is made of are allowed: the decimal
point and ``%``/``‰`` of a ``number`` (4.5% → 5%), the ``*`` of a
``placeholder`` (* → x). Every position lies inside both texts, outside the
furniture lines of the copy, and the original text at it, NFKC-folded with
whitespace removed, is ``old`` in the source and ``new`` in the copy.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import detector
from benchmarks.recycle import recycle, scrape
from detector.cli import app

from .conftest import seed_text

ENV = {"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}
GENERATED_SEEDS = (0, 1, 2, 3)
REAL_PAIR = "003→004"
NOT_NUMBERS = frozenset({"year", "place", "placeholder", "synonym"})
CHUNK_MARKER = re.compile(r"[0-9０-９]+(?:、|[.．](?![0-9０-９]))")
MARKER_LINE = re.compile(r"\s*[0-9０-９]+、")
KIND_MARKS = {
    "number": re.compile(r"(?<=[0-9０-９])[.．](?=[0-9０-９])|(?<=[0-9０-９])[%％‰]"),
    "placeholder": re.compile(r"[*＊]"),
}
MIN_FURNITURE = 4


@dataclass(frozen=True)
class Pair:
    """A source text and its scraped, recycled copy."""

    label: str
    source: str
    variant: str


@dataclass(frozen=True)
class Found:
    """One swap as a view reports it, positions as (a_start, a_end, b_start, b_end)."""

    view: str
    kind: str
    old: str
    new: str
    positions: tuple[tuple[int, int, int, int], ...]

    def __str__(self) -> str:
        return f"{self.view}: {self.kind} {self.old!r} → {self.new!r}"


def display(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def generated_pair(number: int, strength: float, seed: int, scrape_seed: int) -> Pair:
    made = recycle(seed_text(number), strength=strength, seed=seed)
    variant = scrape(made.text, random.Random(scrape_seed))
    return Pair(
        f"seed {number:03d} strength {strength} seed {seed} scrape {scrape_seed}", seed_text(number), variant
    )


def real_pair(strength: float | None = None, seed: int = 0) -> Pair:
    """Seed 003 and seed 004, 004 recycled again when a strength is given.

    The recycled 004 keeps its chunk markers numbered in order (numbers are not
    nudged) and its furniture lines: its title year moves with the others.
    """
    variant = seed_text(4)
    if strength is not None:
        variant = recycle(variant, strength=strength, seed=seed, kinds=NOT_NUMBERS).text
    return Pair(f"{REAL_PAIR} strength {strength} seed {seed}", seed_text(3), variant)


@st.composite
def pairs(draw: st.DrawFn) -> Pair:
    origin = draw(st.sampled_from([*GENERATED_SEEDS, REAL_PAIR]))
    strength = draw(st.floats(min_value=0.2, max_value=1.0))
    seed = draw(st.integers(min_value=0, max_value=2**32 - 1))
    if origin == REAL_PAIR:
        return real_pair(strength, seed)
    assert isinstance(origin, int)
    return generated_pair(origin, strength, seed, draw(st.integers(min_value=0, max_value=2**32 - 1)))


def furniture_spans(variant: str) -> list[tuple[int, int]]:
    """Offsets of the copy's non-blank lines that are not chunks of the text."""
    spans, offset = [], 0
    for line in variant.splitlines(keepends=True):
        if line.strip() and not MARKER_LINE.match(line):
            spans.append((offset, offset + len(line)))
        offset += len(line)
    return spans


@dataclass(frozen=True)
class Furniture:
    """The copy's furniture lines and the text that is not furniture, display-folded."""

    spans: tuple[tuple[int, int], ...]
    lines: tuple[str, ...]
    clean: tuple[str, ...]

    @classmethod
    def of(cls, pair: Pair) -> Furniture:
        spans = furniture_spans(pair.variant)
        lines = tuple(display(pair.variant[s:e]) for s, e in spans)
        body = [line for line in pair.variant.splitlines() if MARKER_LINE.match(line)]
        return cls(tuple(spans), lines, (display(pair.source), display("".join(body))))

    def leaked(self, text: str) -> list[str]:
        """Substrings of ``text`` of four or more characters found only in furniture."""
        pieces = {text[i:j] for i in range(len(text)) for j in range(i + MIN_FURNITURE, len(text) + 1)}
        return sorted(
            p for p in pieces if any(p in line for line in self.lines) and not any(p in c for c in self.clean)
        )

    def covers(self, start: int, end: int) -> bool:
        return any(start < e and s < max(end, start + 1) for s, e in self.spans)


def text_problems(kind: str, text: str, furniture: Furniture) -> list[str]:
    problems = []
    if not text:
        problems.append("empty")
    if any(c.isspace() for c in text):
        problems.append("whitespace")
    bare = KIND_MARKS[kind].sub("", text) if kind in KIND_MARKS else text
    marks = [c for c in bare if unicodedata.category(c).startswith("P") or unicodedata.category(c) == "Zs"]
    if marks:
        problems.append(f"punctuation {''.join(marks)!r}")
    if CHUNK_MARKER.search(text):
        problems.append("chunk marker")
    leaked = furniture.leaked(text)
    if leaked:
        problems.append(f"furniture {leaked[:3]!r}")
    return problems


def position_problems(found: Found, pair: Pair, furniture: Furniture) -> list[str]:
    problems = []
    for a0, a1, b0, b1 in found.positions:
        where = f"[{a0}:{a1}]→[{b0}:{b1}]"
        if not (0 <= a0 <= a1 <= len(pair.source) and 0 <= b0 <= b1 <= len(pair.variant)):
            problems.append(f"{where} outside the texts")
            continue
        if furniture.covers(b0, b1):
            problems.append(f"{where} in a furniture line {pair.variant[b0:b1]!r}")
        shown = (display(pair.source[a0:a1]), display(pair.variant[b0:b1]))
        if shown != (found.old, found.new):
            problems.append(f"{where} reads {shown[0]!r} → {shown[1]!r}")
    return problems


def problems(pair: Pair, swaps: list[Found]) -> list[str]:
    furniture = Furniture.of(pair)
    out = []
    for found in swaps:
        for side, text in (("old", found.old), ("new", found.new)):
            out += [f"{found}: {side} {p}" for p in text_problems(found.kind, text, furniture)]
        out += [f"{found}: {p}" for p in position_problems(found, pair, furniture)]
    return out


def assert_clean(pair: Pair, swaps: list[Found]) -> None:
    found = problems(pair, swaps)
    assert not found, f"{pair.label}:\n" + "\n".join(found)


def from_swap(view: str, swap: detector.Swap) -> Found:
    positions = tuple((p.a_start, p.a_end, p.b_start, p.b_end) for p in swap.positions)
    return Found(view, swap.kind, swap.old, swap.new, positions)


def from_json(view: str, swap: dict[str, Any]) -> Found:
    positions = tuple((p["a_start"], p["a_end"], p["b_start"], p["b_end"]) for p in swap["positions"])
    return Found(view, swap["kind"], swap["old"], swap["new"], positions)


def compare_swaps(pair: Pair) -> list[Found]:
    comparison = detector.compare(pair.source, pair.variant)
    assert comparison.related, pair.label
    return [from_swap("compare", s) for s in comparison.swaps]


def check_swaps(pair: Pair) -> list[Found]:
    corpus = detector.Corpus()
    corpus.add(pair.source, id="source")
    report = corpus.check(pair.variant)
    assert report.sources, pair.label
    return [
        from_swap("Corpus.check", s) for source in report.sources for p in source.passages for s in p.swaps
    ]


def cli_json(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, list(args), env=ENV)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def cli_swaps(pair: Pair, folder: Path) -> list[Found]:
    a, b = folder / "source.txt", folder / "variant.txt"
    a.write_text(pair.source, encoding="utf-8")
    b.write_text(pair.variant, encoding="utf-8")
    diff = cli_json("diff", str(a), str(b), "--format", "json")
    check = cli_json("check", str(b), "--against", str(a), "--format", "json")
    passages = [p for source in check["drafts"][0]["sources"] for p in source["passages"]]
    assert passages, pair.label
    return [from_json("detector diff", s) for s in diff["swaps"]] + [
        from_json("detector check", s) for p in passages for s in p["swaps"]
    ]


def library_swaps(pair: Pair) -> list[Found]:
    return compare_swaps(pair) + check_swaps(pair)


@settings(max_examples=15, deadline=None)
@given(pairs())
def test_library_swaps_are_clean(pair: Pair) -> None:
    assert_clean(pair, library_swaps(pair))


def test_real_pair_swaps_are_clean_in_every_view(tmp_path: Path) -> None:
    pair = real_pair()
    swaps = library_swaps(pair) + cli_swaps(pair, tmp_path)
    assert {f.view for f in swaps} == {"compare", "Corpus.check", "detector diff", "detector check"}
    assert_clean(pair, swaps)


@pytest.mark.parametrize(("number", "strength", "seed", "scrape_seed"), [(1, 0.6, 1, 1), (3, 1.0, 7, 3)])
def test_generated_pair_swaps_are_clean_on_the_command_line(
    tmp_path: Path, number: int, strength: float, seed: int, scrape_seed: int
) -> None:
    pair = generated_pair(number, strength, seed, scrape_seed)
    assert_clean(pair, cli_swaps(pair, tmp_path))
