from __future__ import annotations

from pathlib import Path

import pytest

from detector import CheckOptions, Config, Corpus, Document, normalize, read_document, read_documents

from .conftest import corpus_folder, seed_path, seed_text

FORMULATION = "要严格落实生态环境保护党政同责一岗双责"


def _corpus(numbers, **kwargs) -> Corpus:
    corpus = Corpus(**kwargs)
    corpus.add_many([read_document(seed_path(n)) for n in numbers])
    return corpus


def test_scraped_copy_has_its_original_as_only_source():
    report = _corpus((0, 1, 2, 3)).check(read_document(seed_path(4)))
    assert [Path(s.source).name[:3] for s in report.sources] == ["003"]
    assert report.copy_ratio > 0.9
    assert report.largest_source_ratio == report.copy_ratio
    assert report.passage_count == len(report.sources[0].passages)
    kinds = report.sources[0].swap_counts()
    assert kinds["year"] >= 5 and kinds["placeholder"] >= 3 and kinds["synonym"] >= 12


@pytest.mark.parametrize("draft", [0, 1, 2])
def test_independent_speech_reuses_nothing(draft):
    others = [n for n in range(5) if n != draft]
    report = _corpus(others).check(read_document(seed_path(draft)))
    assert report.copy_ratio < 0.02
    assert report.sources == ()


def test_shared_formulation_is_a_common_phrase_not_reuse():
    report = _corpus((1, 2, 3, 4)).check(read_document(seed_path(0)))
    phrases = [normalize(p.text).text for p in report.common_phrases]
    assert any(FORMULATION in p for p in phrases)
    original = seed_text(0)
    hit = next(p for p in report.common_phrases if FORMULATION in normalize(p.text).text)
    assert original[hit.draft_start : hit.draft_end] == hit.text
    assert hit.origin == "listed"


def _borrowing_draft() -> tuple[str, list[tuple[int, int]], list[str]]:
    """Seed 000 with two paragraphs of seed 002 inserted, 2022 → 2024 and 区 → 县."""
    source_lines = seed_text(2).split("\n")
    picked = [3, 4]
    offsets = []
    position = 0
    for number, line in enumerate(source_lines):
        if number in picked:
            offsets.append((position, position + len(line)))
        position += len(line) + 1
    borrowed = [source_lines[n].replace("2022", "2024").replace("区", "县") for n in picked]
    lines = seed_text(0).split("\n")
    middle = len(lines) // 2
    draft = "\n".join(
        [*lines[:middle], borrowed[0], *lines[middle : middle + 3], borrowed[1], *lines[middle + 3 :]]
    )
    return draft, offsets, borrowed


def test_two_borrowed_paragraphs_found_with_positions_swaps_and_ratio():
    draft, offsets, borrowed = _borrowing_draft()
    report = _corpus((1, 2, 3, 4)).check(Document("draft.txt", draft, "draft.txt"))
    assert [Path(s.source).name[:3] for s in report.sources] == ["002"]
    passages = report.sources[0].passages
    assert len(passages) == 2
    for passage, (start, end), paragraph in zip(passages, offsets, borrowed, strict=True):
        assert abs(passage.source_start - start) <= 2 and abs(passage.source_end - end) <= 2
        assert draft[passage.draft_start : passage.draft_end] == passage.draft_text
        assert normalize(passage.draft_text).text == normalize(paragraph).text
        swaps = {(s.kind, s.old, s.new) for s in passage.swaps}
        assert ("year", "2022", "2024") in swaps
        assert any(kind == "place" and old.endswith("区") and new.endswith("县") for kind, old, new in swaps)
        for swap in passage.swaps:
            for p in swap.positions:
                assert seed_text(2)[p.a_start : p.a_end] and draft[p.b_start : p.b_end]
    true_share = sum(len(normalize(p).text) for p in borrowed) / len(normalize(draft).text)
    assert abs(report.copy_ratio - true_share) <= 0.02


def test_swap_positions_point_into_both_originals():
    report = _corpus((3,)).check(read_document(seed_path(4)))
    source, draft = seed_text(3), seed_text(4)
    for passage in report.sources[0].passages:
        for swap in passage.swaps:
            for p in swap.positions:
                assert normalize(source[p.a_start : p.a_end]).text == normalize(swap.old).text
                assert normalize(draft[p.b_start : p.b_end]).text == normalize(swap.new).text


def test_draft_checked_against_a_corpus_holding_it_skips_itself():
    corpus = _corpus(range(5))
    report = corpus.check(read_document(seed_path(4)))
    assert [Path(s.source).name[:3] for s in report.sources] == ["003"]


def test_min_passage_setting_drops_shorter_passages():
    draft, _, _ = _borrowing_draft()
    corpus = _corpus((1, 2, 3, 4))
    assert corpus.check(draft, min_passage=500).sources == ()
    assert corpus.check(draft, min_passage=100).passage_count == 2


def test_report_to_dict_has_the_documented_fields():
    data = _corpus((0, 1, 2, 3)).check(read_document(seed_path(4))).to_dict()
    assert {"path", "copy_ratio", "sources", "common_phrases", "largest_source_ratio"} <= set(data)
    source = data["sources"][0]
    assert {"path", "copy_ratio", "passages", "longest_passage", "passage_count"} <= set(source)
    passage = source["passages"][0]
    assert {"draft_start", "draft_end", "source_start", "source_end", "swaps"} <= set(passage)


def test_corpus_change_rebuilds_the_passage_index():
    corpus = _corpus((0, 1, 2))
    draft = read_document(seed_path(4))
    assert corpus.check(draft).sources == ()
    corpus.add(read_document(seed_path(3)))
    assert corpus.check(draft).copy_ratio > 0.9
    corpus.remove(str(seed_path(3)))
    assert corpus.check(draft).sources == ()


def test_news_transcript_against_the_rest_finds_real_sentences():
    folder = corpus_folder("cn_xinwenlianbo_2024")
    documents, errors = read_documents([folder])
    assert not errors
    corpus = Corpus(Config())
    draft = documents[5]
    corpus.add_many(documents[:5] + documents[6:])
    report = corpus.check(draft)
    assert report.sources, "the transcript shares news items with other days"
    assert report.copy_ratio < 0.2
    top = report.sources[0].passages
    for passage in top:
        assert passage.reused >= CheckOptions().min_passage
        # A reused passage is text both days carry, not only the broadcast's stock lines.
        assert normalize(passage.draft_text).text not in {
            normalize(p.text).text for p in report.common_phrases
        }


def test_generated_drafts_passages_found():
    import random

    from benchmarks.drafts import make_draft, paragraphs

    corpus = _corpus((0, 1, 2))
    sources = {id: paragraphs(corpus.get(id).document.text) for id in corpus.ids}
    filler = paragraphs(seed_text(3))
    rng = random.Random(7)
    found = total = correct = reported = 0
    for _ in range(12):
        draft = make_draft(
            sources, filler, rng, borrowed=rng.randint(1, 3), source_count=rng.randint(1, 3), filler_count=5
        )
        norm = normalize(draft.text)
        truth = [(b.source, *norm.original_span(b.start, b.end)) for b in draft.borrowed]
        report = corpus.check(draft.text)
        passages = [(s.source, p.draft_start, p.draft_end) for s in report.sources for p in s.passages]
        for source, t0, t1 in truth:
            total += 1
            found += any(s == source and min(t1, p1) - max(t0, p0) >= (t1 - t0) / 2 for s, p0, p1 in passages)
        for source, p0, p1 in passages:
            reported += 1
            correct += any(s == source and min(t1, p1) - max(t0, p0) >= (p1 - p0) / 2 for s, t0, t1 in truth)
    assert total >= 15
    assert found / total >= 0.9
    assert correct / reported >= 0.9


def test_lone_surrogates_in_drafts_and_sources_are_ignored(index):
    text = seed_text(3)
    spoiled = text[:200] + "\ud800" + text[200:400] + "\udfff"
    Corpus().add(spoiled)  # no UnicodeEncodeError
    added = index.add([Document("spoiled.txt", spoiled, "spoiled.txt")])
    assert added.added == ("spoiled.txt",) and index.text("spoiled.txt") == spoiled
    clean, draft = text[:400], text[:100] + "\udc80" + text[100:400]
    for target in (index, _corpus([3])):
        spoiled_report, clean_report = (
            target.check(Document("draft.txt", t, "draft.txt")) for t in (draft, clean)
        )
        assert spoiled_report.length == clean_report.length
        assert spoiled_report.copy_ratio == clean_report.copy_ratio > 0.8
        assert [s.source for s in spoiled_report.sources] == [s.source for s in clean_report.sources]


def _rba(name: str) -> str:
    return (corpus_folder("en_rba_decisions") / "docs" / name).read_text(encoding="utf-8")


def test_english_drafts_need_about_as_many_words_as_chinese_ones_characters():
    source = _rba("2017-06-06.txt")
    sentences = [s.strip() + "." for s in source.split(". ") if 80 <= len(s) <= 200]
    snippet = next(s for s in source.split(", ") if 30 <= len(s.replace(" ", "")) < 55)
    filler = _rba("1992-05-06.txt")[:1500]
    corpus = Corpus()
    corpus.add(source, id="source")
    short = corpus.check(filler + " " + snippet + " " + filler[:300])
    assert not short.sources, [p.draft_text for s in short.sources for p in s.passages]
    long = corpus.check(filler + " " + sentences[0] + " " + filler[:300])
    assert [s.source for s in long.sources] == ["source"]
    (passage,) = long.sources[0].passages
    assert sentences[0][:-1] in passage.draft_text or passage.draft_text in sentences[0]
