from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit

import jsonschema
import pytest

from detector.gate import Gate
from detector.results import CheckResult, DraftReport, Match, ReusedPassage, SourceReuse
from detector.sarif import check_to_sarif, sarif_to_json
from detector.sources import display_path

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


def _raw_uris(log: dict) -> list[bytes]:
    return [unquote_to_bytes(uri) for uri in _uris(log)]


def test_sarif_uris_hold_the_bytes_of_names_that_are_not_utf8():
    draft, source = os.fsdecode(b"drafts/\xff\xfe draft.txt"), os.fsdecode(b"/archive/\xd6\xd0\xce\xc4.txt")
    check, texts = _odd_check()
    report = check.reports[0]
    renamed = replace(
        report,
        draft=display_path(draft),
        sources=(replace(report.sources[0], source=source),),
        duplicates=(replace(report.duplicates[0], id=display_path(source)),),
    )
    log = check_to_sarif(CheckResult((renamed,)), texts, Gate(fail_above=0.3))
    assert _uris(log)[0] == "drafts/%FF%FE%20draft.txt"
    draft_bytes, source_bytes = b"drafts/\xff\xfe draft.txt", b"/archive/\xd6\xd0\xce\xc4.txt"
    assert _raw_uris(log) == [draft_bytes, source_bytes, draft_bytes]


def test_sarif_uris_keep_a_literal_backslash_x():
    literal = "notes\\xe8\\xae\\xb2 \\xzz.txt"
    check, texts = _odd_check()
    log = check_to_sarif(CheckResult((replace(check.reports[0], draft=literal),)), texts)
    assert _uris(log)[0] == "notes%5Cxe8%5Cxae%5Cxb2%20%5Cxzz.txt"
    assert unquote(_uris(log)[0]) == literal


def _real_name(folder: Path, raw: bytes, text: str) -> bytes:
    """A file named by raw bytes (not necessarily UTF-8) in ``folder``, holding ``text``."""
    path = os.fsencode(folder) + b"/" + raw
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


@pytest.mark.skipif(sys.platform == "win32", reason="file names are bytes on POSIX only")
def test_the_command_writes_the_raw_bytes_of_odd_file_names(tmp_path):
    draft = _real_name(tmp_path, b'draft \xff\xfe <"1">\t%\n.txt', seed_text(4))
    source = _real_name(tmp_path, b"\xd6\xd0\xce\xc4 source.txt", seed_text(3))
    out = tmp_path / "log.sarif"
    command: list[str | bytes] = [sys.executable, "-m", "detector.cli", "check", draft, "--against", source]
    outputs: list[list[str | bytes]] = [[], ["-o", os.fsencode(out)]]
    for output in outputs:
        result = subprocess.run(
            [*command, "--format", "sarif", *output],
            cwd=ROOT,
            env={**os.environ, "COLUMNS": "120", "NO_COLOR": "1"},
            capture_output=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0 and result.stderr == b"", result.stderr
        log = json.loads(out.read_bytes() if output else result.stdout)
        uris = _uris(log)
        assert uris and all(re.fullmatch(r"[A-Za-z0-9\-._~/%]+", uri) for uri in uris), uris
        raw = set(map(unquote_to_bytes, uris))
        assert raw == {draft, source}
        assert any(uri.endswith("/draft%20%FF%FE%20%3C%221%22%3E%09%25%0A.txt") for uri in uris), uris
