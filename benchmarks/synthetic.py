"""Synthetic corpora derived from the seed speeches, for scale runs and engine comparisons.

Documents are sampled from an order-3 character model of the five seed
speeches (``data/speeches``), so they read like the genre without sharing
passages; recycled copies come from ``recycle.py`` (some of them in
traditional script), partial copies take half of another document.

Usage:
    python -m benchmarks.synthetic FOLDER --documents 10000 [--length 3000]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import opencc

from benchmarks.index_scale import Generator, lines
from benchmarks.recycle import recycle
from detector import normalize

ROOT = Path(__file__).resolve().parent.parent
SPEECHES = ROOT / "data" / "speeches"

__all__ = ["corpus", "stock_corpus", "write"]


def _generator(seed: int, order: int = 3) -> Generator:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SPEECHES.glob("*.txt"))]
    return Generator("".join(normalize(t).text + "。" for t in texts), seed, order=order, jump=1.0)


def corpus(
    documents: int,
    length: int = 3000,
    *,
    seed: int = 1,
    copies: float = 0.05,
    partials: float = 0.02,
    generator: Generator | None = None,
) -> list[tuple[str, str]]:
    """``(name, text)`` of a corpus: generated documents, recycled copies, partial copies.

    Args:
        documents: Number of documents in all.
        length: Characters of each generated document.
        seed: Random seed.
        copies: Share of documents that are recycled copies of another.
        partials: Share of documents that hold half of another.
        generator: The character model (default: order 3 over the seeds).
            A corpus of many thousands needs a larger training text, such as
            ``index_scale.training_text()``, or its documents share too much.
    """
    rng = np.random.default_rng(seed)
    n_copies, n_partials = int(documents * copies), int(documents * partials)
    base = documents - n_copies - n_partials
    model = generator or _generator(seed)
    texts = [lines(t, rng) for t in model.generate(base, length)]
    out = [(f"doc{i:06d}.txt", t) for i, t in enumerate(texts)]
    convert = opencc.OpenCC("s2tw")
    for i in range(n_copies):
        source = int(rng.integers(0, base))
        copy = recycle(texts[source], strength=0.3, seed=seed + i).text
        if i % 3 == 0:
            copy = convert.convert(copy)
        out.append((f"copy{i:06d}-of-{source:06d}.txt", copy))
    fresh = model.generate(n_partials, length // 2)
    for i in range(n_partials):
        source = int(rng.integers(0, base))
        half = texts[source][: len(texts[source]) // 2]
        out.append((f"part{i:06d}-of-{source:06d}.txt", half + "\n" + lines(fresh[i], rng)))
    order = rng.permutation(len(out))
    return [out[i] for i in order]


def stock_corpus(
    documents: int, stock: int = 500, own: int = 1500, *, seed: int = 1
) -> list[tuple[str, str]]:
    """Documents that all hold one stock paragraph (a seed's opening) beside text of their own.

    Every document falls into the LSH bucket of the stock paragraph in each
    band whose values it fills, so those buckets hold a large share of the
    corpus, and most pairs of documents are candidates.
    """
    rng = np.random.default_rng(seed)
    paragraph = next(SPEECHES.glob("000_*.txt")).read_text(encoding="utf-8")[:stock]
    texts = [lines(t, rng) for t in _generator(seed, order=2).generate(documents, own)]
    return [(f"stock{i:06d}.txt", paragraph + "\n" + t) for i, t in enumerate(texts)]


def write(folder: Path, documents: list[tuple[str, str]]) -> list[Path]:
    """Write documents into a folder (created), one file each; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in documents:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--length", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    written = write(args.folder, corpus(args.documents, args.length, seed=args.seed))
    print(f"{args.folder}: {len(written)} documents")
    return 0


if __name__ == "__main__":
    sys.exit(main())
