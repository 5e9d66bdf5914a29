from __future__ import annotations

import json
from pathlib import Path

import pytest

from detector import read_document
from detector.diff import compare

from .conftest import SEED_SPIN_PAIRS, corpus_folder, seed_path, seed_text

GOLDEN = Path(__file__).parent / "golden"


def _table(comparison):
    return [(s.kind, s.old, s.new, s.count, s.known_spin) for s in comparison.swaps]


@pytest.fixture(scope="module")
def seed_diff():
    return compare(read_document(seed_path(3)), read_document(seed_path(4)))


def test_seed_pair_swap_table_golden(seed_diff):
    got = {
        "swaps": [list(row) for row in _table(seed_diff)],
        "inserted": [p.text for p in seed_diff.inserted],
        "deleted": [p.text for p in seed_diff.deleted],
        "moved": [p.text for p in seed_diff.moved],
    }
    golden = json.loads((GOLDEN / "diff_003_004.json").read_text(encoding="utf-8"))
    assert got == golden


def test_seed_pair_required_rows(seed_diff):
    table = {(kind, old, new): count for kind, old, new, count, _ in _table(seed_diff)}
    assert table[("year", "2022", "2023")] == 2
    assert table[("year", "2021", "2023")] == 3
    assert table[("placeholder", "*", "x")] == 3
    for old, new in SEED_SPIN_PAIRS:
        assert ("synonym", old, new) in table, (old, new)
    # Nothing from punctuation, dropped quotes, chunk markers or the site's furniture.
    assert {kind for kind, *_ in table} == {"year", "placeholder", "synonym"}
    assert [p.text for p in seed_diff.deleted] == []


def test_positions_point_at_the_originals(seed_diff):
    a, b = seed_text(3), seed_text(4)
    for swap in seed_diff.swaps:
        for pos in swap.positions:
            assert a[pos.a_start : pos.a_end] == swap.old
            assert b[pos.b_start : pos.b_end] == swap.new
            assert a.split("\n")[pos.a_line - 1][pos.a_column - 1 :].startswith(swap.old)
            assert b.split("\n")[pos.b_line - 1][pos.b_column - 1 :].startswith(swap.new)


def test_provincial_place_and_number_sentences():
    folder = corpus_folder("cn_provincial_gwr_2026") / "docs"
    zhejiang = "根据《中共浙江省委关于制定浙江省国民经济和社会发展第十五个五年规划的建议》"
    fujian = "根据《中共福建省委关于制定福建省国民经济和社会发展第十五个五年规划的建议》"
    texts = "".join(p.read_text(encoding="utf-8") for p in folder.glob("*.txt"))
    assert zhejiang in texts and fujian in texts
    c = compare(zhejiang, fujian)
    assert _table(c) == [("place", "浙江", "福建", 2, False)]
    assert "地区生产总值增长4.5%" in texts and "地区生产总值按增长5%安排" in texts
    c = compare("地区生产总值增长4.5%", "地区生产总值按增长5%安排")
    assert [row for row in _table(c) if row[0] != "word"] == [("number", "4.5%", "5%", 1, False)]


@pytest.mark.parametrize(
    ("a", "b", "row"),
    [
        (
            "审议《关于二十届中央第二轮巡视情况的综合报告》",
            "审议《关于二十届中央第三轮巡视情况的综合报告》",
            ("number", "第二轮", "第三轮"),
        ),
        ("十三届全国人大第十一次会议", "十三届全国人大第十二次会议", ("number", "第十一次", "第十二次")),
        ("全县上下要以高度的共识", "全区上下要以高度的共识", ("place", "全县", "全区")),
        ("我县培育新动能", "我市培育新动能", ("place", "我县", "我市")),
        ("二〇二二年工作回顾", "二〇二三年工作回顾", ("year", "二〇二二", "二〇二三")),
        ("2022年度考核", "2024年度考核", ("year", "2022", "2024")),
        ("完成百分之八十的任务", "完成百分之九十的任务", ("number", "八十", "九十")),
        ("同比减少28天", "同比减少30天", ("number", "28", "30")),
        ("某某同志讲话", "XX同志讲话", ("placeholder", "某某", "XX")),
        ("用严实苦干拼出**天更蓝", "用严实苦干拼出××天更蓝", ("placeholder", "**", "××")),
        ("同志们表示要坚持", "同志们指出要坚持", ("word", "表示", "指出")),
    ],
)
def test_kinds(a, b, row):
    assert [r[:3] for r in _table(compare(a, b))] == [row]


def test_unrelated_and_identical():
    unrelated = compare(seed_text(0), seed_text(1))
    assert not unrelated.related and unrelated.swaps == () and unrelated.similarity < 0.1
    same = compare(seed_text(0), seed_text(0))
    assert same.related and same.swaps == () and same.inserted == () and same.deleted == ()


def test_punctuation_and_width_never_swaps():
    a = "坚决打赢2022年污染防治攻坚战，“卡脖子”因素（试行）。"
    b = "坚决打赢２０２２年污染防治攻坚战,“卡脖子因素(试行."
    c = compare(a, b)
    assert c.swaps == () and c.inserted == () and c.deleted == ()


def test_english_numbers_are_swapped_whole_and_shown_with_their_spaces():
    a = "The Board decided to lower the cash rate to 5-1/4 percent, from 1,234.5 million and 2½ per cent."
    b = "The Board decided to lower the cash rate to 5-1/2 percent, from 1,456.5 million and 2¾ per cent."
    found = compare(a, b)
    assert [(s.kind, s.old, s.new) for s in found.swaps] == [
        ("number", "5-1/4", "5-1/2"),
        ("number", "1,234.5", "1,456.5"),
        ("number", "2½", "2¾"),
    ]
    for swap in found.swaps:
        (position,) = swap.positions
        assert a[position.a_start : position.a_end] == swap.old
        assert b[position.b_start : position.b_end] == swap.new


def test_a_sentence_moved_to_another_paragraph_keeps_its_swaps():
    paragraphs = [p for p in seed_text(3).split("\n") if p.strip()]
    sentence = "今年中央预算内投资拟安排7000亿元，重点支持生态环境保护和污染防治攻坚。"
    a = "\n".join([*paragraphs[:3], paragraphs[3] + sentence, *paragraphs[4:]])
    b = "\n".join([*paragraphs[:8], paragraphs[8] + sentence.replace("7000", "7350"), *paragraphs[9:]])
    found = compare(a, b)
    assert [(s.kind, s.old, s.new) for s in found.swaps] == [("number", "7000", "7350")]
    (position,) = found.swaps[0].positions
    assert (a[position.a_start : position.a_end], b[position.b_start : position.b_end]) == ("7000", "7350")
    (moved,) = found.moved
    assert a[moved.a_start : moved.a_end].startswith("今年中央预算内投资拟安排7000亿元")
    assert b[moved.b_start : moved.b_end].startswith("今年中央预算内投资拟安排7350亿元")
    assert not found.inserted and not found.deleted


def test_english_passages_start_and_end_on_word_boundaries():
    folder = corpus_folder("en_rba_decisions") / "docs"
    a, b = (read_document(folder / name) for name in ("2021-11-02.txt", "2021-12-07.txt"))
    found = compare(a, b)
    passages = [(b.text, p.b_start, p.b_end) for p in found.inserted]
    passages += [(a.text, p.a_start, p.a_end) for p in found.deleted]
    assert len(passages) > 10
    for text, start, end in passages:
        inside_start = start > 0 and text[start - 1].isalnum() and text[start].isalnum()
        inside_end = end < len(text) and text[end - 1].isalnum() and text[end].isalnum()
        assert not inside_start and not inside_end, text[max(0, start - 5) : end + 5]


def test_english_words_are_swapped_whole():
    a = "At its meeting today, the Board decided to lower the cash rate target. The outlook had improved."
    b = "At its meeting today, the Board decided to raise the cash rate target. The outlook had weakened."
    found = compare(a, b)
    assert [(s.kind, s.old, s.new) for s in found.swaps] == [
        ("word", "lower", "raise"),
        ("word", "improved", "weakened"),
    ]
    assert not found.inserted and not found.deleted


def test_english_numbers_in_words_and_digits_are_number_swaps():
    a = "The Board decided to lower the cash rate by twenty-five basis points, to about five per cent."
    b = "The Board decided to lower the cash rate by fifty basis points, to about 6 per cent."
    found = compare(a, b)
    assert [(s.kind, s.old, s.new) for s in found.swaps] == [
        ("number", "twenty-five", "fifty"),
        ("number", "five", "6"),
    ]
