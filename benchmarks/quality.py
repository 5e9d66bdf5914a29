"""Detection quality on labelled recycled documents: whole documents, passages, swaps.

Sources: seeds 000–003 and the 31 provincial government work reports of 2026.
Each source is recycled by ``benchmarks/recycle.py`` under one
transformation at a time, and under all of them, at strengths 0.3, 0.6 and
1.0. Negatives: 2024 news transcripts of different days and the provincial
reports themselves (same genre, shared policy language, no shared text).

Tables:

1. whole-document detection (``detector scan``, verdict ``recycled``):
   precision, recall and F1 by transformation and strength; false pairs among
   the negatives;
2. passage-level reuse (``detector check``) by strength, on drafts from
   ``benchmarks/drafts.py``;
3. the swap table's precision and recall by kind (``detector diff``).

Usage:
    python -m benchmarks.quality [--full] [--write]

``--write`` replaces the quality section of ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import datetime
import random
import time
from collections.abc import Callable

from benchmarks.drafts import mixed_drafts, paragraphs
from benchmarks.recycle import recycle, restructure, scrape
from benchmarks.results import machine, publish
from benchmarks.reuse_quality import load, score
from benchmarks.swap_quality import evaluate as swap_evaluate
from benchmarks.swap_quality import sources as swap_sources
from benchmarks.swap_quality import table as swap_table
from detector import CheckOptions, Config, Corpus, Document

STRENGTHS = (0.3, 0.6, 1.0)


def _transformations(filler: list[str]) -> dict[str, Callable[[str, float, int], str]]:
    def swaps(text: str, strength: float, seed: int) -> str:
        return recycle(text, strength=strength, seed=seed).text

    def furniture(text: str, strength: float, seed: int) -> str:
        return scrape(text, random.Random(seed))

    def paragraphs_moved(text: str, strength: float, seed: int) -> str:
        return restructure(text, random.Random(seed), drop=0.3 * strength, reorder=0.5 * strength)

    def inserted(text: str, strength: float, seed: int) -> str:
        rng = random.Random(seed)
        budget = int(0.4 * strength * len(text))
        new: list[str] = []
        while sum(len(p) for p in new) < budget:
            new.append(rng.choice(filler))
        return restructure(text, rng, insert=new)

    def everything(text: str, strength: float, seed: int) -> str:
        rng = random.Random(seed)
        text = recycle(text, strength=strength, seed=seed).text
        text = inserted(paragraphs_moved(text, strength, seed), strength, seed + 1)
        return scrape(text, rng)

    return {
        "years, numbers, places, placeholders, spin": swaps,
        "scraped-site furniture": furniture,
        "paragraphs dropped and reordered": paragraphs_moved,
        "new paragraphs inserted": inserted,
        "all of them": everything,
    }


def whole_documents(
    sources: list[Document], negatives: list[Document], filler: list[str]
) -> tuple[list[str], int]:
    rows = []
    for name, transform in _transformations(filler).items():
        for strength in STRENGTHS:
            copies = [
                Document(f"copy:{d.id}", transform(d.text, strength, number), f"copy:{d.id}")
                for number, d in enumerate(sources)
            ]
            corpus = Corpus(Config())
            corpus.add_many([*sources, *copies, *negatives])
            truth = {(d.id, f"copy:{d.id}") for d in sources}
            pairs = corpus.pairs()
            found = {(p.a, p.b) for p in pairs if p.verdict == "recycled"}
            either = {(p.a, p.b) for p in pairs} & truth
            tp = len(found & truth)
            precision = tp / len(found) if found else 1.0
            recall = tp / len(truth)
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            rows.append(
                f"| {name} | {strength} | {precision:.3f} | {recall:.3f} | {f1:.3f} | "
                f"{len(either) / len(truth):.3f} | {len(found - truth)} |"
            )
    corpus = Corpus(Config())
    corpus.add_many(negatives)
    false = len(corpus.pairs())
    return rows, false


def passages(documents: list[Document], filler: list[str], count: int) -> list[str]:
    corpus = Corpus(Config())
    corpus.add_many(documents)
    corpus.reuse_index()
    sources = {doc.id: paragraphs(doc.text) for doc in documents}
    rows = []
    for strength in STRENGTHS:
        drafts = mixed_drafts(sources, filler, random.Random(int(strength * 10)), count, strength=strength)
        s = score(corpus, drafts, CheckOptions().min_passage)
        f1 = 2 * s["precision"] * s["recall"] / (s["precision"] + s["recall"])
        rows.append(f"| {strength} | {s['borrowed']} | {s['precision']:.3f} | {s['recall']:.3f} | {f1:.3f} |")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="More drafts and swap sources.")
    parser.add_argument("--write", action="store_true", help="Update benchmarks/RESULTS.md.")
    args = parser.parse_args()
    started = time.perf_counter()
    documents, filler = load()
    reports = [d for d in documents if "cn_provincial_gwr_2026" in (d.path or "")]
    from benchmarks.reuse_quality import CORPORA
    from detector import read_documents

    news, _ = read_documents([CORPORA / "cn_xinwenlianbo_2024" / "news"])
    negatives = news[3 :: 6 if args.full else 12]
    rows, false_reports = whole_documents(documents, negatives, filler)
    out = [
        f"Measured {datetime.date.today()} on {machine()}.",
        "",
        f"### Whole documents: {len(documents)} sources recycled, {len(negatives)} news transcripts "
        "as negatives",
        "",
        "Precision, recall and F1 of the `recycled` verdict; the next column counts a copy found "
        "when it is listed at all (`recycled` or `partial`).",
        "",
        "| transformation | strength | precision | recall | F1 | recall, recycled or partial | false pairs |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"Pairs reported among the {len(negatives)} news transcripts alone: {false_reports}.",
    ]
    corpus = Corpus(Config())
    corpus.add_many(reports)
    among_reports = corpus.pairs()
    out.append(f"Pairs reported among the {len(reports)} provincial reports alone: {len(among_reports)}.")
    out += [
        "",
        "### Passages: drafts borrowing 1–4 paragraphs from 1–3 sources, by recycling strength",
        "",
        "| strength | borrowed paragraphs | precision | recall | F1 |",
        "|---|---|---|---|---|",
        *passages(documents, filler, 60 if args.full else 20),
        "",
        "### Swap table by kind",
        "",
    ]
    texts = swap_sources(40 if args.full else 12)
    out.append(swap_table(swap_evaluate(texts, list(STRENGTHS), 1)))
    out.append("")
    out.append(f"({time.perf_counter() - started:.0f} s)")
    text = "\n".join(out)
    publish("quality", text, args.write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
