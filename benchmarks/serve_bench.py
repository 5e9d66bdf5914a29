"""Checks per second of ``detector serve``, and their latency, with 1 and 4 clients at once.

The index holds the provincial government work reports of
``../shared/corpora/cn_provincial_gwr_2026`` (set ``DETECTOR_CORPORA`` to
point elsewhere). A real server runs in a subprocess on a free loopback port
(``detector serve INDEX --jobs 4``); the drafts are eight of the reports
recycled (years moved, numbers, places and words swapped:
``benchmarks/recycle.py``), each posted to ``/api/check`` as a file. Every
client sends its next check as soon as the last one is answered, for
``--seconds`` seconds after one warm-up round.

Usage:
    python -m benchmarks.serve_bench [--seconds 25] [--write]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.recycle import recycle
from benchmarks.results import RESULTS, machine, publish
from detector import Index, workflows

ROOT = Path(__file__).resolve().parent.parent
CORPORA = Path(os.environ.get("DETECTOR_CORPORA", ROOT.parent / "shared" / "corpora"))
CORPUS = CORPORA / "cn_provincial_gwr_2026" / "docs"
SECTION = "serve_bench"
HEADING = "## The web service: checks per second"
CLIENTS = (1, 4)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _command() -> list[str]:
    script = Path(sys.executable).parent / "detector"
    return [str(script)] if script.exists() else [sys.executable, "-m", "detector.cli"]


def _start(index: Path, jobs: int) -> tuple[subprocess.Popen[bytes], str]:
    """``detector serve`` on a free port, once it answers."""
    import httpx

    port = _free_port()
    process = subprocess.Popen(
        [*_command(), "serve", str(index), "--port", str(port), "--jobs", str(jobs)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(url + "/api/health", timeout=5).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("detector serve did not start")


def _drafts(count: int) -> list[tuple[str, bytes]]:
    """Recycled copies of the first ``count`` reports, as files to upload."""
    sources = sorted(CORPUS.glob("*.txt"))[:count]
    return [
        (f"draft-{i}.txt", recycle(p.read_text(encoding="utf-8"), seed=i).text.encode("utf-8"))
        for i, p in enumerate(sources)
    ]


def _measure(url: str, drafts: list[tuple[str, bytes]], clients: int, seconds: float) -> dict[str, float]:
    """Checks per second and latency percentiles with ``clients`` clients for ``seconds``."""
    import httpx

    latencies: list[float] = []
    failures: list[float] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        with httpx.Client(base_url=url, timeout=300) as http:
            turn, stop = number, time.monotonic() + seconds
            while time.monotonic() < stop:
                name, data = drafts[turn % len(drafts)]
                began = time.monotonic()
                answer = http.post("/api/check", files={"files": (name, data)})
                with lock:
                    (latencies if answer.status_code == 200 else failures).append(time.monotonic() - began)
                turn += clients

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    cuts = statistics.quantiles(latencies, n=20) if len(latencies) > 1 else [latencies[0]] * 19
    return {
        "checks": len(latencies),
        "failed": len(failures),
        "per_second": len(latencies) / elapsed,
        "p50": statistics.median(latencies),
        "p95": cuts[18],
    }


def _table(rows: dict[int, dict[str, float]], documents: int, characters: int, seconds: float) -> str:
    lines = [
        f"{documents} provincial government work reports indexed ({characters:,} characters); "
        f"drafts: 8 of them recycled, posted to `/api/check` as files; `detector serve --jobs 4`; "
        f"{seconds:g} s per row after a warm-up round.",
        "",
        "| clients at once | checks | checks per second | p50 latency | p95 latency | failed |",
        "|---|---|---|---|---|---|",
    ]
    for clients, r in rows.items():
        lines.append(
            f"| {clients} | {r['checks']:.0f} | {r['per_second']:.2f} | {r['p50'] * 1000:.0f} ms "
            f"| {r['p95'] * 1000:.0f} ms | {r['failed']:.0f} |"
        )
    lines += ["", f"Machine: {machine()}."]
    return "\n".join(lines)


def main() -> None:
    """Build the index, run the server, measure, print (and with ``--write`` keep) the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=25.0, help="Seconds of checks per row.")
    parser.add_argument("--write", action="store_true", help="Replace the section in benchmarks/RESULTS.md.")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        raise SystemExit(
            f"serve_bench: corpus not found at {CORPUS} (set DETECTOR_CORPORA); nothing measured"
        )
    try:
        import fastapi  # noqa: F401
        import httpx  # noqa: F401
        import uvicorn  # noqa: F401
    except ModuleNotFoundError as exc:
        raise SystemExit(f"serve_bench needs the serve extra and httpx: {exc.name} is missing") from None
    with tempfile.TemporaryDirectory(prefix="serve-bench-") as folder:
        index = Path(folder) / "reports.db"
        run = workflows.add(index, [CORPUS])
        with Index.open(index) as opened:
            stats = opened.stats()
        drafts = _drafts(8)
        process, url = _start(index, 4)
        try:
            _measure(url, drafts, 4, 0.1)  # warm-up: every check process started
            rows = {clients: _measure(url, drafts, clients, args.seconds) for clients in CLIENTS}
        finally:
            process.terminate()
            process.wait(timeout=30)
    text = _table(rows, run.documents, stats["characters"], args.seconds)
    if args.write and f"<!-- {SECTION}:start -->" not in RESULTS.read_text(encoding="utf-8"):
        RESULTS.write_text(
            RESULTS.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{HEADING}\n", encoding="utf-8"
        )
    publish(SECTION, text, args.write)


if __name__ == "__main__":
    main()
