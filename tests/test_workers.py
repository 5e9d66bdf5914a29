"""Work spread over processes: results in order, and the same for any number of jobs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.recycle import recycle
from benchmarks.synthetic import corpus, write
from detector.workers import MAX_WORKERS, MIN_PER_WORKER, cores, ordered_map, workers


def _square_all(numbers: list[int]) -> tuple[list[int], int]:
    return [n * n for n in numbers], os.getpid()


def _fail(numbers: list[int]) -> int:
    if 13 in numbers:
        raise ValueError("thirteen")
    return len(numbers)


def test_results_come_back_in_order_from_other_processes():
    batches = [list(range(start, start + 5)) for start in range(0, 200, 5)]
    done = list(ordered_map(_square_all, iter(batches), 2, lambda batch: (batch,)))
    assert [batch for batch, _ in done] == batches
    assert [squares for _, (squares, _) in done] == [[n * n for n in batch] for batch in batches]
    assert {pid for _, (_, pid) in done} - {os.getpid()}


def test_one_job_runs_here():
    done = list(ordered_map(_square_all, [[1, 2]], 1, lambda batch: (batch,)))
    assert done == [([1, 2], ([1, 4], os.getpid()))]


def test_an_error_in_a_worker_reaches_the_caller():
    with pytest.raises(ValueError, match="thirteen"):
        list(ordered_map(_fail, [[1], [13], [2]], 2, lambda batch: (batch,), prepare=lambda: _fail([0])))


def test_default_number_of_workers():
    assert workers(3, 10) == 3
    assert workers(0, 10) == 1
    assert workers(0, 10**7) == min(cores(), MAX_WORKERS)
    assert workers(0, 2 * MIN_PER_WORKER) == min(cores(), 2)


def _detector(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "detector.cli", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("archive")
    write(folder, corpus(700, 1200, seed=8))
    return folder


@pytest.fixture(scope="module")
def drafts(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("drafts")
    made = []
    for number, source in enumerate(sorted(archive.glob("*.txt"))[100:103]):
        draft = folder / f"draft{number}.txt"
        draft.write_text(recycle(source.read_text(encoding="utf-8"), seed=number).text, encoding="utf-8")
        made.append(draft)
    return made


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_scan_gives_the_same_answer_for_one_and_two_jobs(archive, tmp_path):
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"scan{jobs}.json"
        done = _detector("scan", str(archive), "-q", "-f", "json", "-o", str(out), "--jobs", jobs)
        assert done.returncode == 0, done.stderr
        outputs.append(_json(out))
    assert outputs[0] == outputs[1]
    assert outputs[0]["pairs"] and outputs[0]["groups"]


def test_check_against_gives_the_same_answer_for_one_and_two_jobs(archive, drafts, tmp_path):
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"check{jobs}.json"
        done = _detector(
            "check",
            *map(str, drafts),
            "--against",
            str(archive),
            "-q",
            "-f",
            "json",
            "-o",
            str(out),
            "-j",
            jobs,
        )
        assert done.returncode == 0, done.stderr
        outputs.append(_json(out))
    assert outputs[0] == outputs[1]
    assert all(draft["near_duplicates"] for draft in outputs[0]["drafts"])


def test_index_add_gives_the_same_index_for_one_and_two_jobs(archive, drafts, tmp_path):
    outputs = []
    for jobs in ("1", "2"):
        index = tmp_path / f"index{jobs}.db"
        done = _detector("index", "add", str(index), str(archive), "-q", "--jobs", jobs)
        assert done.returncode == 0, done.stderr
        out = tmp_path / f"indexed{jobs}.json"
        done = _detector(
            "check", *map(str, drafts), "--index", str(index), "-q", "-f", "json", "-o", str(out)
        )
        assert done.returncode == 0, done.stderr
        outputs.append(_json(out))
    assert outputs[0] == outputs[1]
