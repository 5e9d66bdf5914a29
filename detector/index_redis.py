"""The whole-document MinHash LSH of an index, kept on a Redis server.

With ``--redis redis://host:port/db`` an index keeps its whole-document LSH
on a Redis server (datasketch's storage backend), shared by a team, under
keys that start with the index's id. :meth:`WholeLSH.sync` brings it in step
with the file: documents whose path or text changed are found stale by their
key (:func:`lsh_key`) and replaced, removed ones dropped, and nothing is
inserted twice. A marker written last (:func:`sync_marker`: the index's id,
generation, bands and a digest of its keys) says the LSH on the server is
complete for the file as it stands; it is deleted before any write, so a sync
that was interrupted leaves none, and the next use drops the index's keys
and inserts every document again. Syncs of one index run one at a time: a
sync holds a lock on the server (renewed as it works, so a killed process
holds it for :data:`LOCK_SECONDS` at most) and the others wait for it, then
find the marker it wrote. :meth:`WholeLSH.query` proposes candidate
documents for a signature. Errors of the Redis client become one
:class:`~detector.errors.IndexFileError` naming the URL; a malformed URL is a
:class:`~detector.errors.ConfigError`.

Examples:
    >>> redis_config("redis://127.0.0.1:6380/2", "detector:x:")["redis"]
    {'host': '127.0.0.1', 'port': 6380, 'db': 2}
    >>> lsh_key("a.txt", "0123456789abcdef0123")
    b'a.txt\\x000123456789abcdef'
    >>> sync_marker("f00d", 7, (37, 3), [b"b", b"a"])[:16]
    b'f00d 7 37 3 01ce'
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import numpy as np

from detector.config import Config
from detector.errors import ConfigError, DetectorError, IndexFileError
from detector.index_file import IndexFile
from detector.sketch import Sketcher

if TYPE_CHECKING:
    from datasketch import MinHashLSH

__all__ = ["LOCK_SECONDS", "LOCK_WAIT_SECONDS", "WholeLSH", "lsh_key", "redis_config", "sync_marker"]

#: Seconds the lock of a sync lasts unless renewed; the sync renews it every :data:`_RENEW_EVERY` steps.
LOCK_SECONDS = 10.0

#: Seconds a sync waits for another sync of the same index to finish before it gives up.
LOCK_WAIT_SECONDS = 600.0

#: Documents inserted, keys removed or key batches deleted between two renewals of the lock.
_RENEW_EVERY = 100


def redis_config(url: str, basename: str = "") -> dict[str, Any]:
    """The datasketch storage settings for a Redis URL.

    Args:
        url: ``redis://host:port/db`` (port 6379 and database 0 by default).
        basename: Prefix of every key the LSH writes.

    Raises:
        ConfigError: Not a Redis URL, or its port or database is not a number
            in range.

    Examples:
        >>> redis_config("redis://cache")["redis"]
        {'host': 'cache', 'port': 6379, 'db': 0}
        >>> redis_config("redis://127.0.0.1:99999/0")
        Traceback (most recent call last):
        ...
        detector.errors.ConfigError: redis://127.0.0.1:99999/0: the port must be a number from 1 to 65535
    """
    parsed = urlparse(url)
    if parsed.scheme != "redis" or not parsed.hostname:
        raise ConfigError(f"{url}: not a Redis URL; expected redis://host:port/db")
    try:
        port = parsed.port or 6379
    except ValueError:
        raise ConfigError(f"{url}: the port must be a number from 1 to 65535") from None
    try:
        db = int(parsed.path.strip("/") or 0)
    except ValueError:
        raise ConfigError(f"{url}: the database must be a number, as in redis://host:6379/0") from None
    return {
        "type": "redis",
        "basename": basename.encode(),
        "redis": {"host": parsed.hostname, "port": port, "db": db},
    }


def lsh_key(path: str, digest: str) -> bytes:
    """Key of a document in the whole-document LSH: its path and the start of its SHA-256."""
    return f"{path}\0{digest[:16]}".encode()


def sync_marker(index_id: str, generation: int, bands: tuple[int, int], keys: Iterable[bytes]) -> bytes:
    """The marker of a complete sync: index id, generation, bands and rows per band, digest of the keys."""
    digest = hashlib.sha256(b"\xff".join(sorted(keys))).hexdigest()
    return f"{index_id} {generation} {bands[0]} {bands[1]} {digest}".encode()


def _same_layout(found: bytes, marker: bytes) -> bool:
    """Whether two markers name the same index and bands (whatever their generation and keys)."""
    old, new = found.split(b" "), marker.split(b" ")
    return len(old) == len(new) == 5 and old[0] == new[0] and old[2:4] == new[2:4]


def _pattern(prefix: bytes) -> bytes:
    """A Redis ``SCAN`` pattern matching the keys that start with ``prefix``."""
    return re.sub(rb"([\\*?\[\]])", rb"\\\1", prefix) + b"*"


class WholeLSH:
    """The whole-document LSH of one index file, on a Redis server.

    Args:
        url: ``redis://host:port/db``.
        file: The open index file.
        config: The settings the index was built with.
        sketcher: Turns stored signatures into MinHashes.

    Raises:
        ConfigError: ``url`` is not a Redis URL.
    """

    def __init__(self, url: str, file: IndexFile, config: Config, sketcher: Sketcher) -> None:
        redis_config(url)
        self.url = url
        self.file = file
        self.config = config
        self.sketcher = sketcher
        self._lsh: MinHashLSH | None = None
        self._keys: dict[bytes, int] = {}
        self._lock: Any = None

    def invalidate(self) -> None:
        """Forget the synced state: the documents changed, the next use syncs again."""
        self._lsh = None

    def _failed(self, exc: Exception) -> IndexFileError:
        return IndexFileError(f"{self.url}: cannot use the Redis server: {' '.join(str(exc).split())}")

    def sync(self) -> MinHashLSH:
        """The LSH on the server, brought in step with the file (once until :meth:`invalidate`).

        Nothing is written when the server's marker matches the file; a sync
        that was interrupted is redone from scratch. Another sync of the same
        index (another process) is waited for, up to :data:`LOCK_WAIT_SECONDS`.

        Raises:
            IndexFileError: The server cannot be reached or refuses, or
                another sync of the index held it too long.
        """
        if self._lsh is not None:
            return self._lsh
        index_id = self.file.meta("index_id")
        storage = redis_config(self.url, f"detector:{index_id}:")
        rows = self.file.connection.execute("SELECT id, path, sha256 FROM documents ORDER BY id").fetchall()
        self._keys = {lsh_key(path, digest): number for number, path, digest in rows}
        try:
            import redis
            from datasketch import MinHashLSH

            lsh = MinHashLSH(
                threshold=self.config.lsh_threshold,
                num_perm=self.config.num_perm,
                storage_config=storage,
                prepickle=False,
            )
            marker = sync_marker(index_id, self.file.generation(), (lsh.b, lsh.r), self._keys)
            with redis.Redis(**storage["redis"]) as client:
                self._bring_in_step(client, storage["basename"], lsh, marker)
        except DetectorError:
            raise
        except Exception as exc:  # the Redis client's errors
            raise self._failed(exc) from None
        self._lsh = lsh
        return lsh

    def _bring_in_step(self, client: Any, basename: bytes, lsh: MinHashLSH, marker: bytes) -> None:
        """Complete the LSH for the file unless its marker says it is, holding the index's lock.

        Raises:
            IndexFileError: Another sync held the lock past :data:`LOCK_WAIT_SECONDS`,
                or this one lost it.
        """
        if client.get(basename + b"synced") == marker:
            return
        from redis.exceptions import LockError

        lock = client.lock(basename + b"lock", timeout=LOCK_SECONDS, blocking_timeout=LOCK_WAIT_SECONDS)
        if not lock.acquire():
            raise IndexFileError(
                f"{self.url}: another sync of this index did not finish within {LOCK_WAIT_SECONDS:g} s"
            )
        self._lock = lock
        try:
            self._complete(client, basename, lsh, marker)
        except LockError:
            raise IndexFileError(
                f"{self.url}: this sync of the index lost its lock to another one; run the command again"
            ) from None
        finally:
            self._lock = None
            with contextlib.suppress(LockError):
                lock.release()

    def _renew(self, step: int = 0) -> None:
        """Renew the lock of the sync every :data:`_RENEW_EVERY` steps (and at step 0)."""
        if self._lock is not None and step % _RENEW_EVERY == 0:
            self._lock.reacquire()

    def _complete(self, client: Any, basename: bytes, lsh: MinHashLSH, marker: bytes) -> None:
        """Complete the LSH for the file unless its marker says it is; write the marker last.

        A marker of this index with the same bands says the server holds a
        complete earlier state: stale keys are removed and missing ones
        inserted. Without one, an earlier sync was interrupted (or there was
        none): the index's keys are dropped and every document inserted.
        """
        found = client.get(basename + b"synced")
        if found == marker:
            return
        client.delete(basename + b"synced")
        present: set[bytes] = set()
        if found is not None and _same_layout(found, marker):
            present = self._remove_stale(lsh)
        else:
            self._drop(client, basename)
        self._insert(lsh, set(self._keys) - present)
        self._renew()
        client.set(basename + b"synced", marker)

    def _remove_stale(self, lsh: MinHashLSH) -> set[bytes]:
        """Remove the keys the file no longer has; the keys that remain."""
        present = set()
        for step, key in enumerate(list(lsh.keys.keys())):
            self._renew(step)
            if key in self._keys:
                present.add(key)
            else:
                lsh.remove(key)
        return present

    def _drop(self, client: Any, basename: bytes) -> None:
        """Delete every key of this index's LSH on the server (its lock excepted)."""
        lock = basename + b"lock"
        batch: list[bytes] = []
        for key in client.scan_iter(match=_pattern(basename), count=1000):
            if key == lock:
                continue
            batch.append(key)
            if len(batch) == 1000:
                self._renew()
                client.delete(*batch)
                batch.clear()
        if batch:
            client.delete(*batch)

    def _insert(self, lsh: MinHashLSH, keys: set[bytes]) -> None:
        """Insert the documents with these keys."""
        if not keys:
            return
        rows = self.file.connection.execute("SELECT path, sha256, signature FROM documents ORDER BY id")
        with lsh.insertion_session(buffer_size=1000) as session:
            for step, (path, digest, signature) in enumerate(rows):
                self._renew(step)
                key = lsh_key(path, digest)
                if key in keys:
                    session.insert(key, self._minhash(signature), check_duplication=False)

    def _minhash(self, blob: bytes) -> Any:
        return self.sketcher.minhash(self.file.array(blob, "<u4", "signatures", self.config.num_perm))

    def query(self, signature: np.ndarray) -> set[int]:
        """Ids of the indexed documents the LSH proposes for a signature.

        Raises:
            IndexFileError: The server cannot be reached or refuses.
        """
        lsh = self.sync()
        try:
            found = lsh.query(self.sketcher.minhash(signature))
        except Exception as exc:  # the Redis client's errors
            raise self._failed(exc) from None
        return {self._keys[key] for key in found if key in self._keys}
