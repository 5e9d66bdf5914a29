"""One output dispatch: any result, in any format, as text.

Renderers only render: the figures they show are the result's own. Formats:

============  ===========================================================
``text``      the tables a terminal shows (:mod:`detector.terminal`)
``json``      the result's ``to_dict()`` (:func:`detector.results.to_json`)
``html``      a self-contained page (:mod:`detector.html`)
``sarif``     SARIF 2.1.0, for code hosts (:mod:`detector.sarif`; checks only)
``junit``     JUnit XML, one test case per draft (:mod:`detector.junit`; checks only)
============  ===========================================================

Examples:
    >>> import detector
    >>> c = detector.compare("全县生态环境保护大会召开。" * 3, "全区生态环境保护大会召开。" * 3)
    >>> render(c, "json").startswith("{")
    True
"""

from __future__ import annotations

import io
from typing import Literal

from rich.console import Console

from detector.errors import ConfigError
from detector.html import check_to_html, comparison_to_html, scan_to_html
from detector.junit import check_to_junit
from detector.results import CheckResult, Comparison, ScanResult, to_json
from detector.sarif import check_to_sarif, sarif_to_json
from detector.terminal import render_check, render_comparison, render_scan

__all__ = ["FORMATS", "Format", "Result", "render", "render_console"]

Format = Literal["text", "json", "html", "sarif", "junit"]
#: Every output format.
FORMATS: tuple[Format, ...] = ("text", "json", "html", "sarif", "junit")
Result = ScanResult | CheckResult | Comparison


def render_console(result: Result, console: Console) -> None:
    """Print a result as text tables on a console.

    Args:
        result: A scan, check or comparison.
        console: Where to print.
    """
    if isinstance(result, ScanResult):
        render_scan(result, console)
    elif isinstance(result, CheckResult):
        render_check(result, console, texts=result.texts, gate=result.outcome)
    else:
        render_comparison(comparison=result, console=console, a_text=result.texts.get(result.a, ""))


def render(result: Result, format: Format, *, width: int = 120) -> str:
    """A result in one output format.

    Args:
        result: A scan, check or comparison.
        format: One of :data:`FORMATS`.
        width: Columns of the ``text`` format.

    Returns:
        The rendered text.

    Raises:
        ConfigError: The format does not apply to this kind of result.
    """
    if format == "json":
        return to_json(result)
    if format == "text":
        buffer = io.StringIO()
        render_console(result, Console(file=buffer, highlight=False, width=width))
        return buffer.getvalue()
    if format == "html":
        return _html(result)
    if not isinstance(result, CheckResult):
        raise ConfigError(f"--format {format} is for detector check")
    if format == "sarif":
        return sarif_to_json(check_to_sarif(result, dict(result.texts), result.gate))
    return check_to_junit(result, result.gate)


def _html(result: Result) -> str:
    if isinstance(result, ScanResult):
        return scan_to_html(result)
    if isinstance(result, CheckResult):
        failed = {report.draft: reasons for report, reasons in result.outcome.drafts}
        return check_to_html(result, result.texts, failed=failed)
    return comparison_to_html(result)
