"""The whole-document LSH on a real Redis server, started on loopback for the test."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmarks.recycle import recycle
from detector.cli import app
from detector.store import Index

from .conftest import ROOT, seed_path

ENV = {"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}

#: Loaded by the CLI processes of the test: kill -9 after this many writes of datasketch's Redis buffers.
KILL_HOOK = """
import os, signal
if os.environ.get("KILL_AFTER_REDIS_WRITES"):
    from datasketch import storage
    left = [int(os.environ["KILL_AFTER_REDIS_WRITES"])]
    execute = storage.RedisBuffer.execute
    def killing(self, *args, **kwargs):
        done = execute(self, *args, **kwargs)
        left[0] -= 1
        if left[0] == 0:
            os.kill(os.getpid(), signal.SIGKILL)
        return done
    storage.RedisBuffer.execute = killing
"""


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


def _recycled(folder: Path, variants: range) -> list[str]:
    """Recycled copies of the five seed speeches, ``variants`` of each."""
    paths = []
    for seed in range(5):
        text = seed_path(seed).read_text(encoding="utf-8")
        for variant in variants:
            path = folder / f"s{seed}_v{variant}.txt"
            path.write_text(recycle(text, seed=variant).text, encoding="utf-8")
            paths.append(str(path))
    return paths


def _killed_add(tmp_path: Path, db: str, files: list[str], url: str, writes: int) -> None:
    """``detector index add --redis`` in its own process, killed -9 after ``writes`` buffered writes."""
    (tmp_path / "hook").mkdir(exist_ok=True)
    (tmp_path / "hook" / "sitecustomize.py").write_text(KILL_HOOK, encoding="utf-8")
    env = {
        **os.environ,
        **ENV,
        "PYTHONPATH": os.pathsep.join([str(tmp_path / "hook"), str(ROOT)]),
        "KILL_AFTER_REDIS_WRITES": str(writes),
    }
    command = [sys.executable, "-m", "detector.cli", "index", "add", db, *files, "--redis", url]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == -9, done.stderr


def _check(draft: str, db: str, url: str) -> dict:
    """The JSON answer of ``detector check`` with the LSH as the only source of candidates."""
    args = ["check", draft, "--index", db, "--redis", url, "--format", "json", "--max-candidates", "1"]
    result = CliRunner().invoke(app, args, env=ENV)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def _fresh(db: Path, batches: list[list[str]], url: str, draft: str) -> dict:
    """The answer of an index built again, batch by batch, on an empty Redis database."""
    for batch in batches:
        added = CliRunner().invoke(app, ["index", "add", str(db), *batch, "--redis", url], env=ENV)
        assert added.exit_code == 0, added.output
    return _check(draft, str(db), url)


def test_a_sync_killed_midway_is_rebuilt(tmp_path, redis_url):
    """Killed during its sync, ``index add`` leaves keys in some bands only: every later check sees all."""
    url, client = redis_url
    draft = tmp_path / "draft.txt"
    draft.write_text(recycle(seed_path(0).read_text(encoding="utf-8"), seed=99).text, encoding="utf-8")
    batches = [_recycled(tmp_path, variants) for variants in (range(4), range(4, 6), range(6, 8))]
    db = str(tmp_path / "team.db")
    client.set(b"detector:another-index:synced", b"kept")
    # An insertion writes 38 buffers, the keys then the 37 bands: killed after the keys, in the middle
    # of the bands (adding to a synced index), before the last band.
    for step, writes in enumerate((1, 19, 37)):
        _killed_add(tmp_path, db, batches[step], url, writes)
        fresh_url = f"{url[:-1]}{step + 1}"
        fresh = _fresh(tmp_path / f"fresh{step}.db", batches[: step + 1], fresh_url, str(draft))
        assert len(fresh["drafts"][0]["near_duplicates"]) == 4 + 2 * step  # the copies of its speech
        for _ in range(2):
            assert _check(str(draft), db, url) == fresh
    assert len(client.keys("detector:*:synced")) == 2
    assert client.get(b"detector:another-index:synced") == b"kept"


#: Loaded by the CLI processes of the test: each process starts its sync once all have come to it
#: (each writes its pid into SYNC_BARRIER and waits for the others'), and every write of datasketch's
#: Redis buffers takes longer, so that the syncs overlap.
TOGETHER_HOOK = """
import os, time
if os.environ.get("SYNC_BARRIER"):
    from datasketch import storage
    from detector import index_redis
    folder, count = os.environ["SYNC_BARRIER"], int(os.environ["SYNC_PROCESSES"])
    bring = index_redis.WholeLSH._bring_in_step
    def together(self, *args, **kwargs):
        open(os.path.join(folder, str(os.getpid())), "w").close()
        deadline = time.monotonic() + 60
        while len(os.listdir(folder)) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return bring(self, *args, **kwargs)
    index_redis.WholeLSH._bring_in_step = together
    execute = storage.RedisBuffer.execute
    def slow(self, *args, **kwargs):
        time.sleep(0.05)
        return execute(self, *args, **kwargs)
    storage.RedisBuffer.execute = slow
"""


def _contents(client) -> dict[bytes, object]:
    """Every key of detector on a Redis database with its value (sets sorted, lists in order)."""
    found: dict[bytes, object] = {}
    for key in client.scan_iter(match=b"detector:*"):
        kind = client.type(key)
        if kind == b"string":
            found[key] = client.get(key)
        elif kind == b"list":
            found[key] = client.lrange(key, 0, -1)
        elif kind == b"set":
            found[key] = sorted(client.smembers(key))
        elif kind == b"hash":
            found[key] = sorted(client.hgetall(key).items())
        else:
            found[key] = kind
    return found


def test_two_syncs_at_once_leave_the_state_of_one(tmp_path, redis_url):
    """Two ``check --redis`` processes sync one index at once: the server ends as after one sync."""
    url, client = redis_url
    draft = tmp_path / "draft.txt"
    draft.write_text(recycle(seed_path(0).read_text(encoding="utf-8"), seed=99).text, encoding="utf-8")
    db = str(tmp_path / "team.db")
    added = CliRunner().invoke(app, ["index", "add", db, *_recycled(tmp_path, range(3))], env=ENV)
    assert added.exit_code == 0, added.output
    (tmp_path / "hook").mkdir()
    (tmp_path / "hook" / "sitecustomize.py").write_text(TOGETHER_HOOK, encoding="utf-8")
    (tmp_path / "barrier").mkdir()
    env = {
        **os.environ,
        **ENV,
        "PYTHONPATH": os.pathsep.join([str(tmp_path / "hook"), str(ROOT)]),
        "SYNC_BARRIER": str(tmp_path / "barrier"),
        "SYNC_PROCESSES": "2",
    }
    args = ["check", str(draft), "--index", db, "--redis", url, "--format", "json", "--max-candidates", "1"]
    command = [sys.executable, "-m", "detector.cli", *args]
    processes = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    for process, (_, err) in zip(processes, outputs, strict=True):
        assert process.returncode in (0, 1) and err == "", err
    assert len(os.listdir(tmp_path / "barrier")) == 2
    fresh_url = f"{url[:-1]}1"
    fresh = _check(str(draft), db, fresh_url)
    assert len(fresh["drafts"][0]["near_duplicates"]) == 3
    assert [json.loads(out) for out, _ in outputs] == [fresh, fresh]
    kwargs = client.connection_pool.connection_kwargs
    fresh_client = type(client)(host=kwargs["host"], port=kwargs["port"], db=1)
    with fresh_client:
        expected = _contents(fresh_client)
    assert any(key.endswith(b":synced") for key in expected)
    assert _contents(client) == expected
    assert _check(str(draft), db, url) == fresh


def test_a_sync_waits_for_the_lock_and_says_so(tmp_path, redis_url, monkeypatch):
    """A sync that cannot get the index's lock in time is one error line, and writes nothing."""
    url, client = redis_url
    db = str(tmp_path / "team.db")
    added = CliRunner().invoke(app, ["index", "add", db, str(seed_path(0)), str(seed_path(3))], env=ENV)
    assert added.exit_code == 0, added.output
    with closing(sqlite3.connect(db)) as connection:
        (index_id,) = connection.execute("SELECT value FROM meta WHERE key = 'index_id'").fetchone()
    basename = f"detector:{index_id}:".encode()
    held = client.lock(basename + b"lock", timeout=30)
    assert held.acquire(blocking=False)
    monkeypatch.setattr("detector.index_redis.LOCK_WAIT_SECONDS", 0.5)
    result = CliRunner().invoke(app, ["check", str(seed_path(4)), "--index", db, "--redis", url], env=ENV)
    assert result.exit_code == 2
    assert result.stderr == f"error: {url}: another sync of this index did not finish within 0.5 s\n"
    assert client.keys(basename + b"*") == [basename + b"lock"]
    held.release()
    result = CliRunner().invoke(
        app, ["check", str(seed_path(4)), "--index", db, "--redis", url, "--fail-on", "recycled"], env=ENV
    )
    assert result.exit_code == 1 and f"recycled from {seed_path(3)}" in result.output
    assert client.get(basename + b"synced") is not None and not client.exists(basename + b"lock")
