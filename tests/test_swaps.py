from __future__ import annotations

import pytest

from detector import ConfigError
from detector.swaps import load_lexicon

from .conftest import SEED_SPIN_PAIRS


def test_bundled_lexicon_has_the_known_pairs():
    lexicon = load_lexicon()
    for old, new in SEED_SPIN_PAIRS:
        assert (old, new) in lexicon and (new, old) in lexicon


def test_segment_splits_runs_of_spins():
    lexicon = load_lexicon()
    assert lexicon.segment("不足基础", "缺乏根底") == [(0, 2, 0, 2), (2, 4, 2, 4)]
    assert lexicon.segment("发展x", "开展y") is None


def test_extra_lexicon(tmp_path):
    extra = tmp_path / "mine.tsv"
    extra.write_text("# mine\n表示\t指出\n", encoding="utf-8")
    assert ("指出", "表示") in load_lexicon([extra])
    bad = tmp_path / "bad.tsv"
    bad.write_text("表示 指出\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.tsv:1"):
        load_lexicon([bad])
    with pytest.raises(ConfigError, match="not found"):
        load_lexicon([tmp_path / "missing.tsv"])
