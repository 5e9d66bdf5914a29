"""The command line under stress: internal errors, closed pipes, unwritable outputs, hostile names.

Most tests run the real ``detector`` command in a subprocess, so that exit
codes, pipes and tracebacks are the ones a shell or a CI job sees.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import detector.cli as cli
from detector.cli import app

from .conftest import ROOT, SPEECHES, seed_path, seed_text

ENV = {"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}
INTERNAL = (
    "error: internal error (ZeroDivisionError: division by zero); rerun with --debug or DETECTOR_DEBUG=1 "
    "for the traceback and report it at the project's issue tracker\n"
)
ESCAPE = "\x1b]0;TITLE\x07"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DETECTOR_DEBUG", "PYTHONPATH")}
    return {**env, **ENV, **extra}


def detector(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    """The real command, run as ``python -m detector.cli`` from the project root."""
    kwargs.setdefault("stdout", subprocess.PIPE)
    env = kwargs.pop("env", None) or _env()
    return subprocess.run(
        [sys.executable, "-m", "detector.cli", *args],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        check=False,
        **kwargs,
    )


def invoke(*args: str, **env: str):
    return CliRunner().invoke(app, list(args), env={**ENV, **env})


def _boom(*args, **kwargs):
    return 1 / 0


# --- 1. one error boundary ------------------------------------------------------------------------


def test_exit_codes():
    assert (cli.EXIT_OK, cli.EXIT_REUSE, cli.EXIT_INPUT_ERROR) == (0, 1, 2)
    assert (cli.EXIT_INTERNAL_ERROR, cli.EXIT_INTERRUPTED, cli.EXIT_CLOSED_PIPE) == (3, 130, 141)


def test_internal_error_is_one_line_exit_3(monkeypatch):
    monkeypatch.setattr("detector.workflows.compare_files", _boom)
    result = invoke("diff", str(seed_path(3)), str(seed_path(4)))
    assert result.exit_code == 3
    assert result.stderr == INTERNAL and result.stdout == ""


def test_internal_error_in_a_subcommand_group_and_while_writing(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("index went\nwrong")

    monkeypatch.setattr("detector.store.Index.open", broken)
    result = invoke("index", "list", "any.db")
    assert result.exit_code == 3
    assert result.stderr.startswith("error: internal error (RuntimeError: index went\\nwrong); rerun")
    assert len(result.stderr.splitlines()) == 1

    def missing(*args, **kwargs):
        raise KeyError("missing")

    monkeypatch.setattr(cli, "render_console", missing)
    result = invoke("scan", str(seed_path(0)), str(seed_path(1)))
    assert result.exit_code == 3 and result.stderr.startswith("error: internal error (KeyError: 'missing');")


@pytest.mark.parametrize(("args", "env"), [(["--debug"], {}), ([], {"DETECTOR_DEBUG": "1"})])
def test_debug_prints_the_traceback_first(monkeypatch, args, env):
    monkeypatch.setattr("detector.workflows.compare_files", _boom)
    result = invoke(*args, "diff", str(seed_path(3)), str(seed_path(4)), **env)
    assert result.exit_code == 3
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert "ZeroDivisionError: division by zero\n" in result.stderr and result.stderr.endswith(INTERNAL)


def test_library_errors_keep_exit_2_and_gate_failures_exit_1(monkeypatch):
    assert invoke("diff", str(seed_path(0)), "missing.txt").exit_code == 2
    failed = invoke("check", str(seed_path(4)), "--against", str(seed_path(3)), "--fail-above", "0.3")
    assert failed.exit_code == 1 and failed.stderr == ""


@pytest.fixture
def broken_scan(tmp_path: Path) -> Path:
    """A folder holding a ``sitecustomize`` that makes ``detector.workflows.scan`` divide by zero."""
    (tmp_path / "sitecustomize.py").write_text(
        "import detector.workflows\n\n"
        "def scan(*args, **kwargs):\n"
        "    return 1 / 0\n\n"
        "detector.workflows.scan = scan\n",
        encoding="utf-8",
    )
    return tmp_path


def _path(site: Path) -> str:
    """``sitecustomize`` runs before ``-m`` puts the project first: name it, so this checkout is tested."""
    return os.pathsep.join((str(site), str(ROOT)))


def test_real_internal_error_exits_3_without_traceback(broken_scan):
    result = detector("scan", "data/speeches", env=_env(PYTHONPATH=_path(broken_scan)))
    assert result.returncode == 3, result.stderr
    assert result.stderr == INTERNAL and result.stdout == ""


def test_real_internal_error_traceback_with_detector_debug(broken_scan):
    result = detector("scan", "data/speeches", env=_env(PYTHONPATH=_path(broken_scan), DETECTOR_DEBUG="1"))
    assert result.returncode == 3
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert "sitecustomize.py" in result.stderr and result.stderr.endswith(INTERNAL)


def test_errors_stay_on_one_line(tmp_path):
    odd = tmp_path / "two\nlines.txt"
    result = invoke("scan", str(odd), str(seed_path(0)))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"error: {tmp_path}/two\\nlines.txt: no such file or folder"]


# --- 2. a closed pipe ends quietly ----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("scan", "data/speeches"),
        ("scan", "data/speeches", "-f", "json", "--all"),
        ("check", f"data/speeches/{seed_path(4).name}", "--against", "data/speeches"),
    ],
)
def test_closed_pipe_exits_141_quietly(args):
    process = subprocess.Popen(
        [sys.executable, "-m", "detector.cli", *args],
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=120) == 141
    assert stderr == ""


def test_head_of_a_shell_pipe(tmp_path):
    script = (
        f'"{sys.executable}" -m detector.cli index list "{tmp_path / "idx.db"}" | head -n 1; '
        f'"{sys.executable}" -m detector.cli scan data/speeches | head -n 1; '
        'echo "status ${PIPESTATUS[0]}"'
    )
    assert detector("index", "add", str(tmp_path / "idx.db"), "data/speeches").returncode == 0
    result = subprocess.run(
        ["bash", "-c", script], cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=120, check=False
    )
    lines = result.stdout.splitlines()
    assert lines[0].startswith("1\t") and lines[-1] in ("status 0", "status 141")
    assert result.stderr == ""


def test_broken_pipe_while_printing_exits_141(monkeypatch):
    def closed(*args, **kwargs):
        raise BrokenPipeError

    monkeypatch.setattr(cli, "render_console", closed)
    result = invoke("scan", str(seed_path(0)), str(seed_path(1)))
    assert result.exit_code == 141 and result.stderr == ""


def test_the_console_hands_a_closed_pipe_to_the_boundary():
    class Closed:
        def write(self, text: str) -> int:
            raise BrokenPipeError

        def flush(self) -> None:
            raise BrokenPipeError

    console = cli._Console(file=Closed())  # type: ignore[arg-type]
    with pytest.raises(BrokenPipeError):
        console.print("x")


# --- 3. writing output ----------------------------------------------------------------------------

CHECK = ("check", f"data/speeches/{seed_path(4).name}", "--against", f"data/speeches/{seed_path(3).name}")


def _unwritable(tmp_path: Path) -> list[tuple[Path, str]]:
    targets = [(tmp_path / "missing" / "out", "No such file or directory"), (tmp_path, "Is a directory")]
    if Path("/dev/full").exists():
        targets.append((Path("/dev/full"), "No space left on device"))
    return targets


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit"])
def test_unwritable_output_is_one_line_exit_2(tmp_path, monkeypatch, fmt):
    monkeypatch.chdir(ROOT)
    for target, reason in _unwritable(tmp_path):
        result = invoke(*CHECK, "-f", fmt, "-o", str(target))
        assert result.exit_code == 2, (target, result.output)
        assert result.stderr == f"error: {target}: cannot write: {reason}\n"


def test_unwritable_text_output_of_the_real_command(tmp_path):
    target = tmp_path / "missing" / "report.txt"
    result = detector(*CHECK, "-o", str(target))
    assert result.returncode == 2
    assert result.stderr == f"error: {target}: cannot write: No such file or directory\n"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_unwritable_scan_and_html_outputs(tmp_path, fmt):
    for target, reason in _unwritable(tmp_path):
        for option in ("-o", "--html"):
            result = invoke("scan", str(SPEECHES), "-f", fmt, option, str(target))
            assert result.exit_code == 2, (option, target, result.output)
            assert result.stderr == f"error: {target}: cannot write: {reason}\n"
    result = invoke("diff", str(seed_path(3)), str(seed_path(4)), "--html", str(tmp_path / "no" / "x.html"))
    assert result.exit_code == 2 and result.stderr.endswith("cannot write: No such file or directory\n")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_full_standard_output_is_one_line_exit_2(fmt):
    with open("/dev/full", "w", encoding="utf-8") as full:
        result = detector("scan", "data/speeches", "-f", fmt, stdout=full)
    assert result.returncode == 2
    assert result.stderr == "error: standard output: cannot write: No space left on device\n"


# --- 4. names with Rich markup ---------------------------------------------------------------------

MARKUP_A = "m[/]b.txt"
MARKUP_B = "[bold red]x[link=http:/a]y.txt"


@pytest.fixture
def markup_names(tmp_path: Path, monkeypatch) -> Path:
    for name, number in ((MARKUP_A, 3), (MARKUP_B, 4)):
        path = tmp_path / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(seed_path(number), path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_markup_in_names_is_shown_literally(markup_names):
    a, b = f"docs/{MARKUP_A}", f"docs/{MARKUP_B}"
    scan = invoke("scan", a, b)
    assert scan.exit_code == 0, scan.output
    assert MARKUP_A in scan.stdout and MARKUP_B in scan.stdout
    assert f"1. {MARKUP_A}, {MARKUP_B}" in scan.stdout
    diff = invoke("diff", a, b)
    assert diff.exit_code == 0 and diff.stdout.startswith(f"{a} ~ {b}: recycled")
    check = invoke("check", b, "--against", a, "--fail-on", "recycled")
    assert check.exit_code == 1, check.output
    assert check.stdout.startswith(f"{b}: copy ratio") and f"│ {a} " in check.stdout
    assert f"whole document: recycled from {a} (" in check.stdout
    assert f"FAILED: recycled from {a} (similarity " in check.stdout


def test_markup_in_index_names_is_shown_literally(markup_names):
    db = "[bold]i[red].db"
    assert invoke("index", "add", db, "docs").exit_code == 0
    listed = invoke("index", "list", db, TTY_COMPATIBLE="1")
    assert listed.exit_code == 0, listed.output
    table = ANSI.sub("", listed.stdout)
    assert f"{db}: 2 documents" in table
    assert f" docs/{MARKUP_B} " in table and f" docs/{MARKUP_A} " in table
    stats = invoke("index", "stats", db)
    assert stats.exit_code == 0, stats.output
    assert f"path: {db}\n" in stats.stdout and "redis: none\n" in stats.stdout


# --- 5. control characters from documents ---------------------------------------------------------


def test_control_characters_in_diff_passages_are_escaped(tmp_path):
    source = seed_text(3)
    paragraphs = source.split("\n")
    paragraphs.insert(4, f"新增的段落{ESCAPE}\x9b31m内容包括全面推进乡村振兴和城乡融合发展。")
    (tmp_path / "a.txt").write_text(source, encoding="utf-8")
    (tmp_path / "b.txt").write_text("\n".join(paragraphs), encoding="utf-8")
    result = detector("diff", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout and "\x9b" not in result.stdout
    assert "新增的段落\\x1b]0;TITLE\\x07\\x9b31m内容包括" in result.stdout


def test_control_characters_in_check_passages_are_escaped(tmp_path):
    source = seed_text(3)
    (tmp_path / "source.txt").write_text(source, encoding="utf-8")
    (tmp_path / "draft.txt").write_text(source[:40] + ESCAPE + source[40:], encoding="utf-8")
    result = detector("check", str(tmp_path / "draft.txt"), "--against", str(tmp_path / "source.txt"))
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert f"{source[36:40]}\\x1b]0;TITLE\\x07{source[40:44]}" in result.stdout


# --- 8. index list and stats ------------------------------------------------------------------------


def test_index_list_escapes_newlines_and_tabs_in_piped_paths(tmp_path):
    odd = tmp_path / "two\nlines\tand tab.txt"
    shutil.copy(seed_path(0), odd)
    db = str(tmp_path / "idx.db")
    assert invoke("index", "add", db, str(odd), str(seed_path(1))).exit_code == 0
    listed = detector("index", "list", db)
    assert listed.returncode == 0, listed.stderr
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    assert [len(row) for row in rows] == [4, 4]
    assert f"{tmp_path}/two\\nlines\\tand tab.txt" in {row[3] for row in rows}
    stats = detector("index", "stats", db)
    assert stats.returncode == 0 and "redis: none\n" in stats.stdout and "None" not in stats.stdout
