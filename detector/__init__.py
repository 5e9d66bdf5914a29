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

from detector.config import Config
from detector.diff import compare
from detector.errors import (
    ConfigError,
    DetectorError,
    EmptyDocumentError,
    SourceError,
    UnsupportedFileError,
)
from detector.index import Corpus, Fingerprint, UnknownDocumentError, judge, similarity
from detector.normalize import NormalizedText, load_rules, normalize
from detector.report import Comparison, Match, Pair, Passage, Position, ScanResult, Swap
from detector.sketch import Sketcher, estimate_jaccard
from detector.sources import Document, read_document, read_documents
from detector.swaps import Lexicon, load_lexicon

__all__ = [
    "Comparison",
    "Config",
    "ConfigError",
    "Corpus",
    "DetectorError",
    "Document",
    "EmptyDocumentError",
    "Fingerprint",
    "Lexicon",
    "Match",
    "NormalizedText",
    "Pair",
    "Passage",
    "Position",
    "ScanResult",
    "Sketcher",
    "SourceError",
    "Swap",
    "UnknownDocumentError",
    "UnsupportedFileError",
    "__version__",
    "compare",
    "estimate_jaccard",
    "judge",
    "load_lexicon",
    "load_rules",
    "normalize",
    "read_document",
    "read_documents",
    "similarity",
]
