"""The Redis side of an index without a server: URLs, keys, and errors as one line.

The LSH on a real server is tested in tests/test_redis.py.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from detector.cli import app
from detector.errors import ConfigError
from detector.index_redis import _pattern, _same_layout, lsh_key, redis_config, sync_marker
from detector.store import Index

from .conftest import seed_path

ENV = {"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}


def test_redis_urls():
    assert redis_config("redis://10.0.0.5:6380/3", "detector:x:") == {
        "type": "redis",
        "basename": b"detector:x:",
        "redis": {"host": "10.0.0.5", "port": 6380, "db": 3},
    }
    assert redis_config("redis://cache")["redis"] == {"host": "cache", "port": 6379, "db": 0}
    for url, said in (
        ("http://x", "not a Redis URL"),
        ("redis://", "not a Redis URL"),
        ("redis://127.0.0.1:99999/0", "the port must be a number from 1 to 65535"),
        ("redis://127.0.0.1:port/0", "the port must be a number"),
        ("redis://127.0.0.1:6379/zero", "the database must be a number"),
    ):
        with pytest.raises(ConfigError, match=f"^{url}: {said}"):
            redis_config(url)


def test_lsh_keys_change_with_the_text():
    assert lsh_key("a.txt", "0123456789abcdef0123") == b"a.txt\x000123456789abcdef"
    assert lsh_key("a.txt", "0123456789abcdefXXXX") == lsh_key("a.txt", "0123456789abcdef0123")
    assert lsh_key("a.txt", "f" * 64) != lsh_key("a.txt", "0" * 64)


def test_sync_markers_name_the_state_they_mark():
    marker = sync_marker("id", 3, (37, 3), [b"a", b"b"])
    assert marker == sync_marker("id", 3, (37, 3), [b"b", b"a"])
    assert marker != sync_marker("id", 3, (37, 3), [b"a"])
    assert marker != sync_marker("id", 4, (37, 3), [b"a", b"b"])
    # A complete earlier state of the same index and bands is brought up to date, anything else rebuilt.
    assert _same_layout(marker, sync_marker("id", 9, (37, 3), [b"c"]))
    assert not _same_layout(marker, sync_marker("other", 3, (37, 3), [b"a", b"b"]))
    assert not _same_layout(marker, sync_marker("id", 3, (20, 6), [b"a", b"b"]))
    assert not _same_layout(b"not a marker", marker)


def test_drop_patterns_match_one_prefix():
    assert _pattern(b"detector:0f:") == b"detector:0f:*"
    assert _pattern(b"detector:a*[b]?\\:") == b"detector:a\\*\\[b\\]\\?\\\\:*"


def test_a_bad_port_is_refused_before_the_index_opens(tmp_path):
    db = tmp_path / "i.db"
    with Index.create(db):
        pass
    with pytest.raises(ConfigError, match="99999"):
        Index.open(db, redis="redis://127.0.0.1:99999/0")
    with pytest.raises(ConfigError, match="99999"):
        Index.create(tmp_path / "new.db", redis="redis://127.0.0.1:99999/0")
    assert not (tmp_path / "new.db").exists()


@pytest.mark.parametrize("command", ["check", "add", "remove"])
def test_a_bad_port_is_one_line(tmp_path, command):
    runner = CliRunner()
    db = str(tmp_path / "i.db")
    assert runner.invoke(app, ["index", "add", db, str(seed_path(0))], env=ENV).exit_code == 0
    url = "redis://127.0.0.1:99999/0"
    args = {
        "check": ["check", str(seed_path(4)), "--index", db, "--redis", url],
        "add": ["index", "add", db, str(seed_path(1)), "--redis", url],
        "remove": ["index", "remove", db, str(seed_path(0)), "--redis", url],
    }[command]
    result = runner.invoke(app, args, env=ENV)
    assert result.exit_code == 2, result.output
    assert result.stderr == f"error: {url}: the port must be a number from 1 to 65535\n"
    assert "Traceback" not in result.output
