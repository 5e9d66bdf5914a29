"""An in-memory corpus: fingerprints, a MinHash-LSH index and exact verification.

Data flows one way: read, normalise, shingle, sketch, index in datasketch's
``MinHashLSH``, query for candidates, then verify every candidate with the
exact Jaccard similarity and containment of the two n-gram sets. A pair the
LSH proposes by chance never reaches the user: it fails verification.
"""

from __future__ import annotations

import heapq
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence

import numpy as np

from detector.bands import Bands
from detector.canonical import matching_form
from detector.components import DisjointSets
from detector.config import MAX_BYTES, Config
from detector.errors import ConfigError, EmptyDocumentError, SourceError, UnknownDocumentError
from detector.exclusions import NO_EXCLUSIONS, Exclusions
from detector.fingerprint import (
    EMPTY_REASON,
    Fingerprint,
    Fingerprinter,
    FormParts,
    load_tables,
    read_and_sketch,
    sketch_texts,
    text_crc,
)
from detector.normalize import FurnitureRules, NormalizedText
from detector.phrases import families, load_phrases
from detector.results import DraftReport, Match, Pair, ScanResult
from detector.reuse import ReuseIndex
from detector.scoring import PairScorer, Scores, Verdict, exact_scores, group_recycled, may_pass, rank
from detector.shingle import shingle_sets
from detector.sources import Document
from detector.swaps import Lexicon
from detector.workers import ordered_map, workers

__all__ = ["MAX_PAIRS", "Corpus", "UnknownDocumentError", "similarity", "similarity_of"]

_BATCH = 256
#: Documents whose n-gram sets a scan of files holds at a time, per block (two blocks at most).
_BLOCK = 4096
#: The n-gram set of a document added by :meth:`Corpus.add_files`, until its file is read again.
_NO_SET = np.empty(0, dtype=np.uint64)
#: Most pairs a scan keeps by default: the best-ranked ones (100,000 pairs are
#: about 30 MB of JSON; every further pair is only counted).
MAX_PAIRS = 100_000


class _Best:
    """The best-ranked pairs offered, at most ``limit`` of them, kept in a bounded heap.

    The heap's first entry is the worst pair kept (lowest similarity, then
    containment, then latest in corpus order), the one a better pair replaces.

    Args:
        limit: Most pairs kept (``None``: all).
        order: Position of each document in the corpus.
    """

    def __init__(self, limit: int | None, order: dict[str, int]) -> None:
        if limit is not None and limit < 1:
            raise ConfigError(f"max_pairs must be at least 1, not {limit}")
        self.limit = limit
        self.order = order
        self.offered = 0
        self._heap: list[tuple[tuple[float, float, int, int], Pair, Scores]] = []

    def offer(self, pair: Pair, scores: Scores) -> None:
        """Keep a pair if it ranks among the best ``limit`` seen so far."""
        self.offered += 1
        key = (
            scores.similarity,
            max(scores.containment_a_in_b, scores.containment_b_in_a),
            -self.order[pair.a],
            -self.order[pair.b],
        )
        if self.limit is None or len(self._heap) < self.limit:
            heapq.heappush(self._heap, (key, pair, scores))
        elif key > self._heap[0][0]:
            heapq.heapreplace(self._heap, (key, pair, scores))

    @property
    def dropped(self) -> int:
        """Pairs offered but not kept."""
        return self.offered - len(self._heap)

    def ranked(self) -> list[Pair]:
        """The pairs kept, best first (:func:`~detector.scoring.rank`)."""
        return rank([(p, s) for _, p, s in self._heap], lambda p: (self.order[p.a], self.order[p.b]))


class Corpus:
    """A collection of documents searchable for near-duplicates.

    Args:
        config: Settings (defaults: :class:`Config`).
        rules: Furniture rules for normalisation (defaults: the bundled ones).
        phrases: Listed common phrases, normalised (default: the bundled
            list, :func:`detector.load_phrases`).

    Examples:
        >>> from detector import Corpus
        >>> corpus = Corpus()
        >>> corpus.add("坚决打赢2022年污染防治攻坚战，系统提升我县城乡人居环境。", id="a")
        'a'
        >>> corpus.add("坚决打赢2023年污染防治攻坚战，系统提升我县城乡人居环境。", id="b")
        'b'
        >>> [(p.a, p.b, p.verdict) for p in corpus.pairs()]
        [('a', 'b', 'recycled')]
    """

    def __init__(
        self,
        config: Config | None = None,
        *,
        rules: FurnitureRules | None = None,
        phrases: Sequence[str] | None = None,
    ) -> None:
        self.config = config or Config()
        self.rules = rules
        self.fingerprinter = Fingerprinter(self.config, rules)
        self.sketcher = self.fingerprinter.sketcher
        self._scorer = PairScorer(self.fingerprinter)
        self._bands = Bands.for_threshold(self.config.lsh_threshold, self.config.num_perm)
        self._matrix: np.ndarray | None = None
        self._entries: dict[str, Fingerprint] = {}
        self._files: dict[str, tuple[str, int]] = {}
        self._samples: dict[str, np.ndarray] = {}
        self._file_errors: list[SourceError] = []
        self._jobs = 1
        self._max_bytes = MAX_BYTES
        self._counter = itertools.count(1)
        self._reuse: ReuseIndex | None = None
        self._phrases: tuple[str, ...] = load_phrases() if phrases is None else tuple(phrases)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, id: object) -> bool:
        return id in self._entries

    @property
    def ids(self) -> tuple[str, ...]:
        """Ids of the documents, in the order they were added."""
        return tuple(self._entries)

    def get(self, id: str) -> Fingerprint:
        """The fingerprint of a document.

        Raises:
            UnknownDocumentError: No such id.
        """
        try:
            fp = self._entries[id]
        except KeyError:
            raise UnknownDocumentError(f"no document with id {id!r} in the corpus") from None
        if id not in self._files:
            return fp
        (full,) = self._full([fp])
        if full is None:
            raise self._file_errors[-1]
        return full

    def fingerprints(
        self,
        documents: Sequence[Document],
        *,
        on_error: Callable[[SourceError], None] | None = None,
    ) -> list[Fingerprint]:
        """Normalise, shingle and sketch documents in one batch.

        Args:
            documents: The documents.
            on_error: Called with the error of each document that has nothing
                to match, which is then left out; without it, the error is raised.

        Raises:
            EmptyDocumentError: A document has no text left after normalisation
                (and no ``on_error`` was given).
        """
        made = []
        for document, fp in zip(documents, self.fingerprinter.batch(documents), strict=True):
            if fp is not None:
                made.append(fp)
                continue
            error = EmptyDocumentError(document.path or document.id, EMPTY_REASON)
            if on_error is None:
                raise error
            on_error(error)
        return made

    def _as_document(self, item: Document | str, id: str | None) -> Document:
        if isinstance(item, Document):
            return item if id is None else Document(id, item.text, item.path, item.encoding)
        if id is None:
            id = f"doc-{next(self._counter)}"
            while id in self._entries:
                id = f"doc-{next(self._counter)}"
        return Document(id=id, text=item)

    def add(self, item: Document | str, id: str | None = None) -> str:
        """Add one document (a :class:`Document` or a text).

        Adding an id that is already present replaces that document.

        Args:
            item: The document or its text.
            id: Its id (default: the document's id, or ``doc-N`` for a text).

        Returns:
            The id it was stored under.

        Raises:
            EmptyDocumentError: Nothing to match is left after normalisation.
        """
        return self.add_many([self._as_document(item, id)])[0]

    def add_many(
        self,
        items: Iterable[Document | str],
        *,
        progress: Callable[[int], None] | None = None,
        on_error: Callable[[SourceError], None] | None = None,
        jobs: int = 1,
        keep_forms: bool = False,
    ) -> list[str]:
        """Add many documents, sketched in batches and bulk-loaded into the LSH.

        Args:
            items: Documents or texts.
            progress: Called with the number of documents done after each batch.
            on_error: Called for each document with nothing to match, which is
                skipped; without it, the error is raised.
            jobs: Processes that sketch (see :func:`detector.workers.workers`;
                the result is the same for any number).
            keep_forms: Keep each document's matching form, so that the
                passage index (:meth:`reuse_index`) need not make it again.

        Returns:
            Their ids, in order.

        Raises:
            EmptyDocumentError: A document has nothing to match; documents of
                earlier batches stay added.
        """
        documents = [self._as_document(item, None) for item in items]
        batches = (documents[start : start + _BATCH] for start in range(0, len(documents), _BATCH))
        ids: list[str] = []
        for batch, made in ordered_map(
            sketch_texts,
            batches,
            workers(jobs, len(documents)),
            lambda batch: ([d.text for d in batch], self.config, self.rules, keep_forms),
            prepare=lambda: load_tables(self.config, self.rules),
        ):
            added: set[str] = set()
            for fp in self._kept(batch, made, on_error):
                if fp.id not in added:
                    self._put(fp)
                    added.add(fp.id)
                    ids.append(fp.id)
            if progress is not None:
                progress(len(batch))
        return ids

    def add_files(
        self,
        files: Sequence[str | os.PathLike[str]],
        *,
        max_bytes: int = MAX_BYTES,
        progress: Callable[[int], None] | None = None,
        on_error: Callable[[SourceError], None] | None = None,
        jobs: int = 1,
    ) -> list[str]:
        """Read and add files, keeping of each only what finding candidates needs.

        A scan of many files keeps each file's signature and a sample of its
        n-gram set (about 4 KB a document) rather than its text and n-gram
        set: candidate pairs are screened by their samples
        (:func:`~detector.scoring.may_pass`) and the files of those left are
        read again to verify them. A file that changed or went away between
        the two readings is left out of the pairs and reported (see
        :meth:`scan`).

        Args:
            files: Document files (see :func:`~detector.sources.find_documents`).
            max_bytes: Refuse files larger than this.
            progress: Called with the number of files done after each batch.
            on_error: Called for each file that cannot be read or has nothing
                to match, which is skipped; without it, the error is raised.
            jobs: Processes that read and sketch (see :func:`detector.workers.workers`;
                the result is the same for any number).

        Returns:
            The ids of the documents added, in order.
        """
        self._jobs, self._max_bytes = workers(jobs, len(files)), max_bytes
        batches = (list(files[start : start + _BATCH]) for start in range(0, len(files), _BATCH))
        ids: list[str] = []
        for batch, made in ordered_map(
            read_and_sketch,
            batches,
            self._jobs,
            lambda batch: (batch, self.config, self.rules, max_bytes),
            prepare=lambda: load_tables(self.config, self.rules),
        ):
            for path, item in zip(batch, made, strict=True):
                if isinstance(item, SourceError):
                    if on_error is None:
                        raise item
                    on_error(item)
                    continue
                assert isinstance(item, tuple)
                document, signature, length, crc, sampled = item
                self._put(Fingerprint(document, _NO_SET, signature, length))
                self._files[document.id] = (os.fspath(path), crc)
                self._samples[document.id] = sampled
                ids.append(document.id)
            if progress is not None:
                progress(len(batch))
        return ids

    def _full(self, prints: Sequence[Fingerprint]) -> list[Fingerprint | None]:
        """Whole fingerprints of documents added by :meth:`add_files`, their files read again.

        ``None`` for a file that changed or cannot be read any more; its
        error is kept for :meth:`scan`.
        """
        lean = [fp for fp in prints if fp.id in self._files]
        paths = [self._files[fp.id][0] for fp in lean]
        batches = (paths[start : start + _BATCH] for start in range(0, len(paths), _BATCH))
        again: dict[str, Fingerprint | None] = {}
        for batch, made in ordered_map(
            read_and_sketch,
            batches,
            min(self._jobs, max(1, len(paths) // _BATCH)),
            lambda batch: (batch, self.config, self.rules, self._max_bytes, True),
        ):
            for fp, item in zip(lean[len(again) : len(again) + len(batch)], made, strict=True):
                again[fp.id] = self._checked(fp, item)
        return [again.get(fp.id, fp) for fp in prints]

    def _checked(self, fp: Fingerprint, item: object) -> Fingerprint | None:
        """A document read again, if it still holds the text first read."""
        if isinstance(item, Fingerprint) and text_crc(item.document.text) == self._files[fp.id][1]:
            return item
        path = fp.document.path or fp.id
        reason = item.reason if isinstance(item, SourceError) else "changed while it was scanned; scan again"
        self._file_errors.append(SourceError(path, reason))
        return None

    def _put(self, fp: Fingerprint) -> None:
        """Store a fingerprint, replacing the document of the same id."""
        if fp.id in self._entries:
            self.remove(fp.id)
        self._entries[fp.id] = fp
        self._changed()

    @staticmethod
    def _kept(
        batch: Sequence[Document],
        made: Sequence[tuple[np.ndarray, np.ndarray, int, FormParts | None] | None],
        on_error: Callable[[SourceError], None] | None,
    ) -> list[Fingerprint]:
        """The fingerprints of a sketched batch; a document with nothing to match goes to ``on_error``."""
        prints = []
        for document, parts in zip(batch, made, strict=True):
            if parts is not None:
                shingles, signature, length, form = parts
                if form is None:
                    prints.append(Fingerprint(document, shingles, signature, length))
                    continue
                norm = NormalizedText(form[0], form[1], document.text, form[2])
                prints.append(Fingerprint(document, shingles, signature, length, norm, form[3]))
                continue
            error = EmptyDocumentError(document.path or document.id, EMPTY_REASON)
            if on_error is None:
                raise error
            on_error(error)
        return prints

    def remove(self, id: str) -> None:
        """Remove a document.

        Raises:
            UnknownDocumentError: No such id.
        """
        if id not in self._entries:
            raise UnknownDocumentError(f"no document with id {id!r} in the corpus")
        del self._entries[id]
        self._files.pop(id, None)
        self._samples.pop(id, None)
        self._changed()

    def _changed(self) -> None:
        self._reuse = None
        self._matrix = None

    def _signatures(self) -> np.ndarray:
        """The signatures of the documents, one row each, in corpus order."""
        if self._matrix is None:
            rows = [fp.signature for fp in self._entries.values()]
            self._matrix = np.stack(rows) if rows else np.empty((0, self.config.num_perm), dtype=np.uint32)
        return self._matrix

    def _candidates(self, fp: Fingerprint) -> list[str]:
        ids = list(self._entries)
        return [ids[i] for i in self._bands.query(self._signatures(), fp.signature).tolist()]

    def query(self, item: Document | str, *, include_all: bool = False) -> list[Match]:
        """Find the corpus documents similar to a text.

        Args:
            item: The query document or text (not added to the corpus).
            include_all: Also return verified candidates below both thresholds.

        Returns:
            Matches ranked by similarity, then containment.
        """
        document = item if isinstance(item, Document) else Document(id="<query>", text=item)
        fp = self.fingerprinter.one(document)
        matches = []
        found = [
            cid for cid in self._candidates(fp) if not (cid == document.id and isinstance(item, Document))
        ]
        for cid, other in zip(found, self._full([self._entries[cid] for cid in found]), strict=True):
            scores = None if other is None else self._scorer.score(fp, other, include_all=include_all)
            if scores is not None:
                matches.append((scores.match(cid), scores))
        return rank(matches, lambda m: (m.id,))

    def _verified(self, include_all: bool) -> Iterator[tuple[Pair, Scores]]:
        """Every verified pair with its scores, ``a`` the document added first."""
        ids = list(self._entries)
        candidates = self._bands.pairs(self._signatures())
        if self._samples and not include_all:
            candidates = self._screened(candidates, ids)
        for pairs, prints in self._with_sets(candidates):
            for i, j in pairs.tolist():
                a, b = prints[i], prints[j]
                if a is None or b is None:
                    continue
                scores = self._scorer.score(a, b, include_all=include_all)
                if scores is not None:
                    yield scores.pair(ids[i], ids[j]), scores

    def _screened(self, pairs: np.ndarray, ids: Sequence[str]) -> np.ndarray:
        """The candidate pairs that may reach a verdict by their samples (:func:`~detector.scoring.may_pass`).

        Only documents added by :meth:`add_files` have samples; a pair with
        another document is always kept.
        """
        samples = [self._samples.get(id) for id in ids]
        keep = [
            a is None or b is None or may_pass(a, b, self.config)
            for a, b in ((samples[i], samples[j]) for i, j in pairs.tolist())
        ]
        return pairs[np.asarray(keep, dtype=bool)] if len(pairs) else pairs

    def _with_sets(
        self, pairs: np.ndarray
    ) -> Iterator[tuple[np.ndarray, dict[int, Fingerprint | None] | list[Fingerprint]]]:
        """Candidate pairs in blocks, each with the whole fingerprints of its documents.

        Documents added by :meth:`add_files` are read again, at most two
        blocks of :data:`_BLOCK` documents at a time, so memory stays bounded
        however many documents the pairs involve.
        """
        prints = list(self._entries.values())
        if not self._files:
            yield pairs, prints
            return
        involved = np.unique(pairs)
        blocks = [involved[start : start + _BLOCK] for start in range(0, len(involved), _BLOCK)]
        first = np.searchsorted(involved, pairs[:, 0]) // _BLOCK
        second = np.searchsorted(involved, pairs[:, 1]) // _BLOCK
        for x, block in enumerate(blocks):
            held = self._fetch(block, prints)
            for y in range(x, len(blocks)):
                chosen = (first == x) & (second == y)
                if chosen.any():
                    other = held if y == x else {**held, **self._fetch(blocks[y], prints)}
                    yield pairs[chosen], other

    def _fetch(self, numbers: np.ndarray, prints: Sequence[Fingerprint]) -> dict[int, Fingerprint | None]:
        """The whole fingerprints of the documents at these positions."""
        chosen = numbers.tolist()
        return dict(zip(chosen, self._full([prints[n] for n in chosen]), strict=True))

    def _best(self, include_all: bool, max_pairs: int | None, joined: DisjointSets[str]) -> _Best:
        """The best-ranked verified pairs; every ``recycled`` pair, kept or not, joins ``joined``."""
        best = _Best(max_pairs, {id: i for i, id in enumerate(self._entries)})
        for pair, scores in self._verified(include_all):
            best.offer(pair, scores)
            if pair.verdict == "recycled":
                joined.union(pair.a, pair.b)
        return best

    def pairs(self, *, include_all: bool = False, max_pairs: int | None = None) -> list[Pair]:
        """Every verified near-duplicate pair in the corpus, or the best-ranked ``max_pairs``.

        Args:
            include_all: Also list verified LSH candidates below both thresholds.
            max_pairs: Most pairs returned, the best-ranked ones (``None``: all).

        Returns:
            Pairs ranked by similarity, then containment; in each pair, ``a``
            is the document added first.

        Raises:
            ConfigError: ``max_pairs`` is below 1.
        """
        return self._best(include_all, max_pairs, DisjointSets()).ranked()

    def reuse_index(self) -> ReuseIndex:
        """The passage-level index of the corpus, built on first use after a change."""
        if self._reuse is None:
            prints = [fp for fp in self._full(list(self._entries.values())) if fp is not None]
            keys = [fp.windows for fp in prints]
            sets = [fp.shingles for fp in prints]
            family = (
                families(sets, np.stack([fp.signature for fp in prints]), self.config) if prints else None
            )
            self._reuse = ReuseIndex.build(
                [
                    (fp.document, fp.form or matching_form(fp.document.text, self.config, self.rules))
                    for fp in prints
                ],
                family,
                config=self.config,
                phrases=self._phrases,
                keys=keys if all(k is not None for k in keys) else None,
            )
        return self._reuse

    def check(
        self,
        item: Document | str,
        *,
        min_passage: int | None = None,
        max_candidates: int | None = None,
        lexicon: Lexicon | None = None,
        exclusions: Exclusions = NO_EXCLUSIONS,
    ) -> DraftReport:
        """Find the passages a draft reuses from the corpus, and how much.

        Args:
            item: The draft or its text (not added to the corpus). A corpus
                document with the same id or path is not checked against itself.
            min_passage: Fewest normalised characters, common phrases
                excluded, that make a passage reuse (default: :class:`CheckOptions`).
            max_candidates: Most candidate sources matched exactly (default:
                :class:`CheckOptions`).
            lexicon: Spin lexicon for the swaps inside passages.
            exclusions: Own work, base documents, quotations (:mod:`detector.exclusions`).

        Returns:
            A :class:`~detector.report.DraftReport`: copy ratio, sources ranked by
            copy ratio, passages with their swaps, common phrases.

        Examples:
            >>> text = "坚决打赢2022年污染防治攻坚战，系统提升我县城乡人居环境，持续改善全县生态环境质量。"
            >>> corpus = Corpus()
            >>> _ = corpus.add(text, id="2022")
            >>> report = corpus.check("今年要" + text.replace("2022", "2024"))
            >>> [(s.source, [(w.old, w.new) for p in s.passages for w in p.swaps]) for s in report.sources]
            [('2022', [('2022', '2024')])]
        """
        report = self.reuse_index().check(
            item,
            min_passage=min_passage,
            rules=self.rules,
            lexicon=lexicon,
            max_candidates=max_candidates,
            exclusions=exclusions,
        )
        document = item if isinstance(item, Document) else Document(id="<draft>", text=item)
        if not report.length:
            return report
        duplicates = [m for m in self.query(document) if m.id != document.id and not exclusions.is_base(m.id)]
        return report.with_duplicates(duplicates)

    def text(self, label: str) -> str:
        """The original text of a corpus document, by id or path.

        Raises:
            UnknownDocumentError: No such document.
        """
        if label not in self._entries:
            label = next((id for id, fp in self._entries.items() if fp.document.path == label), label)
        return self.get(label).document.text

    def groups(self, pairs: Sequence[Pair] | None = None) -> list[tuple[str, ...]]:
        """Groups of documents joined by ``recycled`` pairs (connected components).

        Args:
            pairs: Pairs to group (default: :meth:`pairs`).

        Returns:
            Groups of two or more ids, each in corpus order, largest first.
        """
        pairs = self.pairs() if pairs is None else pairs
        order = {id: i for i, id in enumerate(self._entries)}
        return group_recycled([(p.a, p.b, p.verdict) for p in pairs], order.__getitem__)

    def scan(
        self,
        *,
        include_all: bool = False,
        errors: Sequence[tuple[str, str]] = (),
        max_pairs: int | None = MAX_PAIRS,
    ) -> ScanResult:
        """Pairs and groups of the whole corpus.

        Pairs are ranked as they are verified and only the best ``max_pairs``
        are kept, so a corpus of many overlapping documents cannot fill the
        memory; the groups still join every ``recycled`` pair found.

        Args:
            include_all: Also list verified candidates below both thresholds.
            errors: ``(path, reason)`` of inputs that could not be read, to
                carry into the result.
            max_pairs: Most pairs kept, the best-ranked ones (``None``: all);
                the others are counted in ``pairs_dropped``.

        Returns:
            A :class:`ScanResult`.

        Raises:
            ConfigError: ``max_pairs`` is below 1.

        Examples:
            >>> corpus = Corpus()
            >>> _ = corpus.add_many(["坚决打赢污染防治攻坚战，系统提升城乡人居环境。"] * 3)
            >>> result = corpus.scan(max_pairs=2)
            >>> len(result.pairs), result.pairs_dropped, result.groups
            (2, 1, (('doc-1', 'doc-2', 'doc-3'),))
        """
        joined: DisjointSets[str] = DisjointSets()
        best = self._best(include_all, max_pairs, joined)
        links: list[tuple[str, str, Verdict]] = [
            (member, group[0], "recycled") for group in joined.groups() for member in group[1:]
        ]
        return ScanResult(
            documents=self.ids,
            pairs=tuple(best.ranked()),
            groups=tuple(group_recycled(links, best.order.__getitem__)),
            errors=tuple(dict.fromkeys((*errors, *((e.path, e.reason) for e in self._file_errors)))),
            settings=self.config.to_dict(),
            pairs_dropped=best.dropped,
        )


def similarity(a: str, b: str, config: Config | None = None) -> float:
    """Exact Jaccard similarity of two texts' character n-gram sets, as matching sees them.

    Args:
        a: First text.
        b: Second text.
        config: Settings (``ngram``, and ``canonical`` and ``mask_entities``
            for the form compared).

    Returns:
        A value in [0, 1]; 1.0 for two texts with the same n-grams.

    Examples:
        >>> round(similarity("全县生态环境保护大会", "全县生态环境保护会议"), 3)
        0.5
        >>> similarity("為縣域經濟開展提供根底", "为县域经济发展提供基础")
        1.0
        >>> round(similarity("為縣域經濟開展提供根底", "为县域经济发展提供基础", Config(canonical=False)), 3)
        0.0
    """
    config = config or Config()
    return similarity_of(matching_form(a, config), matching_form(b, config), config)


def similarity_of(a: NormalizedText, b: NormalizedText, config: Config | None = None) -> float:
    """Exact Jaccard similarity of two normalised texts' n-gram sets."""
    config = config or Config()
    sets = shingle_sets([a.codepoints(), b.codepoints()], config.ngram)
    return exact_scores(sets[0], sets[1])[0]
