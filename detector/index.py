"""Deprecated: :class:`Corpus` lives in :mod:`detector.corpus`, :func:`judge` in :mod:`detector.scoring`.

This module keeps the old import path working for one release.
"""

from __future__ import annotations

from detector.corpus import Corpus, UnknownDocumentError, similarity, similarity_of
from detector.fingerprint import Fingerprint, written_shingles
from detector.scoring import judge

__all__ = [
    "Corpus",
    "Fingerprint",
    "UnknownDocumentError",
    "judge",
    "similarity",
    "similarity_of",
    "written_shingles",
]
