"""``detector serve`` as users meet it: a real uvicorn server in a subprocess, called over HTTP.

Two servers run for the whole module on an index of seeds 000–003 built by
the real ``detector index add`` (004 left out: it is the draft), plus one
document with a hostile name and text: one as started by default (no
additions), one with ``--allow-add --token`` and two server processes. The
answers are compared with the real command line's on the same index.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from detector import Document, Index
from detector.server import SETTINGS_ENV

from .browser import chromium
from .conftest import ROOT, seed_path, seed_text

httpx = pytest.importorskip("httpx")
pytest.importorskip("fastapi", reason="detector serve needs the serve extra")
pytest.importorskip("uvicorn", reason="detector serve needs the serve extra")

TOKEN = "s3cret-token-for-tests"
HOSTILE_NAME = '"><img src=x onerror="window.__pwned=1">.txt'
HOSTILE = '<script>window.__pwned=1</script> "><img src=x onerror="window.__pwned=1"> '
SCRIPTED = {"X-Detector-Request": "1"}


def _command() -> list[str]:
    """The real ``detector`` command of this environment."""
    script = Path(sys.executable).parent / "detector"
    return [str(script)] if script.exists() else [sys.executable, "-m", "detector.cli"]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DETECTOR_DEBUG", "DETECTOR_TOKEN")}
    return {**env, "COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}


def detector(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*_command(), *args], cwd=cwd, env=_env(), capture_output=True, timeout=120, check=False
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A running ``detector serve``."""

    def __init__(
        self, index: Path, log: Path, *args: str, token: str | None = None, uvicorn: dict | None = None
    ) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.log = log
        command = [*_command(), "serve", str(index), "--port", str(self.port), *args]
        env = _env()
        if (
            uvicorn is not None
        ):  # the application run by uvicorn itself, with settings the command does not offer
            command = [sys.executable, "-m", "uvicorn", "--factory", "--port", str(self.port)]
            command.append("detector.server:app_from_environment")
            env[SETTINGS_ENV] = json.dumps({"index": str(index), **uvicorn})
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                command, cwd=index.parent, env=env, stdout=out, stderr=subprocess.STDOUT
            )
        self.client = httpx.Client(base_url=self.url, headers=self.headers, timeout=120)
        deadline = time.monotonic() + 60
        while True:
            try:
                if self.client.get("/api/health").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"detector serve did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.1)

    def stop(self) -> None:
        self.client.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def check(self, path: Path, name: str | None = None) -> Any:
        with path.open("rb") as f:
            return self.client.post("/api/check", files={"files": (name or path.name, f)})


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("serve")


@pytest.fixture(scope="module")
def index(folder: Path) -> Path:
    """Seeds 000–003 added by the real command, and a document with a hostile name and text."""
    path = folder / "speeches.db"
    added = detector("index", "add", str(path), *(str(seed_path(n)) for n in range(4)), "--quiet")
    assert added.returncode == 0, added.stderr
    with Index.open(path) as stored:
        stored.add([Document(HOSTILE_NAME, HOSTILE + seed_text(0)[:600])])
    return path


@pytest.fixture(scope="module")
def server(index: Path, folder: Path) -> Iterator[Server]:
    """The server as started by default: loopback, no additions, no token."""
    running = Server(index, folder / "serve.log")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def writable(index: Path, folder: Path) -> Iterator[Server]:
    """A copy of the index served with --allow-add, --token and two server processes."""
    copy = folder / "writable" / "archive.db"
    copy.parent.mkdir()
    shutil.copy(index, copy)
    running = Server(
        copy, folder / "writable.log", "--allow-add", "--workers", "2", "--token", TOKEN, token=TOKEN
    )
    yield running
    running.stop()


def _drafts(folder: Path, *numbers: int) -> list[Path]:
    """Seed files copied into ``folder`` (the command line then names them as the server does)."""
    folder.mkdir(exist_ok=True)
    return [Path(shutil.copy(seed_path(n), folder)) for n in numbers]


# --- the same answers as the command line -----------------------------------------------------------


def test_check_files_is_the_command_lines_json(server, index, tmp_path):
    drafts = _drafts(tmp_path / "drafts", 4, 0)
    cli = detector(
        "check", *(d.name for d in drafts), "--index", str(index), "--format", "json", cwd=drafts[0].parent
    )
    assert cli.returncode == 0, cli.stderr
    opened = [d.open("rb") for d in drafts]
    try:
        answer = server.client.post(
            "/api/check", files=[("files", (d.name, f)) for d, f in zip(drafts, opened, strict=True)]
        )
    finally:
        for f in opened:
            f.close()
    assert answer.status_code == 200, answer.text
    assert answer.content == cli.stdout
    report = json.loads(answer.content)["drafts"][0]
    assert report["sources"][0]["path"] == str(seed_path(3))


def test_check_text_sarif_and_html_are_the_command_lines(server, index, tmp_path):
    (draft,) = _drafts(tmp_path / "drafts", 4)
    body = {"text": seed_text(4), "name": draft.name}
    as_json = server.client.post("/api/check/text", json=body)
    assert as_json.status_code == 200 and as_json.content == server.check(draft).content
    out = tmp_path / "report.html"
    cli = detector(
        "check", draft.name, "-i", str(index), "-f", "sarif", "--html", str(out), "-q", cwd=draft.parent
    )
    assert cli.returncode == 0, cli.stderr
    sarif = server.client.post("/api/check/text", params={"format": "sarif"}, json=body)
    assert sarif.status_code == 200 and sarif.content == cli.stdout
    page = server.client.post("/api/check/text", params={"format": "html"}, json=body)
    assert page.status_code == 200 and page.text == out.read_text(encoding="utf-8")


def test_diff_is_the_command_lines_json(server, tmp_path):
    a, b = _drafts(tmp_path / "pair", 3, 4)
    cli = detector("diff", a.name, b.name, "--format", "json", cwd=a.parent)
    assert cli.returncode == 0, cli.stderr
    body = {"a": seed_text(3), "b": seed_text(4), "a_name": a.name, "b_name": b.name}
    answer = server.client.post("/api/diff", json=body)
    assert answer.status_code == 200 and answer.content == cli.stdout


def test_documents_search_and_stats(server, index):
    cli = detector("index", "stats", str(index), "--format", "json")
    stats = server.client.get("/api/stats")
    assert stats.json() == json.loads(cli.stdout)
    listed = json.loads(detector("index", "list", str(index), "--format", "json").stdout)
    everything = server.client.get("/api/documents").json()
    assert everything == {"total": len(listed), "documents": listed}
    by_name = server.client.get("/api/documents", params={"q": seed_path(2).name[:8]}).json()
    assert [d["path"] for d in by_name["documents"]] == [str(seed_path(2))]
    phrase = seed_text(1)[300:330]
    by_text = server.client.get("/api/documents", params={"q": phrase}).json()
    assert str(seed_path(1)) in [d["path"] for d in by_text["documents"]]
    one = server.client.get(f"/api/documents/{listed[3]['id']}").json()
    assert one["text"] == seed_text(3) and one["document"] == listed[3]
    described = server.client.get("/openapi.json").json()["paths"]
    assert {"/api/check", "/api/check/text", "/api/diff", "/api/documents", "/api/stats"} <= set(described)
    for bad in ("/api/documents/999", "/api/documents/..%2F..%2Fetc%2Fpasswd", "/archive/-1"):
        assert server.client.get(bad).status_code in (404, 422), bad


# --- bad input ---------------------------------------------------------------------------------------


def _docx_bomb(path: Path) -> Path:
    """A .docx whose document.xml would decompress to 17 MiB (a few KB on disk)."""
    body = b"<w:p><w:r><w:t>" + b"a" * (17 * 1024 * 1024) + b"</w:t></w:r></w:p>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", body)
    return path


def _cli_reasons(index: Path, paths: list[Path]) -> dict[str, str]:
    """The line ``detector check`` prints for each file it cannot read (less ``error: ``), by file name."""
    cli = detector("check", *(p.name for p in paths), "--index", str(index), cwd=paths[0].parent)
    assert cli.returncode == 2
    lines = [line.removeprefix("error: ") for line in cli.stderr.decode().splitlines()]
    assert len(lines) == len(paths)
    return {line.split(": ", 1)[0]: line for line in lines}


def test_bad_uploads_get_the_command_lines_reason(server, index, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (bad / "spaces.txt").write_text("  \n\n  ", encoding="utf-8")
    (bad / "scan.pdf").write_bytes(b"%PDF-1.4")
    (bad / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    _docx_bomb(bad / "bomb.docx")
    statuses = {"empty.txt": 400, "binary.txt": 400, "spaces.txt": 400, "scan.pdf": 415}
    statuses.update({"broken.docx": 400, "bomb.docx": 413})
    reasons = _cli_reasons(index, [bad / name for name in statuses])
    assert "over --max-size" in reasons["bomb.docx"]
    for name, status in statuses.items():
        answer = server.check(bad / name)
        assert answer.status_code == status, (name, answer.text)
        assert answer.json() == {"detail": reasons[name]}
    assert server.client.get("/api/health").status_code == 200


def test_a_50_mb_upload_is_refused_before_it_is_read(server):
    answer = server.client.post("/api/check", files={"files": ("big.txt", b"a" * (50 * 1024 * 1024))})
    assert answer.status_code == 413
    assert re.fullmatch(r"request is 50\.0 MiB, over --max-size 16 MiB", answer.json()["detail"])
    assert server.client.get("/api/health").json()["status"] == "ok"


def _multipart(filename: bytes, content: bytes) -> tuple[bytes, str]:
    boundary = "detector-test-boundary"
    body = (
        f"--{boundary}\r\n".encode()
        + b'Content-Disposition: form-data; name="files"; filename="'
        + filename
        + b'"\r\nContent-Type: text/plain\r\n\r\n'
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def test_non_utf8_file_names(server):
    name = "草稿".encode("gb18030") + b"\x1b.txt"
    body, kind = _multipart(name, bytes(range(256)) * 8)
    refused = server.client.post("/api/check", content=body, headers={"Content-Type": kind})
    assert refused.status_code == 400
    detail = refused.json()["detail"]
    assert detail.endswith(".txt: binary file, not text; pass .txt, .md or .docx documents")
    assert "\x1b" not in detail and "\\x1b" in detail
    body, kind = _multipart(name, seed_text(4).encode("utf-8"))
    checked = server.client.post("/api/check", content=body, headers={"Content-Type": kind})
    assert checked.status_code == 200
    assert "\\x1b" in checked.json()["drafts"][0]["path"]
    assert server.client.get("/api/health").status_code == 200


# --- safe by default ---------------------------------------------------------------------------------


def test_writes_are_refused_without_allow_add(server, tmp_path):
    draft = _drafts(tmp_path / "d", 4)[0]
    with draft.open("rb") as f:
        assert server.client.post("/api/documents", files={"files": f}, headers=SCRIPTED).status_code == 403
    assert server.client.delete("/api/documents/1", headers=SCRIPTED).status_code == 403
    assert server.client.get("/").status_code == 200
    csrf = server.client.cookies["detector_csrf"]
    form = {"csrf": csrf}
    assert server.client.post("/archive/add", data=form, files={"files": ("a.txt", b"x")}).status_code == 403
    assert server.client.post("/archive/1/remove", data=form).status_code == 403
    assert server.client.get("/api/documents/1").status_code == 200


def test_cross_site_requests_are_refused(server):
    stolen = {"Origin": "http://evil.example"}
    assert server.client.post("/api/check/text", json={"text": "x"}, headers=stolen).status_code == 403
    assert server.client.get("/api/health", headers={"Host": "evil.example"}).status_code == 400
    # A form post without the page's token (what another site's form would send).
    assert server.client.post("/check", data={"text": seed_text(4)}).status_code == 403
    # With it (a browser without scripts): the report.
    assert server.client.get("/").status_code == 200
    form = {"csrf": server.client.cookies["detector_csrf"], "text": seed_text(4), "name": "pasted"}
    posted = server.client.post("/check", data=form)
    assert posted.status_code == 303 and posted.headers["location"].startswith("/reports/")
    report = server.client.get(posted.headers["location"])
    assert report.status_code == 200 and "pasted.txt" in report.text and seed_path(3).name in report.text


def test_a_non_loopback_bind_needs_a_token(index):
    refused = detector("serve", str(index), "--host", "0.0.0.0", "--port", str(_free_port()))
    assert refused.returncode == 2
    assert len(refused.stderr.decode().splitlines()) == 1 and "--token" in refused.stderr.decode()


@pytest.fixture(scope="module")
def strict(index: Path, folder: Path) -> Iterator[Server]:
    """The application run by uvicorn itself: 1 s to send a body, and too little time for any check."""
    running = Server(index, folder / "uvicorn.log", uvicorn={"read_timeout": 1.0, "timeout": 0.05})
    yield running
    running.stop()


def test_a_check_past_the_timeout_gets_503_and_its_process_is_free_again(strict):
    for _ in range(3):  # more than the check processes: each was stopped and freed
        answer = strict.check(seed_path(4))
        assert answer.status_code == 503
        assert answer.json() == {"detail": "the check took more than 0.05 s (--timeout); try a shorter text"}
    assert strict.client.get("/api/health").status_code == 200


def test_a_stalled_request_gets_408_and_the_server_goes_on(strict):
    with socket.create_connection(("127.0.0.1", strict.port), timeout=30) as stalled:
        stalled.sendall(
            b"POST /api/check/text HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b'Content-Length: 1000\r\n\r\n{"text": "'
        )
        received = b""
        while chunk := stalled.recv(65536):  # until the server closes the connection
            received += chunk
    answer = received.decode()
    assert answer.startswith("HTTP/1.1 408 ") and "stopped arriving" in answer
    assert strict.client.get("/api/health").status_code == 200


def test_serve_without_the_extra_is_one_line(index):
    blocked = "import sys; sys.modules['fastapi'] = None; from detector.cli import main; main()"
    ran = subprocess.run(
        [sys.executable, "-c", blocked, "serve", str(index)],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ran.returncode == 2
    assert (
        ran.stderr
        == "error: detector serve needs the serve extra: pip install 'speech-reuse-detector[serve]'\n"
    )


def test_requests_without_the_token_get_401(writable):
    bare = httpx.get(f"{writable.url}/api/health")
    assert bare.status_code == 401 and bare.headers["www-authenticate"] == "Bearer"
    wrong = httpx.get(f"{writable.url}/api/documents", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    page = httpx.get(f"{writable.url}/archive")
    assert page.status_code == 401 and 'name="token"' in page.text
    login = httpx.post(f"{writable.url}/login", data={"token": TOKEN, "next": "/archive"})
    assert login.status_code == 303 and login.cookies["detector_token"] == TOKEN
    assert writable.client.get("/api/health").status_code == 200


# --- many users at once ------------------------------------------------------------------------------


def test_concurrent_checks_give_the_sequential_answers(server, tmp_path):
    drafts = _drafts(tmp_path / "drafts", 0, 1, 2, 3, 4)
    alone = {d: server.check(d).content for d in drafts}
    work = [drafts[i % len(drafts)] for i in range(20)]
    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(server.check, work))
    assert all(a.status_code == 200 for a in answers)
    assert [a.content for a in answers] == [alone[d] for d in work]


def _variants(folder: Path, count: int) -> list[Path]:
    """``count`` recycled copies of seed 003, each with its paragraphs turned round by a different step."""
    folder.mkdir()
    paragraphs = [p for p in seed_text(3).split("\n") if p.strip()]
    paths = []
    for i in range(count):
        turned = paragraphs[i % len(paragraphs) :] + paragraphs[: i % len(paragraphs)]
        path = folder / f"variant-{i:03d}.txt"
        path.write_text(f"第{i}稿\n" + "\n".join(turned), encoding="utf-8")
        paths.append(path)
    return paths


def test_a_check_sees_an_addition_whole_or_not_at_all(writable, tmp_path):
    (draft,) = _drafts(tmp_path / "draft", 4)
    with ThreadPoolExecutor(6) as pool:  # every server process and check process started
        warm = {a.content for a in pool.map(writable.check, [draft] * 6)}
    (before,) = warm
    files = [*_variants(tmp_path / "variants", 127), draft]  # two batches of the writer
    during: list[tuple[float, bytes]] = []
    added: list[tuple[float, float, Any]] = []

    def add() -> None:
        parts = [("files", (f.name, f.read_bytes())) for f in files]
        start = time.monotonic()
        answer = writable.client.post("/api/documents", files=parts, headers=SCRIPTED)
        added.append((start, time.monotonic(), answer))

    def check() -> None:
        while adding.is_alive():
            began = time.monotonic()
            during.append((began, writable.check(draft).content))

    adding = threading.Thread(target=add)
    checking = [threading.Thread(target=check) for _ in range(3)]
    adding.start()
    for thread in checking:
        thread.start()
    for thread in (adding, *checking):
        thread.join()
    start, end, answer = added[0]
    assert answer.status_code == 200, answer.text
    assert len(answer.json()["added"]) == len(files)
    after = writable.check(draft).content
    assert before != after and json.loads(after)["drafts"][0]["already_indexed_as"] == draft.name
    assert len([when for when, _ in during if start < when < end]) >= 2, "no check began during the addition"
    assert {content for _, content in during} <= {before, after}


def test_additions_follow_the_rules_of_index_add(writable, tmp_path):
    folder = tmp_path / "new"
    folder.mkdir()
    page = folder / "notice.txt"
    page.write_text("关于做好2024年秋冬季大气污染防治工作的通知。" * 20, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")

    def add(*paths: Path) -> dict:
        parts = [("files", (p.name, p.read_bytes())) for p in paths]
        answer = writable.client.post("/api/documents", files=parts, headers=SCRIPTED)
        assert answer.status_code == 200, answer.text
        return answer.json()

    first = add(page, folder / "empty.txt")
    assert first["added"] == ["notice.txt"]
    assert first["errors"] == [{"path": "empty.txt", "reason": "empty file"}]
    assert add(page)["unchanged"] == ["notice.txt"]
    page.write_text("关于做好2025年秋冬季大气污染防治工作的通知。" * 20, encoding="utf-8")
    assert add(page)["updated"] == ["notice.txt"]
    listed = writable.client.get("/api/documents", params={"q": "notice.txt"}).json()["documents"]
    number = listed[0]["id"]
    # The token in a cookie only (what a browser sends by itself) and no header: refused.
    cookie_only = httpx.delete(f"{writable.url}/api/documents/{number}", cookies={"detector_token": TOKEN})
    assert cookie_only.status_code == 403
    removed = writable.client.delete(f"/api/documents/{number}", headers=SCRIPTED)
    assert removed.status_code == 200 and removed.json()["removed"] == ["notice.txt"]


def test_the_archive_page_adds_files_with_its_form(writable):
    browser = httpx.Client(base_url=writable.url, cookies={"detector_token": TOKEN}, timeout=120)
    with browser:
        assert 'action="/archive/add"' in browser.get("/archive").text
        form = {"csrf": browser.cookies["detector_csrf"]}
        files = [
            ("files", ("memo.md", "# 通知\n" + "请各单位做好2024年冬季供暖保障工作。" * 10)),
            ("files", ("x.bin", b"\0")),
        ]
        stale = browser.post("/archive/add", data={"csrf": "stale"}, files=files)
        assert stale.status_code == 403
        added = browser.post("/archive/add", data=form, files=files)
        assert added.status_code == 200
        assert "added: memo.md" in added.text and "x.bin: unsupported file type" in added.text
        listed = browser.get("/archive", params={"q": "供暖"}).text
        assert "memo.md" in listed
        number = re.search(r'href="/archive/(\d+)">memo\.md<', listed)
        assert number is not None
        removed = browser.post(f"/archive/{number[1]}/remove", data=form)
        assert removed.status_code == 303 and removed.headers["location"] == "/archive"
        assert "memo.md" not in browser.get("/archive", params={"q": "供暖"}).text


# --- the page, in a real browser ---------------------------------------------------------------------


def _docx(path: Path, text: str) -> Path:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for paragraph in text.split("\n"):
        document.add_paragraph(paragraph)
    document.save(str(path))
    return path


def _wait(driver, condition, timeout: float = 60.0):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def _fetch(driver, address: str) -> str:
    """Fetch an address from the page, with its cookies, as the browser downloads it."""
    script = "var done = arguments[1]; fetch(arguments[0]).then(r => r.text()).then(done);"
    return str(driver.execute_async_script(script, address))


def test_editor_uploads_a_docx_and_reads_the_report(server, tmp_path):
    draft = _docx(tmp_path / "recycled.docx", seed_text(4))
    with chromium(width=420, height=900) as driver:
        driver.set_script_timeout(60)
        driver.get(server.url + "/")
        fits = "return document.documentElement.scrollWidth <= window.innerWidth"
        assert driver.execute_script(fits), "the editor page does not fit a narrow window"
        driver.find_element("id", "files").send_keys(str(draft))
        driver.find_element("css selector", "#check-form button[type=submit]").click()
        _wait(driver, lambda d: "/reports/" in d.current_url)
        sources = driver.find_element("css selector", "table.summary").text
        assert seed_path(3).name in sources
        kinds = {e.get_attribute("data-kind") for e in driver.find_elements("css selector", ".swap")}
        assert {"year", "synonym"} <= kinds
        passage = driver.find_element("css selector", '.pane[data-side="draft"] .passage')
        driver.execute_script("arguments[0].click()", passage)
        flashed = "return document.querySelectorAll('.flash').length"
        assert driver.execute_script(flashed) == 2, "the report's own script runs under the page's policy"
        link = str(driver.find_element("link text", "Download JSON").get_attribute("href"))
        downloaded = json.loads(_fetch(driver, link))
        report = downloaded["drafts"][0]
        assert report["path"] == "recycled.docx"
        assert report["sources"][0]["path"] == str(seed_path(3))
        assert {"year", "synonym"} <= set(report["sources"][0]["swap_counts"])


def test_hostile_text_shows_as_text_on_every_page(server, index):
    draft = HOSTILE + seed_text(3)[:800]
    with chromium() as driver:
        driver.get(server.url + "/")
        driver.find_element("id", "name").clear()
        driver.find_element("id", "name").send_keys('"><b id="bold">name')
        driver.find_element("id", "text").send_keys(draft)
        driver.find_element("css selector", "#check-form button[type=submit]").click()
        _wait(driver, lambda d: "/reports/" in d.current_url)
        pages = [driver.current_url]
        body = driver.find_element("tag name", "body").text
        assert "<script>window.__pwned=1</script>" in body and 'onerror="window.__pwned=1"' in body
        assert '"><b id="bold">name.txt' in body
        driver.get(server.url + "/archive?q=" + "img")
        pages.append(driver.current_url)
        assert HOSTILE_NAME in driver.find_element("tag name", "main").text
        driver.find_element("partial link text", "onerror").click()
        pages.append(driver.current_url)
        assert HOSTILE.strip() in driver.find_element("css selector", "pre.text").text
        driver.get(server.url + "/archive?q=" + '"><script>window.__pwned=1</script>')
        pages.append(driver.current_url)
        for page in pages:
            driver.get(page)
            assert driver.execute_script("return window.__pwned") is None, page
            assert not driver.find_elements("css selector", "main img, body > img, #bold"), page


def test_an_editor_enters_the_token_once_and_adds_a_document(writable, tmp_path):
    upload = tmp_path / "会议纪要.txt"
    upload.write_text("关于2024年度城乡人居环境整治工作的会议纪要。" * 20, encoding="utf-8")
    with chromium(width=800, height=900) as driver:
        driver.get(writable.url + "/archive")
        driver.find_element("name", "token").send_keys(TOKEN)
        driver.find_element("css selector", "form button[type=submit]").click()
        _wait(driver, lambda d: d.find_elements("id", "add-form"))
        driver.find_element("css selector", "#add-form input[type=file]").send_keys(str(upload))
        driver.find_element("css selector", "#add-form button[type=submit]").click()
        _wait(driver, lambda d: "Added to the archive" in d.page_source)
        assert "added: 会议纪要.txt" in driver.find_element("tag name", "main").text
        driver.get(writable.url + "/archive?q=" + "人居环境整治")
        driver.find_element("link text", "会议纪要.txt").click()
        assert (
            "关于2024年度城乡人居环境整治工作的会议纪要"
            in driver.find_element("css selector", "pre.text").text
        )
