"""The whole-document MinHash LSH of an index, kept on a Redis server.

With ``--redis redis://host:port/db`` an index keeps its whole-document LSH
on a Redis server (datasketch's storage backend), shared by a team, under
keys that start with the index's id. :meth:`WholeLSH.sync` brings it in step
with the file: documents whose path or text changed are found stale by their
key (:func:`lsh_key`) and replaced, removed ones dropped, and nothing is
inserted twice. :meth:`WholeLSH.query` proposes candidate documents for a
signature. Errors of the Redis client become one
:class:`~detector.errors.IndexFileError` naming the URL; a malformed URL is a
:class:`~detector.errors.ConfigError`.

Examples:
    >>> redis_config("redis://127.0.0.1:6380/2", "detector:x:")["redis"]
    {'host': '127.0.0.1', 'port': 6380, 'db': 2}
    >>> lsh_key("a.txt", "0123456789abcdef0123")
    b'a.txt\\x000123456789abcdef'
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import numpy as np
from datasketch import MinHashLSH

from detector.config import Config
from detector.errors import ConfigError, DetectorError, IndexFileError
from detector.index_file import IndexFile
from detector.sketch import Sketcher

__all__ = ["WholeLSH", "lsh_key", "redis_config"]


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

    def invalidate(self) -> None:
        """Forget the synced state: the documents changed, the next use syncs again."""
        self._lsh = None

    def _failed(self, exc: Exception) -> IndexFileError:
        return IndexFileError(f"{self.url}: cannot use the Redis server: {' '.join(str(exc).split())}")

    def sync(self) -> MinHashLSH:
        """The LSH on the server, brought in step with the file (once until :meth:`invalidate`).

        Raises:
            IndexFileError: The server cannot be reached or refuses.
        """
        if self._lsh is not None:
            return self._lsh
        storage = redis_config(self.url, f"detector:{self.file.meta('index_id')}:")
        rows = self.file.connection.execute(
            "SELECT id, path, sha256, signature FROM documents ORDER BY id"
        ).fetchall()
        self._keys = {lsh_key(path, digest): number for number, path, digest, _ in rows}
        try:
            lsh = MinHashLSH(
                threshold=self.config.lsh_threshold,
                num_perm=self.config.num_perm,
                storage_config=storage,
                prepickle=False,
            )
            present = set()
            for key in list(lsh.keys.keys()):
                if key in self._keys:
                    present.add(key)
                else:
                    lsh.remove(key)
            with lsh.insertion_session(buffer_size=1000) as session:
                for _, path, digest, signature in rows:
                    key = lsh_key(path, digest)
                    if key not in present:
                        session.insert(key, self._minhash(signature), check_duplication=False)
        except DetectorError:
            raise
        except Exception as exc:  # the Redis client's errors
            raise self._failed(exc) from None
        self._lsh = lsh
        return lsh

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
