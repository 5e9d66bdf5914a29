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
