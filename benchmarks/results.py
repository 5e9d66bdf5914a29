"""Shared helpers of the benchmark scripts: machine description and RESULTS.md sections."""

from __future__ import annotations

import os
import platform
import re
from importlib.metadata import version
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def machine() -> str:
    """One line: cores, memory, CPU, Python and the versions that matter."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    except OSError:
        memory = 0.0
    packages = []
    for name in ("datasketch", "numpy", "rensa", "rapidfuzz"):
        try:
            packages.append(f"{name} {version(name)}")
        except Exception:  # not installed
            continue
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB; Python {platform.python_version()}, "
        + ", ".join(packages)
    )


def update_section(name: str, text: str) -> None:
    """Replace the text between ``<!-- name:start -->`` and ``<!-- name:end -->`` in RESULTS.md."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    content = RESULTS.read_text(encoding="utf-8")
    block = f"{start}\n{text}\n{end}"
    if start in content and end in content:
        content = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: block, content, flags=re.S)
    else:
        content = content.rstrip("\n") + "\n\n" + block + "\n"
    RESULTS.write_text(content, encoding="utf-8")


def publish(name: str, text: str, write: bool) -> None:
    """Print a section's text; with ``write``, also put it into RESULTS.md."""
    print(text)
    if write:
        update_section(name, text)
