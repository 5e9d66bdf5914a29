"""Time and peak memory of refusing a .docx bomb: a small file holding a huge document.xml.

The .docx is python-docx's empty document whose ``word/document.xml`` is
replaced by ``--mib`` MiB (300 by default) of one short paragraph repeated:
a file under 1 MB. Each case runs in a child process whose peak resident
memory the parent reads from ``os.wait4`` (the child's own ``ru_maxrss``):

* ``import``: Python importing detector and python-docx, nothing read (the floor);
* ``read_document``: :func:`detector.read_document` of the bomb, which must
  raise a :class:`~detector.SourceError`;
* ``detector scan``: the command line on the bomb, which must exit 2.

Seconds are the child's whole run, start-up and imports included; call
seconds the call alone (``read_document``, or the command line's ``main``),
timed in the child. A refusal passes when the call takes under ``--seconds``
(2) and the child's peak memory stays under ``--peak-mb`` (200).

Usage:
    python -m benchmarks.read_limits [--mib 300] [--seconds 2] [--peak-mb 200]
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document '
    b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
)
PARAGRAPH = "<w:p><w:r><w:t>第一条 讲话内容</w:t></w:r></w:p>".encode()
TAIL = b"</w:body></w:document>"

#: Children that time the call in themselves, imports left out: the last line
#: they write is the call's seconds, the one before its message.
READ = """
import sys, time
from detector import SourceError, read_document
started = time.perf_counter()
try:
    read_document(sys.argv[1])
except SourceError as exc:
    print(exc, file=sys.stderr)
    sys.exit(2)
finally:
    print(f"{time.perf_counter() - started:.4f}", file=sys.stderr)
"""
SCAN = """
import sys, time
from detector.cli import main
started = time.perf_counter()
try:
    main()
finally:
    print(f"{time.perf_counter() - started:.4f}", file=sys.stderr)
"""
CASES = {
    "import": ["-c", "import detector, detector.cli, docx; print(0.0)"],
    "read_document": ["-c", READ],
    "detector scan": ["-c", SCAN, "scan", "-q"],
}


def build(path: Path, mib: int) -> int:
    """Write the bomb to ``path``, streaming; the size of its document.xml in bytes."""
    import docx

    template = io.BytesIO()
    docx.Document().save(template)
    block = PARAGRAPH * (1024 * 1024 // len(PARAGRAPH))
    size = len(HEAD) + len(TAIL)
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info.filename, source.read(info))
        with out.open("word/document.xml", "w", force_zip64=True) as xml:
            xml.write(HEAD)
            for _ in range(mib):
                xml.write(block)
                size += len(block)
            xml.write(TAIL)
    return size


def measure(args: list[str], timeout: float) -> tuple[int, float, float, str, str]:
    """Run ``python ARGS``: exit status (-9 when killed), seconds, peak RSS in MB, last two lines."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=output, stderr=output)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > timeout:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.01)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode("utf-8", "replace").strip()
    lines = text.splitlines() or ["nan"]
    return proc.returncode, wall, usage.ru_maxrss / 1024, lines[-1], lines[-2] if len(lines) > 1 else ""


def verdict(name: str, code: int, call: float, peak: float, options: argparse.Namespace) -> str:
    """``floor`` for the import, else ``pass`` when refused (exit 2) fast enough and small enough."""
    if name == "import":
        return "floor" if code == 0 else "FAIL"
    # nan (no time written) compares false: a FAIL
    return "pass" if code == 2 and call < options.seconds and peak < options.peak_mb else "FAIL"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mib", type=int, default=300, help="Size of document.xml, in MiB.")
    parser.add_argument("--seconds", type=float, default=2.0, help="Longest a refusal may take.")
    parser.add_argument("--peak-mb", type=float, default=200.0, help="Most memory a refusal may take.")
    parser.add_argument("--timeout", type=float, default=60.0, help="Kill a case after this many seconds.")
    options = parser.parse_args(argv)
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        bomb = Path(folder) / "bomb.docx"
        xml = build(bomb, options.mib)
        print(f"bomb.docx: {bomb.stat().st_size / 1e6:.2f} MB holding {xml / 1e6:.1f} MB of document.xml\n")
        print("| case | exit | seconds | call seconds | peak RSS MB | verdict | message |")
        print("|---|---|---|---|---|---|---|")
        for name, args in CASES.items():
            code, wall, peak, last, message = measure([*args, str(bomb)], options.timeout)
            message = message.replace(folder + os.sep, "")
            call = float(last) if last.replace(".", "", 1).isdigit() else float("nan")
            result = verdict(name, code, call, peak, options)
            failed |= result == "FAIL"
            print(f"| {name} | {code} | {wall:.2f} | {call:.3f} | {peak:.0f} | {result} | {message} |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
