"""Stock phrases: formulations many independent documents share, which are not reuse.

Official texts repeat standard formulations (提法) such as
要严格落实生态环境保护党政同责一岗双责. A checker that calls them plagiarism
is useless, so matches made of them are shown as common phrases and left out
of every score. Two sources feed the model:

* a list of standard formulations (``resources/stock_phrases.txt``, one per
  line), which users extend with files of their own;
* phrases learned from the corpus: character k-grams found in at least
  ``min_df`` document families (documents joined as recycled or partial copies count
  once, so a speech and its copies never make each other's text common).
  Optionally, runs of learned k-grams longer than ``max_length`` characters
  are treated as shared passages rather than phrases and are not masked.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

from detector.arrays import member, runs
from detector.bands import Bands
from detector.components import DisjointSets
from detector.config import Config
from detector.errors import ConfigError
from detector.fingerprint import Fingerprinter
from detector.normalize import normalize
from detector.scoring import exact_scores
from detector.scripts import SPACED_PASSAGE_FACTOR, spaced_codepoints
from detector.shingle import shingle_hashes

__all__ = ["LEARN_SAMPLE", "StockPhrases", "families", "learn_common", "load_phrases", "sample_key"]


def _parse(text: str) -> list[str]:
    phrases = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        folded = normalize(line, furniture=False).text
        if folded:
            phrases.append(folded)
    return phrases


@functools.cache
def _bundled() -> tuple[str, ...]:
    text = resources.files("detector.resources").joinpath("stock_phrases.txt").read_text("utf-8")
    return tuple(_parse(text))


def load_phrases(extra: Iterable[str | Path] = (), *, defaults: bool = True) -> tuple[str, ...]:
    """The bundled standard formulations plus those of extra files, normalised.

    Args:
        extra: Files with one phrase per line (``#`` starts a comment line).
        defaults: Include the bundled list.

    Returns:
        The phrases, normalised for matching, without duplicates.

    Raises:
        ConfigError: A file is missing or not UTF-8 text.

    Examples:
        >>> "要严格落实生态环境保护党政同责一岗双责" in load_phrases()
        True
    """
    phrases = list(_bundled()) if defaults else []
    for path in extra:
        try:
            phrases.extend(_parse(Path(path).read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise ConfigError(f"{path}: phrase file not found") from None
        except UnicodeDecodeError:
            raise ConfigError(f"{path}: phrase file is not UTF-8 text") from None
    return tuple(dict.fromkeys(phrases))


@dataclass(frozen=True, eq=False)
class StockPhrases:
    """A model of what is common: listed phrases and k-grams learned from a corpus.

    Args:
        phrases: Normalised phrases (see :func:`load_phrases`).
        learned: Sorted uint64 hashes of k-grams found in many documents.
        k: Length of the learned k-grams of text without spaces between
            words (Chinese); text written with spaces (English) is learned in
            k-grams :data:`~detector.scripts.SPACED_PASSAGE_FACTOR` times as
            long, about as many words (see :mod:`detector.scripts`).
        max_length: Longest run of learned k-grams that still counts as a phrase.

    Examples:
        >>> from detector import normalize
        >>> model = StockPhrases(load_phrases())
        >>> text = normalize("我们要严格落实生态环境保护党政同责一岗双责。").text
        >>> int(model.mask(text).sum())
        19
    """

    phrases: tuple[str, ...] = ()
    learned: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.uint64))
    k: int = 8
    max_length: int | None = None

    @functools.cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        if not self.phrases:
            return None
        ordered = sorted(self.phrases, key=len, reverse=True)
        return re.compile("(?=(" + "|".join(re.escape(p) for p in ordered) + "))")

    @classmethod
    def learn(
        cls,
        texts: Sequence[np.ndarray],
        families: Sequence[int] | None = None,
        *,
        phrases: Sequence[str] = (),
        k: int = 8,
        min_df: int = 3,
        max_length: int | None = None,
    ) -> StockPhrases:
        """Learn the k-grams found in at least ``min_df`` document families.

        Args:
            texts: Normalised documents as code-point arrays.
            families: Family number of each document (recycled and partial copies share
                one); default: every document its own family.
            phrases: Listed phrases to keep beside the learned ones.
            k: k-gram length (times :data:`~detector.scripts.SPACED_PASSAGE_FACTOR`
                for a document written with spaces).
            min_df: Number of families a k-gram must occur in to be common.
            max_length: Longest run of learned k-grams that is still a phrase
                (``None``: no limit).

        Returns:
            A new model.
        """
        if min_df < 2:
            raise ConfigError(f"min_df must be at least 2, got {min_df}")
        if families is None:
            families = range(len(texts))
        per_family: dict[int, list[np.ndarray]] = {}
        for cps, family in zip(texts, families, strict=True):
            size = _unit(cps, k)
            if len(cps) >= size:
                per_family.setdefault(family, []).append(shingle_hashes(cps, size))
        if len(per_family) < min_df:
            return cls(tuple(phrases), np.empty(0, dtype=np.uint64), k, max_length)
        unique = [np.unique(np.concatenate(hashes)) for hashes in per_family.values()]
        values, counts = np.unique(np.concatenate(unique), return_counts=True)
        return cls(tuple(phrases), values[counts >= min_df], k, max_length)

    def with_phrases(self, phrases: Sequence[str]) -> StockPhrases:
        """A copy with more listed phrases."""
        listed = tuple(dict.fromkeys((*self.phrases, *phrases)))
        return StockPhrases(listed, self.learned, self.k, self.max_length)

    def mask(self, text: str, codepoints: np.ndarray | None = None) -> np.ndarray:
        """Which characters of a normalised text belong to common phrases.

        Args:
            text: Normalised text.
            codepoints: The same text as code points (computed when omitted).

        Returns:
            Boolean array, one value per character.
        """
        listed, learned = self.masks(text, codepoints)
        return listed | learned

    def masks(self, text: str, codepoints: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Characters inside listed phrases, and inside learned ones.

        Args:
            text: Normalised text.
            codepoints: The same text as code points (computed when omitted).

        Returns:
            ``(listed, learned)``: two boolean arrays, one value per character.
        """
        covered = np.zeros(len(text) + 1, dtype=np.int64)
        pattern = self._pattern
        if pattern is not None:
            for m in pattern.finditer(text):
                covered[m.start()] += 1
                covered[m.start() + len(m.group(1))] -= 1
        listed = np.cumsum(covered)[: len(text)] > 0
        if codepoints is None:
            codepoints = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        size = _unit(codepoints, self.k)
        if len(self.learned) == 0 or len(text) < size:
            return listed, np.zeros(len(text), dtype=bool)
        hashes = shingle_hashes(codepoints, size)
        common = member(self.learned, hashes)
        delta = np.zeros(len(text) + 1, dtype=np.int64)
        starts = np.flatnonzero(common)
        np.add.at(delta, starts, 1)
        np.add.at(delta, starts + size, -1)
        learned = np.cumsum(delta)[: len(text)] > 0
        if self.max_length is not None and learned.any():
            for start, end in runs(learned):
                if end - start > self.max_length:
                    learned[start:end] = False
        return listed, learned


def _unit(codepoints: np.ndarray, k: int) -> int:
    """The k-gram length common phrases of a text are learned and found in."""
    return k * SPACED_PASSAGE_FACTOR if spaced_codepoints(codepoints) else k


#: Largest number of documents common phrases are learned from; larger
#: corpora are sampled (by content, so the same documents give the same sample).
LEARN_SAMPLE = 2000


def _families(texts: Sequence[np.ndarray], config: Config) -> list[int]:
    """Family number of each text: texts joined by recycled or partial pairs share one."""
    return families(*Fingerprinter(config).sketch(texts), config)


def families(shingles: Sequence[np.ndarray], signatures: np.ndarray, config: Config) -> list[int]:
    """Family number of each document, from its n-gram set and signature: recycled or partial pairs share one.

    A pair is joined when its Jaccard similarity reaches ``recycled_threshold``
    or either containment reaches ``partial_threshold``, the verdicts
    ``recycled`` and ``partial`` of a scan: a speech and the documents that
    take most of their text from it are one family, so the sentences they
    carry along are not common phrases.

    Args:
        shingles: Each document's n-gram set.
        signatures: Their signatures, one row each.
        config: Settings (``recycled_threshold``, ``partial_threshold``, ``lsh_threshold``, ``num_perm``).

    Returns:
        For each document, the position of the first document of its family.
    """
    sets: DisjointSets[int] = DisjointSets(range(len(shingles)))
    for a, b in Bands.for_threshold(config.lsh_threshold, config.num_perm).pairs(signatures).tolist():
        if sets.find(a) == sets.find(b):
            continue
        similarity, a_in_b, b_in_a = exact_scores(shingles[a], shingles[b])
        if similarity >= config.recycled_threshold or max(a_in_b, b_in_a) >= config.partial_threshold:
            sets.union(a, b)
    return [sets.find(n) for n in range(len(shingles))]


def sample_key(codepoints: np.ndarray) -> int:
    """Where a document falls in the content sample common phrases are learned from.

    The ``LEARN_SAMPLE`` documents with the smallest keys are the sample.
    """
    if len(codepoints) == 0:
        return 0
    return int(shingle_hashes(codepoints[:64], 8)[0] >> np.uint64(1))


def learn_common(
    texts: Sequence[np.ndarray],
    families: Sequence[int] | None = None,
    *,
    config: Config,
    phrases: Sequence[str] = (),
    sample: int = LEARN_SAMPLE,
) -> StockPhrases:
    """Learn the common phrases of a corpus, as :meth:`StockPhrases.learn` does.

    Corpora of more than ``sample`` documents are sampled by content. Document
    families are found here when not given: documents whose n-gram sets reach
    ``config.recycled_threshold`` Jaccard similarity, or ``config.partial_threshold``
    containment either way, share one.

    Args:
        texts: Normalised documents as code-point arrays.
        families: Family number of each document (computed when omitted).
        config: Settings (``common_df``, ``ngram``, ``num_perm``, thresholds).
        phrases: Listed phrases to keep beside the learned ones.
        sample: Largest number of documents to learn from.

    Returns:
        The model.
    """
    chosen = list(range(len(texts)))
    if len(texts) > sample:
        keys = [sample_key(cps) for cps in texts]
        chosen = sorted(sorted(chosen, key=lambda n: (keys[n], n))[:sample])
        families = None
    picked = [texts[n] for n in chosen]
    if families is None:
        families = _families(picked, config)
    return StockPhrases.learn(picked, families, phrases=phrases, min_df=config.common_df)
