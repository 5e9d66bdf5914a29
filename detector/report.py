"""Deprecated: import from detector.results and detector.terminal; this module goes in the next release.

The result types, :func:`~detector.results.to_json` and its aliases live in
:mod:`detector.results`; the rich text renderers in :mod:`detector.terminal`.
"""

from __future__ import annotations

from detector.results import *  # noqa: F403
from detector.results import __all__ as _results
from detector.terminal import render_check, render_comparison, render_scan

__all__ = [*_results, "render_check", "render_comparison", "render_scan"]
