from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from detector import Corpus, read_document
from detector.gate import Gate, check_to_junit, check_to_sarif
from detector.report import CheckResult

from .conftest import ROOT, seed_path, seed_text

SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def result() -> CheckResult:
    corpus = Corpus()
    corpus.add_many([read_document(seed_path(n)) for n in (1, 2, 3)])
    reports = tuple(corpus.check(read_document(seed_path(n))) for n in (4, 0))
    return CheckResult(reports, (("missing.txt", "no such file or folder"),))


def _texts() -> dict[str, str]:
    return {str(seed_path(n)): seed_text(n) for n in range(5)}


def test_gate_reasons(result):
    copied, clean = result.reports
    assert Gate(fail_above=0.3).reasons(copied) == [f"copy ratio {copied.copy_ratio:.1%} is above 30.0%"]
    assert Gate(fail_above=0.3).reasons(clean) == []
    assert Gate(fail_on="recycled").reasons(copied) == [
        f"recycled from {seed_path(3)} (similarity {copied.duplicates[0].similarity:.3f})"
    ]
    assert Gate().evaluate(result).failed is False
    assert Gate(fail_above=0.3).evaluate(result).failed is True


def test_sarif_validates_against_the_official_schema(result):
    if not SCHEMA.is_file():
        pytest.skip(f"SARIF 2.1.0 schema not found at {SCHEMA}")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    log = check_to_sarif(result, _texts(), Gate(fail_above=0.3))
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(log), key=str)
    assert errors == []


def test_sarif_locates_each_passage_in_the_draft(result):
    log = check_to_sarif(result, _texts(), Gate(fail_above=0.3))
    results = [r for r in log["runs"][0]["results"] if r["ruleId"] == "reused-passage"]
    assert len(results) == result.reports[0].passage_count
    passage = result.reports[0].sources[0].passages[0]
    location = results[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == Path(seed_path(4)).as_posix()
    region = location["region"]
    draft = seed_text(4)
    assert region["charOffset"] == passage.draft_start
    lines = draft.split("\n")
    assert region["startLine"] == draft.count("\n", 0, passage.draft_start) + 1
    assert lines[region["startLine"] - 1][region["startColumn"] - 1] == draft[passage.draft_start]
    assert results[0]["level"] == "error"
    assert results[0]["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        seed_path(3).name
    )


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
