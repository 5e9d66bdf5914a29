from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detector import Corpus, Document, read_document
from detector.cli import app
from detector.html import check_to_html, scan_to_html
from detector.report import CheckResult

from .browser import chromium, open_file
from .conftest import SPEECHES, seed_path, seed_text

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
