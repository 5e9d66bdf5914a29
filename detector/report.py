"""Deprecated: import from detector.results and detector.terminal; this module goes in the next release.

The result types, :func:`~detector.results.to_json` and its aliases live in
:mod:`detector.results`; the rich text renderers in :mod:`detector.terminal`.
"""

from __future__ import annotations

from detector.results import (
    SCHEMA_VERSION,
    SWAP_KINDS,
    CheckResult,
    CommonPhrase,
    Comparison,
    Match,
    Pair,
    Passage,
    Position,
    Report,
    ReusedPassage,
    ScanResult,
    SourceReuse,
    Swap,
    Verdict,
    check_to_json,
    comparison_to_json,
    plural,
    scan_to_json,
)
from detector.terminal import render_check, render_comparison, render_scan

__all__ = [
    "SCHEMA_VERSION",
    "SWAP_KINDS",
    "CheckResult",
    "CommonPhrase",
    "Comparison",
    "Match",
    "Pair",
    "Passage",
    "Position",
    "Report",
    "ReusedPassage",
    "ScanResult",
    "SourceReuse",
    "Swap",
    "Verdict",
    "check_to_json",
    "comparison_to_json",
    "plural",
    "render_check",
    "render_comparison",
    "render_scan",
    "scan_to_json",
]
