"""Precision and recall of the swap table by kind, on generated recycled documents.

Sources: the seeds and paragraphs of the 31 provincial government work reports
(``../shared/corpora`` or ``$DETECTOR_CORPORA``). Each source is recycled by
``benchmarks/recycle.py`` at several strengths, with and without scraped-site
furniture; ``detector.compare`` must recover the swaps the generator made.
An occurrence counts as found when the kind, the old text and the new text
all match.

Usage:
    python -m benchmarks.swap_quality [--docs 40] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

from benchmarks.recycle import recycle
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


def evaluate(texts: list[str], strengths: list[float], seed: int) -> dict[str, Counter]:
    totals = {kind: Counter() for kind in SWAP_KINDS}
    for index, text in enumerate(texts):
        for strength in strengths:
            for furniture in (False, True):
                made = recycle(text, strength=strength, seed=seed + index, furniture=furniture)
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
    args = parser.parse_args()
    started = time.perf_counter()
    texts = sources(args.docs)
    totals = evaluate(texts, [0.3, 0.6, 1.0], args.seed)
    print(f"{len(texts)} source documents × strengths 0.3/0.6/1.0 × with/without furniture\n")
    print(table(totals))
    print(f"\n({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
