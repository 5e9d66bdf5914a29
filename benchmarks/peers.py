"""End to end against the peers: ``detector scan``, a rensa and a datasketch pipeline on the same files.

Corpus: ``benchmarks.synthetic.corpus`` with ``index_scale``'s character
model: ~3,000-character Chinese documents, 5% recycled copies (a third of
them in traditional script) and 2% half copies, written to files in a
temporary folder.

Each tool runs in a child process started by a small Python process, which
reports the child's wall time and peak RSS (as ``benchmarks/speed.py``'s
``scan()`` does), so neither figure includes this process:

* detector: ``python -m detector.cli scan FOLDER -q -f json -o OUT``; its
  pairs are those with verdict ``recycled`` or ``partial``;
* rensa and datasketch: what a user would write. Read each file, fold it
  (NFKC, lower case, letters and digits only), take the set of 5-character
  shingles, sketch it with 128 permutations (rensa ``RMinHash``, datasketch
  ``MinHash.bulk``), insert every document into the LSH index (rensa
  ``RMinHashLSH`` with 32 bands of 4, datasketch ``MinHashLSH`` at threshold
  0.5), query every document, and keep the candidates whose exact Jaccard of
  the shingle sets is at least 0.5. The programs keep the folded texts, not
  the shingle sets, and make the sets of a candidate pair again to verify it.

Truth: the generator's (copy, original) pairs whose exact 5-gram Jaccard on
the folded text is at least 0.5. Recall is the share of those that a tool
reports (either order). "pairs below 0.5" counts the reported pairs whose
exact Jaccard on the folded text is below 0.5; for detector these are
mostly traditional-script copies (detector folds the script, the peers do
not) and half copies (verdict ``partial``), which the table's note counts.

Peers above ``--skip-peers-above`` documents run only when their peak RSS
per document at the largest smaller size, times the documents, fits in
MemAvailable.

Usage:
    python -m benchmarks.peers [--documents 20000 100000] [--skip-peers-above 25000] [--write]

``--write`` replaces the peers section of ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.index_scale import Generator, training_text
from benchmarks.results import machine, publish
from benchmarks.speed import _MEASURE
from benchmarks.synthetic import corpus, write

#: Shared by both peer programs and by the truth here: fold, shingle, Jaccard, candidates, verify.
PRELUDE = """
import json, sys, unicodedata
from pathlib import Path


def fold(text):
    return "".join(c for c in unicodedata.normalize("NFKC", text).lower() if c.isalnum())


def shingles(text):
    return {text[i : i + 5] for i in range(max(1, len(text) - 4))}


def jaccard(a, b):
    return len(a & b) / len(a | b) if a or b else 1.0


def candidates(sketches, query):
    found = {(key, other) for key, sketch in enumerate(sketches) for other in query(sketch) if other > key}
    return sorted(found)


def verify(paths, texts, pairs_to_check, out):
    pairs = [
        [paths[i].name, paths[j].name]
        for i, j in pairs_to_check
        if jaccard(shingles(texts[i]), shingles(texts[j])) >= 0.5
    ]
    Path(out).write_text(json.dumps(pairs), encoding="utf-8")
"""

#: The peer programs' arguments: the folder and the output file.
ARGUMENTS = """
folder, out = sys.argv[1:3]
paths = sorted(Path(folder).glob("*.txt"))
"""

RENSA = """
from rensa import RMinHash, RMinHashLSH

lsh = RMinHashLSH(threshold=0.5, num_perm=128, num_bands=32)
texts, sketches = [], []
for key, path in enumerate(paths):
    text = fold(path.read_text(encoding="utf-8"))
    sketch = RMinHash(num_perm=128, seed=1)
    sketch.update(list(shingles(text)))
    lsh.insert(key, sketch)
    texts.append(text)
    sketches.append(sketch)
verify(paths, texts, candidates(sketches, lsh.query), out)
"""

DATASKETCH = """
from datasketch import MinHash, MinHashLSH

texts = [fold(path.read_text(encoding="utf-8")) for path in paths]
sketches = MinHash.bulk(([s.encode("utf-8") for s in shingles(t)] for t in texts), num_perm=128)
lsh = MinHashLSH(threshold=0.5, num_perm=128)
for key, sketch in enumerate(sketches):
    lsh.insert(key, sketch)
verify(paths, texts, candidates(sketches, lsh.query), out)
"""

PEERS = {"rensa": RENSA, "datasketch": DATASKETCH}

_TOOLS: dict = {}
exec(PRELUDE, _TOOLS)  # the same fold, shingles and jaccard as the peers


def measure(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of a command, read by a small parent process."""
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True)
    code, elapsed, peak = done.stdout.split()
    if code != "0":
        raise SystemExit(f"{command[:4]} failed with status {code}: {done.stderr}")
    return float(elapsed), int(peak) / 1024


def jaccard(folder: Path, a: str, b: str) -> float:
    """Exact 5-gram Jaccard of two files' folded texts."""
    sets = [_TOOLS["shingles"](_TOOLS["fold"]((folder / n).read_text(encoding="utf-8"))) for n in (a, b)]
    return _TOOLS["jaccard"](*sets)


def generated(folder: Path) -> set[frozenset[str]]:
    """The generator's (copy, original) pairs, from the copies' names (``copy000001-of-000042.txt``)."""
    pairs = set()
    for path in folder.glob("*-of-*.txt"):
        pairs.add(frozenset((path.name, f"doc{path.stem.split('-of-')[1]}.txt")))
    return pairs


def detector(folder: Path, out: Path) -> tuple[float, float, set[frozenset[str]]]:
    command = [sys.executable, "-m", "detector.cli", "scan", str(folder), "-q", "-f", "json", "-o", str(out)]
    seconds, peak = measure(command)
    report = json.loads(out.read_text(encoding="utf-8"))
    pairs = {
        frozenset((Path(p["a"]).name, Path(p["b"]).name))
        for p in report["pairs"]
        if p["verdict"] in ("recycled", "partial")
    }
    return seconds, peak, pairs


def peer(name: str, folder: Path, out: Path) -> tuple[float, float, set[frozenset[str]]]:
    program = out.with_suffix(".py")
    program.write_text(PRELUDE + ARGUMENTS + PEERS[name], encoding="utf-8")
    seconds, peak = measure([sys.executable, str(program), str(folder), str(out)])
    pairs = {frozenset(p) for p in json.loads(out.read_text(encoding="utf-8"))}
    return seconds, peak, pairs


def available_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def row(size: int, tool: str, result: tuple, truth: set, similarity: dict, base: float) -> str:
    seconds, peak, pairs = result
    recall = len(truth & pairs) / len(truth) if truth else 1.0
    below = sum(1 for p in pairs if similarity[p] < 0.5)
    return (
        f"| {size:,} | {tool} | {seconds:.1f} | {peak:,.0f} | {recall:.4f} | {len(pairs):,} | {below:,} "
        f"| {seconds / base:.2f} |"
    )


def source(name: str) -> str:
    """The document a generated copy was made from (``copy000001-of-000042.txt``: ``000042``), or the name."""
    return name.split("-of-")[1] if "-of-" in name else name


def note(size: int, tool: str, pairs: set, copies: set, similarity: dict) -> str:
    """What the reported pairs outside the truth are, or nothing if there are none."""
    below = [p for p in pairs if similarity[p] < 0.5]
    made = [p for p in below if p in copies]
    traditional = sum(1 for p in made if any(n.startswith("copy") and int(n[4:10]) % 3 == 0 for n in p))
    halves = sum(1 for p in made if any(n.startswith("part") for n in p))
    above = [p for p in pairs if similarity[p] >= 0.5 and p not in copies]
    siblings = sum(1 for p in above if len({source(n) for n in p}) == 1)
    out = []
    if below:
        out.append(
            f"of {len(below):,} pairs below 0.5, {len(made):,} are the generator's (copy, original) pairs: "
            f"{traditional:,} traditional-script copies, {halves:,} half copies"
        )
    if above:
        out.append(
            f"{len(above):,} pairs at or above 0.5 are not in the truth ({siblings:,} copies of one original)"
        )
    return f"{size:,} documents, {tool}: " + "; ".join(out) + "." if out else ""


def run_size(
    size: int, text: str, work: Path, args: argparse.Namespace, per_doc: dict[str, float]
) -> tuple[list[str], str, list[str]]:
    """Table rows, the count of true pairs and the notes at one size."""
    folder = work / str(size)
    write(folder, corpus(size, 3000, seed=1, generator=Generator(text, seed=11)))
    copies = generated(folder)
    truth = {p for p in copies if jaccard(folder, *sorted(p)) >= 0.5}
    results = {"detector": detector(folder, work / f"detector-{size}.json")}
    skipped = {}
    for name in PEERS:
        if size > args.skip_peers_above:
            need = per_doc.get(name, float("inf")) * size / 1024
            if need > available_gib() * 0.9:
                skipped[name] = need
                continue
        results[name] = peer(name, folder, work / f"{name}-{size}.json")
        per_doc[name] = results[name][1] / size
    similarity = {}
    for pairs in [r[2] for r in results.values()]:
        for p in pairs - similarity.keys():
            similarity[p] = jaccard(folder, *sorted(p))
    base = results["detector"][0]
    rows = [row(size, tool, r, truth, similarity, base) for tool, r in results.items()]
    for name, need in skipped.items():
        why = (
            "no smaller run to estimate its memory from"
            if need == float("inf")
            else f"would need ~{need:.0f} GiB"
        )
        rows.append(f"| {size:,} | {name} | skipped: {why} | | | | | |")
    notes = [note(size, tool, r[2], copies, similarity) for tool, r in results.items()]
    notes = [n for n in notes if n]
    shutil.rmtree(folder)
    return rows, f"{size:,} documents: {len(truth):,} of {len(copies):,} generated pairs", notes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, nargs="+", default=[20_000])
    parser.add_argument(
        "--skip-peers-above", type=int, default=25_000, help="Run the peers above this only if they fit."
    )
    parser.add_argument("--write", action="store_true", help="Update benchmarks/RESULTS.md.")
    args = parser.parse_args()
    started = time.perf_counter()
    text = training_text()
    work = Path(tempfile.mkdtemp(prefix="detector-peers-"))
    table, notes, truths = [], [], []
    per_doc: dict[str, float] = {}
    try:
        for size in sorted(args.documents):
            rows, truth, more = run_size(size, text, work, args, per_doc)
            table += rows
            truths.append(truth)
            notes += more
    finally:
        shutil.rmtree(work, ignore_errors=True)
    sizes = " ".join(str(s) for s in sorted(args.documents))
    if args.skip_peers_above != 25_000:
        sizes += f" --skip-peers-above {args.skip_peers_above}"
    out = [
        f"Measured {datetime.date.today()} on {machine()}.",
        "",
        "| documents | tool | seconds | peak RSS MiB | recall | pairs reported | pairs below 0.5 "
        "| × detector's time |",
        "|---|---|---|---|---|---|---|---|",
        *table,
        "",
        "True pairs (exact Jaccard ≥ 0.5): " + "; ".join(truths) + ".",
        "",
        *notes,
        "",
        f"Reproduce: `python -m benchmarks.peers --documents {sizes}` "
        f"({time.perf_counter() - started:.0f} s in all).",
    ]
    publish("peers", "\n".join(out), args.write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
