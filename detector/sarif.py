"""A check as a SARIF 2.1.0 log, for code hosts to annotate each reused passage.

One result per reused passage, located in the draft with the source passage
as a related location, and one per whole-document near-duplicate; the
results of drafts that fail the gate are errors, the others warnings.

Examples:
    >>> from detector.results import CheckResult, DraftReport
    >>> log = check_to_sarif(CheckResult((DraftReport("draft.txt", 100, 0.0),)), {})
    >>> log["version"], log["runs"][0]["results"]
    ('2.1.0', [])
"""

from __future__ import annotations

import json
import re
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from detector import __version__
from detector.gate import Gate
from detector.lines import LineIndex
from detector.results import FIGURES, CheckResult, DraftReport, Match, ReusedPassage, SourceReuse
from detector.sources import display_path

__all__ = ["check_to_sarif", "sarif_to_json"]

_SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

#: A byte of a file name that is not UTF-8, as :func:`~detector.sources.display_path` shows it.
_ESCAPED_BYTE = re.compile(r"\\x([89a-f][0-9a-f])")


def _rules() -> list[dict[str, Any]]:
    """The two rules the results refer to by index: a reused passage, a recycled document."""
    return [
        {
            "id": "reused-passage",
            "name": "ReusedPassage",
            "shortDescription": {"text": "A passage reused from a corpus document"},
            "fullDescription": {
                "text": "A passage of the draft copied from a corpus document, "
                "possibly with years, numbers, places or words swapped."
            },
            "defaultConfiguration": {"level": "warning"},
        },
        {
            "id": "recycled-document",
            "name": "RecycledDocument",
            "shortDescription": {"text": "The whole draft is a near-duplicate of a corpus document"},
            "defaultConfiguration": {"level": "warning"},
        },
    ]


def _region(lines: LineIndex, start: int, end: int) -> dict[str, int]:
    """A SARIF region (1-based lines and columns, code points) of ``text[start:end]``."""
    start_line, start_column = lines.line_column(start)
    end_line, end_column = lines.line_column(end)
    return {
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
        "charOffset": start,
        "charLength": end - start,
    }


def _file_name(path: str) -> str:
    """A path as Python holds a file name: the bytes shown ``\\xNN`` made lone surrogates again.

    ``\\xNN`` is how :func:`~detector.sources.display_path` shows a byte that
    is not UTF-8; a path whose ``\\xNN`` could not stand for such bytes (it
    would be shown otherwise) is returned unchanged.
    """
    if not _ESCAPED_BYTE.search(path):
        return path
    name = _ESCAPED_BYTE.sub(lambda m: chr(0xDC00 + int(m.group(1), 16)), path)
    return name if display_path(name) == path else path


def _uri(path: str) -> str:
    """A path as a SARIF URI reference: forward slashes, everything else a URI may not hold percent-encoded.

    The URI holds the file name's bytes: UTF-8 for text, and the raw bytes of
    a name that is not UTF-8 (held as ``surrogateescape``, or shown ``\\xNN``
    by :func:`~detector.sources.display_path`), so that
    ``urllib.parse.unquote_to_bytes`` gives back the name the file system has.
    A relative path stays a relative reference (``:`` is encoded too, so that
    ``a:b.txt`` is not read as a scheme); an absolute one keeps its leading slash.

    Examples:
        >>> _uri("drafts/my draft <2024>.txt")
        'drafts/my%20draft%20%3C2024%3E.txt'
        >>> _uri("讲话.txt")
        '%E8%AE%B2%E8%AF%9D.txt'
        >>> _uri("caf\\\\xe9.txt")
        'caf%E9.txt'
    """
    posix = PurePath(_file_name(path)).as_posix()
    try:
        raw = posix.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = posix.encode("utf-8", "surrogatepass")
    return quote(raw, safe="/")


def _passage_result(
    report: DraftReport,
    source: SourceReuse,
    passage: ReusedPassage,
    level: str,
    lines: tuple[LineIndex | None, LineIndex | None],
) -> dict[str, Any]:
    """The SARIF result of one reused passage; ``lines`` indexes the draft and the source texts."""
    draft_lines, source_lines = lines
    swaps = ", ".join(f"{s.kind} {s.old}→{s.new}" for s in passage.swaps[:6])
    message = (
        f"Passage of {passage.length} characters reused from {source.source} "
        f"(this source: {source.copy_ratio:.1%} of the draft; "
        f"draft copy ratio {report.copy_ratio:.1%})" + (f"; swapped: {swaps}" if swaps else "")
    )
    related: dict[str, Any] = {
        "id": 1,
        "physicalLocation": {"artifactLocation": {"uri": _uri(source.source)}},
        "message": {"text": "the source passage"},
    }
    if source_lines is not None:
        related["physicalLocation"]["region"] = _region(
            source_lines, passage.source_start, passage.source_end
        )
    location: dict[str, Any] = {"artifactLocation": {"uri": _uri(report.draft)}}
    if draft_lines is not None:
        location["region"] = _region(draft_lines, passage.draft_start, passage.draft_end)
    return {
        "ruleId": "reused-passage",
        "ruleIndex": 0,
        "level": level,
        "message": {"text": message},
        "locations": [{"physicalLocation": location}],
        "relatedLocations": [related],
        "partialFingerprints": {
            "reusedPassage/v1": f"{_uri(source.source)}:{passage.source_start}-{passage.source_end}"
        },
        "properties": {"source_copy_ratio": round(source.copy_ratio, 4), "own": source.own},
    }


def _duplicate_result(report: DraftReport, match: Match, level: str) -> dict[str, Any]:
    """The SARIF result of a whole-document near-duplicate, located at the draft."""
    return {
        "ruleId": "recycled-document",
        "ruleIndex": 1,
        "level": level,
        "message": {
            "text": f"Document is {match.verdict} from {match.id} (similarity {match.similarity:.3f})"
        },
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(report.draft)}}}],
    }


def _draft_results(report: DraftReport, failed: bool, texts: dict[str, str]) -> list[dict[str, Any]]:
    """The SARIF results of one draft: its passages, then its near-duplicates."""
    level = "error" if failed else "warning"
    draft_text = texts.get(report.draft, "")
    draft_lines = LineIndex(draft_text) if draft_text else None
    results: list[dict[str, Any]] = []
    for source in report.sources:
        source_text = texts.get(source.source, "")
        lines = (draft_lines, LineIndex(source_text) if source_text else None)
        results.extend(_passage_result(report, source, p, level, lines) for p in source.passages)
    results.extend(_duplicate_result(report, match, level) for match in report.duplicates)
    return results


def _figures(report: DraftReport) -> dict[str, Any]:
    """A draft's figures, as its JSON report has them."""
    entry = report.to_dict()
    return {"path": report.draft} | {name: entry[name] for name in FIGURES}


def check_to_sarif(result: CheckResult, texts: dict[str, str], gate: Gate | None = None) -> dict[str, Any]:
    """A check as a SARIF 2.1.0 log: one result per reused passage, located in the draft.

    Args:
        result: The check.
        texts: Original texts of the drafts and sources, by path, for lines and columns.
        gate: The gate; passages of failing drafts are ``error``, others ``warning``.

    Returns:
        The SARIF log as a dict (serialise with :func:`sarif_to_json`).
    """
    verdicts = (gate or Gate()).evaluate(result)
    results = [r for report, reasons in verdicts.drafts for r in _draft_results(report, bool(reasons), texts)]
    notifications = [
        {"level": "error", "message": {"text": f"{path}: {reason}"}} for path, reason in result.errors
    ]
    run = {
        "tool": {"driver": {"name": "detector", "version": __version__, "rules": _rules()}},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
        "properties": {"drafts": [_figures(report) for report in result.reports]},
    }
    return {"$schema": _SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def sarif_to_json(log: dict[str, Any]) -> str:
    """Serialise a SARIF log.

    Args:
        log: What :func:`check_to_sarif` returned.

    Returns:
        The JSON text, indented, non-ASCII kept, ending in a newline.

    Examples:
        >>> sarif_to_json({"version": "2.1.0"})
        '{\\n  "version": "2.1.0"\\n}\\n'
    """
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
