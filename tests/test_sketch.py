from __future__ import annotations

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH

from detector import ConfigError, Sketcher, estimate_jaccard, normalize
from detector.scoring import exact_scores
from detector.shingle import shingle_sets

from .conftest import corpus_folder, seed_text


@pytest.fixture(scope="module")
def seed_sets():
    return shingle_sets([normalize(seed_text(k)).codepoints() for k in range(5)], 5)


@pytest.mark.parametrize("seed", [1, 42, 2**31])
@pytest.mark.parametrize("num_perm", [16, 128])
def test_affine32_is_bit_identical_to_datasketch(seed_sets, seed, num_perm):
    sketcher = Sketcher(num_perm=num_perm, seed=seed, scheme="affine32")
    for shingles in seed_sets:
        reference = MinHash(num_perm=num_perm, seed=seed, hashfunc=lambda v: v)
        reference.update_batch([int(v) & 0xFFFFFFFF for v in shingles])
        assert reference.scheme == "affine32"
        assert np.array_equal(sketcher.sketch(shingles), reference.hashvalues)


@pytest.mark.parametrize("scheme", ["oph", "affine32"])
def test_minhash_lsh_accepts_signatures(seed_sets, scheme):
    sketcher = Sketcher(scheme=scheme)
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    signatures = sketcher.sketch_many(seed_sets)
    with lsh.insertion_session() as session:
        for k, sig in enumerate(signatures):
            session.insert(str(k), sketcher.minhash(sig))
    assert sorted(lsh.query(sketcher.minhash(signatures[3]))) == ["3", "4"]
    assert lsh.query(sketcher.minhash(signatures[0])) == ["0"]


def test_oph_estimates_as_well_as_k_permutation():
    """Over pairs spanning the whole Jaccard range, OPH's error matches k-perm MinHash."""
    folder = corpus_folder("cn_xinwenlianbo_2024") / "news"
    texts = [
        normalize(p.read_text(encoding="utf-8")).codepoints()[:3000] for p in sorted(folder.glob("*.md"))[:60]
    ]
    rng = np.random.default_rng(3)
    a_list, b_list = [], []
    for _ in range(150):
        i, j = rng.choice(len(texts), 2, replace=False)
        cut = int(rng.integers(0, 3000))
        a_list.append(texts[i])
        b_list.append(np.concatenate([texts[i][:cut], texts[j][cut:]]))
    sa, sb = shingle_sets(a_list, 5), shingle_sets(b_list, 5)
    exact = np.array([exact_scores(x, y)[0] for x, y in zip(sa, sb, strict=True)])
    assert exact.min() < 0.1 and exact.max() > 0.9
    errors = {}
    for scheme in ("oph", "affine32"):
        sketcher = Sketcher(128, 7, scheme)
        est = (sketcher.sketch_many(sa) == sketcher.sketch_many(sb)).mean(axis=1)
        errors[scheme] = float(np.sqrt(np.mean((est - exact) ** 2)))
    # The standard error of a 128-value estimate is at most 0.5/sqrt(128) = 0.044.
    assert errors["oph"] < 0.05
    assert errors["oph"] < errors["affine32"] * 1.3


def test_densification_fills_every_bin():
    sketcher = Sketcher(num_perm=128)
    few = np.array([11, 22, 33], dtype=np.uint64)
    sig = sketcher.sketch(few)
    assert len(set(sig.tolist())) <= 3
    assert np.all(sig != 0xFFFFFFFF)
    assert estimate_jaccard(sig, sketcher.sketch(few[::-1].copy())) == 1.0


def test_empty_set_and_identical_sets(seed_sets):
    sketcher = Sketcher(num_perm=64)
    assert np.all(sketcher.sketch(np.empty(0, dtype=np.uint64)) == 0xFFFFFFFF)
    batch = sketcher.sketch_many([seed_sets[0], seed_sets[0]])
    assert estimate_jaccard(batch[0], batch[1]) == 1.0


def test_batch_equals_single(seed_sets):
    sketcher = Sketcher()
    batch = sketcher.sketch_many(seed_sets)
    for k, shingles in enumerate(seed_sets):
        assert np.array_equal(batch[k], sketcher.sketch(shingles))


def test_bad_scheme_and_mismatched_signatures():
    with pytest.raises(ConfigError):
        Sketcher(scheme="md5")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        estimate_jaccard(np.zeros(4, np.uint32), np.zeros(8, np.uint32))
