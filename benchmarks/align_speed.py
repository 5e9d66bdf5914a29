"""Time the diff on two ~100,000-character documents.

Document A is the 31 provincial government work reports concatenated and cut
to the target length; B is A recycled by ``benchmarks/recycle.py`` (years,
numbers, places, spin, furniture) with a tenth of its paragraphs moved. Peers
on the same normalised texts: rapidfuzz's opcodes over the whole documents
(no anchors) and difflib's SequenceMatcher on a 20,000-character slice.

Usage:
    python -m benchmarks.align_speed [--chars 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import difflib
import os
import random
import statistics
import sys
import time
from pathlib import Path

from rapidfuzz.distance import Indel

from benchmarks.recycle import recycle
from detector import compare, normalize
from detector.align import align

ROOT = Path(__file__).resolve().parent.parent
CORPORA = Path(os.environ.get("DETECTOR_CORPORA", ROOT.parent / "shared" / "corpora"))


def build(chars: int) -> tuple[str, str]:
    folder = CORPORA / "cn_provincial_gwr_2026" / "docs"
    if not folder.is_dir():
        raise SystemExit(f"provincial reports not found at {folder}")
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt")))[:chars]
    made = recycle(text, strength=0.5, seed=7, furniture=False).text
    paragraphs = made.split("\n")
    rng = random.Random(7)
    for _ in range(len(paragraphs) // 10):
        paragraphs.insert(rng.randrange(len(paragraphs)), paragraphs.pop(rng.randrange(len(paragraphs))))
    return text, "\n".join(paragraphs)


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chars", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    a, b = build(args.chars)
    na, nb = normalize(a).text, normalize(b).text
    print(f"A: {len(a):,} characters ({len(na):,} normalised); B: {len(b):,} ({len(nb):,})\n")
    print("| step | best s | median s |")
    print("|---|---|---|")
    rows = [
        ("detector.compare (normalise, align, classify, map back)", lambda: compare(a, b)),
        ("detector.align (anchored) on normalised text", lambda: align(na, nb)),
        ("rapidfuzz Indel.opcodes, whole documents", lambda: Indel.opcodes(na, nb)),
    ]
    for name, fn in rows:
        low, mid = best(fn, args.repeat)
        print(f"| {name} | {low:.3f} | {mid:.3f} |")
    sa, sb = na[:20000], nb[:20000]
    low, mid = best(lambda: difflib.SequenceMatcher(None, sa, sb, autojunk=False).get_opcodes(), 1)
    print(f"| difflib SequenceMatcher, first 20,000 characters only | {low:.3f} | {mid:.3f} |")
    low, mid = best(lambda: align(sa, sb), args.repeat)
    print(f"| detector.align, same 20,000 characters | {low:.3f} | {mid:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
