"""Documents of an index are identified by what they are: their file (any spelling) and their text."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detector import Document
from detector.cli import app
from detector.store import Index

from .conftest import seed_path, seed_text

ENV = {"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), env=ENV)


@pytest.fixture
def archive(tmp_path, monkeypatch) -> Path:
    """Seeds 000–003 in ``archive/``, indexed by relative paths from ``tmp_path`` (the working folder)."""
    folder = tmp_path / "archive"
    folder.mkdir()
    for n in range(4):
        shutil.copy(seed_path(n), folder / seed_path(n).name)
    monkeypatch.chdir(tmp_path)
    result = invoke("index", "add", "speeches.db", *(f"archive/{seed_path(n).name}" for n in range(4)))
    assert result.exit_code == 0, result.output
    return folder


def listed() -> list[dict]:
    result = invoke("index", "list", "speeches.db", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return data if isinstance(data, list) else data["documents"]


def checked(draft: str | Path) -> tuple[int, dict]:
    result = invoke("check", str(draft), "--index", "speeches.db", "--format", "json", "--fail-above", "0.3")
    return result.exit_code, json.loads(result.stdout)["drafts"][0]


def test_a_draft_indexed_by_another_spelling_is_not_its_own_source(archive):
    relative = f"archive/{seed_path(0).name}"
    code, report = checked(archive.resolve() / seed_path(0).name)
    assert code == 0
    assert report["already_indexed_as"] == relative
    assert relative not in [s["path"] for s in report["sources"]]
    assert relative not in [m["path"] for m in report["near_duplicates"]]
    assert report["copy_ratio"] < 0.3 and not report["recycled"]


def test_a_copy_of_an_indexed_text_is_reported_as_already_indexed(archive, tmp_path):
    copy = tmp_path / "draft.txt"
    shutil.copy(seed_path(3), copy)
    code, report = checked(copy)
    assert code == 0 and report["already_indexed_as"] == f"archive/{seed_path(3).name}"
    assert all(s["path"] != f"archive/{seed_path(3).name}" for s in report["sources"])


def test_a_draft_not_indexed_still_finds_its_sources(archive):
    code, report = checked(seed_path(4))
    assert code == 1 and report["already_indexed_as"] is None
    assert report["sources"][0]["path"] == f"archive/{seed_path(3).name}"


def test_adding_by_another_spelling_updates_instead_of_doubling(archive):
    name = seed_path(1).name
    spellings = str(archive.resolve() / name), f"./archive/../archive/{name}"
    result = invoke("index", "add", "speeches.db", *spellings)
    assert result.exit_code == 0 and "0 added, 0 updated, 1 unchanged; 4 documents" in result.output
    (archive / name).write_text(seed_text(1).replace("2022", "2025"), encoding="utf-8")
    result = invoke("index", "add", "speeches.db", str(archive.resolve() / name))
    assert result.exit_code == 0 and "0 added, 1 updated, 0 unchanged; 4 documents" in result.output
    keys = [d["key"] for d in listed()]
    assert len(keys) == len(set(keys)) == 4 and str(archive.resolve() / name) in keys


@pytest.mark.parametrize("spelling", ["absolute", "dotted", "shown"])
def test_removing_works_by_any_spelling(archive, spelling):
    name = seed_path(2).name
    key = {
        "absolute": str(archive.resolve() / name),
        "dotted": f"./archive/{name}",
        "shown": f"archive/{name}",
    }
    result = invoke("index", "remove", "speeches.db", key[spelling])
    assert result.exit_code == 0, result.output
    assert [d["path"] for d in listed()] == [f"archive/{seed_path(n).name}" for n in (0, 1, 3)]


def test_the_key_is_the_file_from_any_working_folder(archive, monkeypatch):
    monkeypatch.chdir(archive)
    result = invoke("index", "add", "../speeches.db", seed_path(0).name)
    assert result.exit_code == 0 and "1 unchanged; 4 documents" in result.output
    result = invoke("check", seed_path(0).name, "--index", "../speeches.db", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["drafts"][0]["already_indexed_as"] == f"archive/{seed_path(0).name}"


def test_one_add_naming_a_file_twice_stores_it_once(archive):
    name = seed_path(1).name
    spellings = [f"archive/{name}", str(archive.resolve() / name)]
    with Index.open("speeches.db") as index:
        result = index.add([Document(p, seed_text(1), p) for p in spellings])
        assert result.unchanged == tuple(spellings) and len(index) == 4
        index.remove([str(archive.resolve() / name)])
        result = index.add([Document(p, seed_text(1), p) for p in spellings])
        assert result.added == (spellings[0],) and result.unchanged == (spellings[1],) and len(index) == 4


def test_an_index_of_the_former_format_asks_to_be_rebuilt(archive):
    with sqlite3.connect("speeches.db") as connection:
        connection.execute("UPDATE meta SET value = '2' WHERE key = 'format_version'")
    connection.close()
    result = invoke("check", str(seed_path(4)), "--index", "speeches.db")
    assert result.exit_code == 2
    assert "index format 2, this detector reads format 3; rebuild it" in " ".join(result.output.split())


def test_a_file_name_that_is_not_utf8_is_added_listed_and_removed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "nu"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9-003.txt")
    (folder / name).write_text(seed_text(3), encoding="utf-8")
    assert invoke("index", "add", "i.db", "nu").exit_code == 0
    (entry,) = json.loads(invoke("index", "list", "i.db", "--format", "json").stdout)
    assert entry["path"] == "nu/caf\\xe9-003.txt"
    removed = invoke("index", "remove", "i.db", f"nu/{name}")
    assert removed.exit_code == 0, removed.output
    assert removed.stdout == "i.db: 1 removed; 0 documents\n"


def test_a_text_with_a_lone_surrogate_is_stored_and_read_back(tmp_path):
    text = seed_text(3) + "\ud800"
    with Index.create(tmp_path / "i.db") as index:
        index.add([Document("odd.txt", text, "odd.txt")])
        assert index.text("odd.txt") == text
