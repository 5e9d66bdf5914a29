"""The archive as a web service: a page for editors and a JSON API (``detector serve``).

:func:`create_app` builds a FastAPI application over one index file;
:func:`serve` runs it with uvicorn. Like the command line, the server only
parses a request, makes library calls and renders what comes back: checks
are :func:`detector.workflows.check` and comparisons
:func:`detector.workflows.compare`, uploads added to the archive are read by
:func:`detector.read_document`, reports are rendered by
:func:`detector.render.render`, additions and removals are
:meth:`detector.Index.add` and :meth:`detector.Index.remove`.

Concurrency. Checks run in a pool of processes (``jobs`` of them in each
server process): the drafts of a request are saved under their names in a
folder of their own, and a check process runs :func:`detector.workflows.check`
there on them, as ``detector check NAMES --index INDEX`` would, so the JSON is
the command line's byte for byte. Listing, search and reading one document
run in threads; additions and removals run one at a time in a thread of
their own. A lock file beside the system's temporary files,
named after the index, is taken shared by every check and exclusively by
every write (``flock``), across all the server's processes: a check sees
the index as it was before an addition or after it, never between its
batches. A check that runs past ``timeout`` seconds is stopped by its
process and answered 503 while the others go on.

Safety. The server listens on 127.0.0.1 by default and refuses other
addresses without a token; with a token every request carries it (``Authorization:
Bearer``, or a cookie set once by the page's form). Requests over the size
limit are refused before they are read. Bad uploads are answered 4xx with
the one-line reason the command line prints. Requests from other sites are
refused (``Origin``; ``Host`` must name the loopback address on a loopback
bind), and the state-changing requests need the header
``X-Detector-Request`` or the page's form token. Pages escape every text
and forbid inline scripts other than the report's own.

Examples:
    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import functools
import hashlib
import hmac
import ipaddress
import json
import logging
import multiprocessing
import os
import re
import secrets
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from fastapi import FastAPI, File, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile as StarletteUpload
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from detector import __version__, server_pages, workflows
from detector.config import MAX_BYTES, CheckOptions
from detector.errors import ConfigError, DetectorError, IndexFileError, SourceError
from detector.gate import Gate
from detector.index_lock import IndexLock
from detector.normalize import FurnitureRules, load_rules
from detector.options import DEFAULTS
from detector.phrases import load_phrases
from detector.render import render
from detector.results import CheckResult, Comparison, DraftReport, to_json
from detector.sources import DOCUMENT_SUFFIXES, Document, mib, read_document
from detector.store import Index, IndexedDocument
from detector.swaps import Lexicon, load_lexicon
from detector.terminal import printable

__all__ = [
    "Archive",
    "CheckTimeout",
    "ServeSettings",
    "app_from_environment",
    "create_app",
    "is_loopback",
    "serve",
]

_log = logging.getLogger("detector.serve")
_T = TypeVar("_T")

#: The environment variable that hands the settings to uvicorn's worker processes.
SETTINGS_ENV = "DETECTOR_SERVE_SETTINGS"
#: The header a script or a command-line client sends with a state-changing request.
REQUEST_HEADER = "x-detector-request"
_TOKEN_COOKIE = "detector_token"
_CSRF_COOKIE = "detector_csrf"
_REPORT_ID = re.compile(r"[A-Za-z0-9_-]{22}")
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: What a multipart request may carry beyond ``max_bytes`` of files (boundaries, headers, fields).
_OVERHEAD = 1024 * 1024
_KEEP_REPORTS = 200
_TEXT_SUFFIXES = DOCUMENT_SUFFIXES - {".docx"}
_DOWNLOADS = {"html": "text/html", "json": "application/json", "sarif": "application/sarif+json"}


@dataclass(frozen=True)
class ServeSettings:
    """How a server runs.

    Attributes:
        index: The index file.
        allow_add: Whether documents may be added and removed.
        token: The token every request must carry (``None``: none needed).
        max_bytes: The most an upload (all its files) or a text may be.
        timeout: Seconds a check may run before it is answered 503.
        jobs: Check processes (checks run at once) in each server process.
        loopback: Whether the server listens on a loopback address only
            (requests must then name it in ``Host``).
        reports: Folder kept reports are written to (default: a new temporary one).
        read_timeout: Seconds a client may pause while it sends a request's body (then 408).
    """

    index: str
    allow_add: bool = False
    token: str | None = None
    max_bytes: int = MAX_BYTES
    timeout: float = 120.0
    jobs: int = 2
    loopback: bool = True
    reports: str | None = None
    read_timeout: float = 60.0


def is_loopback(host: str) -> bool:
    """Whether a host name or address is the machine's own loopback.

    Args:
        host: ``localhost``, an IPv4 or IPv6 address (brackets allowed).

    Returns:
        ``True`` for ``localhost`` and loopback addresses.
    """
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _limit(max_bytes: int) -> str:
    """``--max-size`` in MiB as the command line writes it."""
    limit = max_bytes / 1024 / 1024
    return f"{limit:.3g}" if limit < 1000 else f"{limit:.0f}"


def upload_name(raw: str | None) -> str:
    """The name an uploaded file is saved and shown by: its last path component, control characters escaped.

    Examples:
        >>> upload_name("../../etc/passwd.txt"), upload_name("C:\\\\drafts\\\\讲话.docx")
        ('passwd.txt', '讲话.docx')
        >>> upload_name("a\\x1b[31m.txt"), upload_name(".."), upload_name("")
        ('a\\\\x1b[31m.txt', 'upload', 'upload')
    """
    name = printable(re.split(r"[/\\\\]", raw or "")[-1].strip(), newline=False)
    if len(name.encode("utf-8", "surrogatepass")) > 200:
        suffix = Path(name).suffix[:17]
        name = name[: 60 - len(suffix)] + suffix
    return "upload" if name in ("", ".", "..") else name


def read_upload(name: str | None, data: bytes, *, max_bytes: int = MAX_BYTES) -> Document:
    """Read an uploaded file as :func:`detector.read_document` reads a file of that name.

    Args:
        name: The name the client gave (only its last component is kept).
        data: The file's content.
        max_bytes: Refuse larger files, and .docx files whose content would decompress to more.

    Returns:
        The :class:`Document`, named by the file's name.

    Raises:
        SourceError: Empty, binary, undecodable, too large, a damaged or
            hostile .docx, or a type detector does not read; the message
            names the upload as the command line names a file.
    """
    shown = upload_name(name)
    with tempfile.TemporaryDirectory(prefix="detector-upload-") as folder:
        path = Path(folder) / shown
        path.write_bytes(data)
        try:
            document = read_document(path, max_bytes=max_bytes)
        except SourceError as exc:
            raise type(exc)(shown, exc.reason) from None
    return Document(shown, document.text, None, document.encoding)


class _Drafts:
    """Drafts of one request saved in a folder of their own, by the names they were sent with."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.names: list[str] = []

    def save(self, name: str | None, source: Any) -> None:
        """Save one draft (bytes or a binary file object) under its name; a repeated name in a subfolder."""
        shown, relative, count = upload_name(name), upload_name(name), 1
        while relative.casefold() in (n.casefold() for n in self.names):
            count += 1
            relative = f"{count}/{shown}"
        path = self.folder / relative
        path.parent.mkdir(exist_ok=True)
        with path.open("wb") as out:
            if isinstance(source, bytes):
                out.write(source)
            else:
                shutil.copyfileobj(source, out)
        self.names.append(relative)

    def save_text(self, text: str, name: str) -> None:
        """Save a pasted draft as UTF-8 under ``name`` (``.txt`` added unless it is a .txt or .md name)."""
        name = upload_name(name.strip() or "draft")
        if Path(name).suffix.lower() not in _TEXT_SUFFIXES:
            name += ".txt"
        self.save(name, text.encode("utf-8", "surrogatepass"))


@contextlib.contextmanager
def _drafts() -> Iterator[_Drafts]:
    with tempfile.TemporaryDirectory(prefix="detector-drafts-") as folder:
        yield _Drafts(Path(folder))


@contextlib.contextmanager
def _inside(folder: str) -> Iterator[None]:
    """Run with ``folder`` as the working directory (check processes run one call at a time)."""
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


@functools.lru_cache(maxsize=1)
def _tools() -> tuple[FurnitureRules, tuple[str, ...], Lexicon]:
    """The bundled furniture rules, common phrases and spin lexicon, loaded once per process."""
    return load_rules(()), tuple(load_phrases(())), load_lexicon(())


def check_folder(index: str, folder: str, names: Sequence[str], max_bytes: int = MAX_BYTES) -> CheckResult:
    """Check the drafts saved in a folder as ``detector check NAMES --index INDEX`` run there does.

    Runs in a check process: the index is read under the shared lock, so an
    addition is seen whole or not at all.

    Args:
        index: The index file (an absolute path).
        folder: The folder the drafts are saved in.
        names: Their paths in it, which name them in the result.
        max_bytes: Refuse larger files.

    Returns:
        The :class:`CheckResult`, the command line's own.
    """
    rules, phrases, lexicon = _tools()
    with IndexLock(index).shared(), _inside(folder):
        return workflows.check(
            list(names),
            index=index,
            config=DEFAULTS,
            options=CheckOptions(),
            expect=(),
            rules=rules,
            phrases=phrases,
            lexicon=lexicon,
            gate=Gate(),
            max_bytes=max_bytes,
            jobs=1,
        )


def compare_texts(a: Document, b: Document) -> Comparison:
    """Compare two texts as ``detector diff`` compares two files (runs in a check process)."""
    rules, _, lexicon = _tools()
    return workflows.compare(a, b, config=DEFAULTS, rules=rules, lexicon=lexicon)


class CheckTimeout(Exception):
    """A check ran past the server's ``timeout`` and was stopped."""


def _overtime(signum: int, frame: object) -> None:
    raise CheckTimeout


def _timed(seconds: float, call: Callable[..., _T], *args: Any) -> _T:
    """Run ``call`` in a check process, stopped after ``seconds`` so that the process is free again.

    Raises:
        CheckTimeout: It ran past ``seconds``.
    """
    previous = signal.signal(signal.SIGALRM, _overtime)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return call(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _warm() -> None:
    """Load the library and its tables in a check process before its first check."""
    _tools()


class Archive:
    """The index as the server reads and writes it: reads under the shared lock, writes one at a time.

    Every method is a blocking library call, run in a worker thread.

    Args:
        settings: The server's settings.

    Examples:
        >>> import tempfile, os
        >>> from detector import Index
        >>> path = os.path.join(tempfile.mkdtemp(), "a.db")
        >>> Index.create(path).close()
        >>> Archive(ServeSettings(path)).stats()["documents"]
        0
    """

    def __init__(self, settings: ServeSettings) -> None:
        self.path = Path(settings.index).resolve()
        self.settings = settings
        self.lock = IndexLock(self.path)
        self._writers = threading.Lock()

    @contextlib.contextmanager
    def _read(self) -> Iterator[Index]:
        rules, phrases, _ = _tools()
        with self.lock.shared(), Index.open(self.path, rules=rules, phrases=phrases, read_only=True) as index:
            yield index

    def stats(self) -> dict[str, Any]:
        """The index's figures, as ``detector index stats --format json`` shows them."""
        with self._read() as index:
            return index.stats()

    def find(self, query: str = "", *, limit: int = 100) -> tuple[list[IndexedDocument], int]:
        """Documents whose path or text holds ``query`` (case folded), and how many the archive holds.

        Args:
            query: What to look for (empty: every document).
            limit: Most documents returned.

        Returns:
            ``(documents found, in the order added, documents in the archive)``.
        """
        needle = query.strip().casefold()
        with self._read() as index:
            listed = index.documents()
            found: list[IndexedDocument] = []
            for document in listed:
                if len(found) >= limit:
                    break
                if needle in document.path.casefold() or needle in index.text(document.path).casefold():
                    found.append(document)
        return found, len(listed)

    def document(self, number: int) -> tuple[IndexedDocument, str, DraftReport, dict[str, int]]:
        """One document: its listing, its text, it checked against the others, and every path's id.

        Raises:
            HTTPException: 404 when no document has this id.
        """
        with self._read() as index:
            listed = index.documents()
            document = _numbered(listed, number)
            text = index.text(document.path)
            report = index.check(Document(document.path, text), lexicon=_tools()[2])
        return document, text, report, {d.path: d.id for d in listed}

    def add(self, documents: Sequence[Document], errors: Sequence[SourceError] = ()) -> dict[str, Any]:
        """Add documents as ``detector index add`` does: changed ones updated, unchanged ones skipped.

        Args:
            documents: The documents read (each keyed by its name).
            errors: The inputs that could not be read.

        Returns:
            ``added``, ``updated``, ``unchanged`` (names), ``errors`` (``path``
            and ``reason`` of each file refused) and ``documents`` (in the index afterwards).
        """
        failed = list(errors)
        rules = _tools()[0]
        with self._writers, Index.open(self.path, rules=rules) as stored:
            done = stored.add(documents, rules=rules, on_error=failed.append, jobs=1)
            total = len(stored)
        return {
            **{name: list(paths) for name, paths in asdict(done).items()},
            "errors": [{"path": e.path, "reason": e.reason} for e in failed],
            "documents": total,
        }

    def remove(self, number: int) -> dict[str, Any]:
        """Remove one document by id, as ``detector index remove`` does.

        Raises:
            HTTPException: 404 when no document has this id.
        """
        with self._writers, Index.open(self.path) as stored:
            document = _numbered(stored.documents(), number)
            removed = stored.remove([document.path])
            total = len(stored)
        return {"removed": removed, "documents": total}


def _numbered(documents: Sequence[IndexedDocument], number: int) -> IndexedDocument:
    for document in documents:
        if document.id == number:
            return document
    raise HTTPException(404, f"no document {number} in the archive")


class _Reports:
    """Checks made from the page, kept as files so that any server process can show and download them."""

    def __init__(self, folder: str | None) -> None:
        self.owned = folder is None
        self.folder = Path(folder or tempfile.mkdtemp(prefix="detector-serve-reports-"))

    def close(self) -> None:
        """Remove the folder when it was made here."""
        if self.owned:
            shutil.rmtree(self.folder, ignore_errors=True)

    def save(self, result: CheckResult) -> str:
        """Render a result in every download format; returns its id."""
        name = secrets.token_urlsafe(16)
        for fmt in _DOWNLOADS:
            (self.folder / f"{name}.{fmt}").write_text(render(result, fmt), encoding="utf-8")  # type: ignore[arg-type]
        self._prune()
        return name

    def read(self, name: str, fmt: str) -> str:
        """A kept report; 404 for an unknown or malformed id."""
        if not _REPORT_ID.fullmatch(name) or fmt not in _DOWNLOADS:
            raise HTTPException(404, "no such report")
        try:
            return (self.folder / f"{name}.{fmt}").read_text(encoding="utf-8")
        except FileNotFoundError:
            raise HTTPException(404, "no such report (reports are kept for a while only)") from None

    def _prune(self) -> None:
        kept = sorted(self.folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[_KEEP_REPORTS:]:
            for fmt in _DOWNLOADS:
                old.with_suffix(f".{fmt}").unlink(missing_ok=True)


def _script_hashes() -> str:
    """CSP sources for the report's own inline scripts, hashed from a report of nothing."""
    page = render(CheckResult(()), "html")
    found = re.findall(r"<script>(.*?)</script>", page, flags=re.S)
    digests = (base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in found)
    return " ".join(f"'sha256-{d}'" for d in digests)


_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class _Server:
    """The application's state: settings, archive, pools, kept reports."""

    def __init__(self, settings: ServeSettings) -> None:
        self.settings = settings
        self.archive = Archive(settings)
        self.reports = _Reports(settings.reports)
        self.reads = ThreadPoolExecutor(4, thread_name_prefix="detector-read")
        self.writes = ThreadPoolExecutor(1, thread_name_prefix="detector-write")
        self.checks = self._pool()
        self.csp = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
            f"script-src 'self' {_script_hashes()}; form-action 'self'; frame-ancestors 'none'; "
            "base-uri 'none'"
        )

    def _pool(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(self.settings.jobs, mp_context=context, initializer=_warm)
        return pool

    async def check(self, call: Callable[..., _T], *args: Any) -> _T:
        """A check in a check process, stopped and answered 503 past the timeout.

        The check process stops the check itself; waiting for a free process
        counts too, so that a request is answered in about ``timeout`` seconds.
        """
        timeout = self.settings.timeout
        work = functools.partial(_timed, timeout, call, *args)
        future = asyncio.get_running_loop().run_in_executor(self.checks, work)
        try:
            return await asyncio.wait_for(future, timeout + 5)
        except (asyncio.TimeoutError, CheckTimeout):
            raise HTTPException(
                503, f"the check took more than {timeout:g} s (--timeout); try a shorter text"
            ) from None
        except BrokenProcessPool:
            self.checks = self._pool()
            raise HTTPException(503, "a check process stopped (out of memory?); try again") from None

    async def read(self, call: Callable[..., _T], *args: Any) -> _T:
        """A read of the index (listing, search, one document) in a thread."""
        return await asyncio.get_running_loop().run_in_executor(self.reads, functools.partial(call, *args))

    def require_add(self) -> None:
        """Refuse (403) unless the server adds and removes documents."""
        if not self.settings.allow_add:
            raise HTTPException(
                403, "this server does not add or remove documents (start it with --allow-add)"
            )

    async def write(self, call: Callable[..., _T], *args: Any) -> _T:
        """An addition or removal, one at a time; 403 unless the server allows them."""
        self.require_add()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.writes, functools.partial(call, *args))

    async def check_drafts(
        self, uploads: Sequence[StarletteUpload], text: str | None = None, name: str = "draft"
    ) -> CheckResult:
        """Check uploaded files and a pasted text as ``detector check FILES --index INDEX`` would."""
        with _drafts() as drafts:
            for upload in uploads:
                if upload.filename or upload.size:
                    drafts.save(upload.filename, upload.file)
            if text is not None:
                drafts.save_text(text, name)
            if not drafts.names:
                raise HTTPException(400, "give a text or at least one file (.docx, .txt, .md)")
            where = (str(self.archive.path), str(drafts.folder), drafts.names, self.settings.max_bytes)
            result = await self.check(check_folder, *where)
        return _checked(result)

    def close(self) -> None:
        """Stop the pools: checks not begun are dropped; the check processes are waited for."""
        self.reads.shutdown(wait=False, cancel_futures=True)
        self.writes.shutdown(wait=True)
        self.checks.shutdown(wait=True, cancel_futures=True)
        self.reports.close()


# -- guarding every request ----------------------------------------------------------------------


def _host_name(header: str) -> str:
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0]


def _bearer(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def _authorised(request: Request, token: str) -> bool:
    return _same(_bearer(request), token) or _same(request.cookies.get(_TOKEN_COOKIE), token)


def _size_refusal(request: Request, limit: int) -> tuple[int, str] | None:
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        if request.headers.get("transfer-encoding"):
            return 411, "send the request with a Content-Length"
        return None
    if int(length) > limit:
        return 413, f"request is {mib(int(length))} MiB, over --max-size {_limit(limit - _OVERHEAD)} MiB"
    return None


def _origin_refusal(request: Request) -> tuple[int, str] | None:
    origin = request.headers.get("origin")
    if origin is None:
        return None
    host = request.headers.get("host", "")
    if origin.split("://", 1)[-1] != host:
        return 403, "cross-site request refused"
    return None


def _refusal(request: Request, settings: ServeSettings) -> tuple[int, str] | None:
    """Why a request is refused before it is read, or ``None``."""
    if settings.loopback and not is_loopback(_host_name(request.headers.get("host", ""))):
        return 400, "this server answers only requests addressed to the loopback address"
    public = request.url.path in ("/login", "/static/serve.js")
    if settings.token and not public and not _authorised(request, settings.token):
        return 401, "this server needs its token: send Authorization: Bearer TOKEN"
    if request.method not in _UNSAFE:
        return None
    refused = _size_refusal(request, settings.max_bytes + _OVERHEAD) or _origin_refusal(request)
    if refused is None and request.url.path.startswith("/api/documents") and not _scripted(request):
        refused = 403, "send the header X-Detector-Request: 1 with requests that change the archive"
    return refused


def _scripted(request: Request) -> bool:
    """Whether a request carries what a cross-site form cannot: the custom header or a bearer token."""
    return REQUEST_HEADER in request.headers or _bearer(request) is not None


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def _problem(request: Request, status: int, message: str) -> Response:
    """A refusal: ``{"detail": message}`` for the API and scripts, an HTML page for a browser."""
    line = printable(message, newline=False)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if _wants_json(request):
        return JSONResponse({"detail": line}, status, headers=headers)
    if status == 401:
        return HTMLResponse(server_pages.login_page(request.url.path), status, headers=headers)
    return HTMLResponse(server_pages.error_page(status, line), status, headers=headers)


def _status(exc: DetectorError) -> int:
    if isinstance(exc, SourceError):
        return _reason_status(exc.reason)
    if isinstance(exc, ConfigError):
        return 400
    return 503 if isinstance(exc, IndexFileError) else 500


def _install_guard(app: FastAPI, server: _Server) -> None:
    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Any]) -> Response:
        refused = _refusal(request, server.settings)
        csrf = request.cookies.get(_CSRF_COOKIE)
        request.state.csrf = csrf or secrets.token_urlsafe(16)
        response: Response = _problem(request, *refused) if refused is not None else await call_next(request)
        response.headers.update(_HEADERS)
        if response.headers.get("content-type", "").startswith("text/html"):
            response.headers["Content-Security-Policy"] = server.csp
            if csrf is None:
                response.set_cookie(_CSRF_COOKIE, request.state.csrf, httponly=True, samesite="strict")
        return response


_SLOW = "the request's body stopped arriving; send it again"


class _ReadTimeout:
    """ASGI middleware: a request whose body stalls for ``seconds`` is answered 408 and dropped.

    Only the body is timed: once it is read, the application may take as
    long as it needs. The application is then told the client went away,
    and what it sends is dropped.
    """

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        read = refused = False

        async def timed() -> Message:
            nonlocal read, refused
            if read:
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), self.seconds)
            except asyncio.TimeoutError:
                if not refused:
                    refused = True
                    await JSONResponse({"detail": _SLOW}, 408, headers={"Connection": "close"})(
                        scope, receive, send
                    )
                return {"type": "http.disconnect"}
            read = message["type"] != "http.request" or not message.get("more_body", False)
            return message

        async def answer(message: Message) -> None:
            if not refused:
                await send(message)

        await self.app(scope, timed, answer)


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(DetectorError)
    async def detector_error(request: Request, exc: DetectorError) -> Response:
        return _problem(request, _status(exc), str(exc))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return _problem(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()))
        return _problem(request, 422, f"{where}: {first.get('msg', 'invalid request')}")

    @app.exception_handler(MultiPartException)
    async def bad_form(request: Request, exc: MultiPartException) -> Response:
        return _problem(request, 400, exc.message)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        _log.exception("internal error on %s", request.url.path)
        return _problem(request, 500, f"internal error ({type(exc).__name__}); see the server's log")


# -- reading requests ----------------------------------------------------------------------------


async def _read_uploads(
    uploads: Sequence[StarletteUpload], max_bytes: int
) -> tuple[list[Document], list[SourceError]]:
    """Each upload read (empty file inputs skipped), and each one refused with its reason."""
    documents: list[Document] = []
    errors: list[SourceError] = []
    for upload in uploads:
        if not upload.filename and not upload.size:
            continue
        data = await upload.read()
        try:
            documents.append(read_upload(upload.filename, data, max_bytes=max_bytes))
        except SourceError as exc:
            errors.append(exc)
    return documents, errors


def _reason_status(reason: str) -> int:
    """The status of a refused upload: 413 too large, 415 not a type detector reads, else 400."""
    if "over --max-size" in reason:
        return 413
    return 415 if reason.startswith("unsupported file type") else 400


def _refuse_unread(documents: Sequence[Document], errors: Sequence[SourceError]) -> None:
    """With nothing read: 4xx with each upload's one-line reason."""
    if not documents and errors:
        raise HTTPException(_reason_status(errors[0].reason), "; ".join(str(e) for e in errors))
    if not documents:
        raise HTTPException(400, "give at least one file (.docx, .txt, .md)")


def _checked(result: CheckResult) -> CheckResult:
    """A check with at least one report; otherwise 4xx with why no draft could be checked."""
    if not result.reports:
        reasons = "; ".join(f"{path}: {reason}" for path, reason in result.errors) or "nothing to check"
        raise HTTPException(_reason_status(result.errors[0][1] if result.errors else ""), reasons)
    return result


async def _form(request: Request, server: _Server) -> Any:
    """A form post from the page, its token checked (or the script's header)."""
    form = await request.form(max_files=256, max_fields=64, max_part_size=server.settings.max_bytes + 1024)
    sent = form.get("csrf")
    cookie = request.cookies.get(_CSRF_COOKIE)
    if not _scripted(request) and not (isinstance(sent, str) and cookie and _same(sent, cookie)):
        raise HTTPException(
            403, "the form is out of date or from another site; reload the page and try again"
        )
    return form


CheckFormat = Literal["json", "sarif", "html"]
_MEDIA = {"json": "application/json", "sarif": "application/sarif+json", "html": "text/html; charset=utf-8"}


async def _rendered(server: _Server, result: CheckResult | Comparison, fmt: CheckFormat) -> Response:
    """A result in one format (rendered in a thread: a long report takes a while)."""
    render_as = to_json if fmt == "json" else functools.partial(render, format=fmt)
    return Response(await server.read(render_as, result), media_type=_MEDIA[fmt])


class CheckText(BaseModel):
    """A pasted draft."""

    text: str = Field(description="The draft's text.")
    name: str = Field("draft", description="What the report calls it.", max_length=200)


class DiffTexts(BaseModel):
    """Two texts to compare, the older first."""

    a: str = Field(description="The first (older) text.")
    b: str = Field(description="The second text.")
    a_name: str = Field("a", max_length=200)
    b_name: str = Field("b", max_length=200)


FilesParam = Annotated[
    list[UploadFile], File(description="Files: .docx, .txt or .md, any supported encoding.")
]
FormatParam = Annotated[CheckFormat, Query(alias="format", description="json (default), sarif or html.")]


# -- the JSON API --------------------------------------------------------------------------------


def _install_api(app: FastAPI, server: _Server) -> None:
    archive, settings = server.archive, server.settings

    @app.get("/api/health", tags=["archive"])
    async def health() -> dict[str, Any]:
        """Whether the server answers, with the documents in its archive."""
        stats = await server.read(archive.stats)
        return {"status": "ok", "version": __version__, "documents": stats["documents"]}

    @app.get("/api/stats", tags=["archive"])
    async def stats() -> dict[str, Any]:
        """The index's figures, as ``detector index stats --format json`` shows them."""
        return await server.read(archive.stats)

    @app.post("/api/check", tags=["check"], response_class=Response)
    async def check_files(files: FilesParam, fmt: FormatParam = "json") -> Response:
        """Check uploaded drafts; the JSON is ``detector check --index INDEX --format json``'s."""
        return await _rendered(server, await server.check_drafts(files), fmt)

    @app.post("/api/check/text", tags=["check"], response_class=Response)
    async def check_text(body: CheckText, fmt: FormatParam = "json") -> Response:
        """Check a pasted draft; the JSON is ``detector check --index INDEX --format json``'s."""
        return await _rendered(server, await server.check_drafts((), body.text, body.name), fmt)

    @app.post("/api/diff", tags=["check"], response_class=Response)
    async def diff(body: DiffTexts) -> Response:
        """Compare two texts; the JSON is ``detector diff A B --format json``'s."""
        a, b = Document(upload_name(body.a_name), body.a), Document(upload_name(body.b_name), body.b)
        return await _rendered(server, await server.check(compare_texts, a, b), "json")

    @app.get("/api/documents", tags=["archive"])
    async def documents(
        q: Annotated[str, Query(description="Part of a name or text (empty: all).", max_length=1000)] = "",
        limit: Annotated[int, Query(ge=1, le=10000)] = 100,
    ) -> dict[str, Any]:
        """Documents whose name or text holds ``q``, as ``detector index list --format json`` lists them."""
        found, total = await server.read(functools.partial(archive.find, q, limit=limit))
        return {"total": total, "documents": [d.to_dict() for d in found]}

    @app.get("/api/documents/{number}", tags=["archive"])
    async def document(number: int) -> dict[str, Any]:
        """One document: its listing, text, and the documents it shares passages with."""
        found, text, report, _ = await server.read(archive.document, number)
        return {"document": found.to_dict(), "text": text, "shares": report.to_dict()}

    @app.post("/api/documents", tags=["archive"])
    async def add(files: FilesParam) -> dict[str, Any]:
        """Add files to the archive, as ``detector index add`` does (needs ``--allow-add``)."""
        server.require_add()
        documents, errors = await _read_uploads(files, settings.max_bytes)
        _refuse_unread(documents, errors)
        return await server.write(archive.add, documents, errors)

    @app.delete("/api/documents/{number}", tags=["archive"])
    async def remove(number: int) -> dict[str, Any]:
        """Remove a document by id, as ``detector index remove`` does (needs ``--allow-add``)."""
        return await server.write(archive.remove, number)


# -- the pages -----------------------------------------------------------------------------------


def _install_pages(app: FastAPI, server: _Server) -> None:
    archive, settings, reports = server.archive, server.settings, server.reports

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def editor(request: Request) -> str:
        stats = await server.read(archive.stats)
        return server_pages.editor_page(
            request.state.csrf, documents=stats["documents"], max_bytes=settings.max_bytes
        )

    @app.get("/static/serve.js", include_in_schema=False)
    async def script() -> Response:
        return Response(server_pages.SCRIPT, media_type="text/javascript")

    @app.post("/check", include_in_schema=False)
    async def check_page(request: Request) -> Response:
        form = await _form(request, server)
        uploads = [v for v in form.getlist("files") if isinstance(v, StarletteUpload)]
        text, name = form.get("text"), form.get("name")
        pasted = text if isinstance(text, str) and text.strip() else None
        result = await server.check_drafts(uploads, pasted, name if isinstance(name, str) else "draft")
        address = f"/reports/{await server.read(reports.save, result)}"
        if _wants_json(request):
            return JSONResponse({"report": address})
        return RedirectResponse(address, 303)

    @app.get("/reports/{name}", response_class=HTMLResponse, include_in_schema=False)
    async def report(name: str) -> str:
        links = [(f"Download {fmt.upper()}", f"/reports/{name}/report.{fmt}") for fmt in _DOWNLOADS]
        return server_pages.with_toolbar(reports.read(name, "html"), links)

    @app.get("/reports/{name}/report.{fmt}", include_in_schema=False)
    async def download(name: str, fmt: str) -> Response:
        disposition = f'attachment; filename="detector-check.{fmt}"'
        return Response(
            reports.read(name, fmt),
            media_type=_DOWNLOADS.get(fmt),
            headers={"Content-Disposition": disposition},
        )

    @app.get("/archive", response_class=HTMLResponse, include_in_schema=False)
    async def archive_list(request: Request, q: Annotated[str, Query(max_length=1000)] = "") -> str:
        found, total = await server.read(archive.find, q)
        return server_pages.archive_page(
            q,
            [d.to_dict() for d in found],
            total=total,
            csrf=request.state.csrf,
            allow_add=settings.allow_add,
        )

    @app.get("/archive/{number}", response_class=HTMLResponse, include_in_schema=False)
    async def archive_document(request: Request, number: int) -> str:
        found, text, shares, ids = await server.read(archive.document, number)
        return server_pages.document_page(
            found.to_dict(), text, shares, ids, csrf=request.state.csrf, allow_add=settings.allow_add
        )

    @app.get("/archive/{number}/report", include_in_schema=False)
    async def archive_report(number: int) -> Response:
        found, text, _, _ = await server.read(archive.document, number)
        result = await server.check_drafts((), text, Path(found.path).name)
        return RedirectResponse(f"/reports/{await server.read(reports.save, result)}", 303)

    @app.post("/archive/add", response_class=HTMLResponse, include_in_schema=False)
    async def archive_add(request: Request) -> str:
        server.require_add()
        form = await _form(request, server)
        uploads = [v for v in form.getlist("files") if isinstance(v, StarletteUpload)]
        documents, errors = await _read_uploads(uploads, settings.max_bytes)
        return server_pages.add_result_page(await server.write(archive.add, documents, errors))

    @app.post("/archive/{number}/remove", include_in_schema=False)
    async def archive_remove(request: Request, number: int) -> Response:
        server.require_add()
        await _form(request, server)
        await server.write(archive.remove, number)
        return RedirectResponse("/archive", 303)


def _install_login(app: FastAPI, server: _Server) -> None:
    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    async def login_form(next: str = "/") -> str:
        return server_pages.login_page(next)

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=4)
        token, target = form.get("token"), form.get("next")
        place = (
            target
            if isinstance(target, str) and target.startswith("/") and not target.startswith("//")
            else "/"
        )
        if not server.settings.token or not _same(
            token if isinstance(token, str) else None, server.settings.token
        ):
            return HTMLResponse(server_pages.login_page(place, failed=True), 401)
        response = RedirectResponse(place, 303)
        response.set_cookie(_TOKEN_COOKIE, server.settings.token, httponly=True, samesite="strict")
        return response


def create_app(
    index_path: str | os.PathLike[str],
    *,
    allow_add: bool = False,
    token: str | None = None,
    max_size: int = MAX_BYTES,
    timeout: float = 120.0,
    jobs: int = 2,
    loopback: bool = True,
    reports: str | None = None,
) -> FastAPI:
    """The web service over one index file.

    Args:
        index_path: The index file (see ``detector index add``).
        allow_add: Let requests add and remove documents.
        token: The token every request must carry (``None``: none).
        max_size: The most an upload (all its files) or a text may be, in bytes.
        timeout: Seconds a check may run.
        jobs: Check processes (checks run at once).
        loopback: Whether the server listens on loopback only (requests must then
            name a loopback host).
        reports: Folder for the reports checks from the page leave (default: a temporary one).

    Returns:
        The FastAPI application; its OpenAPI description is at ``/openapi.json``.

    Examples:
        >>> import tempfile, os
        >>> from detector import Index
        >>> path = os.path.join(tempfile.mkdtemp(), "a.db")
        >>> Index.create(path).close()
        >>> sorted(r.path for r in create_app(path).routes if r.path.startswith("/api/"))[:3]
        ['/api/check', '/api/check/text', '/api/diff']
    """
    settings = ServeSettings(str(index_path), allow_add, token, max_size, timeout, jobs, loopback, reports)
    return _application(settings)


def _application(settings: ServeSettings) -> FastAPI:
    server = _Server(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        yield
        server.close()

    app = FastAPI(
        title="detector",
        version=__version__,
        description="Check drafts against an archive of speeches and documents; search it; add to it.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    _install_errors(app)
    _install_guard(app, server)
    app.add_middleware(_ReadTimeout, seconds=settings.read_timeout)
    _install_api(app, server)
    _install_pages(app, server)
    _install_login(app, server)
    return app


def app_from_environment() -> FastAPI:
    """The application of :func:`serve`, built in each uvicorn process from ``DETECTOR_SERVE_SETTINGS``."""
    return _application(ServeSettings(**json.loads(os.environ[SETTINGS_ENV])))


def serve(
    index: str | os.PathLike[str],
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    jobs: int = 2,
    allow_add: bool = False,
    token: str | None = None,
    max_size: int = MAX_BYTES,
    timeout: float = 120.0,
) -> None:
    """Serve an index with uvicorn until interrupted.

    Args:
        index: The index file.
        host: Address to listen on; any but a loopback one needs ``token``.
        port: Port to listen on.
        workers: Server processes.
        jobs: Check processes (checks run at once) in each server process.
        allow_add: Let requests add and remove documents.
        token: The token every request must carry.
        max_size: The most an upload or a text may be, in bytes.
        timeout: Seconds a check may run.

    Raises:
        ConfigError: A non-loopback ``host`` without ``token``.
        IndexFileError: The index is missing or damaged.
    """
    import uvicorn

    loopback = is_loopback(host)
    if not loopback and not token:
        raise ConfigError(
            f"--host {host} is reachable from other machines: give --token TOKEN (or DETECTOR_TOKEN) too"
        )
    with Index.open(Path(index)):
        pass
    reports = tempfile.mkdtemp(prefix="detector-serve-reports-")
    settings = ServeSettings(str(index), allow_add, token, max_size, timeout, jobs, loopback, reports)
    os.environ[SETTINGS_ENV] = json.dumps(asdict(replace(settings)))
    try:
        uvicorn.run(
            "detector.server:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            timeout_keep_alive=5,
            timeout_graceful_shutdown=10,
            limit_concurrency=256,
            server_header=False,
        )
    finally:
        shutil.rmtree(reports, ignore_errors=True)
