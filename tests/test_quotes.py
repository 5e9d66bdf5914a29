"""Quotations: attributed quotes and titles are found; names and slogans in quotation marks are not."""

from __future__ import annotations

import itertools
import re

from hypothesis import given
from hypothesis import strategies as st

from detector import Corpus, normalize
from detector.quotes import quotation_spans, quoted_mask
from tests.conftest import corpus_folder, seed_text

OPENERS = ("“", "「", "『", '"', "《", "〈")


def test_the_attributed_quotation_of_seed_002_is_found():
    text = seed_text(2)
    found = [text[s:e] for s, e in quotation_spans(text)]
    assert any(q.startswith("“我们要坚决贯彻习近平生态文明思想") for q in found)


def test_slogans_and_names_in_quotation_marks_are_not_quotations():
    for number in (0, 1, 3):
        text = seed_text(number)
        marked = re.findall(r"“[^”]{1,8}”", text)
        found = {text[s:e] for s, e in quotation_spans(text)}
        assert marked or number == 3
        assert not found & set(marked)


def test_english_attributed_quotation_and_scare_quotes():
    text = 'The Governor said: "The Board will do what is necessary." Inflation was "transitory" then.'
    assert [text[s:e] for s, e in quotation_spans(text)] == ['"The Board will do what is necessary."']


def test_quotation_after_the_text_it_attributes():
    text = "“绿水青山就是金山银山，冰天雪地也是金山银山”，总书记说。我们要牢记。"
    assert [text[s:e] for s, e in quotation_spans(text)] == ["“绿水青山就是金山银山，冰天雪地也是金山银山”"]


def test_titles_count_as_quoted_in_real_reports():
    folder = corpus_folder("cn_provincial_gwr_2026")
    text = sorted((folder / "docs").glob("*.txt"))[0].read_text(encoding="utf-8")
    titles = re.findall(r"《[^《》\n]{1,200}》", text)
    found = {text[s:e] for s, e in quotation_spans(text)}
    assert titles and set(titles) <= found


@given(st.text(alphabet='“”《》"「」说指出：，。 abc习近平', max_size=80))
def test_spans_are_sorted_disjoint_and_start_at_an_opening_mark(text):
    spans = quotation_spans(text)
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(spans))
    assert all(text[s] in OPENERS for s, _ in spans)


def test_the_mask_covers_the_normalised_characters_of_the_quotation():
    text = seed_text(2)
    norm = normalize(text)
    mask = quoted_mask(norm, quotation_spans(text))
    quoted = "".join(c for c, m in zip(norm.text, mask, strict=True) if m)
    assert "我们要坚决贯彻习近平生态文明思想" in quoted
    assert mask.sum() < len(norm.text) / 10


def test_a_quoted_passage_is_reported_apart_from_copying():
    source = seed_text(3)
    passage = source[source.index("一、") : source.index("一、") + 120].replace("\n", "")
    host = seed_text(0)
    cut = host.index("。", 600) + 1
    draft = host[:cut] + "正如有关领导指出：“" + passage + "”" + host[cut:]
    corpus = Corpus()
    corpus.add(source, id="003")
    report = corpus.check(draft)
    assert report.copy_ratio > 0.02
    assert report.copy_ratio_without_quotes < report.copy_ratio / 4
    assert report.counted_ratio == report.copy_ratio
    assert any(passage[:20] in q.text for q in report.quotations)
