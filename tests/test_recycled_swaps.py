"""The swap table recovers what the benchmark recycler changed in the seeds."""

from __future__ import annotations

from collections import Counter

import pytest

from benchmarks.recycle import recycle, scrape
from detector import compare

from .conftest import seed_text


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
