"""Corpus-scale scans on Apache Spark, with the same results as ``detector scan``.

The job runs the project's own functions on the executors (reading,
normalisation, canonical form, shingling, sketching, exact verification),
and only the data movement is Spark's:

1. **Read**: a folder of text files (listed as ``detector scan`` lists them,
   read on the executors with :func:`detector.read_document`), or a Parquet
   or JSON Lines table with ``id`` and ``text`` columns.
2. **Sketch**: each partition is normalised, shingled and sketched in one
   batch, as :meth:`detector.Corpus.fingerprints` does.
3. **Band**: signatures are cut into the bands datasketch's ``MinHashLSH``
   would use for the configured threshold; documents sharing a band value
   share a bucket.
4. **Candidates**: pairs of each bucket. A large bucket (a stock paragraph
   shared by thousands of documents) is split into blocks of members, and
   every block pair is a task of its own, so no task holds the whole
   bucket's pairs. Within a task, pairs are compared on their signatures,
   vectorised, and a pair goes on only if the similarity its signatures
   estimate, raised by five standard errors, could reach the ``recycled``
   threshold or give a containment at the ``partial`` threshold.
5. **Verify**: exact Jaccard similarity and containment of the two n-gram
   sets, and the verdict, by :func:`detector.judge`.
6. **Rank and cap**: each partition keeps its best ``max_pairs`` verified
   pairs (ranked as ``detector scan`` ranks them), counts the others, and
   joins its ``recycled`` pairs into components; partitions are merged in a
   tree on the executors, so the driver receives the best ``max_pairs``
   pairs, the number dropped, and the links of the recycled groups
   (document numbers, one per grouped document) rather than every pair.
7. **Groups**: connected components of every ``recycled`` pair, kept or
   not, as the local scan groups them.

The result is a :class:`detector.ScanResult`, and, with an output folder,
``scan.json`` (the schema of ``detector scan --format json``) plus
``pairs.parquet`` and ``groups.parquet``.

Run it with ``detector scan --engine spark PATH`` (local Spark), or on a
cluster with ``spark-submit`` (see the README)::

    spark-submit detector/spark.py INPUT OUTPUT
"""

from __future__ import annotations

import heapq
import itertools
import json
import os
import sys
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import typer

from detector import bands, options
from detector.components import DisjointSets
from detector.config import MAX_BYTES, Config
from detector.corpus import MAX_PAIRS
from detector.errors import ConfigError, DetectorError, SourceError, SparkUnavailableError
from detector.fingerprint import Fingerprint, Fingerprinter
from detector.normalize import FurnitureRules, load_rules
from detector.results import Pair, ScanResult, plural, scan_to_json
from detector.scoring import PairScorer, Scores, group_recycled, rank
from detector.sources import Document, find_documents, read_document

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

__all__ = ["SparkUnavailableError", "lsh_bands", "main", "scan", "session"]

#: Members of a bucket handled by one task; larger buckets are split into blocks.
BLOCK = 512
#: Standard errors added to a signature's estimate before it is ruled out.
MARGIN = 5.0
#: Documents whose n-gram sets a verifying task keeps.
_CACHE = 4096
#: Partitions per core for a table of unknown size.
_SPLIT = 4
#: Documents per partition of a folder.
_PER_PARTITION = 2000


def lsh_bands(config: Config) -> tuple[int, int]:
    """Bands and rows per band, as datasketch's ``MinHashLSH`` picks them for ``config``.

    Examples:
        >>> lsh_bands(Config())
        (37, 3)
    """
    return bands.lsh_bands(config.lsh_threshold, config.num_perm)


def session(master: str = "local[*]", *, app: str = "detector scan", memory: str = "4g") -> SparkSession:
    """Start (or reuse) a Spark session whose Python workers run this interpreter.

    Raises:
        SparkUnavailableError: PySpark is not installed or Spark cannot start
            (no Java runtime, most often).
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailableError(
            "pyspark is not installed; install it with: pip install 'speech-reuse-detector[spark]'"
        ) from None
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    quiet = f"-Dlog4j2.configurationFile={resources.files('detector.resources') / 'log4j2.properties'}"
    try:
        spark = (
            SparkSession.builder.master(master)
            .appName(app)
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.memory", memory)
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.pyspark.python", sys.executable)
            .config("spark.driver.extraJavaOptions", quiet)
            .getOrCreate()
        )
    except Exception as exc:  # the launcher reports a missing Java as a generic error
        reason = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        raise SparkUnavailableError(
            f"cannot start Spark ({reason}); Spark needs a Java 17+ runtime, "
            "e.g. apt install openjdk-17-jre-headless, with JAVA_HOME set"
        ) from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark


# -- executor side ------------------------------------------------------------------


def _read(item: tuple[int, str], max_bytes: int) -> tuple[int, str, str | None, str | None]:
    """``(number, id, text, error)`` of one listed file."""
    number, path = item
    try:
        document = read_document(path, max_bytes=max_bytes)
    except SourceError as exc:
        return number, exc.path, None, exc.reason
    return number, document.id, document.text, None


def _fingerprint(
    rows: Iterable[tuple[int, str, str]], config: Config, rules: FurnitureRules | None
) -> Iterator[tuple[int, str, int, bytes | None]]:
    """``(number, id, shingle count, signature)`` of each document; no signature: nothing to match."""
    fingerprinter = Fingerprinter(config, rules)
    batch = list(rows)
    for start in range(0, len(batch), 256):
        chunk = batch[start : start + 256]
        made = fingerprinter.batch([Document(id, text) for _, id, text in chunk])
        for (number, id, _), fp in zip(chunk, made, strict=True):
            if fp is None:
                yield number, id, 0, None
            else:
                yield number, id, len(fp.shingles), fp.signature.astype("<u4").tobytes()


def _band_keys(item: tuple[int, int, Any], bands: int, rows: int) -> Iterator[tuple[tuple[int, bytes], Any]]:
    number, size, signature = item
    for band in range(bands):
        yield (band, signature[band * rows * 4 : (band + 1) * rows * 4]), (number, size, signature)


def _blocks(members: Iterable[tuple[int, int, bytes]], block: int) -> Iterator[tuple[list, list]]:
    """Block pairs of one bucket: ``(members_i, members_j)`` with ``i <= j``."""
    ordered = sorted(members)
    if len(ordered) < 2:
        return
    chunks = [ordered[i : i + block] for i in range(0, len(ordered), block)]
    for i, first in enumerate(chunks):
        for second in chunks[i:]:
            yield first, second


def _plausible(block: tuple[list, list], config: Config) -> Iterator[tuple[int, int]]:
    """Pairs of a block pair whose signatures leave room for a ``recycled`` or ``partial`` verdict."""
    first, second = block
    same = first is second or first == second
    a_numbers = np.array([m[0] for m in first])
    b_numbers = np.array([m[0] for m in second])
    a_sizes = np.array([m[1] for m in first], dtype=np.float64)
    b_sizes = np.array([m[1] for m in second], dtype=np.float64)
    a_sig = np.stack([np.frombuffer(m[2], dtype="<u4") for m in first])
    b_sig = np.stack([np.frombuffer(m[2], dtype="<u4") for m in second])
    k = a_sig.shape[1]
    for row in range(len(first)):
        start = row + 1 if same else 0
        if start >= len(second):
            continue
        estimate = (a_sig[row] == b_sig[start:]).sum(axis=1) / k
        error = np.sqrt(np.maximum(estimate * (1 - estimate), 0.01) / k)
        high = np.minimum(1.0, estimate + MARGIN * error)
        sizes_a, sizes_b = a_sizes[row], b_sizes[start:]
        shared = high * (sizes_a + sizes_b) / (1 + high)
        contained = np.maximum(shared / sizes_a, shared / sizes_b)
        keep = (high >= config.recycled_threshold) | (contained >= config.partial_threshold)
        mine = int(a_numbers[row])
        for other in b_numbers[start:][keep].tolist():
            if other != mine:
                yield (mine, other) if mine < other else (other, mine)


def _verify(
    rows: Iterable[tuple[int, tuple[tuple[int, str, str], tuple[str, str]]]],
    config: Config,
    rules: FurnitureRules | None,
) -> Iterator[tuple[int, int, Pair, Scores]]:
    """Exact scores of candidate pairs; yields ``(a, b, pair, scores)`` of pairs with a verdict.

    The partition's pairs are taken in order of their first document, so
    each document's n-gram set is made about once per partition.
    """
    fingerprinter = Fingerprinter(config, rules)
    scorer = PairScorer(fingerprinter, cache=_CACHE)
    cache: OrderedDict[int, Fingerprint] = OrderedDict()

    def fingerprint(number: int, id: str, text: str) -> Fingerprint:
        found = cache.get(number)
        if found is None:
            found = fingerprinter.one(Document(id, text))
            cache[number] = found
            if len(cache) > _CACHE:
                cache.popitem(last=False)
        else:
            cache.move_to_end(number)
        return found

    ordered = sorted(rows, key=lambda row: (row[1][0][0], row[0]))
    for b, ((a, a_id, a_text), (b_id, b_text)) in ordered:
        scores = scorer.score(fingerprint(a, a_id, a_text), fingerprint(b, b_id, b_text), include_all=False)
        if scores is not None:
            yield a, b, scores.pair(a_id, b_id), scores


#: One verified pair: ``(a, b, pair, scores)``, ``a`` and ``b`` the documents' numbers.
_Verified = tuple[int, int, Pair, Scores]
#: What a set of verified pairs comes to: how many, links joining their ``recycled`` pairs'
#: documents (one per document but the first of each group), the best ones ranked.
_Summary = tuple[int, list[tuple[int, int]], list[_Verified]]


def _rank_key(item: _Verified) -> tuple[float, float, int, int]:
    """Where a verified pair ranks, best first, as :func:`detector.scoring.rank` ranks pairs."""
    a, b, _, scores = item
    return (-scores.similarity, -max(scores.containment_a_in_b, scores.containment_b_in_a), a, b)


def _links(pairs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Fewest pairs joining the same documents into the same components as ``pairs``."""
    sets: DisjointSets[int] = DisjointSets()
    for a, b in pairs:
        sets.union(a, b)
    return [(member, group[0]) for group in sets.groups() for member in group[1:]]


def _summarise(rows: Iterable[_Verified], limit: int | None) -> Iterator[_Summary]:
    """The summary of one partition's verified pairs: its count, recycled links and best ``limit`` pairs."""
    count = 0
    recycled: list[tuple[int, int]] = []

    def counted() -> Iterator[_Verified]:
        nonlocal count
        for item in rows:
            count += 1
            if item[2].verdict == "recycled":
                recycled.append((item[0], item[1]))
            yield item

    if limit is None:
        best = sorted(counted(), key=_rank_key)
    else:
        best = heapq.nsmallest(limit, counted(), key=_rank_key)
    yield count, _links(recycled), best


def _merge(first: _Summary, second: _Summary, limit: int | None) -> _Summary:
    """Two summaries as one: counts added, links joined, the best ``limit`` of both pairs kept."""
    best = heapq.merge(first[2], second[2], key=_rank_key)
    return (
        first[0] + second[0],
        _links(first[1] + second[1]),
        list(best if limit is None else itertools.islice(best, limit)),
    )


# -- driver side ---------------------------------------------------------------------


def _partitions(spark: SparkSession, documents: int | None) -> int:
    """Partitions for a corpus: about 2,000 documents each, at least one and at most eight per core."""
    cores = max(1, spark.sparkContext.defaultParallelism)
    if documents is None:
        return cores * _SPLIT
    return max(cores, min(cores * 8, documents // _PER_PARTITION + 1))


def _documents(
    spark: SparkSession, source: str | Sequence[str], max_bytes: int, partitions: int | None
) -> tuple[RDD, list[tuple[str, str]]]:
    """``(number, id, text, reason)`` of every input (``reason``: why it was not read, or ``None``).

    Also returns ``(path, reason)`` of the paths that name no document.
    """
    paths = [source] if isinstance(source, str) else list(source)
    tables = [p for p in paths if str(p).rstrip("/").endswith((".parquet", ".jsonl", ".json"))]
    if tables and len(tables) != len(paths):
        raise ConfigError("give either folders and text files, or Parquet / JSON Lines tables, not both")
    if tables:
        frames = []
        for path in tables:
            reader = spark.read.parquet if str(path).rstrip("/").endswith(".parquet") else spark.read.json
            try:
                frame = reader(str(path))
            except Exception as exc:
                raise SourceError(str(path), f"cannot read the table: {str(exc).splitlines()[0]}") from None
            missing = {"id", "text"} - set(frame.columns)
            if missing:
                raise SourceError(
                    str(path),
                    f"the table needs columns 'id' and 'text'; missing {', '.join(sorted(missing))}",
                )
            frames.append(frame.select("id", "text"))
        table = frames[0]
        for frame in frames[1:]:
            table = table.unionByName(frame)
        rows = table.rdd.zipWithIndex().map(lambda r: (r[1], str(r[0]["id"]), r[0]["text"] or "", None))
        return rows.repartition(partitions or _partitions(spark, None)), []
    files, errors = find_documents(paths)
    listed = spark.sparkContext.parallelize(
        list(enumerate(map(str, files))),
        max(1, min(partitions or _partitions(spark, len(files)), len(files))),
    )
    return listed.map(lambda item: _read(item, max_bytes)), [(e.path, e.reason) for e in errors]


def scan(
    spark: SparkSession,
    source: str | Sequence[str],
    config: Config | None = None,
    *,
    rules: FurnitureRules | None = None,
    output: str | Path | None = None,
    partitions: int | None = None,
    block: int = BLOCK,
    max_bytes: int = MAX_BYTES,
    max_pairs: int | None = None,
) -> ScanResult:
    """Scan a corpus on Spark: pairs and groups, as :meth:`detector.Corpus.scan` finds them.

    Args:
        spark: The Spark session (:func:`session` starts a local one).
        source: Folders and text files, or Parquet / JSON Lines tables with
            ``id`` and ``text`` columns (paths ending in ``.parquet``,
            ``.jsonl`` or ``.json``). Files and folders must be readable by
            every executor (a shared file system).
        config: Settings (defaults: :class:`Config`).
        rules: Furniture rules (the bundled ones by default).
        output: Folder to write ``scan.json``, ``pairs.parquet`` and
            ``groups.parquet`` to: a local path or a URI Hadoop can write
            (``hdfs://``, ``s3a://``).
        partitions: Partitions of the document stages (default: one per 2,000
            documents, at least one and at most eight per core).
        block: Members of an LSH bucket compared in one task; a larger
            bucket is split into blocks and each pair of blocks is a task.
        max_bytes: Files larger than this are refused rather than read.
        max_pairs: Most pairs kept, the best-ranked ones, chosen on the
            executors (``None``: all; ``detector scan`` keeps
            :data:`~detector.corpus.MAX_PAIRS`); the others are counted in
            ``pairs_dropped``, and the groups still join every ``recycled`` pair.

    Returns:
        A :class:`ScanResult`: the documents in order, pairs ranked as
        ``detector scan`` ranks them, groups, and the inputs that could not
        be read or held nothing to match.

    Raises:
        ConfigError: ``max_pairs`` is below 1, or tables are mixed with folders.
    """
    if max_pairs is not None and max_pairs < 1:
        raise ConfigError(f"max_pairs must be at least 1, not {max_pairs}")
    config = config or Config()
    records, errors = _documents(spark, source, max_bytes, partitions)
    records = records.cache()
    failed = records.filter(lambda r: r[3] is not None).map(lambda r: (r[0], r[1], r[3])).collect()
    errors += [(path, str(reason)) for _, path, reason in sorted(failed)]
    documents = records.filter(lambda r: r[3] is None).map(lambda r: (r[0], r[1], r[2]))
    prints = documents.mapPartitions(lambda rows: _fingerprint(rows, config, rules)).cache()
    summary = prints.map(lambda p: (p[0], p[1], p[3] is not None)).collect()
    summary.sort()
    order = [(number, id) for number, id, ok in summary if ok]
    errors += [(id, "no letters or digits left after removing furniture") for _, id, ok in summary if not ok]
    bands, rows = lsh_bands(config)
    buckets = (
        prints.filter(lambda p: p[3] is not None)
        .map(lambda p: (p[0], p[2], p[3]))
        .flatMap(lambda item: _band_keys(item, bands, rows))
        .groupByKey()
        .flatMap(lambda bucket: _blocks(bucket[1], block))
    )
    candidates = buckets.flatMap(lambda block: _plausible(block, config)).distinct()
    texts = documents.map(lambda d: (d[0], (d[1], d[2])))
    nothing: _Summary = (0, [], [])

    def merge(first: _Summary, second: _Summary) -> _Summary:
        return _merge(first, second, max_pairs)

    verified = (
        candidates.join(texts)
        .map(lambda item: (item[1][0], (item[0], *item[1][1])))
        .join(texts)
        .mapPartitions(lambda rows_: _verify(rows_, config, rules))
        .mapPartitions(lambda rows_: _summarise(rows_, max_pairs))
        .treeAggregate(nothing, merge, merge)
    )
    result = _result(order, verified, errors, config)
    records.unpersist()
    prints.unpersist()
    if output is not None:
        _write(spark, result, str(output))
    return result


def _result(
    order: list[tuple[int, str]],
    verified: _Summary,
    errors: list[tuple[str, str]],
    config: Config,
) -> ScanResult:
    """The scan result: documents in input order, the kept pairs ranked, recycled groups."""
    count, links, best = verified
    position = {number: i for i, (number, _) in enumerate(order)}
    ids = dict(order)
    rows = {id: position[number] for number, id in order}
    numbers = {(pair.a, pair.b): (position[a], position[b]) for a, b, pair, _ in best}
    pairs = rank([(pair, scores) for _, _, pair, scores in best], lambda p: numbers[(p.a, p.b)])
    groups = group_recycled([(ids[a], ids[b], "recycled") for a, b in links], rows.__getitem__)
    return ScanResult(
        documents=tuple(id for _, id in order),
        pairs=tuple(pairs),
        groups=tuple(groups),
        errors=tuple(errors),
        settings=config.to_dict(),
        pairs_dropped=count - len(best),
    )


def _put_text(spark: SparkSession, target: str, text: str) -> None:
    """Write a small text file to a local path, or to a file system Hadoop knows (``hdfs://``)."""
    if "://" not in target or target.startswith("file://"):
        local = Path(target.removeprefix("file://"))
        local.parent.mkdir(parents=True, exist_ok=True)
        local.write_text(text, encoding="utf-8")
        return
    jvm: Any = spark.sparkContext._jvm
    hadoop: Any = spark.sparkContext._jsc
    path = jvm.org.apache.hadoop.fs.Path(target)
    stream = path.getFileSystem(hadoop.hadoopConfiguration()).create(path, True)
    try:
        stream.write(bytearray(text.encode("utf-8")))
    finally:
        stream.close()


def _write(spark: SparkSession, result: ScanResult, folder: str) -> None:
    """``scan.json``, ``pairs.parquet`` and ``groups.parquet`` in ``folder`` (a path or a URI)."""
    base = folder.rstrip("/")
    text = scan_to_json(result)
    _put_text(spark, f"{base}/scan.json", text)
    data = json.loads(text)
    from pyspark.sql.types import (
        ArrayType,
        DoubleType,
        IntegerType,
        StringType,
        StructField,
        StructType,
    )

    pair_schema = StructType(
        [
            StructField("a", StringType(), False),
            StructField("b", StringType(), False),
            StructField("similarity", DoubleType(), False),
            StructField("raw_similarity", DoubleType(), False),
            StructField("estimated_similarity", DoubleType(), False),
            StructField("containment_a_in_b", DoubleType(), False),
            StructField("containment_b_in_a", DoubleType(), False),
            StructField("verdict", StringType(), False),
        ]
    )
    rows = [tuple(p[f.name] for f in pair_schema.fields) for p in data["pairs"]]
    spark.createDataFrame(rows, pair_schema).write.mode("overwrite").parquet(f"{base}/pairs.parquet")
    group_schema = StructType(
        [StructField("group", IntegerType(), False), StructField("members", ArrayType(StringType()), False)]
    )
    groups = [(number, list(g)) for number, g in enumerate(data["groups"], 1)]
    spark.createDataFrame(groups, group_schema).write.mode("overwrite").parquet(f"{base}/groups.parquet")


def _job(
    inputs: Annotated[list[str], typer.Argument(help="Folders, text files, or Parquet / JSON Lines tables.")],
    output: Annotated[str, typer.Argument(help="Folder for scan.json, pairs.parquet and groups.parquet.")],
    threshold: options.ThresholdOpt = options.DEFAULTS.recycled_threshold,
    partial: options.PartialOpt = options.DEFAULTS.partial_threshold,
    lsh_threshold: options.LshThresholdOpt = options.DEFAULTS.lsh_threshold,
    ngram: options.NgramOpt = options.DEFAULTS.ngram,
    num_perm: options.NumPermOpt = options.DEFAULTS.num_perm,
    furniture: options.FurnitureOpt = None,
    max_size: options.MaxSizeOpt = options.DEFAULT_MAX_SIZE,
    canonical: options.CanonicalOpt = options.DEFAULTS.canonical,
    mask_entities: options.MaskOpt = options.DEFAULTS.mask_entities,
    partitions: Annotated[
        int | None, typer.Option("--partitions", min=1, help="Partitions of the document stages.")
    ] = None,
    max_pairs: options.MaxPairsOpt = MAX_PAIRS,
) -> None:
    """Scan a corpus for recycled documents on Apache Spark (options as in detector scan)."""
    try:
        config = options.scan_config(
            ngram, num_perm, threshold, partial, lsh_threshold, canonical, mask_entities
        )
        rules = load_rules(furniture or ())
        from pyspark.sql import SparkSession

        spark = SparkSession.builder.appName("detector scan").getOrCreate()
        result = scan(
            spark,
            inputs,
            config,
            rules=rules,
            output=output,
            partitions=partitions,
            max_bytes=options.to_bytes(max_size),
            max_pairs=max_pairs,
        )
    except DetectorError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    dropped = f" ({result.pairs_dropped} more not listed)" if result.pairs_dropped else ""
    typer.echo(
        f"{output}: {plural(len(result.pairs), 'pair')}{dropped}, {plural(len(result.groups), 'group')} "
        f"among {plural(len(result.documents), 'document')}; "
        f"{plural(len(result.errors), 'input')} not read"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for ``spark-submit detector/spark.py INPUT... OUTPUT``."""
    app = typer.Typer(add_completion=False)
    app.command()(_job)
    command = typer.main.get_command(app)
    try:
        command.main(args=list(sys.argv[1:] if argv is None else argv), prog_name="detector.spark")
    except SystemExit as exit:
        return int(exit.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
