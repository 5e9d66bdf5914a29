"""A check as JUnit XML, for CI servers: one test case per draft.

A draft the gate fails is a failed test case, its reasons in the failure
message; an input that could not be read is a test case in error. Each
draft's figures are the test case's properties, named as in the JSON report.

Examples:
    >>> from detector.gate import Gate
    >>> from detector.results import CheckResult, DraftReport
    >>> xml = check_to_junit(CheckResult((DraftReport("draft.txt", 900, 0.5),)), Gate(fail_above=0.3))
    >>> '<failure message="copy ratio 50.0% is above 30.0%" type="reuse">' in xml
    True
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from detector.gate import Gate
from detector.results import FIGURES, CheckResult, DraftReport, plural

__all__ = ["check_to_junit"]


def _summary(report: DraftReport) -> str:
    """What a draft reuses, in a few lines: totals, then one line per source."""
    lines = [
        f"copy ratio {report.copy_ratio:.1%} of {report.length} characters; "
        f"{plural(len(report.sources), 'source')}, {plural(report.passage_count, 'passage')}, "
        f"longest {report.longest_passage} characters",
        f"without quotations {report.copy_ratio_without_quotes:.1%}; "
        f"without own work {report.copy_ratio_without_own:.1%}; "
        f"counted by the gate {report.counted_ratio:.1%}",
    ]
    for source in report.sources:
        lines.append(f"  {source.source}: {source.copy_ratio:.1%}, {plural(len(source.passages), 'passage')}")
    return "\n".join(lines)


def _draft_case(suite: ET.Element, report: DraftReport, reasons: tuple[str, ...]) -> None:
    """Add one draft's test case: a failure when the gate failed it, else its summary as output."""
    case = ET.SubElement(suite, "testcase", classname="detector.check", name=report.draft, time="0")
    properties = ET.SubElement(case, "properties")
    figures = report.to_dict()
    for name in FIGURES:
        ET.SubElement(properties, "property", name=name, value=str(figures[name]))
    if reasons:
        failure = ET.SubElement(case, "failure", message="; ".join(reasons), type="reuse")
        failure.text = _summary(report)
    else:
        ET.SubElement(case, "system-out").text = _summary(report)


def check_to_junit(result: CheckResult, gate: Gate | None = None) -> str:
    """A check as JUnit XML: one test case per draft, failed when the gate fails it.

    Args:
        result: The check.
        gate: The gate (default: nothing fails).

    Returns:
        The XML document.
    """
    verdicts = (gate or Gate()).evaluate(result)
    failures = sum(1 for _, reasons in verdicts.drafts if reasons)
    tests = str(len(verdicts.drafts) + len(result.errors))
    suites = ET.Element("testsuites", name="detector", tests=tests)
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="detector check",
        tests=tests,
        failures=str(failures),
        errors=str(len(result.errors)),
        skipped="0",
    )
    for report, reasons in verdicts.drafts:
        _draft_case(suite, report, reasons)
    for path, reason in result.errors:
        case = ET.SubElement(suite, "testcase", classname="detector.check", name=path, time="0")
        ET.SubElement(case, "error", message=reason, type="input")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
