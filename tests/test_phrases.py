from __future__ import annotations

import numpy as np
import pytest

from detector import ConfigError, normalize
from detector.phrases import StockPhrases, load_phrases

from .conftest import seed_text

FORMULATION = "要严格落实生态环境保护党政同责一岗双责"


def test_bundled_list_holds_the_formulation_normalised():
    phrases = load_phrases()
    assert FORMULATION in phrases
    assert all(p == normalize(p, furniture=False).text for p in phrases)


def test_formulation_masked_in_each_independent_seed():
    model = StockPhrases(load_phrases())
    for number in (0, 1, 2):
        norm = normalize(seed_text(number))
        start = norm.text.index(FORMULATION)
        mask = model.mask(norm.text)
        assert mask[start : start + len(FORMULATION)].all(), number
        assert mask.mean() < 0.2, number


def test_user_file_extends_the_list(tmp_path):
    extra = tmp_path / "mine.txt"
    extra.write_text("# our own\n坚持一张蓝图绘到底，\n\n", encoding="utf-8")
    phrases = load_phrases([extra])
    assert "坚持一张蓝图绘到底" in phrases
    assert load_phrases([extra], defaults=False) == ("坚持一张蓝图绘到底",)


def test_missing_phrase_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_phrases([tmp_path / "nope.txt"])


def _cps(text: str) -> np.ndarray:
    return normalize(text).codepoints()


def test_learned_by_document_frequency_over_families():
    shared = "统筹推进山水林田湖草沙一体化保护"
    texts = [f"第{i}篇独立文字内容各不相同{i}号{shared}另有{i}段结尾话语" for i in "一二三"]
    cps = [_cps(t) for t in texts]
    model = StockPhrases.learn(cps, min_df=3)
    probe = normalize("开头" + shared + "结尾").text
    assert model.mask(probe)[2 : 2 + len(shared)].all()
    # The same three documents as one family of recycled copies: nothing is common.
    assert not StockPhrases.learn(cps, [0, 0, 0], min_df=3).mask(probe).any()
    # Seen in two families only: not common at min_df=3.
    assert not StockPhrases.learn(cps, [0, 1, 1], min_df=3).mask(probe).any()


def test_max_length_leaves_long_shared_runs_unmasked():
    shared = "统筹推进山水林田湖草沙一体化保护和系统治理持续深化重点领域改革"
    cps = [_cps(f"{i}号文件{shared}{i}") for i in range(3)]
    probe = normalize(shared).text
    assert StockPhrases.learn(cps, min_df=3).mask(probe).all()
    assert not StockPhrases.learn(cps, min_df=3, max_length=10).mask(probe).any()


def test_min_df_below_two_refused():
    with pytest.raises(ConfigError):
        StockPhrases.learn([], min_df=1)


def test_partial_copies_of_one_speech_do_not_make_its_sentences_common():
    from detector.config import Config
    from detector.phrases import learn_common

    speech = normalize(seed_text(3)).text
    excerpt = speech[800:1400]
    fillers = [normalize(seed_text(n)).text for n in (0, 1, 2)]
    # Each copy takes the same 600 characters of the speech and adds 400 of its own:
    # most of a copy is in the speech (containment 0.6), little of the speech in it.
    copies = [excerpt + filler[:400] for filler in fillers]
    texts = [np.frombuffer(t.encode("utf-32-le"), dtype=np.uint32) for t in (speech, *copies)]
    model = learn_common(texts, config=Config())
    assert not model.mask(excerpt).any()
    # Three independent speeches sharing a sentence still make it common.
    shared = "要严格落实生态环境保护党政同责一岗双责，压紧压实各方责任"
    independent = [
        np.frombuffer((f[:900] + shared + f[900:1800]).encode("utf-32-le"), np.uint32) for f in fillers
    ]
    assert learn_common(independent, config=Config()).mask(shared).all()
