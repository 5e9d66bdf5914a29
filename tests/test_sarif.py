from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest

from detector.gate import Gate
from detector.results import CheckResult, DraftReport, Match, ReusedPassage, SourceReuse
from detector.sarif import check_to_sarif, sarif_to_json

from .conftest import ROOT, seed_check_result, seed_path, seed_text

SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def result() -> CheckResult:
    return seed_check_result()


def _texts() -> dict[str, str]:
    return {str(seed_path(n)): seed_text(n) for n in range(5)}


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


def test_sarif_regions_end_where_the_passages_end(result):
    log = check_to_sarif(result, _texts(), Gate(fail_above=0.3))
    results = [r for r in log["runs"][0]["results"] if r["ruleId"] == "reused-passage"]
    passages = [p for s in result.reports[0].sources for p in s.passages]
    draft = seed_text(4)
    for found, passage in zip(results, passages, strict=True):
        region = found["locations"][0]["physicalLocation"]["region"]
        assert region["charLength"] == passage.draft_end - passage.draft_start
        end = passage.draft_end
        assert region["endLine"] == draft.count("\n", 0, end) + 1
        assert region["endColumn"] == end - (draft.rfind("\n", 0, end) + 1) + 1
        source = found["relatedLocations"][0]["physicalLocation"]["region"]
        assert source["charOffset"] == passage.source_start


def test_sarif_levels_follow_the_gate_and_errors_become_notifications(result):
    log = check_to_sarif(result, _texts())
    assert {r["level"] for r in log["runs"][0]["results"]} == {"warning"}
    duplicates = [r for r in log["runs"][0]["results"] if r["ruleId"] == "recycled-document"]
    assert [r["ruleIndex"] for r in duplicates] == [1] * sum(len(r.duplicates) for r in result.reports)
    (notification,) = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notification["message"]["text"] == "missing.txt: no such file or folder"


def test_sarif_without_texts_has_no_regions(result):
    log = check_to_sarif(result, {})
    found = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "reused-passage")
    assert "region" not in found["locations"][0]["physicalLocation"]
    assert "region" not in found["relatedLocations"][0]["physicalLocation"]


def test_sarif_to_json_keeps_chinese(result):
    text = sarif_to_json(check_to_sarif(result, _texts()))
    assert text.endswith("\n") and "\\u" not in text
    assert json.loads(text)["version"] == "2.1.0"


ODD_DRAFT = 'my drafts/a "b" <c>\t100%\n#1?.txt'
ODD_SOURCE = "/archive/旧 讲话[1]:x.txt"


def _odd_check() -> tuple[CheckResult, dict[str, str]]:
    draft, source = "第一行\n坚决打赢2023年污染防治攻坚战", "坚决打赢2022年污染防治攻坚战"
    passage = ReusedPassage(4, len(draft), 0, len(source), draft[4:], source, 16, 12)
    report = DraftReport(
        ODD_DRAFT,
        len(draft),
        0.8,
        (SourceReuse(ODD_SOURCE, 0.8, (passage,)),),
        duplicates=(Match(ODD_SOURCE, 0.9, 0.9, 0.9, 0.9, "recycled"),),
    )
    return CheckResult((report,)), {ODD_DRAFT: draft, ODD_SOURCE: source}


def _uris(log: dict) -> list[str]:
    found = []
    for result in log["runs"][0]["results"]:
        for location in result["locations"] + result.get("relatedLocations", []):
            found.append(location["physicalLocation"]["artifactLocation"]["uri"])
    return found


def test_sarif_uris_are_percent_encoded_relative_references():
    check, texts = _odd_check()
    uris = _uris(check_to_sarif(check, texts, Gate(fail_above=0.3)))
    draft_uri = "my%20drafts/a%20%22b%22%20%3Cc%3E%09100%25%0A%231%3F.txt"
    assert uris == [draft_uri, "/archive/%E6%97%A7%20%E8%AE%B2%E8%AF%9D%5B1%5D%3Ax.txt", draft_uri]
    assert [unquote(uri) for uri in uris] == [ODD_DRAFT, ODD_SOURCE, ODD_DRAFT]
    for uri in uris:
        parts = urlsplit(uri)
        assert (parts.scheme, parts.netloc, parts.query, parts.fragment) == ("", "", "", "")
        assert re.fullmatch(r"[A-Za-z0-9\-._~/%]+", uri), uri


def test_sarif_with_odd_paths_validates_against_the_official_schema():
    if not SCHEMA.is_file():
        pytest.skip(f"SARIF 2.1.0 schema not found at {SCHEMA}")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    check, texts = _odd_check()
    log = json.loads(sarif_to_json(check_to_sarif(check, texts, Gate(fail_above=0.3))))
    validator = jsonschema.validators.validator_for(schema)(schema, format_checker=jsonschema.FormatChecker())
    assert sorted(validator.iter_errors(log), key=str) == []
