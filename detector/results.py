"""Result types: what a scan, a comparison and a check find, and their one JSON form.

Results are frozen dataclasses with ``to_dict()`` giving the JSON schema's
objects; :func:`to_json` turns any of them into one JSON document. Nothing
here prints or draws: the renderers live in :mod:`detector.terminal`
(rich text), :mod:`detector.html`, :mod:`detector.sarif` and
:mod:`detector.junit`.

Examples:
    >>> pair = Pair("a.txt", "b.txt", 0.91234, 0.9, 0.95, 0.93, "recycled")
    >>> result = ScanResult(("a.txt", "b.txt"), (pair,), (("a.txt", "b.txt"),))
    >>> result.to_dict()["pairs"][0]["similarity"]
    0.9123
    >>> "recycled" in to_json(result)
    True
"""

from __future__ import annotations

import dataclasses
import json
import math
import typing
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from detector.scoring import Verdict

if TYPE_CHECKING:
    from detector.gate import Gate, GateResult

__all__ = [
    "FIGURES",
    "SCHEMA_VERSION",
    "SWAP_KINDS",
    "CheckResult",
    "CommonPhrase",
    "Comparison",
    "DraftReport",
    "Match",
    "Pair",
    "Passage",
    "PhraseOrigin",
    "Position",
    "Quotation",
    "Report",
    "ReusedPassage",
    "ScanResult",
    "SectionReuse",
    "SourceReuse",
    "Swap",
    "SwapKind",
    "Verdict",
    "check_to_json",
    "comparison_to_json",
    "plural",
    "raw_or_exact",
    "scan_to_json",
    "to_json",
]

#: Version of the JSON documents written by ``--format json``.
SCHEMA_VERSION = 1

#: What a swap replaced: a year, a number, a place, a placeholder, a synonym or another word.
SwapKind = Literal["year", "number", "place", "placeholder", "synonym", "word"]
#: Every swap kind, in the order reports list them.
SWAP_KINDS: tuple[SwapKind, ...] = typing.get_args(SwapKind)

#: Where a common phrase comes from: the phrase list, learned from the corpus, or a base (template) document.
PhraseOrigin = Literal["listed", "learned", "base"]


def raw_or_exact(similarity: float, raw: float | None) -> float:
    """The raw similarity, or the exact one when the raw one was not measured.

    Args:
        similarity: Exact similarity in the matching form.
        raw: Similarity of the texts as written (``None``: not measured).

    Returns:
        ``raw`` when given, else ``similarity``.

    Examples:
        >>> raw_or_exact(0.93, 0.41), raw_or_exact(0.93, None)
        (0.41, 0.93)
    """
    return similarity if raw is None else raw


def plural(count: int, word: str) -> str:
    """A count and an English noun, the noun in the plural unless the count is 1.

    Args:
        count: How many.
        word: The noun in the singular.

    Returns:
        ``"1 pair"``, ``"2 pairs"``.

    Examples:
        >>> plural(1, "pair"), plural(0, "document")
        ('1 pair', '0 documents')
    """
    return f"{count} {word}" + ("" if count == 1 else "s")


@dataclass(frozen=True)
class Pair:
    """Two documents of a corpus and how much they share.

    Attributes:
        a: Id of the first document (the one added first).
        b: Id of the second document.
        similarity: Exact Jaccard similarity of their n-gram sets, in the
            form matching uses (canonical by default: see :mod:`detector.canonical`).
        estimated: Jaccard similarity estimated from their MinHash signatures.
        containment_a_in_b: Share of ``a``'s n-grams found in ``b``.
        containment_b_in_a: Share of ``b``'s n-grams found in ``a``.
        verdict: ``recycled`` (whole-document reuse), ``partial`` (one holds
            much of the other) or ``none`` (below both thresholds).
        raw_similarity: Exact Jaccard similarity of the normalised texts as
            written, before any disguise is undone (``None``: not measured).
    """

    a: str
    b: str
    similarity: float
    estimated: float
    containment_a_in_b: float
    containment_b_in_a: float
    verdict: Verdict
    raw_similarity: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The pair as a plain dict (the JSON schema's pair object)."""
        return {
            "a": self.a,
            "b": self.b,
            "similarity": round(self.similarity, 4),
            "raw_similarity": round(raw_or_exact(self.similarity, self.raw_similarity), 4),
            "estimated_similarity": round(self.estimated, 4),
            "containment_a_in_b": round(self.containment_a_in_b, 4),
            "containment_b_in_a": round(self.containment_b_in_a, 4),
            "verdict": self.verdict,
        }


@dataclass(frozen=True)
class Match:
    """A corpus document found for a query text.

    Attributes:
        id: The corpus document's id.
        similarity: Exact Jaccard similarity with the query, as for :class:`Pair`.
        estimated: Jaccard similarity estimated from signatures.
        containment_query: Share of the query's n-grams found in the document.
        containment_document: Share of the document's n-grams found in the query.
        verdict: As for :class:`Pair`.
        raw_similarity: As for :class:`Pair`.
    """

    id: str
    similarity: float
    estimated: float
    containment_query: float
    containment_document: float
    verdict: Verdict
    raw_similarity: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The match as a plain dict."""
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items()}


@dataclass(frozen=True)
class ScanResult:
    """What a scan of a corpus found.

    Attributes:
        documents: Ids of the documents scanned, in order.
        pairs: Pairs ranked by similarity, then containment.
        groups: Groups of documents joined by ``recycled`` pairs (two or more each).
        errors: ``(path, reason)`` for each input that could not be read.
        settings: The settings the scan ran with.
        pairs_dropped: Pairs found but not kept, all ranked below the last
            one kept (a scan keeps at most ``max_pairs``).
    """

    documents: tuple[str, ...]
    pairs: tuple[Pair, ...]
    groups: tuple[tuple[str, ...], ...]
    errors: tuple[tuple[str, str], ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    pairs_dropped: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The result as a plain dict (the JSON schema of ``detector scan``)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "documents": len(self.documents),
            "settings": dict(self.settings),
            "pairs": [p.to_dict() for p in self.pairs],
            "pairs_dropped": self.pairs_dropped,
            "groups": [list(g) for g in self.groups],
            "errors": [{"path": path, "reason": reason} for path, reason in self.errors],
        }


@dataclass(frozen=True)
class Position:
    """Where one occurrence of a swap sits in both original texts.

    Offsets are character offsets into the original (decoded) texts, end
    exclusive; lines and columns count from 1.
    """

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    a_line: int
    a_column: int
    b_line: int
    b_column: int

    def to_dict(self) -> dict[str, int]:
        """The position as a plain dict."""
        return asdict(self)


@dataclass(frozen=True)
class Swap:
    """One kind of replacement, ``old`` → ``new``, with every place it occurs.

    Attributes:
        kind: ``year``, ``number``, ``place``, ``placeholder``, ``synonym`` or ``word``.
        old: Text in the first document (width-folded, no whitespace).
        new: Text in the second document.
        count: Number of occurrences.
        positions: Each occurrence in both originals, in text order.
        known_spin: The pair is in the spin lexicon.
    """

    kind: SwapKind
    old: str
    new: str
    count: int
    positions: tuple[Position, ...]
    known_spin: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The swap as a plain dict (the JSON schema's swap object)."""
        return {
            "kind": self.kind,
            "old": self.old,
            "new": self.new,
            "count": self.count,
            "known_spin": self.known_spin,
            "positions": [p.to_dict() for p in self.positions],
        }


@dataclass(frozen=True)
class Passage:
    """A passage inserted, deleted or moved between the two documents.

    For an inserted passage ``a_start == a_end`` is where it would go in the
    first text; for a deleted one ``b_start == b_end``.
    """

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        """The passage as a plain dict."""
        return asdict(self)


@dataclass(frozen=True)
class Comparison:
    """How document ``b`` differs from document ``a``.

    The pair's scores are those ``detector scan`` gives the pair; the reuse
    is ``b`` checked against ``a`` alone, as ``detector check`` reports it.

    Attributes:
        a: Label of the first document (its path or id).
        b: Label of the second document.
        similarity: Exact Jaccard similarity of the n-gram sets, in the form
            matching uses (as :class:`Pair`).
        related: False when the texts share too little to align; then no
            swaps or passages are listed.
        swaps: Every swap between the two aligned whole texts, grouped by
            (kind, old, new), in kind order then by count.
        inserted: Passages only in ``b``.
        deleted: Passages only in ``a``.
        moved: Passages in both, in a different order.
        raw_similarity: As for :class:`Pair`.
        containment_a_in_b: As for :class:`Pair`.
        containment_b_in_a: As for :class:`Pair`.
        verdict: As for :class:`Pair`.
        reuse: What ``b`` reuses from ``a``: copy ratio and passages, each
            with the swaps inside it.
        texts: The two original texts, by label (not part of the JSON).
    """

    a: str
    b: str
    similarity: float
    related: bool
    swaps: tuple[Swap, ...] = ()
    inserted: tuple[Passage, ...] = ()
    deleted: tuple[Passage, ...] = ()
    moved: tuple[Passage, ...] = ()
    raw_similarity: float | None = None
    containment_a_in_b: float = 0.0
    containment_b_in_a: float = 0.0
    verdict: Verdict = "none"
    reuse: DraftReport | None = None
    texts: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def copy_ratio(self) -> float:
        """Share of ``b``'s normalised characters inside passages reused from ``a``."""
        return self.reuse.copy_ratio if self.reuse is not None else 0.0

    @property
    def passages(self) -> tuple[ReusedPassage, ...]:
        """The passages ``b`` reuses from ``a``, in ``b``'s order."""
        if self.reuse is None:
            return ()
        return tuple(p for source in self.reuse.sources for p in source.passages)

    def swaps_of(self, kind: str) -> list[Swap]:
        """The swaps of one kind (one of :data:`SWAP_KINDS`)."""
        return [s for s in self.swaps if s.kind == kind]

    def to_dict(self) -> dict[str, Any]:
        """The comparison as a plain dict (the JSON schema of ``detector diff``)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "a": self.a,
            "b": self.b,
            "similarity": round(self.similarity, 4),
            "raw_similarity": round(raw_or_exact(self.similarity, self.raw_similarity), 4),
            "containment_a_in_b": round(self.containment_a_in_b, 4),
            "containment_b_in_a": round(self.containment_b_in_a, 4),
            "verdict": self.verdict,
            "copy_ratio": round(self.copy_ratio, 4),
            "related": self.related,
            "swaps": [s.to_dict() for s in self.swaps],
            "passages": [p.to_dict() for p in self.passages],
            "inserted": [p.to_dict() for p in self.inserted],
            "deleted": [p.to_dict() for p in self.deleted],
            "moved": [p.to_dict() for p in self.moved],
        }


@dataclass(frozen=True)
class ReusedPassage:
    """A passage of a draft taken from a source, with what was swapped inside it.

    Offsets are character offsets into the original texts, end exclusive.

    Attributes:
        draft_start: Start in the draft.
        draft_end: End in the draft.
        source_start: Start in the source.
        source_end: End in the source.
        draft_text: The passage as the draft has it.
        source_text: The passage as the source has it.
        length: Its length in normalised draft characters.
        reused: Normalised draft characters counted as reuse: those the
            source has too, common phrases and swapped text excluded.
        swaps: What was swapped from the source (``old``, positions ``a_*``)
            to the draft (``new``, positions ``b_*``).
    """

    draft_start: int
    draft_end: int
    source_start: int
    source_end: int
    draft_text: str
    source_text: str
    length: int
    reused: int
    swaps: tuple[Swap, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The passage as a plain dict (the JSON schema's passage object)."""
        return {
            "draft_start": self.draft_start,
            "draft_end": self.draft_end,
            "source_start": self.source_start,
            "source_end": self.source_end,
            "length": self.length,
            "reused": self.reused,
            "draft_text": self.draft_text,
            "source_text": self.source_text,
            "swaps": [s.to_dict() for s in self.swaps],
        }


@dataclass(frozen=True)
class CommonPhrase:
    """A stretch of the draft made of common phrases, never counted as reuse.

    Attributes:
        draft_start: Start in the original draft.
        draft_end: End in the original draft (exclusive).
        text: The phrase as the draft has it.
        origin: ``listed`` (a standard formulation of the phrase list),
            ``learned`` (found in many documents of the corpus) or ``base``
            (text of a base document, a template every draft may follow).
    """

    draft_start: int
    draft_end: int
    text: str
    origin: PhraseOrigin

    def to_dict(self) -> dict[str, Any]:
        """The phrase as a plain dict."""
        return asdict(self)


@dataclass(frozen=True)
class SourceReuse:
    """One source a draft reuses passages from.

    Attributes:
        source: The source's id (its path, for files).
        copy_ratio: Share of the draft's normalised characters inside passages
            from this source, common phrases excluded.
        passages: The reused passages, in draft order.
        own: Whether the source is the author's own earlier work (``--own``),
            counted apart.
    """

    source: str
    copy_ratio: float
    passages: tuple[ReusedPassage, ...]
    own: bool = False

    @property
    def longest_passage(self) -> int:
        """Length of the longest passage, in normalised characters."""
        return max((p.length for p in self.passages), default=0)

    def swap_counts(self) -> dict[str, int]:
        """Number of swaps of each kind inside the passages, in :data:`SWAP_KINDS` order."""
        counts: dict[str, int] = {}
        for passage in self.passages:
            for swap in passage.swaps:
                counts[swap.kind] = counts.get(swap.kind, 0) + swap.count
        return {kind: counts[kind] for kind in SWAP_KINDS if kind in counts}

    def to_dict(self) -> dict[str, Any]:
        """The source as a plain dict (the JSON schema's source object)."""
        return {
            "path": self.source,
            "copy_ratio": round(self.copy_ratio, 4),
            "longest_passage": self.longest_passage,
            "passage_count": len(self.passages),
            "own": self.own,
            "swap_counts": self.swap_counts(),
            "passages": [p.to_dict() for p in self.passages],
        }


@dataclass(frozen=True)
class Quotation:
    """A stretch of the draft quoted on purpose (see :mod:`detector.quotes`).

    Attributes:
        draft_start: Start in the original draft.
        draft_end: End in the original draft (exclusive).
        text: The quotation as the draft has it, marks included.
    """

    draft_start: int
    draft_end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        """The quotation as a plain dict."""
        return asdict(self)


@dataclass(frozen=True)
class SectionReuse:
    """How much one section of the draft reuses (see :mod:`detector.sections`).

    Attributes:
        heading: The section's heading (empty for the opening before the first one).
        start: Start of the section in the original draft.
        end: End of the section in the original draft (exclusive).
        length: Its length in normalised characters.
        copy_ratio: Share of those characters inside reused passages, as
            :attr:`DraftReport.copy_ratio` counts them.
        largest_source: The source the section reuses most from, or ``None``.
        largest_source_ratio: The share of the section's characters that source covers.
        passages: Number of reused passages that overlap the section.
    """

    heading: str
    start: int
    end: int
    length: int
    copy_ratio: float
    largest_source: str | None = None
    largest_source_ratio: float = 0.0
    passages: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The section as a plain dict."""
        return {
            "heading": self.heading,
            "start": self.start,
            "end": self.end,
            "characters": self.length,
            "copy_ratio": round(self.copy_ratio, 4),
            "largest_source": self.largest_source,
            "largest_source_ratio": round(self.largest_source_ratio, 4),
            "passage_count": self.passages,
        }


def _duplicate_dict(match: Match) -> dict[str, Any]:
    """A whole-document near-duplicate as the check schema names it."""
    return {
        "path": match.id,
        "similarity": round(match.similarity, 4),
        "raw_similarity": round(raw_or_exact(match.similarity, match.raw_similarity), 4),
        "containment_draft": round(match.containment_query, 4),
        "containment_source": round(match.containment_document, 4),
        "verdict": match.verdict,
    }


#: The figures of a draft every machine-readable view carries beside its
#: passages (SARIF run properties, JUnit test-case properties), named as in
#: :meth:`DraftReport.to_dict`.
FIGURES = (
    "copy_ratio",
    "copy_ratio_without_quotes",
    "copy_ratio_without_own",
    "counted_ratio",
    "largest_source_ratio",
    "longest_passage",
    "passage_count",
)


@dataclass(frozen=True)
class DraftReport:
    """What a draft reuses from a corpus.

    Attributes:
        draft: The draft's id (its path, for files).
        length: Its length in normalised characters.
        copy_ratio: Share of its normalised characters inside reused passages
            of any source, common phrases and base text excluded (the total,
            CNKI's 总文字复制比).
        sources: The sources it reuses, largest copy ratio first.
        common_phrases: Stretches of the draft made of common phrases, not counted.
        duplicates: Corpus documents similar to the draft as a whole
            (verdict ``recycled`` or ``partial``).
        indexed_as: The path of an indexed document with the draft's very
            text (the draft is already in the index: it is not its own
            source), or ``None``.
        copy_ratio_without_quotes: The copy ratio with the draft's
            quotations removed (去除引用文献复制比).
        copy_ratio_without_own: The copy ratio with the passages of the
            author's own earlier work removed (去除本人文献复制比; the total
            when no own work was named).
        counted_ratio: The copy ratio the gate judges: the total with the
            exclusions that were switched on removed (quotations with
            ``exclude_quotes``, own work when named).
        quotations: The draft's quotations.
        sections: Each section of the draft with its copy ratio (none when
            the draft has fewer than two numbered headings).
    """

    draft: str
    length: int
    copy_ratio: float
    sources: tuple[SourceReuse, ...] = ()
    common_phrases: tuple[CommonPhrase, ...] = ()
    duplicates: tuple[Match, ...] = ()
    indexed_as: str | None = None
    copy_ratio_without_quotes: float = math.nan
    copy_ratio_without_own: float = math.nan
    counted_ratio: float = math.nan
    quotations: tuple[Quotation, ...] = ()
    sections: tuple[SectionReuse, ...] = ()

    def __post_init__(self) -> None:
        for name in ("copy_ratio_without_quotes", "copy_ratio_without_own", "counted_ratio"):
            if math.isnan(getattr(self, name)):
                object.__setattr__(self, name, self.copy_ratio)

    def with_duplicates(self, duplicates: Sequence[Match]) -> DraftReport:
        """A copy with the whole-document near-duplicates set."""
        return dataclasses.replace(self, duplicates=tuple(duplicates))

    @property
    def recycled(self) -> bool:
        """Whether a corpus document is a whole-document copy of the draft."""
        return any(m.verdict == "recycled" for m in self.duplicates)

    @property
    def largest_source_ratio(self) -> float:
        """The largest copy ratio of a single source."""
        return max((s.copy_ratio for s in self.sources), default=0.0)

    @property
    def longest_passage(self) -> int:
        """The longest reused passage, in normalised characters."""
        return max((s.longest_passage for s in self.sources), default=0)

    def phrase_counts(self) -> list[tuple[str, PhraseOrigin, int]]:
        """Each common phrase once, with how often the draft has it, in order of first occurrence.

        Returns:
            ``(text, origin, count)`` per distinct text and origin.

        Examples:
            >>> ps = (CommonPhrase(0, 2, "工作", "listed"), CommonPhrase(5, 7, "攻坚", "listed"),
            ...       CommonPhrase(9, 11, "工作", "listed"))
            >>> DraftReport("d.txt", 20, 0.0, common_phrases=ps).phrase_counts()
            [('工作', 'listed', 2), ('攻坚', 'listed', 1)]
        """
        counts = Counter((p.text, p.origin) for p in self.common_phrases)
        return [(text, origin, count) for (text, origin), count in counts.items()]

    @property
    def passage_count(self) -> int:
        """Number of reused passages, over all sources."""
        return sum(len(s.passages) for s in self.sources)

    def to_dict(self) -> dict[str, Any]:
        """The report as a plain dict (one element of ``drafts`` in the JSON schema)."""
        return {
            "path": self.draft,
            "characters": self.length,
            "copy_ratio": round(self.copy_ratio, 4),
            "copy_ratio_without_quotes": round(self.copy_ratio_without_quotes, 4),
            "copy_ratio_without_own": round(self.copy_ratio_without_own, 4),
            "counted_ratio": round(self.counted_ratio, 4),
            "largest_source_ratio": round(self.largest_source_ratio, 4),
            "longest_passage": self.longest_passage,
            "passage_count": self.passage_count,
            "recycled": self.recycled,
            "near_duplicates": [_duplicate_dict(m) for m in self.duplicates],
            "sources": [s.to_dict() for s in self.sources],
            "common_phrases": [p.to_dict() for p in self.common_phrases],
            "quotations": [q.to_dict() for q in self.quotations],
            "sections": [s.to_dict() for s in self.sections],
            "already_indexed_as": self.indexed_as,
        }


#: Deprecated name of :class:`DraftReport` (one release).
Report = DraftReport


@dataclass(frozen=True)
class CheckResult:
    """Reports for several drafts checked against one corpus.

    Attributes:
        reports: One report per draft, in the order given.
        errors: ``(path, reason)`` for each input that could not be read.
        settings: The settings of the check.
        texts: Original texts of the drafts and their sources, by label
            (for lines, columns and side-by-side pages; not part of the JSON).
        gate: The gate the drafts were judged by (``None``: not judged).
    """

    reports: tuple[DraftReport, ...]
    errors: tuple[tuple[str, str], ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    texts: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    gate: Gate | None = None

    @property
    def outcome(self) -> GateResult:
        """Each draft with the reasons it failed the gate (none without a gate)."""
        from detector.gate import Gate

        return (self.gate or Gate()).evaluate(self)

    def to_dict(self) -> dict[str, Any]:
        """The result as a plain dict (the JSON schema of ``detector check``)."""
        drafts = [r.to_dict() for r in self.reports]
        if self.gate is not None:
            for entry, (_, reasons) in zip(drafts, self.outcome.drafts, strict=True):
                entry["failed"] = list(reasons)
        return {
            "schema_version": SCHEMA_VERSION,
            "settings": dict(self.settings),
            "drafts": drafts,
            "errors": [{"path": path, "reason": reason} for path, reason in self.errors],
        }


class _HasToDict(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


def to_json(result: _HasToDict) -> str:
    """A result as one JSON document: its ``to_dict()``, indented, non-ASCII kept.

    Args:
        result: A :class:`ScanResult`, :class:`Comparison`, :class:`CheckResult`
            or any other result with ``to_dict()``.

    Returns:
        The JSON text, ending in a newline.

    Examples:
        >>> print(to_json(CheckResult(())), end="")
        {
          "schema_version": 1,
          "settings": {},
          "drafts": [],
          "errors": []
        }
    """
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"


def scan_to_json(result: ScanResult) -> str:
    """Deprecated alias of :func:`to_json` for a scan result."""
    return to_json(result)


def comparison_to_json(comparison: Comparison) -> str:
    """Deprecated alias of :func:`to_json` for a comparison."""
    return to_json(comparison)


def check_to_json(result: CheckResult) -> str:
    """Deprecated alias of :func:`to_json` for a check result."""
    return to_json(result)
