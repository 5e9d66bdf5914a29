from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from detector import Corpus, Document, Index, read_document
from detector.results import CheckResult

ROOT = Path(__file__).resolve().parent.parent
SPEECHES = ROOT / "data" / "speeches"
CORPORA = Path(os.environ.get("DETECTOR_CORPORA", ROOT.parent / "shared" / "corpora"))


#: The spin pairs the scraped copy 004 has of words of 003.
SEED_SPIN_PAIRS = (
    ("发展", "开展"),
    ("基础", "根底"),
    ("服务", "效劳"),
    ("成本", "本钱"),
    ("原则", "原那么"),
    ("不足", "缺乏"),
    ("部分", "局部"),
    ("多次", "屡次"),
    ("含糊", "模糊"),
    ("动员", "发动"),
    ("氛围", "气氛"),
    ("处罚", "处分"),
)


def seed_check_result() -> CheckResult:
    """Drafts 004 and 000 checked against seeds 001–003, with one input that could not be read."""
    corpus = Corpus()
    corpus.add_many([read_document(seed_path(n)) for n in (1, 2, 3)])
    reports = tuple(corpus.check(read_document(seed_path(n))) for n in (4, 0))
    return CheckResult(reports, (("missing.txt", "no such file or folder"),))


def seed_path(number: int) -> Path:
    (path,) = SPEECHES.glob(f"{number:03d}_*.txt")
    return path


def seed_documents(*numbers: int) -> list[Document]:
    """Seed speeches read as documents."""
    return [read_document(seed_path(n)) for n in numbers]


@pytest.fixture
def index(tmp_path: Path) -> Iterator[Index]:
    """An index of seeds 000–003 in a temporary folder."""
    with Index.create(tmp_path / "speeches.db") as opened:
        opened.add(seed_documents(0, 1, 2, 3))
        yield opened


def seed_text(number: int) -> str:
    return seed_path(number).read_text(encoding="utf-8")


def corpus_folder(name: str) -> Path:
    folder = CORPORA / name
    if not folder.is_dir():
        pytest.skip(f"shared corpus {name} not found at {folder} (set DETECTOR_CORPORA)")
    return folder


@pytest.fixture
def seeds() -> dict[int, str]:
    return {n: seed_text(n) for n in range(5)}
