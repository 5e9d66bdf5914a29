from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from detector import Config, Corpus, read_document
from detector.store import FORMAT_VERSION, Index, IndexFileError

from .conftest import seed_path, seed_text


def _docs(*numbers):
    return [read_document(seed_path(n)) for n in numbers]


@pytest.fixture
def index(tmp_path):
    with Index.create(tmp_path / "speeches.db") as opened:
        opened.add(_docs(0, 1, 2, 3))
        yield opened


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
    corpus.add_many(_docs(0, 1, 2, 3))
    for draft in _docs(4, 0):
        stored, memory = index.check(draft), corpus.check(draft)
        assert stored.to_dict() == memory.to_dict()


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


def test_other_settings_are_refused(tmp_path, index):
    with pytest.raises(IndexFileError, match=r"ngram=5 \(asked 4\).*rebuild"):
        Index.open(index.path, Config(ngram=4))


def test_not_an_index(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(IndexFileError, match="not a detector index"):
        Index.open(junk)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(IndexFileError, match="not a detector index"):
        Index.open(other)
    with pytest.raises(IndexFileError, match="no such index"):
        Index.open(tmp_path / "missing.db")


def test_older_format_is_refused_with_a_rebuild_hint(index):
    index._db.execute("UPDATE meta SET value = '0' WHERE key = 'format_version'")
    with pytest.raises(IndexFileError, match="format 0.*rebuild"):
        Index.open(index.path)


def test_common_phrases_stored_and_refreshed(index):
    row = index._db.execute("SELECT generation FROM common").fetchone()
    generation = index._db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    assert row[0] == int(generation[0])
    # A crash between the documents and the phrases leaves them stale: they are learned again.
    index._db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
    reopened = Index.open(index.path)
    report = reopened.check(read_document(seed_path(4)))
    assert report.copy_ratio > 0.9
    assert reopened._db.execute("SELECT generation FROM common").fetchone()[0] == int(generation[0]) + 1
    reopened.close()


def test_wal_mode(index):
    assert index._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_stored_text_is_the_original(index):
    for n in (0, 3):
        assert index.text(str(seed_path(n))) == seed_text(n)
    assert Path(index.path).stat().st_size > 0


def test_windows_stored_sorted_and_kept_in_step(index):
    import numpy as np

    rows = index._db.execute("SELECT keys, owners FROM segments ORDER BY band").fetchall()
    assert len(rows) == 21
    for keys, owners in rows:
        k = np.frombuffer(keys, dtype="<u4")
        assert (np.diff(k.astype(np.int64)) >= 0).all() and len(k) == len(owners) // 4
    assert index._db.execute("SELECT count(*) FROM documents WHERE merged = 0").fetchone()[0] == 0
    windows = index.stats()["passage_windows"]
    gone = {d.path: d.id for d in index.documents()}[str(seed_path(2))]
    index.remove([str(seed_path(2))])
    owners = np.frombuffer(
        index._db.execute("SELECT owners FROM segments WHERE band = 0").fetchone()[0], "<i4"
    )
    assert gone not in set(owners.tolist())
    assert index.stats()["passage_windows"] < windows
    assert index.check(read_document(seed_path(4))).copy_ratio > 0.9


def test_unmerged_windows_after_a_crash_are_still_searched(index):
    # As if the process died after committing a batch and before merging it.
    index._db.execute("DELETE FROM segments")
    index._db.execute("UPDATE documents SET merged = 0 WHERE path = ?", (str(seed_path(3)),))
    with Index.open(index.path) as reopened:
        report = reopened.check(read_document(seed_path(4)))
        assert [s.source for s in report.sources] == [str(seed_path(3))]
        reopened.merge_windows()
        assert reopened._db.execute("SELECT count(*) FROM documents WHERE merged = 0").fetchone()[0] == 0
        assert reopened.check(read_document(seed_path(4))).copy_ratio > 0.9
