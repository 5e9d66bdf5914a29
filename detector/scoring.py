"""Pair scoring: exact scores, the verdict, ranking and grouping, defined once.

Every engine (the in-memory corpus, the on-disk index, the Spark job and
``detector diff``) scores a pair of documents here, so a pair has the same
figures under the same names wherever it is shown:

``similarity``          exact Jaccard similarity of the two n-gram sets in the
                        matching form (disguise undone, as the settings say)
``raw_similarity``      the same for the normalised texts as written
``estimated``           the similarity estimated from the MinHash signatures
``containment_a_in_b``  share of the first document's n-grams found in the second
``containment_b_in_a``  share of the second document's n-grams found in the first
``verdict``             ``recycled``, ``partial`` or ``none`` (:func:`judge`)

Examples:
    >>> from detector import Config, Document
    >>> from detector.fingerprint import Fingerprinter
    >>> step = Fingerprinter(Config())
    >>> text = "坚决打赢2022年污染防治攻坚战，系统提升我县城乡人居环境。"
    >>> a = step.one(Document("a", text))
    >>> b = step.one(Document("b", text.replace("2022", "2023")))
    >>> scores = PairScorer(step).score(a, b)
    >>> scores.verdict, round(scores.similarity, 3)
    ('recycled', 0.655)
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import numpy as np

from detector.components import DisjointSets
from detector.config import Config
from detector.fingerprint import Fingerprint, Fingerprinter
from detector.sketch import estimate_jaccard

if TYPE_CHECKING:
    from detector.results import Match, Pair

__all__ = [
    "VERDICTS",
    "PairScorer",
    "Scores",
    "Verdict",
    "exact_scores",
    "group_recycled",
    "judge",
    "may_pass",
    "rank",
]

Verdict = Literal["recycled", "partial", "none"]
#: Every verdict, strongest first.
VERDICTS: tuple[Verdict, ...] = ("recycled", "partial", "none")

T = TypeVar("T", bound=Hashable)


def judge(similarity: float, containment_a: float, containment_b: float, config: Config) -> Verdict:
    """Name the relation of two documents from their exact scores.

    Args:
        similarity: Exact Jaccard similarity.
        containment_a: Share of the first document's n-grams in the second.
        containment_b: Share of the second document's n-grams in the first.
        config: Thresholds.

    Returns:
        ``"recycled"``, ``"partial"`` or ``"none"``.

    Examples:
        >>> judge(0.8, 0.9, 0.9, Config())
        'recycled'
        >>> judge(0.2, 0.95, 0.2, Config())
        'partial'
        >>> judge(0.05, 0.1, 0.1, Config())
        'none'
    """
    if similarity >= config.recycled_threshold:
        return "recycled"
    if max(containment_a, containment_b) >= config.partial_threshold:
        return "partial"
    return "none"


def exact_scores(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    """Jaccard similarity and containment both ways of two sorted unique hash sets.

    Args:
        a: The first set.
        b: The second set.

    Returns:
        ``(similarity, containment of a in b, containment of b in a)``; two
        empty sets are identical (similarity 1.0) and contain nothing.

    Examples:
        >>> exact_scores(np.array([1, 2, 3], np.uint64), np.array([2, 3, 4, 5], np.uint64))
        (0.4, 0.6666666666666666, 0.5)
    """
    inter = len(np.intersect1d(a, b, assume_unique=True))
    union = len(a) + len(b) - inter
    return (
        inter / union if union else 1.0,
        inter / len(a) if len(a) else 0.0,
        inter / len(b) if len(b) else 0.0,
    )


#: Fewest sampled n-grams both documents need for their pair to be screened by its samples.
SAMPLE_MIN = 100
#: How many standard errors below a threshold sampled scores may fall with the pair still verified.
SAMPLE_MARGIN = 5.0


def may_pass(a: np.ndarray, b: np.ndarray, config: Config) -> bool:
    """Whether a pair may be ``recycled`` or ``partial``, judged by the samples of its sets.

    Samples are :func:`~detector.fingerprint.sample` of the two n-gram sets.

    A pair is let through unless its sampled similarity and containments
    all fall more than :data:`SAMPLE_MARGIN` standard errors below the
    thresholds, or when either sample is too small to tell
    (:data:`SAMPLE_MIN`). Pairs let through are then scored exactly.

    Examples:
        >>> ones = np.arange(500, dtype=np.uint32)
        >>> may_pass(ones, ones + 250, Config()), may_pass(ones, ones + 480, Config())
        (True, False)
    """
    smaller = min(len(a), len(b))
    if smaller < SAMPLE_MIN:
        return True
    similarity, c_ab, c_ba = exact_scores(a, b)
    margin = SAMPLE_MARGIN * 0.5 / smaller**0.5
    return (
        similarity >= config.recycled_threshold - margin
        or max(c_ab, c_ba) >= config.partial_threshold - margin
    )


@dataclass(frozen=True)
class Scores:
    """The figures of one pair (see the module docstring for each name)."""

    similarity: float
    raw_similarity: float
    estimated: float
    containment_a_in_b: float
    containment_b_in_a: float
    verdict: Verdict

    def pair(self, a: str, b: str) -> Pair:
        """The scores as the :class:`~detector.results.Pair` of documents ``a`` and ``b``."""
        from detector.results import Pair

        return Pair(a, b, *self._figures())

    def match(self, id: str) -> Match:
        """The scores as the :class:`~detector.results.Match` of a query and document ``id``."""
        from detector.results import Match

        return Match(id, *self._figures())

    def _figures(self) -> tuple[float, float, float, float, Verdict, float]:
        """The figures in the order :class:`Pair` and :class:`Match` take them after the ids."""
        return (
            self.similarity,
            self.estimated,
            self.containment_a_in_b,
            self.containment_b_in_a,
            self.verdict,
            self.raw_similarity,
        )


class PairScorer:
    """Scores pairs of fingerprints under one set of settings.

    The n-gram sets of the texts as written (for ``raw_similarity``) are made
    only for pairs that are kept, and the last ``cache`` of them are kept by id.

    Args:
        fingerprinter: The fingerprint step the fingerprints came from.
        cache: Number of written n-gram sets kept.
    """

    def __init__(self, fingerprinter: Fingerprinter, *, cache: int = 4096) -> None:
        self.fingerprinter = fingerprinter
        self.config = fingerprinter.config
        self._written: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache = cache

    def _written_set(self, fp: Fingerprint) -> np.ndarray:
        found = self._written.get(fp.id)
        if found is None:
            found = self.fingerprinter.written(fp.document.text)
            self._written[fp.id] = found
            if len(self._written) > self._cache:
                self._written.popitem(last=False)
        return found

    def score(self, a: Fingerprint, b: Fingerprint, *, include_all: bool = True) -> Scores | None:
        """The scores of a pair.

        Args:
            a: The first document.
            b: The second document.
            include_all: Also score pairs whose verdict is ``none``.

        Returns:
            The scores, or ``None`` for a ``none`` pair when ``include_all`` is false.
        """
        similarity, c_ab, c_ba = exact_scores(a.shingles, b.shingles)
        verdict = judge(similarity, c_ab, c_ba, self.config)
        if verdict == "none" and not include_all:
            return None
        raw = similarity
        if self.config.undoes_disguise:
            raw = exact_scores(self._written_set(a), self._written_set(b))[0]
        estimated = estimate_jaccard(a.signature, b.signature)
        return Scores(similarity, raw, estimated, c_ab, c_ba, verdict)


def rank(scored: Sequence[tuple[T, Scores]], order: Callable[[T], tuple[Any, ...]]) -> list[T]:
    """Rank items by similarity, then by the larger containment, then by ``order``.

    Args:
        scored: Items (pairs or matches) with their scores.
        order: A tie-breaker (the documents' positions in the corpus).

    Returns:
        The items, best first.
    """

    def key(item: tuple[T, Scores]) -> tuple[Any, ...]:
        s = item[1]
        return (-s.similarity, -max(s.containment_a_in_b, s.containment_b_in_a), *order(item[0]))

    return [item for item, _ in sorted(scored, key=key)]


def group_recycled(
    pairs: Sequence[tuple[T, T, Verdict]], position: Callable[[T], int]
) -> list[tuple[T, ...]]:
    """Groups of documents joined by ``recycled`` pairs (connected components).

    Args:
        pairs: ``(a, b, verdict)`` of each pair.
        position: A document's position in the corpus.

    Returns:
        Groups of two or more, each in corpus order, largest group first.

    Examples:
        >>> pairs = [("a", "b", "recycled"), ("c", "d", "partial"), ("b", "e", "recycled")]
        >>> group_recycled(pairs, "abcde".index)
        [('a', 'b', 'e')]
    """
    sets: DisjointSets[T] = DisjointSets()
    for a, b, verdict in pairs:
        if verdict == "recycled":
            sets.union(a, b)
    members = [tuple(sorted(group, key=position)) for group in sets.groups()]
    return sorted(members, key=lambda g: (-len(g), position(g[0])))
