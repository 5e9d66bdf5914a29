"""The window LSH finds a source from one borrowed sentence."""

from __future__ import annotations

import numpy as np

from detector import normalize
from detector.windows import WindowIndex

from .conftest import seed_text


def test_window_index_finds_a_short_borrowing_in_a_long_corpus():
    texts = [normalize(seed_text(n)).codepoints() for n in (0, 1, 2, 3)]
    index = WindowIndex()
    index.build(texts)
    borrowed = normalize(
        [p for p in seed_text(1).split("\n") if len(normalize(p).text) >= 80][4][:80]
    ).codepoints()
    query = np.concatenate([normalize("今年的工作安排如下，请大家认真抓好落实。").codepoints(), borrowed])
    hits = index.query(query)
    assert hits.most_common(1)[0][0] == 1
