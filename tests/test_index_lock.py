"""The index lock: readers and the writers of every process wait for each other."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from detector import Index
from detector.index_lock import IndexLock
from tests.conftest import seed_documents, seed_path

DETECTOR = str(Path(sys.executable).with_name("detector"))


def test_a_command_line_addition_waits_for_a_reader(tmp_path):
    index = tmp_path / "archive.db"
    with Index.create(index) as created:
        created.add(seed_documents(0))
    with IndexLock(index).shared():
        adding = subprocess.Popen(
            [DETECTOR, "index", "add", str(index), str(seed_path(1))],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(3)
        assert adding.poll() is None, "the addition ran while a reader held the lock"
        with Index.open(index) as opened:
            assert len(opened) == 1
    out, err = adding.communicate(timeout=120)
    assert adding.returncode == 0, err
    assert "1 added" in out
    with Index.open(index) as opened:
        assert len(opened) == 2


def test_a_reader_waits_for_an_addition_in_another_thread(tmp_path):
    index = tmp_path / "archive.db"
    Index.create(index).close()
    lock = IndexLock(index)
    seen: list[int] = []
    with lock.exclusive():
        reader = threading.Thread(target=lambda: _count_when_free(lock, index, seen))
        reader.start()
        time.sleep(0.5)
        assert not seen, "the reader went on while the writer held the lock"
    reader.join(timeout=30)
    assert seen == [0]


def _count_when_free(lock: IndexLock, index: Path, seen: list[int]) -> None:
    with lock.shared(), Index.open(index) as opened:
        seen.append(len(opened))
