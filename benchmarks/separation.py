"""Print the measurements behind detector's default thresholds.

For each n-gram size: the exact Jaccard similarity and containment of the
recycled pair (seeds 003/004) against the highest values among independent
documents (the other seed pairs, the 31 provincial government work reports,
the 364 news transcripts of 2024), and the estimation error of the two
sketching schemes against exact Jaccard. Corpora are read from
``../shared/corpora`` (or ``$DETECTOR_CORPORA``); missing ones are skipped.

Usage:
    python -m benchmarks.separation [--ngrams 3 4 5 6 7] [--pairs 400]
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from pathlib import Path

import numpy as np
from datasketch import MinHashLSH
from scipy import sparse

from detector import Sketcher, normalize, read_documents
from detector.shingle import shingle_sets

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "speeches"
CORPORA = Path(os.environ.get("DETECTOR_CORPORA", ROOT.parent / "shared" / "corpora"))


def load(folder: Path) -> list[np.ndarray]:
    documents, _ = read_documents([folder])
    return [normalize(d.text).codepoints() for d in documents]


def pairwise(sets: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Exact Jaccard and max containment for all pairs, via a sparse product."""
    vocab, inverse = np.unique(np.concatenate(sets), return_inverse=True)
    rows = np.repeat(np.arange(len(sets)), [len(s) for s in sets])
    matrix = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, inverse)), shape=(len(sets), len(vocab))
    )
    inter = (matrix @ matrix.T).toarray()
    sizes = np.array([len(s) for s in sets], dtype=np.float64)
    union = sizes[:, None] + sizes[None, :] - inter
    iu = np.triu_indices(len(sets), 1)
    jac = inter[iu] / union[iu]
    cont = np.maximum(inter[iu] / sizes[iu[0]], inter[iu] / sizes[iu[1]])
    return jac, cont


def estimation_error(texts: list[np.ndarray], ngram: int, pairs: int) -> dict[str, float]:
    """RMSE of estimated vs exact Jaccard over mixed pairs spanning 0..1."""
    rng = np.random.default_rng(7)
    a_list, b_list = [], []
    for _ in range(pairs):
        i, j = rng.choice(len(texts), 2, replace=False)
        a, b = texts[i][:3000], texts[j][:3000]
        cut = int(rng.integers(0, len(a)))
        a_list.append(a)
        b_list.append(np.concatenate([a[:cut], b[cut:]]))
    sa, sb = shingle_sets(a_list, ngram), shingle_sets(b_list, ngram)
    exact = np.array([len(np.intersect1d(x, y)) / len(np.union1d(x, y)) for x, y in zip(sa, sb, strict=True)])
    out = {}
    for scheme in ("oph", "affine32"):
        sketcher = Sketcher(128, 1, scheme)  # type: ignore[arg-type]
        ga, gb = sketcher.sketch_many(sa), sketcher.sketch_many(sb)
        est = (ga == gb).mean(axis=1)
        out[scheme] = float(np.sqrt(np.mean((est - exact) ** 2)))
        out[f"{scheme}_bias"] = float(np.mean(est - exact))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ngrams", type=int, nargs="+", default=[3, 4, 5, 6, 7])
    parser.add_argument("--pairs", type=int, default=400)
    args = parser.parse_args()

    seeds = load(SEEDS)
    if len(seeds) != 5:
        print(f"expected the five seeds in {SEEDS}", file=sys.stderr)
        return 1
    negatives: dict[str, list[np.ndarray]] = {}
    for name in ("cn_provincial_gwr_2026", "cn_xinwenlianbo_2024"):
        folder = CORPORA / name
        if folder.is_dir():
            negatives[name] = load(folder / ("docs" if name.startswith("cn_prov") else "news"))
        else:
            print(f"skipping {name}: {folder} not found", file=sys.stderr)

    print("## Separation: recycled pair vs independent documents (exact, after normalisation)\n")
    print(
        "| n | 003~004 Jaccard | 003~004 containment | seeds max J | "
        + " | ".join(f"{k} max J | {k} max C | {k} p99.9 C" for k in negatives)
        + " |"
    )
    print("|---" * (4 + 3 * len(negatives)) + "|")
    for n in args.ngrams:
        sets = shingle_sets(seeds, n)
        jac, cont = pairwise(sets)
        pairs = list(itertools.combinations(range(5), 2))
        pos = pairs.index((3, 4))
        neg_j = np.delete(jac, pos)
        cells = [str(n), f"{jac[pos]:.3f}", f"{cont[pos]:.3f}", f"{neg_j.max():.3f}"]
        for docs in negatives.values():
            j, c = pairwise(shingle_sets(docs, n))
            cells += [f"{j.max():.3f}", f"{c.max():.3f}", f"{np.quantile(c, 0.999):.3f}"]
        print("| " + " | ".join(cells) + " |")

    if "cn_xinwenlianbo_2024" in negatives:
        print("\n## Sketch estimation error vs exact Jaccard (128 values, mixed pairs)\n")
        print("| n | OPH RMSE | OPH bias | k-perm affine32 RMSE | k-perm bias |")
        print("|---|---|---|---|---|")
        for n in args.ngrams:
            e = estimation_error(negatives["cn_xinwenlianbo_2024"], n, args.pairs)
            print(
                f"| {n} | {e['oph']:.4f} | {e['oph_bias']:+.4f} | {e['affine32']:.4f} "
                f"| {e['affine32_bias']:+.4f} |"
            )

    print("\n## LSH candidate probability at the default threshold 0.3 (128 values)\n")
    lsh = MinHashLSH(threshold=0.3, num_perm=128)
    b, r = lsh.b, lsh.r
    print(f"bands b={b}, rows r={r}")
    print("| Jaccard | P(candidate) |")
    print("|---|---|")
    for s in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8):
        print(f"| {s} | {1 - (1 - s**r) ** b:.4f} |")
    return 0


if __name__ == "__main__":
    t0 = time.perf_counter()
    code = main()
    print(f"\n({time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    sys.exit(code)
