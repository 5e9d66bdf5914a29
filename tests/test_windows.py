"""The window LSH finds a source from one borrowed sentence."""

from __future__ import annotations

import json

import numpy as np
from typer.testing import CliRunner

from detector import normalize
from detector.cli import app
from detector.windows import WindowIndex

from .conftest import seed_path, seed_text


def test_window_index_finds_a_short_borrowing_in_a_long_corpus():
    texts = [normalize(seed_text(n)).codepoints() for n in (0, 1, 2, 3)]
    index = WindowIndex()
    index.build(texts)
    borrowed = normalize(
        [p for p in seed_text(1).split("\n") if len(normalize(p).text) >= 80][4][:80]
    ).codepoints()
    query = np.concatenate([normalize("今年的工作安排如下，请大家认真抓好落实。").codepoints(), borrowed])
    hits = index.query(query)
    assert hits.most_common(1)[0][0] == 1


PHRASE = "坚决打赢污染防治攻坚战系统提升城乡人居环境质量"


def test_a_passage_one_document_repeats_counts_as_one_document_in_a_bucket():
    repeated = normalize(PHRASE * 40).codepoints()
    other = normalize(seed_text(1)).codepoints()
    index = WindowIndex(window=20, stride=10, max_bucket=5)
    index.build([other, repeated])
    widths = [np.unique(row, return_counts=True)[1].max() for row in index.arrays[0]]
    assert max(widths) > 5  # the buckets hold many windows, all of one document
    found = index.query(normalize(PHRASE).codepoints())
    index.max_bucket = 10**6
    assert found == index.query(normalize(PHRASE).codepoints()) and set(found) == {1} and found[1] > 10


def test_a_passage_many_documents_share_is_still_skipped():
    documents = [normalize(PHRASE * 2).codepoints() for _ in range(7)]
    index = WindowIndex(window=20, stride=10, max_bucket=5)
    index.build(documents)
    assert index.query(normalize(PHRASE).codepoints()) == {}
    index.max_bucket = 7
    assert set(index.query(normalize(PHRASE).codepoints())) == set(range(7))


def test_a_source_repeating_a_speech_25_times_is_found(tmp_path):
    source = tmp_path / "repeated.txt"
    source.write_text((seed_text(3).rstrip() + "\n\n") * 25, encoding="utf-8")
    runner = CliRunner()
    added = runner.invoke(app, ["index", "add", str(tmp_path / "i.db"), str(source)])
    assert added.exit_code == 0, added.output
    result = runner.invoke(
        app, ["check", str(seed_path(3)), "--index", str(tmp_path / "i.db"), "--format", "json"]
    )
    assert json.loads(result.stdout)["drafts"][0]["sources"][0]["path"] == str(source)
