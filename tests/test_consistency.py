"""One answer: every view shows the same figures for the same pair.

For the real recycled pair (seeds 003 → 004) and for generated recycled and
partial pairs derived from the seeds, the similarity, raw similarity,
containment both ways, verdict, copy ratio, passages (offsets in both
originals) and swap table are compared across ``scan``, ``diff``,
``check --against`` and ``check --index`` JSON, the HTML pages, the library
and (in its own test) the Spark engine.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import detector
from benchmarks.recycle import recycle, scrape
from detector.cli import app
from tests.conftest import seed_text

SCORES = ("similarity", "raw_similarity", "containment_a_in_b", "containment_b_in_a", "verdict")


def _recycled(number: int, seed: int) -> tuple[str, str]:
    source = seed_text(number)
    copy = recycle(source, strength=0.3 + 0.1 * (seed % 5), seed=seed).text
    if seed % 2:
        copy = scrape(copy, random.Random(seed))
    return source, copy


def _partial(number: int, other: int, seed: int) -> tuple[str, str]:
    """A draft made of half of one speech's paragraphs (recycled) and paragraphs of another."""
    rng = random.Random(seed)
    source = seed_text(number)
    taken = [p for p in source.split("\n") if len(p) > 40]
    borrowed = [recycle(p, strength=0.4, seed=seed).text for p in rng.sample(taken, len(taken) // 2)]
    filler = [p for p in seed_text(other).split("\n") if len(p) > 40][: len(borrowed) + 2]
    mixed = borrowed + filler
    rng.shuffle(mixed)
    return source, "\n".join(mixed)


def _pairs() -> list[tuple[str, str, str]]:
    made = [("seeds-003-004", seed_text(3), seed_text(4))]
    for seed in range(12):
        made.append((f"recycled-{seed}", *_recycled(seed % 4, seed)))
    for seed in range(8):
        made.append((f"partial-{seed}", *_partial(seed % 4, (seed + 1) % 4, seed)))
    return made


PAIRS = _pairs()


def _run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def _swap_table(swaps: list[dict[str, Any]]) -> Counter[tuple[str, str, str]]:
    table: Counter[tuple[str, str, str]] = Counter()
    for swap in swaps:
        table[(swap["kind"], swap["old"], swap["new"])] += swap["count"]
    return table


def _passage_swaps(passages: list[dict[str, Any]]) -> Counter[tuple[str, str, str]]:
    return sum((_swap_table(p["swaps"]) for p in passages), Counter())


def _check_figures(draft: dict[str, Any]) -> dict[str, Any]:
    """What a check reports of the pair, named as scan and diff name it (the draft is ``b``)."""
    figures: dict[str, Any] = {
        "copy_ratio": draft["copy_ratio"],
        "passages": [p for s in draft["sources"] for p in s["passages"]],
    }
    for match in draft["near_duplicates"]:
        figures.update(
            similarity=match["similarity"],
            raw_similarity=match["raw_similarity"],
            containment_a_in_b=match["containment_source"],
            containment_b_in_a=match["containment_draft"],
            verdict=match["verdict"],
        )
    return figures


@pytest.fixture(scope="module")
def views(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    runner = CliRunner()
    found: dict[str, dict[str, Any]] = {}
    for name, a_text, b_text in PAIRS:
        folder = tmp_path_factory.mktemp(name)
        a, b = folder / "a.txt", folder / "b.txt"
        a.write_text(a_text, encoding="utf-8")
        b.write_text(b_text, encoding="utf-8")
        index = folder.parent / f"{name}.db"
        _run(runner, "index", "add", str(index), str(a), "-q")
        html = folder.parent / f"{name}.html"
        diff_html = folder.parent / f"{name}-diff.html"
        scan_html = folder.parent / f"{name}-scan.html"
        found[name] = {
            "a": str(a),
            "b": str(b),
            "scan": json.loads(
                _run(runner, "scan", str(folder), "-f", "json", "--all", "-q", "--html", str(scan_html))
            ),
            "diff": json.loads(_run(runner, "diff", str(a), str(b), "-f", "json", "--html", str(diff_html))),
            "against": json.loads(
                _run(runner, "check", str(b), "-f", "json", "-q", "--html", str(html), "--against", str(a))
            ),
            "index": json.loads(_run(runner, "check", str(b), "--index", str(index), "-f", "json", "-q")),
            "library": detector.compare(detector.read_document(a), detector.read_document(b)),
            "html": html.read_text(encoding="utf-8"),
            "diff_html": diff_html.read_text(encoding="utf-8"),
            "scan_html": scan_html.read_text(encoding="utf-8"),
        }
    return found


@pytest.mark.parametrize("name", [p[0] for p in PAIRS])
def test_pair_scores_agree_in_scan_diff_check_and_library(
    views: dict[str, dict[str, Any]], name: str
) -> None:
    view = views[name]
    diff = view["diff"]
    library = view["library"].to_dict()
    listed = [p for p in view["scan"]["pairs"] if (p["a"], p["b"]) == (view["a"], view["b"])]
    for figure in SCORES:
        assert diff[figure] == library[figure], figure
        for pair in listed:
            assert pair[figure] == diff[figure], figure
    assert listed or diff["verdict"] == "none"
    for key in ("against", "index"):
        (draft,) = view[key]["drafts"]
        figures = _check_figures(draft)
        for figure in SCORES:
            if diff["verdict"] != "none":
                assert figures[figure] == diff[figure], (key, figure)
        assert not (diff["verdict"] == "none" and "verdict" in figures)


@pytest.mark.parametrize("name", [p[0] for p in PAIRS])
def test_copy_ratio_passages_and_swaps_agree(views: dict[str, dict[str, Any]], name: str) -> None:
    view = views[name]
    diff = view["diff"]
    library = view["library"].to_dict()
    against = _check_figures(view["against"]["drafts"][0])
    index = _check_figures(view["index"]["drafts"][0])
    assert diff["copy_ratio"] == library["copy_ratio"] == against["copy_ratio"] == index["copy_ratio"]
    assert diff["passages"] == library["passages"] == against["passages"] == index["passages"]
    assert diff["swaps"] == library["swaps"]


@pytest.mark.parametrize("name", [p[0] for p in PAIRS])
def test_html_pages_show_the_same_figures(views: dict[str, dict[str, Any]], name: str) -> None:
    view = views[name]
    ratio = f"copy ratio <b>{view['library'].copy_ratio:.1%}</b>"
    if view["diff"]["passages"]:
        assert ratio in view["html"]
        assert ratio in view["diff_html"]
    library = view["library"]
    if library.verdict != "none":
        for figure in (library.similarity, library.raw_similarity):
            assert f">{figure:.3f}<" in view["scan_html"], figure


def test_real_pair_figures() -> None:
    """The 003/004 figures users see in the README and the demo."""
    comparison = detector.compare(seed_text(3), seed_text(4))
    assert comparison.verdict == "recycled"
    assert round(comparison.similarity, 3) == 0.968
    assert round(comparison.raw_similarity or 0, 3) == 0.852
    assert ("synonym", "发展", "开展") in {(s.kind, s.old, s.new) for s in comparison.swaps}
    assert all(s.kind != "word" for s in comparison.swaps)
    # On a whole recycled copy, the swaps inside the passages are the swap table.
    data = comparison.to_dict()
    assert _passage_swaps(data["passages"]) == _swap_table(data["swaps"])


def test_spark_reports_the_scan_figures(views: dict[str, dict[str, Any]]) -> None:
    pytest.importorskip(
        "pyspark", reason="pyspark is not installed (pip install 'speech-reuse-detector[spark]')"
    )
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        pytest.skip("no Java runtime for Spark (apt install openjdk-17-jre-headless)")
    from detector import spark

    names = [p[0] for p in PAIRS[:6]]
    folders = [str(Path(views[n]["a"]).parent) for n in names]
    session = spark.session("local[2]", memory="1g")
    try:
        result = spark.scan(session, folders, detector.Config())
    finally:
        session.stop()
    found = {(p.a, p.b): p.to_dict() for p in result.pairs}
    for name in names:
        view = views[name]
        local = [p for p in view["scan"]["pairs"] if (p["a"], p["b"]) == (view["a"], view["b"])]
        if local and local[0]["verdict"] != "none":
            assert found[(view["a"], view["b"])] == local[0]
