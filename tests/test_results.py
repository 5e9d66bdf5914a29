from __future__ import annotations

import json
import typing

import pytest

import detector.report
import detector.results as R
import detector.terminal
from detector import scoring

POSITION = R.Position(3, 7, 3, 7, 1, 4, 1, 4)
SWAP = R.Swap("year", "2022", "2023", 1, (POSITION,))
PASSAGE = R.ReusedPassage(
    0, 20, 5, 25, "坚决打赢2023年污染防治攻坚战", "坚决打赢2022年污染防治攻坚战", 16, 12, (SWAP,)
)
SOURCE = R.SourceReuse("old.txt", 0.75, (PASSAGE,))
MATCH = R.Match("old.txt", 0.81234, 0.8, 0.9, 0.85, "recycled", raw_similarity=0.5)
REPORT = R.DraftReport(
    "draft.txt", 20, 0.75, (SOURCE,), (R.CommonPhrase(30, 36, "不忘初心", "listed"),), (MATCH,)
)
CHECK = R.CheckResult((REPORT,), (("missing.txt", "no such file"),), {"min_passage": 12})
SCAN = R.ScanResult(
    ("a.txt", "b.txt"),
    (R.Pair("a.txt", "b.txt", 0.912345, 0.9, 0.95, 0.93, "recycled"),),
    (("a.txt", "b.txt"),),
    (("c.txt", "unreadable"),),
    {"ngram": 5},
)
COMPARISON = R.Comparison(
    "a.txt",
    "b.txt",
    0.8,
    True,
    (SWAP,),
    (R.Passage(9, 9, 9, 12, "新内容"),),
    (),
    (R.Passage(0, 2, 4, 6, "我们"),),
)


@pytest.mark.parametrize("result", [SCAN, COMPARISON, CHECK, REPORT, SOURCE, PASSAGE, SWAP, MATCH])
def test_to_dict_round_trips_through_json(result):
    assert json.loads(R.to_json(result)) == result.to_dict()


@pytest.mark.parametrize("result", [SCAN, COMPARISON, CHECK])
def test_documents_carry_the_schema_version(result):
    assert result.to_dict()["schema_version"] == R.SCHEMA_VERSION


def test_to_json_keeps_chinese_and_ends_in_a_newline():
    text = R.to_json(CHECK)
    assert "坚决打赢" in text and text.endswith("}\n")


def test_old_serialisers_are_aliases_of_to_json():
    assert R.scan_to_json(SCAN) == R.to_json(SCAN)
    assert R.comparison_to_json(COMPARISON) == R.to_json(COMPARISON)
    assert R.check_to_json(CHECK) == R.to_json(CHECK)


def test_figures_are_rounded_and_raw_similarity_defaults_to_exact():
    pair = SCAN.to_dict()["pairs"][0]
    assert pair["similarity"] == 0.9123 and pair["raw_similarity"] == 0.9123
    duplicate = REPORT.to_dict()["near_duplicates"][0]
    assert duplicate == {
        "path": "old.txt",
        "similarity": 0.8123,
        "raw_similarity": 0.5,
        "containment_draft": 0.9,
        "containment_source": 0.85,
        "verdict": "recycled",
    }


def test_report_figures():
    data = REPORT.to_dict()
    assert data["recycled"] is True and data["passage_count"] == 1 and data["longest_passage"] == 16
    assert data["sources"][0]["swap_counts"] == {"year": 1}
    assert data["common_phrases"] == [
        {"draft_start": 30, "draft_end": 36, "text": "不忘初心", "origin": "listed"}
    ]
    assert REPORT.with_duplicates(()).recycled is False


def test_swap_kinds_derived_from_the_literal():
    assert typing.get_args(R.SwapKind) == R.SWAP_KINDS
    assert R.SWAP_KINDS == ("year", "number", "place", "placeholder", "synonym", "word")
    assert COMPARISON.swaps_of("year") == [SWAP] and COMPARISON.swaps_of("place") == []


def test_verdict_is_the_scoring_verdict():
    assert R.Verdict is scoring.Verdict


def test_old_import_path_still_works():
    for name in detector.report.__all__:
        new_home = detector.terminal if name.startswith("render_") else detector.results
        assert getattr(detector.report, name) is getattr(new_home, name), name
