"""Result types and their renderers.

Results are frozen dataclasses with ``to_dict()``; renderers turn them into
text tables (rich) or JSON. The library never prints: renderers write to the
console or string they are given.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from rich.console import Console
from rich.markup import escape
from rich.table import Table

__all__ = [
    "SCHEMA_VERSION",
    "SWAP_KINDS",
    "CheckResult",
    "CommonPhrase",
    "Comparison",
    "Match",
    "Pair",
    "Passage",
    "Position",
    "Report",
    "ReusedPassage",
    "ScanResult",
    "SourceReuse",
    "Swap",
    "Verdict",
    "check_to_json",
    "comparison_to_json",
    "render_check",
    "render_comparison",
    "render_scan",
    "scan_to_json",
]

#: Version of the JSON documents written by ``--format json``.
SCHEMA_VERSION = 1

Verdict = Literal["recycled", "partial", "none"]


def _raw(similarity: float, raw: float | None) -> float:
    return similarity if raw is None else raw


@dataclass(frozen=True)
class Pair:
    """Two documents of a corpus and how much they share.

    Attributes:
        a: Id of the first document (the one added first).
        b: Id of the second document.
        similarity: Exact Jaccard similarity of their n-gram sets, in the
            form matching uses (canonical by default: see :mod:`detector.canonical`).
        estimated: Jaccard similarity estimated from their MinHash signatures.
        containment_a_in_b: Share of ``a``'s n-grams found in ``b``.
        containment_b_in_a: Share of ``b``'s n-grams found in ``a``.
        verdict: ``recycled`` (whole-document reuse), ``partial`` (one holds
            much of the other) or ``none`` (below both thresholds).
        raw_similarity: Exact Jaccard similarity of the normalised texts as
            written, before any disguise is undone (``None``: not measured).
    """

    a: str
    b: str
    similarity: float
    estimated: float
    containment_a_in_b: float
    containment_b_in_a: float
    verdict: Verdict
    raw_similarity: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The pair as a plain dict (the JSON schema's pair object)."""
        return {
            "a": self.a,
            "b": self.b,
            "similarity": round(self.similarity, 4),
            "raw_similarity": round(_raw(self.similarity, self.raw_similarity), 4),
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
        similarity: Exact Jaccard similarity with the query, as for :class:`Pair`.
        estimated: Jaccard similarity estimated from signatures.
        containment_query: Share of the query's n-grams found in the document.
        containment_document: Share of the document's n-grams found in the query.
        verdict: As for :class:`Pair`.
        raw_similarity: As for :class:`Pair`.
    """

    id: str
    similarity: float
    estimated: float
    containment_query: float
    containment_document: float
    verdict: Verdict
    raw_similarity: float | None = None

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


def plural(count: int, word: str) -> str:
    """``"1 pair"``, ``"2 pairs"``: a count and an English noun."""
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


def _similarities(similarity: float, raw: float | None) -> str:
    """``similarity 0.968`` or, when disguise was undone, ``raw 0.410, after undoing disguise 0.930``."""
    if raw is None or f"{raw:.3f}" == f"{similarity:.3f}":
        return f"similarity {similarity:.3f}"
    return f"raw {raw:.3f}, after undoing disguise {similarity:.3f}"


def _disguise(settings: dict[str, Any]) -> str:
    """What matching undid, in words (empty when it matched the texts as written)."""
    undone = []
    if settings.get("canonical"):
        undone.append("script and spin")
    if settings.get("mask_entities"):
        undone.append("years, numbers and places")
    return " and ".join(undone)


def render_scan(result: ScanResult, console: Console) -> None:
    """Print a scan result as a ranked table.

    Args:
        result: What :meth:`detector.Corpus.scan` returned.
        console: Where to print.
    """
    if not result.pairs:
        console.print(f"No recycled or partial pairs among {plural(len(result.documents), 'document')}.")
        return
    try:
        labels = _short(list(result.documents))
    except ValueError:
        labels = {}
    table = Table(
        title=f"{plural(len(result.pairs), 'pair')} among {plural(len(result.documents), 'document')}"
    )
    disguise = _disguise(result.settings)
    table.add_column("#", justify="right")
    table.add_column("document A", overflow="fold")
    table.add_column("document B", overflow="fold")
    if disguise:
        table.add_column("raw", justify="right")
    table.add_column("exact", justify="right")
    table.add_column("est.", justify="right")
    table.add_column("A in B", justify="right")
    table.add_column("B in A", justify="right")
    table.add_column("verdict")
    for rank, pair in enumerate(result.pairs, 1):
        raw = _raw(pair.similarity, pair.raw_similarity)
        table.add_row(
            str(rank),
            labels.get(pair.a, pair.a),
            labels.get(pair.b, pair.b),
            *([f"{raw:.3f}"] if disguise else []),
            f"{pair.similarity:.3f}",
            f"{pair.estimated:.3f}",
            f"{pair.containment_a_in_b:.3f}",
            f"{pair.containment_b_in_a:.3f}",
            f"[{_VERDICT_STYLE[pair.verdict]}]{pair.verdict}[/]",
        )
    console.print(table)
    if disguise:
        console.print(f"[dim]raw: the texts as written; exact: after undoing {disguise}[/]")
    if result.groups:
        console.print(f"{plural(len(result.groups), 'recycled group')}:")
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
        table = Table(title=f"{plural(len(comparison.swaps), 'swap')}")
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
            f"{name}: {plural(len(passages), 'passage')}, {sum(len(p.text) for p in passages)} characters"
        )
        for passage in long:
            console.print(
                f"  {passage.a_start}–{passage.a_end} ↔ {passage.b_start}–{passage.b_end}: "
                f"{_excerpt(passage.text, 60)}",
                markup=False,
            )


@dataclass(frozen=True)
class ReusedPassage:
    """A passage of a draft taken from a source, with what was swapped inside it.

    Offsets are character offsets into the original texts, end exclusive.

    Attributes:
        draft_start: Start in the draft.
        draft_end: End in the draft.
        source_start: Start in the source.
        source_end: End in the source.
        draft_text: The passage as the draft has it.
        source_text: The passage as the source has it.
        length: Its length in normalised draft characters.
        reused: Normalised draft characters counted as reuse: those the
            source has too, common phrases and swapped text excluded.
        swaps: What was swapped from the source (``old``, positions ``a_*``)
            to the draft (``new``, positions ``b_*``).
    """

    draft_start: int
    draft_end: int
    source_start: int
    source_end: int
    draft_text: str
    source_text: str
    length: int
    reused: int
    swaps: tuple[Swap, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The passage as a plain dict (the JSON schema's passage object)."""
        return {
            "draft_start": self.draft_start,
            "draft_end": self.draft_end,
            "source_start": self.source_start,
            "source_end": self.source_end,
            "length": self.length,
            "reused": self.reused,
            "draft_text": self.draft_text,
            "source_text": self.source_text,
            "swaps": [s.to_dict() for s in self.swaps],
        }


@dataclass(frozen=True)
class CommonPhrase:
    """A stretch of the draft made of common phrases, never counted as reuse.

    Attributes:
        draft_start: Start in the original draft.
        draft_end: End in the original draft (exclusive).
        text: The phrase as the draft has it.
        origin: ``listed`` (a standard formulation of the phrase list) or
            ``learned`` (found in many documents of the corpus).
    """

    draft_start: int
    draft_end: int
    text: str
    origin: str

    def to_dict(self) -> dict[str, Any]:
        """The phrase as a plain dict."""
        return asdict(self)


@dataclass(frozen=True)
class SourceReuse:
    """One source a draft reuses passages from.

    Attributes:
        source: The source's id (its path, for files).
        copy_ratio: Share of the draft's normalised characters inside passages
            from this source, common phrases excluded.
        passages: The reused passages, in draft order.
    """

    source: str
    copy_ratio: float
    passages: tuple[ReusedPassage, ...]

    @property
    def longest_passage(self) -> int:
        """Length of the longest passage, in normalised characters."""
        return max((p.length for p in self.passages), default=0)

    def swap_counts(self) -> dict[str, int]:
        """Number of swaps of each kind inside the passages."""
        counts: dict[str, int] = {}
        for passage in self.passages:
            for swap in passage.swaps:
                counts[swap.kind] = counts.get(swap.kind, 0) + swap.count
        return {kind: counts[kind] for kind in SWAP_KINDS if kind in counts}

    def to_dict(self) -> dict[str, Any]:
        """The source as a plain dict (the JSON schema's source object)."""
        return {
            "path": self.source,
            "copy_ratio": round(self.copy_ratio, 4),
            "longest_passage": self.longest_passage,
            "passage_count": len(self.passages),
            "swap_counts": self.swap_counts(),
            "passages": [p.to_dict() for p in self.passages],
        }


@dataclass(frozen=True)
class Report:
    """What a draft reuses from a corpus.

    Attributes:
        draft: The draft's id (its path, for files).
        length: Its length in normalised characters.
        copy_ratio: Share of its normalised characters inside reused passages
            of any source, common phrases excluded.
        sources: The sources it reuses, largest copy ratio first.
        common_phrases: Stretches of the draft made of common phrases, not counted.
        duplicates: Corpus documents similar to the draft as a whole
            (verdict ``recycled`` or ``partial``).
    """

    draft: str
    length: int
    copy_ratio: float
    sources: tuple[SourceReuse, ...] = ()
    common_phrases: tuple[CommonPhrase, ...] = ()
    duplicates: tuple[Match, ...] = ()

    def with_duplicates(self, duplicates: Sequence[Match]) -> Report:
        """A copy with the whole-document near-duplicates set."""
        return dataclasses.replace(self, duplicates=tuple(duplicates))

    @property
    def recycled(self) -> bool:
        """Whether a corpus document is a whole-document copy of the draft."""
        return any(m.verdict == "recycled" for m in self.duplicates)

    @property
    def largest_source_ratio(self) -> float:
        """The largest copy ratio of a single source."""
        return max((s.copy_ratio for s in self.sources), default=0.0)

    @property
    def longest_passage(self) -> int:
        """The longest reused passage, in normalised characters."""
        return max((s.longest_passage for s in self.sources), default=0)

    @property
    def passage_count(self) -> int:
        """Number of reused passages, over all sources."""
        return sum(len(s.passages) for s in self.sources)

    def to_dict(self) -> dict[str, Any]:
        """The report as a plain dict (one element of ``drafts`` in the JSON schema)."""
        return {
            "path": self.draft,
            "characters": self.length,
            "copy_ratio": round(self.copy_ratio, 4),
            "largest_source_ratio": round(self.largest_source_ratio, 4),
            "longest_passage": self.longest_passage,
            "passage_count": self.passage_count,
            "recycled": self.recycled,
            "near_duplicates": [
                {
                    "path": m.id,
                    "similarity": round(m.similarity, 4),
                    "raw_similarity": round(_raw(m.similarity, m.raw_similarity), 4),
                    "containment_draft": round(m.containment_query, 4),
                    "containment_source": round(m.containment_document, 4),
                    "verdict": m.verdict,
                }
                for m in self.duplicates
            ],
            "sources": [s.to_dict() for s in self.sources],
            "common_phrases": [p.to_dict() for p in self.common_phrases],
        }


@dataclass(frozen=True)
class CheckResult:
    """Reports for several drafts checked against one corpus.

    Attributes:
        reports: One report per draft, in the order given.
        errors: ``(path, reason)`` for each input that could not be read.
        settings: The settings of the check.
    """

    reports: tuple[Report, ...]
    errors: tuple[tuple[str, str], ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The result as a plain dict (the JSON schema of ``detector check``)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "settings": dict(self.settings),
            "drafts": [r.to_dict() for r in self.reports],
            "errors": [{"path": path, "reason": reason} for path, reason in self.errors],
        }


def check_to_json(result: CheckResult) -> str:
    """Render a check result as one JSON document."""
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _line_col(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{column}"


def _swap_summary(swaps: Sequence[Swap], limit: int = 8) -> str:
    parts = [f"{s.kind} {s.old}→{s.new}" + (f" ×{s.count}" if s.count > 1 else "") for s in swaps[:limit]]
    if len(swaps) > limit:
        parts.append(f"… {len(swaps) - limit} more")
    return ", ".join(parts)


def render_check(
    result: CheckResult,
    console: Console,
    *,
    texts: dict[str, str] | None = None,
    max_passages: int = 10,
    max_phrases: int = 12,
    gate: Any = None,
) -> None:
    """Print check reports: per draft, the sources, the passages and the common phrases.

    Args:
        result: What the check returned.
        console: Where to print.
        texts: Original texts by id, for line:column positions.
        max_passages: Passages shown per source (all are in the JSON).
        max_phrases: Common phrases shown per draft.
        gate: A :class:`detector.gate.GateResult`, to mark the drafts that failed.
    """
    texts = texts or {}
    for number, report in enumerate(result.reports):
        if number:
            console.print()
        share = f"{report.copy_ratio:.1%}"
        if not report.sources:
            console.print(
                f"{escape(report.draft)}: no reuse found (copy ratio {share}, {report.length} characters)",
                soft_wrap=True,
            )
        else:
            console.print(
                f"{escape(report.draft)}: copy ratio [bold]{share}[/] of {report.length} characters, "
                f"{plural(len(report.sources), 'source')}, largest {report.largest_source_ratio:.1%}, "
                f"{plural(report.passage_count, 'passage')}, longest {report.longest_passage} characters",
                soft_wrap=True,
            )
            table = Table()
            table.add_column("#", justify="right")
            table.add_column("source", overflow="fold")
            table.add_column("copy ratio", justify="right")
            table.add_column("passages", justify="right")
            table.add_column("longest", justify="right")
            table.add_column("swaps")
            for rank, source in enumerate(report.sources, 1):
                counts = source.swap_counts()
                table.add_row(
                    str(rank),
                    escape(source.source),
                    f"{source.copy_ratio:.1%}",
                    str(len(source.passages)),
                    str(source.longest_passage),
                    ", ".join(f"{kind} {count}" for kind, count in counts.items()),
                )
            console.print(table)
            draft_text = texts.get(report.draft, "")
            for rank, source in enumerate(report.sources, 1):
                source_text = texts.get(source.source, "")
                for index, passage in enumerate(source.passages[:max_passages], 1):
                    where_d = (
                        _line_col(draft_text, passage.draft_start) if draft_text else passage.draft_start
                    )
                    where_s = (
                        _line_col(source_text, passage.source_start) if source_text else passage.source_start
                    )
                    console.print(
                        f"[bold]{rank}.{index}[/] draft {where_d} ↔ source {where_s}, "
                        f"{passage.length} characters ({passage.reused} counted)",
                        soft_wrap=True,
                    )
                    console.print(
                        f"    draft:  {_excerpt(passage.draft_text, 70)}", markup=False, soft_wrap=True
                    )
                    console.print(
                        f"    source: {_excerpt(passage.source_text, 70)}", markup=False, soft_wrap=True
                    )
                    if passage.swaps:
                        console.print(
                            f"    swaps:  {_swap_summary(passage.swaps)}", markup=False, soft_wrap=True
                        )
                if len(source.passages) > max_passages:
                    console.print(
                        f"    … {len(source.passages) - max_passages} more passages from this source"
                    )
        for match in report.duplicates:
            console.print(
                f"whole document: [{_VERDICT_STYLE[match.verdict]}]{match.verdict}[/] "
                f"from {escape(match.id)} ({_similarities(match.similarity, match.raw_similarity)})",
                soft_wrap=True,
            )
        if report.common_phrases:
            shown = report.common_phrases[:max_phrases]
            more = len(report.common_phrases) - len(shown)
            console.print(
                f"[dim]common phrases, not counted ({len(report.common_phrases)}): "
                + "; ".join(escape(_excerpt(p.text, 30)) for p in shown)
                + (f"; … {more} more" if more > 0 else "")
                + "[/]",
                soft_wrap=True,
            )
        reasons = gate.reasons(report.draft) if gate is not None else ()
        if reasons:
            console.print(f"[bold red]FAILED[/]: {escape('; '.join(reasons))}", soft_wrap=True)
    for path, reason in result.errors:
        console.print(f"[red]not checked[/]: {escape(path)}: {escape(reason)}", soft_wrap=True)
