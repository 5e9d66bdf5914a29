from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmarks.synthetic import corpus, write
from detector import ConfigError, Corpus, DetectorError, read_documents
from detector.corpus import MAX_PAIRS
from detector.sources import find_documents

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


# -- scanning files: signatures kept, texts read again for the pairs ---------------------


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("archive")
    write(folder, corpus(300, 1200, seed=21))
    return folder


def _in_memory(folder: Path) -> Corpus:
    documents, errors = read_documents([folder])
    assert not errors
    full = Corpus()
    full.add_many(documents)
    return full


def test_files_scanned_lean_give_the_answer_of_documents_held_in_memory(archive, monkeypatch):
    expected = _in_memory(archive).scan(max_pairs=None)
    monkeypatch.setattr("detector.corpus._BLOCK", 7)
    lean = Corpus()
    files, _ = find_documents([archive])
    lean.add_files(files)
    found = lean.scan(max_pairs=None)
    assert len(found.pairs) > 20
    assert found == expected


def test_a_lean_corpus_gives_whole_fingerprints_and_texts(archive):
    files, _ = find_documents([archive])
    lean = Corpus()
    ids = lean.add_files(files[:5])
    fp = lean.get(ids[0])
    assert fp.document.text == files[0].read_text(encoding="utf-8")
    assert len(fp.shingles) > 100
    assert lean.text(ids[1]) == files[1].read_text(encoding="utf-8")


def test_a_file_changed_during_a_scan_is_reported_not_scored(archive, tmp_path):
    files, _ = find_documents([archive])
    copies = sorted(f for f in files if f.name.startswith("copy"))[:1]
    original = archive / f"doc{copies[0].name.split('-of-')[1]}"
    folder = tmp_path / "pair"
    folder.mkdir()
    for f in (copies[0], original):
        (folder / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    lean = Corpus()
    lean.add_files(sorted(folder.iterdir()))
    assert len(lean.scan().pairs) == 1
    (folder / copies[0].name).write_text("全县生态环境保护大会今天召开。", encoding="utf-8")
    result = lean.scan()
    assert result.pairs == ()
    assert result.errors == ((str(folder / copies[0].name), "changed while it was scanned; scan again"),)
