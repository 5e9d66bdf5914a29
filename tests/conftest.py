from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEECHES = ROOT / "data" / "speeches"
CORPORA = Path(os.environ.get("DETECTOR_CORPORA", ROOT.parent / "shared" / "corpora"))


def seed_path(number: int) -> Path:
    (path,) = SPEECHES.glob(f"{number:03d}_*.txt")
    return path


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
