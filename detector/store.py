"""A persistent corpus index in one SQLite file: :class:`Index`, the façade.

The file holds, for every document: its path, the SHA-256 of its text, the
text itself and its normalised text with the offset map (compressed), and
its whole-document MinHash signature; beside them the window LSH over all
documents with each band's keys kept sorted (merged when documents are added
or removed, so opening reads them instead of sorting), the common phrases
learned from the corpus, the settings the index was built with and the
format version. Checking a draft reads only the candidate documents' texts.

The index is kept in rooms, each holding one thing:

* :mod:`detector.index_file`: the SQLite file itself: connecting (WAL mode,
  busy timeout), the schema, the format and settings checks, transactions,
  packing texts, and turning every SQLite error into one
  :class:`~detector.errors.IndexFileError` naming the file.
* :mod:`detector.index_writer`: adding and removing documents (batches
  fingerprinted in worker processes, each committed in one transaction),
  merging the window bands, learning the common phrases.
* :mod:`detector.index_redis`: the whole-document MinHash LSH on a Redis
  server (datasketch's storage backend), shared by a team.
* here: opening, reading (documents, figures, texts) and checking drafts
  (passages through :class:`~detector.reuse.ReuseIndex`, whole-document
  near-duplicates verified by :class:`~detector.scoring.PairScorer`).

Writes are transactions: documents are committed in batches, so a crash or a
``kill -9`` in the middle of a large ``add`` leaves an index that opens and
holds every batch committed before it (documents committed but not yet
merged into the window bands are sketched again when the index is next
used). The file is in WAL mode with a busy timeout: a second writer waits
for the first instead of failing.

Whole-document near-duplicates are verified among the documents a check
finds passages in; with a Redis server the whole-document LSH proposes
candidates too. Every method raises only
:class:`~detector.errors.DetectorError`: a damaged, read-only or full file
is an :class:`~detector.errors.IndexFileError` whose one line says what to do.
"""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import numpy as np

from detector.canonical import canonical_phrases
from detector.config import INDEX_SETTINGS, Config
from detector.errors import IndexFileError, SourceError
from detector.exclusions import NO_EXCLUSIONS, Exclusions
from detector.fingerprint import Fingerprint, Fingerprinter
from detector.index_file import FORMAT_VERSION, ROW, IndexFile, create_file, damaged, open_file, writable
from detector.index_lock import IndexLock
from detector.index_redis import WholeLSH, redis_config
from detector.index_writer import AddResult, IndexWriter, digest, document_key
from detector.normalize import FurnitureRules, NormalizedText
from detector.phrases import StockPhrases, load_phrases
from detector.report import DraftReport, Match
from detector.reuse import ReuseIndex
from detector.scoring import PairScorer, rank
from detector.shingle import shingle_set
from detector.sketch import Sketcher
from detector.sources import Document
from detector.swaps import Lexicon

__all__ = ["FORMAT_VERSION", "AddResult", "Index", "IndexedDocument"]

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _guarded(method: Callable[Concatenate[Index, _P], _R]) -> Callable[Concatenate[Index, _P], _R]:
    """Run a method with every SQLite error of the file turned into an :class:`IndexFileError`."""

    @functools.wraps(method)
    def guarded(self: Index, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with self._file.guard():
            return method(self, *args, **kwargs)

    return guarded


@dataclass(frozen=True)
class IndexedDocument:
    """One document of an index, as listed.

    Attributes:
        id: Its number in the index.
        path: The path it was added from, as given.
        sha256: SHA-256 of its text (UTF-8).
        characters: Length of its normalised text.
        added: When it was added (Unix time).
        key: What identifies it: the absolute path of its file (links
            resolved), or its id for a text added directly.
    """

    id: int
    path: str
    sha256: str
    characters: int
    added: float
    key: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The document as a plain dict."""
        return asdict(self)


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
        read_only: bool = False,
    ) -> None:
        self.path = path
        self.config = config
        self.rules = rules
        self.phrases = phrases
        self.sketcher = Sketcher(config.num_perm, config.seed, config.scheme)
        self._db = connection
        self._redis = redis
        self._file = IndexFile(path, connection, read_only=read_only)
        self._writer = IndexWriter(self._file, config)
        self._whole = WholeLSH(redis, self._file, config, self.sketcher) if redis else None
        self._reuse: ReuseIndex | None = None

    # -- opening -----------------------------------------------------------------

    @classmethod
    def create(cls, path: str | Path, config: Config | None = None, **options: Any) -> Index:
        """Open an index, creating the file when it does not exist: :meth:`open` with ``create=True``.

        Args:
            path: The SQLite file.
            config: Settings for a new index; for an existing one, they must
                match the stored ones.
            **options: The keyword arguments of :meth:`open`.

        Raises:
            IndexFileError: The file cannot be created, is not an index, is
                damaged, of another format version, or built with other settings.
            ConfigError: ``redis`` is not a Redis URL.
        """
        return cls.open(path, config, create=True, **options)

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
        create: bool = False,
        read_only: bool = False,
    ) -> Index:
        """Open an existing index (or, with ``create``, a new one made when the file does not exist).

        Args:
            path: The SQLite file.
            config: Settings to check against the stored ones (only those that
                shape the index are compared); default: the stored settings.
            redis: ``redis://host:port/db`` for the whole-document LSH.
            timeout: Seconds to wait for another writer.
            check: The settings to compare (default: all that shape the index).
            rules: Furniture rules for the drafts checked (bundled ones by default).
            phrases: Listed common phrases for checks (the bundled list by default).
            create: Create the file with ``config`` when it does not exist.
            read_only: Open it for reading only (checks, listings): additions
                and removals fail, nothing learned is stored, and what other
                processes commit is still seen.

        Raises:
            IndexFileError: No such file, not an index, damaged, another format
                version, or other settings.
            ConfigError: ``redis`` is not a Redis URL.
        """
        if redis:
            redis_config(redis)
        if create:
            create_file(path, config or Config(), timeout=timeout)
        file, settings = open_file(path, config, timeout=timeout, check=check, read_only=read_only)
        return cls(
            file.path,
            file.connection,
            settings,
            redis=redis,
            rules=rules,
            phrases=phrases,
            read_only=file.read_only,
        )

    def close(self) -> None:
        """Close the file."""
        self._file.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -----------------------------------------------------------------

    @_guarded
    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM documents").fetchone()[0])

    @_guarded
    def documents(self) -> list[IndexedDocument]:
        """The indexed documents, in the order they were added."""
        listed = []
        for row in self._db.execute(f"SELECT id, crc, {ROW} FROM documents ORDER BY id"):
            self._file.verify("the stored documents", row[1], *row[2:])
            key, path, sha256, _, characters, added = row[2:8]
            listed.append(IndexedDocument(row[0], path, sha256, characters, added, key))
        return listed

    @_guarded
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

    @_guarded
    def text(self, path: str) -> str:
        """The original text of an indexed document, by its path as shown or any spelling of its file.

        Raises:
            IndexFileError: No document with this path, or its text is damaged.
        """
        found = self._writer.find(path)
        row = (
            None
            if found is None
            else self._db.execute("SELECT text, sha256 FROM documents WHERE id = ?", (found[0],)).fetchone()
        )
        if row is None:
            raise IndexFileError(f"{self.path}: no document {path!r} in the index")
        return self._file.text(row[0], row[1])

    @_guarded
    def _document(self, number: int) -> tuple[Document, NormalizedText] | None:
        """Document ``number`` (its id) with its stored normalised text; ``None`` once removed."""
        row = self._db.execute(
            f"SELECT path, text, normalized, encoding, sha256, characters, crc, {ROW} "
            "FROM documents WHERE id = ?",
            (number,),
        ).fetchone()
        if row is None:
            return None
        self._file.verify("the stored documents", row[6], *row[7:])
        text = self._file.text(row[1], row[4])
        form = self._file.form(row[2], text)
        if len(form.text) != row[5] or (len(form.text) and int(form.offsets[-1]) >= len(text)):
            raise damaged(self.path, "a stored normalised text does not match its text")
        return Document(row[0], text, row[0], row[3]), form

    # -- writing -----------------------------------------------------------------

    @_guarded
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
        every batch committed before it. The index's lock
        (:class:`~detector.index_lock.IndexLock`) is held exclusively
        throughout, so a reader holding it shared sees the addition whole or
        not at all.

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

        Raises:
            IndexFileError: The file cannot be written (read-only, disk full,
                damaged); every batch committed before stays.
        """
        self._writable()
        with IndexLock(self.path).exclusive():
            try:
                result, keys = self._writer.add(documents, rules, progress, on_error, jobs)
            finally:
                self._invalidate()
            if result.added or result.updated:
                self._changed(keys)
        return result

    @_guarded
    def remove(self, keys: Iterable[str]) -> list[str]:
        """Remove documents by path (as shown, or any spelling of the file) or by id.

        Returns:
            The paths removed.

        Raises:
            IndexFileError: A key names no document (nothing is removed then).
        """
        self._writable()
        with IndexLock(self.path).exclusive():
            paths = self._writer.remove(keys)
            self._invalidate()
            if paths:
                self._changed()
        return paths

    def _writable(self) -> None:
        """Refuse a write to an index opened for reading only (an unwritable file says so itself)."""
        if self._file.read_only and writable(self.path):
            raise IndexFileError(f"{self.path}: the index is open for reading only; open it to write")

    def _invalidate(self) -> None:
        self._reuse = None
        if self._whole is not None:
            self._whole.invalidate()

    def _changed(self, known: dict[int, np.ndarray] | None = None) -> None:
        """Bring what depends on the set of documents up to date after an add or remove."""
        self.merge_windows(known)
        self.refresh_common()
        if self._whole is not None:
            self._whole.sync()

    @_guarded
    def merge_windows(self, known: dict[int, np.ndarray] | None = None) -> None:
        """Fold the windows of newly added documents into the sorted bands, drop removed ones.

        The bands are stored sorted, so opening the index reads them instead
        of sorting every window again; a merge costs one pass over them.

        Args:
            known: Window keys of documents just added, by id (others are
                computed from the stored texts).
        """
        self._writer.merge_windows(known)
        self._reuse = None

    @_guarded
    def refresh_common(self) -> StockPhrases:
        """Learn the common phrases from the indexed documents again and store them."""
        return self._writer.refresh_common()

    # -- checking ----------------------------------------------------------------

    @_guarded
    def reuse_index(self, *, phrases: Sequence[str] | None = None) -> ReuseIndex:
        """The passage-level index, loaded from the file on first use.

        Args:
            phrases: Listed common phrases (default: the bundled list); used
                when the index is loaded.
        """
        if self._reuse is None:
            # Sorted bands from the file, plus any documents a crash left unmerged.
            windows = self._writer.segments()
            keys, numbers = self._writer.pending()
            if keys:
                windows.merge(keys, numbers)
            listed = load_phrases() if phrases is None else phrases
            common = self._writer.common().with_phrases(canonical_phrases(listed, self.config))
            self._reuse = ReuseIndex(windows, common, self._document, config=self.config)
        return self._reuse

    @_guarded
    def near_duplicates(
        self,
        text: str,
        *,
        rules: FurnitureRules | None = None,
        among: Iterable[str] = (),
        hide: Collection[int] = (),
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
            hide: Ids of documents never reported (the draft itself).
        """
        fingerprinter = Fingerprinter(self.config, rules)
        query = fingerprinter.batch([Document("<query>", text)])[0]
        if query is None:
            return []
        numbers = self._numbers(among)
        if self._whole is not None:
            numbers |= self._whole.query(query.signature)
        scorer = PairScorer(fingerprinter)
        matches = []
        for number in sorted(numbers - set(hide)):
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

    @_guarded
    def check(
        self,
        draft: Document | str,
        *,
        lexicon: Lexicon | None = None,
        min_passage: int | None = None,
        max_candidates: int | None = None,
        rules: FurnitureRules | None = None,
        phrases: Sequence[str] | None = None,
        exclusions: Exclusions = NO_EXCLUSIONS,
    ) -> DraftReport:
        """Check a draft against the index, as :meth:`detector.Corpus.check` does.

        Args:
            draft: The draft or its text.
            min_passage: Shortest passage reported (default: ``config.min_passage``).
            max_candidates: Most candidate sources matched exactly (default:
                ``config.max_candidates``).
            lexicon: Spin lexicon for the swaps.
            rules: Furniture rules (default: those the index was opened with).
            phrases: Listed common phrases (default: those the index was opened with).
            exclusions: Own work, base documents, quotations (:mod:`detector.exclusions`).

        Returns:
            A :class:`~detector.report.DraftReport`, with the whole-document
            near-duplicates. A draft whose text is indexed already names that
            document (``indexed_as``); neither it nor the document of the
            draft's own file is among its sources or near-duplicates.
        """
        if isinstance(draft, str):
            draft = Document(id="<draft>", text=draft)
        rules = self.rules if rules is None else rules
        phrases = self.phrases if phrases is None else phrases
        itself, indexed_as = self._itself(draft)
        reuse = self.reuse_index(phrases=phrases)
        if itself:
            fetch = self._document
            reuse = ReuseIndex(
                reuse.windows, reuse.stock, lambda n: None if n in itself else fetch(n), config=self.config
            )
        report = reuse.check(
            draft,
            min_passage=min_passage,
            rules=rules,
            lexicon=lexicon,
            max_candidates=max_candidates,
            exclusions=exclusions,
        )
        among = [s.source for s in report.sources]
        found = self.near_duplicates(draft.text, rules=rules, among=among, hide=itself)
        duplicates = tuple(
            m for m in found if m.id not in (draft.path, draft.id) and not exclusions.is_base(m.id)
        )
        return dataclasses.replace(report.with_duplicates(duplicates), indexed_as=indexed_as)

    def _itself(self, draft: Document) -> tuple[set[int], str | None]:
        """Ids of the documents that are the draft (its text or its file); the path of one with its text."""
        same = self._db.execute(
            "SELECT id, path, key FROM documents WHERE sha256 = ? ORDER BY id", (digest(draft.text),)
        ).fetchall()
        key = document_key(draft) if draft.path is not None else None
        itself = {int(row[0]) for row in same}
        if key is not None:
            itself.update(
                int(row[0]) for row in self._db.execute("SELECT id FROM documents WHERE key = ?", (key,))
            )
        shown = sorted(same, key=lambda row: row[2] != key)
        return itself, (str(shown[0][1]) if shown else None)
