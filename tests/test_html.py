from __future__ import annotations

import html
import os
import re
import time
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detector import Corpus, Document, read_document
from detector.cli import app
from detector.html import check_to_html, comparison_to_html, scan_to_html
from detector.render import render
from detector.report import CheckResult
from detector.results import SWAP_KINDS

from .browser import chromium, open_file
from .conftest import CORPORA, ROOT, SPEECHES, seed_path, seed_text

ENV = {"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}


def _late_borrowing(tmp_path: Path) -> Path:
    """A draft opening with a late paragraph of seed 002, its district made a county, then seed 000."""
    paragraphs = [p for p in seed_text(2).split("\n") if len(p) > 150 and re.search("[全我]区", p[20:])]
    late = paragraphs[-1]
    assert seed_text(2).index(late) > len(seed_text(2)) // 2
    draft = tmp_path / "draft.txt"
    draft.write_text(
        late[:20] + re.sub("([全我])区", r"\1县", late[20:]) + "\n" + seed_text(0), encoding="utf-8"
    )
    return draft


def test_check_report_in_chromium(tmp_path):
    draft = _late_borrowing(tmp_path)
    out = tmp_path / "check.html"
    result = CliRunner().invoke(
        app,
        ["check", str(draft), "--against", *(str(seed_path(n)) for n in (1, 2, 3)), "--html", str(out)],
        env=ENV,
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "http://" not in page and "https://" not in page, "the report must not load anything"
    with chromium() as driver:
        open_file(driver, out)
        driver.save_screenshot(str(tmp_path / "check.png"))
        assert (tmp_path / "check.png").stat().st_size > 10_000
        passages = driver.find_elements("css selector", '.pane[data-side="draft"] .passage')
        assert passages
        assert driver.find_elements("css selector", '.pane[data-side="draft"] .swap-place')
        assert driver.find_elements("css selector", '.pane[data-side="source"] .swap-place')
        assert driver.find_elements("css selector", ".common")
        source_pane = driver.find_element("css selector", '.pane[data-side="source"]')
        assert driver.execute_script("return arguments[0].scrollTop", source_pane) == 0
        key = passages[0].get_attribute("data-p")
        target = driver.find_element("css selector", f'.pane[data-side="source"] [data-p="{key}"]')
        visible = (
            "var p = arguments[0].getBoundingClientRect(), t = arguments[1].getBoundingClientRect();"
            "return t.top >= p.top && t.top < p.bottom;"
        )
        assert not driver.execute_script(visible, source_pane, target), "the counterpart starts out of view"
        passages[0].click()
        time.sleep(0.3)
        assert driver.execute_script("return arguments[0].scrollTop", source_pane) > 0
        assert driver.execute_script(visible, source_pane, target)


def test_diff_report_in_chromium(tmp_path):
    out = tmp_path / "diff.html"
    result = CliRunner().invoke(
        app, ["diff", str(seed_path(3)), str(seed_path(4)), "--html", str(out)], env=ENV
    )
    assert result.exit_code == 0, result.output
    with chromium() as driver:
        open_file(driver, out)
        driver.save_screenshot(str(tmp_path / "diff.png"))
        kinds = {e.get_attribute("data-kind") for e in driver.find_elements("css selector", ".swap")}
        assert {"year", "placeholder", "synonym"} <= kinds
        titles = {e.get_attribute("title") for e in driver.find_elements("css selector", ".swap-synonym")}
        assert "synonym (known spin): 发展 → 开展" in titles


def test_scan_overview_in_chromium(tmp_path):
    out = tmp_path / "scan.html"
    result = CliRunner().invoke(app, ["scan", str(SPEECHES), "--html", str(out)], env=ENV)
    assert result.exit_code == 0, result.output
    with chromium() as driver:
        open_file(driver, out)
        driver.save_screenshot(str(tmp_path / "scan.png"))
        cells = driver.find_elements("css selector", ".matrix td[title]")
        assert any(
            "003_66e0f7edabd08f04.txt ~ 004_5be64723186af613.txt" in c.get_dom_attribute("title")
            for c in cells
        )


SCRIPT = "<script>alert(1)</script>"


def _hostile_result() -> tuple[CheckResult, dict[str, str]]:
    body = seed_text(3).split("\n")[3]
    source = Document("evil<b>.txt", f"{SCRIPT}\n{body}", "evil<b>.txt")
    draft = Document("draft.txt", f"{SCRIPT}<img src=x onerror=alert(2)>\n{body}", "draft.txt")
    corpus = Corpus()
    corpus.add(source)
    report = corpus.check(draft)
    assert report.sources
    return CheckResult((report,)), {"draft.txt": draft.text, "evil<b>.txt": source.text}


def test_document_markup_is_escaped():
    result, texts = _hostile_result()
    page = check_to_html(result, texts)
    assert SCRIPT not in page and "<img src=x" not in page and "evil<b>" not in page
    text_only = re.sub(r"</?span[^>]*>", "", page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text_only
    assert page.count("<script>") == 1, "only the report's own script"


def test_document_markup_shows_as_text_in_chromium(tmp_path):
    result, texts = _hostile_result()
    out = tmp_path / "hostile.html"
    out.write_text(check_to_html(result, texts), encoding="utf-8")
    with chromium() as driver:
        open_file(driver, out)
        from selenium.common.exceptions import NoAlertPresentException

        with pytest.raises(NoAlertPresentException):
            driver.switch_to.alert.text  # noqa: B018
        draft_pane = driver.find_element("css selector", '.pane[data-side="draft"]')
        assert SCRIPT in draft_pane.text
        assert not driver.find_elements("css selector", ".pane img")


def test_scan_html_escapes_paths():
    from detector.report import Pair, ScanResult

    result = ScanResult(
        ("<a>.txt", "b.txt"),
        (Pair("<a>.txt", "b.txt", 0.9, 0.9, 0.9, 0.9, "recycled"),),
        (("<a>.txt", "b.txt"),),
    )
    page = scan_to_html(result)
    assert "<a>.txt" not in page and "&lt;a&gt;.txt" in page


def test_check_html_summary_numbers():
    corpus = Corpus()
    corpus.add(read_document(seed_path(3)))
    report = corpus.check(read_document(seed_path(4)))
    page = check_to_html(
        CheckResult((report,)), {str(seed_path(3)): seed_text(3), str(seed_path(4)): seed_text(4)}
    )
    assert f"{report.copy_ratio:.1%}" in page
    assert page.count('data-side="draft"') == 1 and page.count("swap-year") >= 5


# --- diff page, check page layout, print, fonts ---------------------------------------------------

#: Set to 1 to rewrite the HTML golden files from the current renderers (then review the diff).
UPDATE_GOLDEN = os.environ.get("DETECTOR_UPDATE_GOLDEN") == "1"
GOLDEN = Path(__file__).parent / "golden"
CJK_FONTS = ('"Noto Sans CJK SC"', '"Source Han Sans SC"', '"PingFang SC"', '"Microsoft YaHei"')


class _Page(HTMLParser):
    """The panes of a report (text and ids inside each, by ``data-side``) and every id on the page."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.panes: list[tuple[str, str]] = []
        self.pane_ids: list[set[str]] = []
        self.ids: list[str] = []
        self._texts: list[str] = []
        self._depth = 0
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(found["id"])
            if self._depth:
                self.pane_ids[-1].add(found["id"])
        if tag != "div":
            return
        if self._depth:
            self._depth += 1
        elif "pane" in (found.get("class") or "").split():
            self._depth = 1
            self.panes.append((found.get("data-side") or "", ""))
            self.pane_ids.append(set())
            self._texts = []

    def handle_endtag(self, tag):
        if tag == "div" and self._depth:
            self._depth -= 1
            if not self._depth:
                self.panes[-1] = (self.panes[-1][0], "".join(self._texts))

    def handle_data(self, data):
        if self._depth:
            self._texts.append(data)

    def pane(self, side: str) -> tuple[str, set[str]]:
        (index,) = [i for i, (s, _) in enumerate(self.panes) if s == side]
        return self.panes[index][1], self.pane_ids[index]


def _find(pattern: str, text: str, flags: int = 0) -> re.Match[str]:
    """The first match of ``pattern`` in ``text``; fails the test when there is none."""
    found = re.search(pattern, text, flags)
    assert found is not None, f"{pattern!r} not found"
    return found


def _seed_diff():
    from detector.workflows import compare_files

    return compare_files(*(f"data/speeches/{seed_path(n).name}" for n in (3, 4)))


@pytest.fixture
def seed_diff_page(monkeypatch):
    """The seeds' diff (003 → 004, relative paths) and its page."""
    monkeypatch.chdir(ROOT)
    comparison = _seed_diff()
    return comparison, render(comparison, "html")


def _golden(name: str, page: str) -> None:
    path = GOLDEN / name
    if UPDATE_GOLDEN:
        path.write_text(page, encoding="utf-8")
    assert page == path.read_text(encoding="utf-8"), f"{name} changed (DETECTOR_UPDATE_GOLDEN=1 rewrites it)"


def test_diff_page_golden(seed_diff_page):
    _golden("diff_003_004.html", seed_diff_page[1])


def test_diff_page_has_a_left_and_b_right(seed_diff_page):
    comparison, page = seed_diff_page
    parsed = _Page(page)
    assert [side for side, _ in parsed.panes] == ["a", "b"], "A on the left, B on the right"
    assert parsed.pane("a")[0] == seed_text(3).replace("\r\n", "\n")
    assert parsed.pane("b")[0] == seed_text(4).replace("\r\n", "\n")
    titles = re.findall(r'<p class="pane-title">(.*?)</p>', page)
    assert titles == [f"A (old): {comparison.a}", f"B (new): {comparison.b}"]
    assert f"<title>detector diff: {comparison.a} → {comparison.b}</title>" in page
    assert "draft" not in page.split("<body>")[1].lower(), "a diff names A and B, not a draft"
    figures = _find(r'<table class="summary">(.*?)</table>', page).group(1)
    assert "recycled" in figures and f"{comparison.copy_ratio:.1%}" in figures
    assert (
        f"{comparison.containment_a_in_b:.3f}" in figures
        and f"{comparison.containment_b_in_a:.3f}" in figures
    )
    assert f"after undoing disguise {comparison.similarity:.3f}" in figures


def _swap_rows(page: str) -> dict[tuple[str, str, str], tuple[int, list[str], str]]:
    """The swap table: (kind, old, new) → (count, positions as written, the row's data-jump)."""
    table = _find(r'<table class="summary swaps">(.*?)</table>', page, re.S).group(1)
    rows = {}
    for row in re.findall(r"<tr id=.*?</tr>", table):
        jump = _find(r'data-jump="([^"]+)"', row).group(1)
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
        kind = re.sub(r" \(known spin\)", "", cells[0])
        old, new = (html.unescape(re.sub(r"<[^>]+>", "", x)).strip() for x in cells[1].split("→"))
        where = [html.unescape(re.sub(r"<[^>]+>", "", x)) for x in re.findall(r"<a [^>]*>.*?</a>", cells[3])]
        rows[(kind, old, new)] = (int(cells[2]), where, jump)
    return rows


def test_diff_page_swap_table_matches_the_comparison(seed_diff_page):
    comparison, page = seed_diff_page
    rows = _swap_rows(page)
    assert len(rows) == len(comparison.swaps)
    assert rows[("year", "2022", "2023")][0] == 2 and rows[("year", "2021", "2023")][0] == 3
    assert rows[("synonym", "发展", "开展")][0] == 20 and rows[("placeholder", "*", "x")][0] == 3
    for swap in comparison.swaps:
        count, where, _ = rows[(swap.kind, swap.old, swap.new)]
        assert count == swap.count
        assert where == [f"A {p.a_line}:{p.a_column} → B {p.b_line}:{p.b_column}" for p in swap.positions]


def test_diff_page_swap_rows_jump_to_marks_in_both_panes(seed_diff_page):
    comparison, page = seed_diff_page
    parsed = _Page(page)
    a_ids = parsed.pane("a")[1]
    b_ids = parsed.pane("b")[1]
    assert len(parsed.ids) == len(set(parsed.ids)), "ids are unique"
    for swap_index, (_, _, jump) in enumerate(_swap_rows(page).values()):
        a_id, b_id = jump.split()
        assert a_id in a_ids and b_id in b_ids
        swap = comparison.swaps[swap_index]
        mark = re.search(rf'<span id="{a_id}" class="([^"]+)"[^>]*>([^<]*)</span>', page)
        assert mark and f"swap-{swap.kind}" in mark.group(1).split()
        assert html.unescape(mark.group(2)) == swap.old
        mark = re.search(rf'<span id="{b_id}" class="([^"]+)"[^>]*>([^<]*)</span>', page)
        assert mark and html.unescape(mark.group(2)) == swap.new
    for name, prefix in (("inserted", "ins"), ("deleted", "del"), ("moved", "mv")):
        for i, _ in enumerate(getattr(comparison, name)):
            assert f"{prefix}{i}-a" in a_ids and f"{prefix}{i}-b" in b_ids
    assert comparison.inserted and 'data-jump="ins0-a ins0-b"' in page


def test_diff_page_unrelated_texts_show_figures_and_shared_swaps():
    from detector.workflows import compare

    text = seed_text(3)
    at = text.index("2021")
    piece = text[at - 20 : at + 20]
    a, b = seed_text(0), seed_text(1)
    comparison = compare(
        Document("a.txt", a[:1000] + piece + a[1000:], "a.txt"),
        Document("b.txt", b[:2000] + piece.replace("2021", "2023") + b[2000:], "b.txt"),
    )
    assert not comparison.related and comparison.passages
    page = comparison_to_html(comparison)
    assert "share too little to align whole" in page
    assert f"{comparison.containment_a_in_b:.3f}" in page and f"{comparison.similarity:.3f}" in page
    assert (
        set(_swap_rows(page))
        == {(s.kind, s.old, s.new) for s in comparison.swaps}
        == {("year", "2021", "2023")}
    )
    parsed = _Page(page)
    assert "sh0-a" in parsed.pane("a")[1] and "sh0-b" in parsed.pane("b")[1]
    assert parsed.pane("a")[0] == comparison.texts["a.txt"]


def test_diff_page_in_chromium_marks_are_visible_and_rows_jump(tmp_path, seed_diff_page):
    comparison, page = seed_diff_page
    out = tmp_path / "diff.html"
    out.write_text(page, encoding="utf-8")
    style = (
        "var s = getComputedStyle(arguments[0]);"
        "return [s.backgroundColor, s.borderBottomWidth, s.borderBottomStyle, s.borderBottomColor];"
    )
    with chromium() as driver:
        open_file(driver, out)
        for cls in [f"swap-{k}" for k in SWAP_KINDS] + ["ins", "del", "moved"]:
            (sample,) = driver.find_elements("css selector", f".legend .{cls}")
            background, width, line, _ = driver.execute_script(style, sample)
            visible = background not in ("rgba(0, 0, 0, 0)", "transparent")
            assert visible or (float(width[:-2]) >= 2 and line != "none"), f"{cls} is not visible"
        kinds = {s.kind for s in comparison.swaps}
        for kind in kinds:
            marks = driver.find_elements("css selector", f'.pane[data-side="a"] .swap-{kind}')
            assert len(marks) == sum(s.count for s in comparison.swaps if s.kind == kind)
        placeholder = driver.find_element("css selector", '.pane[data-side="b"] .swap-placeholder')
        background, width, line, _ = driver.execute_script(style, placeholder)
        assert background not in ("rgba(0, 0, 0, 0)", "transparent") and float(width[:-2]) >= 2
        assert placeholder.text == "x"
        a_pane = driver.find_element("css selector", '.pane[data-side="a"]')
        b_pane = driver.find_element("css selector", '.pane[data-side="b"]')
        assert (
            driver.execute_script("return arguments[0].scrollTop + arguments[1].scrollTop", a_pane, b_pane)
            == 0
        )
        last = len(comparison.swaps) - 1
        driver.execute_script("arguments[0].scrollIntoView()", driver.find_element("id", f"swap-{last}"))
        driver.find_element("id", f"swap-{last}").click()
        time.sleep(0.3)
        inside = (
            "var p = arguments[0].getBoundingClientRect(), t = arguments[1].getBoundingClientRect();"
            "return t.top >= p.top && t.bottom <= p.bottom;"
        )
        for pane, side in ((a_pane, "a"), (b_pane, "b")):
            target = driver.find_element("id", f"sw{last}-0-{side}")
            assert driver.execute_script(inside, pane, target), f"the row brings {side}'s mark into view"
            assert driver.execute_script("return arguments[0].scrollTop", pane) > 0


def _two_drafts():
    """Drafts 004 and 002 checked against seeds 000, 001 and 003 (relative paths)."""
    from detector.workflows import check

    return check(
        [f"data/speeches/{seed_path(n).name}" for n in (4, 2)],
        against=[f"data/speeches/{seed_path(n).name}" for n in (0, 1, 3)],
    )


def test_check_page_golden(monkeypatch):
    monkeypatch.chdir(ROOT)
    _golden("check_004_002.html", render(_two_drafts(), "html"))


def _text_only(page: str) -> str:
    body = page.split("<body>")[1]
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def test_check_page_summary_links_each_draft_and_shows_each_text_once(tmp_path):
    from detector.workflows import check

    draft = _late_borrowing(tmp_path)
    result = check([str(draft), str(seed_path(4))], against=[str(seed_path(n)) for n in (0, 1, 2, 3)])
    assert len(result.reports[0].sources) >= 2, "a draft with several sources"
    page = render(result, "html")
    summary = _find(r'<table class="summary drafts">(.*?)</table>', page).group(1)
    rows = re.findall(r"<tr><td>(.*?)</tr>", summary)
    assert len(rows) == len(result.reports)
    parsed = _Page(page)
    for report, row in zip(result.reports, rows, strict=True):
        anchor = re.search(r'<a href="#([^"]+)">([^<]*)</a>', row)
        assert anchor and html.unescape(anchor.group(2)) == report.draft
        assert anchor.group(1) in parsed.ids
        assert re.search(
            rf'<section class="draft" id="{anchor.group(1)}"><h2>{re.escape(report.draft)}</h2>', page
        )
        assert f"{report.copy_ratio:.1%}" in row
        assert report.sources[0].source in row and "passed" in row
    drafts = [text for side, text in parsed.panes if side == "draft"]
    assert drafts == [result.texts[r.draft] for r in result.reports], "each draft's text once, in order"
    text = _text_only(page)
    for report in result.reports:
        assert text.count(result.texts[report.draft]) == 1
    sources = [text for side, text in parsed.panes if side == "source"]
    assert sources == [result.texts[s.source] for r in result.reports for s in r.sources]
    for report in result.reports:
        for source in report.sources:
            for k, _ in enumerate(source.passages):
                key = f"d{result.reports.index(report) + 1}-s{report.sources.index(source) + 1}-p{k + 1}"
                assert f"{key}-d" in parsed.ids and f"{key}-s" in parsed.ids


def test_check_page_lists_each_common_phrase_once_with_its_count(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = _two_drafts()
    page = render(result, "html")
    for report in result.reports:
        section = page.split(f"<h2>{report.draft}</h2>")[1].split("</section>")[0]
        listed = re.findall(r'<li><span class="common">([^<]*)</span>(?: ×(\d+))?', section)
        texts = [p.text for p in report.common_phrases]
        assert [html.unescape(t) for t, _ in listed] == list(dict.fromkeys(texts)), "once each, in order"
        for phrase, count in listed:
            assert int(count or 1) == texts.count(html.unescape(phrase))
    counts = [
        int(c or 1)
        for _, c in re.findall(r'<li><span class="common">(生态环境保护工作)</span>(?: ×(\d+))?', page)
    ]
    assert counts and all(c > 1 for c in counts)


def _pdf(driver) -> bytes:
    """The open page printed to PDF the way a browser's print dialog does (CSS page size, backgrounds)."""
    import base64

    printed = driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    return base64.b64decode(printed["data"])


def _letters(text: str) -> str:
    """Letters, digits and CJK characters only: what a printed text and its source must share.

    Punctuation, spaces, and the marks a page prints between words (a caret
    where a passage is missing) are left out; ligatures become letters.
    """
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text))


def _pdf_text(pdf: bytes, tmp_path: Path) -> str | None:
    """The PDF's text with ``pdftotext``, or ``None`` when it is not installed."""
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        return None
    path = tmp_path / "printed.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _printed(driver, page: str, tmp_path: Path) -> bytes:
    """Open a page, check that in print no pane is cut off or sticky, and print it to PDF."""
    out = tmp_path / "printed.html"
    out.write_text(page, encoding="utf-8")
    open_file(driver, out)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    panes = driver.execute_script(
        "return Array.from(document.querySelectorAll('.pane, .pane-title, .draft-side')).map(function (p) {"
        "  var s = getComputedStyle(p);"
        "  return [p.className, p.scrollHeight <= p.clientHeight + 1, s.overflowY, s.position]; });"
    )
    for name, whole, overflow, position in panes:
        assert whole and overflow == "visible", f"{name} is cut off in print"
        assert position == "static", f"{name} is {position} in print"
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    pdf = _pdf(driver)
    assert pdf.startswith(b"%PDF")
    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert box is not None, "the PDF names its page size"
    (width, height) = box.groups()
    assert abs(float(width) - 595.3) < 2 and abs(float(height) - 841.9) < 2, "A4"
    return pdf


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def test_diff_page_prints_both_texts_in_full_on_a4(tmp_path, seed_diff_page):
    comparison, page = seed_diff_page
    assert "@page { size: A4;" in page and "@media print" in page
    with chromium() as driver:
        pdf = _printed(driver, page, tmp_path)
    assert _pages(pdf) > 1
    text = _pdf_text(pdf, tmp_path)
    if text is not None:
        flat = _letters(text)
        for label in (comparison.a, comparison.b):
            ending = _letters(comparison.texts[label])[-12:]
            assert ending in flat, f"the end of {label} is printed"


def test_english_diff_prints_both_texts_in_full(tmp_path):
    from detector.workflows import compare_files

    docs = sorted((CORPORA / "en_rba_decisions" / "docs").glob("*.txt"))[:2]
    if len(docs) < 2:
        pytest.skip(f"the RBA decisions corpus is not under {CORPORA}")
    comparison = compare_files(*docs)
    with chromium() as driver:
        pdf = _printed(driver, comparison_to_html(comparison), tmp_path)
    assert _pages(pdf) > 1
    text = _pdf_text(pdf, tmp_path)
    if text is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: page count and print layout checked only")
    flat = _letters(text)
    for label in (comparison.a, comparison.b):
        assert _letters(comparison.texts[label])[-40:] in flat


def test_check_page_prints_every_pane_in_full(tmp_path):
    from detector.workflows import check

    result = check([str(_late_borrowing(tmp_path))], against=[str(seed_path(n)) for n in (0, 1, 2, 3)])
    with chromium() as driver:
        pdf = _printed(driver, render(result, "html"), tmp_path)
    assert _pages(pdf) > 2


def test_every_page_names_a_cjk_font_stack(tmp_path, seed_diff_page):
    from detector.report import Pair, ScanResult

    scan = ScanResult(("a.txt", "b.txt"), (Pair("a.txt", "b.txt", 0.9, 0.9, 0.9, 0.9, "recycled"),), ())
    check_page = check_to_html(*_hostile_result())
    for page in (seed_diff_page[1], check_page, scan_to_html(scan)):
        stack = _find(r"--sans: ([^;]+);", page).group(1)
        assert all(font in stack for font in CJK_FONTS) and stack.rstrip().endswith("sans-serif")
        assert re.search(r"--serif: [^;]*\"Noto Serif CJK SC\"[^;]*serif;", page)
        assert re.search(r"--mono: [^;]*\"Noto Sans Mono CJK SC\"[^;]*monospace;", page)
        assert "font-family: var(--sans)" in page
    out = tmp_path / "diff.html"
    out.write_text(seed_diff_page[1], encoding="utf-8")
    with chromium() as driver:
        open_file(driver, out)
        pane = driver.find_element("css selector", ".pane")
        family = driver.execute_script("return getComputedStyle(arguments[0]).fontFamily", pane)
        assert "Noto Sans CJK SC" in family and "Microsoft YaHei" in family


HOSTILE_NAME = '"><img src=x onerror=alert(3)><script>alert(4)</script>.txt'


def test_diff_page_escapes_hostile_names_and_texts(tmp_path):
    from detector.workflows import compare

    body = seed_text(3).split("\n")[3]
    a = Document(HOSTILE_NAME, f"{SCRIPT}\n{body}", HOSTILE_NAME)
    b = Document(
        "b<b>.txt", f'{SCRIPT}"><img src=x onerror=alert(2)>\n{body.replace("发展", "开展")}', "b<b>.txt"
    )
    comparison = compare(a, b)
    assert comparison.swaps
    page = comparison_to_html(comparison)
    assert page.count("<script>") == 1 and "<img" not in page and "b<b>.txt" not in page
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in page and "b&lt;b&gt;.txt" in page
    parsed = _Page(page)
    assert parsed.pane("a")[0] == a.text and parsed.pane("b")[0] == b.text
    out = tmp_path / "hostile.html"
    out.write_text(page, encoding="utf-8")
    with chromium() as driver:
        open_file(driver, out)
        from selenium.common.exceptions import NoAlertPresentException

        with pytest.raises(NoAlertPresentException):
            driver.switch_to.alert.text  # noqa: B018
        assert not driver.find_elements("css selector", "img")
        assert HOSTILE_NAME in driver.find_element("css selector", "header h1").text


def test_check_page_escapes_hostile_draft_and_source_names():
    body = seed_text(3).split("\n")[3]
    source = Document(HOSTILE_NAME, f"{SCRIPT}\n{body}", HOSTILE_NAME)
    draft = Document("d<i>.txt", f"{SCRIPT}\n{body}", "d<i>.txt")
    corpus = Corpus()
    corpus.add(source)
    report = corpus.check(draft)
    assert report.sources
    page = check_to_html(CheckResult((report,)), {draft.id: draft.text, source.id: source.text})
    assert page.count("<script>") == 1 and "<img" not in page and "<i>" not in page
    assert html.escape(HOSTILE_NAME) in page


def test_check_page_shows_quotations_sections_own_work_and_template_text(monkeypatch, tmp_path):
    from detector.workflows import check

    monkeypatch.chdir(ROOT)
    seeds = {n: f"data/speeches/{seed_path(n).name}" for n in range(5)}
    result = check(
        [seeds[4], seeds[2]], against=[seeds[0], seeds[1], seeds[3]], own=[seeds[3]], base=[seeds[1]]
    )
    page = render(result, "html")
    summary = _find(r'<table class="summary drafts">(.*?)</table>', page).group(1)
    assert "<th>without quotations</th><th>without own work</th>" in summary
    for report, row in zip(result.reports, re.findall(r"<tr><td>.*?</tr>", summary), strict=True):
        cells = re.findall(r'<td class="num">([^<]*)</td>', row)
        assert cells == [
            f"{report.copy_ratio:.1%}",
            f"{report.copy_ratio_without_quotes:.1%}",
            f"{report.copy_ratio_without_own:.1%}",
        ]
        assert f"counted {report.counted_ratio:.1%}" in row
    recycled, fresh = result.reports
    assert recycled.sources[0].own and f'{seeds[3]}</a> <span class="own">own work</span>' in page
    parsed = _Page(page)
    draft_ids = [ids for (side, _), ids in zip(parsed.panes, parsed.pane_ids, strict=True) if side == "draft"]
    for n, report in enumerate(result.reports):
        section = page.split(f"<h2>{report.draft}</h2>")[1].split("</section>")[0]
        rows = re.findall(r'<tr data-jump="(d\d+-sec\d+)">(.*?)</tr>', section)
        assert len(rows) == len(report.sections) >= 2
        for (target, row), part in zip(rows, report.sections, strict=True):
            assert target in draft_ids[n]
            assert f'<td class="num">{part.copy_ratio:.1%}</td>' in row and html.escape(part.heading) in row
        for i, _ in enumerate(report.quotations):
            assert f"d{n + 1}-q{i + 1}" in draft_ids[n]
        base = [p.text for p in report.common_phrases if p.origin == "base"]
        listed = re.findall(r'<li><span class="base">([^<]*)</span>(?: ×(\d+))?', section)
        assert [html.unescape(t) for t, _ in listed] == list(dict.fromkeys(base))
        assert "template (base), not counted" in section
    assert fresh.quotations and page.count('class="quote"') >= len(fresh.quotations)
    out = tmp_path / "check.html"
    out.write_text(page, encoding="utf-8")
    with chromium() as driver:
        open_file(driver, out)
        for selector in ('.pane[data-side="draft"] .quote', ".legend .quote", ".pane .base", ".own"):
            element = driver.find_elements("css selector", selector)[0]
            background = driver.execute_script(
                "return getComputedStyle(arguments[0]).backgroundColor", element
            )
            assert background not in ("rgba(0, 0, 0, 0)", "transparent"), selector
