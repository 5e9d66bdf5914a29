"""Result types and their renderers.

Results are frozen dataclasses with ``to_dict()``; renderers turn them into
text tables (rich) or JSON. The library never prints: renderers write to the
console or string they are given.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from rich.console import Console
from rich.table import Table

__all__ = [
    "SCHEMA_VERSION",
    "Match",
    "Pair",
    "ScanResult",
    "Verdict",
    "render_scan",
    "scan_to_json",
]

#: Version of the JSON documents written by ``--format json``.
SCHEMA_VERSION = 1

Verdict = Literal["recycled", "partial", "none"]


@dataclass(frozen=True)
class Pair:
    """Two documents of a corpus and how much they share.

    Attributes:
        a: Id of the first document (the one added first).
        b: Id of the second document.
        similarity: Exact Jaccard similarity of their n-gram sets.
        estimated: Jaccard similarity estimated from their MinHash signatures.
        containment_a_in_b: Share of ``a``'s n-grams found in ``b``.
        containment_b_in_a: Share of ``b``'s n-grams found in ``a``.
        verdict: ``recycled`` (whole-document reuse), ``partial`` (one holds
            much of the other) or ``none`` (below both thresholds).
    """

    a: str
    b: str
    similarity: float
    estimated: float
    containment_a_in_b: float
    containment_b_in_a: float
    verdict: Verdict

    def to_dict(self) -> dict[str, Any]:
        """The pair as a plain dict (the JSON schema's pair object)."""
        return {
            "a": self.a,
            "b": self.b,
            "similarity": round(self.similarity, 4),
            "estimated_similarity": round(self.estimated, 4),
            "containment_a_in_b": round(self.containment_a_in_b, 4),
            "containment_b_in_a": round(self.containment_b_in_a, 4),
            "verdict": self.verdict,
        }


@dataclass(frozen=True)
class Match:
    """A corpus document found for a query text.

    Attributes:
        id: The corpus document's id.
        similarity: Exact Jaccard similarity with the query.
        estimated: Jaccard similarity estimated from signatures.
        containment_query: Share of the query's n-grams found in the document.
        containment_document: Share of the document's n-grams found in the query.
        verdict: As for :class:`Pair`.
    """

    id: str
    similarity: float
    estimated: float
    containment_query: float
    containment_document: float
    verdict: Verdict

    def to_dict(self) -> dict[str, Any]:
        """The match as a plain dict."""
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items()}


@dataclass(frozen=True)
class ScanResult:
    """What a scan of a corpus found.

    Attributes:
        documents: Ids of the documents scanned, in order.
        pairs: Pairs ranked by similarity, then containment.
        groups: Groups of documents joined by ``recycled`` pairs (two or more each).
        errors: ``(path, reason)`` for each input that could not be read.
        settings: The settings the scan ran with.
    """

    documents: tuple[str, ...]
    pairs: tuple[Pair, ...]
    groups: tuple[tuple[str, ...], ...]
    errors: tuple[tuple[str, str], ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The result as a plain dict (the JSON schema of ``detector scan``)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "documents": len(self.documents),
            "settings": dict(self.settings),
            "pairs": [p.to_dict() for p in self.pairs],
            "groups": [list(g) for g in self.groups],
            "errors": [{"path": path, "reason": reason} for path, reason in self.errors],
        }


def scan_to_json(result: ScanResult) -> str:
    """Render a scan result as one JSON document."""
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


_VERDICT_STYLE = {"recycled": "bold red", "partial": "yellow", "none": "dim"}


def _short(ids: Sequence[str]) -> dict[str, str]:
    """Shortest unambiguous labels: drop the longest common folder prefix."""
    import os

    if not ids:
        return {}
    prefix = os.path.commonpath(ids) if len(ids) > 1 else os.path.dirname(ids[0])
    if prefix in ids:
        prefix = os.path.dirname(prefix)
    cut = len(prefix) + 1 if prefix else 0
    return {i: i[cut:] for i in ids}


def render_scan(result: ScanResult, console: Console) -> None:
    """Print a scan result as a ranked table.

    Args:
        result: What :meth:`detector.Corpus.scan` returned.
        console: Where to print.
    """
    if not result.pairs:
        console.print(f"No recycled or partial pairs among {_plural(len(result.documents), 'document')}.")
        return
    try:
        labels = _short(list(result.documents))
    except ValueError:
        labels = {}
    table = Table(
        title=f"{_plural(len(result.pairs), 'pair')} among {_plural(len(result.documents), 'document')}"
    )
    table.add_column("#", justify="right")
    table.add_column("document A", overflow="fold")
    table.add_column("document B", overflow="fold")
    table.add_column("exact", justify="right")
    table.add_column("est.", justify="right")
    table.add_column("A in B", justify="right")
    table.add_column("B in A", justify="right")
    table.add_column("verdict")
    for rank, pair in enumerate(result.pairs, 1):
        table.add_row(
            str(rank),
            labels.get(pair.a, pair.a),
            labels.get(pair.b, pair.b),
            f"{pair.similarity:.3f}",
            f"{pair.estimated:.3f}",
            f"{pair.containment_a_in_b:.3f}",
            f"{pair.containment_b_in_a:.3f}",
            f"[{_VERDICT_STYLE[pair.verdict]}]{pair.verdict}[/]",
        )
    console.print(table)
    if result.groups:
        console.print(f"{_plural(len(result.groups), 'recycled group')}:")
        for number, group in enumerate(result.groups, 1):
            console.print(f"  {number}. " + ", ".join(labels.get(g, g) for g in group))


@dataclass(frozen=True)
class Position:
    """Where one occurrence of a swap sits in both original texts.

    Offsets are character offsets into the original (decoded) texts, end
    exclusive; lines and columns count from 1.
    """

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    a_line: int
    a_column: int
    b_line: int
    b_column: int

    def to_dict(self) -> dict[str, int]:
        """The position as a plain dict."""
        return asdict(self)


@dataclass(frozen=True)
class Swap:
    """One kind of replacement, ``old`` → ``new``, with every place it occurs.

    Attributes:
        kind: ``year``, ``number``, ``place``, ``placeholder``, ``synonym`` or ``word``.
        old: Text in the first document (width-folded, no whitespace).
        new: Text in the second document.
        count: Number of occurrences.
        positions: Each occurrence in both originals, in text order.
        known_spin: The pair is in the spin lexicon.
    """

    kind: str
    old: str
    new: str
    count: int
    positions: tuple[Position, ...]
    known_spin: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The swap as a plain dict (the JSON schema's swap object)."""
        return {
            "kind": self.kind,
            "old": self.old,
            "new": self.new,
            "count": self.count,
            "known_spin": self.known_spin,
            "positions": [p.to_dict() for p in self.positions],
        }


@dataclass(frozen=True)
class Passage:
    """A passage inserted, deleted or moved between the two documents.

    For an inserted passage ``a_start == a_end`` is where it would go in the
    first text; for a deleted one ``b_start == b_end``.
    """

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        """The passage as a plain dict."""
        return asdict(self)


SWAP_KINDS = ("year", "number", "place", "placeholder", "synonym", "word")


@dataclass(frozen=True)
class Comparison:
    """How document ``b`` differs from document ``a``.

    Attributes:
        a: Label of the first document (its path or id).
        b: Label of the second document.
        similarity: Exact Jaccard similarity of the n-gram sets.
        related: False when the texts share too little to align; then no
            swaps or passages are listed.
        swaps: Swaps grouped by (kind, old, new), in kind order then by count.
        inserted: Passages only in ``b``.
        deleted: Passages only in ``a``.
        moved: Passages in both, in a different order.
    """

    a: str
    b: str
    similarity: float
    related: bool
    swaps: tuple[Swap, ...] = ()
    inserted: tuple[Passage, ...] = ()
    deleted: tuple[Passage, ...] = ()
    moved: tuple[Passage, ...] = ()

    def swaps_of(self, kind: str) -> list[Swap]:
        """The swaps of one kind."""
        return [s for s in self.swaps if s.kind == kind]

    def to_dict(self) -> dict[str, Any]:
        """The comparison as a plain dict (the JSON schema of ``detector diff``)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "a": self.a,
            "b": self.b,
            "similarity": round(self.similarity, 4),
            "related": self.related,
            "swaps": [s.to_dict() for s in self.swaps],
            "inserted": [p.to_dict() for p in self.inserted],
            "deleted": [p.to_dict() for p in self.deleted],
            "moved": [p.to_dict() for p in self.moved],
        }


def comparison_to_json(comparison: Comparison) -> str:
    """Render a comparison as one JSON document."""
    return json.dumps(comparison.to_dict(), ensure_ascii=False, indent=2) + "\n"


_KIND_STYLE = {
    "year": "bold magenta",
    "number": "cyan",
    "place": "green",
    "placeholder": "yellow",
    "synonym": "blue",
    "word": "white",
}


def _excerpt(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def render_comparison(
    comparison: Comparison, console: Console, *, a_text: str = "", min_passage: int = 6
) -> None:
    """Print a comparison: similarity, the swap table by kind, and passages.

    Args:
        comparison: What :func:`detector.compare` returned.
        console: Where to print.
        a_text: The first original text, for context around each swap.
        min_passage: Shortest inserted or deleted passage listed one by one.
    """
    console.print(f"similarity {comparison.similarity:.3f}: {comparison.a} ~ {comparison.b}", soft_wrap=True)
    if not comparison.related:
        console.print("No alignment worth reporting: the two texts share too little.")
        return
    if not comparison.swaps and not (comparison.inserted or comparison.deleted or comparison.moved):
        console.print("No differences: the texts are the same after normalisation.")
        return
    if comparison.swaps:
        table = Table(title=f"{_plural(len(comparison.swaps), 'swap')}")
        table.add_column("kind")
        table.add_column("old → new")
        table.add_column("count", justify="right")
        table.add_column("first at (line:col A → B)")
        table.add_column("context in A")
        for swap in comparison.swaps:
            first = swap.positions[0]
            kind = swap.kind + (" (known spin)" if swap.known_spin else "")
            context = ""
            if a_text:
                before = a_text[max(0, first.a_start - 8) : first.a_start]
                after = a_text[first.a_end : first.a_end + 8]
                context = _excerpt(before) + "[" + _excerpt(swap.old) + "]" + _excerpt(after)
            table.add_row(
                f"[{_KIND_STYLE.get(swap.kind, 'white')}]{kind}[/]",
                f"{swap.old} → {swap.new}",
                str(swap.count),
                f"{first.a_line}:{first.a_column} → {first.b_line}:{first.b_column}",
                context,
                end_section=False,
            )
        console.print(table, markup=True)
    for name, passages in (
        ("inserted", comparison.inserted),
        ("deleted", comparison.deleted),
        ("moved", comparison.moved),
    ):
        if not passages:
            continue
        long = [p for p in passages if len(p.text) >= min_passage]
        console.print(
            f"{name}: {_plural(len(passages), 'passage')}, {sum(len(p.text) for p in passages)} characters"
        )
        for passage in long:
            console.print(
                f"  {passage.a_start}–{passage.a_end} ↔ {passage.b_start}–{passage.b_end}: "
                f"{_excerpt(passage.text, 60)}",
                markup=False,
            )
