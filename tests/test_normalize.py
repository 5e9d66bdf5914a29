from __future__ import annotations

import re
import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detector import ConfigError, load_rules, normalize
from detector.normalize import find_furniture

from .conftest import corpus_folder, seed_text

# Every line of seed 004 that is scraped-site furniture, and the rule that removes it.
FURNITURE_004 = {
    "收藏 分享(赏)": "share-buttons",
    "2023年在全县生态环境保护大会上的讲话.docx": "document-file-title",
    "下载 相关 举报": "share-buttons",
    "2023年在全县生态环境保护大会上的讲话.docx_第1页": "page-thumbnail",
    "第1页 / 共4页": "page-counter",
    "2023年在全县生态环境保护大会上的讲话.docx_第2页": "page-thumbnail",
    "第2页 / 共4页": "page-counter",
    "2023年在全县生态环境保护大会上的讲话.docx_第3页": "page-thumbnail",
    "第3页 / 共4页": "page-counter",
    "2023年在全县生态环境保护大会上的讲话.docx_第4页": "page-thumbnail",
    "第4页 / 共4页": "page-counter",
    "亲,该文档总共4页,全部预览完了,如果喜欢就下载吧!": "preview-finished",
    "资源描述": "site-section",
    "展开阅读全文": "site-section",
    "相关资源": "site-section",
    "猜你喜欢": "site-section",
    "相关搜索": "site-section",
    "当前位置:首页 > 资格与职业考试 > 其它": "breadcrumb",
    "copyright@ 2008-2023 wnwk.com网站版权所有": "copyright",
    "经营许可证编号:浙ICP备2024059924号-2": "icp-licence",
}


def test_seed_004_furniture_line_by_line():
    text = seed_text(4)
    removals = find_furniture(text)
    removed_lines = {}
    markers = []
    for r in removals:
        span = text[r.start : r.end]
        if r.rule == "chunk-marker":
            markers.append(span)
        else:
            removed_lines[span.strip()] = r.rule
    upload = next(line for line in text.splitlines() if line.startswith("上传人"))
    assert removed_lines == {**FURNITURE_004, upload: "upload-metadata"}
    assert markers == [f"{i}、" for i in range(1, 10)]
    # Every other non-empty line is speech text and is kept whole.
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and stripped not in removed_lines:
            body = re.sub(r"^\d+、", "", stripped)
            assert normalize(body).text in normalize(text).text


def test_chunk_markers_cut_mid_sentence_only():
    text = seed_text(4)
    norm = normalize(text).text
    assert "开展问题学习贯彻" in norm  # "...开展问题\n\n2、,学习贯彻" joined again
    assert norm.startswith("在全县生态环境保护大会上的讲话同志们")


def test_real_numbered_lists_are_kept():
    text = "工作安排如下：\n1、加强组织领导。\n2、压实工作责任。\n3、强化督查考核。"
    assert find_furniture(text) == []
    assert normalize(text).text == "工作安排如下1加强组织领导2压实工作责任3强化督查考核"


@pytest.mark.parametrize("number", [0, 1, 2, 3])
def test_clean_seeds_lose_nothing(number):
    assert find_furniture(seed_text(number)) == []


def test_provincial_reports_keep_their_text():
    folder = corpus_folder("cn_provincial_gwr_2026") / "docs"
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        removed = sum(r.end - r.start for r in find_furniture(text))
        assert removed < 0.01 * len(text), path.name
        assert not [r for r in find_furniture(text) if r.rule == "chunk-marker"], path.name


def test_single_line_is_never_furniture():
    assert normalize("展开阅读全文").text == "展开阅读全文"


def test_width_folding_and_digits_kept():
    n = normalize("坚决打赢２０２２年污染防治攻坚战，用严实苦干拼出＊天更蓝！ＡＢＣ")
    assert n.text == "坚决打赢2022年污染防治攻坚战用严实苦干拼出*天更蓝abc"


def test_html_markup_removed():
    assert normalize("</p><p>新闻联播&nbsp;节目</p>").text == "新闻联播节目"


def test_offsets_point_into_original():
    text = "同志们：\n这次会议，２０２２年"
    n = normalize(text)
    assert [text[i] for i in n.offsets] == list("同志们这次会议２０２２年")
    assert n.original_span(7, 11) == (10, 14)
    assert text[10:14] == "２０２２"
    with pytest.raises(ValueError):
        n.original_span(3, 3)


def test_extra_rules_file(tmp_path):
    rules_file = tmp_path / "site.toml"
    rules_file.write_text("[[line]]\nname = \"ad\"\npattern = '^广告'\n", encoding="utf-8")
    rules = load_rules([rules_file])
    assert normalize("广告：买一送一\n正文", rules=rules).text == "正文"
    assert normalize("广告：买一送一\n正文").text == "广告买一送一正文"


def test_bad_rules_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[line]]\nname = "x"\npattern = "("\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="bad pattern"):
        load_rules([bad])
    with pytest.raises(ConfigError, match="not found"):
        load_rules([tmp_path / "missing.toml"])


_ALPHABET = st.sampled_from(
    list("生态环境保护大会讲话同志们县区市年第页共展开阅读全文相关资源")
    + list("0123456789０１２３abcXYZ*＊×x ，。、：；！？“”（）()\n\t\u3000")
    + ["ﬁ", "㎡", "①", "Ⅻ", "…", "½", "𝐀", "ß", "İ", "<p>", "&nbsp;", "1、", "2、", "\r\n"]
)
texts = st.lists(_ALPHABET, max_size=80).map("".join) | st.text(max_size=60)


@given(texts)
@settings(max_examples=300, deadline=None)
def test_idempotent(text):
    once = normalize(text).text
    assert normalize(once).text == once


@given(texts)
@settings(max_examples=300, deadline=None)
def test_offsets_map_back(text):
    n = normalize(text)
    assert len(n.offsets) == len(n.text)
    assert np.all(np.diff(n.offsets) >= 0)
    for i, ch in enumerate(n.text):
        source = text[n.offsets[i]]
        folded = unicodedata.normalize("NFKC", source).lower()
        assert ch in folded or ch in unicodedata.normalize("NFKC", folded), (ch, source)


@given(st.text(alphabet="0123456789", min_size=1, max_size=20))
def test_digits_never_change(digits):
    assert normalize(f"第{digits}次").text == f"第{digits}次"


_WITH_SURROGATES = st.text(
    alphabet=st.sampled_from(list("生态环境保护2022年，。 ab\n"))
    | st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
    max_size=40,
)


@given(_WITH_SURROGATES)
@settings(max_examples=200, deadline=None)
def test_lone_surrogates_are_dropped_like_punctuation(text):
    n = normalize(text)
    assert n.text == normalize("".join("，" if 0xD800 <= ord(c) < 0xE000 else c for c in text)).text
    assert not any(0xD800 <= ord(c) < 0xE000 for c in n.text)
    assert normalize(n.text).text == n.text
    assert len(n.codepoints()) == len(n.text)


def test_lone_surrogate_keeps_the_offsets_of_the_letters_around_it():
    n = normalize("一\ud800，二\udc00")
    assert (n.text, n.offsets.tolist()) == ("一二", [0, 3])


def _furniture_line_by_line(text: str, rules) -> list[tuple[int, int, str]]:
    """Reference: each line of at most 300 characters folded and tried rule by rule."""
    lines = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\n]*\n?", text) if m.group()]
    if sum(1 for _, _, line in lines if line.strip()) < 2:
        return []
    found = []
    for start, end, line in lines:
        key = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", line)).strip()
        if len(line) > 300 or not key:
            continue
        rule = next((r.name for r in rules.line if r.regex.search(key)), None)
        if rule is not None:
            found.append((start, end, rule))
    return found


_FURNITURE_PIECES = [
    *FURNITURE_004,
    "第 2 页，共 9 页",
    "ＩＣＰ備案",
    "京ICP备123号",
    "Copyright 2020",
    "加大",
    "\u3000 ",
    "ﬁle.pdf",
    "e\u0301.docx",
    "\u1100\u1161 相关",
    "第\n1页",
    "上传人\n:x",
    "x" * 301,
]
_LINE_RULES_ONLY = st.builds(
    lambda parts, sep: sep.join(parts),
    st.lists(
        st.one_of(st.sampled_from(_FURNITURE_PIECES), st.text(max_size=40)),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from(["\n", "\r\n", "\n\n", " \n"]),
)


@settings(max_examples=300, deadline=None)
@given(_LINE_RULES_ONLY)
def test_line_rules_found_in_one_pass_equal_line_by_line(text):
    rules = load_rules()
    line_rules = {r.name for r in rules.line}
    found = [(r.start, r.end, r.rule) for r in find_furniture(text, rules) if r.rule in line_rules]
    assert found == _furniture_line_by_line(text, rules)


def test_line_rules_with_lookarounds_and_anchors_are_searched_line_by_line(tmp_path):
    extra = tmp_path / "rules.toml"
    extra.write_text(
        "[[line]]\nname = 'ends-with-page'\npattern = '(?<!第)页\\Z'\n"
        "[[line]]\nname = 'either'\npattern = '^foo|bar$'\n",
        encoding="utf-8",
    )
    rules = load_rules([extra])
    assert rules.line_scan is None
    text = "正文第一段。\n目录一页\nfoo 在此\n这里是bar\n第2页\n结尾。"
    line_rules = {r.name for r in rules.line}
    found = [(r.start, r.end, r.rule) for r in find_furniture(text, rules) if r.rule in line_rules]
    assert found == _furniture_line_by_line(text, rules)
    assert [rule for _, _, rule in found] == ["ends-with-page", "either", "either", "ends-with-page"]


def test_seed_and_corpus_furniture_equal_line_by_line():
    rules = load_rules()
    line_rules = {r.name for r in rules.line}
    texts = [seed_text(n) for n in range(5)]
    folder = corpus_folder("cn_provincial_gwr_2026")
    texts += [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))[:10]]
    for text in texts:
        found = [(r.start, r.end, r.rule) for r in find_furniture(text, rules) if r.rule in line_rules]
        assert found == _furniture_line_by_line(text, rules)


def _fold_char_by_char(text: str) -> tuple[str, list[int]]:
    """Reference: each character folded with NFKC and lower case to a fixed point, then filtered."""
    chars, offsets = [], []
    for i, ch in enumerate(text):
        out = ch
        for _ in range(4):
            again = unicodedata.normalize(
                "NFKC", "".join(unicodedata.normalize("NFKC", c).lower() for c in out)
            )
            if again == out:
                break
            out = again
        for c in out:
            if unicodedata.category(c)[0] in "LN" or c in "*×":
                chars.append(c)
                offsets.append(i)
    return "".join(chars), offsets


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from("全县2０ab①㎡ﬁ½\U0001d400\U0002a6a5…，é\u0301ǅ*×") | st.characters(),
        max_size=60,
    )
)
def test_characters_that_fold_to_several_are_spliced_in_place(text):
    norm = normalize(text, furniture=False)
    expected, offsets = _fold_char_by_char(text)
    assert norm.text == expected
    assert norm.offsets.tolist() == offsets
