"""Command-line options shared by ``detector`` and the Spark job, defined once.

Each option is a typed annotation (typer) whose name, range and help text are
the same wherever it appears; defaults come from :class:`~detector.config.Config`,
:class:`~detector.config.CheckOptions` and :data:`~detector.config.MAX_BYTES`.
:func:`scan_config` turns the scan options into a :class:`Config`.

Examples:
    >>> scan_config(threshold=0.6).recycled_threshold
    0.6
    >>> to_bytes(DEFAULT_MAX_SIZE)
    16777216
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from detector.config import MAX_BYTES, CheckOptions, Config

__all__ = [
    "CHECK_DEFAULTS",
    "DEFAULTS",
    "DEFAULT_MAX_SIZE",
    "CanonicalOpt",
    "FurnitureOpt",
    "LshThresholdOpt",
    "MaskOpt",
    "MaxSizeOpt",
    "NgramOpt",
    "NumPermOpt",
    "PartialOpt",
    "ThresholdOpt",
    "scan_config",
    "to_bytes",
]

DEFAULTS = Config()
CHECK_DEFAULTS = CheckOptions()
#: ``--max-size`` by default, in MiB.
DEFAULT_MAX_SIZE = MAX_BYTES / 1024 / 1024

NgramOpt = Annotated[int, typer.Option("--ngram", metavar="N", min=1, max=32, help="Character n-gram size.")]
NumPermOpt = Annotated[
    int, typer.Option("--num-perm", metavar="N", min=8, max=1024, help="MinHash signature length.")
]
ThresholdOpt = Annotated[
    float,
    typer.Option(
        "--threshold", metavar="X", min=0.01, max=1.0, help="Similarity at which a pair is recycled."
    ),
]
PartialOpt = Annotated[
    float,
    typer.Option("--partial", metavar="X", min=0.01, max=1.0, help="Containment at which a pair is partial."),
]
LshThresholdOpt = Annotated[
    float,
    typer.Option(
        "--lsh-threshold", metavar="X", min=0.01, max=1.0, help="Similarity the candidate search aims at."
    ),
]
FurnitureOpt = Annotated[
    list[Path] | None,
    typer.Option("--furniture", metavar="FILE", help="Extra furniture rules file (TOML); may be repeated."),
]
MaxPairsOpt = Annotated[
    int,
    typer.Option(
        "--max-pairs", metavar="N", min=1, help="Most pairs listed, the best-ranked; the rest are counted."
    ),
]
JobsOpt = Annotated[
    int,
    typer.Option(
        "--jobs",
        "-j",
        metavar="N",
        min=0,
        help="Processes that normalise and sketch documents (0: one per core, fewer for small inputs).",
    ),
]
MaxSizeOpt = Annotated[
    float, typer.Option("--max-size", metavar="MIB", min=0.001, help="Largest file to read, in MiB.")
]
CanonicalOpt = Annotated[
    bool,
    typer.Option(
        "--canonical/--no-canonical",
        help="Match through disguise: traditional script and spun words are undone before matching.",
    ),
]
MaskOpt = Annotated[
    bool,
    typer.Option(
        "--mask-entities/--no-mask-entities",
        help="Also mask years, numbers, ordinals, places and placeholders (<Y> <N> <P> <X>) for matching.",
    ),
]


def to_bytes(max_size: float) -> int:
    """``--max-size`` (MiB) in bytes."""
    return int(max_size * 1024 * 1024)


def scan_config(
    ngram: int = DEFAULTS.ngram,
    num_perm: int = DEFAULTS.num_perm,
    threshold: float = DEFAULTS.recycled_threshold,
    partial: float = DEFAULTS.partial_threshold,
    lsh_threshold: float = DEFAULTS.lsh_threshold,
    canonical: bool = DEFAULTS.canonical,
    mask_entities: bool = DEFAULTS.mask_entities,
) -> Config:
    """The :class:`Config` the scan options describe."""
    return Config(
        ngram=ngram,
        num_perm=num_perm,
        recycled_threshold=threshold,
        partial_threshold=partial,
        lsh_threshold=lsh_threshold,
        canonical=canonical,
        mask_entities=mask_entities,
    )
