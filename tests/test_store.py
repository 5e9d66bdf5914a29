from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from detector import Corpus, read_document
from detector.store import FORMAT_VERSION, Index, IndexFileError

from .conftest import seed_documents, seed_path, seed_text


def test_add_is_idempotent_and_updates_changed_files(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    for n in (0, 1):
        shutil.copy(seed_path(n), folder / seed_path(n).name)
    path = tmp_path / "i.db"
    with Index.create(path) as index:
        first = index.add([read_document(p) for p in sorted(folder.iterdir())])
        assert len(first.added) == 2 and not first.updated and not first.unchanged
        again = index.add([read_document(p) for p in sorted(folder.iterdir())])
        assert again.added == () and len(again.unchanged) == 2
        changed = folder / seed_path(1).name
        changed.write_text(seed_text(1).replace("2022", "2025"), encoding="utf-8")
        third = index.add([read_document(p) for p in sorted(folder.iterdir())])
        assert third.updated == (str(changed),) and len(third.unchanged) == 1
        assert len(index) == 2
        assert "2025" in index.text(str(changed))


def test_check_against_index_equals_check_in_memory(index):
    corpus = Corpus()
    corpus.add_many(seed_documents(0, 1, 2, 3))
    for draft in seed_documents(4, 0):
        stored, memory = index.check(draft).to_dict(), corpus.check(draft).to_dict()
        assert stored.pop("already_indexed_as") == (draft.path if draft.path == str(seed_path(0)) else None)
        memory.pop("already_indexed_as")
        assert stored == memory


def test_index_survives_reopening(tmp_path, index):
    path = index.path
    index.close()
    with Index.open(path) as reopened:
        assert len(reopened) == 4
        report = reopened.check(read_document(seed_path(4)))
        assert [s.source for s in report.sources] == [str(seed_path(3))]
        assert report.recycled


def test_remove_by_path_and_id(index):
    listed = {d.path: d.id for d in index.documents()}
    assert index.remove([str(seed_path(0))]) == [str(seed_path(0))]
    assert index.remove([str(listed[str(seed_path(1))])]) == [str(seed_path(1))]
    assert len(index) == 2
    with pytest.raises(IndexFileError, match="no document"):
        index.remove(["nope.txt"])
    assert len(index) == 2


def test_stats(index):
    figures = index.stats()
    assert figures["documents"] == 4 and figures["format_version"] == FORMAT_VERSION
    assert figures["passage_windows"] > 100 and figures["file_bytes"] > 0
    assert figures["settings"]["ngram"] == 5


def test_stored_text_is_the_original(index):
    for n in (0, 3):
        assert index.text(str(seed_path(n))) == seed_text(n)
    assert Path(index.path).stat().st_size > 0


def test_the_facade_keeps_its_names_and_signatures():
    import inspect

    import detector
    from detector import store

    assert store.AddResult is detector.AddResult and store.IndexedDocument is detector.IndexedDocument
    assert store.FORMAT_VERSION == 3
    add = inspect.signature(Index.add).parameters
    assert list(add) == ["self", "documents", "rules", "progress", "on_error", "jobs"]
    check = inspect.signature(Index.check).parameters
    assert list(check) == [
        "self",
        "draft",
        "lexicon",
        "min_passage",
        "max_candidates",
        "rules",
        "phrases",
        "exclusions",
    ]
    assert list(inspect.signature(Index.open).parameters) == [
        "path",
        "config",
        "redis",
        "timeout",
        "check",
        "rules",
        "phrases",
        "create",
        "read_only",
    ]
    assert list(inspect.signature(Index.create).parameters) == ["path", "config", "options"]


def test_a_closed_index_says_so(tmp_path):
    with Index.create(tmp_path / "i.db") as index:
        index.add(seed_documents(0))
    with pytest.raises(IndexFileError, match=r"i.db: the index is closed; open it again$"):
        len(index)
    with pytest.raises(IndexFileError, match="closed"):
        index.documents()


def test_an_index_opened_for_reading_checks_and_refuses_writes(index):
    path = index.path
    index.close()
    with Index.open(path, read_only=True) as opened:
        report = opened.check(seed_documents(4)[0])
        assert [s.source for s in report.sources] == [str(seed_path(3))]
        with pytest.raises(IndexFileError, match="open for reading only"):
            opened.add(seed_documents(4))
        with pytest.raises(IndexFileError, match="open for reading only"):
            opened.remove([str(seed_path(0))])
    with Index.open(path) as opened:
        assert len(opened) == 4
