from __future__ import annotations

import random
import re
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from detector import compare_files, results, workflows
from detector.gate import Gate
from detector.render import render_console
from detector.terminal import (
    TABLE_ROWS,
    describe_similarity,
    render_check,
    render_comparison,
    render_scan,
    shorten,
)

from .conftest import ROOT, corpus_folder, seed_path

GOLDEN = Path(__file__).parent / "golden"


def _console() -> Console:
    return Console(file=StringIO(), width=80, color_system=None)


def _text(console: Console) -> str:
    file = console.file
    assert isinstance(file, StringIO)
    return file.getvalue()


def test_render_scan_at_width_80():
    result = results.ScanResult(
        ("speeches/2022.txt", "speeches/2023.txt"),
        (results.Pair("speeches/2022.txt", "speeches/2023.txt", 0.91, 0.9, 0.95, 0.93, "recycled"),),
        (("speeches/2022.txt", "speeches/2023.txt"),),
    )
    console = _console()
    render_scan(result, console)
    out = _text(console)
    assert "recycled" in out and "2022.txt" in out and "2023.txt" in out
    assert "1 pair among 2 documents" in out and "1 recycled group:" in out
    assert all(len(line) <= 80 for line in out.splitlines())


def test_render_scan_shows_raw_similarity_when_disguise_was_undone():
    result = results.ScanResult(
        ("a.txt", "b.txt"),
        (results.Pair("a.txt", "b.txt", 0.9, 0.9, 0.9, 0.9, "recycled", raw_similarity=0.4),),
        (),
        settings={"canonical": True},
    )
    console = _console()
    render_scan(result, console)
    out = _text(console)
    assert "0.400" in out and "after undoing script and spin" in out


def test_render_comparison_lists_swaps_and_passages():
    text = "坚决打赢2022年污染防治攻坚战"
    swap = results.Swap("year", "2022", "2023", 1, (results.Position(4, 8, 4, 8, 1, 5, 1, 5),))
    comparison = results.Comparison(
        "a.txt", "b.txt", 0.7, True, (swap,), (results.Passage(15, 15, 15, 23, "系统提升人居环境"),)
    )
    console = _console()
    render_comparison(comparison, console, a_text=text)
    out = _text(console)
    assert "2022 → 2023" in out and "1:5 → 1:5" in out
    assert "inserted: 1 passage, 8 characters" in out and "系统提升人居环境" in out


def test_render_check_gives_line_columns_and_marks_failures():
    draft = "第一行\n坚决打赢2023年污染防治攻坚战"
    source = "坚决打赢2022年污染防治攻坚战"
    passage = results.ReusedPassage(4, len(draft), 0, len(source), draft[4:], source, 16, 12)
    report = results.DraftReport(
        "draft.txt",
        19,
        0.8,
        (results.SourceReuse("old.txt", 0.8, (passage,)),),
        duplicates=(results.Match("old.txt", 0.9, 0.9, 0.9, 0.9, "recycled", raw_similarity=0.5),),
    )
    check = results.CheckResult((report,), (("gone.txt", "no such file"),))
    console = _console()
    texts = {"draft.txt": draft, "old.txt": source}
    render_check(check, console, texts=texts, gate=Gate(fail_above=0.3).evaluate(check))
    out = _text(console)
    assert "draft 2:1 ↔ source 1:1" in out
    assert "whole document: recycled from old.txt (raw 0.500, after undoing disguise 0.900)" in out
    assert "FAILED: copy ratio 80.0% is above 30.0%" in out and "not checked: gone.txt" in out
    console = _console()
    render_check(check, console)
    assert "draft 4 ↔ source 0" in _text(console) and "FAILED" not in _text(console)


def test_describe_similarity():
    assert describe_similarity(0.9, 0.9) == "similarity 0.900"
    assert describe_similarity(0.9, 0.5) == "raw 0.500, after undoing disguise 0.900"


ESC = "\x1b]0;TITLE\x07"


def test_names_with_markup_are_shown_literally():
    a, b = "m[/]b.txt", "[bold red]x[link=http://a]y.txt"
    scan = results.ScanResult((a, b), (results.Pair(a, b, 0.9, 0.9, 0.9, 0.9, "recycled"),), ((a, b),))
    console = _console()
    render_scan(scan, console)
    out = _text(console)
    assert a in out and b in out and f"1. {a}, {b}" in out
    report = results.DraftReport(
        b,
        19,
        0.8,
        (results.SourceReuse(a, 0.8, ()),),
        duplicates=(results.Match(a, 0.9, 0.9, 0.9, 0.9, "recycled"),),
    )
    check = results.CheckResult((report,), (("[/]gone.txt", "no [red]such[/] file"),))
    console = _console()
    render_check(check, console, gate=Gate(fail_on="recycled").evaluate(check))
    out = _text(console)
    assert out.startswith(f"{b}: copy ratio") and f"whole document: recycled from {a} (" in out
    assert f"FAILED: recycled from {a} (" in out and "not checked: [/]gone.txt: no [red]such[/] file" in out


def test_control_characters_are_escaped_in_passages_and_swap_contexts():
    text = "开头\x1b]0;T\x07赢2022年污染防治攻坚战[x]"
    start = text.index("2022")
    swap = results.Swap(
        "year", "2022", "[b]2023", 1, (results.Position(start, start + 4, start, start + 4, 1, 1, 1, 1),)
    )
    comparison = results.Comparison(
        f"a{ESC}.txt", "b.txt", 0.7, True, (swap,), (results.Passage(3, 3, 3, 20, f"新增{ESC}\x9b段落内容"),)
    )
    console = Console(file=StringIO(), width=200, color_system=None)
    render_comparison(comparison, console, a_text=text)
    out = _text(console)
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert "a\\x1b]0;TITLE\\x07.txt ~ b.txt" in out
    assert "头\\x1b]0;T\\x07赢[2022]年污染防治攻坚战" in out and "2022 → [b]2023" in out
    assert "新增\\x1b]0;TITLE\\x07\\x9b段落内容" in out
    draft = f"坚决{ESC}打赢2023年污染防治攻坚战"
    passage = results.ReusedPassage(0, len(draft), 0, 4, draft, f"坚决打赢{ESC}", 16, 12, (swap,))
    report = results.DraftReport("d.txt", 19, 0.8, (results.SourceReuse("s.txt", 0.8, (passage,)),))
    console = _console()
    render_check(results.CheckResult((report,)), console)
    out = _text(console)
    assert "\x1b" not in out and "\x07" not in out
    assert "draft:  坚决\\x1b]0;TITLE\\x07打赢" in out and "source: 坚决打赢\\x1b]0;TITLE\\x07" in out
    assert "swaps:  year 2022→[b]2023" in out


def _many_pairs(count: int) -> results.ScanResult:
    """A scan of ``count`` ranked pairs among odd names: Chinese, spaces, markup, a control character."""
    names = [f"archive/{n:05d}.txt" for n in range(4001)]
    names[7], names[11], names[13] = (
        "archive/讲话 稿[bold]x.txt",
        "archive/\x1b]0;T\x07.txt",
        "archive/a  b.txt",
    )
    rng = random.Random(14)
    pairs = []
    for rank in range(count):
        a, b = rng.sample(names[:40], 2) if rank % 3 == 0 else rng.sample(names, 2)
        similarity = 1 - rank / count
        verdict: results.Verdict = "recycled" if similarity >= 0.5 else ("partial" if rank % 2 else "none")
        pairs.append(
            results.Pair(
                a, b, similarity, similarity - 0.01, 0.5, 0.25, verdict, raw_similarity=similarity / 2
            )
        )
    return results.ScanResult(
        tuple(names), tuple(pairs), ((names[7], names[11]),), settings={"canonical": True}, pairs_dropped=17
    )


def test_render_scan_of_twenty_thousand_pairs_lists_every_pair_on_its_line():
    result = _many_pairs(20_000)
    console = Console(file=StringIO(), width=120, color_system=None)
    render_scan(result, console)
    lines = _text(console).splitlines()
    assert lines[0] == "20000 pairs among 4001 documents"
    header = "#  document A  document B  raw  exact  est.  A in B  B in A  verdict"
    assert re.sub(" {2,}", "  ", lines[1].strip()) == header
    rows = lines[2 : 2 + len(result.pairs)]
    shown = {"archive/\x1b]0;T\x07.txt": "\\x1b]0;T\\x07.txt"}
    for rank, (line, pair) in enumerate(zip(rows, result.pairs, strict=True), 1):
        a, b = (shown.get(name, name.removeprefix("archive/")) for name in (pair.a, pair.b))
        figures = (pair.similarity / 2, pair.similarity, pair.estimated, 0.5, 0.25)
        expected = rf" *{rank}  {re.escape(a)} +{re.escape(b)} +" + " +".join(f"{f:.3f}" for f in figures)
        assert re.fullmatch(rf"{expected}  {pair.verdict}", line), (rank, line)
        assert cell_len(line) - len(pair.verdict) == cell_len(lines[1]) - len("verdict"), line
    rest = "\n".join(lines[2 + len(result.pairs) :])
    assert "17 more pairs not listed" in rest and "1 recycled group:" in rest
    assert "讲话 稿[bold]x.txt, \\x1b]0;T\\x07.txt" in rest


def test_a_scan_just_over_the_table_limit_is_printed_as_lines():
    for count, table in ((TABLE_ROWS, True), (TABLE_ROWS + 1, False)):
        console = _console()
        render_scan(_many_pairs(count), console)
        out = _text(console)
        assert ("│" in out or "┃" in out) == table
        assert len(out.splitlines()) > count


def test_texts_too_different_to_align_still_show_the_swaps_of_shared_passages():
    folder = corpus_folder("cn_xinwenlianbo_2024") / "news"
    comparison = compare_files(folder / "20240106.md", folder / "20240107.md")
    console = Console(record=True, width=160, color_system=None)
    render_comparison(comparison, console, a_text=comparison.texts[comparison.a])
    out = console.export_text()
    assert "No alignment worth reporting" in out
    assert "第一 → 第二" in out


def _seed(number: int) -> str:
    return f"data/speeches/{seed_path(number).name}"


@pytest.fixture(scope="module")
def seed_results() -> dict[str, results.ScanResult | results.CheckResult | results.Comparison]:
    """Scan, diff and check of the seeds, with the paths a user types from the repository root."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        return {
            "scan": workflows.scan(["data/speeches"]),
            "diff": workflows.compare_files(_seed(3), _seed(4)),
            "check": workflows.check([_seed(4)], against=[_seed(n) for n in range(4)]),
        }


def _render(result: results.ScanResult | results.CheckResult | results.Comparison, width: int) -> str:
    console = Console(file=StringIO(), width=width, color_system=None, highlight=False, emoji=False)
    render_console(result, console)
    return _text(console)


def _names(result: results.ScanResult | results.CheckResult | results.Comparison) -> list[str]:
    if isinstance(result, results.ScanResult):
        return [Path(name).name for pair in result.pairs for name in (pair.a, pair.b)]
    if isinstance(result, results.Comparison):
        return [result.a, result.b]
    return [name for r in result.reports for name in (r.draft, *(s.source for s in r.sources))]


def _kept(name: str, line: str) -> bool:
    """The name whole on the line, or shortened in the middle there (start…end, or …/file name)."""
    if name in line:
        return True
    for found in re.finditer(r"[^\s│┃]*…[^\s│┃]+", line):
        start, end = found.group().split("…", 1)
        kept = len(start) >= 3 or end.startswith("/")
        if kept and len(end) >= 4 and name.startswith(start) and name.endswith(end):
            return True
    return False


def _on_one_line(name: str, lines: list[str]) -> bool:
    """The name is shown on some line, and no line shows a piece of it (its start folded off the rest)."""
    start = Path(name).name[:8]
    pieces = [line for line in lines if start in line and not _kept(name, line)]
    return not pieces and any(_kept(name, line) for line in lines)


@pytest.mark.parametrize("width", [80, 200])
@pytest.mark.parametrize("kind", ["scan", "diff", "check"])
def test_seed_renders_fit_the_width_and_keep_names_on_one_line(seed_results, kind, width):
    result = seed_results[kind]
    lines = _render(result, width).splitlines()
    too_wide = [line for line in lines if cell_len(line) > width]
    assert not too_wide, too_wide
    for name in _names(result):
        assert _on_one_line(name, lines), (name, lines)


@pytest.mark.parametrize("width", [80, 200])
def test_every_swap_keeps_its_brackets_on_one_line(seed_results, width):
    comparison = seed_results["diff"]
    lines = _render(comparison, width).splitlines()
    rows = [line for line in lines if line.startswith("│")]
    for swap in comparison.swaps:
        assert any(f"[{swap.old}]" in line for line in rows), (swap.old, rows)
    assert (
        sum(line.count("[") for line in rows)
        == sum(line.count("]") for line in rows)
        == len(comparison.swaps)
    )


@pytest.mark.parametrize("width", [80, 200])
def test_repeated_common_phrases_are_listed_once_with_a_count(seed_results, width):
    (report,) = seed_results["check"].reports
    counts = Counter(p.text for p in report.common_phrases)
    assert max(counts.values()) > 1
    out = _render(seed_results["check"], width)
    listed = out[out.index("common phrases, not counted") :].split(":", 1)[1]
    items = [" ".join(item.split()) for item in listed.split(";")]
    assert len(items) == len(counts) == len(set(items))
    for item, (phrase, count) in zip(items, counts.items(), strict=True):
        assert item == (f"{phrase} ×{count}" if count > 1 else phrase)


@pytest.mark.parametrize("kind", ["scan", "diff", "check"])
def test_seed_renders_at_80_columns_golden(seed_results, kind):
    golden = GOLDEN / f"terminal_{kind}_80.txt"
    assert _render(seed_results[kind], 80) == golden.read_text(encoding="utf-8")


def test_long_scans_printed_as_lines_fit_the_width():
    result = _many_pairs(TABLE_ROWS + 1)
    lines = _render(result, 80).splitlines()
    assert all(cell_len(line) <= 80 for line in lines), [line for line in lines if cell_len(line) > 80]
    rows = lines[2 : 2 + len(result.pairs)]
    for line, pair in zip(rows, result.pairs, strict=True):
        for name in (pair.a.removeprefix("archive/"), pair.b.removeprefix("archive/")):
            name = name.replace("\x1b", "\\x1b").replace("\x07", "\\x07")
            assert any(shorten(name, cells) in line for cells in range(3, cell_len(name) + 1)), (name, line)
    assert any("讲话 …]x.txt" in line for line in rows)


def test_passages_wrap_under_their_label():
    draft = "坚决打赢2023年污染防治攻坚战" * 4
    passage = results.ReusedPassage(0, len(draft), 0, len(draft), draft, draft, len(draft), len(draft))
    report = results.DraftReport("d.txt", len(draft), 1.0, (results.SourceReuse("s.txt", 1.0, (passage,)),))
    out = _render(results.CheckResult((report,)), 40)
    lines = out.splitlines()
    first = next(n for n, line in enumerate(lines) if line.startswith("    draft:  "))
    assert lines[first + 1].startswith(" " * 12) and not lines[first + 1].startswith(" " * 13)
    assert all(cell_len(line) <= 40 for line in lines)


def test_shorten_keeps_start_and_end():
    assert shorten("003_66e0f7edabd08f04.txt", 17) == "003_66e0…8f04.txt"
    assert shorten("003_66e0f7edabd08f04.txt", 24) == "003_66e0f7edabd08f04.txt"
    assert cell_len(shorten("讲话稿" * 10 + ".txt", 15)) <= 15
