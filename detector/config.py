"""Frozen settings: :class:`Config` shapes fingerprints, verdicts and an
index; :class:`CheckOptions` are the options of one check.

An index stores its :class:`Config` and opens only with the same one; the
options of a check may differ from call to call. The defaults were chosen
by measurement; ``python -m benchmarks.separation`` prints the figures behind them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

from detector.errors import ConfigError

__all__ = ["INDEX_SETTINGS", "MAX_BYTES", "CheckOptions", "Config", "Scheme"]

Scheme = Literal["oph", "affine32"]

#: Largest file read by default, in bytes (``--max-size 16``).
MAX_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Config:
    """Settings that shape fingerprints, verdicts and what an index stores.

    Args:
        ngram: Character n-gram size used for shingles (after normalisation).
        num_perm: Number of MinHash values per signature.
        seed: Seed of the hash functions; signatures made with different
            seeds cannot be compared.
        scheme: ``"oph"`` (one-permutation hashing with optimal densification,
            the fast default) or ``"affine32"`` (k-permutation MinHash,
            bit-identical to datasketch 2.x's default scheme).
        lsh_threshold: Jaccard threshold of the MinHash-LSH candidate search.
            Candidates are always verified exactly, so this only trades speed
            against recall of low-similarity pairs.
        recycled_threshold: Exact Jaccard at or above which a pair is
            ``recycled`` (whole-document reuse).
        partial_threshold: Containment (either way) at or above which a pair
            is ``partial`` (one document holds much of the other).
        common_df: Number of document families (recycled copies count once)
            a phrase must occur in to be learned as a common phrase.
        canonical: Match on the canonical form: traditional characters
            mapped to simplified ones and spun words folded back
            (:mod:`detector.canonical`). Reports still show the original text.
        mask_entities: Also mask years, numbers, ordinals, place names and
            placeholders as ``<Y>``, ``<N>``, ``<P>``, ``<X>`` for matching.

    Examples:
        >>> from detector import Config
        >>> Config().ngram
        5
        >>> Config(ngram=4).replace(num_perm=64).num_perm
        64
    """

    ngram: int = 5
    num_perm: int = 128
    seed: int = 1
    scheme: Scheme = "oph"
    lsh_threshold: float = 0.3
    recycled_threshold: float = 0.5
    partial_threshold: float = 0.5
    common_df: int = 3
    canonical: bool = True
    mask_entities: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.ngram <= 32:
            raise ConfigError(f"ngram must be between 1 and 32, got {self.ngram}")
        if not 8 <= self.num_perm <= 1024:
            raise ConfigError(f"num_perm must be between 8 and 1024, got {self.num_perm}")
        if self.scheme not in ("oph", "affine32"):
            raise ConfigError(f"scheme must be 'oph' or 'affine32', got {self.scheme!r}")
        for name in ("lsh_threshold", "recycled_threshold", "partial_threshold"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise ConfigError(f"{name} must be in (0, 1], got {value}")
        if not 0 <= self.seed < 2**32:
            raise ConfigError(f"seed must be between 0 and 2**32-1, got {self.seed}")
        if self.common_df < 2:
            raise ConfigError(f"common_df must be at least 2, got {self.common_df}")

    @property
    def undoes_disguise(self) -> bool:
        """Whether matching runs on a form other than the normalised text as written."""
        return self.canonical or self.mask_entities

    def index_settings(self) -> dict[str, Any]:
        """The settings an index stores: it opens only with the same values.

        Examples:
            >>> sorted(Config().index_settings())[:3]
            ['canonical', 'common_df', 'lsh_threshold']
        """
        return {name: getattr(self, name) for name in INDEX_SETTINGS}

    def replace(self, **changes: Any) -> Config:
        """Return a copy with some settings changed (validated again)."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Return the settings as a plain dict."""
        return dataclasses.asdict(self)


#: Every setting of :class:`Config`: all of them shape what an index stores.
INDEX_SETTINGS = tuple(f.name for f in dataclasses.fields(Config))


@dataclass(frozen=True)
class CheckOptions:
    """Options of one check of drafts; they do not shape an index.

    Args:
        min_passage: Fewest normalised characters, common phrases excluded,
            that make a passage of a draft reuse.
        max_candidates: Most candidate sources a check matches exactly, in
            order of how many windows found them.

    Examples:
        >>> CheckOptions().min_passage
        20
        >>> CheckOptions(min_passage=0)
        Traceback (most recent call last):
        ...
        detector.errors.ConfigError: min_passage must be at least 1, got 0
    """

    min_passage: int = 20
    max_candidates: int = 50

    def __post_init__(self) -> None:
        if self.min_passage < 1:
            raise ConfigError(f"min_passage must be at least 1, got {self.min_passage}")
        if self.max_candidates < 1:
            raise ConfigError(f"max_candidates must be at least 1, got {self.max_candidates}")
