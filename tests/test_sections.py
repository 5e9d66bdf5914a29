"""Sections: found from the headings speeches and reports use, each with its own copy ratio."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from detector import Corpus
from detector.sections import find_sections, number
from tests.conftest import corpus_folder, seed_text


def test_the_seeds_are_cut_at_their_numbered_headings():
    for n, count in ((0, 3), (1, 5), (2, 3), (3, 3)):
        headings = [s.heading for s in find_sections(seed_text(n)) if s.heading]
        assert [h[:2] for h in headings] == [f"{c}、" for c in "一二三四五"[:count]]


def test_a_scraped_copy_with_its_lines_run_together_has_the_same_sections():
    original = [s.heading[:8] for s in find_sections(seed_text(3))]
    scraped = [s.heading[:8] for s in find_sections(seed_text(4))]
    assert [h.replace("，", ",") for h in original] == scraped


def test_second_level_headings_do_not_cut_sections():
    headings = [s.heading for s in find_sections(seed_text(2)) if s.heading]
    assert headings and not any(h.startswith("（") for h in headings)


def test_real_reports_have_sections():
    folder = corpus_folder("cn_provincial_gwr_2026")
    files = sorted((folder / "docs").glob("*.txt"))
    counts = [len(find_sections(f.read_text(encoding="utf-8"))) for f in files]
    assert sum(c >= 3 for c in counts) >= len(files) * 0.8


def test_english_numbered_headings():
    text = "Summary.\n1. Policy\nThe cash rate.\n2 Outlook\nGrowth.\n3. Risks\nMany."
    assert [s.heading for s in find_sections(text)] == ["", "1. Policy", "2 Outlook", "3. Risks"]


def test_numbers_out_of_order_are_not_headings():
    text = "前言。\n二、第二部分\n内容。\n一、第一部分\n内容。"
    assert [s.heading for s in find_sections(text)] == [""]


@given(st.text(alphabet="一二三、（）\n。第章abc1. ", max_size=120))
def test_sections_cover_the_text_in_order(text):
    sections = find_sections(text)
    assert sections[0].start == 0 or not text[: sections[0].start].strip()
    assert sections[-1].end == len(text)
    assert all(a.end == b.start for a, b in itertools.pairwise(sections))


def test_numbers_in_each_script():
    found = [number(t) for t in ("1", "九", "十", "十一", "二十三", "IX", "一百")]
    assert found == [1, 9, 10, 11, 23, 9, None]


def test_section_ratios_add_up_to_the_draft_ratio():
    corpus = Corpus()
    for n in (0, 1, 2, 3):
        corpus.add(seed_text(n), id=f"{n:03d}")
    report = corpus.check(seed_text(4))
    assert len(report.sections) == 4
    assert sum(s.length for s in report.sections) == report.length
    counted = sum(round(s.copy_ratio * s.length) for s in report.sections)
    assert abs(counted - report.copy_ratio * report.length) <= len(report.sections)
    assert all(s.largest_source == "003" for s in report.sections if s.copy_ratio > 0.5)


def test_a_draft_borrowing_one_section_shows_it_in_that_section():
    source, host = seed_text(3), seed_text(1)
    borrowed = source[source.index("二、") : source.index("三、")]
    start = host.index("三、")
    draft = host[:start] + borrowed.replace("二、", "三、", 1) + host[start:].replace("三、", "四、", 1)
    corpus = Corpus()
    corpus.add(source, id="003")
    report = corpus.check(draft)
    ratios = {s.heading[:2]: s.copy_ratio for s in report.sections}
    assert ratios["三、"] > 0.8
    assert max(v for k, v in ratios.items() if k != "三、") < 0.1
