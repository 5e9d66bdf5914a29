"""Precision and recall of the swap table by kind, on generated recycled documents.

Sources: the seeds and paragraphs of the 31 provincial government work reports
(``../shared/corpora`` or ``$DETECTOR_CORPORA``). Each source is recycled by
``benchmarks/recycle.py`` at several strengths, with and without scraped-site
furniture; ``detector.compare`` must recover the swaps the generator made.
An occurrence counts as found when the kind, the old text and the new text
all match.

Three more sets (``--sets``):

* ``moves``: two or three sentences holding a number carried to another
  paragraph, each number changed (``recycle.move_sentences``);
* ``scripts``: recycled as above, half of the years and small numbers
  rewritten in the other script as they change (2022 → 二〇二三, 3 → 五);
* ``english``: the statements of ``en_rba_decisions`` recycled in English
  (``recycle.recycle_english``: years, numbers such as 4.35 and 2½, rate
  words such as lower ↔ raise).

Usage:
    python -m benchmarks.swap_quality [--docs 40] [--seed 1] [--sets chinese moves scripts english]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

from benchmarks.recycle import Recycled, move_sentences, recycle, recycle_english
from detector import compare, read_documents
from detector.report import SWAP_KINDS

ROOT = Path(__file__).resolve().parent.parent
CORPORA = Path(os.environ.get("DETECTOR_CORPORA", ROOT.parent / "shared" / "corpora"))


def sources(limit: int) -> list[str]:
    docs, _ = read_documents([ROOT / "data" / "speeches"])
    # Seed 004 is itself a scraped copy: edits inside its furniture are rightly not swaps.
    texts = [d.text for d in docs if not Path(d.id).name.startswith("004")]
    folder = CORPORA / "cn_provincial_gwr_2026" / "docs"
    if folder.is_dir():
        reports, _ = read_documents([folder])
        for report in reports:
            text = report.text
            # ~6,000-character slices from the body, past the page widgets.
            for start in range(2000, len(text) - 6000, 20000):
                texts.append(text[start : start + 6000])
    else:
        print(f"provincial reports not found at {folder}; seeds only", file=sys.stderr)
    return texts[:limit]


def english_sources(limit: int) -> list[str]:
    folder = CORPORA / "en_rba_decisions" / "docs"
    if not folder.is_dir():
        print(f"English statements not found at {folder}", file=sys.stderr)
        return []
    docs, _ = read_documents([folder])
    return [d.text for d in docs][: limit * 3 : 3]


def _made(name: str, text: str, strength: float, seed: int, furniture: bool) -> Recycled:
    """One recycled document of a set."""
    if name == "moves":
        return move_sentences(text, random.Random(seed), 3)
    if name == "scripts":
        return recycle(text, strength=strength, seed=seed, furniture=furniture, other_script=0.5)
    if name == "english":
        return recycle_english(text, strength=strength, seed=seed)
    return recycle(text, strength=strength, seed=seed, furniture=furniture)


def evaluate(
    texts: list[str], strengths: list[float], seed: int, name: str = "chinese"
) -> dict[str, Counter]:
    totals = {kind: Counter() for kind in SWAP_KINDS}
    runs = (
        [(s, f) for s in strengths for f in (False, True)]
        if name in ("chinese", "scripts")
        else [(0.6, False)]
    )
    for index, text in enumerate(texts):
        for strength, furniture in runs:
            made = _made(name, text, strength, seed + index, furniture)
            found = Counter()
            for swap in compare(text, made.text).swaps:
                found[(swap.kind, swap.old, swap.new)] += swap.count
            for key in set(found) | set(made.swaps):
                kind = key[0]
                hit = min(found[key], made.swaps[key])
                totals[kind]["tp"] += hit
                totals[kind]["pred"] += found[key]
                totals[kind]["true"] += made.swaps[key]
    return totals


def table(totals: dict[str, Counter]) -> str:
    lines = ["| kind | true swaps | reported | precision | recall |", "|---|---|---|---|---|"]
    for kind, c in totals.items():
        if not c["true"] and not c["pred"]:
            continue
        precision = c["tp"] / c["pred"] if c["pred"] else float("nan")
        recall = c["tp"] / c["true"] if c["true"] else float("nan")
        lines.append(f"| {kind} | {c['true']} | {c['pred']} | {precision:.3f} | {recall:.3f} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--sets", nargs="+", default=["chinese"], choices=["chinese", "moves", "scripts", "english"]
    )
    args = parser.parse_args()
    started = time.perf_counter()
    for name in args.sets:
        texts = english_sources(args.docs) if name == "english" else sources(args.docs)
        totals = evaluate(texts, [0.3, 0.6, 1.0], args.seed, name)
        runs = (
            "strengths 0.3/0.6/1.0 × with/without furniture" if name in ("chinese", "scripts") else "one each"
        )
        print(f"### {name}: {len(texts)} source documents, {runs}\n")
        print(table(totals))
        print()
    print(f"\n({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
