"""The fingerprint step: what every engine keeps of a document for matching.

One batch call turns documents into :class:`Fingerprint` records: the
matching form (normalised, disguise undone as the settings say), its sorted
set of n-gram hashes, its MinHash signature and, on request, the window keys
of the passage index. The in-memory corpus, the on-disk index, the Spark job
and phrase learning all call it, so a document is fingerprinted the same way
wherever it goes.

Examples:
    >>> from detector import Config, Document
    >>> step = Fingerprinter(Config())
    >>> (fp,) = step.batch([Document("a", "坚决打赢2022年污染防治攻坚战。")])
    >>> fp.length, len(fp.signature)
    (16, 128)
"""

from __future__ import annotations

import functools
import os
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from detector.canonical import matching_form
from detector.config import Config
from detector.errors import EmptyDocumentError, SourceError
from detector.normalize import FurnitureRules, NormalizedText, Removal, normalize
from detector.shingle import shingle_sets
from detector.sketch import Sketcher
from detector.sources import Document, read_document
from detector.windows import WindowIndex

__all__ = [
    "EMPTY_REASON",
    "SAMPLE_RATE",
    "Fingerprint",
    "Fingerprinter",
    "FormParts",
    "LeanParts",
    "load_tables",
    "read_and_sketch",
    "sample",
    "sketch_texts",
    "text_crc",
    "written_shingles",
]

#: Why a document with nothing to match is left out.
EMPTY_REASON = "no letters or digits left after removing furniture"


@dataclass(frozen=True, eq=False)
class Fingerprint:
    """What matching keeps of one document.

    Attributes:
        document: The document as read.
        shingles: Sorted unique uint64 hashes of its n-grams, in the matching form.
        signature: Its uint32 MinHash signature.
        length: Number of characters of its matching form.
        form: The matching form itself (kept only when asked for).
        windows: Its window keys for the passage index (made only when asked for).
    """

    document: Document
    shingles: np.ndarray
    signature: np.ndarray
    length: int
    form: NormalizedText | None = None
    windows: np.ndarray | None = None

    @property
    def id(self) -> str:
        """The document's id."""
        return self.document.id

    @property
    def label(self) -> str:
        """How results name the document: its path, else its id."""
        return self.document.path or self.document.id


@functools.lru_cache(maxsize=8)
def _tools(num_perm: int, seed: int, scheme: str, ngram: int) -> tuple[Sketcher, WindowIndex]:
    return Sketcher(num_perm, seed, scheme), WindowIndex(seed=seed, ngram=ngram)  # type: ignore[arg-type]


class Fingerprinter:
    """Fingerprints documents under one set of settings.

    Args:
        config: Settings (``ngram``, ``num_perm``, ``seed``, ``scheme``,
            ``canonical``, ``mask_entities``).
        rules: Furniture rules (the bundled ones by default).
    """

    def __init__(self, config: Config | None = None, rules: FurnitureRules | None = None) -> None:
        self.config = config or Config()
        self.rules = rules
        self.sketcher, self.windows = _tools(
            self.config.num_perm, self.config.seed, self.config.scheme, self.config.ngram
        )

    def form(self, text: str) -> NormalizedText:
        """The matching form of a text."""
        return matching_form(text, self.config, self.rules)

    def written(self, text: str) -> np.ndarray:
        """The n-gram set of a text as written (normalised, no disguise undone)."""
        return written_shingles(text, self.config, self.rules)

    def sketch(self, codepoints: Sequence[np.ndarray]) -> tuple[list[np.ndarray], np.ndarray]:
        """N-gram sets and signatures of texts already in matching form, as code points."""
        sets = shingle_sets(list(codepoints), self.config.ngram)
        if not sets:
            return sets, np.empty((0, self.config.num_perm), dtype=np.uint32)
        return sets, self.sketcher.sketch_many(sets)

    def batch(
        self, documents: Sequence[Document], *, keep_form: bool = False, windows: bool = False
    ) -> list[Fingerprint | None]:
        """Fingerprint documents in one batch.

        Args:
            documents: The documents.
            keep_form: Keep each matching form in the record.
            windows: Also make the window keys of the passage index.

        Returns:
            One record per document, ``None`` for a document with nothing to match.
        """
        forms = [self.form(d.text) for d in documents]
        kept = [i for i, f in enumerate(forms) if f.text]
        codepoints = [forms[i].codepoints() for i in kept]
        sets, signatures = self.sketch(codepoints)
        keys = self.windows.documents_keys(codepoints) if windows and kept else [None] * len(kept)
        made: list[Fingerprint | None] = [None] * len(documents)
        for position, i in enumerate(kept):
            made[i] = Fingerprint(
                documents[i],
                sets[position],
                signatures[position],
                len(forms[i].text),
                forms[i] if keep_form else None,
                keys[position],
            )
        return made

    def one(self, document: Document, *, keep_form: bool = False) -> Fingerprint:
        """Fingerprint one document.

        Raises:
            EmptyDocumentError: Nothing to match is left after normalisation.
        """
        (made,) = self.batch([document], keep_form=keep_form)
        if made is None:
            raise EmptyDocumentError(document.path or document.id, EMPTY_REASON)
        return made


#: What :func:`sketch_texts` sends back of a matching form: its text, offsets
#: and removals, and the window keys of the passage index.
FormParts = tuple[str, np.ndarray, tuple[Removal, ...], np.ndarray]


def load_tables(config: Config, rules: FurnitureRules | None) -> None:
    """Load the lookup tables fingerprinting uses (worker processes started after inherit them)."""
    Fingerprinter(config, rules).batch([Document("", "全县2022年開展")])


def sketch_texts(
    texts: Sequence[str], config: Config, rules: FurnitureRules | None, keep_forms: bool = False
) -> list[tuple[np.ndarray, np.ndarray, int, FormParts | None] | None]:
    """The n-gram set, signature, length and (on request) matching form and window keys of each text.

    What :meth:`Fingerprinter.batch` makes, without the documents: a module
    function that worker processes run, sending back only arrays and the
    folded texts (``None`` for a text with nothing to match).

    Examples:
        >>> made = sketch_texts(["全县生态环境", "，"], Config(), None)
        >>> made[0][2], made[1]
        (6, None)
    """
    made = Fingerprinter(config, rules).batch(
        [Document("", text) for text in texts], keep_form=keep_forms, windows=keep_forms
    )
    return [None if fp is None else (fp.shingles, fp.signature, fp.length, _form_parts(fp)) for fp in made]


def _form_parts(fp: Fingerprint) -> FormParts | None:
    if fp.form is None or fp.windows is None:
        return None
    return fp.form.text, fp.form.offsets, fp.form.removed, fp.windows


#: A sample keeps the n-gram hashes that are multiples of this (one in four).
SAMPLE_RATE = 4


def sample(shingles: np.ndarray) -> np.ndarray:
    """What a scan of files keeps of a document's n-gram set: one hash in :data:`SAMPLE_RATE`.

    The same hashes are kept for every document (those that are multiples of
    the rate), as their high 32 bits, sorted: about 3 KB for 3,000
    characters. Scores of two samples estimate the scores of the two sets
    (:func:`~detector.scoring.may_pass`).

    Examples:
        >>> hashes = np.array([1 << 33, (2 << 32) + 1, (5 << 32) + 8], dtype=np.uint64)
        >>> sample(hashes).tolist()
        [2, 5]
    """
    kept = shingles[shingles % np.uint64(SAMPLE_RATE) == 0]
    return np.unique((kept >> np.uint64(32)).astype(np.uint32))


#: What :func:`read_and_sketch` sends back of a file: the document without its
#: text, its signature, its length, the CRC-32 of its text and the sample of
#: its n-gram set (:func:`sample`).
LeanParts = tuple[Document, np.ndarray, int, int, np.ndarray]


def text_crc(text: str) -> int:
    """CRC-32 of a text (to tell that a file read again still holds it).

    Examples:
        >>> text_crc("全县")
        1466248201
    """
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def read_and_sketch(
    paths: Sequence[str | os.PathLike[str]],
    config: Config,
    rules: FurnitureRules | None,
    max_bytes: int,
    full: bool = False,
) -> list[LeanParts | Fingerprint | SourceError]:
    """Read files and fingerprint them (a module function that worker processes run).

    Args:
        paths: The files.
        config: Settings.
        rules: Furniture rules.
        max_bytes: Refuse larger files.
        full: Send back whole fingerprints (with the text and n-gram set),
            not only what finding candidates needs.

    Returns:
        For each file, in order: what was made of it, or the error that
        stopped it (unreadable, or nothing to match).
    """
    read: list[Document | SourceError] = []
    for path in paths:
        try:
            read.append(read_document(path, max_bytes=max_bytes))
        except SourceError as exc:
            read.append(exc)
    documents = [d for d in read if isinstance(d, Document)]
    made = iter(Fingerprinter(config, rules).batch(documents))
    out: list[LeanParts | Fingerprint | SourceError] = []
    for item in read:
        if isinstance(item, SourceError):
            out.append(item)
            continue
        fp = next(made)
        if fp is None:
            out.append(EmptyDocumentError(item.path or item.id, EMPTY_REASON))
        elif full:
            out.append(fp)
        else:
            bare = Document(item.id, "", item.path, item.encoding)
            out.append((bare, fp.signature, fp.length, text_crc(item.text), sample(fp.shingles)))
    return out


def written_shingles(text: str, config: Config, rules: FurnitureRules | None = None) -> np.ndarray:
    """The n-gram set of a text's normalised form as written, no disguise undone (for ``raw_similarity``).

    Examples:
        >>> len(written_shingles("全县生态环境", Config()))
        2
    """
    return shingle_sets([normalize(text, rules=rules).codepoints()], config.ngram)[0]
