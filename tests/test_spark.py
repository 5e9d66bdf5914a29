from __future__ import annotations

import json
import os
import shutil
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from detector import Config, Corpus, Document, SourceError, read_documents
from detector.cli import app
from detector.components import DisjointSets
from detector.errors import ConfigError
from detector.scoring import Scores

from .conftest import SPEECHES

pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'speech-reuse-detector[spark]')")
if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
    pytest.skip("no Java runtime for Spark (apt install openjdk-17-jre-headless)", allow_module_level=True)

from benchmarks.synthetic import corpus, stock_corpus, write
from detector import spark as engine

ENV = {"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}


@pytest.fixture(scope="module")
def spark():
    session = engine.session("local[2]", memory="1g")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """The seeds, 300 documents derived from them (copies and partial copies among them), two bad files."""
    root = tmp_path_factory.mktemp("corpus")
    for path in SPEECHES.glob("*.txt"):
        shutil.copy(path, root / path.name)
    write(root / "generated", corpus(300, 1500, seed=3, copies=0.1, partials=0.05))
    (root / "generated" / "blank.txt").write_text("  \n", encoding="utf-8")
    (root / "generated" / "punctuation.txt").write_text("，。！？……——", encoding="utf-8")
    return root


def local_scan(paths: list[Path], config: Config | None = None):
    documents, errors = read_documents(paths)
    problems = list(errors)
    found = Corpus(config)
    found.add_many(documents, on_error=problems.append)
    return found.scan(errors=[(e.path, e.reason) for e in problems])


def test_spark_scan_equals_local_scan(spark, folder, tmp_path):
    expected = local_scan([folder])
    result = engine.scan(spark, [str(folder)], output=tmp_path / "out")
    verdicts = Counter(p.verdict for p in expected.pairs)
    assert verdicts["recycled"] >= 25 and verdicts["partial"] >= 10 and len(expected.groups) >= 20
    assert result.documents == expected.documents
    assert result.pairs == expected.pairs
    assert result.groups == expected.groups
    assert result.errors == expected.errors and len(result.errors) == 2
    written = json.loads((tmp_path / "out" / "scan.json").read_text(encoding="utf-8"))
    assert written == expected.to_dict()
    pairs = spark.read.parquet(str(tmp_path / "out" / "pairs.parquet")).collect()
    assert sorted((r["a"], r["b"], r["verdict"]) for r in pairs) == sorted(
        (p.a, p.b, p.verdict) for p in expected.pairs
    )
    groups = spark.read.parquet(str(tmp_path / "out" / "groups.parquet")).orderBy("group").collect()
    assert [tuple(r["members"]) for r in groups] == list(expected.groups)


def test_cli_engine_spark_prints_what_the_local_engine_prints(spark, folder):
    runner = CliRunner()
    local = runner.invoke(app, ["scan", str(SPEECHES), "-f", "json"], env=ENV)
    remote = runner.invoke(app, ["scan", str(SPEECHES), "-f", "json", "--engine", "spark"], env=ENV)
    assert local.exit_code == remote.exit_code == 0, remote.output
    assert json.loads(remote.stdout) == json.loads(local.stdout)
    masked = runner.invoke(
        app,
        ["scan", str(SPEECHES), "-f", "json", "--engine", "spark", "--mask-entities", "--no-canonical"],
        env=ENV,
    )
    local_masked = runner.invoke(
        app, ["scan", str(SPEECHES), "-f", "json", "--mask-entities", "--no-canonical"]
    )
    assert json.loads(masked.stdout) == json.loads(local_masked.stdout)


def test_tables_with_id_and_text_columns(spark, tmp_path):
    documents, _ = read_documents([SPEECHES])
    rows = [(f"speech-{i}", d.text) for i, d in enumerate(documents)]
    frame = spark.createDataFrame(rows, ["id", "text"])
    frame.write.parquet(str(tmp_path / "speeches.parquet"))
    frame.write.json(str(tmp_path / "speeches.jsonl"))
    expected = Corpus()
    expected.add_many([Document(id, text) for id, text in rows])
    for table in ("speeches.parquet", "speeches.jsonl"):
        result = engine.scan(spark, str(tmp_path / table))
        assert result.pairs == tuple(expected.pairs()), table
        assert result.groups == (("speech-3", "speech-4"),)
    spark.createDataFrame([("a", "b")], ["name", "body"]).write.parquet(str(tmp_path / "other.parquet"))
    with pytest.raises(SourceError, match="needs columns 'id' and 'text'"):
        engine.scan(spark, str(tmp_path / "other.parquet"))


def test_skewed_buckets_finish_with_the_local_result(spark, tmp_path):
    documents = stock_corpus(2000, stock=500, own=1500)
    folder = tmp_path / "stock"
    write(folder, documents)
    # Every document holds the same paragraph: some buckets hold hundreds of
    # documents, far more than a block, and most pairs are candidates.
    expected = local_scan([folder])
    found = Corpus()
    found.add_many(read_documents([folder])[0])
    signatures = np.stack([found.get(id).signature for id in found.ids])
    bands, rows = engine.lsh_bands(Config())
    largest = max(
        max(Counter(map(bytes, signatures[:, b * rows : (b + 1) * rows])).values()) for b in range(bands)
    )
    assert largest > 4 * 64
    result = engine.scan(spark, [str(folder)], block=64)
    assert result.pairs == expected.pairs and result.groups == expected.groups
    assert len(result.documents) == 2000


def test_without_pyspark_the_cli_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    result = CliRunner().invoke(app, ["scan", str(SPEECHES), "--engine", "spark"], env=ENV)
    assert result.exit_code == 2
    assert (
        result.stderr
        == "error: pyspark is not installed; install it with: pip install 'speech-reuse-detector[spark]'\n"
    )


def test_all_is_refused_with_spark():
    result = CliRunner().invoke(app, ["scan", str(SPEECHES), "--engine", "spark", "--all"], env=ENV)
    assert result.exit_code == 2 and "--all works with --engine local only" in result.stderr


def test_spark_submit_entry_point(spark, tmp_path, capsys):
    out = tmp_path / "out"
    assert engine.main([str(SPEECHES), str(out)]) == 0
    assert f"{out}: 1 pair, 1 group among 5 documents; 0 inputs not read" in capsys.readouterr().out
    data = json.loads((out / "scan.json").read_text(encoding="utf-8"))
    assert data["groups"] == [[str(SPEECHES / p.name) for p in sorted(SPEECHES.glob("00[34]_*.txt"))]]


def test_the_pair_cap_keeps_the_local_best_pairs_count_and_groups(spark, folder, tmp_path):
    everything = local_scan([folder])
    documents, _ = read_documents([folder])
    local = Corpus()
    local.add_many(documents, on_error=lambda error: None)
    for cap in (1, 7, 40):
        expected = local.scan(max_pairs=cap)
        assert expected.pairs_dropped == len(everything.pairs) - cap
        result = engine.scan(spark, [str(folder)], output=tmp_path / f"out{cap}", max_pairs=cap)
        assert result.pairs == expected.pairs == everything.pairs[:cap]
        assert result.pairs_dropped == expected.pairs_dropped
        assert result.groups == expected.groups == everything.groups
        written = json.loads((tmp_path / f"out{cap}" / "scan.json").read_text(encoding="utf-8"))
        assert written["pairs_dropped"] == expected.pairs_dropped and len(written["pairs"]) == cap
    uncapped = engine.scan(spark, [str(folder)], max_pairs=None)
    assert uncapped.pairs == everything.pairs and uncapped.pairs_dropped == 0
    with pytest.raises(ConfigError, match="max_pairs must be at least 1"):
        engine.scan(spark, [str(folder)], max_pairs=0)


def _verified(count: int) -> list[engine._Verified]:
    """``count`` verified pairs among 17 documents (``count`` up to 66), many of them tied in similarity."""
    made = []
    for number in range(count):
        a, b = number % 6, 6 + number % 11
        scores = Scores(
            similarity=round(1 - number / count, 1),
            raw_similarity=0.4,
            estimated=0.5,
            containment_a_in_b=0.5 + (number % 3) / 10,
            containment_b_in_a=0.5,
            verdict="recycled" if number % 4 else "partial",
        )
        made.append((a, b, scores.pair(f"d{a}", f"d{b}"), scores))
    return made


def test_partitions_keep_only_their_best_pairs_and_the_links_of_their_groups():
    items = _verified(60)
    ranked = sorted(items, key=lambda item: engine._rank_key(item))
    parts = [items[0:25], items[25:26], [], items[26:]]
    summaries = [next(engine._summarise(iter(part), 4)) for part in parts]
    assert all(len(best) <= 4 for _, _, best in summaries)
    assert [count for count, _, _ in summaries] == [25, 1, 0, 34]
    merged: engine._Summary = (0, [], [])
    for summary in summaries:
        merged = engine._merge(merged, summary, 4)
    count, links, best = merged
    assert count == 60 and best == ranked[:4]
    recycled = {(a, b) for a, b, pair, _ in items if pair.verdict == "recycled"}
    assert len(links) < len(recycled)
    joined: DisjointSets[int] = DisjointSets()
    for a, b in recycled:
        joined.union(a, b)
    linked: DisjointSets[int] = DisjointSets()
    for a, b in links:
        linked.union(a, b)
    assert sorted(map(sorted, joined.groups())) == sorted(map(sorted, linked.groups()))
    everything = engine._merge((0, [], []), next(engine._summarise(iter(items), None)), None)
    assert everything[2] == ranked


def test_spark_submit_takes_max_pairs(spark, folder, tmp_path, capsys):
    out = tmp_path / "out"
    assert engine.main([str(folder), str(out), "--max-pairs", "3"]) == 0
    data = json.loads((out / "scan.json").read_text(encoding="utf-8"))
    assert len(data["pairs"]) == 3 and data["pairs_dropped"] > 0
    assert f"{out}: 3 pairs ({data['pairs_dropped']} more not listed)," in capsys.readouterr().out
