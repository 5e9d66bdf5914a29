"""Writing an index: adding and removing documents, merging the window bands, learning phrases.

Adding fingerprints documents in batches of :data:`BATCH` (in worker
processes when ``jobs > 1``, see :mod:`detector.workers`) and writes each batch in one
transaction, in order: a crash keeps every batch committed before it.
Documents committed but not yet merged into the sorted window bands are
marked so, and :meth:`IndexWriter.pending` sketches them again from their
stored normalised texts. After the documents change, the bands are merged
(:meth:`IndexWriter.merge_windows`) and the common phrases learned again
(:meth:`IndexWriter.refresh_common`).

Examples:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from detector import Config, Document
    >>> from detector.index_file import create_file, open_file
    >>> path = Path(tempfile.mkdtemp()) / "speeches.db"
    >>> _ = create_file(path, Config())
    >>> file, config = open_file(path)
    >>> writer = IndexWriter(file, config)
    >>> text = "坚决打赢2022年污染防治攻坚战，系统提升我县城乡人居环境。"
    >>> result, keys = writer.add([Document("a.txt", text, "a.txt")], None, None, None, 1)
    >>> result.added, sorted(keys)
    (('a.txt',), [1])
    >>> writer.merge_windows(keys)
    >>> writer.pending()
    ([], [])
    >>> writer.remove(["a.txt"])
    ['a.txt']
    >>> file.close()
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from detector.config import Config
from detector.errors import EmptyDocumentError, IndexFileError, SourceError
from detector.fingerprint import EMPTY_REASON, Fingerprint, Fingerprinter, load_tables
from detector.index_file import ROW, IndexFile, checksum, damaged, pack_form, pack_text, unpack_text
from detector.normalize import FurnitureRules
from detector.phrases import LEARN_SAMPLE, StockPhrases, learn_common, sample_key
from detector.sources import Document, display_path
from detector.windows import WindowIndex
from detector.workers import ordered_map

__all__ = ["BATCH", "AddResult", "IndexWriter", "document_key", "fingerprint_rows", "path_key"]

#: Documents fingerprinted and committed together.
BATCH = 64


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


def path_key(path: str) -> str:
    """What identifies a file in an index: its absolute path, symbolic links and ``..`` resolved.

    Examples:
        >>> path_key("a/../b.txt") == os.path.join(os.path.realpath("."), "b.txt")
        True
    """
    return os.path.realpath(path)


def document_key(document: Document) -> str:
    """A document's key in an index: :func:`path_key` of its file, or its id for a text given directly."""
    return document.id if document.path is None else path_key(document.path)


def digest(text: str) -> str:
    """SHA-256 of a text (UTF-8), as the index stores it."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def fingerprint_rows(
    texts: Sequence[str], config: Config, rules: FurnitureRules | None
) -> list[tuple[Any, ...] | None]:
    """What the file stores of each text, fingerprinted in one batch (``None``: nothing to match).

    A module function, so that worker processes can run it.

    Returns:
        For each text: its length, sample key, packed text, packed
        normalised text, signature bytes, then its window keys.
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
        pack_text(fp.document.text),
        pack_form(fp.form),
        fp.signature.astype("<u4").tobytes(),
        fp.windows,
    )


def _batches(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    """The documents in lists of ``size`` (the last shorter), read as they are needed."""
    batch: list[Document] = []
    for document in documents:
        batch.append(document)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


#: A document to write: the document, its key, the SHA-256 of its text, whether its key was indexed.
_Todo = tuple[Document, str, str, bool]


@dataclass
class _Add:
    """One ``add`` under way: what it has done so far."""

    writer: IndexWriter
    progress: Callable[[int], None] | None
    on_error: Callable[[SourceError], None] | None
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    keys: dict[int, np.ndarray] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)

    def select(self, batch: Sequence[Document]) -> list[_Todo]:
        """The documents of a batch whose text is not indexed yet (intact) under their key.

        A file named twice (by two spellings of its path) is taken once.
        """
        todo = []
        for document in batch:
            key, shown, text_digest = (
                document_key(document),
                document.path or document.id,
                digest(document.text),
            )
            found = self.writer.connection.execute(
                f"SELECT sha256, text, crc, {ROW} FROM documents WHERE key = ?", (key,)
            ).fetchone()
            if key in self.seen or (found and found[0] == text_digest and _intact(found)):
                self.unchanged.append(shown)
                continue
            self.seen.add(key)
            todo.append((document, key, text_digest, bool(found)))
        return todo

    def store(self, todo: Sequence[_Todo], rows: Sequence[tuple[Any, ...] | None], size: int) -> None:
        """Write a batch's fingerprinted documents, report those with nothing to match."""
        written = []
        for (document, key, digest, found), made in zip(todo, rows, strict=True):
            if made is None:
                error = EmptyDocumentError(key, EMPTY_REASON)
                if self.on_error is None:
                    raise error
                self.on_error(error)
                continue
            written.append((key, document.path or document.id, digest, document.encoding, *made, found))
        outcome = {"added": self.added, "updated": self.updated, "unchanged": self.unchanged}
        for (number, status), row in zip(self.writer.write(written), written, strict=True):
            if number is not None:
                self.keys[number] = row[-2]
            outcome[status].append(row[1])
        if self.progress is not None:
            self.progress(size)

    def result(self) -> AddResult:
        """What was added, updated and left unchanged."""
        return AddResult(tuple(self.added), tuple(self.updated), tuple(self.unchanged))


def _intact(row: Sequence[Any]) -> bool:
    """Whether a stored document (its SHA-256, text, checksum, then its :data:`ROW`) is undamaged."""
    try:
        return digest(unpack_text(row[1])) == row[0] and checksum(*row[3:]) == row[2]
    except ValueError:
        return False


class IndexWriter:
    """Writes documents, window bands and learned phrases into an open index file.

    Args:
        file: The open index file.
        config: The settings the index was built with.
    """

    def __init__(self, file: IndexFile, config: Config) -> None:
        self.file = file
        self.config = config
        self.connection = file.connection

    def add(
        self,
        documents: Iterable[Document],
        rules: FurnitureRules | None,
        progress: Callable[[int], None] | None,
        on_error: Callable[[SourceError], None] | None,
        jobs: int,
    ) -> tuple[AddResult, dict[int, np.ndarray]]:
        """Add documents in batches, each committed in one transaction (see :meth:`detector.Index.add`).

        Returns:
            What was added, updated and left unchanged, and the window keys of
            the documents written, by id (for :meth:`merge_windows`).
        """
        run = _Add(self, progress, on_error)
        todos = ((run.select(batch), len(batch)) for batch in _batches(documents, BATCH))
        for (todo, size), rows in ordered_map(
            fingerprint_rows,
            todos,
            jobs,
            lambda item: ([document.text for document, _, _, _ in item[0]], self.config, rules),
            prepare=lambda: load_tables(self.config, rules),
        ):
            run.store(todo, rows, size)
        return run.result(), run.keys

    def write(self, rows: Sequence[tuple[Any, ...]]) -> list[tuple[int | None, str]]:
        """Insert a batch in one transaction, replacing documents of the same key.

        What is stored under a key is looked at again inside the transaction,
        so of two processes adding the same file, one adds it and the other
        finds it unchanged. A document is shown by its path as given, or by
        its key when another document is shown so already.

        Returns:
            For each row, its new id (``None`` when left alone) and whether it
            was ``added``, ``updated`` or found ``unchanged``.
        """
        now = time.time()
        done: list[tuple[int | None, str]] = []
        if not rows:
            return done
        with self.file.transaction():
            for key, shown, sha, encoding, characters, sample, text, normalized, signature, _, _ in rows:
                found = self.connection.execute(
                    f"SELECT sha256, text, crc, {ROW} FROM documents WHERE key = ?", (key,)
                ).fetchone()
                if found and found[0] == sha and _intact(found):
                    done.append((None, "unchanged"))
                    continue
                self.connection.execute("DELETE FROM documents WHERE key = ?", (key,))
                if self.connection.execute("SELECT 1 FROM documents WHERE path = ?", (shown,)).fetchone():
                    shown = key
                crc = checksum(key, shown, sha, encoding, characters, now, sample, signature)
                cursor = self.connection.execute(
                    "INSERT INTO documents (key, path, sha256, encoding, characters, added, sample_key, "
                    "text, normalized, signature, crc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (key, shown, sha, encoding, characters, now, sample, text, normalized, signature, crc),
                )
                done.append((int(cursor.lastrowid or 0), "updated" if found else "added"))
            self.file.bump()
        return done

    def find(self, name: str) -> tuple[int, str] | None:
        """The id and shown path of the document named by its shown path, any spelling of its file or id."""
        name = display_path(name)
        for column, value in (
            ("path", name),
            ("key", path_key(name)),
            ("id", int(name) if name.isdigit() else None),
        ):
            if value is not None:
                row = self.connection.execute(
                    f"SELECT id, path FROM documents WHERE {column} = ?", (value,)
                ).fetchone()
                if row is not None:
                    return int(row[0]), str(row[1])
        return None

    def remove(self, keys: Iterable[str]) -> list[str]:
        """Remove documents by path (any spelling) or id, in one transaction (see :meth:`Index.remove`).

        Raises:
            IndexFileError: A key names no document (nothing is removed then).
        """
        paths = []
        with self.file.transaction():
            for key in keys:
                row = self.find(key)
                if row is None:
                    raise IndexFileError(
                        f"{self.file.path}: no document {key!r} in the index; see detector index list"
                    )
                self.connection.execute("DELETE FROM documents WHERE id = ?", (row[0],))
                paths.append(row[1])
            self.file.bump()
        return paths

    def segments(self) -> WindowIndex:
        """The sorted band keys stored in the file, as a window index."""
        index = WindowIndex(seed=self.config.seed, ngram=self.config.ngram)
        rows = self.connection.execute("SELECT keys, owners, crc FROM segments ORDER BY band").fetchall()
        if len(rows) != index.bands:
            return index
        for k, o, crc in rows:
            self.file.verify("the window bands", crc, k, o)
        keys = [self.file.array(k, "<u4", "window keys") for k, _, _ in rows]
        owners = [self.file.array(o, "<i4", "window owners", len(keys[0])) for _, o, _ in rows]
        if any(len(k) != len(keys[0]) for k in keys):
            raise damaged(self.file.path, "the window bands differ in length")
        index.load_arrays(np.stack(keys), np.stack(owners))
        return index

    def pending(self, known: dict[int, np.ndarray] | None = None) -> tuple[list[np.ndarray], list[int]]:
        """Window keys of the documents not yet merged into the sorted bands, and their ids.

        Keys at hand (``known``, by id) are used as they are; the others (a
        crash between committing documents and merging them) are computed
        again from the stored normalised texts.
        """
        known = known or {}
        numbers = [
            row[0] for row in self.connection.execute("SELECT id FROM documents WHERE merged = 0 ORDER BY id")
        ]
        missing = [n for n in numbers if n not in known]
        computed: dict[int, np.ndarray] = {}
        windows = WindowIndex(seed=self.config.seed, ngram=self.config.ngram)
        for start in range(0, len(missing), 256):
            chunk = missing[start : start + 256]
            texts = [self._codepoints(number) for number in chunk]
            computed.update(zip(chunk, windows.documents_keys(texts), strict=True))
        return [known[n] if n in known else computed[n] for n in numbers], numbers

    def _codepoints(self, number: int) -> np.ndarray:
        """The stored normalised text of document ``number`` as code points (empty once removed)."""
        row = self.connection.execute("SELECT normalized FROM documents WHERE id = ?", (number,)).fetchone()
        return np.empty(0, np.uint32) if row is None else self.file.form(row[0]).codepoints()

    def merge_windows(self, known: dict[int, np.ndarray] | None = None) -> None:
        """Fold the windows of newly added documents into the sorted bands, drop removed ones.

        Args:
            known: Window keys of documents just added, by id (others are
                computed from the stored texts).
        """
        with self.file.transaction():
            index = self.segments()
            keys, numbers = self.pending(known)
            live = np.array(
                [row[0] for row in self.connection.execute("SELECT id FROM documents")], dtype=np.int32
            )
            index.merge(keys, numbers, keep=live)
            merged_keys, merged_owners = index.arrays
            self.connection.execute("DELETE FROM segments")
            blobs = [
                (merged_keys[band].astype("<u4").tobytes(), merged_owners[band].astype("<i4").tobytes())
                for band in range(index.bands)
            ]
            self.connection.executemany(
                "INSERT INTO segments (band, keys, owners, crc) VALUES (?, ?, ?, ?)",
                [(band, k, o, checksum(k, o)) for band, (k, o) in enumerate(blobs)],
            )
            self.connection.executemany(
                "UPDATE documents SET merged = 1 WHERE id = ?", [(n,) for n in numbers]
            )

    def refresh_common(self) -> StockPhrases:
        """Learn the common phrases from the indexed documents again and store them (unless read-only)."""
        generation = self.file.generation()
        rows = self.connection.execute(
            "SELECT id, normalized FROM documents ORDER BY sample_key, id LIMIT ?", (LEARN_SAMPLE,)
        ).fetchall()
        rows.sort()
        texts = [self.file.form(blob).codepoints() for _, blob in rows]
        model = learn_common(texts, config=self.config)
        if self.file.read_only:
            return model
        with self.file.transaction():
            self.connection.execute("DELETE FROM common")
            hashes = model.learned.astype("<u8").tobytes()
            self.connection.execute(
                "INSERT INTO common (id, generation, hashes, crc) VALUES (1, ?, ?, ?)",
                (generation, hashes, checksum(generation, hashes)),
            )
        return model

    def common(self) -> StockPhrases:
        """The learned common phrases stored, learned again when the documents changed since."""
        row = self.connection.execute("SELECT generation, hashes, crc FROM common").fetchone()
        if row is None or row[0] != self.file.generation():
            return self.refresh_common()
        self.file.verify("the learned common phrases", row[2], row[0], row[1])
        return StockPhrases((), self.file.array(row[1], "<u8", "common phrases").astype(np.uint64))
