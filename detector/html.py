"""Self-contained HTML reports: a diff of two texts, drafts and their sources, and a corpus overview.

Every report is one HTML file with its CSS and script inline: no network,
no CDN. Document text is always escaped, so a document holding
``<script>`` shows it as text. Pages name a font stack with CJK fallbacks,
and print to A4 with every text in full.

* :func:`comparison_to_html`: document A on the left, B on the right, the
  comparison's figures, a table of swaps (old → new, with each occurrence's
  line and column in both texts), the inserted, deleted and moved passages;
  every swap and passage marked in both texts, a click on a row bringing
  both places into view.
* :func:`check_to_html`: a summary table of the drafts, then each draft once
  with the passages of all its sources marked in it, and for each source
  its passages side by side with the source's text.
* :func:`scan_to_html`: the recycled groups and a similarity matrix of the
  documents that take part in a pair.

Renderers only render: every figure shown is one the result carries.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from detector.lines import LineIndex
from detector.results import (
    SWAP_KINDS,
    CheckResult,
    Comparison,
    DraftReport,
    Passage,
    ReusedPassage,
    ScanResult,
    SourceReuse,
    Swap,
    plural,
    raw_or_exact,
)
from detector.terminal import describe_similarity

__all__ = ["check_to_html", "comparison_to_html", "scan_to_html"]

#: A mark on a text: ``(start, end, attributes)``; ``class`` values add up, ``id`` goes on the first run.
Mark = tuple[int, int, dict[str, str]]

#: Background classes of a draft's sources, in source order (``src0`` … ``src7``, then again).
_SOURCE_CLASSES = 8

_FONTS = """
:root {
  --sans: system-ui, "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB",
          "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans", sans-serif;
  --serif: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "STSong", "SimSun", serif;
  --mono: ui-monospace, "Noto Sans Mono CJK SC", "Sarasa Mono SC", "DejaVu Sans Mono", Menlo, Consolas,
          monospace;
  font-family: var(--sans);
}
code, .pos { font-family: var(--mono); }
"""

_CSS = """
body { margin: 0; color: #1b1b1b; background: #fafafa; }
header { padding: 12px 20px; background: #263238; color: #fff; }
header h1 { margin: 0; font-size: 20px; word-break: break-all; }
header p { margin: 4px 0 0; font-size: 13px; color: #cfd8dc; word-break: break-all; }
section { padding: 8px 20px 24px; border-bottom: 1px solid #ddd; }
h2 { font-size: 17px; margin: 14px 0 6px; word-break: break-all; }
h3 { font-size: 15px; margin: 18px 0 6px; word-break: break-all; }
a { color: #0b57d0; }
table.summary { border-collapse: collapse; font-size: 13px; margin: 6px 0 10px; }
table.summary th, table.summary td { border: 1px solid #ccc; padding: 3px 8px; text-align: left;
  vertical-align: top; }
table.summary td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.summary tr[data-jump] { cursor: pointer; }
table.summary tr[data-jump]:hover { background: #f1f8ff; }
td.positions a { margin-right: 8px; white-space: nowrap; }
.note { font-size: 13px; color: #444; }
.legend { font-size: 13px; margin: 6px 0 10px; line-height: 2; }
.legend > span { margin-right: 14px; white-space: nowrap; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; align-items: start; }
.draft-side { position: sticky; top: 0; }
.draft-side .pane { height: 85vh; }
.sources h3:first-child { margin-top: 0; }
.pane { background: #fff; border: 1px solid #ccc; border-radius: 4px; height: 70vh; overflow-y: auto;
        padding: 10px 14px; white-space: pre-wrap; word-break: break-all; line-height: 1.9; font-size: 15px; }
.pane-title { font-size: 13px; color: #555; margin: 0 0 4px; word-break: break-all;
              position: sticky; top: 0; background: #fafafa; }
.excerpt { white-space: pre-wrap; word-break: break-all; }
td.kind, td.change { white-space: nowrap; }
ul.phrases { font-size: 13px; columns: 2; margin: 4px 0 10px; }
.passage, [data-jump] { cursor: pointer; }
.flash { outline: 3px solid #e53935 !important; }
.src0 { background: #ffe08a; } .src1 { background: #a8e6cf; } .src2 { background: #aecbfa; }
.src3 { background: #f8c6d8; } .src4 { background: #d7c4f5; } .src5 { background: #ffd3b0; }
.src6 { background: #c7ecee; } .src7 { background: #e6ee9c; }
.shared { background: #fff3b0; }
.swap { font-weight: bold; padding: 0 1px; border-bottom: 3px solid; border-radius: 2px; }
.swap.swap-year { background: #f8bbd0; border-color: #ad1457; color: #6a0036; }
.swap.swap-number { background: #b2ebf2; border-color: #00838f; color: #004d54; }
.swap.swap-place { background: #c8e6c9; border-color: #2e7d32; color: #1b4d1e; }
.swap.swap-placeholder { background: #ff9800; border: 3px solid #bf360c; color: #000; padding: 0 3px; }
.swap.swap-synonym { background: #c5cae9; border-color: #1a237e; color: #1a237e; }
.swap.swap-word { background: #e0e0e0; border-bottom: 3px dashed #424242; color: #212121; }
.ins { background: #c8f7c5; border-bottom: 3px solid #1b5e20; }
.del { background: #ffcdd2; border-bottom: 3px solid #b71c1c; text-decoration: line-through; }
.moved { background: #e1bee7; border-bottom: 3px dotted #6a1b9a; }
.gap::before { content: "‸"; color: #b71c1c; font-weight: bold; }
.quote { background: #efebe9; border-bottom: 3px double #5d4037; font-style: italic; }
.common, .passage.common { color: #757575; background: #eeeeee; }
.base, .passage.base { color: #9e9e9e; background: #f5f5f5; border-bottom: 2px dotted #9e9e9e; }
.own { font-size: 11px; background: #455a64; color: #fff; border-radius: 3px; padding: 0 4px; }
.failed { color: #c62828; font-weight: bold; }
.passed { color: #2e7d32; }
.matrix td { width: 34px; height: 26px; text-align: center; font-size: 11px; border: 1px solid #e0e0e0; }
.matrix th { font-size: 11px; font-weight: normal; text-align: left; padding: 0 6px; white-space: nowrap; }
.matrix th.col { writing-mode: vertical-rl; transform: rotate(180deg); height: 160px; }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { background: #fff; font-size: 11pt; }
  header { background: none; color: #000; border-bottom: 2px solid #000; }
  header p { color: #333; }
  section { padding: 4px 0 12px; }
  .pane { height: auto; max-height: none; overflow: visible; border: none; padding: 0; font-size: 10.5pt; }
  .pane-title, .draft-side { position: static; background: none; }
  .draft-side .pane { height: auto; }
  .pair { display: block; }
  .pair > div { margin-bottom: 12px; }
  a { color: inherit; text-decoration: none; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: 9pt; }
  tr, li, .legend, .pane-title { break-inside: avoid; page-break-inside: avoid; }
  h2, h3, .pane-title { break-after: avoid; page-break-after: avoid; }
  section { break-before: auto; }
  .flash { outline: none !important; }
}
"""

_SCRIPT = """
function flash(node) {
  node.classList.add("flash");
  setTimeout(function () { node.classList.remove("flash"); }, 1600);
}
document.addEventListener("click", function (event) {
  var node = event.target.closest("[data-jump]");
  if (!node) return;
  var ids = node.dataset.jump.split(" ");
  var found = false;
  ids.forEach(function (id) {
    var target = document.getElementById(id);
    if (!target) return;
    found = true;
    target.scrollIntoView({block: "center"});
    flash(target);
  });
  if (found) { event.preventDefault(); flash(node); }
});
"""


def _page(title: str, subtitle: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_FONTS}{_CSS}</style>\n</head>\n<body>\n"
        f"<header><h1>{html.escape(title)}</h1><p>{html.escape(subtitle)}</p></header>\n"
        f"{body}\n<script>{_SCRIPT}</script>\n</body>\n</html>\n"
    )


def _esc(text: object) -> str:
    return html.escape(str(text))


def _paint(
    length: int, marks: Sequence[Mark]
) -> tuple[list[list[str]], list[dict[str, str]], dict[int, list[str]]]:
    """Per character: its classes and attributes; per offset: the ids of the marks starting there."""
    classes: list[list[str]] = [[] for _ in range(length)]
    attrs: list[dict[str, str]] = [{} for _ in range(length)]
    anchors: dict[int, list[str]] = {}
    for start, end, given in marks:
        if "id" in given:
            anchors.setdefault(min(max(0, start), length), []).append(given["id"])
        for i in range(max(0, start), min(end, length)):
            for key, value in given.items():
                if key == "class":
                    classes[i].append(value)
                elif key != "id":
                    attrs[i][key] = value
    return classes, attrs, anchors


def _runs(
    length: int, classes: list[list[str]], attrs: list[dict[str, str]], cuts: set[int]
) -> Iterator[int]:
    """Start offsets of the runs of characters that share classes and attributes, cut at ``cuts``."""
    for i in range(length):
        if i == 0 or i in cuts or classes[i] != classes[i - 1] or attrs[i] != attrs[i - 1]:
            yield i


def _span(chunk: str, classes: list[str], attrs: dict[str, str], ident: str | None) -> str:
    parts = [f'id="{_esc(ident)}"'] if ident else []
    if classes:
        parts.append(f'class="{_esc(" ".join(dict.fromkeys(classes)))}"')
    parts.extend(f'{k}="{_esc(v)}"' for k, v in attrs.items())
    return f"<span {' '.join(parts)}>{_esc(chunk)}</span>" if parts else _esc(chunk)


def _marked(text: str, marks: Sequence[Mark], points: Sequence[tuple[int, str]] = ()) -> str:
    """Escape ``text``, wrapping each character run in the attributes the marks give it.

    Each mark is ``(start, end, attributes)``; later marks override earlier
    ones for the same attribute, ``class`` values are joined, and an ``id``
    goes on the first run of its mark only. ``points`` are ``(offset,
    markup)`` put before the character at ``offset`` (empty marks, such as
    where a passage was inserted).

    Args:
        text: The text.
        marks: The marks.
        points: Markup to put between characters.

    Returns:
        The escaped, marked text.

    Examples:
        >>> _marked("a<b>c", [(1, 4, {"class": "x", "id": "m"})])
        'a<span id="m" class="x">&lt;b&gt;</span>c'
        >>> _marked("ab", [], [(1, '<span class="gap"></span>')])
        'a<span class="gap"></span>b'
    """
    classes, attrs, anchors = _paint(len(text), marks)
    extra: dict[int, list[str]] = {}
    for offset, markup in points:
        extra.setdefault(min(max(0, offset), len(text)), []).append(markup)
    starts = list(_runs(len(text), classes, attrs, set(anchors) | set(extra)))
    out: list[str] = []
    for i, j in zip(starts, [*starts[1:], len(text)], strict=True):
        out.extend(extra.get(i, ()))
        ids = anchors.get(i, [])
        carried = ids[0] if ids and (classes[i] or attrs[i]) else None
        out.extend(f'<span id="{_esc(x)}"></span>' for x in ids if x != carried)
        out.append(_span(text[i:j], classes[i], attrs[i], carried))
    out.extend(extra.get(len(text), ()))
    out.extend(f'<span id="{_esc(x)}"></span>' for x in anchors.get(len(text), ()))
    return "".join(out)


def _swap_label(swap: Swap) -> str:
    """``synonym (known spin): 发展 → 开展``."""
    return f"{swap.kind}{' (known spin)' if swap.known_spin else ''}: {swap.old} → {swap.new}"


def _swap_class(kind: str) -> str:
    return f"swap swap-{kind}"


def _legend(items: Sequence[tuple[str, str]]) -> str:
    """A legend: each entry a sample styled like the marks it explains."""
    return (
        '<div class="legend">'
        + "".join(f'<span><span class="{_esc(cls)}">{_esc(label)}</span></span>' for cls, label in items)
        + "</div>"
    )


_SWAP_LEGEND = tuple((_swap_class(k), "synonym / spin" if k == "synonym" else k) for k in SWAP_KINDS)


def _phrase_list(report: DraftReport) -> str:
    """The common phrases of a draft, each once with its count; template (base) text apart."""
    found = report.phrase_counts()
    out: list[str] = []
    for base, heading in ((False, "common phrases, not counted"), (True, "template (base), not counted")):
        shown = [(t, o, c) for t, o, c in found if (o == "base") == base]
        if not shown:
            continue
        items = "".join(
            f'<li><span class="{"base" if base else "common"}">{_esc(text)}</span>'
            f"{f' ×{count}' if count > 1 else ''}"
            f"{f' <small>({_esc(origin)})</small>' if origin == 'learned' else ''}</li>"
            for text, origin, count in shown
        )
        out.append(f'<p class="note">{heading} ({len(shown)}):</p><ul class="phrases">{items}</ul>')
    return "".join(out)


# --- diff page -------------------------------------------------------------------------------


def _where(lines: LineIndex, offset: int) -> str:
    line, column = lines.line_column(offset)
    return f"{line}:{column}"


def _swap_marks(comparison: Comparison) -> tuple[list[Mark], list[Mark]]:
    """Marks of every swap occurrence in A and in B, with ids ``sw{swap}-{occurrence}-a|b``."""
    a_marks: list[Mark] = []
    b_marks: list[Mark] = []
    for i, swap in enumerate(comparison.swaps):
        look = {"class": _swap_class(swap.kind), "data-kind": swap.kind, "title": _swap_label(swap)}
        for k, p in enumerate(swap.positions):
            key = f"sw{i}-{k}"
            a_marks.append((p.a_start, p.a_end, {**look, "id": f"{key}-a", "data-jump": f"{key}-b"}))
            b_marks.append((p.b_start, p.b_end, {**look, "id": f"{key}-b", "data-jump": f"{key}-a"}))
    return a_marks, b_marks


_PASSAGE_KINDS = (("inserted", "ins", "ins"), ("deleted", "del", "del"), ("moved", "mv", "moved"))


def _passage_marks(
    comparison: Comparison,
) -> tuple[list[Mark], list[Mark], list[tuple[int, str]], list[tuple[int, str]]]:
    """Marks of inserted, deleted and moved passages in A and B, and the points where one is missing."""
    a_marks: list[Mark] = []
    b_marks: list[Mark] = []
    a_points: list[tuple[int, str]] = []
    b_points: list[tuple[int, str]] = []
    for name, prefix, cls in _PASSAGE_KINDS:
        for i, p in enumerate(getattr(comparison, name)):
            key = f"{prefix}{i}"
            look = {"class": cls, "title": f"{name} passage {i + 1}: {len(p.text)} characters"}
            for start, end, side, marks, points in (
                (p.a_start, p.a_end, "a", a_marks, a_points),
                (p.b_start, p.b_end, "b", b_marks, b_points),
            ):
                other = f"{key}-{'b' if side == 'a' else 'a'}"
                if start == end:
                    title = f"{name} passage {i + 1} is in the other text here"
                    points.append(
                        (
                            start,
                            f'<span id="{key}-{side}" class="gap" title="{_esc(title)}" '
                            f'data-jump="{other}"></span>',
                        )
                    )
                else:
                    marks.append((start, end, {**look, "id": f"{key}-{side}", "data-jump": other}))
    return a_marks, b_marks, a_points, b_points


def _shared_marks(comparison: Comparison) -> tuple[list[Mark], list[Mark]]:
    """Marks of the passages two unrelated texts share (``sh{n}-a|b``)."""
    a_marks: list[Mark] = []
    b_marks: list[Mark] = []
    for n, p in enumerate(comparison.passages):
        look = {"class": "shared passage", "title": f"shared passage {n + 1}: {p.length} characters"}
        a_marks.append((p.source_start, p.source_end, {**look, "id": f"sh{n}-a", "data-jump": f"sh{n}-b"}))
        b_marks.append((p.draft_start, p.draft_end, {**look, "id": f"sh{n}-b", "data-jump": f"sh{n}-a"}))
    return a_marks, b_marks


def _figures(comparison: Comparison) -> str:
    """The comparison's own figures: verdict, similarity, containments, copy ratio."""
    rows = [
        ("verdict", _esc(comparison.verdict)),
        ("similarity", _esc(describe_similarity(comparison.similarity, comparison.raw_similarity))),
        ("A in B (share of A's text found in B)", f"{comparison.containment_a_in_b:.3f}"),
        ("B in A (share of B's text found in A)", f"{comparison.containment_b_in_a:.3f}"),
    ]
    if comparison.reuse is not None:
        rows.append(
            (
                "reuse",
                f"B reuses {plural(len(comparison.passages), 'passage')} of A: "
                f"copy ratio <b>{comparison.copy_ratio:.1%}</b>, "
                "as <code>detector check B --against A</code> reports it",
            )
        )
    rows.append(
        (
            "changes",
            f"{plural(len(comparison.swaps), 'swap')} · {len(comparison.inserted)} inserted · "
            f"{len(comparison.deleted)} deleted · {len(comparison.moved)} moved",
        )
    )
    body = "".join(f"<tr><th>{name}</th><td>{value}</td></tr>" for name, value in rows)
    note = (
        ""
        if comparison.related
        else '<p class="note">The two texts share too little to align whole: no insertions, deletions '
        "or moves are listed, and the swaps are those inside the passages they share.</p>"
    )
    return f'<table class="summary">{body}</table>{note}'


def _swap_table(comparison: Comparison, a_lines: LineIndex, b_lines: LineIndex) -> str:
    """The swaps: kind, old → new, count, each occurrence as line:column in A and B (links)."""
    if not comparison.swaps:
        return "<h2>Swaps</h2><p>No swaps.</p>"
    rows = []
    for i, swap in enumerate(comparison.swaps):
        cls = _swap_class(swap.kind)
        links = " ".join(
            f'<a href="#sw{i}-{k}-b" data-jump="sw{i}-{k}-a sw{i}-{k}-b" class="pos">'
            f"A {_where(a_lines, p.a_start)} → B {_where(b_lines, p.b_start)}</a>"
            for k, p in enumerate(swap.positions)
        )
        kind = f"{swap.kind}{' (known spin)' if swap.known_spin else ''}"
        rows.append(
            f'<tr id="swap-{i}" data-jump="sw{i}-0-a sw{i}-0-b"><td class="kind">{_esc(kind)}</td>'
            f'<td class="change"><span class="{cls}">{_esc(swap.old)}</span> → '
            f'<span class="{cls}">{_esc(swap.new)}</span></td>'
            f'<td class="num">{swap.count}</td><td class="positions">{links}</td></tr>'
        )
    return (
        "<h2>Swaps (old in A → new in B)</h2>"
        '<p class="note">Click a row to bring its first occurrence into view in both texts, '
        "or a position for that occurrence.</p>"
        '<table class="summary swaps"><tr><th>kind</th><th>old → new</th><th>count</th>'
        "<th>where (line:column in A → in B)</th></tr>" + "".join(rows) + "</table>"
    )


def _passage_row(p: Passage, key: str, a_lines: LineIndex, b_lines: LineIndex, cls: str) -> str:
    where = f"A {_where(a_lines, p.a_start)} → B {_where(b_lines, p.b_start)}"
    return (
        f'<tr data-jump="{key}-a {key}-b"><td class="num"><a href="#{key}-b" class="pos">{where}</a></td>'
        f'<td class="num">{len(p.text)}</td>'
        f'<td class="excerpt"><span class="{cls}">{_esc(p.text)}</span></td></tr>'
    )


def _passage_tables(comparison: Comparison, a_lines: LineIndex, b_lines: LineIndex) -> str:
    """Inserted, deleted and moved passages, each row linking to its places in both texts."""
    out = []
    for name, prefix, cls in _PASSAGE_KINDS:
        passages: tuple[Passage, ...] = getattr(comparison, name)
        if not passages:
            continue
        rows = "".join(_passage_row(p, f"{prefix}{i}", a_lines, b_lines, cls) for i, p in enumerate(passages))
        out.append(
            f"<h3>{name.capitalize()} ({len(passages)})</h3>"
            '<table class="summary"><tr><th>where (A → B)</th><th>characters</th><th>text</th></tr>'
            f"{rows}</table>"
        )
    if comparison.related and not out:
        out.append("<p>No passages inserted, deleted or moved.</p>")
    return "<h2>Passages</h2>" + "".join(out) if out else ""


def _shared_table(comparison: Comparison) -> str:
    """The passages two unrelated texts share, each linking to its places."""
    if comparison.related or not comparison.passages:
        return ""
    rows = "".join(
        f'<tr data-jump="sh{n}-a sh{n}-b"><td class="num"><a href="#sh{n}-b">{n + 1}</a></td>'
        f'<td class="num">{p.length}</td><td class="excerpt">{_esc(p.draft_text)}</td></tr>'
        for n, p in enumerate(comparison.passages)
    )
    return (
        "<h2>Passages both texts share</h2>"
        '<table class="summary"><tr><th>#</th><th>characters</th><th>text in B</th></tr>' + rows + "</table>"
    )


_DIFF_LEGEND = (
    *_SWAP_LEGEND,
    ("ins", "inserted (only in B)"),
    ("del", "deleted (only in A)"),
    ("moved", "moved"),
    ("gap", " where a passage of the other text goes"),
)


def _diff_panes(comparison: Comparison, a_text: str, b_text: str) -> str:
    a_marks, b_marks, a_points, b_points = _passage_marks(comparison)
    if not comparison.related:
        a_marks, b_marks = _shared_marks(comparison)
    a_swaps, b_swaps = _swap_marks(comparison)
    return (
        '<div class="pair">'
        f'<div><p class="pane-title">A (old): {_esc(comparison.a)}</p>'
        f'<div class="pane" data-side="a">{_marked(a_text, a_marks + a_swaps, a_points)}</div></div>'
        f'<div><p class="pane-title">B (new): {_esc(comparison.b)}</p>'
        f'<div class="pane" data-side="b">{_marked(b_text, b_marks + b_swaps, b_points)}</div></div>'
        "</div>"
    )


def comparison_to_html(comparison: Comparison, *, title: str = "") -> str:
    """A comparison of two documents as one self-contained HTML page: A on the left, B on the right.

    The page shows the comparison's figures, its swaps (each occurrence's
    line and column in both texts), the inserted, deleted and moved
    passages, and both texts with every swap and passage marked. Clicking a
    row or a mark brings the places into view in both texts.

    Args:
        comparison: The comparison; its ``texts`` give the two original texts.
        title: Page title (default: ``detector diff: A → B``).

    Returns:
        The HTML document.

    Examples:
        >>> import detector
        >>> a = "全县2022年生态环境保护大会召开。" * 3
        >>> c = detector.compare(a, a.replace("2022", "2023"))
        >>> page = comparison_to_html(c)
        >>> '<td class="num">3</td>' in page and 'id="sw0-0-a"' in page and 'id="sw0-0-b"' in page
        True
    """
    a_text = comparison.texts.get(comparison.a, "")
    b_text = comparison.texts.get(comparison.b, "")
    a_lines, b_lines = LineIndex(a_text), LineIndex(b_text)
    body = (
        '<section class="diff">'
        + _figures(comparison)
        + _swap_table(comparison, a_lines, b_lines)
        + _passage_tables(comparison, a_lines, b_lines)
        + _shared_table(comparison)
        + "<h2>The two texts</h2>"
        + _legend(_DIFF_LEGEND if comparison.related else (*_SWAP_LEGEND, ("shared", "shared passage")))
        + _diff_panes(comparison, a_text, b_text)
        + "</section>"
    )
    subtitle = f"A: {comparison.a} · B: {comparison.b}"
    return _page(title or f"detector diff: {comparison.a} → {comparison.b}", subtitle, body)


# --- check page ------------------------------------------------------------------------------


def _source_class(number: int) -> str:
    return f"src{number % _SOURCE_CLASSES}"


def _draft_anchor(n: int) -> str:
    return f"draft-{n + 1}"


def _verdict(report: DraftReport) -> str:
    """The whole-document verdict of the nearest corpus document, or ``none``."""
    if not report.duplicates:
        return "none"
    match = report.duplicates[0]
    return f"{match.verdict}: {match.id}"


def _gate_cell(report: DraftReport, reasons: Sequence[str], judged: bool) -> str:
    """Whether the draft passed the gate, and the copy ratio the gate judges."""
    counted = f" <small>(counted {report.counted_ratio:.1%})</small>"
    if reasons:
        return f'<td class="failed">failed: {_esc("; ".join(reasons))}{counted}</td>'
    return f'<td class="passed">passed{counted}</td>' if judged else f"<td>not judged{counted}</td>"


def _largest(report: DraftReport) -> str:
    if not report.sources:
        return "—"
    source = report.sources[0]
    return f"{_esc(source.source)} ({source.copy_ratio:.1%})"


def _has_own(reports: Sequence[DraftReport]) -> bool:
    return any(source.own for report in reports for source in report.sources)


def _summary_table(result: CheckResult, failed: Mapping[str, Sequence[str]]) -> str:
    """One row per draft: copy ratios, largest source, verdict, gate; each links to the draft's section."""
    judged = result.gate is not None or bool(failed)
    own = _has_own(result.reports)
    rows = [
        f'<tr><td><a href="#{_draft_anchor(n)}">{_esc(r.draft)}</a></td>'
        f'<td class="num">{r.copy_ratio:.1%}</td><td class="num">{r.copy_ratio_without_quotes:.1%}</td>'
        + (f'<td class="num">{r.copy_ratio_without_own:.1%}</td>' if own else "")
        + f"<td>{_largest(r)}</td><td>{_esc(_verdict(r))}</td>"
        f"{_gate_cell(r, failed.get(r.draft, ()), judged)}</tr>"
        for n, r in enumerate(result.reports)
    ]
    return (
        '<section class="overview"><h2>Drafts</h2><table class="summary drafts"><tr><th>draft</th>'
        "<th>copy ratio</th><th>without quotations</th>"
        + ("<th>without own work</th>" if own else "")
        + "<th>largest source</th><th>whole-document verdict</th><th>gate</th></tr>"
        + "".join(rows)
        + "</table></section>"
    )


def _passage_key(n: int, m: int, k: int) -> str:
    return f"d{n + 1}-s{m + 1}-p{k + 1}"


def _swap_look(swap: Swap) -> dict[str, str]:
    return {"class": _swap_class(swap.kind), "data-kind": swap.kind, "title": _swap_label(swap)}


def _passage_look(n: int, m: int, k: int, passage: ReusedPassage, side: str) -> dict[str, str]:
    """The mark of passage ``k`` of source ``m`` of draft ``n`` on one side (``d`` draft, ``s`` source)."""
    key = _passage_key(n, m, k)
    other = "s" if side == "d" else "d"
    return {
        "class": f"passage {_source_class(m)}",
        "data-p": key,
        "title": f"source {m + 1}, passage {k + 1}: {passage.length} characters",
        "id": f"{key}-{side}",
        "data-jump": f"{key}-{other}",
    }


def _draft_marks(n: int, report: DraftReport) -> list[Mark]:
    """The marks of a draft: every source's passages, the swaps in them, the common phrases."""
    marks: list[Mark] = []
    for m, source in enumerate(report.sources):
        for k, passage in enumerate(source.passages):
            marks.append((passage.draft_start, passage.draft_end, _passage_look(n, m, k, passage, "d")))
    for phrase in report.common_phrases:
        cls = "base" if phrase.origin == "base" else "common"
        marks.append((phrase.draft_start, phrase.draft_end, {"class": cls}))
    for i, quote in enumerate(report.quotations):
        look = {"class": "quote", "title": f"quotation {i + 1}"}
        marks.append((quote.draft_start, quote.draft_end, {**look, "id": f"d{n + 1}-q{i + 1}"}))
    for i, section in enumerate(report.sections):
        marks.append((section.start, section.end, {"id": f"d{n + 1}-sec{i + 1}"}))
    for source in report.sources:
        for passage in source.passages:
            for swap in passage.swaps:
                marks.extend((p.b_start, p.b_end, _swap_look(swap)) for p in swap.positions)
    return marks


def _source_marks(n: int, m: int, source: SourceReuse) -> list[Mark]:
    """The marks of a source: its passages the draft reuses and the swaps in them."""
    marks: list[Mark] = []
    for k, passage in enumerate(source.passages):
        marks.append((passage.source_start, passage.source_end, _passage_look(n, m, k, passage, "s")))
    for passage in source.passages:
        for swap in passage.swaps:
            marks.extend((p.a_start, p.a_end, _swap_look(swap)) for p in swap.positions)
    return marks


def _clip(text: str, limit: int = 40) -> str:
    """The start of a passage, for a list of passages."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"


def _passage_rows(
    n: int, m: int, source: SourceReuse, draft_lines: LineIndex, source_lines: LineIndex
) -> str:
    """The passages of one source: where in the draft and the source (links to both), length, start."""
    rows = []
    for k, passage in enumerate(source.passages):
        key = _passage_key(n, m, k)
        where_draft = _where(draft_lines, passage.draft_start)
        where_source = _where(source_lines, passage.source_start)
        rows.append(
            f'<tr data-jump="{key}-d {key}-s"><td class="num">{m + 1}.{k + 1}</td>'
            f'<td class="num"><a href="#{key}-d" class="pos">{where_draft}</a></td>'
            f'<td class="num"><a href="#{key}-s" class="pos">{where_source}</a></td>'
            f'<td class="num">{passage.length} ({passage.reused})</td>'
            f"<td>{_esc(_clip(passage.draft_text))}</td></tr>"
        )
    return (
        '<table class="summary passages"><tr><th>#</th><th>draft line:col</th><th>source line:col</th>'
        "<th>characters (counted)</th><th>starts</th></tr>" + "".join(rows) + "</table>"
    )


def _source_block(n: int, m: int, source: SourceReuse, draft_lines: LineIndex, text: str) -> str:
    """One source of a draft: its figures, its passages, then its text with them marked."""
    counts = source.swap_counts()
    cells = "".join(f'<td class="num">{counts.get(kind, 0)}</td>' for kind in SWAP_KINDS)
    return (
        f'<h3 id="d{n + 1}-s{m + 1}"><span class="{_source_class(m)}">&nbsp;{m + 1}&nbsp;</span> '
        f"Source {m + 1}: {_esc(source.source)}{_own_tag(source)}</h3>"
        '<table class="summary"><tr><th>copy ratio</th><th>passages</th><th>longest</th>'
        + "".join(f"<th>{k}</th>" for k in SWAP_KINDS)
        + f'</tr><tr><td class="num">{source.copy_ratio:.1%}</td><td class="num">{len(source.passages)}</td>'
        f'<td class="num">{source.longest_passage}</td>{cells}</tr></table>'
        + _passage_rows(n, m, source, draft_lines, LineIndex(text))
        + f'<p class="pane-title">source {m + 1}: {_esc(source.source)}</p>'
        f'<div class="pane" data-side="source" data-source="{m + 1}">'
        f"{_marked(text, _source_marks(n, m, source))}</div>"
    )


def _own_tag(source: SourceReuse) -> str:
    return ' <span class="own">own work</span>' if source.own else ""


def _quotation_list(n: int, report: DraftReport) -> str:
    """The draft's quotations, each linking to its place in the draft."""
    if not report.quotations:
        return ""
    items = "".join(
        f'<li><a href="#d{n + 1}-q{i + 1}" data-jump="d{n + 1}-q{i + 1}">'
        f'<span class="quote">{_esc(_clip(quote.text))}</span></a></li>'
        for i, quote in enumerate(report.quotations)
    )
    return f'<p class="note">quotations ({len(report.quotations)}):</p><ul class="phrases">{items}</ul>'


def _sections_table(n: int, report: DraftReport) -> str:
    """Each section of a draft (linking to its start): copy ratio, largest source, passages."""
    if not report.sections:
        return ""
    rows = "".join(
        f'<tr data-jump="d{n + 1}-sec{i + 1}"><td><a href="#d{n + 1}-sec{i + 1}">'
        f"{_esc(section.heading) if section.heading else '(opening)'}</a></td>"
        f'<td class="num">{section.copy_ratio:.1%}</td>'
        f"<td>{_esc(section.largest_source or '—')}"
        f"{f' ({section.largest_source_ratio:.1%})' if section.largest_source else ''}</td>"
        f'<td class="num">{section.passages}</td></tr>'
        for i, section in enumerate(report.sections)
    )
    return (
        '<table class="summary sections"><tr><th>section</th><th>copy ratio</th><th>largest source</th>'
        f"<th>passages</th></tr>{rows}</table>"
    )


def _source_summary(n: int, report: DraftReport) -> str:
    """The table of a draft's sources: copy ratio, passages, longest, swaps; each links to its block."""
    table = [
        '<table class="summary"><tr><th>#</th><th>source</th><th>copy ratio</th><th>passages</th>'
        "<th>longest</th><th>swaps</th></tr>"
    ]
    for m, source in enumerate(report.sources):
        swaps = ", ".join(f"{k} {v}" for k, v in source.swap_counts().items())
        table.append(
            f'<tr><td class="num"><span class="{_source_class(m)}">&nbsp;{m + 1}&nbsp;</span></td>'
            f'<td><a href="#d{n + 1}-s{m + 1}">{_esc(source.source)}</a>{_own_tag(source)}</td>'
            f'<td class="num">{source.copy_ratio:.1%}</td><td class="num">{len(source.passages)}</td>'
            f'<td class="num">{source.longest_passage}</td><td>{_esc(swaps)}</td></tr>'
        )
    table.append("</table>")
    return "".join(table)


_CHECK_LEGEND = (
    *_SWAP_LEGEND,
    ("common", "common phrase (not counted)"),
    ("base", "template (base), not counted"),
    ("quote", "quotation"),
    ("passage src0", "reused passage, coloured by source (click it)"),
)


def _draft_head(report: DraftReport, reasons: Sequence[str]) -> str:
    """A draft's figures, why it failed, and its whole-document near-duplicates."""
    head = (
        f"<p>copy ratio <b>{report.copy_ratio:.1%}</b> of {report.length} characters · "
        f"{plural(len(report.sources), 'source')} · largest {report.largest_source_ratio:.1%} · "
        f"{plural(report.passage_count, 'passage')} · longest {report.longest_passage} characters · "
        f"{plural(len(report.common_phrases), 'common phrase')} not counted</p>"
        f"<p>without quotations <b>{report.copy_ratio_without_quotes:.1%}</b> "
        f"({plural(len(report.quotations), 'quotation')})"
        + (
            f" · without own work <b>{report.copy_ratio_without_own:.1%}</b>"
            if any(s.own for s in report.sources)
            else ""
        )
        + f" · counted by the gate <b>{report.counted_ratio:.1%}</b></p>"
    )
    if reasons:
        head += f'<p class="failed">FAILED: {_esc("; ".join(reasons))}</p>'
    for match in report.duplicates:
        head += (
            f"<p>whole document: <b>{_esc(match.verdict)}</b> from {_esc(match.id)} "
            f"({_esc(describe_similarity(match.similarity, match.raw_similarity))})</p>"
        )
    return head


def _draft_section(n: int, report: DraftReport, reasons: Sequence[str], texts: Mapping[str, str]) -> str:
    """One draft: figures, sources, its text once with all sources' passages marked, then each source."""
    draft_text = texts.get(report.draft, "")
    out = [
        f'<section class="draft" id="{_draft_anchor(n)}"><h2>{_esc(report.draft)}</h2>',
        _draft_head(report, reasons),
    ]
    if report.sources:
        out.append(_source_summary(n, report))
    out.append(_sections_table(n, report))
    out.append(_quotation_list(n, report))
    out.append(_phrase_list(report))
    if not report.sources:
        out.append("<p>No reuse found.</p>")
    out.append(_legend(_CHECK_LEGEND))
    draft_lines = LineIndex(draft_text)
    blocks = "".join(
        _source_block(n, m, source, draft_lines, texts.get(source.source, ""))
        for m, source in enumerate(report.sources)
    )
    out.append(
        f'<div class="pair"><div class="draft-side"><p class="pane-title">draft: {_esc(report.draft)}</p>'
        f'<div class="pane" data-side="draft">{_marked(draft_text, _draft_marks(n, report))}</div></div>'
        f'<div class="sources">{blocks}</div></div>'
    )
    out.append("</section>")
    return "".join(out)


def check_to_html(
    result: CheckResult,
    texts: Mapping[str, str],
    *,
    failed: Mapping[str, Sequence[str]] | None = None,
    title: str = "",
) -> str:
    """A check as one self-contained HTML page.

    A summary table of the drafts comes first (each row linking to the
    draft's section); each draft's text is shown once with the passages of
    all its sources marked; below it, each source's passages side by side.

    Args:
        result: The check.
        texts: Original texts of the drafts and sources, by path.
        failed: Reasons each draft failed the gate, by draft.
        title: Page title (default: ``detector check``).

    Returns:
        The HTML document.
    """
    failed = failed or {}
    sections = [_draft_section(n, r, failed.get(r.draft, ()), texts) for n, r in enumerate(result.reports)]
    minimum = result.settings.get("min_passage", "")
    subtitle = f"{plural(len(result.reports), 'draft')} checked · minimum passage {minimum}"
    body = _summary_table(result, failed) + "\n" + "\n".join(sections)
    return _page(title or "detector check", subtitle, body)


# --- scan page -------------------------------------------------------------------------------


def _matrix(result: ScanResult, names: Sequence[str], short: Mapping[str, str]) -> str:
    """The similarity matrix of the documents in a pair, cells shaded from white (0) to red (1)."""
    score = {}
    for pair in result.pairs:
        score[(pair.a, pair.b)] = score[(pair.b, pair.a)] = pair
    rows = [
        '<table class="matrix"><tr><th></th>'
        + "".join(f'<th class="col">{html.escape(short[n])}</th>' for n in names)
        + "</tr>"
    ]
    for a in names:
        cells = []
        for b in names:
            if a == b:
                cells.append('<td style="background:#263238"></td>')
                continue
            found = score.get((a, b))
            if found is None:
                cells.append("<td></td>")
                continue
            shade = int(255 - 200 * found.similarity)
            tip = f"{short[a]} ~ {short[b]}: {found.similarity:.3f} ({found.verdict})"
            cells.append(
                f'<td style="background:rgb(255,{shade},{shade})" title="{html.escape(tip)}">'
                f"{found.similarity:.2f}</td>"
            )
        rows.append(f"<tr><th>{html.escape(short[a])}</th>{''.join(cells)}</tr>")
    rows.append("</table>")
    return "".join(rows)


def _pair_rows(result: ScanResult) -> str:
    """One table row per pair: both paths, raw and exact similarity, containments, verdict."""
    return "".join(
        f"<tr><td>{html.escape(p.a)}</td><td>{html.escape(p.b)}</td>"
        f'<td class="num">{raw_or_exact(p.similarity, p.raw_similarity):.3f}</td>'
        f'<td class="num">{p.similarity:.3f}</td>'
        f'<td class="num">{p.containment_a_in_b:.3f}</td><td class="num">{p.containment_b_in_a:.3f}</td>'
        f"<td>{html.escape(p.verdict)}</td></tr>"
        for p in result.pairs
    )


def scan_to_html(result: ScanResult, *, title: str = "") -> str:
    """A scan as one self-contained HTML page: groups and a similarity matrix.

    The matrix shows the documents that take part in a listed pair; each cell
    is the exact similarity, shaded from white (0) to red (1).

    Args:
        result: The scan.
        title: Page title (default: ``detector scan``).

    Returns:
        The HTML document.
    """
    names = list(dict.fromkeys([p.a for p in result.pairs] + [p.b for p in result.pairs]))
    short = {n: Path(n).name for n in names}
    groups = (
        "".join(
            f"<li>{', '.join(html.escape(short.get(m, m)) for m in group)}</li>" for group in result.groups
        )
        or "<li>none</li>"
    )
    body = (
        '<section class="draft"><h2>Recycled groups</h2><ul>' + groups + "</ul>"
        "<h2>Similarity of the documents in a pair</h2>"
        + (_matrix(result, names, short) if names else "<p>No pairs.</p>")
        + '<h2>Pairs</h2><table class="summary"><tr><th>A</th><th>B</th><th>raw similarity</th>'
        "<th>similarity</th><th>A in B</th><th>B in A</th><th>verdict</th></tr>"
        + _pair_rows(result)
        + "</table></section>"
    )
    subtitle = (
        f"{plural(len(result.documents), 'document')} · {plural(len(result.pairs), 'pair')} · "
        f"{plural(len(result.groups), 'recycled group')}"
    )
    return _page(title or "detector scan", subtitle, body)
