from __future__ import annotations

import importlib
import random
import resource
import subprocess
import sys
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detector import normalize
from detector.align import align

from .conftest import ROOT, seed_text

align_module = importlib.import_module("detector.align")


def _apply(a: str, b: str, opcodes) -> str:
    """Rebuild b from a and the opcodes; checks that they cover both texts."""
    out = []
    a_pos = b_pos = 0
    for op in opcodes:
        assert op.a_start == a_pos and op.b_start == b_pos
        if op.tag == "equal":
            assert a[op.a_start : op.a_end] == b[op.b_start : op.b_end]
        out.append(b[op.b_start : op.b_end])
        a_pos, b_pos = op.a_end, op.b_end
    assert a_pos == len(a) and b_pos == len(b)
    return "".join(out)


def test_seed_pair_alignment_covers_both_texts():
    a, b = (normalize(seed_text(k)).text for k in (3, 4))
    alignment = align(a, b)
    assert _apply(a, b, alignment.opcodes) == b
    assert alignment.anchored > 0.9 * len(a)
    assert alignment.moved == ()


def test_reordered_paragraphs_are_moved():
    paragraphs = [p for p in seed_text(1).split("\n") if len(p) > 80]
    a = normalize("\n".join(paragraphs)).text
    swapped = [paragraphs[-1], *paragraphs[:-1]]
    b = normalize("\n".join(swapped)).text
    alignment = align(a, b)
    assert _apply(a, b, alignment.opcodes) == b
    moved_a = sum(m[1] - m[0] for m in alignment.moved)
    assert moved_a >= len(normalize(paragraphs[-1]).text) * 0.9 or moved_a >= len(a) * 0.5


def test_unrelated_texts_align_little():
    a, b = (normalize(seed_text(k)).text for k in (0, 1))
    alignment = align(a, b)
    assert _apply(a, b, alignment.opcodes) == b
    assert alignment.matched < 0.1 * len(a)


@given(st.text(alphabet="发展基础服务2023年全县*x", max_size=60), st.data())
@settings(max_examples=200, deadline=None)
def test_opcodes_always_rebuild_b(a, data):
    rng = random.Random(data.draw(st.integers(0, 10**6)))
    chars = list(a)
    for _ in range(rng.randint(0, 5)):
        if chars and rng.random() < 0.5:
            del chars[rng.randrange(len(chars))]
        else:
            chars.insert(rng.randint(0, len(chars)), rng.choice("开展根底效劳"))
    b = "".join(chars)
    assert _apply(a, b, align(a, b).opcodes) == b


@given(st.text(alphabet="发展基础服务2023年全县*x", max_size=80), st.data())
@settings(max_examples=200, deadline=None)
def test_windowed_gaps_always_rebuild_b(a, data):
    rng = random.Random(data.draw(st.integers(0, 10**6)))
    b = "".join(c for c in a if rng.random() < 0.8) + rng.choice(["", "开展根底", a[:10]])
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(align_module, "_MAX_CELLS", data.draw(st.integers(1, 400)))
        assert _apply(a, b, align(a, b).opcodes) == b


def test_windowed_alignment_matches_like_whole_one(monkeypatch):
    a, b = (normalize(seed_text(k)).text * 3 for k in (3, 4))
    whole = align(a, b).matched
    monkeypatch.setattr(align_module, "_MAX_CELLS", 1_000_000)
    windowed = align(a, b)
    assert _apply(a, b, windowed.opcodes) == b
    assert windowed.matched >= 0.97 * whole


_REPEATED_CHILD = textwrap.dedent(
    """
    from pathlib import Path
    from detector import normalize
    from detector.align import align

    def repeated(seed, chars):
        text = next(Path("data/speeches").glob(f"{seed:03d}_*.txt")).read_text(encoding="utf-8")
        return normalize((text * (chars // len(text) + 1))[:chars]).text

    a, b = repeated(3, 200_000), repeated(4, 200_000)
    a_pos = b_pos = 0
    for op in align(a, b).opcodes:
        assert (op.a_start, op.b_start) == (a_pos, b_pos)
        assert op.tag != "equal" or a[op.a_start : op.a_end] == b[op.b_start : op.b_end]
        a_pos, b_pos = op.a_end, op.b_end
    assert (a_pos, b_pos) == (len(a), len(b))
    """
)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def test_repetitive_texts_align_in_bounded_memory():
    """200,000 characters of one speech pasted again and again: under 2 GB of address space."""
    run = subprocess.run(
        [sys.executable, "-c", _REPEATED_CHILD],
        cwd=ROOT,
        preexec_fn=_limit_memory,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
