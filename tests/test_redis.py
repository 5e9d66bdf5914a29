"""The whole-document LSH on a real Redis server, started on loopback for the test."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest
from typer.testing import CliRunner

from detector.cli import app
from detector.store import Index

from .conftest import seed_path

ENV = {"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    redis = pytest.importorskip("redis")
    port = _free_port()
    process = subprocess.Popen(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(host="127.0.0.1", port=port)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("redis-server did not start")
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0", client
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_shared_lsh_on_redis(tmp_path, redis_url):
    url, client = redis_url
    runner = CliRunner()
    db = str(tmp_path / "team.db")
    added = runner.invoke(
        app, ["index", "add", db, *(str(seed_path(n)) for n in (0, 1, 2, 3)), "--redis", url], env=ENV
    )
    assert added.exit_code == 0, added.output
    keys = client.keys("detector:*")
    assert keys, "the LSH was not written to Redis"
    failed = runner.invoke(
        app, ["check", str(seed_path(4)), "--index", db, "--redis", url, "--fail-on", "recycled"], env=ENV
    )
    assert failed.exit_code == 1, failed.output
    assert f"recycled from {seed_path(3)}" in failed.output
    # Opening the index again uses the shared LSH as it stands: nothing is inserted twice.
    before = {key: client.type(key) for key in client.keys("detector:*")}
    with Index.open(db, redis=url) as index:
        matches = index.near_duplicates(seed_path(4).read_text(encoding="utf-8"))
        assert [m.id for m in matches] == [str(seed_path(3))]
    assert {key: client.type(key) for key in client.keys("detector:*")} == before
    removed = runner.invoke(app, ["index", "remove", db, str(seed_path(3)), "--redis", url], env=ENV)
    assert removed.exit_code == 0, removed.output
    passed = runner.invoke(
        app, ["check", str(seed_path(4)), "--index", db, "--redis", url, "--fail-on", "recycled"], env=ENV
    )
    assert passed.exit_code == 0, passed.output


def test_unreachable_redis_is_one_line(tmp_path):
    pytest.importorskip("redis")
    runner = CliRunner()
    db = str(tmp_path / "i.db")
    runner.invoke(app, ["index", "add", db, str(seed_path(0))], env=ENV)
    url = f"redis://127.0.0.1:{_free_port()}/0"
    result = runner.invoke(app, ["check", str(seed_path(4)), "--index", db, "--redis", url], env=ENV)
    assert result.exit_code == 2
    assert (
        result.stderr.startswith(f"error: {url}: cannot use the Redis server")
        and len(result.stderr.splitlines()) == 1
    )
    bad = runner.invoke(app, ["check", str(seed_path(4)), "--index", db, "--redis", "http://x"], env=ENV)
    assert bad.exit_code == 2 and "not a Redis URL" in bad.stderr
