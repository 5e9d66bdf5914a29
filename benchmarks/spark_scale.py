"""The Spark engine beside the local scan, on the same generated corpora.

Corpora of 10,000 and 100,000 documents of ~3,000 characters, sampled from
an order-4 character model of the shared corpora (as in ``index_scale.py``),
with 5% recycled copies (a third in traditional script) and 2% partial
copies, written as files. Each is scanned by ``detector scan`` (local
engine) and by ``detector.spark.scan`` on Spark in local mode, on the same
machine; the two results are compared pair by pair.

Usage:
    python -m benchmarks.spark_scale [--documents 10000 100000] [--master local[2]] [--write]
"""

from __future__ import annotations

import argparse
import datetime
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.index_scale import Generator, training_text
from benchmarks.results import machine, publish
from benchmarks.synthetic import corpus, write
from detector import Corpus, read_documents
from detector import spark as engine


def local(folder: Path):
    started = time.perf_counter()
    documents, _ = read_documents([folder])
    found = Corpus()
    found.add_many(documents)
    result = found.scan()
    return result, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--memory", default="6g", help="Spark driver memory.")
    parser.add_argument("--write", action="store_true", help="Update benchmarks/RESULTS.md.")
    args = parser.parse_args()
    generator = Generator(training_text(), seed=11)
    started = time.perf_counter()
    spark = engine.session(args.master, memory=args.memory)
    start_seconds = time.perf_counter() - started
    rows = []
    for count in args.documents:
        folder = Path(tempfile.mkdtemp(prefix=f"detector-spark-{count}-"))
        try:
            write(folder, corpus(count, 3000, seed=count, generator=generator))
            expected, local_seconds = local(folder)
            started = time.perf_counter()
            result = engine.scan(spark, [str(folder)])
            spark_seconds = time.perf_counter() - started
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        same = result.pairs == expected.pairs and result.groups == expected.groups
        rows.append(
            f"| {count:,} | {len(expected.pairs):,} | {len(expected.groups):,} | {local_seconds:.1f} | "
            f"{spark_seconds:.1f} | {spark_seconds / local_seconds:.2f} | {'yes' if same else 'NO'} |"
        )
        print(rows[-1], flush=True)
    spark.stop()
    text = "\n".join(
        [
            f"Measured {datetime.date.today()} on {machine()}; Spark in local mode (`{args.master}`, "
            f"driver memory {args.memory}), started once in {start_seconds:.1f} s (not counted).",
            "",
            "| documents | pairs | groups | local scan s | Spark s | Spark / local | same pairs and groups |",
            "|---|---|---|---|---|---|---|",
            *rows,
            "",
            "Both read the same files; the local time is `read_documents` + `Corpus.add_many` + `scan`, "
            "the Spark time is `detector.spark.scan` from listing the folder to the collected result.",
            "",
            "Reproduce: `python -m benchmarks.spark_scale --write`.",
        ]
    )
    publish("spark", text, args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
