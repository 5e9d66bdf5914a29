from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from detector.gate import Gate
from detector.junit import check_to_junit
from detector.results import CheckResult

from .conftest import seed_check_result, seed_path


@pytest.fixture(scope="module")
def result() -> CheckResult:
    return seed_check_result()


def test_junit_one_case_per_draft(result):
    xml = check_to_junit(result, Gate(fail_above=0.3))
    root = ET.fromstring(xml)
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [str(seed_path(4)), str(seed_path(0)), "missing.txt"]
    assert cases[0].find("failure") is not None and cases[1].find("failure") is None
    assert cases[2].find("error") is not None
    assert suite.get("tests") == "3" and suite.get("failures") == "1" and suite.get("errors") == "1"


def test_junit_failure_gives_the_reasons_and_the_sources(result):
    copied = result.reports[0]
    root = ET.fromstring(check_to_junit(result, Gate(fail_above=0.3)))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == f"copy ratio {copied.copy_ratio:.1%} is above 30.0%"
    assert failure.text is not None and str(seed_path(3)) in failure.text


def test_junit_without_a_gate_fails_nothing(result):
    root = ET.fromstring(check_to_junit(result))
    assert root.find("testsuite/testcase/failure") is None
    assert root.find("testsuite/testcase/system-out") is not None


def test_each_case_carries_the_figures_of_the_json_report(result):
    from detector.results import FIGURES

    root = ET.fromstring(check_to_junit(result, Gate(fail_above=0.3)))
    cases = {c.get("name"): c for c in root.iter("testcase")}
    for report in result.reports:
        entry = report.to_dict()
        properties = {p.get("name"): p.get("value") for p in cases[report.draft].iter("property")}
        assert properties == {name: str(entry[name]) for name in FIGURES}
