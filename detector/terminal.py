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

from rich.cells import cell_len, chop_cells, get_character_cell_size
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
    "shorten",
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


def _head(text: str, cells: int) -> str:
    """The longest start of ``text`` that fits in ``cells`` terminal cells."""
    used = 0
    for index, char in enumerate(text):
        used += get_character_cell_size(char)
        if used > cells:
            return text[:index]
    return text


def _tail(text: str, cells: int) -> str:
    """The longest end of ``text`` that fits in ``cells`` terminal cells."""
    return _head(text[::-1], cells)[::-1]


def shorten(name: str, cells: int) -> str:
    """A name that fits in ``cells`` terminal cells, shortened in the middle with ``…``.

    The file name is kept whole behind the start of its folder when there is
    room for it; otherwise the start and the end (with the extension) of the
    name are kept, so two shortened names stay told apart.

    Args:
        name: A file name or path, already printable.
        cells: Terminal cells it may take (at least 3 is useful).

    Returns:
        The name, whole when it fits.

    Examples:
        >>> shorten("003_66e0f7edabd08f04.txt", 17)
        '003_66e0…8f04.txt'
        >>> shorten("/work/main/data/speeches/000_739d1a38c81b511a.txt", 34)
        '/work/ma…/000_739d1a38c81b511a.txt'
        >>> shorten("讲话稿2023年终版.txt", 12)
        '讲话…版.txt'
        >>> shorten("/work/main/data/speeches/000_739d1a38c81b511a.txt", 26)
        '…/000_739d1a38c81b511a.txt'
        >>> shorten("a.txt", 80)
        'a.txt'
    """
    if cell_len(name) <= cells:
        return name
    folder, slash, base = name.rpartition("/")
    room = cells - 1 - cell_len(slash + base)
    if folder and room >= 0:
        return _head(folder, room) + "…" + slash + base
    room = max(cells - 1, 2)
    return _head(name, room // 2) + "…" + _tail(name, room - room // 2)


def _shares(needs: Sequence[int], room: int) -> list[int]:
    """Cells for each of several names sharing ``room``: the short ones whole, the rest split evenly.

    Examples:
        >>> _shares([9, 30], 30)
        [9, 21]
        >>> _shares([30, 30], 30)
        [15, 15]
    """
    shares = list(needs)
    left = list(range(len(needs)))
    while left and sum(shares[i] for i in left) > room:
        even = room // len(left)
        small = [i for i in left if needs[i] <= even]
        if not small:
            for number, i in enumerate(left):
                shares[i] = even + (1 if number < room - even * len(left) else 0)
            break
        room -= sum(needs[i] for i in small)
        left = [i for i in left if i not in small]
    return shares


def _flow(tokens: Sequence[str | Text], width: int, indent: int = 2) -> Text:
    """Tokens joined by spaces and wrapped between tokens to ``width``; later lines indented.

    A token is never split: names go in as one token (shortened to fit a
    line beforehand), text as one token per word.

    Examples:
        >>> print(_flow(["a.txt", "~", "b.txt:", "recycled", "(similarity", "0.968)"], 20))
        a.txt ~ b.txt:
          recycled
          (similarity 0.968)
    """
    out = Text()
    used, fresh = 0, True
    for token in tokens:
        piece = Text(token) if isinstance(token, str) else token
        if not fresh and used + 1 + piece.cell_len > width:
            out.append("\n" + " " * indent)
            used, fresh = indent, True
        if not fresh:
            out.append(" ")
            used += 1
        if used + piece.cell_len > width:
            piece = piece.copy()
            piece.truncate(max(width - used, 1), overflow="ellipsis")
        out.append_text(piece)
        used, fresh = used + piece.cell_len, False
    return out


def _words(text: str, style: str = "") -> list[Text]:
    """Text as one token per word for :func:`_flow`."""
    return [Text(word, style) for word in text.split(" ") if word]


def _name(name: str, width: int, suffix: str = "", style: str = "") -> Text:
    """A document name as one token, shortened in the middle to fit a line of ``width``."""
    shown = printable(name, newline=False)
    return Text(shorten(shown, max(width - cell_len(suffix), 3)) + suffix, style)


def _hang(console: Console, prefix: str, text: str) -> Text:
    """``prefix`` then ``text`` wrapped to the console, continuation lines indented under the text.

    Text written with spaces between words wraps between words; other text
    (Chinese) wraps at any character.

    Examples:
        >>> console = Console(width=20)
        >>> print(_hang(console, "    draft:  ", "同志们： 这次会议的主要任务是"))
            draft:  同志们：
                    这次会
                    议的主要
                    任务是
        >>> print(_hang(console, "  ", "the total reduction in cash rates"))
          the total
          reduction in cash
          rates
    """
    indent = cell_len(prefix)
    room = max(console.width - indent, 4)
    if _WORDS.search(text):
        lines = [line.plain for line in Text(text).wrap(console, room, overflow="fold")]
    else:
        lines = chop_cells(text, room)
    return Text(prefix + ("\n" + " " * indent).join(line.strip() for line in lines))


def _context_parts(text: str, start: int, end: int, old: str) -> tuple[str, str, str]:
    """A swap in its place as (before, ``[old]``, after): 8 characters either side, or whole words."""
    before, after = text[max(0, start - 30) : start], text[end : end + 30]
    if not _WORDS.search(before + after):
        return _excerpt(before[-8:]), "[" + _excerpt(old) + "]", _excerpt(after[:8])
    if start > 30 and " " in before:
        before = before.split(" ", 1)[1]
    if end + 30 < len(text) and " " in after:
        after = after.rsplit(" ", 1)[0]
    left = _excerpt(before) + (" " if before[-1:].isspace() else "")
    right = (" " if after[:1].isspace() else "") + _excerpt(after)
    return left, f"[{_excerpt(old)}]", right


def _context(text: str, start: int, end: int, old: str) -> str:
    """A swap in its place: 8 characters either side, or whole words in text written with spaces.

    Examples:
        >>> _context("to 5-1/4 percent, and the Bank", 3, 8, "5-1/4")
        'to [5-1/4] percent, and the Bank'
        >>> _context("坚决打赢2022年污染防治攻坚战", 4, 8, "2022")
        '坚决打赢[2022]年污染防治攻坚战'
    """
    return "".join(_context_parts(text, start, end, old))


def _fit_context(parts: tuple[str, str, str], cells: int) -> str:
    """A swap context shortened on both sides to ``cells`` cells, the ``[old]`` swap kept whole.

    Examples:
        >>> _fit_context(("坚决打赢", "[2022]", "年污染防治攻坚战"), 16)
        '…打赢[2022]年污…'
        >>> _fit_context(("to ", "[5-1/4]", " percent, and the Bank"), 22)
        'to [5-1/4] percent, …'
    """
    left, swap, right = parts
    if cell_len(left + swap + right) <= cells:
        return left + swap + right
    if cell_len(swap) > cells:
        return "[" + shorten(swap[1:-1], max(cells - 2, 1)) + "]"
    room = cells - cell_len(swap)
    left = _cut_left(left, max(room // 2, room - cell_len(right)))
    return left + swap + _cut_right(right, room - cell_len(left))


def _cut_left(text: str, cells: int) -> str:
    """The end of ``text`` in ``cells`` cells, ``…`` where it was cut, at a word start in spaced text."""
    if cell_len(text) <= cells:
        return text
    kept = _tail(text, cells - 1)
    if _WORDS.search(text) and " " in kept and not text[len(text) - len(kept) - 1].isspace():
        kept = kept[kept.index(" ") + 1 :]
    return "…" + kept if cells > 0 else ""


def _cut_right(text: str, cells: int) -> str:
    """The start of ``text`` in ``cells`` cells, ``…`` where it was cut, at a word end in spaced text."""
    if cell_len(text) <= cells:
        return text
    kept = _head(text, cells - 1)
    if _WORDS.search(text) and " " in kept.strip() and not text[len(kept)].isspace():
        kept = kept[: kept.rstrip().rindex(" ") + 1]
    return kept + "…" if cells > 0 else ""


_SCAN_FIGURES = ("exact", "est.", "A in B", "B in A")


def _scan_rows(result: ScanResult, labels: Mapping[str, str], with_raw: bool) -> list[list[str]]:
    """Header and one row per ranked pair: rank, names (printable), figures, verdict."""
    rows = [["#", "document A", "document B", *(["raw"] if with_raw else []), *_SCAN_FIGURES, "verdict"]]
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
    return rows


def _column_widths(rows: Sequence[Sequence[str]]) -> list[int]:
    """Cells of the widest entry of each column."""
    return [max(cell_len(row[column]) for row in rows) for column in range(len(rows[0]))]


def _scan_table(result: ScanResult, labels: Mapping[str, str], with_raw: bool, width: int) -> Table:
    """The ranked pairs of a scan, with a raw column when disguise was undone.

    Both names sit in their own columns when they fit whole; otherwise A is
    drawn above B in one column, each shortened in the middle when even that
    is too narrow. Figures are never cut.
    """
    rows = _scan_rows(result, labels, with_raw)
    widths = _column_widths(rows)
    figures = sum(widths) - widths[1] - widths[2]
    stacked = figures + widths[1] + widths[2] + 3 * len(widths) + 1 > width
    table = Table(
        title=f"{plural(len(result.pairs), 'pair')} among {plural(len(result.documents), 'document')}"
    )
    table.add_column("#", justify="right")
    if stacked:
        room = max(width - figures - 3 * (len(widths) - 1) - 1, 12)
        table.add_column("document A / B", no_wrap=True)
    else:
        room = width
        table.add_column("document A", no_wrap=True)
        table.add_column("document B", no_wrap=True)
    for name in rows[0][3:-1]:
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    for row in rows[1:]:
        a, b = shorten(row[1], room), shorten(row[2], room)
        names = [Text(f"{a}\n{b}")] if stacked else [Text(a), Text(b)]
        verdict = Text(row[-1], _VERDICT_STYLE[row[-1]])
        table.add_row(row[0], *names, *row[3:-1], verdict)
    return table


def _cells(text: str, width: int, right: bool) -> str:
    """Text padded with spaces to ``width`` terminal cells, on the left when ``right``."""
    pad = " " * (width - (len(text) if text.isascii() else cell_len(text)))
    return pad + text if right else text + pad


def _scan_lines(result: ScanResult, labels: Mapping[str, str], with_raw: bool, width: int) -> Text:
    """The ranked pairs of a scan as aligned plain lines, one per pair.

    Names are shortened in the middle when a line would be wider than ``width``.
    """
    rows = _scan_rows(result, labels, with_raw)
    last = len(rows[0]) - 1
    widths = _column_widths(rows)
    room = width - sum(widths) + widths[1] + widths[2] - 2 * last
    widths[1], widths[2] = (max(share, len("document A")) for share in _shares(widths[1:3], room))
    if widths[1:3] != _column_widths(rows)[1:3]:
        rows = [[row[0], shorten(row[1], widths[1]), shorten(row[2], widths[2]), *row[3:]] for row in rows]
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
    lines instead of a table, one pair per line, as drawing a table of tens of
    thousands of rows would take minutes. Everything fits the console's width:
    names too long for it are shortened in the middle, never wrapped.

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
    width = console.width
    if len(result.pairs) > TABLE_ROWS:
        console.print(_scan_lines(result, labels, bool(disguise), width), soft_wrap=True, end="")
    else:
        console.print(_scan_table(result, labels, bool(disguise), width))
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
            names = [
                _name(labels.get(g, g), width - 5, "," if i < len(group) - 1 else "")
                for i, g in enumerate(group)
            ]
            console.print(_flow([Text(f"  {number}."), *names], width, indent=5))


def _swap_widths(
    rows: Sequence[Sequence[str]], contexts: Sequence[tuple[str, str, str]], width: int
) -> list[int]:
    """Cells of each column of the swap table: natural when the table fits, else the context narrowed.

    When the table is too wide, kinds wrap to two lines, ``old → new`` gives
    up cells beyond a quarter of the table and the context takes what is left.
    """
    natural = _column_widths(rows)
    context = max([len("context in A"), *(cell_len("".join(parts)) for parts in contexts)])
    room = width - 16
    if sum(natural) + context <= room:
        return [*natural, context]
    values = _column_widths(rows[1:])
    kinds = [row[0] for row in rows[1:]]
    kind = max(4, *(len(k.split(" (")[0]) for k in kinds), *(len("(known spin)") for k in kinds if "(" in k))
    old_new = min(natural[1], max(9, room // 4))
    count = natural[2]
    first = max(values[3], len("(line:col A → B)"))
    return [kind, old_new, count, first, max(min(context, room - kind - old_new - count - first), 12)]


def _swap_table(swaps: Sequence[Swap], a_text: str, width: int) -> Table:
    """The swaps of a comparison: kind, old → new, count, first place, context in A.

    Each context is shortened on both sides to its column, the swap itself
    (in brackets) always whole in the middle.
    """
    rows = [["kind", "old → new", "count", "first at (line:col A → B)"]]
    contexts = []
    for swap in swaps:
        first = swap.positions[0]
        rows.append(
            [
                swap.kind + (" (known spin)" if swap.known_spin else ""),
                f"{printable(swap.old, newline=False)} → {printable(swap.new, newline=False)}",
                str(swap.count),
                f"{first.a_line}:{first.a_column} → {first.b_line}:{first.b_column}",
            ]
        )
        contexts.append(
            _context_parts(a_text, first.a_start, first.a_end, swap.old) if a_text else ("", "", "")
        )
    widths = _swap_widths(rows, contexts, width)
    table = Table(title=f"{plural(len(swaps), 'swap')}")
    for name, cells in zip([*rows[0], "context in A"], widths, strict=True):
        table.add_column(name, width=cells, justify="right" if name == "count" else "left")
    for swap, row, parts in zip(swaps, rows[1:], contexts, strict=True):
        table.add_row(
            Text(row[0], _KIND_STYLE.get(swap.kind, "white")),
            *(Text(cell) for cell in row[1:]),
            Text(_fit_context(parts, widths[-1]) if a_text else "", no_wrap=True),
            end_section=False,
        )
    return table


def _render_passages(console: Console, name: str, passages: Sequence[Passage], min_passage: int) -> None:
    """One line of totals for inserted, deleted or moved passages, then each long one on one line."""
    if not passages:
        return
    console.print(
        f"{name}: {plural(len(passages), 'passage')}, {sum(len(p.text) for p in passages)} characters"
    )
    for passage in passages:
        if len(passage.text) >= min_passage:
            where = f"  {passage.a_start}–{passage.a_end} ↔ {passage.b_start}–{passage.b_end}: "
            excerpt = _excerpt(passage.text, 60)
            room = console.width - cell_len(where)
            if cell_len(excerpt) > room:
                excerpt = _head(excerpt, room - 1) + "…"
            console.print(Text(where + excerpt))


def _without_shared_folder(names: Sequence[str]) -> list[str]:
    """Names with the folder they all share written as ``…/`` (unchanged when they share none).

    Examples:
        >>> _without_shared_folder(["/work/data/a.txt", "/work/data/b.txt (b)"])
        ['…/a.txt', '…/b.txt (b)']
        >>> _without_shared_folder(["a.txt", "docs/b.txt"])
        ['a.txt', 'docs/b.txt']
    """
    folders = [name.rpartition("/")[0] for name in names]
    try:
        shared = os.path.commonpath(folders) if all(folders) else ""
    except ValueError:
        shared = ""
    if len(shared) < 2:
        return list(names)
    return ["…/" + name[len(shared) :].lstrip("/") for name in names]


def _headline(comparison: Comparison, width: int) -> Text:
    """Names, verdict and figures of a comparison, wrapped to ``width`` between words.

    When that brings it onto one line, the folder both names share is
    written as ``…/``; otherwise the names are shown whole (shortened in the
    middle only when one is wider than a line).
    """
    figures = (
        f"({describe_similarity(comparison.similarity, comparison.raw_similarity)}; "
        f"A in B {comparison.containment_a_in_b:.3f}, B in A {comparison.containment_b_in_a:.3f})"
    )
    names = [printable(name, newline=False) for name in (comparison.a, comparison.b)]
    fixed = cell_len(f" ~ : {comparison.verdict} {figures}")
    short = _without_shared_folder(names)
    if sum(map(cell_len, names)) + fixed > width >= sum(map(cell_len, short)) + fixed:
        names = short
    names = [shorten(name, width - 3) for name in names]
    tokens: list[str | Text] = [Text(names[0]), "~", Text(names[1] + ":"), Text(comparison.verdict, "bold")]
    return _flow([*tokens, *_words(figures)], width)


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
    console.print(_headline(comparison, console.width))
    if not comparison.related:
        console.print("No alignment worth reporting: the two texts share too little.")
        if not comparison.passages:
            return
    elif not comparison.swaps and not (comparison.inserted or comparison.deleted or comparison.moved):
        console.print("No differences: the texts are the same after normalisation.")
        return
    if comparison.passages:
        reuse = (
            f"B reuses {plural(len(comparison.passages), 'passage')} of A: "
            f"copy ratio {comparison.copy_ratio:.1%}, as detector check B --against A reports it"
        )
        console.print(_flow(_words(reuse), console.width))
    if comparison.swaps:
        console.print(_swap_table(comparison.swaps, a_text, console.width))
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


def _source_table(report: DraftReport, width: int) -> Table:
    """The sources of one draft: copy ratio, passages, longest, swaps by kind.

    Source names are shortened in the middle when the table would otherwise
    be wider than ``width``; the swaps wrap; figures are never cut.
    """
    rows = [["#", "source", "copy ratio", "passages", "longest", "swaps"]]
    for rank, source in enumerate(report.sources, 1):
        counts = source.swap_counts()
        rows.append(
            [
                str(rank),
                printable(source.source, newline=False),
                f"{source.copy_ratio:.1%}",
                str(len(source.passages)),
                str(source.longest_passage),
                ", ".join(f"{kind} {count}" for kind, count in counts.items()),
            ]
        )
    widths = _column_widths(rows)
    if sum(widths) + 19 > width:
        widths[2] = max(_column_widths(rows[1:])[2], len("ratio"))
        longest = max(cell_len(item) + 1 for row in rows for item in row[5].split(", "))
        swaps = min(widths[5], longest)
        room = width - 19 - widths[0] - sum(widths[2:5])
        widths[1] = max(min(widths[1], room - swaps), 8)
        widths[5] = max(room - widths[1], swaps)
    table = Table()
    for name, cells in zip(rows[0], widths, strict=True):
        numeric = name not in ("source", "swaps")
        table.add_column(name, width=cells, justify="right" if numeric else "left", no_wrap=name == "source")
    for row in rows[1:]:
        table.add_row(row[0], Text(shorten(row[1], widths[1])), *row[2:5], Text(row[5]))
    return table


def _render_source_passages(
    console: Console,
    rank: int,
    source: SourceReuse,
    draft_lines: LineIndex | None,
    source_text: str,
    max_passages: int,
) -> None:
    """Each passage taken from one source (up to ``max_passages``), draft and source one above the other."""
    source_lines = LineIndex(source_text) if source_text else None
    for index, passage in enumerate(source.passages[:max_passages], 1):
        heading = Text(f"{rank}.{index}", "bold")
        figures = (
            f"draft {_where(draft_lines, passage.draft_start)} ↔ "
            f"source {_where(source_lines, passage.source_start)}, "
            f"{passage.length} characters ({passage.reused} counted)"
        )
        console.print(_flow([heading, *_words(figures)], console.width, indent=4))
        console.print(_hang(console, "    draft:  ", _excerpt(passage.draft_text, 70)))
        console.print(_hang(console, "    source: ", _excerpt(passage.source_text, 70)))
        if passage.swaps:
            items = _swap_summary(passage.swaps).split(", ")
            tokens = [Text(f"{item}," if n < len(items) else item) for n, item in enumerate(items, 1)]
            console.print(_flow([Text("    swaps: "), *tokens], console.width, indent=12))
    if len(source.passages) > max_passages:
        console.print(f"    … {len(source.passages) - max_passages} more passages from this source")


def _header_lines(report: DraftReport, settings: Mapping[str, Any] | None = None) -> list[tuple[str, str]]:
    """The figures of a draft below its headline, as (label, value) lines.

    Examples:
        >>> from detector.results import DraftReport
        >>> _header_lines(DraftReport("d.txt", 100, 0.0, ()))
        [('sources', 'none, no reuse found')]
    """
    settings = settings or {}
    if not report.sources:
        return [("sources", "none, no reuse found"), *_setting_lines(settings)]
    return [
        ("sources", f"{len(report.sources)}, largest {report.largest_source_ratio:.1%}"),
        ("passages", f"{report.passage_count}, longest {report.longest_passage} characters"),
        *_exclusion_lines(report, settings.get("exclusions") or {}),
        *_setting_lines(settings),
        *_section_lines(report),
    ]


def _exclusion_lines(report: DraftReport, exclusions: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The copy ratio without quotations and without own work, and the ratio the gate judges."""
    quotes = len(report.quotations)
    lines = [
        (
            "without quotations",
            f"{report.copy_ratio_without_quotes:.1%} "
            f"({plural(quotes, 'quotation') if quotes else 'no quotations'} in the draft)",
        )
    ]
    if exclusions.get("own"):
        owned = sum(s.own for s in report.sources)
        lines.append(
            ("without own work", f"{report.copy_ratio_without_own:.1%} ({plural(owned, 'own source')})")
        )
    else:
        lines.append(("without own work", "no own work named (--own)"))
    if report.counted_ratio != report.copy_ratio:
        lines.append(("counted", f"{report.counted_ratio:.1%}, the ratio the gate judges"))
    return lines


def _setting_lines(settings: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The minimum passage and the base documents of the check."""
    lines = []
    if "min_passage" in settings:
        shortest = int(settings["min_passage"])
        lines.append(
            ("minimum passage", f"{shortest} characters ({shortest * 3} in text written with spaces)")
        )
    base = (settings.get("exclusions") or {}).get("base") or []
    if base:
        lines.append(("base documents", f"{len(base)}, their text not counted"))
    return lines


#: Characters of a section heading shown in text output.
_SECTION_HEADING = 10


def _section_lines(report: DraftReport) -> list[tuple[str, str]]:
    """One line per section: its copy ratio, heading and largest source (its number in the source table)."""
    lines = []
    ranks = {s.source: rank for rank, s in enumerate(report.sources, 1)}
    for number, section in enumerate(report.sections, 1):
        heading = printable(section.heading, newline=False) or "(opening)"
        if len(heading) > _SECTION_HEADING:
            heading = heading[: _SECTION_HEADING - 1] + "…"
        rank = ranks.get(section.largest_source or "")
        largest = f", most from source {rank}" if rank else ""
        lines.append((f"section {number}", f"{section.copy_ratio:.1%} {heading}{largest}"))
    return lines


def _render_header(console: Console, report: DraftReport, settings: Mapping[str, Any] | None = None) -> None:
    """The headline of one draft (its name and copy ratio), then its figures one per line."""
    width = console.width
    share = f"{report.copy_ratio:.1%}"
    name = _name(report.draft, width, ":")
    figures = [*_words("copy ratio"), Text(share, "bold"), *_words(f"of {report.length} characters")]
    console.print(_flow([name, *figures], width))
    lines = _header_lines(report, settings)
    indent = max(len(label) for label, _ in lines) + 4
    for label_, value in lines:
        console.print(_flow([Text(f"  {label_}:".ljust(indent - 1)), *_words(value)], width, indent=indent))


def _render_reuse(
    console: Console,
    report: DraftReport,
    texts: Mapping[str, str],
    max_passages: int,
    settings: Mapping[str, Any] | None = None,
) -> None:
    """The headline of one draft, its source table and its passages."""
    _render_header(console, report, settings)
    if not report.sources:
        return
    console.print(_source_table(report, console.width))
    draft_text = texts.get(report.draft, "")
    draft_lines = LineIndex(draft_text) if draft_text else None
    for rank, source in enumerate(report.sources, 1):
        source_text = texts.get(source.source, "")
        _render_source_passages(console, rank, source, draft_lines, source_text, max_passages)


def _phrase_tokens(report: DraftReport, max_phrases: int) -> list[Text]:
    """The common phrases of a draft as tokens: each once with its count, then how many more."""
    counts = [(text, count) for text, _, count in report.phrase_counts()]
    shown = counts[:max_phrases]
    tokens = _words(f"common phrases, not counted ({len(report.common_phrases)}):", "dim")
    for number, (text, count) in enumerate(shown, 1):
        end = ";" if number < len(shown) or len(counts) > len(shown) else ""
        tokens.append(Text(_excerpt(text, 30) + (f" ×{count}" if count > 1 else "") + end, "dim"))
    if len(counts) > len(shown):
        tokens += _words(f"… {len(counts) - len(shown)} more", "dim")
    return tokens


def _render_verdicts(
    console: Console, report: DraftReport, max_phrases: int, gate: GateResult | None
) -> None:
    """Whole-document near-duplicates, the common phrases not counted, and why the draft failed."""
    width = console.width
    for match in report.duplicates:
        verdict = Text(match.verdict, _VERDICT_STYLE[match.verdict])
        similarity = f"({describe_similarity(match.similarity, match.raw_similarity)})"
        tokens = [*_words("whole document:"), verdict, Text("from"), _name(match.id, width - 2)]
        console.print(_flow([*tokens, *_words(similarity)], width))
    if report.common_phrases:
        console.print(_flow(_phrase_tokens(report, max_phrases), width))
    reasons = gate.reasons(report.draft) if gate is not None else ()
    if reasons:
        text = printable("; ".join(reasons), newline=False)
        console.print(_flow([Text("FAILED", "bold red") + ":", *_words(text)], width))


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
        _render_reuse(console, report, texts, max_passages, result.settings)
        _render_verdicts(console, report, max_phrases, gate)
    for path, reason in result.errors:
        name = _name(path, console.width - 2, ":")
        words = _words(printable(reason, newline=False))
        console.print(_flow([Text("not checked:", "red"), name, *words], console.width))
