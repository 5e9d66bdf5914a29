"""The CI gate: pass or fail drafts, and say so in SARIF 2.1.0 and JUnit XML.

A draft fails the gate when its copy ratio is above ``fail_above`` or, with
``fail_on="recycled"``, when a corpus document is a whole-document copy of
it (``fail_on="partial"`` also fails on documents that hold much of it).
Code hosts read SARIF to annotate each reused passage in the draft; CI
servers read JUnit XML, one test case per draft.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from detector import __version__
from detector.report import CheckResult, Report, plural

__all__ = ["Gate", "GateResult", "check_to_junit", "check_to_sarif", "sarif_to_json"]

FailOn = Literal["recycled", "partial"]

_SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


@dataclass(frozen=True)
class Gate:
    """When a draft fails.

    Attributes:
        fail_above: Copy ratio above which a draft fails (``None``: never).
        fail_on: ``recycled`` or ``partial`` to fail drafts with whole-document
            near-duplicates of that verdict (``partial`` includes ``recycled``).

    Examples:
        >>> from detector.report import Report
        >>> Gate(fail_above=0.3).reasons(Report("draft.txt", 1000, 0.42))
        ['copy ratio 42.0% is above 30.0%']
    """

    fail_above: float | None = None
    fail_on: FailOn | None = None

    def reasons(self, report: Report) -> list[str]:
        """Why a draft fails the gate (empty when it passes)."""
        found = []
        if self.fail_above is not None and report.copy_ratio > self.fail_above:
            found.append(f"copy ratio {report.copy_ratio:.1%} is above {self.fail_above:.1%}")
        if self.fail_on is not None:
            verdicts = ("recycled",) if self.fail_on == "recycled" else ("recycled", "partial")
            for match in report.duplicates:
                if match.verdict in verdicts:
                    found.append(f"{match.verdict} from {match.id} (similarity {match.similarity:.3f})")
        return found

    def evaluate(self, result: CheckResult) -> GateResult:
        """Judge every draft of a check."""
        return GateResult(tuple((r, tuple(self.reasons(r))) for r in result.reports))


@dataclass(frozen=True)
class GateResult:
    """Each draft with the reasons it failed (none when it passed)."""

    drafts: tuple[tuple[Report, tuple[str, ...]], ...]

    @property
    def failed(self) -> bool:
        """Whether any draft failed."""
        return any(reasons for _, reasons in self.drafts)

    def reasons(self, draft: str) -> tuple[str, ...]:
        """The reasons one draft failed."""
        for report, reasons in self.drafts:
            if report.draft == draft:
                return reasons
        return ()


def _region(text: str, start: int, end: int) -> dict[str, int]:
    """A SARIF region (1-based lines and columns, code points) of ``text[start:end]``."""

    def line_column(offset: int) -> tuple[int, int]:
        line = text.count("\n", 0, offset) + 1
        return line, offset - (text.rfind("\n", 0, offset) + 1) + 1

    start_line, start_column = line_column(start)
    end_line, end_column = line_column(end)
    return {
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
        "charOffset": start,
        "charLength": end - start,
    }


def _uri(path: str) -> str:
    return Path(path).as_posix()


def check_to_sarif(result: CheckResult, texts: dict[str, str], gate: Gate | None = None) -> dict[str, Any]:
    """A check as a SARIF 2.1.0 log: one result per reused passage, located in the draft.

    Args:
        result: The check.
        texts: Original texts of the drafts and sources, by path, for lines and columns.
        gate: The gate; passages of failing drafts are ``error``, others ``warning``.

    Returns:
        The SARIF log as a dict (serialise with :func:`json.dumps`).
    """
    gate = gate or Gate()
    verdicts = gate.evaluate(result)
    results: list[dict[str, Any]] = []
    for report, reasons in verdicts.drafts:
        draft_text = texts.get(report.draft, "")
        level = "error" if reasons else "warning"
        for source in report.sources:
            source_text = texts.get(source.source, "")
            for passage in source.passages:
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
                if source_text:
                    related["physicalLocation"]["region"] = _region(
                        source_text, passage.source_start, passage.source_end
                    )
                location: dict[str, Any] = {"artifactLocation": {"uri": _uri(report.draft)}}
                if draft_text:
                    location["region"] = _region(draft_text, passage.draft_start, passage.draft_end)
                results.append(
                    {
                        "ruleId": "reused-passage",
                        "ruleIndex": 0,
                        "level": level,
                        "message": {"text": message},
                        "locations": [{"physicalLocation": location}],
                        "relatedLocations": [related],
                        "partialFingerprints": {
                            "reusedPassage/v1": (
                                f"{_uri(source.source)}:{passage.source_start}-{passage.source_end}"
                            )
                        },
                    }
                )
        for match in report.duplicates:
            results.append(
                {
                    "ruleId": "recycled-document",
                    "ruleIndex": 1,
                    "level": "error" if reasons else "warning",
                    "message": {
                        "text": (
                            f"Document is {match.verdict} from {match.id} (similarity {match.similarity:.3f})"
                        )
                    },
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(report.draft)}}}],
                }
            )
    return {
        "$schema": _SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "detector",
                        "version": __version__,
                        "rules": [
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
                                "shortDescription": {
                                    "text": "The whole draft is a near-duplicate of a corpus document"
                                },
                                "defaultConfiguration": {"level": "warning"},
                            },
                        ],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
                "invocations": [
                    {
                        "executionSuccessful": True,
                        "toolExecutionNotifications": [
                            {"level": "error", "message": {"text": f"{path}: {reason}"}}
                            for path, reason in result.errors
                        ],
                    }
                ],
            }
        ],
    }


def sarif_to_json(log: dict[str, Any]) -> str:
    """Serialise a SARIF log."""
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def check_to_junit(result: CheckResult, gate: Gate | None = None) -> str:
    """A check as JUnit XML: one test case per draft, failed when the gate fails it.

    Args:
        result: The check.
        gate: The gate (default: nothing fails).

    Returns:
        The XML document.
    """
    gate = gate or Gate()
    verdicts = gate.evaluate(result)
    failures = sum(1 for _, reasons in verdicts.drafts if reasons)
    suites = ET.Element("testsuites", name="detector", tests=str(len(verdicts.drafts) + len(result.errors)))
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="detector check",
        tests=str(len(verdicts.drafts) + len(result.errors)),
        failures=str(failures),
        errors=str(len(result.errors)),
        skipped="0",
    )
    for report, reasons in verdicts.drafts:
        case = ET.SubElement(suite, "testcase", classname="detector.check", name=report.draft, time="0")
        lines = [
            f"copy ratio {report.copy_ratio:.1%} of {report.length} characters; "
            f"{plural(len(report.sources), 'source')}, {plural(report.passage_count, 'passage')}, "
            f"longest {report.longest_passage} characters"
        ]
        for source in report.sources:
            lines.append(
                f"  {source.source}: {source.copy_ratio:.1%}, {plural(len(source.passages), 'passage')}"
            )
        if reasons:
            failure = ET.SubElement(case, "failure", message="; ".join(reasons), type="reuse")
            failure.text = "\n".join(lines)
        else:
            ET.SubElement(case, "system-out").text = "\n".join(lines)
    for path, reason in result.errors:
        case = ET.SubElement(suite, "testcase", classname="detector.check", name=path, time="0")
        ET.SubElement(case, "error", message=reason, type="input")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
