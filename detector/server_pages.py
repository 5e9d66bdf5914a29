"""The pages of ``detector serve``: server-rendered HTML, every text escaped.

Each function returns one HTML page (or a fragment of one) as text; nothing
here reads the index or the request. Every string that comes from a
document, a file name, a query or an error is passed through
:func:`html.escape`, so a document holding ``<script>`` shows it as text.
The pages load one script, ``/static/serve.js`` (:data:`SCRIPT`), which
shows the progress of an upload; without it the forms still post and
redirect. The check report itself is the one ``--html`` writes
(:func:`detector.render.render`), with a bar of links put above it
(:func:`with_toolbar`).

Examples:
    >>> "&lt;script&gt;" in error_page(400, "a.txt: <script>")
    True
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from detector.results import DraftReport

__all__ = [
    "SCRIPT",
    "add_result_page",
    "archive_page",
    "document_page",
    "editor_page",
    "error_page",
    "login_page",
    "with_toolbar",
]

_CSS = """
:root { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; }
* { box-sizing: border-box; }
body { margin: 0; color: #1b1b1b; background: #fafafa; }
header.bar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 18px; padding: 10px 16px;
             background: #263238; color: #fff; }
header.bar a { color: #fff; }
header.bar strong { font-size: 18px; margin-right: 8px; }
main { max-width: 960px; margin: 0 auto; padding: 8px 16px 32px; }
h1 { font-size: 20px; } h2 { font-size: 17px; margin-top: 24px; }
textarea { width: 100%; min-height: 14em; font: inherit; padding: 8px; }
input[type=search], input[type=password] { width: min(100%, 28em); font: inherit; padding: 6px; }
button { font: inherit; padding: 6px 16px; margin-top: 8px; cursor: pointer; }
fieldset { border: 1px solid #ccc; border-radius: 4px; margin: 12px 0; padding: 10px 14px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { border-bottom: 1px solid #ddd; padding: 5px 6px; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.path, .path { word-break: break-all; }
pre.text { white-space: pre-wrap; word-break: break-all; background: #fff; border: 1px solid #ccc;
           padding: 10px 14px; line-height: 1.7; max-height: 70vh; overflow-y: auto; }
.error { color: #c62828; font-weight: bold; }
.note { color: #555; font-size: 13px; }
progress { width: 100%; height: 10px; }
#status { min-height: 1.5em; margin: 6px 0; }
"""

_TOOLBAR_CSS = """
.toolbar { display: flex; flex-wrap: wrap; gap: 6px 16px; padding: 8px 20px; background: #eceff1;
           font: 14px sans-serif; border-bottom: 1px solid #cfd8dc; }
"""

#: The pages' one script: an upload's progress, then the report (or the reason it was refused).
SCRIPT = """
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("check-form");
  if (!form || !window.FormData) { return; }
  var status = document.getElementById("status");
  var bar = document.getElementById("progress");
  var button = form.querySelector("button[type=submit]");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var request = new XMLHttpRequest();
    request.open("POST", form.getAttribute("action"));
    request.setRequestHeader("X-Detector-Request", "1");
    request.setRequestHeader("Accept", "application/json");
    button.disabled = true;
    status.className = "";
    bar.hidden = false;
    bar.value = 0;
    status.textContent = "Uploading…";
    request.upload.onprogress = function (e) {
      if (e.lengthComputable) {
        bar.value = e.loaded / e.total;
        status.textContent = "Uploading… " + Math.round(100 * e.loaded / e.total) + "%";
      }
    };
    request.upload.onload = function () {
      bar.removeAttribute("value");
      status.textContent = "Checking against the archive…";
    };
    request.onload = function () {
      var body = {};
      try { body = JSON.parse(request.responseText); } catch (err) { body = {}; }
      if (request.status === 200 && body.report) { window.location.assign(body.report); return; }
      bar.hidden = true;
      button.disabled = false;
      status.className = "error";
      status.textContent = body.detail || ("The server answered " + request.status);
    };
    request.onerror = function () {
      bar.hidden = true;
      button.disabled = false;
      status.className = "error";
      status.textContent = "The server could not be reached.";
    };
    request.send(new FormData(form));
  });
});
"""


def _e(value: object) -> str:
    """Any value as escaped HTML text (quotes too, so it is safe in attributes)."""
    return html.escape(str(value), quote=True)


def _page(title: str, body: str, *, nav: bool = True) -> str:
    """A whole page: the bar of links, then ``body`` (already HTML)."""
    links = '<a href="/">Check a draft</a> <a href="/archive">Archive</a>' if nav else ""
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n"
        '<script src="/static/serve.js" defer></script>\n</head>\n<body>\n'
        f'<header class="bar"><strong>detector</strong>{links}</header>\n<main>\n{body}\n</main>\n'
        "</body>\n</html>\n"
    )


def _csrf(token: str) -> str:
    return f'<input type="hidden" name="csrf" value="{_e(token)}">'


def _mib(size: int) -> str:
    return f"{size / 1024 / 1024:g} MiB"


def editor_page(csrf: str, *, documents: int, max_bytes: int) -> str:
    """The editor's page: paste a draft or upload files, then see the report.

    Args:
        csrf: The token the form posts back.
        documents: Documents in the archive.
        max_bytes: The most an upload (all its files) or a text may be.

    Returns:
        The page.

    Examples:
        >>> 'name="files"' in editor_page("t", documents=4, max_bytes=1 << 20)
        True
    """
    body = f"""
<h1>Check a draft against the archive</h1>
<p class="note">The archive holds {_e(documents)} documents. A draft is compared passage by passage;
the report shows what it takes from which document and what was swapped.</p>
<form id="check-form" method="post" action="/check" enctype="multipart/form-data">
{_csrf(csrf)}
<fieldset><legend>Paste a text</legend>
<label for="name">Name</label> <input id="name" name="name" value="draft" maxlength="200">
<textarea id="text" name="text" placeholder="Paste the draft here"></textarea></fieldset>
<fieldset><legend>or upload files</legend>
<input id="files" type="file" name="files" multiple accept=".docx,.txt,.md,.markdown">
<p class="note">.docx, .txt or .md; text in UTF-8, GB18030/GBK or UTF-16/32; at most
{_e(_mib(max_bytes))} in all.</p></fieldset>
<button type="submit">Check</button>
<progress id="progress" hidden></progress>
<div id="status" role="status" aria-live="polite"></div>
</form>"""
    return _page("detector: check a draft", body)


def _document_rows(documents: Sequence[Mapping[str, Any]]) -> str:
    rows = [
        f'<tr><td class="num">{_e(d["id"])}</td><td class="path"><a href="/archive/{int(d["id"])}">'
        f'{_e(d["path"])}</a></td><td class="num">{_e(d["characters"])}</td></tr>'
        for d in documents
    ]
    return "\n".join(rows)


def _add_form(csrf: str) -> str:
    return f"""
<h2>Add documents</h2>
<form id="add-form" method="post" action="/archive/add" enctype="multipart/form-data">
{_csrf(csrf)}<input type="file" name="files" multiple accept=".docx,.txt,.md,.markdown">
<button type="submit">Add to the archive</button>
<p class="note">A file whose name is in the archive already replaces it when its text changed.</p>
</form>"""


def archive_page(
    query: str, documents: Sequence[Mapping[str, Any]], *, total: int, csrf: str, allow_add: bool
) -> str:
    """The archive: search by name or text, the documents found.

    Args:
        query: What was searched for (empty: every document).
        documents: The documents found, as :meth:`IndexedDocument.to_dict` gives them.
        total: Documents in the archive.
        csrf: The token forms post back.
        allow_add: Show the form that adds documents.

    Returns:
        The page.
    """
    found = f"{len(documents)} found for “{_e(query)}”" if query else f"{total} documents"
    body = f"""
<h1>Archive</h1>
<form method="get" action="/archive" role="search">
<input type="search" name="q" value="{_e(query)}" placeholder="Name or text" aria-label="Search">
<button type="submit">Search</button></form>
<p>{found}</p>
<table><thead><tr><th>id</th><th>document</th><th>characters</th></tr></thead>
<tbody>{_document_rows(documents)}</tbody></table>
{_add_form(csrf) if allow_add else ""}"""
    return _page("detector: archive", body)


def _shares(report: DraftReport, ids: Mapping[str, int]) -> str:
    if not report.sources:
        return "<p>It shares no passage with another document of the archive.</p>"
    rows = []
    for source in report.sources:
        number = ids.get(source.source)
        name = _e(source.source)
        link = f'<a href="/archive/{number}">{name}</a>' if number is not None else name
        rows.append(
            f'<tr><td class="path">{link}</td><td class="num">{source.copy_ratio:.1%}</td>'
            f'<td class="num">{len(source.passages)}</td><td class="num">{source.longest_passage}</td></tr>'
        )
    return (
        "<table><thead><tr><th>document</th><th>share of this text</th><th>passages</th>"
        f"<th>longest</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def document_page(
    document: Mapping[str, Any],
    text: str,
    report: DraftReport,
    ids: Mapping[str, int],
    *,
    csrf: str,
    allow_add: bool,
) -> str:
    """One document of the archive: its figures, the documents it shares passages with, its text.

    Args:
        document: The document, as :meth:`IndexedDocument.to_dict` gives it.
        text: Its original text.
        report: It checked against the rest of the archive.
        ids: Document ids by path, for links.
        csrf: The token forms post back.
        allow_add: Show the button that removes it.

    Returns:
        The page.
    """
    number = int(document["id"])
    remove = (
        f'<form method="post" action="/archive/{number}/remove">{_csrf(csrf)}'
        '<button type="submit">Remove from the archive</button></form>'
        if allow_add
        else ""
    )
    body = f"""
<h1 class="path">{_e(document["path"])}</h1>
<p class="note">id {number} · {_e(document["characters"])} characters · SHA-256 {_e(document["sha256"][:16])}…
· <a href="/archive/{number}/report">side-by-side report</a></p>
<h2>Shares passages with</h2>
{_shares(report, ids)}
<h2>Text</h2>
<pre class="text">{_e(text)}</pre>
{remove}"""
    return _page(f"detector: {document['path']}", body)


def add_result_page(run: Mapping[str, Any]) -> str:
    """What adding files did: added, updated, unchanged, and each file refused with why.

    Args:
        run: The API's answer to an addition.

    Returns:
        The page.
    """
    lines = [
        f"<li>{_e(what)}: {_e(path)}</li>"
        for what in ("added", "updated", "unchanged")
        for path in run.get(what, ())
    ]
    lines += [f'<li class="error">{_e(e["path"])}: {_e(e["reason"])}</li>' for e in run.get("errors", ())]
    body = (
        f"<h1>Added to the archive</h1><ul>{''.join(lines)}</ul>"
        f'<p>The archive holds {_e(run.get("documents", 0))} documents. <a href="/archive">Back</a></p>'
    )
    return _page("detector: added", body)


def error_page(status: int, message: str) -> str:
    """A refused request: its status and the one-line reason.

    Examples:
        >>> "413" in error_page(413, "too large")
        True
    """
    body = f'<h1>Refused ({status})</h1><p class="error">{_e(message)}</p><p><a href="/">Back</a></p>'
    return _page(f"detector: {status}", body)


def login_page(next_path: str = "/", *, failed: bool = False) -> str:
    """The form that asks for the server's token once (it is then kept in a cookie)."""
    wrong = '<p class="error">That is not the token.</p>' if failed else ""
    body = f"""
<h1>Token</h1>{wrong}
<p>This server asks for its token (given to <code>detector serve --token</code>).</p>
<form method="post" action="/login"><input type="hidden" name="next" value="{_e(next_path)}">
<input type="password" name="token" aria-label="Token" autocomplete="current-password">
<button type="submit">Enter</button></form>"""
    return _page("detector: token", body, nav=False)


def with_toolbar(report: str, links: Sequence[tuple[str, str]]) -> str:
    """A report page (from :func:`detector.render.render`) with a bar of links above it.

    Args:
        report: The report's HTML.
        links: ``(label, address)`` of each link.

    Returns:
        The page.

    Examples:
        >>> with_toolbar("<html><body>\\n<p>r</p></body></html>", [("JSON", "/r.json")]).count("href")
        3
    """
    items = "".join(f'<a href="{_e(href)}">{_e(text)}</a>' for text, href in links)
    bar = f'<nav class="toolbar"><a href="/">Check another</a><a href="/archive">Archive</a>{items}</nav>'
    style = f"<style>{_TOOLBAR_CSS}</style>"
    head, found, rest = report.partition("<body>")
    if not found:
        return bar + report
    return f"{head}{found}\n{style}{bar}{rest}"
