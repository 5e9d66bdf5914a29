"""Passage-level recall and precision of ``detector check`` on generated drafts.

Corpus: the 31 provincial government work reports of 2026 and seeds 000–003.
Drafts (``benchmarks/drafts.py``): paragraphs of 2024 news transcripts (not in
the corpus) with 1–4 paragraphs borrowed from 1–3 corpus documents, each
recycled (years, numbers, places, words swapped); plus drafts that borrow
nothing. A borrowed paragraph counts as found when a reported passage from
its source covers at least half of it; a reported passage is correct when at
least half of it lies in a paragraph borrowed from that source.

Also compares the two ways of finding candidate sources: the window-level
MinHash LSH that ``detector check`` uses, and datasketch's
``MinHashLSHEnsemble`` over whole documents (containment search).

Usage:
    python -m benchmarks.reuse_quality [--drafts 60] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

import numpy as np
from datasketch import MinHashLSHEnsemble

from benchmarks.drafts import Draft, make_draft, mixed_drafts, paragraphs
from detector import CheckOptions, Config, Corpus, Document, normalize, read_documents
from detector.shingle import shingle_set

ROOT = Path(__file__).resolve().parent.parent
CORPORA = Path(os.environ.get("DETECTOR_CORPORA", ROOT.parent / "shared" / "corpora"))


def load() -> tuple[list[Document], list[str]]:
    reports_folder = CORPORA / "cn_provincial_gwr_2026" / "docs"
    news_folder = CORPORA / "cn_xinwenlianbo_2024" / "news"
    if not reports_folder.is_dir() or not news_folder.is_dir():
        sys.exit(f"needs {reports_folder} and {news_folder} (set DETECTOR_CORPORA)")
    corpus, _ = read_documents([reports_folder])
    seeds, _ = read_documents(sorted((ROOT / "data" / "speeches").glob("00[0-3]_*.txt")))
    news, _ = read_documents([news_folder])
    filler = [p for doc in news[::6] for p in paragraphs(doc.text, shortest=60, longest=600)]
    return corpus + seeds, filler


def truth_spans(draft: Draft) -> list[tuple[str, int, int]]:
    norm = normalize(draft.text)
    return [(b.source, *norm.original_span(b.start, b.end)) for b in draft.borrowed]


def overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def score(corpus: Corpus, drafts: list[Draft], min_passage: int) -> dict[str, float]:
    found = total = correct = reported = 0
    errors = []
    coverage = []
    false_drafts = 0
    seconds = 0.0
    for draft in drafts:
        start = time.perf_counter()
        report = corpus.check(draft.text, min_passage=min_passage)
        seconds += time.perf_counter() - start
        truth = truth_spans(draft)
        passages = [(s.source, p.draft_start, p.draft_end) for s in report.sources for p in s.passages]
        for source, t0, t1 in truth:
            total += 1
            found += any(s == source and overlap(p0, p1, t0, t1) * 2 >= t1 - t0 for s, p0, p1 in passages)
        for source, p0, p1 in passages:
            reported += 1
            correct += any(s == source and overlap(p0, p1, t0, t1) * 2 >= p1 - p0 for s, t0, t1 in truth)
        errors.append(abs(report.copy_ratio - draft.true_ratio))
        spans = sum(p.length for s in report.sources for p in s.passages)
        coverage.append(abs(min(1.0, spans / report.length) - draft.true_ratio) if report.length else 0.0)
        if not truth and passages:
            false_drafts += 1
    return {
        "recall": found / total if total else float("nan"),
        "precision": correct / reported if reported else 1.0,
        "borrowed": total,
        "reported": reported,
        "ratio_mae": float(np.mean(errors)),
        "ratio_max": float(np.max(errors)),
        "span_mae": float(np.mean(coverage)),
        "false_drafts": false_drafts,
        "ms_per_draft": 1000 * seconds / len(drafts),
    }


def candidates(corpus: Corpus, drafts: list[Draft]) -> list[tuple[str, float, float, float]]:
    ids = list(corpus.ids)
    index = corpus.reuse_index()
    config = corpus.config
    rows = []
    truth = [{b.source for b in d.borrowed} for d in drafts]
    # Window LSH (what detector check uses).
    start = time.perf_counter()
    hit = found = count = 0
    for draft, sources in zip(drafts, truth, strict=True):
        norm = normalize(draft.text)
        cps = norm.codepoints()
        got = {ids[n] for n in index.windows.query(cps, ignore=index.stock.mask(norm.text, cps))}
        hit += len(sources & got)
        found += len(sources)
        count += len(got)
    rows.append(
        (
            "window MinHash LSH (50/25, 64 values, 21×3)",
            hit / found,
            count / len(drafts),
            time.perf_counter() - start,
        )
    )
    # MinHashLSHEnsemble over whole documents, containment of the draft in a source.
    sets = {id: corpus.get(id).shingles for id in ids}
    for threshold in (0.05, 0.1, 0.2):
        ensemble = MinHashLSHEnsemble(threshold=threshold, num_perm=config.num_perm, num_part=8)
        ensemble.index([(id, corpus.sketcher.minhash(corpus.get(id).signature), len(sets[id])) for id in ids])
        start = time.perf_counter()
        hit = found = count = 0
        for draft, sources in zip(drafts, truth, strict=True):
            shingles = shingle_set(normalize(draft.text).codepoints(), config.ngram)
            signature = corpus.sketcher.minhash(corpus.sketcher.sketch(shingles))
            got = set(ensemble.query(signature, len(shingles)))
            hit += len(sources & got)
            found += len(sources)
            count += len(got)
        rows.append(
            (
                f"MinHashLSHEnsemble, containment ≥ {threshold}",
                hit / found,
                count / len(drafts),
                time.perf_counter() - start,
            )
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    documents, filler = load()
    corpus = Corpus(Config())
    start = time.perf_counter()
    corpus.add_many(documents)
    corpus.reuse_index()
    built = time.perf_counter() - start
    sources = {doc.id: paragraphs(doc.text) for doc in documents}
    rng = random.Random(args.seed)
    drafts = mixed_drafts(sources, filler, rng, args.drafts, vary_lengths=True)
    clean = [make_draft(sources, filler, rng, borrowed=0, filler_count=12) for _ in range(args.drafts // 3)]
    borrowed = [b for d in drafts for b in d.borrowed]
    print(
        f"corpus: {len(documents)} documents, {sum(len(d.text) for d in documents):,} characters "
        f"(index built in {built:.1f} s); {len(drafts)} drafts borrowing {len(borrowed)} paragraphs "
        f"({min(b.end - b.start for b in borrowed)}–{max(b.end - b.start for b in borrowed)} characters, "
        f"{sum(b.swaps for b in borrowed)} swaps), {len(clean)} drafts borrowing nothing"
    )
    print()
    print("### Passages by --min-passage")
    print()
    print(
        "| min passage | recall | precision | copy ratio MAE | copy ratio max err | passage span MAE "
        "| clean drafts flagged | ms/draft |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for min_passage in (10, 15, 20, 30, 50):
        s = score(corpus, drafts + clean, min_passage)
        print(
            f"| {min_passage} | {s['recall']:.3f} | {s['precision']:.3f} | {s['ratio_mae']:.4f} | "
            f"{s['ratio_max']:.4f} | {s['span_mae']:.4f} | {s['false_drafts']}/{len(clean)} | "
            f"{s['ms_per_draft']:.0f} |"
        )
    print()
    print("### Recall by borrowed paragraph length (default settings)")
    print()
    print("| length | borrowed | recall |")
    print("|---|---|---|")
    for low, high in ((50, 100), (100, 300), (300, 100000)):
        subset = []
        for d in drafts:
            kept = [b for b in d.borrowed if low <= b.end - b.start < high]
            if kept:
                subset.append(Draft(d.text, kept, d.length))
        s = score(corpus, subset, CheckOptions().min_passage)
        print(f"| {low}–{high if high < 100000 else ''} | {s['borrowed']} | {s['recall']:.3f} |")
    print()
    print("### Candidate sources: window LSH vs MinHashLSHEnsemble")
    print()
    print("| method | source recall | candidates per draft | query s (all drafts) |")
    print("|---|---|---|---|")
    for name, recall, count, seconds in candidates(corpus, drafts):
        print(f"| {name} | {recall:.3f} | {count:.1f} | {seconds:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
