"""Build an index of many generated documents and time it: build, size, open, check.

Documents of ~3,000 characters are generated from the corpora (the provincial
reports and the news transcripts of ``../shared/corpora``) by a character
model of order 4 that copies the training text and jumps, on average every
5 characters, to another place where the same 4 characters occur: text with
the corpora's vocabulary and phrasing whose documents share no more than
real independent documents do. Drafts checked: 10 documents recycled from
indexed ones (``benchmarks/recycle.py``) and 10 fresh generated documents.

Usage:
    python -m benchmarks.index_scale [--documents 100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.recycle import recycle
from detector import Document, normalize, read_documents
from detector.shingle import shingle_hashes
from detector.store import Index

ROOT = Path(__file__).resolve().parent.parent
CORPORA = Path(os.environ.get("DETECTOR_CORPORA", ROOT.parent / "shared" / "corpora"))


class Generator:
    """Order-4 character model over a training text, sampled for many documents at once."""

    def __init__(self, text: str, seed: int, order: int = 4, jump: float = 0.2) -> None:
        self.text = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        self.order = order
        self.jump = jump
        self.rng = np.random.default_rng(seed)
        context = shingle_hashes(self.text, order)  # context[p] covers text[p : p + order]
        self.sorted_positions = np.argsort(context, kind="stable")
        self.sorted_hashes = context[self.sorted_positions]
        self.context = context

    def generate(self, count: int, length: int) -> list[str]:
        limit = len(self.context) - 1
        position = self.rng.integers(0, limit, count)
        out = np.empty((count, length), dtype=np.uint32)
        for step in range(length):
            out[:, step] = self.text[position + self.order - 1]
            position = position + 1
            jumping = self.rng.random(count) < self.jump
            position[position >= limit] = self.rng.integers(0, limit, int((position >= limit).sum()))
            if jumping.any():
                h = self.context[position[jumping]]
                lo = np.searchsorted(self.sorted_hashes, h, side="left")
                hi = np.searchsorted(self.sorted_hashes, h, side="right")
                pick = lo + (self.rng.random(len(lo)) * (hi - lo)).astype(np.int64)
                position[jumping] = self.sorted_positions[pick]
        return [row.tobytes().decode("utf-32-le") for row in out]


def training_text() -> str:
    folders = [CORPORA / "cn_provincial_gwr_2026" / "docs", CORPORA / "cn_xinwenlianbo_2024" / "news"]
    if not all(f.is_dir() for f in folders):
        sys.exit(f"needs {folders[0]} and {folders[1]} (set DETECTOR_CORPORA)")
    documents, _ = read_documents(folders)
    return "".join(normalize(d.text, furniture=True).text + "。" for d in documents)


def lines(text: str, rng: np.random.Generator) -> str:
    """Break generated text into paragraphs with punctuation, as documents have."""
    out = []
    position = 0
    while position < len(text):
        size = int(rng.integers(80, 400))
        out.append("，".join(text[position + i : position + i + 20] for i in range(0, size, 20)) + "。")
        position += size
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--length", type=int, default=3000)
    parser.add_argument("--keep", type=Path, help="Keep the index file in this folder.")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="Processes that sketch.")
    args = parser.parse_args()
    start = time.perf_counter()
    generator = Generator(training_text(), seed=1)
    rng = np.random.default_rng(2)
    documents = []
    for first in range(0, args.documents, 10_000):
        batch = generator.generate(min(10_000, args.documents - first), args.length)
        documents.extend(
            Document(f"gen/{first + i:06d}.txt", lines(t, rng), f"gen/{first + i:06d}.txt")
            for i, t in enumerate(batch)
        )
    elapsed = time.perf_counter() - start
    print(f"generated {len(documents):,} documents of {args.length:,} characters in {elapsed:.1f} s")
    folder = args.keep or Path(tempfile.mkdtemp())
    path = folder / "scale.db"
    path.unlink(missing_ok=True)
    start = time.perf_counter()
    with Index.create(path) as index:
        index.add(documents, jobs=args.jobs)
    build = time.perf_counter() - start
    size = sum(p.stat().st_size for p in folder.glob("scale.db*"))
    start = time.perf_counter()
    index = Index.open(path)
    index.reuse_index()
    index.near_duplicates("打开")
    opened = time.perf_counter() - start
    drafts = [
        recycle(documents[i].text, strength=0.5, seed=i).text
        for i in range(0, len(documents), len(documents) // 10)
    ][:10]
    drafts += [lines(t, rng) for t in generator.generate(10, args.length)]
    timings = []
    found = 0
    for number, draft in enumerate(drafts):
        start = time.perf_counter()
        report = index.check(draft)
        timings.append(time.perf_counter() - start)
        if number < 10:
            found += (
                bool(report.sources)
                and report.sources[0].source == documents[number * (len(documents) // 10)].id
            )
    index.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(
        "| documents | build s | index MB | open s | check median ms | check max ms "
        "| recycled drafts found | peak RSS MB |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| {len(documents):,} | {build:.1f} | {size / 1e6:.0f} | {opened:.2f} | "
        f"{statistics.median(timings) * 1000:.0f} | {max(timings) * 1000:.0f} | {found}/10 | {peak:.0f} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
