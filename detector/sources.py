"""Reading documents: files, folders, encodings and .docx.

Text files (``.txt``, ``.md``, ``.markdown``) may be UTF-8, GB18030/GBK or
UTF-16/32 with or without a byte-order mark: a BOM decides first, then strict
UTF-8, then charset-normalizer's detection. ``.docx`` files are read with
python-docx (paragraphs and table cells, one per line), entities unexpanded,
once the sizes their zip members would decompress to are within the limit.
Folders are walked recursively; hidden files and folders (names starting with
``.``) are skipped, and so are files of other types found inside a folder.

A file name that is not valid UTF-8 is shown with its undecodable bytes as
``\\xNN`` (see :func:`display_path`): documents and errors carry only text
that encodes.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

from detector.errors import EmptyDocumentError, SourceError, UnsupportedFileError
from detector.progress import NO_PROGRESS, Progress

__all__ = [
    "DOCUMENT_SUFFIXES",
    "Document",
    "decode_bytes",
    "display_path",
    "find_documents",
    "mib",
    "read_document",
    "read_documents",
]

#: File name suffixes read as documents.
DOCUMENT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".docx"})

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


@dataclass(frozen=True)
class Document:
    """A document's text and where it came from.

    Attributes:
        id: Identifier in a corpus (the path as given, for files, as
            :func:`display_path` shows it).
        text: The decoded text, unchanged.
        path: The file it was read from (as :func:`display_path` shows it),
            or ``None`` for text given directly.
        encoding: The encoding it was decoded from (``"docx"`` for .docx).
    """

    id: str
    text: str
    path: str | None = None
    encoding: str | None = None

    def to_dict(self) -> dict[str, object]:
        """The document's metadata as a plain dict (without the text)."""
        return {"id": self.id, "path": self.path, "encoding": self.encoding, "chars": len(self.text)}


#: Characters that are certainly not control, surrogate, private or unassigned
#: code points; only the others are looked up one by one.
_PLAIN = re.compile(
    "[\t\n\r\f\x20-\x7e\u00a0-\u024f\u2000-\u2bff\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uff00-\uffef]+"
)


def _control_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    rest = _PLAIN.sub("", sample)
    bad = sum(1 for c in rest if unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn") and c not in "\t\n\r\f")
    return bad / len(sample)


_CHINESE = frozenset({"gb18030", "gbk", "gb2312", "hz", "big5", "big5hkscs", "cp950"})


def _gb18030(data: bytes) -> str | None:
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        return None


def _common_hanzi_share(text: str) -> float:
    """Share of non-ASCII characters that are common Chinese characters or punctuation.

    GB2312 orders its characters by frequency class: rows 16–55 hold the
    3,755 most common hanzi, rows 1–3 the punctuation and full-width forms.
    Text decoded with the wrong encoding is mostly made of rarer characters.
    """
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return 1.0
    common = 0
    for c in wide:
        try:
            lead = c.encode("gb2312")[0]
        except UnicodeEncodeError:
            continue
        common += 0xA1 <= lead <= 0xA3 or 0xB0 <= lead <= 0xD7
    return common / len(wide)


def _spaced_hangul(text: str) -> bool:
    """Korean: mostly Hangul syllables, words separated by spaces."""
    wide = [c for c in text if ord(c) > 0x7F]
    hangul = sum(1 for c in wide if "\uac00" <= c <= "\ud7a3")
    return bool(wide) and hangul >= 0.5 * len(wide) and text.count(" ") * 8 >= len(wide)


def decode_bytes(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Decode a text file's bytes, detecting the encoding.

    Args:
        data: The file's content.
        name: Name used in error messages.

    Returns:
        ``(text, encoding)``.

    Raises:
        EmptyDocumentError: The data is empty.
        SourceError: The data is binary or no encoding decodes it.

    Examples:
        >>> decode_bytes("生态环境保护".encode("gb18030"))
        ('生态环境保护', 'gb18030')
        >>> decode_bytes("生态环境保护".encode("utf-16"))[0]
        '生态环境保护'
    """
    if not data:
        raise EmptyDocumentError(name, "empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "")
            except UnicodeDecodeError:
                break
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(data).best()
        if best is None or best.encoding is None:
            if b"\x00" in data[:8192]:
                raise SourceError(name, "binary file, not text; pass .txt, .md or .docx documents") from None
            raise SourceError(
                name, "cannot detect the text encoding; save it as UTF-8 and try again"
            ) from None
        text, encoding = str(best), best.encoding.replace("_", "-")
        if encoding not in _CHINESE:
            # Short Chinese texts are easily taken for Korean or Japanese:
            # GB18030 wins when it decodes strictly into common Chinese.
            alternative = _gb18030(data)
            if (
                alternative is not None
                and _common_hanzi_share(alternative) >= 0.8
                and not _spaced_hangul(text)
            ):
                text, encoding = alternative, "gb18030"
    if _control_share(text) > 0.01:
        raise SourceError(name, "binary file, not text; pass .txt, .md or .docx documents")
    return text, encoding


def display_path(path: str | bytes | os.PathLike[str] | os.PathLike[bytes]) -> str:
    """A path as text that always encodes to UTF-8.

    Bytes of a file name that are not UTF-8 (kept by Python as lone
    surrogates) are written ``\\xNN``; other paths are returned unchanged.

    Examples:
        >>> display_path(os.fsdecode(b"caf\\xe9.txt"))
        'caf\\\\xe9.txt'
        >>> display_path("讲话.txt")
        '讲话.txt'
    """
    text = os.fsdecode(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        data = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        data = text.encode("utf-8", "backslashreplace")
    return data.decode("utf-8", "backslashreplace")


def mib(size: int) -> str:
    """A number of bytes in MiB, with enough digits for small sizes, as error messages give it.

    Examples:
        >>> mib(50 * 1024 * 1024), mib(1536)
        ('50.0', '0.00146')
    """
    value = size / 1024 / 1024
    return f"{value:.1f}" if value >= 10 else f"{value:.3g}"


def _over(what: str, size: int, max_bytes: int, how: str = "") -> str:
    """``"WHAT is N MiB HOW, over --max-size L MiB"``, in bytes where MiB cannot tell them apart."""
    limit = max_bytes / 1024 / 1024
    shown = f"{limit:.3g}" if limit < 1000 else f"{limit:.0f}"
    if float(mib(size)) <= float(shown):
        return f"{what} is {size} bytes{how}, over --max-size {shown} MiB ({max_bytes} bytes)"
    return f"{what} is {mib(size)} MiB{how}, over --max-size {shown} MiB"


#: What python-docx and zipfile raise on a damaged or hostile package.
_DOCX_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    KeyError,
    ValueError,
    AttributeError,
    TypeError,
    IndexError,
    NotImplementedError,
    RuntimeError,
)


def _not_readable(name: str, exc: BaseException) -> SourceError:
    """The error for a .docx that python-docx or zipfile cannot read: the first line of why."""
    lines = str(exc).strip().splitlines()
    detail = lines[0][:200] if lines else exc.__class__.__name__
    return SourceError(name, f"not a readable .docx: {detail}")


def _check_docx_size(path: Path, name: str, max_bytes: int) -> None:
    """Refuse a .docx whose members would decompress to more than ``max_bytes``.

    zipfile never decompresses a member past the size its header declares, so
    the declared sizes bound what reading the package takes.
    """
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
    except _DOCX_ERRORS as exc:
        raise _not_readable(name, exc) from None
    largest = max(members, key=lambda m: m.file_size, default=None)
    if largest is not None and largest.file_size > max_bytes:
        member = largest.filename if largest.filename.isprintable() else repr(largest.filename)
        raise SourceError(name, _over(member, largest.file_size, max_bytes, " uncompressed"))
    total = sum(m.file_size for m in members)
    if total > max_bytes:
        raise SourceError(name, _over("its content", total, max_bytes, " uncompressed"))


def _read_docx(path: Path, name: str, max_bytes: int) -> str:
    import docx  # python-docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    _check_docx_size(path, name, max_bytes)
    try:
        document = docx.Document(str(path))
        lines = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                lines.extend(cell.text for cell in row.cells)
    except (PackageNotFoundError, etree.LxmlError, *_DOCX_ERRORS) as exc:
        raise _not_readable(name, exc) from None
    return "\n".join(lines)


def _os_reason(exc: OSError) -> str:
    """Why a path could not be used, in a few words."""
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return "no such file or folder"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno == errno.EISDIR:
        return "is a folder"
    return f"cannot read: {exc.strerror or exc}"


def read_document(path: str | os.PathLike[str], *, max_bytes: int = 16 * 1024 * 1024) -> Document:
    """Read one document file.

    Args:
        path: A ``.txt``, ``.md`` or ``.docx`` file.
        max_bytes: Refuse larger files, and .docx files whose content would
            decompress to more.

    Returns:
        The :class:`Document`, its id being the path as given (as
        :func:`display_path` shows it).

    Raises:
        SourceError: The file is missing, unreadable, a folder, too large,
            binary, undecodable, of an unsupported type, or empty.
    """
    p = Path(path)
    name = display_path(path)
    try:
        if p.is_dir():
            raise SourceError(name, "is a folder; diff takes two files")
        if p.suffix.lower() not in DOCUMENT_SUFFIXES:
            raise UnsupportedFileError(
                name, f"unsupported file type {p.suffix or '(none)'!r}; detector reads .txt, .md and .docx"
            )
        text, encoding = _read_file(p, name, max_bytes)
    except OSError as exc:
        raise SourceError(name, _os_reason(exc)) from None
    if not text.strip():
        raise EmptyDocumentError(name, "empty file")
    return Document(id=name, text=text, path=name, encoding=encoding)


def _read_file(p: Path, name: str, max_bytes: int) -> tuple[str, str]:
    """``(text, encoding)`` of a document file of a supported type."""
    info = p.stat()
    if not stat.S_ISREG(info.st_mode):
        raise SourceError(name, "not a regular file")
    if info.st_size > max_bytes:
        raise SourceError(name, _over("file", info.st_size, max_bytes))
    if p.suffix.lower() == ".docx":
        return _read_docx(p, name, max_bytes), "docx"
    return decode_bytes(p.read_bytes(), name)


def _hidden(name: str) -> bool:
    return name.startswith(".")


def find_documents(
    paths: Iterable[str | os.PathLike[str]],
) -> tuple[list[Path], list[SourceError]]:
    """Expand files and folders into the document files they hold.

    Folders are walked recursively in sorted order; hidden entries and files
    of other types inside folders are skipped. A path named directly is kept
    whatever its type (reading it reports an unsupported type).

    Args:
        paths: Files and folders.

    Returns:
        ``(files, errors)``: files in a stable order without duplicates, and
        one error per path that does not exist, cannot be searched or listed,
        is a symbolic link loop, or is a folder holding no document.
    """
    files: list[Path] = []
    errors: list[SourceError] = []
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        try:
            folder = stat.S_ISDIR(p.stat().st_mode)
        except OSError as exc:
            errors.append(SourceError(display_path(raw), _os_reason(exc)))
            continue
        if not folder:
            _add(p, files, seen, errors)
            continue
        failed = len(errors)
        found = list(_walk(p, errors))
        if not found and len(errors) == failed:
            errors.append(SourceError(display_path(raw), "no documents (.txt, .md, .docx) in this folder"))
        for f in found:
            _add(f, files, seen, errors)
    return files, errors


def _add(p: Path, files: list[Path], seen: set[Path], errors: list[SourceError]) -> None:
    """Keep ``p`` unless it was kept already; a symbolic link loop is an error."""
    try:
        key = p.resolve()
    except RuntimeError:  # Python < 3.13: "Symlink loop from ..."
        errors.append(SourceError(display_path(p), "symbolic link loop"))
        return
    except OSError as exc:
        errors.append(SourceError(display_path(p), _os_reason(exc)))
        return
    if key not in seen:
        seen.add(key)
        files.append(p)


def _walk(folder: Path, errors: list[SourceError]) -> Iterator[Path]:
    """Document files under ``folder``; a subfolder that cannot be listed adds an error."""

    def failed(exc: OSError) -> None:
        errors.append(SourceError(display_path(exc.filename or folder), _os_reason(exc)))

    for root, dirs, names in os.walk(folder, onerror=failed):
        dirs[:] = sorted(d for d in dirs if not _hidden(d))
        for name in sorted(names):
            if not _hidden(name) and Path(name).suffix.lower() in DOCUMENT_SUFFIXES:
                yield Path(root) / name


def read_documents(
    paths: Iterable[str | os.PathLike[str]],
    *,
    max_bytes: int = 16 * 1024 * 1024,
    progress: Progress = NO_PROGRESS,
) -> tuple[list[Document], list[SourceError]]:
    """Read every document under the given files and folders.

    Unreadable files do not stop the others: each gives one error.

    Args:
        paths: Files and folders.
        max_bytes: Refuse files larger than this.
        progress: Told of each file read.

    Returns:
        ``(documents, errors)``.
    """
    files, errors = find_documents(paths)
    documents: list[Document] = []
    advance = progress.task("reading", len(files))
    for f in files:
        try:
            documents.append(read_document(f, max_bytes=max_bytes))
        except SourceError as exc:
            errors.append(exc)
        advance(1)
    return documents, errors
