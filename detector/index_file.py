"""The SQLite file an index lives in: connection, schema, format checks, one error tree.

Everything about the file as a file is here: connecting with a busy timeout,
switching to WAL mode (retrying while another writer holds the lock), the
schema, the checks that a file is an index of this format built with the
asked settings (:func:`create_file`, :func:`open_file`), write transactions,
the ``meta`` table, and the packing of texts and normalised texts for
storage (:func:`pack_form`, :func:`unpack_form`).

No :class:`sqlite3.Error` leaves this room as it is. Opening a file that is
not an index, reading a damaged one, writing a read-only one or a full disk
each become one :class:`~detector.errors.IndexFileError` whose one-line
message names the file and says what to do (:func:`file_error`,
:meth:`IndexFile.guard`); so does a stored blob that does not decode.

Examples:
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "speeches.db"
    >>> create_file(path, Config(), timeout=5.0)
    True
    >>> file, config = open_file(path, Config(), timeout=5.0)
    >>> file.meta("format"), file.generation(), config.ngram
    ('detector-index', 0, 5)
    >>> try:
    ...     with file.guard():
    ...         file.connection.execute("SELECT * FROM nowhere")
    ... except IndexFileError as exc:
    ...     print(str(exc).removeprefix(f"{path}: ").split("; ")[0])
    cannot use the index (no such table: nowhere)
    >>> file.close()
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sqlite3
import time
import uuid
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from detector.config import INDEX_SETTINGS, Config
from detector.errors import IndexFileError
from detector.normalize import NormalizedText

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ROW",
    "SCHEMA",
    "IndexFile",
    "check_format",
    "check_schema",
    "check_settings",
    "checksum",
    "connect",
    "connect_read_only",
    "create_file",
    "damaged",
    "file_error",
    "guarded",
    "open_file",
    "pack_form",
    "pack_text",
    "read_meta",
    "transaction",
    "unpack_form",
    "unpack_text",
    "use_wal",
    "writable",
]

#: Version of the file layout; an index of another version must be rebuilt.
FORMAT_VERSION = 3
#: What the ``format`` row of ``meta`` holds in every index.
FORMAT = "detector-index"
#: The tables of a new index.
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    encoding TEXT,
    characters INTEGER NOT NULL,
    added REAL NOT NULL,
    sample_key INTEGER NOT NULL,
    text BLOB NOT NULL,
    normalized BLOB NOT NULL,
    signature BLOB NOT NULL,
    merged INTEGER NOT NULL DEFAULT 0,
    crc INTEGER NOT NULL
);
CREATE INDEX documents_sample ON documents (sample_key);
CREATE INDEX documents_path ON documents (path);
CREATE INDEX documents_sha256 ON documents (sha256);
CREATE TABLE segments (
    band INTEGER PRIMARY KEY,
    keys BLOB NOT NULL,
    owners BLOB NOT NULL,
    crc INTEGER NOT NULL
);
CREATE TABLE common (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL,
    hashes BLOB NOT NULL,
    crc INTEGER NOT NULL
);
"""

#: The columns of a document a row checksum covers (all but the texts, which their SHA-256 and zlib cover).
ROW = "key, path, sha256, encoding, characters, added, sample_key, signature"

#: The ``meta`` rows written once, covered by the ``checksum`` row.
_SEALED = ("format", "format_version", "settings", "index_id", "created")

_REBUILD = "rebuild it: detector index add NEW.db PATH..."
_NOT_AN_INDEX = "not a detector index; create one with: detector index add INDEX PATH..."
_SQLITE_MAGIC = b"SQLite format 3\0"

# Primary SQLite result codes (the low byte of an extended code).
_PERM = 3
_BUSY = 5
_LOCKED = 6
_READONLY = 8
_IOERR = 10
_CORRUPT = 11
_FULL = 13
_CANTOPEN = 14
_AUTH = 23
_NOTADB = 26
# Where Python does not give the code (before 3.11), it is read from the message.
_BY_MESSAGE = (
    ("readonly", _READONLY),
    ("disk is full", _FULL),
    ("locked", _BUSY),
    ("malformed", _CORRUPT),
    ("not a database", _NOTADB),
    ("unable to open", _CANTOPEN),
    ("disk i/o", _IOERR),
)


def checksum(*parts: object) -> int:
    """CRC-32 of values in order (bytes as they are, others as text), stored beside them to catch damage.

    Examples:
        >>> checksum("a.txt", 3, b"\\x00") == checksum("a.txt", 3, b"\\x00") != checksum("a.txt", 4, b"\\x00")
        True
    """
    crc = 0
    for part in parts:
        crc = zlib.crc32(part if isinstance(part, bytes) else repr(part).encode("utf-8"), crc)
        crc = zlib.crc32(b"\x1f", crc)
    return crc


def _code(exc: sqlite3.Error) -> int:
    """The primary SQLite result code of an error (0 when unknown)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    message = str(exc).lower()
    return next((number for words, number in _BY_MESSAGE if words in message), 0)


def _reason(exc: BaseException) -> str:
    """An error's message on one line."""
    return " ".join(str(exc).split()) or type(exc).__name__


def damaged(path: str | Path, reason: str) -> IndexFileError:
    """The error for a file whose content does not read: it must be rebuilt.

    Examples:
        >>> print(damaged("a.db", "malformed"))
        a.db: the index is damaged (malformed); rebuild it: detector index add NEW.db PATH...
    """
    return IndexFileError(f"{path}: the index is damaged ({reason}); {_REBUILD}")


def file_error(path: str | Path, exc: sqlite3.Error) -> IndexFileError:
    """The :class:`IndexFileError` an SQLite error on an index file becomes.

    Args:
        path: The index file.
        exc: What SQLite raised.

    Returns:
        An error whose one-line message names the file, says what went wrong
        and what to do.

    Examples:
        >>> print(file_error("a.db", sqlite3.OperationalError("attempt to write a readonly database")))
        a.db: cannot write the index (read-only file); check its permissions
        >>> print(file_error("a.db", sqlite3.OperationalError("database or disk is full")))
        a.db: cannot write the index (disk full); free some space and run the command again
    """
    code, reason = _code(exc), _reason(exc)
    if isinstance(exc, sqlite3.ProgrammingError) and "closed" in reason:
        return IndexFileError(f"{path}: the index is closed; open it again")
    if code == _READONLY:
        return IndexFileError(f"{path}: cannot write the index (read-only file); check its permissions")
    if code in (_PERM, _AUTH):
        return IndexFileError(f"{path}: cannot use the index ({reason}); check its permissions")
    if code == _FULL:
        return IndexFileError(
            f"{path}: cannot write the index (disk full); free some space and run the command again"
        )
    if code in (_BUSY, _LOCKED):
        return IndexFileError(
            f"{path}: the index is locked by another process ({reason}); try again when it is done"
        )
    if code in (_CORRUPT, _NOTADB) or "could not decode" in reason.lower():
        return damaged(path, reason)
    if code == _CANTOPEN:
        return IndexFileError(f"{path}: cannot open the index ({reason}); check the path and its permissions")
    if code == _IOERR:
        return IndexFileError(
            f"{path}: cannot read or write the index ({reason}): the disk or the index is damaged; "
            f"check the disk, then if it persists, {_REBUILD}"
        )
    return IndexFileError(f"{path}: cannot use the index ({reason}); if it persists, {_REBUILD}")


@contextlib.contextmanager
def guarded(path: str | Path) -> Iterator[None]:
    """Turn an :class:`sqlite3.Error` inside into :func:`file_error`'s error; undecodable text: damaged."""
    try:
        yield
    except sqlite3.Error as exc:
        raise file_error(path, exc) from None
    except UnicodeDecodeError:
        raise damaged(path, "a stored text value is not UTF-8") from None


def connect(
    path: Path, timeout: float, *, read_only: bool = False, immutable: bool = False
) -> sqlite3.Connection:
    """Connect to an index file in autocommit mode, waiting ``timeout`` seconds for other writers.

    Args:
        path: The SQLite file.
        timeout: Seconds a statement waits for a lock another process holds.
        read_only: Open the file for reading only (writes then fail).
        immutable: Read it as a file nothing changes (no lock, no ``-shm``
            file: for a read-only folder).

    Raises:
        sqlite3.Error: The file cannot be opened (callers turn it into :func:`file_error`).
    """
    uri = read_only or immutable
    target = str(path)
    if uri:
        target = f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
    connection = sqlite3.connect(target, timeout=timeout, isolation_level=None, uri=uri)
    connection.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    return connection


def writable(path: Path) -> bool:
    """Whether an index file and its folder (where SQLite keeps its -wal and -shm files) are writable."""
    folder = path.resolve().parent
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)


def connect_read_only(path: Path, timeout: float) -> sqlite3.Connection:
    """Connect to an index file that cannot be written, for reading.

    The file is opened read-only; when SQLite cannot make the ``-shm`` file
    a WAL database needs (a read-only folder), it is read as immutable,
    which is refused while a ``-wal`` file holds writes not yet in the file.

    Raises:
        sqlite3.Error: It cannot be opened.
        IndexFileError: Its last writes are only in its ``-wal`` file.
    """
    connection = connect(path, timeout, read_only=True)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return connection
    except sqlite3.Error:
        connection.close()
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise IndexFileError(
            f"{path}: cannot read the index in a read-only folder while {wal.name} holds its last writes; "
            "open it once where it can be written"
        )
    return connect(path, timeout, immutable=True)


def use_wal(connection: sqlite3.Connection, timeout: float) -> None:
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


@contextlib.contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[None]:
    """One write transaction: committed whole, or rolled back on any error.

    A rollback SQLite already made (after a full disk, say) is not made
    twice, and a failing rollback never hides the error that caused it.
    """
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if connection.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def read_meta(connection: sqlite3.Connection) -> dict[str, str]:
    """The ``meta`` table: format, version, settings, index id, generation, creation time."""
    return dict(connection.execute("SELECT key, value FROM meta").fetchall())


def _schema(connection: sqlite3.Connection, config: Config) -> None:
    """Write the tables and the ``meta`` rows of a new index (inside a transaction)."""
    for statement in SCHEMA.split(";"):
        if statement.strip():
            connection.execute(statement)
    settings = {name: getattr(config, name) for name in INDEX_SETTINGS}
    rows = {
        "format": FORMAT,
        "format_version": str(FORMAT_VERSION),
        "settings": json.dumps(settings, sort_keys=True),
        "index_id": uuid.uuid4().hex,
        "created": str(time.time()),
    }
    rows["checksum"] = str(checksum(*(rows[key] for key in _SEALED)))
    connection.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?)", [*rows.items(), ("generation", "0")]
    )


def _check_sealed(path: Path, meta: dict[str, str]) -> None:
    """Refuse ``meta`` rows that do not match their checksum (a damaged file)."""
    if meta.get("checksum") != str(checksum(*(meta.get(key) for key in _SEALED))):
        raise damaged(path, "its format and settings do not match their checksum")


def create_file(path: str | Path, config: Config, *, timeout: float = 60.0) -> bool:
    """Write the schema into a file that holds none yet, creating the file when missing.

    The schema is written under the write lock: a second process creating
    the same index waits, then finds it made. A file that exists but does
    not open is left for :func:`open_file` to judge.

    Args:
        path: The SQLite file.
        config: The settings stored in a new index.
        timeout: Seconds to wait for another writer.

    Returns:
        Whether the schema was written now.

    Raises:
        IndexFileError: The file could not be created.
    """
    path = Path(path)
    existed = path.exists()
    connection: sqlite3.Connection | None = None
    try:
        connection = connect(path, timeout)
        with transaction(connection):
            fresh = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
            if fresh:
                _schema(connection, config)
        return bool(fresh)
    except sqlite3.Error as exc:
        if existed:
            return False
        if _code(exc) == _FULL:
            raise file_error(path, exc) from None
        raise IndexFileError(
            f"{path}: cannot create the index ({_reason(exc)}); check that its folder exists and is writable"
        ) from None
    finally:
        if connection is not None:
            connection.close()


def _meta_or_refuse(path: Path, connection: sqlite3.Connection) -> dict[str, str]:
    """The ``meta`` rows, or the error saying why the file is not a readable index."""
    try:
        return read_meta(connection)
    except UnicodeDecodeError:
        raise damaged(path, "a stored text value is not UTF-8") from None
    except sqlite3.Error as exc:
        code = _code(exc)
        if code == _NOTADB:
            with path.open("rb") as file:
                magic = file.read(len(_SQLITE_MAGIC))
            if magic != _SQLITE_MAGIC:
                raise IndexFileError(f"{path}: {_NOT_AN_INDEX}") from None
        elif "no such table" in str(exc) and "malformed" not in str(exc):
            raise IndexFileError(f"{path}: {_NOT_AN_INDEX}") from None
        raise file_error(path, exc) from None


def check_format(path: str | Path, meta: dict[str, str]) -> dict[str, Any]:
    """Check the ``meta`` rows of a file say an index of this format; return its stored settings.

    Raises:
        IndexFileError: Not an index, another format version, or settings
            that do not read.

    Examples:
        >>> check_format("a.db", {"format": FORMAT, "format_version": "3", "settings": '{"ngram": 5}'})
        {'ngram': 5}
        >>> try:
        ...     check_format("a.db", {"format": FORMAT, "format_version": "1", "settings": "{}"})
        ... except IndexFileError as exc:
        ...     print(exc)
        a.db: index format 1, this detector reads format 3; rebuild it: detector index add NEW.db PATH...
    """
    if meta.get("format") != FORMAT:
        raise IndexFileError(f"{path}: {_NOT_AN_INDEX}")
    try:
        version = int(meta.get("format_version", "0"))
    except ValueError:
        raise damaged(path, f"format version {meta['format_version']!r}") from None
    if version != FORMAT_VERSION:
        raise IndexFileError(
            f"{path}: index format {version}, this detector reads format {FORMAT_VERSION}; {_REBUILD}"
        )
    try:
        stored = json.loads(meta["settings"])
    except (KeyError, ValueError):
        stored = None
    if not isinstance(stored, dict):
        raise damaged(path, "its stored settings do not read")
    return stored


@functools.cache
def _expected_schema() -> tuple[tuple[str, str, str, str | None], ...]:
    """What ``sqlite_master`` holds in an index of this format (the tables, their columns, the indexes)."""
    connection = sqlite3.connect(":memory:")
    try:
        for statement in SCHEMA.split(";"):
            if statement.strip():
                connection.execute(statement)
        return _schema_of(connection)
    finally:
        connection.close()


def _schema_of(connection: sqlite3.Connection) -> tuple[tuple[str, str, str, str | None], ...]:
    rows = connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
    return tuple(rows.fetchall())


def check_schema(path: str | Path, connection: sqlite3.Connection) -> None:
    """Check a file's tables, columns and indexes are exactly those of an index of this format.

    Raises:
        IndexFileError: They differ (the file is damaged).
        sqlite3.Error: The schema does not read.
    """
    found = _schema_of(connection)
    if found != _expected_schema():
        names = {row[1] for row in found} ^ {row[1] for row in _expected_schema()}
        what = f"tables or indexes {', '.join(sorted(names))}" if names else "the columns of its tables"
        raise damaged(path, f"{what} differ from an index's")


def check_settings(
    path: str | Path, stored: dict[str, Any], config: Config, check: Sequence[str] | None = None
) -> None:
    """Refuse settings that differ from those an index was built with.

    Args:
        path: The index file.
        stored: Its stored settings.
        config: The settings asked for.
        check: The names compared (default: all that shape an index).

    Raises:
        IndexFileError: Some differ; the message lists them.

    Examples:
        >>> try:
        ...     check_settings("a.db", {"ngram": 5}, Config(ngram=4), ["ngram"])
        ... except IndexFileError as exc:
        ...     print(str(exc).split("; ")[0])
        a.db: built with other settings: ngram=5 (asked 4)
    """
    differ = [
        f"{k}={stored.get(k)} (asked {getattr(config, k)})"
        for k in (INDEX_SETTINGS if check is None else check)
        if stored.get(k) != getattr(config, k)
    ]
    if differ:
        raise IndexFileError(
            f"{path}: built with other settings: {', '.join(differ)}; drop those options "
            f"or rebuild the index with them: detector index add NEW.db PATH..."
        )


def open_file(
    path: str | Path,
    config: Config | None = None,
    *,
    timeout: float = 60.0,
    check: Sequence[str] | None = None,
    read_only: bool = False,
) -> tuple[IndexFile, Config]:
    """Open an existing index file, checking its format and settings.

    Args:
        path: The SQLite file.
        config: Settings to compare with the stored ones (default: none compared).
        timeout: Seconds to wait for another writer.
        check: The settings compared (default: all that shape an index).
        read_only: Open it for reading only, as a file that cannot be
            written is opened anyway: writes fail, and what a check learns
            is not stored. It still sees what other connections commit.

    Returns:
        The open file, and the settings it was built with (over ``config``'s others).

    Raises:
        IndexFileError: No such file, not an index, damaged, another format
            version, or other settings.
    """
    path = Path(path)
    if not path.is_file():
        raise IndexFileError(f"{path}: no such index; create it with: detector index add {path} PATH...")
    can_write = writable(path)
    read_only = read_only or not can_write
    with guarded(path):
        if not can_write:
            connection = connect_read_only(path, timeout)
        elif read_only:
            connection = connect(path, timeout, read_only=True)
        else:
            connection = connect(path, timeout)
    try:
        meta = _meta_or_refuse(path, connection)
        stored = check_format(path, meta)
        _check_sealed(path, meta)
        with guarded(path):
            check_schema(path, connection)
        if not read_only:
            with guarded(path):
                use_wal(connection, timeout)
        if config is not None:
            check_settings(path, stored, config, check)
        settings = (config or Config()).replace(**stored)
    except BaseException:
        connection.close()
        raise
    return IndexFile(path, connection, read_only=read_only), settings


def pack_text(text: str) -> bytes:
    """A text compressed for the file."""
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


def unpack_text(blob: bytes) -> str:
    """The text :func:`pack_text` stored.

    Raises:
        ValueError: The blob does not decompress or decode.

    Examples:
        >>> unpack_text(pack_text("全县"))
        '全县'
    """
    try:
        return zlib.decompress(blob).decode("utf-8", "surrogatepass")
    except zlib.error as exc:
        raise ValueError(f"a stored text does not decompress: {exc}") from None
    except UnicodeDecodeError:
        raise ValueError("a stored text is not UTF-8") from None


def pack_form(norm: NormalizedText) -> bytes:
    """A normalised text and its offset map, compressed for the file.

    Examples:
        >>> from detector.normalize import normalize
        >>> norm = normalize("２０２２年，全县")
        >>> back = unpack_form(pack_form(norm), norm.original)
        >>> back.text, back.offsets.tolist() == norm.offsets.tolist(), back.original == norm.original
        ('2022年全县', True, True)
    """
    steps = np.diff(norm.offsets, prepend=0).astype("<u4")
    return zlib.compress(norm.text.encode("utf-8", "surrogatepass") + b"\0" + steps.tobytes(), 1)


def unpack_form(blob: bytes, original: str = "") -> NormalizedText:
    """The normalised text :func:`pack_form` stored (its ``original`` when given).

    Raises:
        ValueError: The blob is not one :func:`pack_form` made.
    """
    try:
        packed = zlib.decompress(blob)
        cut = packed.index(b"\0")
        text = packed[:cut].decode("utf-8", "surrogatepass")
        steps = np.frombuffer(packed[cut + 1 :], dtype="<u4")
    except zlib.error as exc:
        raise ValueError(f"a normalised text does not decompress: {exc}") from None
    except ValueError:
        raise ValueError("a normalised text does not decode") from None
    if len(steps) != len(text):
        raise ValueError("a normalised text and its offset map differ in length")
    return NormalizedText(text, np.cumsum(steps, dtype=np.int64), original)


class IndexFile:
    """An open index file: its path and connection, and reading what it stores.

    Args:
        path: The SQLite file.
        connection: Its connection, in autocommit mode (as :func:`connect` makes it).
        read_only: Whether it was opened for reading only (nothing learned is stored then).
    """

    def __init__(self, path: Path, connection: sqlite3.Connection, *, read_only: bool = False) -> None:
        self.path = path
        self.connection = connection
        self.read_only = read_only

    def guard(self) -> contextlib.AbstractContextManager[None]:
        """A context in which any SQLite error becomes an :class:`IndexFileError` naming this file."""
        return guarded(self.path)

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """One write transaction (see :func:`transaction`)."""
        return transaction(self.connection)

    def meta(self, key: str) -> str:
        """One ``meta`` value (``""`` when missing)."""
        row = self.connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else ""

    def generation(self) -> int:
        """How many writes the documents have seen (stale learned phrases are learned again)."""
        value = self.meta("generation")
        try:
            return int(value)
        except ValueError:
            raise damaged(self.path, f"generation {value!r}") from None

    def bump(self) -> None:
        """Count one more write of the documents (inside its transaction)."""
        self.connection.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")

    def text(self, blob: bytes, sha256: str | None = None) -> str:
        """A stored text (:func:`unpack_text`), checked against its SHA-256 when given.

        Raises:
            IndexFileError: It does not unpack, or does not match its SHA-256 (damaged).
        """
        try:
            text = unpack_text(blob)
        except ValueError as exc:
            raise damaged(self.path, str(exc)) from None
        if sha256 is not None and hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest() != sha256:
            raise damaged(self.path, "a stored text does not match its SHA-256")
        return text

    def form(self, blob: bytes, original: str = "") -> NormalizedText:
        """A stored normalised text (:func:`unpack_form`); a damaged one raises :class:`IndexFileError`."""
        try:
            return unpack_form(blob, original)
        except ValueError as exc:
            raise damaged(self.path, str(exc)) from None

    def verify(self, what: str, crc: int, *parts: object) -> None:
        """Raise :func:`damaged` unless ``parts`` have the stored checksum ``crc``."""
        if checksum(*parts) != crc:
            raise damaged(self.path, f"{what} do not match their checksum")

    def array(self, blob: bytes, dtype: str, what: str, size: int | None = None) -> np.ndarray:
        """A stored array of ``dtype`` (of ``size`` values when given); ``what`` names it if damaged."""
        try:
            values = np.frombuffer(blob, dtype=dtype)
        except (TypeError, ValueError):
            raise damaged(self.path, f"stored {what} do not read") from None
        if size is not None and len(values) != size:
            raise damaged(self.path, f"stored {what} hold {len(values)} values, expected {size}")
        return values

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()
