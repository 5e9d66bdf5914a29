"""Render the three HTML reports of the demo corpus and screenshot them into docs/.

Needs Debian's chromium and chromium-driver and the dev extras (selenium).

Usage:
    python -m docs.screenshots  # from the repository root
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from typer.testing import CliRunner

from detector.cli import app
from tests.browser import chromium, open_file

ROOT = Path(__file__).resolve().parent.parent

SPEECHES = Path("data") / "speeches"


def main() -> int:
    import os

    os.chdir(ROOT)
    seeds = sorted(SPEECHES.glob("*.txt"))
    work = Path(tempfile.mkdtemp())
    draft = Path("draft.txt")
    lines = seeds[2].read_text(encoding="utf-8").split("\n")
    draft.write_text(
        "\n".join(
            [
                *seeds[0].read_text(encoding="utf-8").split("\n")[:6],
                lines[3].replace("2022", "2024").replace("区", "县"),
                lines[4],
            ]
        ),
        encoding="utf-8",
    )
    runs = {
        "report-diff": ["diff", str(seeds[3]), str(seeds[4])],
        "report-check": ["check", str(draft), "--against", *(str(p) for p in seeds[1:4])],
        "report-scan": ["scan", str(SPEECHES)],
    }
    runner = CliRunner()
    with chromium(1400, 900) as driver:
        for name, args in runs.items():
            page = work / f"{name}.html"
            result = runner.invoke(app, [*args, "--html", str(page)])
            if result.exit_code not in (0, 1):
                print(result.output, file=sys.stderr)
                return 1
            open_file(driver, page)
            time.sleep(0.5)
            driver.save_screenshot(str(ROOT / "docs" / f"{name}.png"))
            print(f"docs/{name}.png")
    draft.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
