"""The ``detector`` command line: a thin layer over the library.

Exit codes:

* 0: the command ran, every input was read, and no draft failed the gate.
* 1: ``detector check`` with ``--fail-above`` or ``--fail-on``: a draft
  failed the gate (reuse above the bar).
* 2: usage or input error: a bad option, a missing file, an unreadable or
  empty document, a folder with no documents, a bad index, an output that
  cannot be written (``-o``, ``--html`` or standard output: missing folder,
  a folder, a full disk). Results for the inputs that could be read are
  still written. Click's own usage errors also exit 2.
* 3: internal error: a bug in detector, not in its input. One line names
  the exception; the traceback is printed only with ``detector --debug``
  or ``DETECTOR_DEBUG=1``.
* 130: interrupted (Ctrl-C).
* 141: standard output was closed early (``detector scan . | head -1``):
  nothing more is written and nothing is printed, as a program killed by
  SIGPIPE would (128 + 13).

Every error is caught in one place (:class:`_Group`, and :func:`main` for
the final flush of standard output) and printed as one line on standard
error. Names and text from documents are printed literally: Rich markup is
escaped and control characters are written as escapes (``\\x1b``).
"""

from __future__ import annotations

import enum
import json
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from typer.core import TyperArgument, TyperCommand, TyperGroup
from typer.exceptions import TyperException

from detector import __version__, workflows
from detector.config import CheckOptions
from detector.corpus import MAX_PAIRS
from detector.errors import DetectorError
from detector.gate import Gate
from detector.normalize import load_rules
from detector.options import (
    CHECK_DEFAULTS,
    DEFAULT_MAX_SIZE,
    DEFAULTS,
    CanonicalOpt,
    FurnitureOpt,
    JobsOpt,
    LshThresholdOpt,
    MaskOpt,
    MaxPairsOpt,
    MaxSizeOpt,
    NgramOpt,
    NumPermOpt,
    PartialOpt,
    ThresholdOpt,
    scan_config,
    to_bytes,
)
from detector.phrases import load_phrases
from detector.progress import Advance
from detector.render import Format, Result, render, render_console
from detector.results import CheckResult
from detector.store import Index, IndexedDocument
from detector.swaps import load_lexicon
from detector.terminal import label, printable

__all__ = [
    "EXIT_CLOSED_PIPE",
    "EXIT_INPUT_ERROR",
    "EXIT_INTERNAL_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_REUSE",
    "app",
    "main",
]

EXIT_OK = 0
EXIT_REUSE = 1
EXIT_INPUT_ERROR = 2
EXIT_INTERNAL_ERROR = 3
EXIT_INTERRUPTED = 130
EXIT_CLOSED_PIPE = 141

_STDOUT = "standard output"


class _Argument(TyperArgument):
    """A positional argument shown in help by its metavar alone: ``DRAFT...``, no type label."""

    def display_type_rich(self, ctx):
        return None

    def get_usage_pieces(self, ctx):
        return [self.metavar if self.required else f"[{self.metavar}]"]


def _plain_labels(params: Sequence[Any]) -> None:
    """Show values in help as editors read them: ``FILE``, ``N``, ``text|json``; flags bare.

    Typer labels every parameter with its Python type (``<bool>``,
    ``<list[Path]>``, ``{drafts}...``); an option declared without a
    ``metavar`` gets its name in capitals instead, a flag nothing, and an
    argument its name in capitals, with ``...`` when it takes several.
    """
    for param in params:
        if isinstance(param, TyperArgument):
            if param.metavar is None:
                param.metavar = (param.name or "").upper() + ("..." if param.nargs != 1 else "")
            param.__class__ = _Argument
        elif param.metavar is None:
            param.metavar = "" if getattr(param, "is_flag", False) else (param.name or "").upper()


class _Command(TyperCommand):
    """A command whose help names values plainly (see :func:`_plain_labels`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain_labels(self.params)

    def get_help_option(self, ctx):
        return _plain_help_option(super().get_help_option(ctx))


def _plain_help_option(option: Any) -> Any:
    """``--help`` shown bare, like every flag."""
    _plain_labels([option] if option is not None else [])
    return option


class _App(typer.Typer):
    """A Typer app whose commands are :class:`_Command` unless they name another class."""

    def command(
        self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **kwargs: Any
    ) -> Any:
        return super().command(name, cls=cls or _Command, **kwargs)


class _Group(TyperGroup):
    """The one error boundary: every exception becomes one line on stderr and its exit code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain_labels(self.params)

    def get_help_option(self, ctx):
        return _plain_help_option(super().get_help_option(ctx))

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, TyperException):
            raise
        except DetectorError as exc:
            _fail(str(exc))
        except KeyboardInterrupt:
            typer.echo("interrupted", err=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(EXIT_CLOSED_PIPE) from None
        except Exception as exc:
            _internal_error(exc, debug=bool(ctx.find_root().params.get("debug")))


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {printable(message, newline=False)}", err=True)
    raise typer.Exit(EXIT_INPUT_ERROR)


def _internal_error(exc: Exception, *, debug: bool) -> NoReturn:
    """One line naming an unexpected exception (after its traceback with ``--debug``); exit 3."""
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    what = printable(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__, newline=False)
    typer.echo(
        f"error: internal error ({what}); rerun with --debug or DETECTOR_DEBUG=1 for the traceback "
        "and report it at the project's issue tracker",
        err=True,
    )
    raise typer.Exit(EXIT_INTERNAL_ERROR)


def _silence_stdout() -> None:
    """Point standard output at the null device, so that the flush at exit cannot fail again.

    What the Python documentation recommends for a closed pipe (see the
    note on SIGPIPE in :mod:`signal`); a stream without a file descriptor
    is left as it is.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        return


@contextmanager
def _writing(target: str | Path) -> Iterator[None]:
    """Turn a failed write to ``target`` into one line ``error: TARGET: cannot write: …`` (exit 2)."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        _fail(f"{target}: cannot write: {exc.strerror or exc}")


class _Console(Console):
    """A console on standard output that lets a closed pipe reach the error boundary."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


def _examples(*lines: str) -> str:
    """The epilog of a command's help: ``Examples:`` and one command line a line."""
    return "Examples:\n" + "\n".join(lines)


def _console() -> Console:
    """The console commands print text to: no highlighting and no emoji codes in names."""
    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 80  # a pipe: 80 columns
    return _Console(highlight=False, emoji=False, width=width)


app = _App(
    cls=_Group,
    help="Find recycled speeches and documents: near-duplicates, reused passages and what was swapped.",
    epilog=_examples(
        "detector scan archive/",
        "detector diff speech-2022.txt speech-2023.txt",
        "detector check draft.txt --against archive/",
        "detector index add archive.db archive/",
    )
    + "\n\nEach command has its own help: detector check --help",
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class OutputFormat(str, enum.Enum):
    text = "text"
    json = "json"


class Engine(str, enum.Enum):
    local = "local"
    spark = "spark"


def _choices(values: type[enum.Enum]) -> str:
    """The values an option takes, for its help: ``text|json``."""
    return "|".join(str(value.value) for value in values)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"detector {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            envvar="DETECTOR_DEBUG",
            help="Print the traceback of an internal error (exit code 3).",
        ),
    ] = False,
) -> None:
    """Find recycled speeches and documents."""


class _Bar:
    """Shows the library's progress on standard error, when it is a terminal."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress

    def task(self, description: str, total: int) -> Advance:
        task = self.progress.add_task(description, total=total)
        return lambda done: self.progress.advance(task, done)


def _progress(quiet: bool) -> Progress:
    stderr = Console(stderr=True)
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=stderr,
        transient=True,
        disable=quiet or not stderr.is_terminal,
    )


def _write(text: str, output: Path | None) -> None:
    """Write text to a file, or to standard output when ``output`` is ``None``."""
    with _writing(_STDOUT if output is None else output):
        if output is None:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            output.write_text(text, encoding="utf-8")


def _emit(result: Result, output_format: str, output: Path | None, html_file: Path | None) -> None:
    """Write a result: the HTML page when asked, then the chosen format to the output."""
    _emit_errors(getattr(result, "errors", ()))
    if html_file is not None:
        _write(render(result, "html"), html_file)
    fmt: Format = output_format  # type: ignore[assignment]
    if fmt == "text" and output is None:
        with _writing(_STDOUT):
            render_console(result, _console())
    else:
        _write(render(result, fmt), output)


FormatOpt = Annotated[
    OutputFormat, typer.Option("--format", "-f", metavar=_choices(OutputFormat), help="Output format.")
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write the report to this file.")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]
LexiconOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--lexicon", metavar="FILE", help="Extra spin pairs (TSV: word<TAB>spun word); may be repeated."
    ),
]
HtmlOpt = Annotated[
    Path | None,
    typer.Option("--html", metavar="FILE", help="Also write a self-contained HTML report to this file."),
]

IndexCanonicalOpt = Annotated[
    bool | None,
    typer.Option(
        "--canonical/--no-canonical",
        help="Match through disguise: traditional script and spun words undone (new index: on).",
    ),
]
IndexMaskOpt = Annotated[
    bool | None,
    typer.Option(
        "--mask-entities/--no-mask-entities",
        help="Also mask years, numbers, ordinals, places and placeholders (new index: off).",
    ),
]


@app.command(
    epilog=_examples(
        "detector scan archive/",
        "detector scan archive/ --html report.html",
        "detector scan archive/ --format json --output pairs.json",
    )
)
def scan(
    paths: Annotated[
        list[Path], typer.Argument(metavar="PATH...", help="Files and folders to scan (folders recursively).")
    ],
    output_format: FormatOpt = OutputFormat.text,
    output: OutputOpt = None,
    include_all: Annotated[
        bool, typer.Option("--all", help="Also list candidate pairs below both thresholds.")
    ] = False,
    threshold: ThresholdOpt = DEFAULTS.recycled_threshold,
    partial: PartialOpt = DEFAULTS.partial_threshold,
    lsh_threshold: LshThresholdOpt = DEFAULTS.lsh_threshold,
    ngram: NgramOpt = DEFAULTS.ngram,
    num_perm: NumPermOpt = DEFAULTS.num_perm,
    furniture: FurnitureOpt = None,
    max_size: MaxSizeOpt = DEFAULT_MAX_SIZE,
    quiet: QuietOpt = False,
    html_file: HtmlOpt = None,
    canonical: CanonicalOpt = DEFAULTS.canonical,
    mask_entities: MaskOpt = DEFAULTS.mask_entities,
    engine: Annotated[
        Engine,
        typer.Option(
            "--engine", metavar=_choices(Engine), help="Run here (local) or on Apache Spark (spark)."
        ),
    ] = Engine.local,
    spark_master: Annotated[
        str, typer.Option("--spark-master", metavar="URL", help="Spark master URL for --engine spark.")
    ] = "local[*]",
    spark_output: Annotated[
        Path | None,
        typer.Option(
            "--spark-output",
            metavar="DIR",
            help="With --engine spark: also write scan.json and Parquet tables here.",
        ),
    ] = None,
    max_pairs: MaxPairsOpt = MAX_PAIRS,
    jobs: JobsOpt = 0,
) -> None:
    """Find recycled and partly reused documents among files and folders.

    Prints a ranked table of pairs (similarity of the texts as written and
    after undoing disguise, estimated similarity, containment each way,
    verdict) and the groups of recycled documents.
    """
    config = scan_config(ngram, num_perm, threshold, partial, lsh_threshold, canonical, mask_entities)
    with _progress(quiet) as progress:
        result = workflows.scan(
            paths,
            config=config,
            rules=load_rules(furniture or ()),
            include_all=include_all,
            engine=engine.value,
            spark_master=spark_master,
            spark_output=spark_output,
            max_pairs=max_pairs,
            max_bytes=to_bytes(max_size),
            jobs=jobs,
            progress=_Bar(progress),
        )
    if not result.documents and result.errors:
        _emit_errors(result.errors)
        raise typer.Exit(EXIT_INPUT_ERROR)
    _emit(result, output_format.value, output, html_file)
    if result.errors:
        raise typer.Exit(EXIT_INPUT_ERROR)


def _emit_errors(errors: Sequence[tuple[str, str]]) -> None:
    for path, reason in errors:
        typer.echo(f"error: {printable(f'{path}: {reason}', newline=False)}", err=True)


@app.command(
    epilog=_examples(
        "detector diff speech-2022.txt speech-2023.txt",
        "detector diff speech-2022.txt speech-2023.txt --html swaps.html",
    )
)
def diff(
    a: Annotated[Path, typer.Argument(metavar="A", help="The first (older) document.")],
    b: Annotated[Path, typer.Argument(metavar="B", help="The second document.")],
    output_format: FormatOpt = OutputFormat.text,
    output: OutputOpt = None,
    lexicon: LexiconOpt = None,
    furniture: FurnitureOpt = None,
    max_size: MaxSizeOpt = DEFAULT_MAX_SIZE,
    html_file: HtmlOpt = None,
    canonical: Annotated[
        bool,
        typer.Option(
            "--canonical/--no-canonical",
            help="Align traditional and simplified characters as equal.",
        ),
    ] = DEFAULTS.canonical,
) -> None:
    """Show what was swapped between two documents.

    Lists, grouped by kind, the years, numbers, place names, placeholders and
    words replaced from A to B with their counts and positions in both
    originals, and the passages inserted, deleted or moved.
    """
    comparison = workflows.compare_files(
        a,
        b,
        config=DEFAULTS.replace(canonical=canonical),
        rules=load_rules(furniture or ()),
        lexicon=load_lexicon(lexicon or ()),
        max_bytes=to_bytes(max_size),
    )
    _emit(comparison, output_format.value, output, html_file)


class _GreedyAgainst(_Command):
    """Lets ``--against`` take every path that follows it: ``--against A B C``.

    When it has taken the drafts too, the error says to put ``--`` before them.
    """

    def parse_args(self, ctx, args):
        rewritten: list[str] = []
        greedy = False
        for arg in args:
            if arg in ("--against", "-a"):
                greedy = True
                continue
            if arg == "--" or arg.startswith("-"):
                greedy = False
            elif greedy:
                rewritten.append("--against")
            rewritten.append(arg)
        against = "--against" in rewritten
        try:
            return super().parse_args(ctx, rewritten)
        except typer.BadParameter as exc:
            if against and type(exc).__name__ == "MissingParameter":
                _fail(MISSING_DRAFT)
            raise


#: The error of ``detector check --against ARCHIVE DRAFT``, where ``--against`` took the draft.
MISSING_DRAFT = (
    "missing draft: --against takes every path after it; put -- before the drafts: "
    "detector check --against archive/ -- draft.txt"
)


class CheckFormat(str, enum.Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    junit = "junit"


class FailOn(str, enum.Enum):
    recycled = "recycled"
    partial = "partial"


RedisOpt = Annotated[
    str | None,
    typer.Option(
        "--redis",
        metavar="URL",
        help="Keep the whole-document LSH on this Redis server: redis://host:port/db.",
    ),
]


AgainstOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--against",
        "-a",
        metavar="PATH...",
        help="Corpus to check against: files and folders (every path after the option).",
    ),
]
IndexOpt = Annotated[
    Path | None,
    typer.Option("--index", "-i", metavar="FILE", help="Check against this index (see detector index add)."),
]
CheckFormatOpt = Annotated[
    CheckFormat, typer.Option("--format", "-f", metavar=_choices(CheckFormat), help="Output format.")
]
FailAboveOpt = Annotated[
    float | None,
    typer.Option(
        "--fail-above", metavar="X", min=0.0, max=1.0, help="Exit 1 when a draft's copy ratio is above this."
    ),
]
FailOnOpt = Annotated[
    FailOn | None,
    typer.Option(
        "--fail-on",
        metavar=_choices(FailOn),
        help="Exit 1 when a draft is a recycled (or partial) copy of a document.",
    ),
]
MinPassageOpt = Annotated[
    int,
    typer.Option(
        "--min-passage",
        metavar="N",
        min=1,
        help="Fewest characters, common phrases excluded, that make a passage reuse (3× in English text).",
    ),
]
PhrasesOpt = Annotated[
    list[Path] | None,
    typer.Option("--phrases", metavar="FILE", help="Extra common phrases, one per line; may be repeated."),
]
ExcludeQuotesOpt = Annotated[
    bool,
    typer.Option(
        "--exclude-quotes",
        help="Judge the copy ratio without quotations (attributed quotes, titles in 《》); "
        "the ratio without them is reported either way.",
    ),
]
OwnOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--own",
        metavar="PATH",
        help="The author's own earlier work (file, folder or glob pattern), counted apart; may be repeated.",
    ),
]
BaseOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--base",
        metavar="PATH",
        help="Base (template) document whose text never counts in any draft; may be repeated.",
    ),
]
CommonDfOpt = Annotated[
    int | None,
    typer.Option(
        "--common-df",
        metavar="N",
        min=2,
        help="Documents a phrase must occur in to be learned as common (default 3).",
    ),
]
MaxCandidatesOpt = Annotated[
    int,
    typer.Option(
        "--max-candidates", metavar="N", min=1, help="Most candidate sources matched exactly per draft."
    ),
]


@app.command(
    cls=_GreedyAgainst,
    epilog=_examples(
        "detector check draft.txt --against archive/",
        "detector check --against archive/ old-speeches/ -- draft.txt",
        "detector check drafts/ --index archive.db --fail-above 0.3",
    ),
)
def check(
    drafts: Annotated[
        list[Path], typer.Argument(metavar="DRAFT...", help="Drafts to check: files or folders.")
    ],
    against: AgainstOpt = None,
    index: IndexOpt = None,
    redis: RedisOpt = None,
    output_format: CheckFormatOpt = CheckFormat.text,
    output: OutputOpt = None,
    fail_above: FailAboveOpt = None,
    fail_on: FailOnOpt = None,
    min_passage: MinPassageOpt = CHECK_DEFAULTS.min_passage,
    phrases: PhrasesOpt = None,
    common_df: CommonDfOpt = None,
    max_candidates: MaxCandidatesOpt = CHECK_DEFAULTS.max_candidates,
    lexicon: LexiconOpt = None,
    furniture: FurnitureOpt = None,
    max_size: MaxSizeOpt = DEFAULT_MAX_SIZE,
    quiet: QuietOpt = False,
    html_file: HtmlOpt = None,
    canonical: IndexCanonicalOpt = None,
    mask_entities: IndexMaskOpt = None,
    jobs: JobsOpt = 0,
    exclude_quotes: ExcludeQuotesOpt = False,
    own: OwnOpt = None,
    base: BaseOpt = None,
) -> None:
    """Find the passages drafts reuse from a corpus, and how much.

    For each draft: the copy ratio (share of its characters inside reused
    passages, common phrases excluded), every source it reuses ranked by
    copy ratio, each passage with its place in both texts and what was
    swapped inside it, and the common phrases that were not counted.
    With --fail-above or --fail-on it is a CI gate: exit 1 when a draft fails.
    """
    given = _given(canonical=canonical, mask_entities=mask_entities, common_df=common_df)
    with _progress(quiet) as progress:
        result = workflows.check(
            drafts,
            against=against,
            index=index,
            redis=redis,
            config=DEFAULTS.replace(**given),
            options=CheckOptions(min_passage=min_passage, max_candidates=max_candidates),
            expect=tuple(given),
            rules=load_rules(furniture or ()),
            phrases=load_phrases(phrases or ()),
            lexicon=load_lexicon(lexicon or ()),
            gate=Gate(fail_above, fail_on.value if fail_on else None),
            max_bytes=to_bytes(max_size),
            jobs=jobs,
            progress=_Bar(progress),
            exclude_quotes=exclude_quotes,
            own=own or (),
            base=base or (),
        )
    if not result.reports:
        _emit_errors(result.errors)
        raise typer.Exit(EXIT_INPUT_ERROR)
    _emit(result, output_format.value, output, html_file)
    _exit_check(result)


def _given(**settings: object) -> dict[str, Any]:
    """The index settings the user gave (those left at ``None`` were not given)."""
    return {name: value for name, value in settings.items() if value is not None}


def _exit_check(result: CheckResult) -> None:
    if result.errors:
        raise typer.Exit(EXIT_INPUT_ERROR)
    if result.outcome.failed:
        raise typer.Exit(EXIT_REUSE)


index_app = _App(
    cls=_Group,
    help="Keep a corpus in an index file: add, remove, list, stats.",
    epilog=_examples(
        "detector index add archive.db archive/",
        "detector check draft.txt --index archive.db",
        "detector index stats archive.db",
    ),
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(index_app, name="index")


@index_app.command(
    "add",
    epilog=_examples(
        "detector index add archive.db archive/", "detector index add archive.db new-speech.txt"
    ),
)
def index_add(
    index: Annotated[Path, typer.Argument(metavar="INDEX", help="The index file (created when missing).")],
    paths: Annotated[
        list[Path], typer.Argument(metavar="PATH...", help="Files and folders to add (folders recursively).")
    ],
    redis: RedisOpt = None,
    ngram: Annotated[
        int | None,
        typer.Option("--ngram", metavar="N", min=1, max=32, help="Character n-gram size (new index: 5)."),
    ] = None,
    num_perm: Annotated[
        int | None,
        typer.Option(
            "--num-perm", metavar="N", min=8, max=1024, help="MinHash signature length (new index: 128)."
        ),
    ] = None,
    common_df: Annotated[
        int | None,
        typer.Option(
            "--common-df",
            metavar="N",
            min=2,
            help="Documents a phrase must occur in to be common (new index: 3).",
        ),
    ] = None,
    jobs: JobsOpt = 0,
    furniture: FurnitureOpt = None,
    max_size: MaxSizeOpt = DEFAULT_MAX_SIZE,
    quiet: QuietOpt = False,
    canonical: IndexCanonicalOpt = None,
    mask_entities: IndexMaskOpt = None,
) -> None:
    """Add documents to an index; changed files are updated, unchanged ones skipped."""
    given = _given(
        ngram=ngram, num_perm=num_perm, common_df=common_df, canonical=canonical, mask_entities=mask_entities
    )
    with _progress(quiet) as progress:
        run = workflows.add(
            index,
            paths,
            config=DEFAULTS.replace(**given),
            expect=tuple(given),
            rules=load_rules(furniture or ()),
            redis=redis,
            jobs=jobs,
            max_bytes=to_bytes(max_size),
            progress=_Bar(progress),
        )
    _emit_errors(run.errors)
    done = run.result
    typer.echo(
        f"{index}: {len(done.added)} added, {len(done.updated)} updated, "
        f"{len(done.unchanged)} unchanged; {run.documents} documents"
    )
    if run.errors:
        raise typer.Exit(EXIT_INPUT_ERROR)


@index_app.command("remove", epilog=_examples("detector index remove archive.db archive/old-speech.txt"))
def index_remove(
    index: Annotated[Path, typer.Argument(metavar="INDEX", help="The index file.")],
    keys: Annotated[
        list[str], typer.Argument(metavar="KEY...", help="Paths or ids (see detector index list) to remove.")
    ],
    redis: RedisOpt = None,
) -> None:
    """Remove documents from an index, by path or id."""
    with Index.open(index, redis=redis) as stored:
        removed = stored.remove(keys)
        total = len(stored)
    typer.echo(f"{index}: {len(removed)} removed; {total} documents")


@index_app.command("list", epilog=_examples("detector index list archive.db"))
def index_list(
    index: Annotated[Path, typer.Argument(metavar="INDEX", help="The index file.")],
    output_format: FormatOpt = OutputFormat.text,
) -> None:
    """List the documents of an index: id, characters, SHA-256, path.

    A table on a terminal; tab-separated lines when piped.
    """
    with Index.open(index) as stored:
        documents = stored.documents()
    if output_format is OutputFormat.json:
        _write(json.dumps([d.to_dict() for d in documents], ensure_ascii=False, indent=2) + "\n", None)
        return
    console = _console()
    with _writing(_STDOUT):
        if console.is_terminal:
            console.print(_documents_table(index, documents))
        else:
            _write("".join(_document_line(d) for d in documents), None)


def _document_line(document: IndexedDocument) -> str:
    """One tab-separated line; tabs, newlines and other controls in the path written as escapes."""
    d = document
    return f"{d.id}\t{d.characters}\t{d.sha256[:12]}\t{printable(d.path, newline=False)}\n"


def _documents_table(index: Path, documents: Sequence[IndexedDocument]) -> Table:
    """The documents of an index as a table, paths shown literally."""
    table = Table(title=f"{label(str(index))}: {len(documents)} documents")
    for name, justify in (("id", "right"), ("characters", "right"), ("sha256", "left"), ("path", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for d in documents:
        table.add_row(str(d.id), str(d.characters), d.sha256[:12], label(d.path))
    return table


@index_app.command("stats", epilog=_examples("detector index stats archive.db"))
def index_stats(
    index: Annotated[Path, typer.Argument(metavar="INDEX", help="The index file.")],
    output_format: FormatOpt = OutputFormat.text,
) -> None:
    """Show figures about an index: documents, characters, windows, file size, settings."""
    with Index.open(index) as stored:
        figures = stored.stats()
    if output_format is OutputFormat.json:
        _write(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", None)
        return
    console = _console()
    with _writing(_STDOUT):
        for key, value in figures.items():
            console.print(f"[bold]{label(key)}[/]: {label(_figure(value))}", soft_wrap=True)


def _figure(value: object) -> str:
    """A figure of ``index stats`` as text: ``none`` for a missing one, ``k=v, …`` for settings."""
    if value is None:
        return "none"
    if isinstance(value, dict):
        return ", ".join(f"{k}={_figure(v)}" for k, v in value.items())
    return str(value)


ServeHostOpt = Annotated[
    str,
    typer.Option(
        "--host", metavar="ADDRESS", help="Address to listen on; any but a loopback address needs --token."
    ),
]
ServeTokenOpt = Annotated[
    str | None,
    typer.Option(
        "--token",
        metavar="TOKEN",
        envvar="DETECTOR_TOKEN",
        help="Token every request must carry (Authorization: Bearer, or entered once on the page).",
    ),
]


@app.command(
    epilog=_examples(
        "detector serve archive.db",
        "detector serve archive.db --allow-add --port 8080",
        "DETECTOR_TOKEN=secret detector serve archive.db --host 0.0.0.0 --workers 4",
    )
)
def serve(
    index: Annotated[Path, typer.Argument(metavar="INDEX", help="The index file to serve.")],
    host: ServeHostOpt = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", metavar="PORT", min=1, max=65535, help="Port to listen on.")
    ] = 8000,
    workers: Annotated[
        int, typer.Option("--workers", metavar="N", min=1, max=64, help="Server processes.")
    ] = 1,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            metavar="N",
            min=1,
            max=64,
            help="Checks run at once (processes) per server process.",
        ),
    ] = 2,
    allow_add: Annotated[
        bool, typer.Option("--allow-add", help="Let users add documents to the index and remove them.")
    ] = False,
    token: ServeTokenOpt = None,
    max_size: Annotated[
        float,
        typer.Option(
            "--max-size", metavar="MIB", min=0.001, help="Largest upload (all its files) or text, in MiB."
        ),
    ] = DEFAULT_MAX_SIZE,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            min=1.0,
            help="Seconds a check may run before it is stopped (503).",
        ),
    ] = 120.0,
) -> None:
    """Serve an index to editors: a web page and a JSON API (needs the serve extra).

    Editors paste or upload a draft and read the report --html writes; they
    search the archive and open its documents. The API (OpenAPI description
    at /openapi.json) checks texts and files, compares two texts, lists and
    reads documents; with --allow-add it adds and removes them.
    """
    try:
        from detector import server
    except ModuleNotFoundError:
        _fail("detector serve needs the serve extra: pip install 'speech-reuse-detector[serve]'")
    server.serve(
        index,
        host=host,
        port=port,
        workers=workers,
        jobs=jobs,
        allow_add=allow_add,
        token=token,
        max_size=to_bytes(max_size),
        timeout=timeout,
    )


def main() -> None:
    """Entry point of the ``detector`` console script.

    Runs the command, then flushes standard output inside the error
    boundary: a pipe closed by then exits 141 quietly, a full disk exits 2
    with one line.
    """
    try:
        app()
        code: Any = EXIT_OK
    except SystemExit as done:
        code = done.code
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        code = EXIT_CLOSED_PIPE
    except OSError as exc:
        _silence_stdout()
        typer.echo(f"error: {_STDOUT}: cannot write: {exc.strerror or exc}", err=True)
        code = EXIT_INPUT_ERROR
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
