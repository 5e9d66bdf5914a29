"""Find recycled speeches and documents: near-duplicates, reused passages and what was swapped.

detector reads texts (Chinese first, any language after), finds the documents
that are copies of one another, even reformatted by a document-sharing site
or disguised (traditional script, spun words, years and places changed), and
tells how much they share. The ``detector`` command does the same from a
shell (``detector --help``).

Where to start:

* :func:`scan` (files and folders) finds the recycled and partly reused
  documents among them: a :class:`ScanResult` of ranked :class:`Pair` s and
  recycled groups.
* :func:`check` (drafts, ``against=`` files or ``index=`` an index file) finds
  the passages each draft takes from earlier documents and its copy ratio: a
  :class:`CheckResult` of :class:`DraftReport` s; a :class:`Gate` makes it a
  CI check.
* :func:`compare` (two texts or documents) tells what was swapped between
  them, years, numbers, places and spun words, each with its positions: a
  :class:`Comparison`. :func:`compare_files` reads two files first.
* :class:`Corpus` keeps documents in memory: ``add``, ``query`` (the
  near-duplicates of a text), ``check`` (its reused passages), ``scan``.
* :class:`Index` keeps an archive in one SQLite file, built once and checked
  against many times (``Index.open(path, create=True)``, ``add``, ``check``).
* Results (:mod:`detector.results`) are frozen dataclasses with ``to_dict``;
  :mod:`detector.render` writes them as text, JSON or HTML.
* Errors: every error about the input is a :class:`DetectorError`
  (:class:`SourceError` for a file that cannot be read,
  :class:`EmptyDocumentError`, :class:`IndexFileError`, :class:`ConfigError`
  and others); anything else is a bug.
* Settings: :class:`Config` (n-gram size, thresholds, matching through
  disguise) and :class:`CheckOptions`; the defaults are those of the command.

Examples:
    What was swapped between two versions of a sentence:

    >>> import detector
    >>> old = "坚决打赢2022年污染防治攻坚战，系统提升我县城乡人居环境，为县域发展提供坚实基础。"
    >>> new = "坚决打赢2023年污染防治攻坚战，系统提升我县城乡人居环境，为县域开展提供坚实根底。"
    >>> comparison = detector.compare(old, new)
    >>> comparison.verdict
    'recycled'
    >>> [(swap.kind, swap.old, swap.new) for swap in comparison.swaps]
    [('year', '2022', '2023'), ('synonym', '发展', '开展'), ('synonym', '基础', '根底')]

    A draft checked against the documents of a corpus:

    >>> corpus = detector.Corpus()
    >>> _ = corpus.add(old, id="2022")
    >>> [(match.id, match.verdict) for match in corpus.query(new)]
    [('2022', 'recycled')]
    >>> report = corpus.check(new)
    >>> [(source.source, round(source.copy_ratio, 2)) for source in report.sources]
    [('2022', 0.97)]

    Files and folders: ``detector.scan(["archive/"])`` for the recycled
    pairs, ``detector.check(["draft.txt"], against=["archive/"])`` for a
    draft's reused passages.
"""

from __future__ import annotations

__version__ = "0.1.0"

from detector.config import CheckOptions, Config
from detector.corpus import Corpus, UnknownDocumentError, similarity
from detector.errors import (
    ConfigError,
    DetectorError,
    EmptyDocumentError,
    IndexFileError,
    SourceError,
    SparkUnavailableError,
    UnsupportedFileError,
)
from detector.fingerprint import Fingerprint, Fingerprinter
from detector.gate import Gate, GateResult
from detector.normalize import NormalizedText, load_rules, normalize
from detector.phrases import StockPhrases, load_phrases
from detector.results import (
    CheckResult,
    CommonPhrase,
    Comparison,
    DraftReport,
    Match,
    Pair,
    Passage,
    Position,
    Report,
    ReusedPassage,
    ScanResult,
    SourceReuse,
    Swap,
)
from detector.scoring import PairScorer, Scores, judge
from detector.sketch import Sketcher, estimate_jaccard
from detector.sources import Document, read_document, read_documents
from detector.store import AddResult, Index, IndexedDocument
from detector.swaps import Lexicon, load_lexicon
from detector.workflows import CheckTarget, check, compare, compare_files, scan

__all__ = [
    "AddResult",
    "CheckOptions",
    "CheckResult",
    "CheckTarget",
    "CommonPhrase",
    "Comparison",
    "Config",
    "ConfigError",
    "Corpus",
    "DetectorError",
    "Document",
    "DraftReport",
    "EmptyDocumentError",
    "Fingerprint",
    "Fingerprinter",
    "Gate",
    "GateResult",
    "Index",
    "IndexFileError",
    "IndexedDocument",
    "Lexicon",
    "Match",
    "NormalizedText",
    "Pair",
    "PairScorer",
    "Passage",
    "Position",
    "Report",
    "ReusedPassage",
    "ScanResult",
    "Scores",
    "Sketcher",
    "SourceError",
    "SourceReuse",
    "SparkUnavailableError",
    "StockPhrases",
    "Swap",
    "UnknownDocumentError",
    "UnsupportedFileError",
    "__version__",
    "check",
    "compare",
    "compare_files",
    "estimate_jaccard",
    "judge",
    "load_lexicon",
    "load_phrases",
    "load_rules",
    "normalize",
    "read_document",
    "read_documents",
    "scan",
    "similarity",
]
