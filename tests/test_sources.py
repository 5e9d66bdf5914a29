from __future__ import annotations

import errno
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detector import (
    EmptyDocumentError,
    SourceError,
    UnsupportedFileError,
    read_document,
    read_documents,
)
from detector.cli import app
from detector.sources import decode_bytes, display_path, find_documents

from .conftest import ROOT, seed_path, seed_text

TEXT = seed_text(3)
ENV = {"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("utf-8", TEXT.encode("utf-8")),
        ("utf-8", b"\xef\xbb\xbf" + TEXT.encode("utf-8")),
        ("gb18030", TEXT.encode("gb18030")),
        ("gb18030", TEXT.encode("gbk")),
        ("utf-16", TEXT.encode("utf-16")),
        ("utf-16", b"\xfe\xff" + TEXT.encode("utf-16-be")),
        ("utf-16-le", TEXT.encode("utf-16-le")),
        ("utf-16-be", TEXT.encode("utf-16-be")),
        ("utf-32", TEXT.encode("utf-32")),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "gbk", "utf16-bom-le", "utf16-bom-be", "utf16le", "utf16be", "utf32"],
)
def test_encodings_decode_without_mojibake(tmp_path, encoding, data):
    path = tmp_path / "speech.txt"
    path.write_bytes(data)
    doc = read_document(path)
    assert doc.text == TEXT
    assert doc.encoding == encoding


def test_short_gbk_paragraph():
    text = "要严格落实生态环境保护党政同责一岗双责，坚决打赢污染防治攻坚战。"
    assert decode_bytes(text.encode("gbk")) == (text, "gb18030")


def test_docx(tmp_path):
    import docx

    document = docx.Document()
    for paragraph in TEXT.split("\n")[:5]:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=1, cols=1)
    table.rows[0].cells[0].text = "表格内容"
    path = tmp_path / "speech.docx"
    document.save(str(path))
    doc = read_document(path)
    assert doc.text == "\n".join([*TEXT.split("\n")[:5], "表格内容"])
    assert doc.encoding == "docx"


def test_bad_docx(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(SourceError, match=r"broken\.docx: not a readable \.docx: File is not a zip file"):
        read_document(path)


def test_empty_and_whitespace(tmp_path):
    for content in (b"", b"  \n\t\n"):
        path = tmp_path / "empty.txt"
        path.write_bytes(content)
        with pytest.raises(EmptyDocumentError, match="empty.txt: empty file"):
            read_document(path)


def test_binary(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(SourceError, match="image.txt: binary file"):
        read_document(path)


def test_missing_and_folder_and_unsupported(tmp_path):
    with pytest.raises(SourceError, match="no such file"):
        read_document(tmp_path / "missing.txt")
    with pytest.raises(UnsupportedFileError, match="unsupported file type '.pdf'"):
        read_document(tmp_path / "speech.pdf")


def test_too_large(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 2048)
    with pytest.raises(SourceError, match=r"big.txt: file is 0\.00195 MiB, over --max-size 0\.000977 MiB$"):
        read_document(path, max_bytes=1024)
    with pytest.raises(
        SourceError, match=r"file is 2048 bytes, over --max-size 0\.00195 MiB \(2047 bytes\)$"
    ):
        read_document(path, max_bytes=2047)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_permission_denied(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("内容", encoding="utf-8")
    path.chmod(0)
    with pytest.raises(SourceError, match="permission denied"):
        read_document(path)


def test_folders_walked_recursively_hidden_skipped(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / "a" / "one.txt").write_text("一", encoding="utf-8")
    (tmp_path / "a" / "b" / "two.md").write_text("二", encoding="utf-8")
    (tmp_path / "a" / ".hidden.txt").write_text("隐", encoding="utf-8")
    (tmp_path / ".git" / "config.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a" / "image.png").write_bytes(b"\x89PNG")
    files, errors = find_documents([tmp_path, tmp_path / "a" / "one.txt", tmp_path / "nope"])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["a/one.txt", "a/b/two.md"]
    assert [str(e) for e in errors] == [f"{tmp_path / 'nope'}: no such file or folder"]


def test_read_documents_keeps_going(tmp_path):
    (tmp_path / "good.txt").write_text(TEXT, encoding="gb18030")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "empty_folder").mkdir()
    docs, errors = read_documents([tmp_path, tmp_path / "empty_folder"])
    assert [d.text for d in docs] == [TEXT]
    assert sorted(e.reason for e in errors) == [
        "empty file",
        "no documents (.txt, .md, .docx) in this folder",
    ]


def scan(*args: str | Path):
    """``detector scan ARGS -f json`` through the real command line."""
    return CliRunner().invoke(app, ["scan", *map(str, args), "-f", "json", "-q"], env=ENV)


def copy_seeds(folder: Path) -> Path:
    """Seeds 003 and 004, a recycled pair, copied into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in (3, 4):
        shutil.copy(seed_path(n), folder / f"{n:03d}.txt")
    return folder


W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
PARAGRAPH = "<w:p><w:r><w:t>讲话</w:t></w:r></w:p>".encode()
LAUGHS = b"".join(
    [b'<!DOCTYPE w:document [<!ENTITY a0 "lollollollollollollollollol">']
    + [b'<!ENTITY a%d "%s">' % (i, b"&a%d;" % (i - 1) * 10) for i in range(1, 10)]
    + [b"]>"]
)


def body(inner: bytes, doctype: bytes = b"", end: bytes = b"</w:body></w:document>") -> bytes:
    return b'<?xml version="1.0"?>' + doctype + b"<w:document " + W + b"><w:body>" + inner + end


def make_docx(path: Path, document_xml: bytes, extra: dict[str, bytes] | None = None) -> Path:
    """A python-docx package whose ``word/document.xml`` is replaced, with extra members."""
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(
                info.filename, document_xml if info.filename == "word/document.xml" else source.read(info)
            )
        for name, data in (extra or {}).items():
            out.writestr(name, data)
    return path


BOMB_PARAGRAPHS = 24 * 1024 * 1024 // len(PARAGRAPH)

#: Hostile or damaged .docx files and the start of the reason each is refused for.
BAD_DOCX = {
    "malformed.docx": (lambda: body(PARAGRAPH, end=b"<w:p>"), "not a readable .docx: "),
    "laughs.docx": (lambda: body(b"<w:p><w:r><w:t>&a9;</w:t></w:r></w:p>", LAUGHS), "not a readable .docx: "),
    "node.docx": (
        lambda: body(b"<w:p><w:r><w:t>" + b"a" * 11_000_000 + b"</w:t></w:r></w:p>"),
        "not a readable .docx: ",
    ),
    "bomb.docx": (
        lambda: body(PARAGRAPH * BOMB_PARAGRAPHS),
        "word/document.xml is 24.0 MiB uncompressed, over --max-size 16 MiB",
    ),
}


@pytest.fixture(scope="module")
def bad_docx(tmp_path_factory) -> dict[Path, str]:
    """The files of :data:`BAD_DOCX` and one whose parts add up to too much, by reason."""
    folder = tmp_path_factory.mktemp("docx")
    made = {make_docx(folder / name, build()): reason for name, (build, reason) in BAD_DOCX.items()}
    media = {f"word/media/image{n}.png": bytes(9 * 1024 * 1024) for n in (1, 2)}
    parts = make_docx(folder / "parts.docx", body(PARAGRAPH), media)
    with zipfile.ZipFile(parts) as package:
        total = sum(member.file_size for member in package.infolist()) / 1024 / 1024
    assert 18 < total < 19
    made[parts] = f"its content is {total:.1f} MiB uncompressed, over --max-size 16 MiB"
    return made


def test_hostile_docx_refused(bad_docx):
    for path, reason in bad_docx.items():
        assert path.stat().st_size < 1024 * 1024, path
        with pytest.raises(SourceError) as caught:
            read_document(path)
        assert caught.value.path == str(path)
        assert caught.value.reason.startswith(reason), caught.value.reason
        assert "\n" not in caught.value.reason


def test_hostile_docx_one_line_each_others_scanned(bad_docx, tmp_path):
    folder = copy_seeds(tmp_path / "corpus")
    for path in bad_docx:
        shutil.copy(path, folder / path.name)
    result = scan(folder)
    assert result.exit_code == 2, result.output
    lines = sorted(result.stderr.splitlines())
    expected = sorted((f"error: {folder / p.name}: ", reason) for p, reason in bad_docx.items())
    assert len(lines) == len(expected)
    for line, (prefix, reason) in zip(lines, expected, strict=True):
        assert line.startswith(prefix + reason), line
    assert json.loads(result.stdout)["documents"] == 2
    assert "Traceback" not in result.output


def test_sizes_in_the_unit_of_the_option(tmp_path):
    folder = copy_seeds(tmp_path / "corpus")
    with open(folder / "big.txt", "wb") as big:
        big.truncate(54_950_000)
    result = scan(folder)
    assert result.exit_code == 2
    assert result.stderr == f"error: {folder / 'big.txt'}: file is 52.4 MiB, over --max-size 16 MiB\n"
    assert json.loads(result.stdout)["documents"] == 2
    (tmp_path / "small.txt").write_bytes(b"a" * 10240)
    result = scan(tmp_path / "small.txt", "--max-size", "0.005")
    assert result.exit_code == 2
    assert (
        result.stderr == f"error: {tmp_path / 'small.txt'}: file is 0.00977 MiB, over --max-size 0.005 MiB\n"
    )


def test_symlink_loops_reported_others_scanned(tmp_path):
    folder = copy_seeds(tmp_path / "corpus")
    (folder / "loop.txt").symlink_to("loop.txt")
    (folder / "up").symlink_to("..")
    (tmp_path / "named.md").symlink_to("named.md")
    result = scan(folder, tmp_path / "named.md")
    assert result.exit_code == 2, result.output
    assert sorted(result.stderr.splitlines()) == [
        f"error: {folder / 'loop.txt'}: symbolic link loop",
        f"error: {tmp_path / 'named.md'}: symbolic link loop",
    ]
    assert json.loads(result.stdout)["documents"] == 2


def test_diff_of_a_folder(tmp_path):
    result = CliRunner().invoke(app, ["diff", str(tmp_path), str(seed_path(3))], env=ENV)
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path}: is a folder; diff takes two files\n"


def as_nobody() -> list[str]:
    """The command prefix that runs a child as user nobody when this process is root."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("root reads any folder and setpriv, to run a child as user nobody, is missing")
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]


def test_unsearchable_and_unlistable_folders():
    with tempfile.TemporaryDirectory() as name:
        base = Path(name)
        base.chmod(0o755)
        corpus = copy_seeds(base / "corpus")
        (corpus / "denied").mkdir()
        (corpus / "denied" / "hidden.txt").write_text(TEXT, encoding="utf-8")
        (base / "locked").mkdir()
        (base / "locked" / "a.txt").write_text(TEXT, encoding="utf-8")
        for folder in (corpus / "denied", base / "locked"):
            folder.chmod(0)
        try:
            result = run_denied(base, corpus, base / "locked" / "a.txt")
        finally:
            for folder in (corpus / "denied", base / "locked"):
                folder.chmod(0o755)
    assert result.returncode == 2, result.stderr
    assert sorted(result.stderr.splitlines()) == [
        f"error: {base / 'corpus' / 'denied'}: permission denied",
        f"error: {base / 'locked' / 'a.txt'}: permission denied",
    ]
    assert json.loads(result.stdout)["documents"] == 2


def run_denied(base: Path, *paths: Path) -> subprocess.CompletedProcess[str]:
    """``detector scan PATHS`` in a child that is denied the folders of mode 0, or a skip."""
    env = {**ENV, "PATH": os.environ.get("PATH", ""), "HOME": str(base), "PYTHONDONTWRITEBYTECODE": "1"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [*as_nobody(), sys.executable, *args]
        return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    probe = run("-c", "import os, sys; os.listdir(sys.argv[1])", str(base / "locked"))
    if probe.returncode == 0 or "PermissionError" not in probe.stderr:
        pytest.skip(
            f"cannot make a folder unreadable here: {probe.stderr.strip()[-200:] or 'listing it worked'}"
        )
    return run("-c", "from detector.cli import main; main()", "scan", *map(str, paths), "-f", "json", "-q")


@pytest.mark.skipif(sys.platform != "linux", reason="only Linux file names may be any bytes")
def test_file_names_not_utf8(tmp_path):
    folder = os.fsencode(tmp_path)
    for raw, n in ((b"caf\xe9-003.txt", 3), (b"\xb2\xe2\xca\xd4-004.txt", 4)):
        shutil.copy(os.fsencode(seed_path(n)), os.path.join(folder, raw))
    (tmp_path / os.fsdecode(b"empty-\xff.txt")).write_bytes(b"")
    docs, errors = read_documents([tmp_path])
    assert sorted(Path(d.id).name for d in docs) == ["\\xb2\\xe2\\xca\\xd4-004.txt", "caf\\xe9-003.txt"]
    assert [d.path for d in docs] == [d.id for d in docs]
    assert [str(e) for e in errors] == [f"{tmp_path}/empty-\\xff.txt: empty file"]
    json.dumps([d.to_dict() for d in docs], ensure_ascii=False).encode("utf-8")
    html = tmp_path / "scan.html"
    result = scan(tmp_path, "--html", html)
    assert result.exit_code == 2, result.output
    assert result.stderr == f"error: {tmp_path}/empty-\\xff.txt: empty file\n"
    assert "caf\\xe9-003.txt" in html.read_text(encoding="utf-8")


def test_display_path():
    assert display_path(os.fsdecode(b"/tmp/caf\xe9.txt")) == "/tmp/caf\\xe9.txt"
    assert display_path(b"/tmp/\xe8\xae\xb2\xff.txt") == "/tmp/讲\\xff.txt"
    assert display_path(Path("讲话.txt")) == "讲话.txt"
    assert display_path("\ud800.txt") == "\\ud800.txt"
    assert errno.ELOOP  # the loop test relies on the platform reporting ELOOP
