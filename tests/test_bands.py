"""Array banding gives exactly the candidates of datasketch's MinHashLSH."""

from __future__ import annotations

import itertools

import numpy as np
from datasketch import MinHashLSH
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.synthetic import corpus
from detector import Config, Document
from detector.bands import Bands, lsh_bands
from detector.fingerprint import Fingerprinter

from .conftest import corpus_folder, seed_text


def _datasketch_pairs(signatures: np.ndarray, threshold: float) -> set[tuple[int, int]]:
    fingerprinter = Fingerprinter(Config(num_perm=signatures.shape[1]))
    lsh = MinHashLSH(threshold=threshold, num_perm=signatures.shape[1])
    for i, signature in enumerate(signatures):
        lsh.insert(i, fingerprinter.sketcher.minhash(signature))
    found: set[tuple[int, int]] = set()
    for i, signature in enumerate(signatures):
        found.update(
            (min(i, j), max(i, j)) for j in lsh.query(fingerprinter.sketcher.minhash(signature)) if j != i
        )
    return found


def _real_signatures() -> np.ndarray:
    texts = [seed_text(n) for n in range(5)]
    texts += [text for _, text in corpus(120, 1500, seed=4)]
    folder = corpus_folder("cn_xinwenlianbo_2024")
    texts += [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))[:60]]
    prints = Fingerprinter(Config()).batch([Document(str(i), t) for i, t in enumerate(texts)])
    return np.stack([fp.signature for fp in prints if fp is not None])


def test_pairs_equal_datasketch_on_real_and_recycled_texts():
    signatures = _real_signatures()
    config = Config()
    found = Bands.for_threshold(config.lsh_threshold, config.num_perm).pairs(signatures)
    pairs = {(int(i), int(j)) for i, j in found}
    assert pairs == _datasketch_pairs(signatures, config.lsh_threshold)
    assert len(pairs) > 10  # the recycled copies are candidates of their sources
    assert found.tolist() == sorted(found.tolist())


def test_query_equals_datasketch_query():
    signatures = _real_signatures()
    config = Config()
    bands = Bands.for_threshold(config.lsh_threshold, config.num_perm)
    pairs = _datasketch_pairs(signatures, config.lsh_threshold)
    for i in range(0, len(signatures), 7):
        expected = sorted({j for a, b in pairs for j in (a, b) if i in (a, b)} - {i})
        assert [j for j in bands.query(signatures, signatures[i]).tolist() if j != i] == expected


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 40),
    st.integers(0, 3),
    st.sampled_from([0.3, 0.5, 0.8]),
    st.integers(0, 2**32 - 1),
)
def test_pairs_equal_datasketch_on_signatures_sharing_values(count, alphabet, threshold, seed):
    rng = np.random.default_rng(seed)
    signatures = rng.integers(0, 2 + alphabet, size=(count, 64), dtype=np.uint32)
    found = Bands.for_threshold(threshold, 64).pairs(signatures)
    assert {(int(i), int(j)) for i, j in found} == _datasketch_pairs(signatures, threshold)


def test_a_bucket_of_many_gives_every_pair_once():
    signatures = np.zeros((30, 128), dtype=np.uint32)
    found = Bands(*lsh_bands(0.3, 128)).pairs(signatures)
    assert [tuple(p) for p in found.tolist()] == list(itertools.combinations(range(30), 2))


def test_empty_and_single():
    assert Bands(4, 2).pairs(np.empty((0, 8), dtype=np.uint32)).shape == (0, 2)
    assert Bands(4, 2).pairs(np.ones((1, 8), dtype=np.uint32)).shape == (0, 2)
    assert Bands(4, 2).query(np.empty((0, 8), dtype=np.uint32), np.ones(8, dtype=np.uint32)).tolist() == []


def test_bands_known_without_datasketch_are_those_datasketch_picks():
    from detector.bands import _KNOWN

    for (threshold, num_perm), expected in _KNOWN.items():
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        assert (lsh.b, lsh.r) == expected
    assert lsh_bands(0.42, 64) == (lambda lsh: (lsh.b, lsh.r))(MinHashLSH(threshold=0.42, num_perm=64))
