"""Pair scoring: screening candidate pairs by samples never drops a pair that reaches a verdict."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.recycle import recycle
from detector import Config, Document
from detector.fingerprint import Fingerprinter, sample
from detector.scoring import exact_scores, judge, may_pass

from .conftest import seed_text


def _sets(texts: list[str]) -> list[np.ndarray]:
    made = Fingerprinter(Config()).batch([Document(str(i), t) for i, t in enumerate(texts)])
    return [fp.shingles for fp in made if fp is not None]


def test_recycled_and_partial_copies_of_the_seeds_pass_the_screen():
    config = Config()
    texts = [seed_text(n) for n in range(5)]
    for n in range(4):
        text = seed_text(n)
        texts += [recycle(text, strength=s, seed=n).text for s in (0.3, 0.6, 1.0)]
        texts.append(text[: len(text) // 2] + seed_text((n + 1) % 4)[: len(text) // 2])
    sets = _sets(texts)
    passed = screened = 0
    for i in range(len(sets)):
        for j in range(i + 1, len(sets)):
            verdict = judge(*exact_scores(sets[i], sets[j]), config)
            let_through = may_pass(sample(sets[i]), sample(sets[j]), config)
            if verdict != "none":
                assert let_through, (i, j, verdict)
                passed += 1
            elif not let_through:
                screened += 1
    assert passed >= 12 and screened >= 20


@settings(max_examples=200, deadline=None)
@given(st.integers(2000, 6000), st.integers(0, 6000), st.integers(0, 2**32 - 1))
def test_sets_sharing_enough_always_pass(size, shared, seed):
    rng = np.random.default_rng(seed)
    pool = np.unique(rng.integers(0, 2**64 - 1, size=3 * size + 2 * shared, dtype=np.uint64))
    rng.shuffle(pool)
    shared = min(shared, size)
    a = np.sort(pool[:size])
    b = np.sort(np.concatenate([pool[:shared], pool[size : 2 * size - shared]]))
    if judge(*exact_scores(a, b), Config()) != "none":
        assert may_pass(sample(a), sample(b), Config())
