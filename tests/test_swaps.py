from __future__ import annotations

import pytest

from detector import ConfigError, compare
from detector.swaps import load_lexicon

from .conftest import SEED_SPIN_PAIRS


def test_bundled_lexicon_has_the_known_pairs():
    lexicon = load_lexicon()
    for old, new in SEED_SPIN_PAIRS:
        assert (old, new) in lexicon and (new, old) in lexicon


def test_segment_splits_runs_of_spins():
    lexicon = load_lexicon()
    assert lexicon.segment("不足基础", "缺乏根底") == [(0, 2, 0, 2), (2, 4, 2, 4)]
    assert lexicon.segment("发展x", "开展y") is None


def test_extra_lexicon(tmp_path):
    extra = tmp_path / "mine.tsv"
    extra.write_text("# mine\n表示\t指出\n", encoding="utf-8")
    assert ("指出", "表示") in load_lexicon([extra])
    bad = tmp_path / "bad.tsv"
    bad.write_text("表示 指出\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.tsv:1"):
        load_lexicon([bad])
    with pytest.raises(ConfigError, match="not found"):
        load_lexicon([tmp_path / "missing.tsv"])


@pytest.mark.parametrize(
    ("old_text", "new_text", "expected"),
    [
        (
            "会上通报了2022年全县环境质量情况，要求各地认真整改。",
            "会上通报了二〇二三年全县环境质量情况，要求各地认真整改。",
            ("year", "2022", "二〇二三"),
        ),
        (
            "会上通报了二〇二二年全县环境质量情况，要求各地认真整改。",
            "会上通报了2023年全县环境质量情况，要求各地认真整改。",
            ("year", "二〇二二", "2023"),
        ),
        (
            "用三年时间完成全县生态环境整治任务，确保取得实效。",
            "用5年时间完成全县生态环境整治任务，确保取得实效。",
            ("number", "三", "5"),
        ),
        (
            "能耗下降百分之五以上，确保完成全县生态环境任务。",
            "能耗下降5%以上，确保完成全县生态环境任务。",
            ("number", "百分之五", "5%"),
        ),
        (
            "新建污水管网三百五十公里，确保完成全县生态环境任务。",
            "新建污水管网420公里，确保完成全县生态环境任务。",
            ("number", "三百五十", "420"),
        ),
    ],
)
def test_numbers_swapped_across_scripts_keep_both_sides_as_written(old_text, new_text, expected):
    found = compare(old_text, new_text)
    assert [(s.kind, s.old, s.new) for s in found.swaps] == [expected]
    (position,) = found.swaps[0].positions
    assert old_text[position.a_start : position.a_end] == expected[1]
    assert new_text[position.b_start : position.b_end] == expected[2]


def test_a_numeral_added_to_a_chinese_number_changes_the_number():
    c = compare("电视专题片今晚播出第十集，敬请收看。", "电视专题片今晚播出第十一集，敬请收看。")
    assert [(s.kind, s.old, s.new) for s in c.swaps] == [("number", "第十", "第十一")]


def test_a_number_and_its_unit_in_one_edit_is_a_number_swap():
    a = "电视专题片《持续发力 纵深推进》今晚播出第一集；10.国内联播快讯"
    b = "电视专题片《持续发力 纵深推进》今晚播出第二集；9.国内联播快讯"
    found = [(s.kind, s.old, s.new) for s in compare(a, b).swaps]
    assert ("number", "第一", "第二") in found and all(kind != "word" for kind, _, _ in found)


def test_a_deleted_sentence_next_to_a_number_is_no_number_swap():
    deleted = "招募留用银龄人才5494人，银龄行动成效走在全国前列"
    a = f"学校实现全覆盖。{deleted}。124个县域医共体全部达到紧密型标准。"
    b = "学校实现全覆盖。124个县域医共体全部达到紧密型标准。"
    c = compare(a, b)
    assert c.swaps == () and [p.text for p in c.deleted] == [deleted]


def test_placeholder_runs_changed_among_unchanged_ones_each_give_a_swap():
    a = "资金预算执行率分别为**.**%、**.**%、*.**%,全省排名倒数"
    b = "资金预算执行率分别为xx.**%、xx.xx%、x.xx%,全省排名倒数"
    found = {(s.kind, s.old, s.new): s.count for s in compare(a, b).swaps}
    assert found == {("placeholder", "**", "xx"): 4, ("placeholder", "*", "x"): 1}


def test_placeholders_around_a_kept_word_are_swapped_one_by_one():
    c = compare("持续加强**、**河等主要**和**河流域治理工作", "持续加强xx、xx河等主要xx和xx河流域治理工作")
    assert [(s.kind, s.old, s.new, s.count) for s in c.swaps] == [("placeholder", "**", "xx", 4)]
    assert c.inserted == () and c.deleted == ()
