from __future__ import annotations

import json
import re
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from benchmarks.recycle import recycle
from detector import Config, Corpus, IndexFileError, compare, load_lexicon, normalize, read_documents
from detector.canonical import TOKENS, Canonicalizer, canonical, fold_script, matching_form
from detector.cli import app
from detector.index import similarity
from detector.store import Index

from .conftest import corpus_folder, seed_path, seed_text

ENV = {"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}
SCRIPTS = ("s2hk", "s2tw")


def convert(text: str, config: str) -> str:
    return opencc.OpenCC(config).convert(text)


def scan_json(folder: Path, *options: str) -> dict:
    result = CliRunner().invoke(app, ["scan", str(folder), "--format", "json", *options], env=ENV)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("script", SCRIPTS)
def test_traditional_copy_of_003_is_recycled(tmp_path, script):
    source = seed_text(3)
    copy = convert(source, script)
    assert copy != source and sum(a != b for a, b in zip(copy, source, strict=True)) > 300
    (tmp_path / "003.txt").write_text(source, encoding="utf-8")
    (tmp_path / f"003-{script}.txt").write_text(copy, encoding="utf-8")
    (pair,) = scan_json(tmp_path)["pairs"]
    assert pair["verdict"] == "recycled"
    assert pair["similarity"] > 0.9
    assert pair["raw_similarity"] < 0.2
    assert scan_json(tmp_path, "--no-canonical")["pairs"] == []


@pytest.mark.parametrize("script", SCRIPTS)
def test_traditional_and_spun_copy_of_004_keeps_the_swaps_of_004(script):
    plain = compare(seed_text(3), seed_text(4))
    disguised = compare(seed_text(3), convert(seed_text(4), script))
    assert disguised.related
    kinds = {(s.kind, s.old) for s in plain.swaps if s.kind in ("year", "synonym")}
    found = {(s.kind, s.old) for s in disguised.swaps}
    assert len(kinds & found) >= 0.9 * len(kinds)
    # Script differences are not swaps; the swap's new side is the text as written.
    assert len(disguised.swaps) <= len(plain.swaps) + 5
    years = {(s.old, s.new, s.count) for s in disguised.swaps if s.kind == "year"}
    assert years == {(s.old, s.new, s.count) for s in plain.swaps if s.kind == "year"}
    assert ("2022", "2023", 2) in years
    spun = {(s.old, s.new) for s in disguised.swaps if s.kind == "synonym"}
    assert ("发展", "開展") in spun


def test_spin_folds_in_both_directions():
    fold = Canonicalizer()
    for original, spun in (("发展", "开展"), ("原则", "原那么"), ("服务", "效劳"), ("部分", "局部")):
        assert fold.text(original) == fold.text(spun)
    assert fold.text("为县域开展提供坚实根底") == fold.text("为县域发展提供坚实基础")


def test_every_lexicon_pair_folds_to_one_word():
    fold = Canonicalizer()
    for word, others in load_lexicon().pairs.items():
        for other in others:
            assert fold.text(word) == fold.text(other), (word, other)


def test_masking_makes_changed_entities_equal():
    mask = Canonicalizer(mask=True)
    a = normalize("2022年，井研县完成投资4.5亿元，第三次会议，全县*项工作，某某同志")
    b = normalize("2024年，沐川县完成投资12亿元，第八次会议，全区x项工作，XX同志")
    assert mask(a).text == mask(b).text
    assert mask(a).text == "<Y>年<P>完成投资<N>亿元第<N>次会议<P><X>项工作<X>同志"


def test_tokens_map_back_to_the_entities_they_mask():
    text = seed_text(3)
    norm = matching_form(text, Config(mask_entities=True))
    seen = set()
    for token_kind, token in TOKENS.items():
        for m in re.finditer(re.escape(token), norm.text):
            start, end = norm.original_span(m.start(), m.end())
            written = text[start:end]
            seen.add(token_kind)
            if token_kind in ("year", "number"):
                assert re.fullmatch(r"[0-9０-９.．%％一二三四五六七八九十〇○零百千万两]+", written), written
            elif token_kind == "place":
                assert written[-1] in "省市县区旗盟州", written
    assert {"year", "number", "place"} <= seen


def test_offsets_of_the_canonical_form_point_into_the_original():
    text = convert(seed_text(4), "s2tw")
    norm = matching_form(text, Config(mask_entities=True))
    assert len(norm.offsets) == len(norm.text)
    assert (norm.offsets[1:] >= norm.offsets[:-1]).all()
    assert norm.offsets[0] >= 0 and norm.offsets[-1] < len(text)
    plain = normalize(text)
    folded = fold_script(plain)
    assert (folded.offsets == plain.offsets).all() and len(folded.text) == len(plain.text)
    # A character the canonical form keeps is the script-folded character it came from.
    where = {int(o): ch for o, ch in zip(folded.offsets, folded.text, strict=True)}
    tokens = set("".join(TOKENS.values()))
    kept = [(ch, int(o)) for ch, o in zip(norm.text, norm.offsets, strict=True) if ch not in tokens]
    same = sum(where.get(o) == ch for ch, o in kept)
    assert same >= 0.97 * len(kept)


SEED_TEXT = normalize(seed_text(4) + seed_text(1)).text


@settings(max_examples=60, deadline=None)
@given(st.integers(0, len(SEED_TEXT) - 1), st.integers(1, 400), st.booleans(), st.sampled_from(SCRIPTS))
def test_canonical_form_is_idempotent(start, length, mask, script):
    piece = normalize(convert(SEED_TEXT[start : start + length], script)).text
    fold = Canonicalizer(mask=mask)
    once = fold.text(piece)
    assert fold.text(once) == once


@settings(max_examples=30, deadline=None)
@given(st.integers(0, len(SEED_TEXT) - 200), st.integers(50, 400), st.integers(0, 3000))
def test_similarity_is_symmetric(start, length, shift):
    a = SEED_TEXT[start : start + length]
    b = convert(SEED_TEXT[start + shift // 10 : start + shift // 10 + length], "s2hk")
    config = Config(mask_entities=True)
    assert similarity(a, b, config) == similarity(b, a, config)


def test_canonical_can_be_switched_off():
    norm = normalize("為縣域開展提供根底")
    assert canonical(norm, Config(canonical=False)) is norm
    assert canonical(norm, Config()).text == "为县域发展提供基础"


def test_masking_does_not_merge_independent_seeds():
    corpus = Corpus(Config(mask_entities=True))
    corpus.add_many(read_documents([seed_path(n) for n in range(4)])[0])
    assert corpus.pairs() == []
    candidates = corpus.pairs(include_all=True)
    assert max((p.similarity for p in candidates), default=0.0) < 0.15


def test_masking_does_not_merge_provincial_reports():
    folder = corpus_folder("cn_provincial_gwr_2026")
    documents, errors = read_documents([folder / "docs"])
    assert len(documents) == 31 and not errors
    for config in (Config(), Config(mask_entities=True)):
        corpus = Corpus(config)
        corpus.add_many(documents)
        assert corpus.pairs() == [], config


def test_heavily_disguised_copies_are_recycled():
    sources = [seed_text(n) for n in range(4)]
    corpus = Corpus()
    corpus.add_many(sources)
    for number, text in enumerate(sources):
        entities = recycle(text, strength=1.0, seed=number, kinds=frozenset({"year", "number", "place"}))
        spun = recycle(entities.text, strength=0.5, seed=number, kinds=frozenset({"synonym"}))
        assert sum(spun.swaps.values()) >= 5 and sum(entities.swaps.values()) >= 5
        copy = convert(spun.text, SCRIPTS[number % 2])
        matches = corpus.query(copy)
        assert [m.id for m in matches] == [f"doc-{number + 1}"]
        assert matches[0].verdict == "recycled"
        assert matches[0].raw_similarity is not None and matches[0].raw_similarity < 0.3
        assert Corpus(Config(canonical=False)).query(copy) == []


def test_index_records_the_matching_settings(tmp_path):
    db = tmp_path / "masked.db"
    runner = CliRunner()
    added = runner.invoke(app, ["index", "add", str(db), str(seed_path(3)), "--mask-entities"], env=ENV)
    assert added.exit_code == 0, added.output
    with Index.open(db) as index:
        assert index.config.mask_entities and index.config.canonical
        assert index.stats()["settings"]["mask_entities"] is True
    with pytest.raises(IndexFileError, match=r"mask_entities=True \(asked False\)"):
        Index.open(db, Config())
    refused = runner.invoke(
        app, ["check", str(seed_path(4)), "--index", str(db), "--no-mask-entities"], env=ENV
    )
    assert refused.exit_code == 2
    assert "mask_entities=True (asked False)" in refused.stderr and "Traceback" not in refused.output
    more = runner.invoke(app, ["index", "add", str(db), str(seed_path(2)), "--no-canonical"], env=ENV)
    assert more.exit_code == 2 and "canonical=True (asked False)" in more.stderr
    checked = runner.invoke(app, ["check", str(seed_path(4)), "--index", str(db), "-f", "json"], env=ENV)
    assert checked.exit_code == 0, checked.output
    data = json.loads(checked.stdout)
    assert data["settings"]["mask_entities"] is True
    (draft,) = data["drafts"]
    assert draft["copy_ratio"] > 0.9


def test_check_of_a_traditional_copy_shows_its_original_text(tmp_path):
    copy = convert(seed_text(4), "s2hk")
    draft = tmp_path / "draft.txt"
    draft.write_text(copy, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["check", str(draft), "--against", str(seed_path(3)), "-f", "json"], env=ENV
    )
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.stdout)["drafts"]
    assert report["copy_ratio"] > 0.9
    assert report["near_duplicates"][0]["similarity"] > 0.9
    assert report["near_duplicates"][0]["raw_similarity"] < 0.2
    (source,) = report["sources"]
    passage = source["passages"][0]
    start, end = passage["draft_start"], passage["draft_end"]
    assert copy[start:end] == passage["draft_text"]
    assert "環境" in passage["draft_text"] and "环境" in passage["source_text"]
    kinds = {s["kind"] for p in source["passages"] for s in p["swaps"]}
    assert "year" in kinds and "synonym" in kinds
