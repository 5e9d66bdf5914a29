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
from detector.errors import (
    ConfigError,
    DetectorError,
    EmptyDocumentError,
    SourceError,
    UnsupportedFileError,
)
from detector.index import Corpus, Fingerprint, UnknownDocumentError, judge, similarity
from detector.normalize import NormalizedText, load_rules, normalize
from detector.report import Match, Pair, ScanResult
from detector.sketch import Sketcher, estimate_jaccard
from detector.sources import Document, read_document, read_documents

__all__ = [
    "Config",
    "ConfigError",
    "Corpus",
    "DetectorError",
    "Document",
    "EmptyDocumentError",
    "Fingerprint",
    "Match",
    "NormalizedText",
    "Pair",
    "ScanResult",
    "Sketcher",
    "SourceError",
    "UnknownDocumentError",
    "UnsupportedFileError",
    "__version__",
    "estimate_jaccard",
    "judge",
    "load_rules",
    "normalize",
    "read_document",
    "read_documents",
    "similarity",
]
