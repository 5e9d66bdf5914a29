"""Exclusions: own work counted apart, base documents never counted, quotations judged apart on request."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from detector import Corpus, workflows
from detector.exclusions import Exclusions
from detector.gate import Gate
from detector.sources import Document
from tests.conftest import seed_path, seed_text

ARCHIVE = [seed_path(n) for n in (0, 1, 2, 3)]


def _detector(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}
    command = [str(Path(sys.executable).with_name("detector")), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize(
    ("pattern", "label", "own"),
    [
        ("archive/office/*", "archive/office/2023.txt", True),
        ("*.docx", "archive/a.docx", True),
        ("2023.txt", "archive/office/2023.txt", True),
        ("archive/office", "archive/office/sub/2023.txt", True),
        ("archive/office", "archive/office-b/2023.txt", False),
        ("archive/office/2022.txt", "archive/office/2023.txt", False),
    ],
)
def test_own_patterns(pattern, label, own):
    assert Exclusions(own=(pattern,)).is_own(label) is own


def test_own_work_is_counted_apart_and_the_gate_judges_the_rest():
    own = str(seed_path(3))
    plain = workflows.check([seed_path(4)], against=ARCHIVE, gate=Gate(fail_above=0.5))
    apart = workflows.check([seed_path(4)], against=ARCHIVE, gate=Gate(fail_above=0.5), own=[own])
    (p,), (a,) = plain.reports, apart.reports
    assert p.copy_ratio == a.copy_ratio > 0.9
    assert p.copy_ratio_without_own == p.copy_ratio and a.copy_ratio_without_own < 0.1
    assert a.counted_ratio == a.copy_ratio_without_own
    assert [s.own for s in a.sources if s.source == own] == [True]
    assert plain.outcome.failed and not apart.outcome.failed
    assert apart.settings["exclusions"]["own"] == [own]


def test_base_text_never_counts_nor_makes_a_near_duplicate():
    result = workflows.check([seed_path(4)], against=ARCHIVE, base=[seed_path(3)])
    (report,) = result.reports
    assert report.copy_ratio < 0.05 and not report.recycled
    assert any(p.origin == "base" for p in report.common_phrases)
    assert result.settings["exclusions"]["base"] == [str(seed_path(3))]


def test_a_draft_following_a_template_counts_only_what_it_takes_elsewhere():
    template, other = seed_text(3), seed_text(1)
    borrowed = other[other.index("二、") : other.index("三、")]
    draft = template + "\n" + borrowed
    corpus = Corpus()
    corpus.add(other, id="001")
    corpus.add(template, id="template")
    plain = corpus.check(draft)
    based = corpus.check(draft, exclusions=Exclusions(base=(Document("template", template),)))
    assert plain.copy_ratio > 0.9
    assert {s.source for s in based.sources} == {"001"}
    share = len(borrowed) / len(draft)
    assert share * 0.7 < based.copy_ratio < share * 1.2


def test_quotations_judged_apart_only_on_request(tmp_path):
    source = seed_text(3)
    passage = source[source.index("二、") : source.index("三、")].replace("\n", "")
    draft = tmp_path / "draft.txt"
    draft.write_text(seed_text(0) + "\n正如有关文件指出：“" + passage + "”\n", encoding="utf-8")
    args = ("check", "--fail-above", "0.1", "--format", "json", "--against", seed_path(3), "--", draft)
    judged_total = _detector(*args)
    judged_apart = _detector(args[0], "--exclude-quotes", *args[1:])
    assert judged_total.returncode == 1, judged_total.stderr
    assert judged_apart.returncode == 0, judged_apart.stderr
    total, apart = (json.loads(r.stdout)["drafts"][0] for r in (judged_total, judged_apart))
    for entry in (total, apart):
        assert entry["copy_ratio"] > 0.15 and entry["copy_ratio_without_quotes"] < 0.02
    assert total["counted_ratio"] == total["copy_ratio"]
    assert apart["counted_ratio"] == apart["copy_ratio_without_quotes"]


def test_every_view_shows_the_same_exclusion_figures(tmp_path):
    own = str(seed_path(3))
    json_out, sarif_out = (
        _detector("check", "--own", own, "--format", form, "--against", *ARCHIVE, "--", seed_path(4))
        for form in ("json", "sarif")
    )
    assert json_out.returncode == 0 and sarif_out.returncode == 0, json_out.stderr + sarif_out.stderr
    entry = json.loads(json_out.stdout)["drafts"][0]
    (figures,) = json.loads(sarif_out.stdout)["runs"][0]["properties"]["drafts"]
    for name in ("copy_ratio", "copy_ratio_without_quotes", "copy_ratio_without_own", "counted_ratio"):
        assert figures[name] == entry[name]
    results = json.loads(sarif_out.stdout)["runs"][0]["results"]
    owned = [r["properties"]["own"] for r in results if r["ruleId"] == "reused-passage"]
    assert owned and all(owned)


def test_a_missing_base_file_is_an_input_error(tmp_path):
    missing = tmp_path / "nope.txt"
    result = _detector("check", "--base", missing, "--against", seed_path(3), "--", seed_path(4))
    assert result.returncode == 2
    assert "nope.txt" in result.stderr and "Traceback" not in result.stderr
