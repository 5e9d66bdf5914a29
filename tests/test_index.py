from __future__ import annotations

import time
from pathlib import Path

import pytest

from detector import (
    Config,
    Corpus,
    Document,
    EmptyDocumentError,
    SourceError,
    UnknownDocumentError,
    read_document,
    read_documents,
    similarity,
)

from .conftest import corpus_folder, seed_path, seed_text


@pytest.fixture(scope="module")
def seed_corpus():
    corpus = Corpus()
    corpus.add_many(read_document(seed_path(k)) for k in range(5))
    return corpus


def test_only_003_004_recycled(seed_corpus):
    pairs = seed_corpus.pairs()
    assert [(p.a, p.b, p.verdict) for p in pairs] == [(str(seed_path(3)), str(seed_path(4)), "recycled")]
    pair = pairs[0]
    assert pair.similarity > 0.8
    assert abs(pair.estimated - pair.similarity) < 0.1
    assert pair.containment_a_in_b > 0.9 and pair.containment_b_in_a > 0.9
    assert seed_corpus.groups(pairs) == [(str(seed_path(3)), str(seed_path(4)))]


def test_independent_seeds_below_0_1():
    for a in range(5):
        for b in range(a + 1, 5):
            value = similarity(seed_text(a), seed_text(b))
            assert (value > 0.6) if (a, b) == (3, 4) else (value < 0.1), (a, b, value)


def test_similarity_symmetric():
    assert similarity(seed_text(3), seed_text(4)) == similarity(seed_text(4), seed_text(3))
    assert similarity("同一篇讲话", "同一篇讲话") == 1.0


def test_include_all_lists_verified_candidates_only(seed_corpus):
    for pair in seed_corpus.pairs(include_all=True):
        assert pair.verdict in ("recycled", "partial", "none")
        assert pair.similarity == similarity(
            seed_text(int(Path(pair.a).name[:3])), seed_text(int(Path(pair.b).name[:3]))
        )


def test_query_finds_source(seed_corpus):
    matches = seed_corpus.query(seed_text(4).replace("2023", "2024"))
    assert [m.id for m in matches] == [str(seed_path(4)), str(seed_path(3))]
    assert [m.verdict for m in matches] == ["recycled", "recycled"]
    assert matches[0].similarity > matches[1].similarity
    assert seed_corpus.query("完全无关的一段文字，讲的是天气和旅行。") == []


def test_add_remove_replace():
    corpus = Corpus()
    corpus.add(seed_text(3), id="2022")
    corpus.add(seed_text(0), id="other")
    assert corpus.pairs() == []
    corpus.add(seed_text(4), id="2023")
    assert [(p.a, p.b) for p in corpus.pairs()] == [("2022", "2023")]
    corpus.remove("2022")
    assert "2022" not in corpus and len(corpus) == 2
    assert corpus.pairs() == []
    corpus.add(seed_text(3), id="other")  # replaces "other"
    assert [(p.a, p.b) for p in corpus.pairs()] == [("other", "2023")] or [
        (p.a, p.b) for p in corpus.pairs()
    ] == [("2023", "other")]
    with pytest.raises(UnknownDocumentError):
        corpus.remove("missing")
    with pytest.raises(UnknownDocumentError):
        corpus.get("missing")


def test_auto_ids_and_empty_text():
    corpus = Corpus()
    assert corpus.add("第一篇讲话稿的正文内容") == "doc-1"
    assert corpus.add("第二篇讲话稿的正文内容") == "doc-2"
    with pytest.raises(EmptyDocumentError):
        corpus.add("，。！？\n\n")
    skipped: list[SourceError] = []
    ids = corpus.add_many([Document("x", "……"), Document("y", "有内容的文档")], on_error=skipped.append)
    assert ids == ["y"] and [e.path for e in skipped] == ["x"]


def test_partial_when_one_contains_the_other():
    long = seed_text(1)
    corpus = Corpus()
    corpus.add(long, id="long")
    corpus.add(long[: len(long) * 2 // 3], id="part")
    (pair,) = corpus.pairs()
    assert pair.containment_b_in_a > 0.99
    assert pair.verdict == "recycled" if pair.similarity >= 0.5 else "partial"
    corpus2 = Corpus(Config(recycled_threshold=0.9))
    corpus2.add_many([long, long[: len(long) * 2 // 3]])
    assert [p.verdict for p in corpus2.pairs()] == ["partial"]


def test_gb18030_copy_of_003_found_beside_004(tmp_path):
    copy = tmp_path / "003_gb18030.txt"
    copy.write_bytes(seed_text(3).encode("gb18030"))
    docs, errors = read_documents([copy, seed_path(4)])
    assert errors == [] and docs[0].encoding == "gb18030"
    corpus = Corpus()
    corpus.add_many(docs)
    assert [p.verdict for p in corpus.pairs()] == ["recycled"]


def test_affine32_scheme_gives_the_same_pairs(seed_corpus):
    corpus = Corpus(Config(scheme="affine32"))
    corpus.add_many(read_document(seed_path(k)) for k in range(5))
    assert [(p.a, p.b) for p in corpus.pairs()] == [(p.a, p.b) for p in seed_corpus.pairs()]


def test_news_transcripts_scan_verified():
    folder = corpus_folder("cn_xinwenlianbo_2024")
    docs, _ = read_documents([folder])
    assert len(docs) >= 364
    corpus = Corpus()
    started = time.perf_counter()
    corpus.add_many(docs)
    result = corpus.scan(include_all=True)
    elapsed = time.perf_counter() - started
    config = corpus.config
    for pair in result.pairs:
        a, b = corpus.get(pair.a), corpus.get(pair.b)
        inter = len(set(a.shingles.tolist()) & set(b.shingles.tolist()))
        assert pair.similarity == pytest.approx(inter / (len(a.shingles) + len(b.shingles) - inter))
        if pair.verdict == "recycled":
            assert pair.similarity >= config.recycled_threshold
        elif pair.verdict == "partial":
            assert max(pair.containment_a_in_b, pair.containment_b_in_a) >= config.partial_threshold
    assert elapsed < 120  # a guard against runaway cost, not a benchmark
