from __future__ import annotations

import pytest

from detector.errors import ConfigError
from detector.gate import Gate, GateResult
from detector.results import CheckResult, DraftReport, Match

from .conftest import seed_check_result, seed_path


@pytest.fixture(scope="module")
def result() -> CheckResult:
    return seed_check_result()


def test_gate_reasons(result):
    copied, clean = result.reports
    assert Gate(fail_above=0.3).reasons(copied) == [f"copy ratio {copied.copy_ratio:.1%} is above 30.0%"]
    assert Gate(fail_above=0.3).reasons(clean) == []
    assert Gate(fail_on="recycled").reasons(copied) == [
        f"recycled from {seed_path(3)} (similarity {copied.duplicates[0].similarity:.3f})"
    ]
    assert Gate().evaluate(result).failed is False
    assert Gate(fail_above=0.3).evaluate(result).failed is True


def test_fail_on_partial_includes_recycled():
    report = DraftReport(
        "draft.txt",
        1000,
        0.1,
        duplicates=(
            Match("old.txt", 0.9, 0.9, 0.9, 0.9, "recycled"),
            Match("part.txt", 0.4, 0.4, 0.8, 0.3, "partial"),
        ),
    )
    assert Gate(fail_on="recycled").reasons(report) == ["recycled from old.txt (similarity 0.900)"]
    assert Gate(fail_on="partial").reasons(report) == [
        "recycled from old.txt (similarity 0.900)",
        "partial from part.txt (similarity 0.400)",
    ]
    assert Gate(fail_above=0.1).reasons(report) == []


def test_gate_result_reasons_by_draft(result):
    verdict = Gate(fail_above=0.3).evaluate(result)
    assert isinstance(verdict, GateResult)
    assert [r.draft for r, _ in verdict.drafts] == [str(seed_path(4)), str(seed_path(0))]
    assert verdict.reasons(str(seed_path(4))) and verdict.reasons(str(seed_path(0))) == ()
    assert verdict.reasons("missing.txt") == ()


def test_writers_still_import_from_the_gate():
    import detector.gate
    from detector.gate import check_to_junit, check_to_sarif, sarif_to_json
    from detector.junit import check_to_junit as junit
    from detector.sarif import check_to_sarif as sarif
    from detector.sarif import sarif_to_json as to_json

    assert (check_to_junit, check_to_sarif, sarif_to_json) == (junit, sarif, to_json)
    with pytest.raises(AttributeError):
        detector.gate.check_to_html  # noqa: B018


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"fail_on": "everything"}, "fail_on must be 'recycled' or 'partial', not 'everything'"),
        ({"fail_on": ""}, "fail_on must be 'recycled' or 'partial', not ''"),
        ({"fail_above": 5}, "fail_above must be a copy ratio from 0 to 1, not 5"),
        ({"fail_above": -0.1}, "fail_above must be a copy ratio from 0 to 1, not -0.1"),
        ({"fail_above": float("nan")}, "fail_above must be a copy ratio from 0 to 1, not nan"),
        ({"fail_above": "0.3"}, "fail_above must be a copy ratio from 0 to 1, not '0.3'"),
        ({"fail_above": True}, "fail_above must be a copy ratio from 0 to 1, not True"),
    ],
)
def test_gate_rejects_bad_settings_in_one_line(settings, message):
    with pytest.raises(ConfigError) as raised:
        Gate(**settings)
    assert str(raised.value) == message


def test_gate_accepts_the_bounds():
    assert Gate(fail_above=0).fail_above == 0 and Gate(fail_above=1.0).fail_above == 1.0
    assert Gate(fail_on="partial").fail_on == "partial" and Gate().fail_on is None
