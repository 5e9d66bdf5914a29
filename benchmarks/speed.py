"""Speed side by side with the peers, on the same documents in one run.

Documents: ~3,000-character Chinese texts generated from the corpora
(``benchmarks/index_scale.py``'s character model), written to files.

Rows, at each size:

* floor: read the files, decode and normalise them, nothing else (and
  reading and decoding alone);
* detector: read, normalise, shingle and sketch (128 values, one-permutation
  hashing, and k-permutation ``affine32``);
* datasketch ``MinHash.bulk`` and ``update_batch``, and rensa ``RMinHash``,
  fed the same normalised 5-gram shingles as strings (peers are timed on
  at most ``--peer-docs`` documents: their rate does not depend on the count);
* datasketch ``MinHashLSH`` insert (insertion session) and query with
  detector's signatures;
* the whole ``detector scan`` in a child process: wall time and peak memory.

Usage:
    python -m benchmarks.speed [--sizes 1000 10000] [--full] [--write]

``--full`` runs 1,000, 10,000 and 100,000 documents; ``--write`` replaces
the speed section of ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.index_scale import Generator, lines, training_text
from benchmarks.results import machine, publish
from detector import Sketcher, normalize, read_document
from detector.shingle import shingle_sets

ROOT = Path(__file__).resolve().parent.parent


def make_files(folder: Path, count: int, generator: Generator, rng: np.random.Generator) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for first in range(0, count, 10_000):
        for number, text in enumerate(generator.generate(min(10_000, count - first), 3000)):
            path = folder / f"{first + number:06d}.txt"
            path.write_text(lines(text, rng), encoding="utf-8")
            paths.append(path)
    return paths


def rate(seconds: float, count: int, chars: int) -> tuple[float, float]:
    return count / seconds, chars * 3 / seconds / 1e6


def run(paths: list[Path], peer_docs: int) -> list[tuple[str, float, float]]:
    rows: list[tuple[str, float, float]] = []
    count = len(paths)

    start = time.perf_counter()
    for p in paths:
        p.read_bytes().decode("utf-8")
    decoded = time.perf_counter() - start
    start = time.perf_counter()
    norms = [normalize(read_document(p).text) for p in paths]
    floor = time.perf_counter() - start
    chars = sum(len(n.original) for n in norms)
    rows.append(("floor: read + decode + normalise", *rate(floor, count, chars)))
    rows.append(("read + UTF-8 decode only", *rate(decoded, count, chars)))

    for scheme in ("oph", "affine32"):
        sketcher = Sketcher(128, 1, scheme)  # type: ignore[arg-type]
        start = time.perf_counter()
        texts = [normalize(read_document(p).text) for p in paths]
        for batch in range(0, count, 256):
            chunk = texts[batch : batch + 256]
            sketcher.sketch_many(shingle_sets([t.codepoints() for t in chunk], 5))
        rows.append(
            (
                f"detector: read + normalise + shingle + sketch ({scheme})",
                *rate(time.perf_counter() - start, count, chars),
            )
        )

    sketcher = Sketcher()
    start = time.perf_counter()
    for batch in range(0, count, 256):
        chunk = norms[batch : batch + 256]
        sketcher.sketch_many(shingle_sets([t.codepoints() for t in chunk], 5))
    rows.append(
        (
            "detector: shingle + sketch (normalised text given)",
            *rate(time.perf_counter() - start, count, chars),
        )
    )

    sample = norms[:peer_docs]
    sample_chars = sum(len(n.original) for n in sample)
    shingles = [[n.text[i : i + 5] for i in range(max(1, len(n.text) - 4))] for n in sample]
    encoded = [[s.encode("utf-8") for s in doc] for doc in shingles]

    from datasketch import MinHash

    start = time.perf_counter()
    MinHash.bulk(encoded, num_perm=128)
    rows.append(
        (
            "datasketch MinHash.bulk (shingles given)",
            *rate(time.perf_counter() - start, len(sample), sample_chars),
        )
    )
    start = time.perf_counter()
    for doc in encoded:
        m = MinHash(num_perm=128)
        m.update_batch(doc)
    rows.append(
        (
            "datasketch update_batch (shingles given)",
            *rate(time.perf_counter() - start, len(sample), sample_chars),
        )
    )
    try:
        import rensa

        start = time.perf_counter()
        for doc in shingles:
            r = rensa.RMinHash(num_perm=128, seed=1)
            r.update(doc)
            r.digest()
        rows.append(
            ("rensa RMinHash (shingles given)", *rate(time.perf_counter() - start, len(sample), sample_chars))
        )
        start = time.perf_counter()
        for n in sample:
            r = rensa.RMinHash(num_perm=128, seed=1)
            r.update([n.text[i : i + 5] for i in range(max(1, len(n.text) - 4))])
            r.digest()
        rows.append(
            (
                "rensa RMinHash incl. making the shingles",
                *rate(time.perf_counter() - start, len(sample), sample_chars),
            )
        )
    except ImportError:
        print("rensa not installed (pip install -e '.[bench]'); its rows are left out", file=sys.stderr)

    from datasketch import MinHashLSH

    sketcher = Sketcher()
    signatures = []
    for batch in range(0, count, 256):
        chunk = norms[batch : batch + 256]
        signatures.extend(sketcher.sketch_many(shingle_sets([t.codepoints() for t in chunk], 5)))
    lsh = MinHashLSH(threshold=0.3, num_perm=128)
    minhashes = [sketcher.minhash(s) for s in signatures]
    start = time.perf_counter()
    with lsh.insertion_session(buffer_size=1000) as session:
        for number, minhash in enumerate(minhashes):
            session.insert(number, minhash, check_duplication=False)
    rows.append(("datasketch MinHashLSH insert (session)", *rate(time.perf_counter() - start, count, chars)))
    start = time.perf_counter()
    for minhash in minhashes:
        lsh.query(minhash)
    rows.append(("datasketch MinHashLSH query", *rate(time.perf_counter() - start, count, chars)))
    return rows


_MEASURE = (
    "import resource, subprocess, sys, time; start = time.perf_counter(); "
    "code = subprocess.run(sys.argv[1:]).returncode; elapsed = time.perf_counter() - start; "
    "print(code, elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def scan(folder: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of ``detector scan`` in a child process.

    A small Python process starts the scan and reads its peak memory, so the
    figure is the scan's own and not this (large) process's, which a child
    forked from it would count until it runs the new program.
    """
    command = [
        sys.executable,
        "-m",
        "detector.cli",
        "scan",
        str(folder),
        "-q",
        "-f",
        "json",
        "-o",
        os.devnull,
    ]
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, check=True
    )
    code, elapsed, peak = done.stdout.split()
    if code != "0":
        raise SystemExit(f"detector scan failed with status {code}: {done.stderr}")
    return float(elapsed), int(peak) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--full", action="store_true", help="Sizes 1,000, 10,000 and 100,000.")
    parser.add_argument("--peer-docs", type=int, default=1000)
    parser.add_argument("--write", action="store_true", help="Update benchmarks/RESULTS.md.")
    args = parser.parse_args()
    sizes = [1000, 10000, 100000] if args.full else args.sizes
    started = time.perf_counter()
    generator = Generator(training_text(), seed=11)
    rng = np.random.default_rng(12)
    work = Path(tempfile.mkdtemp(prefix="detector-speed-"))
    out = [f"Measured {datetime.date.today()} on {machine()}.", ""]
    scans = []
    for size in sizes:
        folder = work / str(size)
        paths = make_files(folder, size, generator, rng)
        rows = run(paths, min(args.peer_docs, size))
        detector_rate = next(docs for name, docs, _ in rows if name.startswith("detector:"))
        out += [
            f"### {size:,} documents of ~3,000 characters",
            "",
            "| what | docs/s | MB/s (UTF-8) | detector (oph) is × faster |",
            "|---|---|---|---|",
        ]
        for name, docs, megabytes in rows:
            out.append(f"| {name} | {docs:,.0f} | {megabytes:.1f} | {detector_rate / docs:.2f} |")
        out.append("")
        seconds, peak = scan(folder)
        scans.append((size, seconds, peak))
    out += [
        "### detector scan: time and memory by corpus size",
        "",
        "| documents | scan s | peak RSS MiB | s per 1,000 documents |",
        "|---|---|---|---|",
    ]
    for size, seconds, peak in scans:
        out.append(f"| {size:,} | {seconds:.1f} | {peak:.0f} | {seconds / size * 1000:.2f} |")
    out += ["", f"({time.perf_counter() - started:.0f} s)"]
    text = "\n".join(out)
    publish("speed", text, args.write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
