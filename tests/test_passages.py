from __future__ import annotations

import random

import numpy as np

from detector import normalize
from detector.passages import find_passages

from .conftest import seed_text


def _paragraphs(number: int) -> list[str]:
    return [p for p in seed_text(number).split("\n") if len(normalize(p).text) >= 80]


def test_edited_paragraph_stays_one_passage():
    paragraph = _paragraphs(3)[2]
    edited = paragraph.replace("2022", "2024").replace("发展", "开展").replace("全县", "全区")
    assert edited != paragraph
    filler = normalize(seed_text(1)[:600]).codepoints()
    draft = np.concatenate([filler, normalize(edited).codepoints()])
    source = normalize(seed_text(3)).codepoints()
    found = find_passages(draft, source)
    assert len(found) == 1
    d0, d1, s0, s1 = found[0]
    assert d0 == len(filler) and d1 == len(draft)
    source_text = normalize(seed_text(3)).text
    assert source_text[s0:s1] == normalize(paragraph).text


def test_reordered_paragraphs_each_found():
    paragraphs = _paragraphs(2)[:5]
    shuffled = paragraphs[:]
    random.Random(3).shuffle(shuffled)
    assert shuffled != paragraphs
    draft = normalize("\n".join(shuffled))
    source = normalize(seed_text(2))
    found = find_passages(draft.codepoints(), source.codepoints())
    covered = sum(d1 - d0 for d0, d1, _, _ in found)
    assert covered >= 0.97 * len(draft.text)
    for d0, d1, s0, s1 in found:
        assert draft.text[d0:d1] == source.text[s0:s1]


def test_independent_seeds_share_no_long_passage():
    for a, b in ((0, 1), (0, 2), (1, 2)):
        found = find_passages(
            normalize(seed_text(a)).codepoints(), normalize(seed_text(b)).codepoints(), min_length=40
        )
        assert found == [], (a, b)


def _form(text: str) -> np.ndarray:
    return normalize(text).codepoints()


def test_a_passage_ending_at_a_changed_number_takes_the_number_in():
    shared = "The Board decided today to raise the cash rate by 25 basis points, to "
    a = _form(shared + "5.0 per cent. The most recent inflation data were higher than expected.")
    b = _form(shared + "5.25 per cent. In reaching this decision the Board considered the outlook.")
    ((d0, d1, s0, s1),) = find_passages(b, a, min_length=20)
    assert "".join(map(chr, b[d0:d1])).endswith(normalize("5.25 per cent").text)
    assert "".join(map(chr, a[s0:s1])).endswith(normalize("5.0 per cent").text)


def test_a_chinese_number_at_a_passage_end_is_taken_in():
    a = _form("平语近人——习近平喜欢的典故（第三季）今晚播出第十集；京津冀协同发展十年来成效显著")
    b = _form("平语近人——习近平喜欢的典故（第三季）今晚播出第十一集；我国综合交通网里程超过")
    ((d0, d1, _, _),) = find_passages(b, a, min_length=20)
    assert "".join(map(chr, b[d0:d1])).endswith("第十一集")


def test_a_short_match_is_not_grown_into_a_passage_by_a_number():
    a = _form("今天产生8枚金牌；另有消息")
    b = _form("今天产生11枚金牌；其他消息")
    assert find_passages(b, a, min_length=10) == []
