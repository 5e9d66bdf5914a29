from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from detector import normalize
from detector.scoring import exact_scores
from detector.shingle import shingle_hashes, shingle_set, shingle_sets

from .conftest import seed_text


def _cps(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def _ngrams(text: str, n: int) -> set[str]:
    if not text:
        return set()
    n = min(n, len(text))
    return {text[i : i + n] for i in range(len(text) - n + 1)}


def test_hashes_are_exact_on_the_seeds():
    """One hash per distinct n-gram: no collisions on real text."""
    for number in range(5):
        text = normalize(seed_text(number)).text
        for n in (3, 5, 7):
            assert len(shingle_set(_cps(text), n)) == len(_ngrams(text, n))


def test_exact_jaccard_equals_python_sets():
    a, b = (normalize(seed_text(k)).text for k in (3, 4))
    expected = len(_ngrams(a, 5) & _ngrams(b, 5)) / len(_ngrams(a, 5) | _ngrams(b, 5))
    sa, sb = shingle_sets([_cps(a), _cps(b)], 5)
    assert exact_scores(sa, sb)[0] == expected
    assert exact_scores(sa, sb)[1] == len(_ngrams(a, 5) & _ngrams(b, 5)) / len(_ngrams(a, 5))


def test_batch_equals_single():
    texts = [normalize(seed_text(k)).text for k in range(5)] + ["短文"]
    batch = shingle_sets([_cps(t) for t in texts], 5)
    for text, got in zip(texts, batch, strict=True):
        assert np.array_equal(got, shingle_set(_cps(text), 5))


def test_short_and_empty():
    assert len(shingle_hashes(_cps("abc"), 5)) == 1
    assert len(shingle_hashes(_cps(""), 5)) == 0


@given(st.text(min_size=0, max_size=40), st.text(min_size=0, max_size=40))
def test_jaccard_symmetric_and_bounded(a, b):
    sa, sb = shingle_set(_cps(a), 3), shingle_set(_cps(b), 3)
    assert exact_scores(sa, sb)[0] == exact_scores(sb, sa)[0]
    assert 0.0 <= exact_scores(sa, sb)[0] <= 1.0
    assert len(sa) == len(_ngrams(a, 3))
