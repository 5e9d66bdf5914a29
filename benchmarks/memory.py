"""Peak memory and wall time of the diff and the check on large repetitive inputs.

Cases, each run in a child process whose peak resident memory the parent
reads from ``os.wait4`` (the child's own ``ru_maxrss``):

* ``diff-200k``, ``diff-400k``: ``detector.compare`` of seed 003 repeated to
  that many characters against seed 004 repeated likewise. Repetitive texts
  have few unique k-grams, the worst case for the alignment.
* ``check-15MB``: ``detector check DRAFT --against data/speeches`` where
  DRAFT is one 15 MB line made of the seeds, repeated.

Usage:
    python -m benchmarks.memory [--chars 200000 400000] [--draft-mb 15] [--timeout 600]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "speeches"


def repeated(seed: int, chars: int) -> str:
    """Seed ``seed`` of ``data/speeches`` repeated and cut to ``chars`` characters."""
    text = next(SEEDS.glob(f"{seed:03d}_*.txt")).read_text(encoding="utf-8")
    return (text * (chars // len(text) + 1))[:chars]


def one_line_draft(path: Path, megabytes: int) -> None:
    """Write the seeds, newlines removed, repeated to ``megabytes`` MB of UTF-8 on one line."""
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))).replace("\n", "")
    data = text.encode("utf-8")
    size = megabytes * 1_000_000
    body = (data * (size // len(data) + 1))[:size].decode("utf-8", errors="ignore")
    path.write_text(body, encoding="utf-8")


def child_diff(chars: int) -> None:
    """In the child: compare the two repetitive texts of ``chars`` characters."""
    from detector import compare

    comparison = compare(repeated(3, chars), repeated(4, chars))
    print(f"swaps={len(comparison.swaps)}")


def _wait(proc: subprocess.Popen[bytes], deadline: float) -> tuple[int, float]:
    """Reap ``proc`` (killed at ``deadline``): its exit status and peak RSS in MB."""
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage.ru_maxrss / 1024


def measure(argv: list[str], timeout: float) -> tuple[float, float, int]:
    """Run ``argv``; its peak RSS in MB, wall seconds and exit status (-9 when timed out)."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors)
        code, rss = _wait(proc, started + timeout)
        wall = time.perf_counter() - started
        if code:
            errors.seek(0)
            tail = errors.read().decode("utf-8", errors="replace").strip().splitlines()[-1:]
            print(f"  {' '.join(argv[-3:])}: exit {code} {' '.join(tail)}", file=sys.stderr)
    return rss, wall, code


def cases(chars: list[int], draft: Path, megabytes: int) -> list[tuple[str, list[str]]]:
    """The named command lines to measure."""
    me = [sys.executable, "-m", "benchmarks.memory"]
    out = [(f"diff-{c // 1000}k", [*me, "--child-diff", str(c)]) for c in chars]
    cli = [sys.executable, "-m", "detector.cli", "check", str(draft), "--against", str(SEEDS)]
    out.append((f"check-{megabytes}MB", cli))
    return out


def main() -> int:
    """Measure every case, one at a time, and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chars", type=int, nargs="+", default=[200_000, 400_000])
    parser.add_argument("--draft-mb", type=int, default=15)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--child-diff", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_diff:
        child_diff(args.child_diff)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        draft = Path(tmp) / "draft.txt"
        one_line_draft(draft, args.draft_mb)
        print("| case | peak RSS (MB) | wall (s) | exit |")
        print("|---|---|---|---|")
        for name, argv in cases(args.chars, draft, args.draft_mb):
            rss, wall, code = measure(argv, args.timeout)
            print(f"| {name} | {rss:.0f} | {wall:.1f} | {code} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
