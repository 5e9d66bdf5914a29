"""Template reuse: which passages a draft takes from which corpus documents.

A draft is checked in four steps:

1. **Candidates**: the draft's windows are looked up in a window-level
   MinHash LSH over the corpus (:class:`~detector.passages.WindowIndex`), so
   a source sharing a single sentence is found, however long it is.
2. **Passages**: each candidate is matched against the draft exactly
   (:func:`~detector.passages.find_passages`), small edits bridged.
3. **Common phrases**: characters of the draft that belong to stock
   formulations (:class:`~detector.phrases.StockPhrases`) are shown as common
   phrases and not counted; a passage with fewer than ``min_passage`` other
   characters is not reuse (three times as many in a draft written with
   spaces between words, :mod:`detector.scripts`: about as many words).
4. **Swaps**: each passage of the source and of the draft is aligned
   (:func:`~detector.diff.changes`, on the normalised texts) to list what
   was swapped.

Every offset in the result points into the original texts.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np

from detector.align import align
from detector.arrays import runs
from detector.canonical import canonical_phrases, matching_form
from detector.config import CheckOptions, Config
from detector.diff import AlignedText, changes
from detector.exclusions import NO_EXCLUSIONS, Exclusions
from detector.normalize import FurnitureRules, NormalizedText
from detector.passages import KgramTable, find_passages
from detector.phrases import StockPhrases, learn_common
from detector.quotes import quotation_spans, quoted_mask
from detector.results import (
    CommonPhrase,
    DraftReport,
    PhraseOrigin,
    Quotation,
    ReusedPassage,
    SectionReuse,
    SourceReuse,
    Swap,
)
from detector.scripts import SPACED_PASSAGE_FACTOR, whole_words, written_with_spaces
from detector.sections import find_sections
from detector.shingle import shingle_hashes
from detector.sources import Document
from detector.swaps import Lexicon, load_lexicon
from detector.windows import WindowIndex

__all__ = ["ReuseIndex"]

#: Length of the exact matches that seed passages.
_K = 8


class _Source:
    """A corpus document as the check needs it, built on first use."""

    def __init__(self, document: Document, norm: NormalizedText) -> None:
        self.document = document
        self.norm = norm
        self.codepoints = norm.codepoints()
        self.table = KgramTable.of(self.codepoints, _K)
        self.spaced = written_with_spaces(norm.text)
        self._aligned: AlignedText | None = None

    def aligned(self, config: Config, rules: FurnitureRules | None) -> AlignedText:
        """The source as swaps are found in it (made on first use)."""
        if self._aligned is None:
            self._aligned = AlignedText.of(self.document.text, config, rules)
        return self._aligned


class ReuseIndex:
    """The corpus side of a reuse check: window LSH, normalised texts, common phrases.

    Args:
        windows: The window LSH over the corpus documents, numbered from 0.
        stock: The common-phrase model.
        fetch: Gives the document the window index calls ``n`` and its
            normalised text, or ``None`` if it is gone; called for candidate
            sources only.
        config: Settings (``min_passage``, ``ngram``).
        cache: Number of fetched documents kept in memory.

    Examples:
        >>> from detector import Document
        >>> text = "坚决打赢2022年污染防治攻坚战，系统提升我县城乡人居环境，持续改善全县生态环境质量。"
        >>> source = Document("2022.txt", text)
        >>> index = ReuseIndex.build([(source, matching_form(text, Config()))])
        >>> report = index.check("今年我们要" + text.replace("2022", "2024"))
        >>> [(s.source, round(s.copy_ratio, 2)) for s in report.sources]
        [('2022.txt', 0.87)]
    """

    def __init__(
        self,
        windows: WindowIndex,
        stock: StockPhrases,
        fetch: Callable[[int], tuple[Document, NormalizedText] | None],
        *,
        config: Config | None = None,
        cache: int = 256,
    ) -> None:
        self.config = config or Config()
        self.windows = windows
        self.stock = stock
        self._fetch = fetch
        self._cache: OrderedDict[int, _Source] = OrderedDict()
        self._cache_size = cache

    @classmethod
    def build(
        cls,
        documents: Sequence[tuple[Document, NormalizedText]],
        families: Sequence[int] | None = None,
        *,
        config: Config | None = None,
        phrases: Sequence[str] = (),
        keys: Sequence[np.ndarray | None] | None = None,
    ) -> ReuseIndex:
        """Index documents held in memory.

        Args:
            documents: Corpus documents with their texts in the form matching
                uses (:func:`detector.canonical.matching_form`).
            families: Family number of each document (recycled and partial copies share
                one), used to learn common phrases.
            config: Settings (``seed``, ``ngram``, ``common_df``).
            phrases: Listed common phrases (normalised).
            keys: Each document's window keys, when made already
                (:meth:`~detector.windows.WindowIndex.documents_keys`).
        """
        config = config or Config()
        items = list(documents)
        codepoints = [norm.codepoints() for _, norm in items]
        windows = WindowIndex(seed=config.seed, ngram=config.ngram)
        if keys is None:
            windows.build(codepoints)
        else:
            windows.build_from_keys([k for k in keys if k is not None])
        stock = learn_common(codepoints, families, config=config, phrases=canonical_phrases(phrases, config))
        return cls(windows, stock, items.__getitem__, config=config, cache=len(items))

    def _source(self, number: int) -> _Source | None:
        found = self._cache.get(number)
        if found is None:
            fetched = self._fetch(number)
            if fetched is None:
                return None
            found = _Source(*fetched)
            self._cache[number] = found
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(number)
        return found

    @staticmethod
    def _copied(text: str, entry: _Source, d0: int, d1: int, s0: int, s1: int) -> np.ndarray:
        """Which characters of a draft passage the aligned source passage has too."""
        copied = np.zeros(d1 - d0, dtype=bool)
        for op in align(entry.norm.text[s0:s1], text[d0:d1]).opcodes:
            if op.tag == "equal":
                copied[op.b_start : op.b_end] = True
        return copied

    def check(
        self,
        draft: Document | str,
        *,
        min_passage: int | None = None,
        rules: FurnitureRules | None = None,
        lexicon: Lexicon | None = None,
        swaps: bool = True,
        max_candidates: int | None = None,
        exclusions: Exclusions = NO_EXCLUSIONS,
    ) -> DraftReport:
        """Find the passages a draft reuses from the indexed documents.

        Args:
            draft: The draft or its text. A corpus document with the same id
                or path is not checked against itself.
            min_passage: Fewest normalised characters, common phrases
                excluded, that make a passage reuse (default: :class:`CheckOptions`).
            rules: Furniture rules (bundled ones by default).
            lexicon: Spin lexicon for the swaps (bundled one by default).
            swaps: List the swaps inside each passage.
            max_candidates: Most candidate sources matched exactly, taken in
                order of how many windows and bands found them (default:
                :class:`CheckOptions`).
            exclusions: Own work, base documents, and whether the gate
                judges the ratio without quotations (:mod:`detector.exclusions`).

        Returns:
            A :class:`~detector.report.DraftReport`.
        """
        if isinstance(draft, str):
            draft = Document(id="<draft>", text=draft)
        defaults = CheckOptions()
        min_passage = defaults.min_passage if min_passage is None else min_passage
        limit = defaults.max_candidates if max_candidates is None else max_candidates
        norm = matching_form(draft.text, self.config, rules)
        base = exclusions.base_mask(norm.codepoints(), self.config, rules) if exclusions.base else None
        d = _Draft(draft, norm, self.stock, min_passage, base)
        if d.length == 0:
            return DraftReport(d.label, 0, 0.0)
        if swaps:
            d.aligned = _Lazy(lambda: AlignedText.of(draft.text, self.config, rules))
        hits = self.windows.query(d.cps, ignore=d.common)
        found: list[tuple[SourceReuse, np.ndarray]] = []
        for number, _ in sorted(hits.items(), key=lambda item: (-item[1], item[0]))[:limit]:
            entry = self._source(number)
            if entry is None or d.is_itself(entry.document) or not d.shares_enough(entry.table):
                continue
            reuse = self._reuse_from(d, entry, rules, lexicon or load_lexicon(), exclusions)
            if reuse is not None:
                found.append(reuse)
        found.sort(key=lambda f: (-f[0].copy_ratio, f[0].source))
        return _report(d, found, exclusions)

    def _reuse_from(
        self,
        d: _Draft,
        entry: _Source,
        rules: FurnitureRules | None,
        lexicon: Lexicon,
        exclusions: Exclusions,
    ) -> tuple[SourceReuse, np.ndarray] | None:
        """The passages a draft takes from one source, and which draft characters they count."""
        kept = []
        counted = np.zeros(d.length, dtype=bool)
        for d0, d1, s0, s1 in find_passages(
            d.cps, entry.codepoints, k=_K, min_length=d.min_passage, table=entry.table
        ):
            copied = self._copied(d.norm.text, entry, d0, d1, s0, s1) & ~d.common[d0:d1]
            reused = int(copied.sum())
            if reused < d.min_passage:
                continue
            counted[d0:d1] |= copied
            kept.append(self._passage(d, entry, (d0, d1, s0, s1), reused, rules, lexicon))
        if not kept:
            return None
        label = entry.document.path or entry.document.id
        source = SourceReuse(label, float(counted.sum()) / d.length, tuple(kept), exclusions.is_own(label))
        return source, counted

    def _passage(
        self,
        d: _Draft,
        entry: _Source,
        span: tuple[int, int, int, int],
        reused: int,
        rules: FurnitureRules | None,
        lexicon: Lexicon,
    ) -> ReusedPassage:
        d0, d1, s0, s1 = span
        o0, o1 = d.norm.original_span(d0, d1)
        p0, p1 = entry.norm.original_span(s0, s1)
        found: tuple[Swap, ...] = ()
        if d.aligned is not None:
            source_side = entry.aligned(self.config, rules)
            draft_side = d.aligned.get()
            found = changes(
                source_side.slice(*source_side.locate(p0, p1)),
                draft_side.slice(*draft_side.locate(o0, o1)),
                lexicon,
            ).swaps
        text = d.document.text
        if d.spaced:
            o0, o1 = whole_words(text, o0, o1)
        if entry.spaced:
            p0, p1 = whole_words(entry.document.text, p0, p1)
        return ReusedPassage(o0, o1, p0, p1, text[o0:o1], entry.document.text[p0:p1], d1 - d0, reused, found)


class _Draft:
    """A draft being checked: its matching form, common-phrase masks and k-grams.

    A candidate source must share enough k-grams outside common phrases to
    hold a passage of ``min_passage`` characters with an edit in its middle.
    """

    def __init__(
        self,
        document: Document,
        norm: NormalizedText,
        stock: StockPhrases,
        min_passage: int,
        base: np.ndarray | None = None,
    ) -> None:
        self.document = document
        self.label = document.path or document.id
        self.norm = norm
        self.cps = norm.codepoints()
        self.length = len(self.cps)
        self.spaced = written_with_spaces(norm.text)
        self.min_passage = min_passage * (SPACED_PASSAGE_FACTOR if self.spaced else 1)
        self.listed, learned = stock.masks(norm.text, self.cps)
        self.base = np.zeros(self.length, dtype=bool) if base is None else base
        self.common = self.listed | learned | self.base
        self.aligned: _Lazy | None = None
        self.kgrams = shingle_hashes(self.cps, _K) if self.length >= _K else np.empty(0, np.uint64)
        common_k = np.concatenate(([0], np.cumsum(self.common, dtype=np.int64)))
        starts = np.arange(len(self.kgrams))
        self.free = (common_k[starts + _K] - common_k[starts]) < _K
        self.need = max(1, self.min_passage - 2 * (_K - 1) - 1)

    def is_itself(self, source: Document) -> bool:
        """Whether a corpus document is the draft itself (same id or path)."""
        return source.id == self.document.id or (
            self.document.path is not None and source.path == self.document.path
        )

    def shares_enough(self, table: KgramTable) -> bool:
        """Whether a source shares enough k-grams outside common phrases to hold a passage."""
        return int((table.contains(self.kgrams) & self.free).sum()) >= self.need

    def phrases(self) -> tuple[CommonPhrase, ...]:
        """The stretches of the draft made of common phrases."""
        found = []
        for c0, c1 in runs(self.common):
            o0, o1 = self.norm.original_span(c0, c1)
            origin: PhraseOrigin = "learned"
            if self.base[c0:c1].any():
                origin = "base"
            elif self.listed[c0:c1].any():
                origin = "listed"
            found.append(CommonPhrase(o0, o1, self.document.text[o0:o1], origin))
        return tuple(found)


def _report(
    d: _Draft, found: Sequence[tuple[SourceReuse, np.ndarray]], exclusions: Exclusions
) -> DraftReport:
    """The draft's report: the copy ratio with and without each exclusion, its sections."""
    covered = np.zeros(d.length, dtype=bool)
    others = np.zeros(d.length, dtype=bool)
    for source, counted in found:
        covered |= counted
        if not source.own:
            others |= counted
    spans = quotation_spans(d.document.text)
    quoted = quoted_mask(d.norm, spans)
    counted_mask = others & ~quoted if exclusions.quotes else others
    text = d.document.text
    return DraftReport(
        d.label,
        d.length,
        float(covered.sum()) / d.length,
        tuple(source for source, _ in found),
        d.phrases(),
        copy_ratio_without_quotes=float((covered & ~quoted).sum()) / d.length,
        copy_ratio_without_own=float(others.sum()) / d.length,
        counted_ratio=float(counted_mask.sum()) / d.length,
        quotations=tuple(Quotation(s, e, text[s:e]) for s, e in spans),
        sections=_sections(d, found, covered),
    )


def _sections(
    d: _Draft, found: Sequence[tuple[SourceReuse, np.ndarray]], covered: np.ndarray
) -> tuple[SectionReuse, ...]:
    """Each section of a draft with two or more numbered headings, and what it reuses."""
    sections = find_sections(d.document.text)
    if len(sections) < 2:
        return ()
    # The section of each normalised character (the sections cover the text in order).
    ids = np.searchsorted([s.start for s in sections], np.asarray(d.norm.offsets), side="right") - 1
    size = len(sections)
    lengths = np.bincount(ids, minlength=size)
    reused = np.bincount(ids[covered], minlength=size)
    per_source = [np.bincount(ids[counted], minlength=size) for _, counted in found]
    out = []
    for n, section in enumerate(sections):
        if not lengths[n]:
            continue
        shares = [
            (int(counts[n]), source.source) for counts, (source, _) in zip(per_source, found, strict=True)
        ]
        best = max(shares, key=lambda s: s[0], default=(0, None))
        passages = sum(
            p.draft_start < section.end and p.draft_end > section.start
            for source, _ in found
            for p in source.passages
        )
        length = int(lengths[n])
        out.append(
            SectionReuse(
                section.heading,
                section.start,
                section.end,
                length,
                float(reused[n]) / length,
                best[1] if best[0] else None,
                best[0] / length,
                passages,
            )
        )
    return tuple(out)


class _Lazy:
    """A value made on first use."""

    def __init__(self, make: Callable[[], AlignedText]) -> None:
        self._make = make
        self._value: AlignedText | None = None

    def get(self) -> AlignedText:
        if self._value is None:
            self._value = self._make()
        return self._value
