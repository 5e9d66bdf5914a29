"""The index file: format and settings checks, WAL, and every SQLite error as one line.

The damaged files are real: an index built from data/speeches by the
command line, then overwritten, truncated or made read-only on disk.
"""

from __future__ import annotations

import functools
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from detector import Config, normalize
from detector.cli import app
from detector.errors import IndexFileError
from detector.index_file import (
    FORMAT_VERSION,
    check_format,
    connect,
    create_file,
    file_error,
    open_file,
    pack_form,
    pack_text,
    unpack_form,
)
from detector.store import Index

from .conftest import SPEECHES, seed_path, seed_text

ENV = {"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}
REBUILD = "rebuild it: detector index add NEW.db PATH..."


@pytest.fixture
def built(tmp_path) -> Path:
    """An index of data/speeches 000-003 made by the command line, closed (no WAL left)."""
    db = tmp_path / "speeches.db"
    result = CliRunner().invoke(
        app, ["index", "add", str(db), *(str(seed_path(n)) for n in range(4))], env=ENV
    )
    assert result.exit_code == 0, result.output
    assert not db.with_name(db.name + "-wal").exists()
    return db


@pytest.fixture
def changed(tmp_path) -> Path:
    """A document not in the index yet, so adding it writes."""
    path = tmp_path / "changed.txt"
    path.write_text(seed_text(1).replace("2022", "2031"), encoding="utf-8")
    return path


def _commands(db: Path, new: Path) -> dict[str, list[str]]:
    return {
        "list": ["index", "list", str(db)],
        "stats": ["index", "stats", str(db)],
        "check": ["check", str(seed_path(4)), "--index", str(db)],
        "add": ["index", "add", str(db), str(new)],
        "remove": ["index", "remove", str(db), str(seed_path(0))],
    }


def _one_error_line(result, starts: str) -> None:
    """Exit 2, one ``error: …`` line on stderr starting so, no traceback anywhere."""
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {starts}"), result.stderr
    assert "Traceback" not in result.output


def _overwrite(path: Path, start: int, end: int) -> None:
    data = bytearray(path.read_bytes())
    data[start:end] = b"\x55" * (end - start)
    path.write_bytes(bytes(data))


# -- format, settings, WAL ----------------------------------------------------------


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


def test_wal_mode(index):
    assert index._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_create_then_open_checks_format_and_settings(tmp_path):
    path = tmp_path / "i.db"
    assert create_file(path, Config(ngram=4)) is True
    assert create_file(path, Config(ngram=4)) is False
    file, config = open_file(path, Config(ngram=4))
    assert config.ngram == 4 and file.meta("format_version") == str(FORMAT_VERSION)
    file.close()
    with pytest.raises(IndexFileError, match=r"ngram=4 \(asked 5\)"):
        open_file(path, Config())
    with pytest.raises(IndexFileError, match="cannot create the index .*folder exists"):
        create_file(tmp_path / "no" / "such" / "folder.db", Config())


def test_stored_settings_that_do_not_read_are_damage():
    meta = {"format": "detector-index", "format_version": str(FORMAT_VERSION), "settings": "{not json"}
    with pytest.raises(IndexFileError, match=f"a.db: the index is damaged .*; {REBUILD}"):
        check_format("a.db", meta)
    with pytest.raises(IndexFileError, match="damaged"):
        check_format("a.db", {**meta, "format_version": "two"})


# -- packing ------------------------------------------------------------------------


def test_packed_forms_round_trip_every_speech():
    for path in sorted(SPEECHES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        norm = normalize(text)
        back = unpack_form(pack_form(norm), text)
        assert back.text == norm.text and back.original == text
        assert np.array_equal(back.offsets, norm.offsets)


def test_a_blob_that_is_not_a_packed_form_is_refused():
    norm = normalize(seed_text(0))
    blob = pack_form(norm)
    for broken in (b"junk", blob[: len(blob) // 2], blob[:40] + b"\x55" * 40 + blob[80:]):
        with pytest.raises(ValueError):
            unpack_form(broken)


# -- SQLite errors as one line ------------------------------------------------------


def test_file_errors_name_the_file_and_say_what_to_do():
    readonly, full = "cannot write the index (read-only file)", "cannot write the index (disk full)"
    malformed = "database disk image is malformed"
    messages = {
        "attempt to write a readonly database": f"{readonly}; check its permissions",
        "database or disk is full": f"{full}; free some space",
        malformed: f"the index is damaged ({malformed}); {REBUILD}",
        "file is not a database": f"the index is damaged (file is not a database); {REBUILD}",
        "database is locked": "the index is locked by another process (database is locked); try again",
        "unable to open database file": "cannot open the index (unable to open database file); check the",
    }
    for raised, said in messages.items():
        message = str(file_error("i.db", sqlite3.OperationalError(raised)))
        assert message.startswith(f"i.db: {said}") and "\n" not in message


@pytest.mark.parametrize("command", ["list", "stats", "check", "add", "remove"])
def test_garbage_over_the_middle_of_the_file(built, changed, command):
    size = built.stat().st_size
    _overwrite(built, size // 3, 2 * size // 3)
    result = CliRunner().invoke(app, _commands(built, changed)[command], env=ENV)
    _one_error_line(result, f"{built}: the index is damaged (")
    assert result.stderr.rstrip().endswith(REBUILD)


@pytest.mark.parametrize("command", ["list", "check", "add"])
def test_truncated_file(built, changed, command):
    data = built.read_bytes()
    built.write_bytes(data[: len(data) // 2])
    result = CliRunner().invoke(app, _commands(built, changed)[command], env=ENV)
    _one_error_line(result, f"{built}: the index is damaged (database disk image is malformed); {REBUILD}")


@pytest.mark.parametrize("command", ["list", "check", "add"])
def test_damaged_header_is_damage_not_a_foreign_file(built, changed, command):
    _overwrite(built, 16, 100)  # the SQLite magic stays; the rest of the header is garbage
    result = CliRunner().invoke(app, _commands(built, changed)[command], env=ENV)
    _one_error_line(result, f"{built}: the index is damaged (file is not a database); {REBUILD}")


def test_damaged_text_blob(built, changed):
    source = str(seed_path(3))
    with sqlite3.connect(built) as connection:
        (blob,) = connection.execute("SELECT text FROM documents WHERE path = ?", (source,)).fetchone()
    connection.close()
    data = built.read_bytes()
    at = data.find(blob[100:164])
    assert at > 0 and data.find(blob[100:164], at + 1) == -1
    _overwrite(built, at, at + 64)  # SQLite sees nothing wrong; the compressed text does not inflate
    runner = CliRunner()
    assert runner.invoke(app, _commands(built, changed)["list"], env=ENV).exit_code == 0
    result = runner.invoke(app, _commands(built, changed)["check"], env=ENV)
    _one_error_line(result, f"{built}: the index is damaged (a stored text does not decompress")
    assert result.stderr.rstrip().endswith(REBUILD)
    with Index.open(built) as index, pytest.raises(IndexFileError, match="damaged"):
        index.text(source)


def _read_only(monkeypatch, db: Path) -> None:
    """Make the index read-only: its mode for other users, a read-only open for root."""
    db.chmod(0o444)
    if os.geteuid() == 0:  # root writes whatever the mode says
        monkeypatch.setattr("detector.index_file.connect", functools.partial(connect, read_only=True))


@pytest.mark.parametrize("command", ["add", "remove"])
def test_read_only_file(built, changed, monkeypatch, command):
    _read_only(monkeypatch, built)
    runner = CliRunner()
    listed = runner.invoke(app, _commands(built, changed)["list"], env=ENV)
    assert listed.exit_code == 0 and len(listed.stdout.splitlines()) == 4
    result = runner.invoke(app, _commands(built, changed)[command], env=ENV)
    _one_error_line(result, f"{built}: cannot write the index (read-only file); check its permissions")
    with Index.open(built) as index:
        assert len(index) == 4


def test_disk_full(built, tmp_path, monkeypatch):
    with sqlite3.connect(built) as connection:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.close()

    def full(path: Path, timeout: float, *, read_only: bool = False) -> sqlite3.Connection:
        opened = connect(path, timeout, read_only=read_only)
        opened.execute(f"PRAGMA max_page_count = {pages}")  # the disk holds not one page more
        return opened

    monkeypatch.setattr("detector.index_file.connect", full)
    folder = tmp_path / "more"
    shutil.copytree(SPEECHES, folder)
    for number, path in enumerate(sorted(folder.iterdir())):
        path.write_text(f"第{number}号\n" + path.read_text(encoding="utf-8") * 3, encoding="utf-8")
    result = CliRunner().invoke(app, ["index", "add", str(built), str(folder)], env=ENV)
    _one_error_line(result, f"{built}: cannot write the index (disk full); free some space")
    monkeypatch.undo()
    with Index.open(built) as index:
        assert len(index) == 4
        assert index._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _as_nobody() -> None:
    os.setgid(65534)
    os.setuid(65534)


def _nobody_runs_python() -> bool:
    try:
        probe = subprocess.run(
            [sys.executable, "-c", "import detector"], preexec_fn=_as_nobody, capture_output=True
        )
    except OSError:
        return False
    return probe.returncode == 0


def _bind_read_only(source: Path, target: Path) -> bool:
    """Mount ``source`` read-only at ``target`` (root with mount rights only); whether it worked."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    target.mkdir()
    done = subprocess.run(["mount", "--bind", str(source), str(target)], capture_output=True).returncode == 0
    if (
        done
        and subprocess.run(["mount", "-o", "remount,ro,bind", str(target)], capture_output=True).returncode
    ):
        subprocess.run(["umount", str(target)], capture_output=True)
        done = False
    return done


@pytest.fixture
def read_only_folder(built, tmp_path) -> Iterator[tuple[Path, Callable[[], None] | None]]:
    """The built index in a folder this test cannot write: a read-only bind mount, else one only root writes.

    Yields the index and what a subprocess must run first (becoming user nobody) when no mount could be made.
    """
    if _bind_read_only(built.parent, tmp_path / "ro"):
        try:
            yield tmp_path / "ro" / built.name, None
        finally:
            subprocess.run(["umount", str(tmp_path / "ro")], capture_output=True)
        return
    if os.geteuid() != 0:
        pytest.skip("needs root, to mount a folder read-only or to run as user nobody")
    folder = Path(tempfile.mkdtemp(dir="/tmp"))
    try:
        folder.chmod(0o755)
        shutil.copy(built, folder / built.name)
        (folder / built.name).chmod(0o644)
        if not _nobody_runs_python():
            pytest.skip("user nobody cannot run this Python")
        yield folder / built.name, _as_nobody
    finally:
        shutil.rmtree(folder)


def _detector(before: Callable[[], None] | None, *args: str) -> subprocess.CompletedProcess[str]:
    """The detector command in a subprocess (run as nobody when ``before`` says so)."""
    code = "import sys; from detector.cli import app; sys.argv[0] = 'detector'; app()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        preexec_fn=before,
        capture_output=True,
        text=True,
        env={**os.environ, **ENV},
        timeout=120,
    )


def test_check_list_and_stats_work_in_a_read_only_folder(read_only_folder, changed):
    db, before = read_only_folder
    checked = _detector(before, "check", str(seed_path(4)), "--index", str(db), "--fail-above", "0.3")
    assert checked.returncode == 1, checked.stderr
    assert "recycled from" in checked.stdout and str(seed_path(3)) in checked.stdout
    listed = _detector(before, "index", "list", str(db))
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 4, listed.stderr
    stats = _detector(before, "index", "stats", str(db), "--format", "json")
    assert stats.returncode == 0 and json.loads(stats.stdout)["documents"] == 4, stats.stderr
    added = _detector(before, "index", "add", str(db), str(changed))
    assert added.returncode == 2 and "cannot write the index (read-only file)" in added.stderr
    assert not db.with_name(db.name + "-shm").exists()


def test_a_flipped_schema_is_damage_not_an_empty_answer(built):
    data = built.read_bytes()
    flipped = data.replace(b"id INTEGER PRIMARY KEY,\n    key", b"id INTEGER PRIMARX KEY,\n    key", 1)
    assert flipped != data
    built.write_bytes(flipped)
    result = CliRunner().invoke(app, ["check", str(seed_path(4)), "--index", str(built)], env=ENV)
    _one_error_line(
        result, f"{built}: the index is damaged (the columns of its tables differ from an index's)"
    )


def test_a_dropped_index_table_is_damage(built):
    with sqlite3.connect(built) as connection:
        connection.execute("DROP INDEX documents_sha256")
    connection.close()
    with pytest.raises(IndexFileError, match=r"damaged \(tables or indexes documents_sha256 differ"):
        Index.open(built)


def test_a_text_that_no_longer_matches_its_sha256_is_damage_and_add_repairs_it(built):
    with sqlite3.connect(built) as connection:
        connection.execute(
            "UPDATE documents SET text = ? WHERE path = ?", (pack_text(seed_text(0)), str(seed_path(3)))
        )
    connection.close()
    runner = CliRunner()
    result = runner.invoke(app, ["check", str(seed_path(4)), "--index", str(built)], env=ENV)
    _one_error_line(result, f"{built}: the index is damaged (a stored text does not match its SHA-256)")
    with Index.open(built) as index, pytest.raises(IndexFileError, match="damaged"):
        index.text(str(seed_path(3)))
    added = runner.invoke(app, ["index", "add", str(built), str(seed_path(3))], env=ENV)
    assert added.exit_code == 0 and "0 added, 1 updated, 0 unchanged; 4 documents" in added.output
    result = runner.invoke(
        app, ["check", str(seed_path(4)), "--index", str(built), "--fail-above", "0.3"], env=ENV
    )
    assert result.exit_code == 1 and f"recycled from {seed_path(3)}" in result.output


def _alarm(signum: int, frame: object) -> None:
    raise TimeoutError("the command ran past its time")


def _outcome(args: list[str]) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of one command, stopped after 20 seconds."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(20)
    try:
        result = CliRunner().invoke(app, args, env=ENV)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert isinstance(result.exception, SystemExit | None), f"{args}: {result.exception!r}"
    return result.exit_code, result.stdout, result.stderr


def _answer(name: str, code: int, out: str) -> tuple[int, str]:
    """What a command answered; the size of the file ``index stats`` reports is left out."""
    if name == "stats" and code == 0:
        figures = json.loads(out)
        del figures["file_bytes"]
        out = json.dumps(figures)
    return code, out


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="needs SIGALRM for the timeouts")
def test_damage_gives_the_undamaged_answer_or_says_damaged(tmp_path, monkeypatch):
    db, new = tmp_path / "speeches.db", tmp_path / "new.txt"
    new.write_text(seed_text(1).replace("2022", "2031"), encoding="utf-8")
    with monkeypatch.context() as fixed:  # the same bytes on every run
        fixed.setattr(time, "time", lambda: 1.7e9)
        fixed.setattr(uuid, "uuid4", lambda: uuid.UUID(int=7))
        assert _outcome(["index", "add", str(db), *map(str, sorted(SPEECHES.glob("*.txt"))[:4])])[0] == 0
    pristine = db.read_bytes()
    commands = {
        "check": ["check", str(seed_path(4)), "--index", str(db), "--format", "json"],
        "list": ["index", "list", str(db), "--format", "json"],
        "stats": ["index", "stats", str(db), "--format", "json"],
        "add": ["index", "add", str(db), str(new)],
    }
    expected = {}
    for name, args in commands.items():
        db.write_bytes(pristine)
        expected[name] = _answer(name, *_outcome(args)[:2])
    rng = random.Random(20261201)
    for _ in range(200):
        data = bytearray(pristine)
        if rng.random() < 0.3:
            del data[rng.randrange(len(data)) :]
        else:
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        for name, args in commands.items():
            for leftover in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
                leftover.unlink(missing_ok=True)
            db.write_bytes(bytes(data))
            code, out, err = _outcome(args)
            answer = _answer(name, code, out)
            assert answer == expected[name] or (code == 2 and "damaged" in err), (name, err)


def test_a_changed_document_field_is_damage_and_add_repairs_it(built):
    with sqlite3.connect(built) as connection:
        connection.execute("UPDATE documents SET path = 'other.txt' WHERE path = ?", (str(seed_path(2)),))
    connection.close()
    runner = CliRunner()
    _one_error_line(
        runner.invoke(app, ["index", "list", str(built)], env=ENV),
        f"{built}: the index is damaged (the stored documents do not match their checksum)",
    )
    added = runner.invoke(app, ["index", "add", str(built), str(seed_path(2))], env=ENV)
    assert added.exit_code == 0 and "0 added, 1 updated, 0 unchanged; 4 documents" in added.output
    listed = runner.invoke(app, ["index", "list", str(built)], env=ENV)
    assert listed.exit_code == 0 and str(seed_path(2)) in listed.stdout


def test_changed_settings_in_the_file_are_damage(built):
    with sqlite3.connect(built) as connection:
        connection.execute(
            "UPDATE meta SET value = replace(value, '\"ngram\": 5', '\"ngram\": 4') WHERE key = 'settings'"
        )
    connection.close()
    result = CliRunner().invoke(app, ["check", str(seed_path(4)), "--index", str(built)], env=ENV)
    _one_error_line(
        result, f"{built}: the index is damaged (its format and settings do not match their checksum)"
    )
