"""The workflows behind every command: scan, check, compare, add to an index.

Each is one library call that reads its inputs, runs the engine and returns
a typed result carrying everything a renderer needs (texts, settings, the
gate's outcome). The command line, the Spark job and any editorial tool call
these and only render what comes back; nothing here prints or exits.

Examples:
    >>> import detector
    >>> a = "坚决打赢2022年污染防治攻坚战，系统提升我县城乡人居环境，持续改善全县生态环境质量。"
    >>> c = detector.compare(a, a.replace("2022", "2023"))
    >>> c.verdict, [(s.kind, s.old, s.new) for s in c.swaps]
    ('recycled', [('year', '2022', '2023')])
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from detector.config import MAX_BYTES, CheckOptions, Config
from detector.corpus import MAX_PAIRS, Corpus
from detector.diff import AlignedText, changes, merge_swaps
from detector.errors import ConfigError, EmptyDocumentError, SourceError
from detector.exclusions import NO_EXCLUSIONS, Exclusions
from detector.fingerprint import EMPTY_REASON, Fingerprinter
from detector.gate import Gate
from detector.normalize import FurnitureRules
from detector.progress import NO_PROGRESS, Progress
from detector.results import CheckResult, Comparison, DraftReport, ScanResult
from detector.scoring import PairScorer
from detector.sources import Document, find_documents, read_document, read_documents
from detector.store import AddResult, Index
from detector.swaps import Lexicon, load_lexicon
from detector.workers import workers

__all__ = ["AddRun", "CheckTarget", "Engine", "add", "check", "compare", "compare_files", "scan"]

Engine = Literal["local", "spark"]
#: Settings of the target reported with a check's results, beside ``min_passage``.
_CHECK_SETTINGS = ("common_df", "ngram", "canonical", "mask_entities")


class CheckTarget(Protocol):
    """Something drafts can be checked against: a :class:`~detector.Corpus` or an :class:`~detector.Index`."""

    config: Config

    def check(
        self,
        draft: Document | str,
        /,
        *,
        min_passage: int | None = None,
        max_candidates: int | None = None,
        lexicon: Lexicon | None = None,
        exclusions: Exclusions = NO_EXCLUSIONS,
    ) -> DraftReport:
        """What a draft reuses from the target (the draft is passed by position)."""
        ...

    def text(self, label: str) -> str:
        """The original text of one of the target's documents, by path or id."""
        ...


def _errors(errors: Sequence[SourceError]) -> tuple[tuple[str, str], ...]:
    return tuple((e.path, e.reason) for e in errors)


def scan(
    paths: Sequence[str | os.PathLike[str]],
    *,
    config: Config | None = None,
    rules: FurnitureRules | None = None,
    include_all: bool = False,
    engine: Engine = "local",
    spark_master: str = "local[*]",
    spark_output: str | Path | None = None,
    max_bytes: int = MAX_BYTES,
    max_pairs: int | None = MAX_PAIRS,
    jobs: int = 0,
    progress: Progress = NO_PROGRESS,
) -> ScanResult:
    """Find the recycled and partly reused documents among files and folders.

    Args:
        paths: Files and folders (folders recursively).
        config: Settings (defaults: :class:`Config`).
        rules: Furniture rules (the bundled ones by default).
        include_all: Also list verified candidate pairs below both thresholds (local engine).
        engine: ``local`` (this process) or ``spark`` (Apache Spark).
        spark_master: Spark master URL for the ``spark`` engine.
        spark_output: With ``spark``: folder for ``scan.json`` and Parquet tables.
        max_bytes: Files larger than this are refused rather than read.
        max_pairs: Most pairs kept, the best-ranked ones (``None``: all); the
            others are counted in :attr:`ScanResult.pairs_dropped`.
        jobs: Processes that normalise and sketch (local engine; 0: one per core,
            fewer for small inputs; see :func:`detector.workers.workers`).
            The result is the same for any number.
        progress: Told of reading and sketching.

    Returns:
        The :class:`ScanResult`; inputs that could not be read are in ``errors``.

    Raises:
        ConfigError: Options that do not go together, or ``max_pairs`` below 1.
        SparkUnavailableError: The ``spark`` engine cannot start.
    """
    config = config or Config()
    if max_pairs is not None and max_pairs < 1:
        raise ConfigError(f"max_pairs must be at least 1, not {max_pairs}")
    if engine == "spark":
        if include_all:
            raise ConfigError("--all works with --engine local only")
        from detector import spark

        session = spark.session(spark_master)
        return spark.scan(
            session,
            [str(p) for p in paths],
            config,
            rules=rules,
            output=spark_output,
            max_bytes=max_bytes,
            max_pairs=max_pairs,
        )
    if spark_output is not None:
        raise ConfigError("--spark-output works with --engine spark")
    corpus = Corpus(config, rules=rules)
    files, errors = find_documents(paths)
    corpus.add_files(
        files,
        max_bytes=max_bytes,
        progress=progress.task("reading and sketching", len(files)),
        on_error=errors.append,
        jobs=jobs,
    )
    return corpus.scan(include_all=include_all, errors=_errors(errors), max_pairs=max_pairs)


def compare(
    a: str | Document,
    b: str | Document,
    *,
    config: Config | None = None,
    rules: FurnitureRules | None = None,
    lexicon: Lexicon | None = None,
) -> Comparison:
    """Compare two documents: their scores, what ``b`` reuses from ``a``, and what was swapped.

    The scores are those of the pair in ``detector scan``; ``reuse`` is
    ``b`` checked against ``a`` alone, as ``detector check b --against a``
    reports it, each passage with the swaps inside it; the swap table,
    insertions, deletions and moves come from aligning the two whole texts.
    Two texts too different to align whole (``related`` false), or aligned
    but no copies of each other (verdict ``none``), still share the passages
    ``reuse`` lists: their swap table is then the swaps inside those passages.

    Args:
        a: The first (older) document or its text.
        b: The second document or its text.
        config: Settings (defaults: :class:`Config`).
        rules: Furniture rules (bundled ones by default).
        lexicon: Spin lexicon (bundled one by default).

    Returns:
        A :class:`~detector.results.Comparison` whose positions are offsets in
        the original texts.

    Raises:
        EmptyDocumentError: A document has nothing to match once normalised.

    Examples:
        >>> c = compare("坚决打赢2022年污染防治攻坚战，为县域发展提供坚实基础。",
        ...             "坚决打赢2023年污染防治攻坚战,为县域开展提供坚实根底")
        >>> [(s.kind, s.old, s.new) for s in c.swaps]
        [('year', '2022', '2023'), ('synonym', '发展', '开展'), ('synonym', '基础', '根底')]
    """
    config = config or Config()
    lexicon = lexicon or load_lexicon()
    first, second = _pair_documents(a, b)
    fingerprinter = Fingerprinter(config, rules)
    scores = PairScorer(fingerprinter).score(fingerprinter.one(first), fingerprinter.one(second))
    assert scores is not None
    corpus = Corpus(config, rules=rules)
    corpus.add(first)
    reuse = corpus.check(second, lexicon=lexicon)
    found = changes(
        AlignedText.of(first.text, config, rules), AlignedText.of(second.text, config, rules), lexicon
    )
    # Texts that align whole but are no copies (two days of news) share only
    # passages: the swaps inside those are the table, not the alignment's
    # pairing of unrelated sentences in between.
    whole = found.related and (scores.verdict != "none" or not reuse.sources)
    return Comparison(
        _label(first),
        _label(second),
        scores.similarity,
        found.related,
        found.swaps if whole else merge_swaps(s for r in reuse.sources for p in r.passages for s in p.swaps),
        found.inserted,
        found.deleted,
        found.moved,
        raw_similarity=scores.raw_similarity,
        containment_a_in_b=scores.containment_a_in_b,
        containment_b_in_a=scores.containment_b_in_a,
        verdict=scores.verdict,
        reuse=reuse,
        texts={_label(first): first.text, _label(second): second.text},
    )


def _label(document: Document) -> str:
    return document.path or document.id


def _pair_documents(a: str | Document, b: str | Document) -> tuple[Document, Document]:
    """The two documents of a comparison, with labels that tell them apart."""
    first = a if isinstance(a, Document) else Document("a", a)
    second = b if isinstance(b, Document) else Document("b", b)
    if _label(first) == _label(second):
        second = Document(_label(second) + " (b)", second.text, None, second.encoding)
    return first, second


def compare_files(
    a: str | os.PathLike[str],
    b: str | os.PathLike[str],
    *,
    config: Config | None = None,
    rules: FurnitureRules | None = None,
    lexicon: Lexicon | None = None,
    max_bytes: int = MAX_BYTES,
) -> Comparison:
    """Read two files (none larger than ``max_bytes``) and :func:`compare` them.

    Raises:
        SourceError: A file cannot be read.
    """
    first, second = (read_document(p, max_bytes=max_bytes) for p in (a, b))
    return compare(first, second, config=config, rules=rules, lexicon=lexicon)


@dataclass(frozen=True)
class _Archive:
    """What drafts are checked against: files to read into memory, or an index file."""

    against: Sequence[str | os.PathLike[str]] | None
    index: str | os.PathLike[str] | None
    redis: str | None
    config: Config
    expect: tuple[str, ...]
    rules: FurnitureRules | None
    phrases: Sequence[str] | None
    max_bytes: int
    jobs: int = 0

    def __post_init__(self) -> None:
        if (self.against is None) == (self.index is None):
            raise ConfigError("give the corpus with either --against PATH... or --index INDEX")
        if self.redis and self.index is None:
            raise ConfigError("--redis works with --index")

    @contextlib.contextmanager
    def open(self, progress: Progress, errors: list[SourceError]) -> Iterator[CheckTarget]:
        """The archive as a check target: the index opened, or the files read and indexed in memory."""
        if self.index is not None:
            path = Path(self.index)
            with Index.open(
                path,
                self.config,
                redis=self.redis,
                check=self.expect,
                rules=self.rules,
                phrases=self.phrases,
                read_only=True,
            ) as stored:
                yield stored
            return
        corpus = Corpus(self.config, rules=self.rules, phrases=self.phrases)
        sources, read_errors = read_documents(self.against or (), max_bytes=self.max_bytes, progress=progress)
        errors.extend(read_errors)
        corpus.add_many(
            sources,
            progress=progress.task("indexing", len(sources)),
            on_error=errors.append,
            jobs=self.jobs,
            keep_forms=True,
        )
        corpus.reuse_index()
        yield corpus


def check(
    drafts: Sequence[str | os.PathLike[str]],
    *,
    against: Sequence[str | os.PathLike[str]] | None = None,
    index: str | os.PathLike[str] | None = None,
    redis: str | None = None,
    config: Config | None = None,
    options: CheckOptions | None = None,
    expect: Sequence[str] = (),
    rules: FurnitureRules | None = None,
    phrases: Sequence[str] | None = None,
    lexicon: Lexicon | None = None,
    gate: Gate | None = None,
    max_bytes: int = MAX_BYTES,
    jobs: int = 0,
    progress: Progress = NO_PROGRESS,
    exclude_quotes: bool = False,
    own: Sequence[str] = (),
    base: Sequence[str | os.PathLike[str]] = (),
) -> CheckResult:
    """Check drafts against files (``against``) or an index (``index``), and judge them by the gate.

    Args:
        drafts: Draft files and folders.
        against: Files and folders to check against (read into memory).
        index: An index file to check against (see :class:`~detector.Index`).
        redis: ``redis://host:port/db`` of the index's whole-document LSH.
        config: Settings of the files read with ``against``; with ``index``,
            the index's own are used (``expect`` names those that must agree).
        options: Options of the check (``min_passage``, ``max_candidates``).
        expect: With ``index``, the names of settings that must equal the
            index's (those the user gave explicitly).
        rules: Furniture rules (bundled ones by default).
        phrases: Listed common phrases (the bundled list by default).
        lexicon: Spin lexicon for the swaps (bundled one by default).
        gate: When a draft fails (default: never).
        max_bytes: Files larger than this are refused rather than read.
        jobs: Processes that normalise and sketch the files of ``against`` (0: one per
            core, fewer for small inputs). The result is the same for any number.
        progress: Told of reading, indexing and checking.
        exclude_quotes: The gate judges the copy ratio without quotations
            (the ratio is reported either way).
        own: Paths, folders or glob patterns of the author's own earlier
            work: those sources are counted apart and the gate judges the
            ratio without them.
        base: Base (template) files and folders: text a draft shares with
            them never counts (see :mod:`detector.exclusions`).

    Returns:
        A :class:`CheckResult` with one report per draft read, the inputs
        that could not be read, the texts of drafts and sources, the settings
        and the gate's outcome.

    Raises:
        ConfigError: Neither or both of ``against`` and ``index``.
        IndexFileError: The index is missing, damaged or built with other
            settings than ``expect`` names.
    """
    options = options or CheckOptions()
    archive = _Archive(
        against, index, redis, config or Config(), tuple(expect), rules, phrases, max_bytes, jobs
    )
    errors: list[SourceError] = []
    base_documents: list[Document] = []
    if base:
        base_documents, base_errors = read_documents(base, max_bytes=max_bytes)
        errors.extend(base_errors)
    exclusions = Exclusions(exclude_quotes, tuple(str(p) for p in own), tuple(base_documents))
    with archive.open(progress, errors) as target:
        documents, draft_errors = read_documents(drafts, max_bytes=max_bytes, progress=progress)
        errors.extend(draft_errors)
        checked = _check_each(target, documents, options, lexicon, progress, errors, exclusions)
        reports = tuple(report for _, report in checked)
        texts = _texts(target, [document for document, _ in checked], reports)
        settings: dict[str, object] = {"min_passage": options.min_passage}
        settings.update((name, getattr(target.config, name)) for name in _CHECK_SETTINGS)
        settings["exclusions"] = exclusions.to_dict()
    return CheckResult(reports, _errors(errors), settings, texts, gate or Gate())


def _check_each(
    target: CheckTarget,
    documents: Sequence[Document],
    options: CheckOptions,
    lexicon: Lexicon | None,
    progress: Progress,
    errors: list[SourceError],
    exclusions: Exclusions = NO_EXCLUSIONS,
) -> list[tuple[Document, DraftReport]]:
    """Each draft checked against the target; a draft with nothing to match goes to ``errors``.

    Such a draft (punctuation or furniture only) is refused as ``scan`` and
    ``index add`` refuse it, rather than reported as reusing nothing.
    """
    advance = progress.task("checking", len(documents))
    checked = []
    for document in documents:
        report = target.check(
            document,
            min_passage=options.min_passage,
            max_candidates=options.max_candidates,
            lexicon=lexicon,
            exclusions=exclusions,
        )
        if report.length:
            checked.append((document, report))
        else:
            errors.append(EmptyDocumentError(_label(document), EMPTY_REASON))
        advance(1)
    return checked


def _texts(target: CheckTarget, drafts: Sequence[Document], reports: Sequence[DraftReport]) -> dict[str, str]:
    """The original texts of the drafts and of every source they reuse, by label."""
    texts = {_label(d): d.text for d in drafts}
    for report in reports:
        for source in report.sources:
            if source.source not in texts:
                texts[source.source] = target.text(source.source)
    return texts


@dataclass(frozen=True)
class AddRun:
    """What adding files to an index did.

    Attributes:
        index: The index file.
        result: Paths added, updated and left unchanged.
        documents: Documents in the index afterwards.
        errors: ``(path, reason)`` of each input that could not be added.
    """

    index: str
    result: AddResult
    documents: int
    errors: tuple[tuple[str, str], ...] = ()


def add(
    index: str | os.PathLike[str],
    paths: Sequence[str | os.PathLike[str]],
    *,
    config: Config | None = None,
    expect: Sequence[str] | None = None,
    rules: FurnitureRules | None = None,
    redis: str | None = None,
    jobs: int = 0,
    max_bytes: int = MAX_BYTES,
    progress: Progress = NO_PROGRESS,
) -> AddRun:
    """Add files and folders to an index, creating it when missing.

    Args:
        index: The index file.
        paths: Files and folders to add.
        config: Settings of a new index.
        expect: For an existing index, the names of settings that must equal
            its own (default: all that shape an index).
        rules: Furniture rules (bundled ones by default).
        redis: ``redis://host:port/db`` of the whole-document LSH.
        jobs: Processes that sketch (0: one per core, fewer for small inputs;
            see :func:`detector.workers.workers`).
        max_bytes: Files larger than this are refused rather than read.
        progress: Told of each document added.

    Returns:
        The :class:`AddRun`.
    """
    config = config or Config()
    files, errors = find_documents(paths)
    existed = Path(index).exists()
    with Index.create(Path(index), config, redis=redis, check=expect if existed else None) as stored:
        advance = progress.task("adding", len(files))

        def documents() -> Iterator[Document]:
            for f in files:
                try:
                    yield read_document(f, max_bytes=max_bytes)
                except SourceError as exc:
                    errors.append(exc)
                    advance(1)

        done = stored.add(
            documents(), rules=rules, progress=advance, on_error=errors.append, jobs=workers(jobs, len(files))
        )
        total = len(stored)
    return AddRun(str(index), done, total, _errors(errors))
