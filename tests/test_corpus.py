from __future__ import annotations

import re

import pytest

from detector import ConfigError, Corpus, DetectorError
from detector.corpus import MAX_PAIRS

from .conftest import seed_text


def overlapping_windows(count: int, width: int = 40) -> list[str]:
    """Many tiny documents, each a window of one speech one character on from the last."""
    base = re.sub(r"\s+", "", seed_text(1))
    return [base[i : i + width] for i in range(count)]


@pytest.fixture(scope="module")
def crowded() -> Corpus:
    corpus = Corpus()
    corpus.add_many(overlapping_windows(400))
    return corpus


def test_scan_keeps_the_best_ranked_pairs_and_counts_the_rest(crowded):
    everything = crowded.scan(max_pairs=None)
    assert len(everything.pairs) > 5_000 and everything.pairs_dropped == 0
    capped = crowded.scan(max_pairs=100)
    assert capped.pairs == everything.pairs[:100]
    assert capped.pairs_dropped == len(everything.pairs) - 100
    assert capped.to_dict()["pairs_dropped"] == capped.pairs_dropped


def test_groups_join_every_recycled_pair_even_those_not_kept(crowded):
    everything = crowded.scan(max_pairs=None)
    capped = crowded.scan(max_pairs=1)
    assert len(capped.pairs) == 1 and capped.groups == everything.groups
    assert len(capped.groups[0]) > 2


def test_pairs_can_be_capped_too(crowded):
    assert crowded.pairs(max_pairs=7) == crowded.pairs()[:7]


def test_scan_is_capped_by_default_and_the_cap_must_be_positive(crowded):
    assert MAX_PAIRS == 100_000
    assert crowded.scan().pairs_dropped == 0
    with pytest.raises(ConfigError, match="max_pairs"):
        crowded.scan(max_pairs=0)


def test_a_lone_surrogate_is_ignored_like_punctuation():
    text = "坚决打赢2022年污染防治攻坚战，系统提升我县城乡人居环境，持续改善全县生态环境质量。"
    spoiled = text[:9] + "\ud800" + text[9:] + "\udfff"
    corpus = Corpus()
    corpus.add(text, id="clean")
    corpus.add(spoiled, id="spoiled")
    assert [(p.a, p.b, p.similarity) for p in corpus.pairs()] == [("clean", "spoiled", 1.0)]
    report = Corpus().check(spoiled)
    assert report.length == len(text) - 3
    corpus.remove("spoiled")
    (source,) = corpus.check(spoiled).sources
    (passage,) = source.passages
    assert passage.draft_text == spoiled[: len(text)]  # up to the last letter, the surrogate inside
    with pytest.raises(DetectorError):
        Corpus().add("\ud800，\udc00")
