"""Screenshot the three HTML reports of the demo corpus and the page of ``detector serve`` into docs/.

Needs Debian's chromium and chromium-driver and the dev extras (selenium, fastapi, uvicorn).

Usage:
    python -m docs.screenshots  # from the repository root
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
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
    return serve_page(seeds)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_page(seeds: list[Path]) -> int:
    """``detector serve`` on an archive of seeds 000–003, seed 004 uploaded: docs/serve.png."""
    work = Path(tempfile.mkdtemp())
    (work / "archive").mkdir()
    for seed in seeds[:4]:
        shutil.copy(seed, work / "archive" / seed.name)
    shutil.copy(seeds[4], work / "draft.txt")
    command = str(Path(sys.executable).with_name("detector"))
    subprocess.run([command, "index", "add", "archive.db", "archive", "--quiet"], cwd=work, check=True)
    port = _free_port()
    server = subprocess.Popen([command, "serve", "archive.db", "--port", str(port)], cwd=work)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{url}/api/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        with chromium(1280, 860) as driver:
            driver.get(url)
            driver.find_element("id", "files").send_keys(str(work / "draft.txt"))
            driver.find_element("css selector", "#check-form button[type=submit]").click()
            for _ in range(300):
                if driver.find_elements("css selector", "table.summary"):
                    break
                time.sleep(0.1)
            time.sleep(0.5)
            driver.save_screenshot(str(ROOT / "docs" / "serve.png"))
            print("docs/serve.png")
    finally:
        server.terminate()
        server.wait(timeout=20)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
