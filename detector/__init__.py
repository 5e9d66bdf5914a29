"""detector: near-duplicate and template-reuse detection for speeches and documents.

Examples:
    >>> import detector
    >>> corpus = detector.Corpus()
    >>> _ = corpus.add("坚决打赢2022年污染防治攻坚战，系统提升我县城乡人居环境。", id="2022")
    >>> [m.id for m in corpus.query("坚决打赢2023年污染防治攻坚战，系统提升我县城乡人居环境。")]
    ['2022']
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
