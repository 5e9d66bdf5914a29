from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detector import entities, places
from detector.entities import (
    CN_NUMERALS,
    NUMBER_INNER,
    NUMBER_TAIL,
    NUMBER_TOKEN,
    ORDINAL_UNITS,
    PLACEHOLDER_MARKS,
    QUANTITY_UNITS,
    YEAR_RANGE,
    gazetteer,
    is_admin_level,
    is_place,
    is_placeholder,
    is_year,
    number_spans,
    place_spans,
    placeholder_spans,
    year_spans,
)
from detector.normalize import normalize


def written(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[start:end] for start, end in spans]


@pytest.mark.parametrize(
    ("text", "following"),
    [
        ("二〇二二", "年"),
        ("一九九八", "年"),
        ("二○二二", "年"),
        ("2022", "年"),
        ("２０２２", "年"),
        ("1840", "年"),
        ("1949", ""),
        ("1949", "—"),
        ("2099", "届"),
        ("一九九八", "至"),
    ],
)
def test_years(text, following):
    assert is_year(text, following)


@pytest.mark.parametrize(
    ("text", "following", "preceding"),
    [
        ("2000", "吨", ""),
        ("2000", "多", ""),
        ("1999", "万", ""),
        ("1899", "", ""),
        ("2100", "", ""),
        ("5000", "年", ""),
        ("2022", "号", "第"),
        ("202", "年", ""),
        ("20222", "年", ""),
        ("2022.5", "", ""),
        ("二〇二", "年", ""),
        ("二十二", "年", ""),
        ("20二二", "年", ""),
    ],
)
def test_not_years(text, following, preceding):
    assert not is_year(text, following, preceding)


def test_year_range_is_the_two_centuries():
    assert YEAR_RANGE[0] == 1900 and YEAR_RANGE[-1] == 2099
    assert is_year("1900") and not is_year("1899") and is_year("1899", "年")


def test_year_spans_in_running_text():
    text = "二〇二二年工作回顾：2022 年，1949至2019，投入2000吨、一九九八年底；第2022号"
    assert written(text, year_spans(text)) == ["二〇二二", "2022", "1949", "2019", "一九九八"]
    text = "〔2022〕15号，2024中国网络媒体论坛，新建2000公里，2000多份，1840年"
    assert written(text, year_spans(text)) == ["2022", "2024", "1840"]


def test_number_spans_keep_decimals_percent_and_ordinals():
    text = "增长4.5%，达到３．５％，第三轮、第十一次、第2批，2000吨，2022年，统一"
    assert written(text, number_spans(text)) == ["4.5%", "３．５％", "三", "十一", "2", "2000"]
    assert "轮" in ORDINAL_UNITS and "次" in ORDINAL_UNITS
    assert "吨" in QUANTITY_UNITS and "年" not in QUANTITY_UNITS


def test_number_token_is_a_number_as_written():
    assert NUMBER_TOKEN.fullmatch("4.5%")
    assert NUMBER_TOKEN.fullmatch("１２．５‰")
    assert not NUMBER_TOKEN.fullmatch("4.")
    assert [m.group() for m in NUMBER_TOKEN.finditer("3.14、12%和7")] == ["3.14", "12%", "7"]
    assert {".", "．"} == NUMBER_INNER
    assert {"%", "％", "‰"} == NUMBER_TAIL
    assert set("〇一二十百千万亿两") <= CN_NUMERALS


def test_placeholders():
    text = "用严实苦干拼出**天更蓝，××局，XX同志，某某县，x项工作，box，某项"
    assert written(text, placeholder_spans(text)) == ["**", "××", "XX", "某某", "x"]
    assert all(is_placeholder(p) for p in ["*", "**", "×", "x", "XX", "某某", "ｘ"])
    assert not any(is_placeholder(p) for p in ["", "某", "x1", "发展"])


def test_normalisation_keeps_the_placeholder_marks():
    assert normalize("拼出**天，＊项，××局").text == "拼出**天*项××局"
    assert set("*×") <= PLACEHOLDER_MARKS


@pytest.mark.parametrize("word", ["全县", "我市", "本区", "该镇", "各乡", "兄弟县", "县"])
def test_admin_levels(word):
    assert is_admin_level(word) and is_place(word)


@pytest.mark.parametrize("word", ["县城", "全面", "我们", "市场", "各市场"])
def test_not_admin_levels(word):
    assert not is_admin_level(word)


def test_divisions_from_the_gazetteer():
    assert {"井研县", "井研", "沐川县", "浙江省", "浙江", "广西"} <= gazetteer()
    assert is_place("井研县") and not is_place("发展")


def test_place_spans_in_running_text():
    text = normalize("井研县：全县上下、我市和各市场主体，在国内外市场，景德镇市").text
    assert written(text, place_spans(text)) == ["井研县", "全县", "我市", "景德镇市"]


def test_places_module_re_exports_the_lexicon():
    for name in places.__all__:
        assert getattr(places, name) is getattr(entities, name)


TEXT = st.text(
    alphabet=st.sampled_from("2022年二〇一九九八十第三轮4.5%％*×xX某吨全县我市井研县 ，、"), max_size=40
)


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_spans_lie_inside_the_text_sorted_and_disjoint(text):
    for find in (year_spans, number_spans, placeholder_spans, place_spans):
        spans = find(text)
        assert all(0 <= start < end <= len(text) for start, end in spans)
        assert all(end <= start for (_, end), (start, _) in itertools.pairwise(spans))


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_years_and_numbers_never_overlap(text):
    years = {i for start, end in year_spans(text) for i in range(start, end)}
    numbers = {i for start, end in number_spans(text) for i in range(start, end)}
    assert not years & numbers


def test_numbers_written_the_english_way_are_taken_whole():
    text = "to 5-1/4 percent, 2½ per cent, 1,234.5 and 12,345,678 dollars; ¾ of it"
    found = [text[s:e] for s, e in number_spans(text)]
    assert found == ["5-1/4", "2½", "1,234.5", "12,345,678", "¾"]


def test_chinese_number_lists_and_dates_keep_their_numbers_apart():
    text = "2021,2022,2023年，1、2、3、，2023/04/15，2022-2023年，共3,000人"
    assert [text[s:e] for s, e in number_spans(text)] == ["1", "2", "3", "04", "15", "3,000"]
    assert [text[s:e] for s, e in year_spans(text)] == ["2021", "2022", "2023", "2023", "2022", "2023"]
