"""The swap table recovers what the benchmark recycler changed in the seeds."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from benchmarks.recycle import move_sentences, recycle, scrape
from detector import compare

from .conftest import corpus_folder, seed_text


@pytest.mark.parametrize("furniture", [False, True])
def test_swaps_recovered_by_kind(furniture):
    tp: Counter[str] = Counter()
    pred: Counter[str] = Counter()
    true: Counter[str] = Counter()
    for number in (0, 1, 2, 3):
        made = recycle(seed_text(number), strength=0.6, seed=number, furniture=furniture)
        assert made.swaps, "the recycler changed nothing"
        found: Counter[tuple[str, str, str]] = Counter()
        for swap in compare(seed_text(number), made.text).swaps:
            found[(swap.kind, swap.old, swap.new)] += swap.count
        for key in set(found) | set(made.swaps):
            tp[key[0]] += min(found[key], made.swaps[key])
            pred[key[0]] += found[key]
            true[key[0]] += made.swaps[key]
    for kind in ("year", "number", "synonym"):
        assert true[kind] > 0, kind
        assert tp[kind] / true[kind] >= 0.9, (kind, tp[kind], true[kind])
        assert tp[kind] / pred[kind] >= 0.9, (kind, tp[kind], pred[kind])


def test_scraping_alone_reports_no_swaps():
    import random

    text = seed_text(3)
    comparison = compare(text, scrape(text, random.Random(1)))
    assert comparison.swaps == ()
    assert comparison.similarity > 0.9


@pytest.mark.parametrize("number", [0, 1, 2, 3])
def test_sentences_moved_to_other_paragraphs_keep_their_number_swaps(number):
    text = seed_text(number)
    made = move_sentences(text, random.Random(2), 3)
    assert made.swaps
    found = {(s.kind, s.old, s.new): s.count for s in compare(text, made.text).swaps if s.kind == "number"}
    assert found == dict(made.swaps)


def test_moved_sentences_of_real_reports_give_exactly_their_number_swaps():
    folder = corpus_folder("cn_provincial_gwr_2026") / "docs"
    for index, path in enumerate(sorted(folder.glob("*.txt"))[:8]):
        text = path.read_text(encoding="utf-8")[2000:8000]
        made = move_sentences(text, random.Random(index), 3)
        found: Counter[tuple[str, str, str]] = Counter()
        for swap in compare(text, made.text).swaps:
            found[(swap.kind, swap.old, swap.new)] += swap.count
        assert found == made.swaps, path.name


def test_years_and_numbers_rewritten_in_the_other_script_are_found():
    text = seed_text(3)
    made = recycle(text, strength=0.6, seed=3, other_script=1.0)
    other = [key for key in made.swaps if not key[2].isascii()]
    assert len(other) >= 3
    found = {(s.kind, s.old, s.new): s.count for s in compare(text, made.text).swaps}
    assert all(found.get(key, 0) == made.swaps[key] for key in other), other
