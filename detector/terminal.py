"""Rich text renderers: scans, comparisons and checks as tables on a console.

The library never prints: each renderer writes to the
:class:`rich.console.Console` it is given. Every string that comes from a
document or a file name is shown literally: Rich markup in it is escaped
(:func:`label`) and control characters are written as escapes
(:func:`printable`), so a name like ``[bold]x.txt`` or a passage holding a
terminal escape sequence prints as it is and cannot restyle the terminal.

Examples:
    >>> from io import StringIO
    >>> from detector.results import ScanResult
    >>> console = Console(file=StringIO(), width=80)
    >>> render_scan(ScanResult(("a.txt", "b.txt"), (), ()), console)
    >>> console.file.getvalue()
    'No recycled or partial pairs among 2 documents.\\n'
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Span, Text

from detector.gate import GateResult
from detector.lines import LineIndex
from detector.results import (
    CheckResult,
    Comparison,
    DraftReport,
    Passage,
    ScanResult,
    SourceReuse,
    Swap,
    plural,
    raw_or_exact,
)

__all__ = [
    "TABLE_ROWS",
    "describe_similarity",
    "label",
    "printable",
    "render_check",
    "render_comparison",
    "render_scan",
]

#: Most pairs of a scan drawn as a table; more are printed as aligned plain lines.
TABLE_ROWS = 500

_VERDICT_STYLE = {"recycled": "bold red", "partial": "yellow", "none": "dim"}

_KIND_STYLE = {
    "year": "bold magenta",
    "number": "cyan",
    "place": "green",
    "placeholder": "yellow",
    "synonym": "blue",
    "word": "white",
}


#: C0 controls but newline, DEL and C1 controls.
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_CONTROL_OR_NEWLINE = re.compile("[\x00-\x1f\x7f-\x9f]")


def printable(text: str, *, newline: bool = True) -> str:
    r"""Text with its control characters written as escapes, as Python writes them.

    Args:
        text: Any text from a document or a file name.
        newline: Keep newlines as they are (``False``: write them as ``\n`` too).

    Returns:
        The text, safe to print on a terminal.

    Examples:
        >>> print(printable("a\x1b]0;TITLE\x07b"))
        a\x1b]0;TITLE\x07b
        >>> print(printable("a\tb\x85c\nd"))
        a\tb\x85c
        d
        >>> print(printable("a\nb", newline=False))
        a\nb
    """
    pattern = _CONTROL if newline else _CONTROL_OR_NEWLINE
    return pattern.sub(lambda found: repr(found.group())[1:-1], text)


def label(text: str) -> str:
    r"""A document-provided string for Rich markup: on one line, shown literally.

    Examples:
        >>> print(label("[bold red]x\ny.txt"))
        \[bold red]x\ny.txt
    """
    return escape(printable(text, newline=False))


def describe_similarity(similarity: float, raw: float | None) -> str:
    """A similarity in words, with the raw one when undoing disguise changed it.

    Args:
        similarity: Exact similarity in the matching form.
        raw: Similarity of the texts as written (``None``: not measured).

    Returns:
        ``similarity 0.968`` or ``raw 0.410, after undoing disguise 0.930``.

    Examples:
        >>> describe_similarity(0.93, 0.41)
        'raw 0.410, after undoing disguise 0.930'
        >>> describe_similarity(0.968, None)
        'similarity 0.968'
    """
    if raw is None or f"{raw:.3f}" == f"{similarity:.3f}":
        return f"similarity {similarity:.3f}"
    return f"raw {raw:.3f}, after undoing disguise {similarity:.3f}"


def _short(ids: Sequence[str]) -> dict[str, str]:
    """Shortest unambiguous labels: drop the longest common folder prefix."""
    if not ids:
        return {}
    prefix = os.path.commonpath(ids) if len(ids) > 1 else os.path.dirname(ids[0])
    if prefix in ids:
        prefix = os.path.dirname(prefix)
    cut = len(prefix) + 1 if prefix else 0
    return {i: i[cut:] for i in ids}


def _disguise(settings: Mapping[str, Any]) -> str:
    """What matching undid, in words (empty when it matched the texts as written)."""
    undone = []
    if settings.get("canonical"):
        undone.append("script and spin")
    if settings.get("mask_entities"):
        undone.append("years, numbers and places")
    return " and ".join(undone)


def _excerpt(text: str, limit: int = 40) -> str:
    """The text on one line, cut to ``limit`` characters with an ellipsis."""
    flat = printable(" ".join(text.split()))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


_WORDS = re.compile(r"[A-Za-z]{2,}")


def _context(text: str, start: int, end: int, old: str) -> str:
    """A swap in its place: 8 characters either side, or whole words in text written with spaces.

    Examples:
        >>> _context("to 5-1/4 percent, and the Bank", 3, 8, "5-1/4")
        'to [5-1/4] percent, and the Bank'
        >>> _context("坚决打赢2022年污染防治攻坚战", 4, 8, "2022")
        '坚决打赢[2022]年污染防治攻坚战'
    """
    before, after = text[max(0, start - 30) : start], text[end : end + 30]
    if not _WORDS.search(before + after):
        return _excerpt(before[-8:]) + "[" + _excerpt(old) + "]" + _excerpt(after[:8])
    if start > 30 and " " in before:
        before = before.split(" ", 1)[1]
    if end + 30 < len(text) and " " in after:
        after = after.rsplit(" ", 1)[0]
    left = _excerpt(before) + (" " if before[-1:].isspace() else "")
    right = (" " if after[:1].isspace() else "") + _excerpt(after)
    return f"{left}[{_excerpt(old)}]{right}"


def _scan_table(result: ScanResult, labels: Mapping[str, str], with_raw: bool) -> Table:
    """The ranked pairs of a scan, with a raw column when disguise was undone."""
    table = Table(
        title=f"{plural(len(result.pairs), 'pair')} among {plural(len(result.documents), 'document')}"
    )
    table.add_column("#", justify="right")
    table.add_column("document A", overflow="fold")
    table.add_column("document B", overflow="fold")
    if with_raw:
        table.add_column("raw", justify="right")
    for name in ("exact", "est.", "A in B", "B in A"):
        table.add_column(name, justify="right")
    table.add_column("verdict")
    for rank, pair in enumerate(result.pairs, 1):
        raw = raw_or_exact(pair.similarity, pair.raw_similarity)
        table.add_row(
            str(rank),
            label(labels.get(pair.a, pair.a)),
            label(labels.get(pair.b, pair.b)),
            *([f"{raw:.3f}"] if with_raw else []),
            f"{pair.similarity:.3f}",
            f"{pair.estimated:.3f}",
            f"{pair.containment_a_in_b:.3f}",
            f"{pair.containment_b_in_a:.3f}",
            f"[{_VERDICT_STYLE[pair.verdict]}]{pair.verdict}[/]",
        )
    return table


def _cells(text: str, width: int, right: bool) -> str:
    """Text padded with spaces to ``width`` terminal cells, on the left when ``right``."""
    pad = " " * (width - (len(text) if text.isascii() else cell_len(text)))
    return pad + text if right else text + pad


def _scan_lines(result: ScanResult, labels: Mapping[str, str], with_raw: bool) -> Text:
    """The ranked pairs of a scan as aligned plain lines, one per pair, names never cut or folded."""
    header = ["#", "document A", "document B", *(["raw"] if with_raw else [])]
    header += ["exact", "est.", "A in B", "B in A", "verdict"]
    rows = [header]
    for rank, pair in enumerate(result.pairs, 1):
        raw = raw_or_exact(pair.similarity, pair.raw_similarity)
        rows.append(
            [
                str(rank),
                printable(labels.get(pair.a, pair.a), newline=False),
                printable(labels.get(pair.b, pair.b), newline=False),
                *([f"{raw:.3f}"] if with_raw else []),
                f"{pair.similarity:.3f}",
                f"{pair.estimated:.3f}",
                f"{pair.containment_a_in_b:.3f}",
                f"{pair.containment_b_in_a:.3f}",
                pair.verdict,
            ]
        )
    last = len(header) - 1
    widths = [max(len(row[column]) for row in rows) for column in range(last)]
    for column in (1, 2):
        widths[column] = max(
            len(row[column]) if row[column].isascii() else cell_len(row[column]) for row in rows
        )
    lines = [f"{plural(len(result.pairs), 'pair')} among {plural(len(result.documents), 'document')}"]
    spans: list[Span] = []
    offset = len(lines[0]) + 1
    for row in rows:
        cells = "  ".join(_cells(cell, widths[c], c not in (1, 2)) for c, cell in enumerate(row[:last]))
        line = f"{cells}  {row[last]}"
        style = _VERDICT_STYLE.get(row[last])
        if style is None:
            spans.append(Span(offset, offset + len(line), "bold"))
        else:
            spans.append(Span(offset + len(cells) + 2, offset + len(line), style))
        lines.append(line)
        offset += len(line) + 1
    return Text("\n".join(lines) + "\n", spans=spans)


def render_scan(result: ScanResult, console: Console) -> None:
    """Print a scan result as a ranked table, then the recycled groups.

    A scan of more than :data:`TABLE_ROWS` pairs is printed as aligned plain
    lines instead of a table, one pair per line with its names in full, as
    drawing a table of tens of thousands of rows would take minutes.

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
    disguise = _disguise(result.settings)
    if len(result.pairs) > TABLE_ROWS:
        console.print(_scan_lines(result, labels, bool(disguise)), soft_wrap=True, end="")
    else:
        console.print(_scan_table(result, labels, bool(disguise)))
    if result.pairs_dropped:
        console.print(
            f"… {plural(result.pairs_dropped, 'more pair')} not listed, all ranked below these; "
            "raise --max-pairs to list them"
        )
    if disguise:
        console.print(f"[dim]raw: the texts as written; exact: after undoing {disguise}[/]")
    if result.groups:
        console.print(f"{plural(len(result.groups), 'recycled group')}:")
        for number, group in enumerate(result.groups, 1):
            console.print(f"  {number}. " + ", ".join(label(labels.get(g, g)) for g in group))


def _swap_table(swaps: Sequence[Swap], a_text: str) -> Table:
    """The swaps of a comparison: kind, old → new, count, first place, context in A."""
    table = Table(title=f"{plural(len(swaps), 'swap')}")
    table.add_column("kind")
    table.add_column("old → new")
    table.add_column("count", justify="right")
    table.add_column("first at (line:col A → B)")
    table.add_column("context in A")
    for swap in swaps:
        first = swap.positions[0]
        kind = swap.kind + (" (known spin)" if swap.known_spin else "")
        context = escape(_context(a_text, first.a_start, first.a_end, swap.old)) if a_text else ""
        table.add_row(
            f"[{_KIND_STYLE.get(swap.kind, 'white')}]{kind}[/]",
            f"{label(swap.old)} → {label(swap.new)}",
            str(swap.count),
            f"{first.a_line}:{first.a_column} → {first.b_line}:{first.b_column}",
            context,
            end_section=False,
        )
    return table


def _render_passages(console: Console, name: str, passages: Sequence[Passage], min_passage: int) -> None:
    """One line of totals for inserted, deleted or moved passages, then each long one."""
    if not passages:
        return
    console.print(
        f"{name}: {plural(len(passages), 'passage')}, {sum(len(p.text) for p in passages)} characters"
    )
    for passage in passages:
        if len(passage.text) >= min_passage:
            console.print(
                f"  {passage.a_start}–{passage.a_end} ↔ {passage.b_start}–{passage.b_end}: "
                f"{_excerpt(passage.text, 60)}",
                markup=False,
            )


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
    console.print(
        f"{label(comparison.a)} ~ {label(comparison.b)}: [bold]{comparison.verdict}[/] "
        f"({describe_similarity(comparison.similarity, comparison.raw_similarity)}; "
        f"A in B {comparison.containment_a_in_b:.3f}, B in A {comparison.containment_b_in_a:.3f})",
        soft_wrap=True,
    )
    if not comparison.related:
        console.print("No alignment worth reporting: the two texts share too little.")
        if not comparison.passages:
            return
    elif not comparison.swaps and not (comparison.inserted or comparison.deleted or comparison.moved):
        console.print("No differences: the texts are the same after normalisation.")
        return
    if comparison.passages:
        console.print(
            f"B reuses {plural(len(comparison.passages), 'passage')} of A: "
            f"copy ratio {comparison.copy_ratio:.1%}, as detector check B --against A reports it",
            soft_wrap=True,
        )
    if comparison.swaps:
        console.print(_swap_table(comparison.swaps, a_text), markup=True)
    _render_passages(console, "inserted", comparison.inserted, min_passage)
    _render_passages(console, "deleted", comparison.deleted, min_passage)
    _render_passages(console, "moved", comparison.moved, min_passage)


def _swap_summary(swaps: Sequence[Swap], limit: int = 8) -> str:
    """The first ``limit`` swaps on one line, and how many more there are."""
    parts = [
        f"{s.kind} {printable(s.old, newline=False)}→{printable(s.new, newline=False)}"
        + (f" ×{s.count}" if s.count > 1 else "")
        for s in swaps[:limit]
    ]
    if len(swaps) > limit:
        parts.append(f"… {len(swaps) - limit} more")
    return ", ".join(parts)


def _where(lines: LineIndex | None, offset: int) -> str:
    """``line:column`` of an offset when the text is known, else the offset."""
    if lines is None:
        return str(offset)
    line, column = lines.line_column(offset)
    return f"{line}:{column}"


def _source_table(report: DraftReport) -> Table:
    """The sources of one draft: copy ratio, passages, longest, swaps by kind."""
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
            label(source.source),
            f"{source.copy_ratio:.1%}",
            str(len(source.passages)),
            str(source.longest_passage),
            ", ".join(f"{kind} {count}" for kind, count in counts.items()),
        )
    return table


def _render_source_passages(
    console: Console,
    rank: int,
    source: SourceReuse,
    draft_lines: LineIndex | None,
    source_text: str,
    max_passages: int,
) -> None:
    """Each passage taken from one source (up to ``max_passages``), draft and source side by side."""
    source_lines = LineIndex(source_text) if source_text else None
    for index, passage in enumerate(source.passages[:max_passages], 1):
        console.print(
            f"[bold]{rank}.{index}[/] draft {_where(draft_lines, passage.draft_start)} ↔ "
            f"source {_where(source_lines, passage.source_start)}, "
            f"{passage.length} characters ({passage.reused} counted)",
            soft_wrap=True,
        )
        console.print(f"    draft:  {_excerpt(passage.draft_text, 70)}", markup=False, soft_wrap=True)
        console.print(f"    source: {_excerpt(passage.source_text, 70)}", markup=False, soft_wrap=True)
        if passage.swaps:
            console.print(f"    swaps:  {_swap_summary(passage.swaps)}", markup=False, soft_wrap=True)
    if len(source.passages) > max_passages:
        console.print(f"    … {len(source.passages) - max_passages} more passages from this source")


def _render_reuse(console: Console, report: DraftReport, texts: Mapping[str, str], max_passages: int) -> None:
    """The headline of one draft, its source table and its passages."""
    share = f"{report.copy_ratio:.1%}"
    if not report.sources:
        console.print(
            f"{label(report.draft)}: no reuse found (copy ratio {share}, {report.length} characters)",
            soft_wrap=True,
        )
        return
    console.print(
        f"{label(report.draft)}: copy ratio [bold]{share}[/] of {report.length} characters, "
        f"{plural(len(report.sources), 'source')}, largest {report.largest_source_ratio:.1%}, "
        f"{plural(report.passage_count, 'passage')}, longest {report.longest_passage} characters",
        soft_wrap=True,
    )
    console.print(_source_table(report))
    draft_text = texts.get(report.draft, "")
    draft_lines = LineIndex(draft_text) if draft_text else None
    for rank, source in enumerate(report.sources, 1):
        source_text = texts.get(source.source, "")
        _render_source_passages(console, rank, source, draft_lines, source_text, max_passages)


def _render_verdicts(
    console: Console, report: DraftReport, max_phrases: int, gate: GateResult | None
) -> None:
    """Whole-document near-duplicates, the common phrases not counted, and why the draft failed."""
    for match in report.duplicates:
        console.print(
            f"whole document: [{_VERDICT_STYLE[match.verdict]}]{match.verdict}[/] "
            f"from {label(match.id)} ({describe_similarity(match.similarity, match.raw_similarity)})",
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
        console.print(f"[bold red]FAILED[/]: {label('; '.join(reasons))}", soft_wrap=True)


def render_check(
    result: CheckResult,
    console: Console,
    *,
    texts: Mapping[str, str] | None = None,
    max_passages: int = 10,
    max_phrases: int = 12,
    gate: GateResult | None = None,
) -> None:
    """Print check reports: per draft, the sources, the passages and the common phrases.

    Args:
        result: What the check returned.
        console: Where to print.
        texts: Original texts by id, for line:column positions.
        max_passages: Passages shown per source (all are in the JSON).
        max_phrases: Common phrases shown per draft.
        gate: What the gate made of the check, to mark the drafts that failed.
    """
    texts = texts or {}
    for number, report in enumerate(result.reports):
        if number:
            console.print()
        _render_reuse(console, report, texts, max_passages)
        _render_verdicts(console, report, max_phrases, gate)
    for path, reason in result.errors:
        console.print(f"[red]not checked[/]: {label(path)}: {label(reason)}", soft_wrap=True)
