from __future__ import annotations

import os

import pytest

from detector import (
    EmptyDocumentError,
    SourceError,
    UnsupportedFileError,
    read_document,
    read_documents,
)
from detector.sources import decode_bytes, find_documents

from .conftest import seed_text

TEXT = seed_text(3)


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
    with pytest.raises(SourceError, match=r"broken\.docx: not a valid \.docx file"):
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
    with pytest.raises(SourceError, match=r"big.txt: file is too large \(0.0 MB > 0.0 MB\)"):
        read_document(path, max_bytes=1024)


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
