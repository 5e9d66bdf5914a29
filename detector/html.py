"""Self-contained HTML reports: a draft and its sources side by side, and a corpus overview.

Every report is one HTML file with its CSS and script inline: no network,
no CDN. Document text is always escaped, so a document holding
``<script>`` shows it as text.

* :func:`check_to_html`: for each draft and each source it reuses, the two
  texts side by side, reused passages highlighted in matching colours, each
  swap marked by kind, common phrases greyed; a summary table per source;
  clicking a passage scrolls its counterpart into view.
* :func:`scan_to_html`: the recycled groups and a similarity matrix of the
  documents that take part in a pair.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path

from detector.results import (
    SWAP_KINDS,
    CheckResult,
    DraftReport,
    ScanResult,
    SourceReuse,
    plural,
    raw_or_exact,
)
from detector.terminal import describe_similarity

__all__ = ["check_to_html", "scan_to_html"]

_PALETTE = ("#ffe08a", "#a8e6cf", "#aecbfa", "#f8c6d8", "#d7c4f5", "#ffd3b0", "#c7ecee", "#e6ee9c")
_KIND_COLOUR = {
    "year": "#b0006f",
    "number": "#00838f",
    "place": "#2e7d32",
    "placeholder": "#c77700",
    "synonym": "#1f4fd1",
    "word": "#555555",
}

_CSS = """
:root { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; }
body { margin: 0; color: #1b1b1b; background: #fafafa; }
header { padding: 12px 20px; background: #263238; color: #fff; }
header h1 { margin: 0; font-size: 20px; }
header p { margin: 4px 0 0; font-size: 13px; color: #cfd8dc; }
section.draft { padding: 8px 20px 24px; border-bottom: 1px solid #ddd; }
h2 { font-size: 17px; margin: 14px 0 6px; word-break: break-all; }
h3 { font-size: 15px; margin: 18px 0 6px; word-break: break-all; }
table.summary { border-collapse: collapse; font-size: 13px; margin: 6px 0 10px; }
table.summary th, table.summary td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; }
table.summary td.num { text-align: right; font-variant-numeric: tabular-nums; }
.legend { font-size: 13px; margin: 6px 0 10px; }
.legend span { margin-right: 12px; white-space: nowrap; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
.pane { background: #fff; border: 1px solid #ccc; border-radius: 4px; height: 70vh; overflow-y: auto;
        padding: 10px 14px; white-space: pre-wrap; word-break: break-all; line-height: 1.7; font-size: 15px; }
.pane-title { font-size: 13px; color: #555; margin: 0 0 4px; word-break: break-all; }
.passage { cursor: pointer; border-radius: 2px; }
.passage.flash { outline: 3px solid #e53935; }
.swap { font-weight: bold; border-bottom: 2px solid; padding: 0 1px; }
.common { color: #8a8a8a; background: #eeeeee !important; }
.failed { color: #c62828; font-weight: bold; }
.matrix td { width: 34px; height: 26px; text-align: center; font-size: 11px; border: 1px solid #e0e0e0; }
.matrix th { font-size: 11px; font-weight: normal; text-align: left; padding: 0 6px; white-space: nowrap; }
.matrix th.col { writing-mode: vertical-rl; transform: rotate(180deg); height: 160px; }
@media print {
  .pane { height: auto; overflow: visible; border: none; padding: 0; }
  .pair { grid-template-columns: 1fr 1fr; }
  header { background: none; color: #000; }
  header p { color: #333; }
}
"""

_SCRIPT = """
document.addEventListener("click", function (event) {
  var node = event.target.closest("[data-p]");
  if (!node) return;
  var pane = node.closest(".pane");
  var pair = pane.closest(".pair");
  var side = pane.dataset.side === "draft" ? "source" : "draft";
  var target = pair.querySelector('.pane[data-side="' + side + '"] [data-p="' + node.dataset.p + '"]');
  if (!target) return;
  target.scrollIntoView({block: "center"});
  target.classList.add("flash");
  node.classList.add("flash");
  setTimeout(function () { target.classList.remove("flash"); node.classList.remove("flash"); }, 1600);
});
"""


def _page(title: str, subtitle: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<header><h1>{html.escape(title)}</h1><p>{html.escape(subtitle)}</p></header>\n"
        f"{body}\n<script>{_SCRIPT}</script>\n</body>\n</html>\n"
    )


def _legend() -> str:
    items = [
        f'<span><span class="swap" style="color:{_KIND_COLOUR[k]};border-color:{_KIND_COLOUR[k]}">'
        f"{k}</span></span>"
        for k in SWAP_KINDS
    ]
    items.append('<span><span class="common">common phrase (not counted)</span></span>')
    items.append(f'<span><span style="background:{_PALETTE[0]}">reused passage</span> (click it)</span>')
    return '<div class="legend">' + "".join(items) + "</div>"


def _marked(text: str, marks: Sequence[tuple[int, int, dict[str, str]]]) -> str:
    """Escape ``text``, wrapping each character run in the attributes the marks give it.

    Each mark is ``(start, end, attributes)``; later marks override earlier
    ones for the same attribute, ``class`` values are joined.
    """
    classes: list[list[str]] = [[] for _ in range(len(text))]
    attrs: list[dict[str, str]] = [{} for _ in range(len(text))]
    for start, end, given in marks:
        for i in range(max(0, start), min(end, len(text))):
            for key, value in given.items():
                if key == "class":
                    classes[i].append(value)
                else:
                    attrs[i][key] = value
    out = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and classes[j] == classes[i] and attrs[j] == attrs[i]:
            j += 1
        chunk = html.escape(text[i:j])
        if classes[i] or attrs[i]:
            parts = []
            if classes[i]:
                parts.append(f'class="{html.escape(" ".join(dict.fromkeys(classes[i])))}"')
            parts.extend(f'{k}="{html.escape(v)}"' for k, v in attrs[i].items())
            out.append(f"<span {' '.join(parts)}>{chunk}</span>")
        else:
            out.append(chunk)
        i = j
    return "".join(out)


def _source_block(report: DraftReport, source: SourceReuse, number: int, texts: Mapping[str, str]) -> str:
    draft_text = texts.get(report.draft, "")
    source_text = texts.get(source.source, "")
    draft_marks: list[tuple[int, int, dict[str, str]]] = []
    source_marks: list[tuple[int, int, dict[str, str]]] = []
    for phrase in report.common_phrases:
        draft_marks.append((phrase.draft_start, phrase.draft_end, {"class": "common"}))
    for index, passage in enumerate(source.passages):
        colour = _PALETTE[index % len(_PALETTE)]
        key = f"{number}-{index}"
        style = f"background:{colour}"
        title = f"passage {index + 1}: {passage.length} characters"
        draft_marks.insert(
            0,
            (
                passage.draft_start,
                passage.draft_end,
                {"class": "passage", "data-p": key, "style": style, "title": title},
            ),
        )
        source_marks.append(
            (
                passage.source_start,
                passage.source_end,
                {"class": "passage", "data-p": key, "style": style, "title": title},
            )
        )
        for swap in passage.swaps:
            colour_kind = _KIND_COLOUR.get(swap.kind, "#555")
            label = f"{swap.kind}{' (known spin)' if swap.known_spin else ''}: {swap.old} → {swap.new}"
            for p in swap.positions:
                look = {"class": f"swap swap-{swap.kind}", "data-kind": swap.kind, "title": label}
                draft_marks.append((p.b_start, p.b_end, {**look, "style": f"{style};color:{colour_kind}"}))
                source_marks.append((p.a_start, p.a_end, {**look, "style": f"{style};color:{colour_kind}"}))
    counts = source.swap_counts()
    rows = "".join(f'<td class="num">{counts.get(kind, 0)}</td>' for kind in SWAP_KINDS)
    return (
        f"<h3>Source {number + 1}: {html.escape(source.source)}</h3>\n"
        '<table class="summary"><tr><th>copy ratio</th><th>passages</th><th>longest</th>'
        + "".join(f"<th>{k}</th>" for k in SWAP_KINDS)
        + f'</tr><tr><td class="num">{source.copy_ratio:.1%}</td><td class="num">{len(source.passages)}</td>'
        f'<td class="num">{source.longest_passage}</td>{rows}</tr></table>\n'
        '<div class="pair">'
        f'<div><p class="pane-title">draft: {html.escape(report.draft)}</p>'
        f'<div class="pane" data-side="draft">{_marked(draft_text, draft_marks)}</div></div>'
        f'<div><p class="pane-title">source: {html.escape(source.source)}</p>'
        f'<div class="pane" data-side="source">{_marked(source_text, source_marks)}</div></div>'
        "</div>\n"
    )


def _source_summary(report: DraftReport) -> str:
    """The table of a draft's sources: copy ratio, passages, longest, swaps by kind."""
    table = [
        '<table class="summary"><tr><th>#</th><th>source</th><th>copy ratio</th><th>passages</th>'
        "<th>longest</th><th>swaps</th></tr>"
    ]
    for rank, source in enumerate(report.sources, 1):
        swaps = ", ".join(f"{k} {v}" for k, v in source.swap_counts().items())
        table.append(
            f'<tr><td class="num">{rank}</td><td>{html.escape(source.source)}</td>'
            f'<td class="num">{source.copy_ratio:.1%}</td><td class="num">{len(source.passages)}</td>'
            f'<td class="num">{source.longest_passage}</td><td>{html.escape(swaps)}</td></tr>'
        )
    table.append("</table>")
    return "".join(table)


def _draft_section(report: DraftReport, reasons: Sequence[str], texts: Mapping[str, str]) -> str:
    """One draft: its figures, why it failed, its near-duplicates, then each source side by side."""
    head = (
        f'<section class="draft"><h2>{html.escape(report.draft)}</h2>'
        f"<p>copy ratio <b>{report.copy_ratio:.1%}</b> of {report.length} characters · "
        f"{plural(len(report.sources), 'source')} · largest {report.largest_source_ratio:.1%} · "
        f"{plural(report.passage_count, 'passage')} · longest {report.longest_passage} characters · "
        f"{plural(len(report.common_phrases), 'common phrase')} not counted</p>"
    )
    if reasons:
        head += f'<p class="failed">FAILED: {html.escape("; ".join(reasons))}</p>'
    for match in report.duplicates:
        head += (
            f"<p>whole document: <b>{html.escape(match.verdict)}</b> from {html.escape(match.id)} "
            f"({describe_similarity(match.similarity, match.raw_similarity)})</p>"
        )
    if report.sources:
        head += _source_summary(report) + _legend()
        head += "".join(_source_block(report, s, n, texts) for n, s in enumerate(report.sources))
    else:
        head += "<p>No reuse found.</p>"
    return head + "</section>"


def check_to_html(
    result: CheckResult,
    texts: Mapping[str, str],
    *,
    failed: Mapping[str, Sequence[str]] | None = None,
    title: str = "",
) -> str:
    """A check as one self-contained HTML page.

    Args:
        result: The check.
        texts: Original texts of the drafts and sources, by path.
        failed: Reasons each draft failed the gate, by draft.
        title: Page title (default: ``detector check``).

    Returns:
        The HTML document.
    """
    failed = failed or {}
    sections = [_draft_section(r, failed.get(r.draft, ()), texts) for r in result.reports]
    minimum = result.settings.get("min_passage", "")
    subtitle = f"{plural(len(result.reports), 'draft')} checked · minimum passage {minimum}"
    return _page(title or "detector check", subtitle, "\n".join(sections))


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
