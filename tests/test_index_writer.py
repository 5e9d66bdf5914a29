"""Writing an index: batches, worker processes, window bands, learned phrases, failed writes."""

from __future__ import annotations

import numpy as np
import pytest

from detector import read_document
from detector.errors import IndexFileError
from detector.index_writer import BATCH, IndexWriter
from detector.sources import Document
from detector.store import Index

from .conftest import seed_path, seed_text


def _many(count: int) -> list[Document]:
    texts = [seed_text(n) for n in range(4)]
    return [Document(f"d{n:03d}.txt", f"第{n}号文件\n" + texts[n % 4], f"d{n:03d}.txt") for n in range(count)]


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


def test_windows_stored_sorted_and_kept_in_step(index):
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


def test_pending_keys_are_sketched_again_as_they_were(index):
    writer = IndexWriter(index._file, index.config)
    before = writer.segments().arrays
    # As if every batch had been committed and none merged.
    index._db.execute("DELETE FROM segments")
    index._db.execute("UPDATE documents SET merged = 0")
    keys, numbers = writer.pending()
    assert numbers == [d.id for d in index.documents()]
    writer.merge_windows()
    after = writer.segments().arrays
    # Merged from scratch, the bands hold the same windows (the order among equal keys may differ).
    for band in range(len(before[0])):
        assert sorted(zip(before[0][band].tolist(), before[1][band].tolist(), strict=True)) == sorted(
            zip(after[0][band].tolist(), after[1][band].tolist(), strict=True)
        )
    assert sum(k.shape[1] for k in keys) == before[0].shape[1]


def test_worker_processes_write_what_one_process_writes(tmp_path):
    documents = _many(BATCH * 2 + 5)
    done: list[int] = []
    stored: dict[int, list[tuple]] = {}
    for jobs in (1, 2):
        with Index.create(tmp_path / f"jobs{jobs}.db") as index:
            result = index.add(documents, progress=done.append, jobs=jobs)
            assert len(result.added) == len(documents) and len(index) == len(documents)
            columns = "path, sha256, characters, sample_key, normalized, signature"
            stored[jobs] = index._db.execute(f"SELECT {columns} FROM documents ORDER BY id").fetchall()
            assert index.stats()["passage_windows"] > 0
    assert stored[1] == stored[2]
    assert done == [BATCH, BATCH, 5] * 2


def test_a_full_disk_rolls_the_batch_back(index):
    pages = index._db.execute("PRAGMA page_count").fetchone()[0]
    index._db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(IndexFileError, match=f"{index.path}: cannot write the index \\(disk full\\)"):
        index.add(_many(8))
    assert len(index) == 4
    assert index._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    index._db.execute(f"PRAGMA max_page_count = {pages * 100}")
    assert len(index.add(_many(8)).added) == 8 and len(index) == 12


def test_a_read_only_connection_removes_nothing(index):
    index._db.execute("PRAGMA query_only = ON")
    with pytest.raises(
        IndexFileError, match=r"cannot write the index \(read-only file\); check its permissions"
    ):
        index.remove([str(seed_path(0))])
    index._db.execute("PRAGMA query_only = OFF")
    assert len(index) == 4
    with pytest.raises(IndexFileError, match="no document 'nope.txt'"):
        index.remove([str(seed_path(0)), "nope.txt"])
    assert len(index) == 4


def test_damaged_bands_and_phrases_are_reported(index):
    index._db.execute("UPDATE segments SET owners = X'010203' WHERE band = 4")
    with Index.open(index.path) as reopened, pytest.raises(IndexFileError, match="damaged.*window bands"):
        reopened.check(read_document(seed_path(4)))
    index._db.execute("DELETE FROM segments")
    index._db.execute("UPDATE common SET hashes = X'0102'")
    with Index.open(index.path) as reopened, pytest.raises(IndexFileError, match="damaged.*common phrases"):
        reopened.check(read_document(seed_path(4)))
