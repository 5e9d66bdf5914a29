"""A persistent corpus index in one SQLite file.

The file holds, for every document: its path, the SHA-256 of its text, the
text itself and its normalised text with the offset map (compressed), and
its whole-document MinHash signature; beside them the window LSH over all
documents with each band's keys kept sorted (merged when documents are added
or removed, so opening reads them instead of sorting), the common phrases
learned from the corpus, the settings the index was built with and the
format version. Checking a draft reads only the candidate documents' texts.

Writes are transactions: documents are committed in batches, so a crash or a
``kill -9`` in the middle of a large ``add`` leaves an index that opens and
holds every batch committed before it (documents committed but not yet
merged into the window bands are sketched again when the index is next
used). The file is in WAL mode with a busy
timeout: a second writer waits for the first instead of failing.

Whole-document near-duplicates are verified among the documents a check
finds passages in; with a Redis server (datasketch's storage backend) the
whole-document MinHash LSH lives there, shared by a team, and proposes
candidates too. The rest stays in the file.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import itertools
import json
import signal
import sqlite3
import sys
import time
import uuid
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
from datasketch import MinHashLSH

from detector.canonical import canonical_phrases
from detector.config import INDEX_SETTINGS, Config
from detector.errors import ConfigError, DetectorError, EmptyDocumentError, IndexFileError, SourceError
from detector.fingerprint import Fingerprint, Fingerprinter
from detector.normalize import FurnitureRules, NormalizedText
from detector.passages import WindowIndex
from detector.phrases import LEARN_SAMPLE, StockPhrases, learn_common, load_phrases, sample_key
from detector.report import Match, Report
from detector.reuse import ReuseIndex
from detector.scoring import PairScorer, rank
from detector.shingle import shingle_set
from detector.sketch import Sketcher
from detector.sources import Document
from detector.swaps import Lexicon

__all__ = ["FORMAT_VERSION", "AddResult", "Index", "IndexedDocument"]

#: Version of the file layout; an index of another version must be rebuilt.
FORMAT_VERSION = 2
_FORMAT = "detector-index"
_BATCH = 64
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL,
    encoding TEXT,
    characters INTEGER NOT NULL,
    added REAL NOT NULL,
    sample_key INTEGER NOT NULL,
    text BLOB NOT NULL,
    normalized BLOB NOT NULL,
    signature BLOB NOT NULL,
    merged INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX documents_sample ON documents (sample_key);
CREATE TABLE segments (
    band INTEGER PRIMARY KEY,
    keys BLOB NOT NULL,
    owners BLOB NOT NULL
);
CREATE TABLE common (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL,
    hashes BLOB NOT NULL
);
"""


@dataclass(frozen=True)
class IndexedDocument:
    """One document of an index, as listed.

    Attributes:
        id: Its number in the index.
        path: The path it was added from.
        sha256: SHA-256 of its text (UTF-8).
        characters: Length of its normalised text.
        added: When it was added (Unix time).
    """

    id: int
    path: str
    sha256: str
    characters: int
    added: float

    def to_dict(self) -> dict[str, Any]:
        """The document as a plain dict."""
        return asdict(self)


@dataclass(frozen=True)
class AddResult:
    """What an ``add`` did.

    Attributes:
        added: Paths newly added.
        updated: Paths whose text changed and were replaced.
        unchanged: Paths already indexed with the same text (left alone).
    """

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()


def _redis_config(url: str, basename: str) -> dict[str, Any]:
    parsed = urlparse(url)
    if parsed.scheme != "redis" or not parsed.hostname:
        raise ConfigError(f"{url}: not a Redis URL; expected redis://host:port/db")
    try:
        db = int(parsed.path.strip("/") or 0)
    except ValueError:
        raise ConfigError(f"{url}: the database must be a number, as in redis://host:6379/0") from None
    return {
        "type": "redis",
        "basename": basename.encode(),
        "redis": {"host": parsed.hostname, "port": parsed.port or 6379, "db": db},
    }


def _worker_init() -> None:
    """Make a sketching worker die with the process that started it (Linux), never linger."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            return


def _fingerprints(
    texts: Sequence[str], config: Config, rules: FurnitureRules | None
) -> list[tuple[Any, ...] | None]:
    """What the file stores of each text, sketched in one batch (``None``: nothing to match).

    A module function, so that worker processes can run it.
    """
    made = Fingerprinter(config, rules).batch(
        [Document("", text) for text in texts], keep_form=True, windows=True
    )
    return [None if fp is None else _row(fp) for fp in made]


def _row(fp: Fingerprint) -> tuple[Any, ...]:
    """The stored columns of one fingerprint, then its window keys."""
    assert fp.form is not None
    return (
        fp.length,
        sample_key(fp.form.codepoints()),
        zlib.compress(fp.document.text.encode("utf-8"), 1),
        _pack(fp.form),
        fp.signature.astype("<u4").tobytes(),
        fp.windows,
    )


def _pack(norm: NormalizedText) -> bytes:
    """A normalised text and its offset map, compressed for the file."""
    steps = np.diff(norm.offsets, prepend=0).astype("<u4")
    return zlib.compress(norm.text.encode("utf-8") + b"\0" + steps.tobytes(), 1)


def _unpack(blob: bytes, original: str = "") -> NormalizedText:
    """The normalised text :func:`_pack` stored (its ``original`` when given)."""
    packed = zlib.decompress(blob)
    cut = packed.index(b"\0")
    offsets = np.cumsum(np.frombuffer(packed[cut + 1 :], dtype="<u4"), dtype=np.int64)
    return NormalizedText(packed[:cut].decode("utf-8"), offsets, original)


def _lsh_key(path: str, digest: str) -> bytes:
    """Key of a document in the whole-document LSH: its path and the start of its SHA-256."""
    return f"{path}\0{digest[:16]}".encode()


class Index:
    """A corpus index on disk.

    Open one with :meth:`open` (an existing file) or :meth:`create` (a new
    or existing file); use it as a context manager to close it.

    Args:
        path: The SQLite file.
        connection: Its open connection.
        config: The settings it was built with.
        redis: ``redis://host:port/db`` to keep the whole-document LSH on a
            Redis server.

    Examples:
        >>> import tempfile, os
        >>> from detector import Document
        >>> folder = tempfile.mkdtemp()
        >>> with Index.create(os.path.join(folder, "speeches.db")) as index:
        ...     text = "坚决打赢2022年污染防治攻坚战，系统提升我县城乡人居环境。"
        ...     result = index.add([Document("a.txt", text, "a.txt")])
        ...     result.added, len(index)
        (('a.txt',), 1)
    """

    def __init__(
        self,
        path: Path,
        connection: sqlite3.Connection,
        config: Config,
        *,
        redis: str | None = None,
        rules: FurnitureRules | None = None,
        phrases: Sequence[str] | None = None,
    ) -> None:
        self.path = path
        self.config = config
        self.rules = rules
        self.phrases = phrases
        self._db = connection
        self._redis = redis
        self._reuse: ReuseIndex | None = None
        self._lsh: MinHashLSH | None = None
        self._lsh_keys: dict[bytes, int] = {}
        self.sketcher = Sketcher(config.num_perm, config.seed, config.scheme)
        self._windows = WindowIndex(seed=config.seed, ngram=config.ngram)

    # -- opening -----------------------------------------------------------------

    @staticmethod
    def _connect(path: Path, timeout: float) -> sqlite3.Connection:
        connection = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        connection.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        return connection

    @staticmethod
    def _wal(connection: sqlite3.Connection, timeout: float) -> None:
        """Switch the file to WAL mode (once; it stays so), retrying while another writer holds it."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    connection.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    @classmethod
    def create(
        cls,
        path: str | Path,
        config: Config | None = None,
        *,
        redis: str | None = None,
        timeout: float = 60.0,
        check: Sequence[str] | None = None,
        rules: FurnitureRules | None = None,
        phrases: Sequence[str] | None = None,
    ) -> Index:
        """Open an index, creating the file when it does not exist.

        Args:
            path: The SQLite file.
            config: Settings for a new index; for an existing one, they must
                match the stored ones.
            redis: ``redis://host:port/db`` for the whole-document LSH.
            timeout: Seconds to wait for another writer.
            check: For an existing index, the settings to compare with the
                stored ones (default: all that shape the index).
            rules: Furniture rules for the drafts checked (bundled ones by default).
            phrases: Listed common phrases for checks (the bundled list by default).

        Raises:
            IndexFileError: The file is not an index, of another format version,
                or built with other settings.
        """
        path = Path(path)
        existed = path.exists()
        fresh = config or Config()
        try:
            # The schema is written under the write lock: a second process
            # creating the same index waits, then finds it made.
            connection = cls._connect(path, timeout)
            connection.execute("BEGIN IMMEDIATE")
            tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables == 0:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        connection.execute(statement)
                settings = {name: getattr(fresh, name) for name in INDEX_SETTINGS}
                connection.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [
                        ("format", _FORMAT),
                        ("format_version", str(FORMAT_VERSION)),
                        ("settings", json.dumps(settings, sort_keys=True)),
                        ("index_id", uuid.uuid4().hex),
                        ("generation", "0"),
                        ("created", str(time.time())),
                    ],
                )
                connection.execute("COMMIT")
            else:
                connection.execute("ROLLBACK")
            connection.close()
        except sqlite3.DatabaseError as exc:
            if existed:  # not an SQLite file: open() says so
                return cls.open(
                    path, config, redis=redis, timeout=timeout, check=check, rules=rules, phrases=phrases
                )
            raise IndexFileError(f"{path}: cannot create the index: {exc}") from None
        return cls.open(path, config, redis=redis, timeout=timeout, check=check, rules=rules, phrases=phrases)

    @classmethod
    def open(
        cls,
        path: str | Path,
        config: Config | None = None,
        *,
        redis: str | None = None,
        timeout: float = 60.0,
        check: Sequence[str] | None = None,
        rules: FurnitureRules | None = None,
        phrases: Sequence[str] | None = None,
    ) -> Index:
        """Open an existing index.

        Args:
            path: The SQLite file.
            config: Settings to check against the stored ones (only those that
                shape the index are compared); default: the stored settings.
            redis: ``redis://host:port/db`` for the whole-document LSH.
            timeout: Seconds to wait for another writer.
            check: The settings to compare (default: all that shape the index).
            rules: Furniture rules for the drafts checked (bundled ones by default).
            phrases: Listed common phrases for checks (the bundled list by default).

        Raises:
            IndexFileError: No such file, not an index, another format version,
                or other settings.
        """
        path = Path(path)
        if not path.is_file():
            raise IndexFileError(f"{path}: no such index; create it with: detector index add {path} PATH...")
        try:
            connection = cls._connect(path, timeout)
            meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.DatabaseError:
            raise IndexFileError(
                f"{path}: not a detector index; create one with: detector index add INDEX PATH..."
            ) from None
        if meta.get("format") != _FORMAT:
            connection.close()
            raise IndexFileError(
                f"{path}: not a detector index; create one with: detector index add INDEX PATH..."
            )
        version = int(meta.get("format_version", "0"))
        if version != FORMAT_VERSION:
            connection.close()
            raise IndexFileError(
                f"{path}: index format {version}, this detector reads format {FORMAT_VERSION}; "
                f"rebuild it: detector index add NEW.db PATH..."
            )
        stored = json.loads(meta["settings"])
        try:
            cls._wal(connection, timeout)
        except sqlite3.OperationalError as exc:
            connection.close()
            raise IndexFileError(f"{path}: cannot open the index: {exc}") from None
        if config is not None:
            differ = [
                f"{k}={stored[k]} (asked {getattr(config, k)})"
                for k in (INDEX_SETTINGS if check is None else check)
                if stored[k] != getattr(config, k)
            ]
            if differ:
                connection.close()
                raise IndexFileError(
                    f"{path}: built with other settings: {', '.join(differ)}; drop those options "
                    f"or rebuild the index with them: detector index add NEW.db PATH..."
                )
        return cls(
            path,
            connection,
            (config or Config()).replace(**stored),
            redis=redis,
            rules=rules,
            phrases=phrases,
        )

    def close(self) -> None:
        """Close the file."""
        self._db.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -----------------------------------------------------------------

    def _meta(self, key: str) -> str:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else ""

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM documents").fetchone()[0])

    def documents(self) -> list[IndexedDocument]:
        """The indexed documents, in the order they were added."""
        rows = self._db.execute("SELECT id, path, sha256, characters, added FROM documents ORDER BY id")
        return [IndexedDocument(*row) for row in rows]

    def stats(self) -> dict[str, Any]:
        """Figures about the index: documents, characters, windows, size, settings."""
        documents, characters = self._db.execute(
            "SELECT count(*), coalesce(sum(characters), 0) FROM documents"
        ).fetchone()
        band = self._db.execute("SELECT length(owners) FROM segments WHERE band = 0").fetchone()
        common = self._db.execute("SELECT length(hashes) FROM common").fetchone()
        size = self.path.stat().st_size
        wal = self.path.with_name(self.path.name + "-wal")
        return {
            "path": str(self.path),
            "format_version": FORMAT_VERSION,
            "documents": documents,
            "characters": characters,
            "passage_windows": band[0] // 4 if band else 0,
            "common_kgrams": (common[0] // 8) if common else 0,
            "file_bytes": size + (wal.stat().st_size if wal.exists() else 0),
            "settings": {name: getattr(self.config, name) for name in INDEX_SETTINGS},
            "redis": self._redis,
        }

    def text(self, path: str) -> str:
        """The original text of an indexed document.

        Raises:
            IndexFileError: No document with this path.
        """
        row = self._db.execute("SELECT text FROM documents WHERE path = ?", (path,)).fetchone()
        if row is None:
            raise IndexFileError(f"{self.path}: no document {path!r} in the index")
        return zlib.decompress(row[0]).decode("utf-8")

    def _document(self, number: int) -> tuple[Document, NormalizedText] | None:
        """Document ``number`` (its id) with its stored normalised text; ``None`` once removed."""
        row = self._db.execute(
            "SELECT path, text, normalized, encoding FROM documents WHERE id = ?", (number,)
        ).fetchone()
        if row is None:
            return None
        text = zlib.decompress(row[1]).decode("utf-8")
        return Document(row[0], text, row[0], row[3]), _unpack(row[2], text)

    # -- writing -----------------------------------------------------------------

    def add(
        self,
        documents: Iterable[Document],
        *,
        rules: FurnitureRules | None = None,
        progress: Callable[[int], None] | None = None,
        on_error: Callable[[SourceError], None] | None = None,
        jobs: int = 1,
    ) -> AddResult:
        """Add documents; a path already indexed is replaced if its text changed.

        Documents are committed in batches of 64, in order: a crash keeps
        every batch committed before it.

        Args:
            documents: Documents read from files (their ``path`` is the key).
            rules: Furniture rules (bundled ones by default).
            progress: Called with the number of documents done after each batch.
            on_error: Called for each document with nothing to match; without
                it, :class:`EmptyDocumentError` is raised.
            jobs: Processes that normalise and sketch (the file is written by
                this one).

        Returns:
            What was added, updated and left unchanged.
        """
        added: list[str] = []
        updated: list[str] = []
        unchanged: list[str] = []
        batch: list[Document] = []

        def select() -> list[tuple[Document, str, str, bool]]:
            todo = []
            for document in batch:
                key = document.path or document.id
                digest = hashlib.sha256(document.text.encode("utf-8")).hexdigest()
                found = self._db.execute("SELECT sha256 FROM documents WHERE path = ?", (key,)).fetchone()
                if found and found[0] == digest:
                    unchanged.append(key)
                    continue
                todo.append((document, key, digest, bool(found)))
            return todo

        fresh: dict[int, np.ndarray] = {}

        def store(todo: list[tuple[Document, str, str, bool]], fingerprints: list[Any], size: int) -> None:
            rows = []
            for (document, key, digest, found), made in zip(todo, fingerprints, strict=True):
                if made is None:
                    error = EmptyDocumentError(key, "no letters or digits left after removing furniture")
                    if on_error is None:
                        raise error
                    on_error(error)
                    continue
                rows.append((key, digest, document.encoding, *made, found))
            if rows:
                for number, row in zip(self._write(rows), rows, strict=True):
                    fresh[number] = row[-2]
                for row in rows:
                    (updated if row[-1] else added).append(row[0])
            if progress is not None:
                progress(size)

        pool = ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init) if jobs > 1 else None
        pending: deque[tuple[list[Any], Future[list[Any]], int]] = deque()
        try:
            for document in itertools.chain(documents, [None]):
                if document is not None:
                    batch.append(document)
                    if len(batch) < _BATCH:
                        continue
                if not batch:
                    break
                todo = select()
                texts = [d.text for d, _, _, _ in todo]
                if pool is None:
                    store(todo, _fingerprints(texts, self.config, rules), len(batch))
                else:
                    pending.append((todo, pool.submit(_fingerprints, texts, self.config, rules), len(batch)))
                    while len(pending) > 2 * jobs:
                        done_todo, future, size = pending.popleft()
                        store(done_todo, future.result(), size)
                batch.clear()
            while pending:
                done_todo, future, size = pending.popleft()
                store(done_todo, future.result(), size)
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        if added or updated:
            self._changed(fresh)
        return AddResult(tuple(added), tuple(updated), tuple(unchanged))

    def _write(self, rows: Sequence[tuple[Any, ...]]) -> list[int]:
        """Insert a batch in one transaction; returns the new documents' ids."""
        now = time.time()
        numbers = []
        with self._transaction():
            for key, digest, encoding, characters, sample, text, normalized, signature, _, _ in rows:
                self._db.execute("DELETE FROM documents WHERE path = ?", (key,))
                cursor = self._db.execute(
                    "INSERT INTO documents (path, sha256, encoding, characters, added, sample_key, text, "
                    "normalized, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (key, digest, encoding, characters, now, sample, text, normalized, signature),
                )
                numbers.append(int(cursor.lastrowid or 0))
            self._bump()
        self._invalidate()
        return numbers

    def _bump(self) -> None:
        self._db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")

    def _invalidate(self) -> None:
        self._reuse = None
        self._lsh = None

    def remove(self, keys: Iterable[str]) -> list[str]:
        """Remove documents by path or by id.

        Returns:
            The paths removed.

        Raises:
            IndexFileError: A key names no document (nothing is removed then).
        """
        paths = []
        with self._transaction():
            for key in keys:
                row = self._db.execute("SELECT id, path FROM documents WHERE path = ?", (key,)).fetchone()
                if row is None and key.isdigit():
                    row = self._db.execute(
                        "SELECT id, path FROM documents WHERE id = ?", (int(key),)
                    ).fetchone()
                if row is None:
                    raise IndexFileError(
                        f"{self.path}: no document {key!r} in the index; see detector index list"
                    )
                self._db.execute("DELETE FROM documents WHERE id = ?", (row[0],))
                paths.append(row[1])
            self._bump()
        self._invalidate()
        if paths:
            self._changed()
        return paths

    def _changed(self, known: dict[int, np.ndarray] | None = None) -> None:
        """Bring what depends on the set of documents up to date after an add or remove."""
        self.merge_windows(known)
        self.refresh_common()
        if self._redis:
            self._whole_lsh()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction: committed whole, or rolled back on any error."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _segments(self) -> WindowIndex:
        """The sorted band keys stored in the file, as a window index."""
        index = WindowIndex(seed=self.config.seed, ngram=self.config.ngram)
        rows = self._db.execute("SELECT keys, owners FROM segments ORDER BY band").fetchall()
        if len(rows) == index.bands:
            keys = np.stack([np.frombuffer(k, dtype="<u4") for k, _ in rows])
            owners = np.stack([np.frombuffer(o, dtype="<i4") for _, o in rows])
            index.load_arrays(keys, owners)
        return index

    def _pending(self, known: dict[int, np.ndarray] | None = None) -> tuple[list[np.ndarray], list[int]]:
        """Window keys of the documents not yet merged into the sorted bands.

        Keys at hand (``known``, by id) are used as they are; the others (a
        crash between committing documents and merging them) are computed
        again from the stored normalised texts.
        """
        known = known or {}
        numbers = [
            row[0] for row in self._db.execute("SELECT id FROM documents WHERE merged = 0 ORDER BY id")
        ]
        missing = [n for n in numbers if n not in known]
        computed: dict[int, np.ndarray] = {}
        for start in range(0, len(missing), 256):
            chunk = missing[start : start + 256]
            texts = []
            for number in chunk:
                fetched = self._document(number)
                texts.append(fetched[1].codepoints() if fetched else np.empty(0, np.uint32))
            computed.update(zip(chunk, self._windows.documents_keys(texts), strict=True))
        return [known[n] if n in known else computed[n] for n in numbers], numbers

    def merge_windows(self, known: dict[int, np.ndarray] | None = None) -> None:
        """Fold the windows of newly added documents into the sorted bands, drop removed ones.

        The bands are stored sorted, so opening the index reads them instead
        of sorting every window again; a merge costs one pass over them.

        Args:
            known: Window keys of documents just added, by id (others are
                computed from the stored texts).
        """
        with self._transaction():
            index = self._segments()
            keys, numbers = self._pending(known)
            live = np.array([row[0] for row in self._db.execute("SELECT id FROM documents")], dtype=np.int32)
            index.merge(keys, numbers, keep=live)
            merged_keys, merged_owners = index.arrays
            self._db.execute("DELETE FROM segments")
            self._db.executemany(
                "INSERT INTO segments (band, keys, owners) VALUES (?, ?, ?)",
                [
                    (
                        band,
                        merged_keys[band].astype("<u4").tobytes(),
                        merged_owners[band].astype("<i4").tobytes(),
                    )
                    for band in range(index.bands)
                ],
            )
            self._db.executemany("UPDATE documents SET merged = 1 WHERE id = ?", [(n,) for n in numbers])
        self._reuse = None

    def refresh_common(self) -> StockPhrases:
        """Learn the common phrases from the indexed documents again and store them."""
        generation = int(self._meta("generation"))
        rows = self._db.execute(
            "SELECT id, normalized FROM documents ORDER BY sample_key, id LIMIT ?", (LEARN_SAMPLE,)
        ).fetchall()
        rows.sort()
        texts = [_unpack(blob).codepoints() for _, blob in rows]
        model = learn_common(texts, config=self.config)
        with self._transaction():
            self._db.execute("DELETE FROM common")
            self._db.execute(
                "INSERT INTO common (id, generation, hashes) VALUES (1, ?, ?)",
                (generation, model.learned.astype("<u8").tobytes()),
            )
        return model

    # -- checking ----------------------------------------------------------------

    def _common(self, phrases: Sequence[str] | None) -> StockPhrases:
        row = self._db.execute("SELECT generation, hashes FROM common").fetchone()
        if row is None or row[0] != int(self._meta("generation")):
            model = self.refresh_common()
        else:
            model = StockPhrases((), np.frombuffer(row[1], dtype="<u8").astype(np.uint64))
        listed = load_phrases() if phrases is None else phrases
        return model.with_phrases(canonical_phrases(listed, self.config))

    def reuse_index(self, *, phrases: Sequence[str] | None = None) -> ReuseIndex:
        """The passage-level index, loaded from the file on first use.

        Args:
            phrases: Listed common phrases (default: the bundled list); used
                when the index is loaded.
        """
        if self._reuse is None:
            # Sorted bands from the file, plus any documents a crash left unmerged.
            self._windows = self._segments()
            keys, numbers = self._pending()
            if keys:
                self._windows.merge(keys, numbers)
            self._reuse = ReuseIndex(self._windows, self._common(phrases), self._document, config=self.config)
        return self._reuse

    def _whole_lsh(self) -> MinHashLSH:
        """The whole-document LSH on the Redis server, brought in step with the file.

        Keys are ``path`` and the start of the text's SHA-256, so a changed or
        removed document is found stale and replaced.
        """
        if self._lsh is None:
            assert self._redis, "the whole-document LSH lives on a Redis server"
            storage = _redis_config(self._redis, f"detector:{self._meta('index_id')}:")
            rows = self._db.execute(
                "SELECT id, path, sha256, signature FROM documents ORDER BY id"
            ).fetchall()
            self._lsh_keys = {_lsh_key(path, digest): number for number, path, digest, _ in rows}
            try:
                lsh = MinHashLSH(
                    threshold=self.config.lsh_threshold,
                    num_perm=self.config.num_perm,
                    storage_config=storage,
                    prepickle=False,
                )
                present = set()
                for key in list(lsh.keys.keys()):
                    if key in self._lsh_keys:
                        present.add(key)
                    else:
                        lsh.remove(key)
                with lsh.insertion_session(buffer_size=1000) as session:
                    for _, path, digest, signature in rows:
                        key = _lsh_key(path, digest)
                        if key not in present:
                            minhash = self.sketcher.minhash(np.frombuffer(signature, dtype="<u4"))
                            session.insert(key, minhash, check_duplication=False)
            except DetectorError:
                raise
            except Exception as exc:  # the Redis client's connection errors
                raise IndexFileError(f"{self._redis}: cannot use the Redis server: {exc}") from None
            self._lsh = lsh
        return self._lsh

    def near_duplicates(
        self, text: str, *, rules: FurnitureRules | None = None, among: Iterable[str] = ()
    ) -> list[Match]:
        """Indexed documents similar to a text as a whole (``recycled`` or ``partial``).

        Candidates are the documents named in ``among`` (the sources a check
        found passages in: a document similar as a whole shares passages) and,
        when the index has a Redis LSH, those it proposes. Each is verified by
        exact Jaccard similarity and containment.

        Args:
            text: The text.
            rules: Furniture rules (bundled ones by default).
            among: Paths of indexed documents to verify.
        """
        fingerprinter = Fingerprinter(self.config, rules)
        query = fingerprinter.batch([Document("<query>", text)])[0]
        if query is None:
            return []
        numbers = self._numbers(among)
        if self._redis:
            lsh = self._whole_lsh()
            for key in lsh.query(self.sketcher.minhash(query.signature)):
                if key in self._lsh_keys:
                    numbers.add(self._lsh_keys[key])
        scorer = PairScorer(fingerprinter)
        matches = []
        for number in sorted(numbers):
            fetched = self._document(number)
            if fetched is None:
                continue
            document, form = fetched
            theirs = shingle_set(form.codepoints(), self.config.ngram)
            other = Fingerprint(document, theirs, self.sketcher.sketch(theirs), len(form.text))
            scores = scorer.score(query, other, include_all=False)
            if scores is not None:
                matches.append((scores.match(other.label), scores))
        return rank(matches, lambda m: (m.id,))

    def _numbers(self, paths: Iterable[str]) -> set[int]:
        """The ids of the indexed documents with these paths."""
        numbers = set()
        for path in paths:
            row = self._db.execute("SELECT id FROM documents WHERE path = ?", (path,)).fetchone()
            if row is not None:
                numbers.add(int(row[0]))
        return numbers

    def check(
        self,
        draft: Document | str,
        *,
        min_passage: int | None = None,
        max_candidates: int | None = None,
        lexicon: Lexicon | None = None,
        rules: FurnitureRules | None = None,
        phrases: Sequence[str] | None = None,
    ) -> Report:
        """Check a draft against the index, as :meth:`detector.Corpus.check` does.

        Args:
            draft: The draft or its text.
            min_passage: Shortest passage reported (default: ``config.min_passage``).
            max_candidates: Most candidate sources matched exactly (default:
                ``config.max_candidates``).
            lexicon: Spin lexicon for the swaps.
            rules: Furniture rules (default: those the index was opened with).
            phrases: Listed common phrases (default: those the index was opened with).

        Returns:
            A :class:`~detector.report.Report`, with the whole-document near-duplicates.
        """
        if isinstance(draft, str):
            draft = Document(id="<draft>", text=draft)
        rules = self.rules if rules is None else rules
        phrases = self.phrases if phrases is None else phrases
        report = self.reuse_index(phrases=phrases).check(
            draft, min_passage=min_passage, rules=rules, lexicon=lexicon, max_candidates=max_candidates
        )
        found = self.near_duplicates(draft.text, rules=rules, among=[s.source for s in report.sources])
        duplicates = tuple(m for m in found if m.id not in (draft.path, draft.id))
        return report.with_duplicates(duplicates)
