from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detector import ConfigError, EmptyDocumentError, compare, compare_files, similarity, workflows
from detector.cli import app
from detector.render import render

from .conftest import corpus_folder, seed_text

ENV = {"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}
TEXT = "坚决打赢2022年污染防治攻坚战，系统提升我县城乡人居环境，持续改善全县生态环境质量。\n"
EMPTY = "error: {}: no letters or digits left after removing furniture"


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), env=ENV)


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "text.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "copy.txt").write_text(TEXT.replace("2022", "2023"), encoding="utf-8")
    (tmp_path / "punct.txt").write_text("，。！？……——《》\n\n", encoding="utf-8")
    return tmp_path


def test_check_refuses_a_punctuation_only_draft_and_checks_the_others(files):
    punct, copy = str(files / "punct.txt"), str(files / "copy.txt")
    result = invoke("check", punct, copy, "--against", str(files / "text.txt"))
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [EMPTY.format(punct)]
    assert "no reuse found" not in result.stdout and "copy.txt: copy ratio 97.5%" in result.stdout


def test_check_of_only_a_punctuation_only_draft_exits_2(files):
    punct = str(files / "punct.txt")
    result = invoke("check", punct, "--against", str(files / "text.txt"), "--format", "json")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [EMPTY.format(punct)]


def test_check_library_lists_the_empty_draft_as_an_error(files):
    result = workflows.check([files / "punct.txt", files / "copy.txt"], against=[files / "text.txt"])
    assert [r.draft for r in result.reports] == [str(files / "copy.txt")]
    assert result.errors == (
        (str(files / "punct.txt"), "no letters or digits left after removing furniture"),
    )


@pytest.mark.parametrize("order", [("text.txt", "punct.txt"), ("punct.txt", "text.txt")])
def test_diff_with_a_punctuation_only_file_says_it_is_empty(files, order):
    result = invoke("diff", *(str(files / name) for name in order))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [EMPTY.format(files / "punct.txt")]


def test_lone_surrogates_are_ignored_by_similarity_and_compare():
    assert similarity("一", "\ud800") == 0.0
    spoiled = TEXT[:12] + "\udc80" + TEXT[12:] + "\ud800"
    assert similarity(TEXT, spoiled) == 1.0
    found = compare(TEXT, spoiled)
    assert found.verdict == "recycled" and found.similarity == 1.0
    assert (found.swaps, found.inserted, found.deleted, found.moved) == ((), (), (), ())
    # Inside a year it splits the year, as a comma there does.
    surrogate, comma = (compare(TEXT, TEXT[:6] + mark + TEXT[6:]) for mark in ("\udc80", "，"))
    assert [p.text for p in surrogate.deleted] == [p.text for p in comma.deleted] == ["2022"]
    with pytest.raises(EmptyDocumentError, match="no letters or digits"):
        compare("一", "\ud800")


def tiny_overlapping_files(folder: Path, count: int) -> Path:
    base = re.sub(r"\s+", "", seed_text(1))
    folder.mkdir()
    for i in range(count):
        (folder / f"{i:04d}.txt").write_text(base[i : i + 40], encoding="utf-8")
    return folder


def test_scan_of_many_tiny_overlapping_files_keeps_max_pairs_and_says_so(tmp_path):
    folder = tiny_overlapping_files(tmp_path / "tiny", 300)
    everything = workflows.scan([folder], max_pairs=None)
    capped = workflows.scan([folder], max_pairs=20)
    dropped = len(everything.pairs) - 20
    assert dropped > 3_000 and capped.pairs_dropped == dropped
    assert capped.pairs == everything.pairs[:20] and capped.groups == everything.groups
    assert json.loads(render(capped, "json"))["pairs_dropped"] == dropped
    text = render(capped, "text")
    assert f"… {dropped} more pairs not listed" in text and "raise --max-pairs" in text
    assert "not listed" not in render(everything, "text")


def test_scan_json_reports_no_pairs_dropped(files):
    result = invoke("scan", str(files / "text.txt"), str(files / "copy.txt"), "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["pairs_dropped"] == 0


def test_scan_cap_must_be_positive(files):
    with pytest.raises(ConfigError, match="max_pairs must be at least 1"):
        workflows.scan([files / "text.txt"], max_pairs=0)


def test_texts_too_different_to_align_list_the_swaps_of_the_passages_they_share():
    folder = corpus_folder("cn_xinwenlianbo_2024") / "news"
    found = compare_files(folder / "20240106.md", folder / "20240107.md")
    assert not found.related
    assert found.reuse is not None
    inside = {(s.kind, s.old, s.new) for r in found.reuse.sources for p in r.passages for s in p.swaps}
    assert {(s.kind, s.old, s.new) for s in found.swaps} == inside
    assert ("number", "第一", "第二") in inside
    for swap in found.swaps:
        assert swap.count == len(swap.positions)
