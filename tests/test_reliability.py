"""Crash safety and concurrent writers, with real processes and real signals."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from detector.store import Index

from .conftest import seed_text

CLI = [sys.executable, "-m", "detector.cli"]


def _make_files(folder: Path, count: int, tag: str) -> list[Path]:
    folder.mkdir(parents=True)
    texts = [seed_text(n) for n in range(4)]
    paths = []
    for number in range(count):
        path = folder / f"{tag}{number:05d}.txt"
        path.write_text(f"第{number}号{tag}文件\n" + texts[number % 4], encoding="utf-8")
        paths.append(path)
    return paths


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as connection:
            return int(connection.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.Error:
        return 0


def _survivors(db: Path) -> list[str]:
    if shutil.which("pgrep") is None:
        return []
    found = subprocess.run(["pgrep", "-f", str(db)], capture_output=True, text=True, check=False)
    return found.stdout.split()


def test_kill_9_during_add_keeps_every_committed_batch(tmp_path):
    files = _make_files(tmp_path / "archive", 1200, "a")
    db = tmp_path / "idx.db"
    process = subprocess.Popen([*CLI, "index", "add", str(db), str(tmp_path / "archive"), "--quiet"])
    try:
        deadline = time.monotonic() + 120
        while _count(db) < 128 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        assert process.poll() is None, "the add finished before it could be killed; make it larger"
        before = _count(db)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    assert 128 <= before < len(files)
    # Its sketching workers die with it instead of lingering.
    deadline = time.monotonic() + 10
    while _survivors(db) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _survivors(db) == []
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Index.open(db) as index:
        kept = len(index)
        assert kept >= before
        assert all(
            index.text(d.path).startswith(f"第{int(Path(d.path).stem[1:])}号") for d in index.documents()
        )
    listed = subprocess.run([*CLI, "index", "list", str(db)], capture_output=True, text=True, check=False)
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == kept
    resumed = subprocess.run(
        [*CLI, "index", "add", str(db), str(tmp_path / "archive"), "--quiet"], capture_output=True, text=True
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"{len(files) - kept} added, 0 updated, {kept} unchanged; {len(files)} documents" in resumed.stdout


def _add_at_once(db, folders) -> list[str]:
    """Run ``detector index add DB FOLDER`` for each folder at the same time; their outputs."""
    processes = [
        subprocess.Popen(
            [*CLI, "index", "add", str(db), str(folder), "--quiet"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder in folders
    ]
    outputs = [p.communicate(timeout=300) for p in processes]
    for process, (_, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
    return [out for out, _ in outputs]


def test_two_writers_both_succeed(tmp_path):
    first = tmp_path / "first"
    second = tmp_path / "second"
    _make_files(first, 300, "x")
    _make_files(second, 300, "y")
    db = tmp_path / "shared.db"
    for out in _add_at_once(db, [first, second]):
        assert "300 added" in out
    with Index.open(db) as index:
        assert len(index) == 600
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_two_adds_of_the_same_folder_add_each_file_once(tmp_path):
    folder = tmp_path / "same"
    _make_files(folder, 300, "z")
    db = tmp_path / "shared.db"
    added = []
    for out in _add_at_once(db, [folder, folder]):
        counts = re.match(r".*: (\d+) added, (\d+) updated, (\d+) unchanged; 300 documents", out)
        assert counts is not None, out
        assert int(counts[1]) + int(counts[2]) + int(counts[3]) == 300
        added.append(int(counts[1]))
    assert sum(added) == 300
    with Index.open(db) as index:
        assert len(index) == 300
