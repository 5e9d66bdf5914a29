from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.models import CommandInfo
from typer.testing import CliRunner

import detector.cli as cli_module
from detector.cli import app
from detector.store import FORMAT_VERSION

from .conftest import ROOT, SPEECHES, corpus_folder, seed_path, seed_text

GOLDEN = Path(__file__).parent / "golden"
ENV = {"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, *args: str):
    return runner.invoke(app, list(args), env=ENV)


def test_scan_demo_corpus_text_golden(runner, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = invoke(runner, "scan", "data/speeches")
    assert result.exit_code == 0, result.output
    assert result.output == (GOLDEN / "scan_speeches.txt").read_text(encoding="utf-8")


def test_scan_json_schema(runner):
    result = invoke(runner, "scan", str(SPEECHES), "--format", "json", "--all")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1 and data["documents"] == 5 and data["errors"] == []
    assert set(data["settings"]) >= {"ngram", "num_perm", "recycled_threshold", "partial_threshold"}
    by_pair = {}
    for pair in data["pairs"]:
        assert set(pair) == {
            "a",
            "b",
            "similarity",
            "raw_similarity",
            "estimated_similarity",
            "containment_a_in_b",
            "containment_b_in_a",
            "verdict",
        }
        by_pair[(Path(pair["a"]).name[:3], Path(pair["b"]).name[:3])] = pair
    assert by_pair[("003", "004")]["similarity"] > 0.9
    assert 0.6 < by_pair[("003", "004")]["raw_similarity"] < by_pair[("003", "004")]["similarity"]
    assert by_pair[("003", "004")]["verdict"] == "recycled"
    for key, pair in by_pair.items():
        if key != ("003", "004"):
            assert pair["similarity"] < 0.1 and pair["verdict"] == "none"
    assert data["groups"] == [[str(seed_path(3)), str(seed_path(4))]]


def test_scan_output_file(runner, tmp_path):
    out = tmp_path / "report.json"
    result = invoke(runner, "scan", str(SPEECHES), "-f", "json", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["documents"] == 5


def test_scan_no_pairs(runner):
    result = invoke(runner, "scan", str(seed_path(0)), str(seed_path(1)))
    assert result.exit_code == 0
    assert result.output == "No recycled or partial pairs among 2 documents.\n"


def test_gb18030_copy_beside_004(runner, tmp_path):
    (tmp_path / "003_gb.txt").write_bytes(seed_text(3).encode("gb18030"))
    shutil.copy(seed_path(4), tmp_path / "004.txt")
    result = invoke(runner, "scan", str(tmp_path), "-f", "json")
    assert result.exit_code == 0
    (pair,) = json.loads(result.stdout)["pairs"]
    assert pair["verdict"] == "recycled"


def test_bad_inputs_reported_others_scanned(runner, tmp_path):
    shutil.copy(seed_path(3), tmp_path / "003.txt")
    shutil.copy(seed_path(4), tmp_path / "004.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "punct.txt").write_text("。。。，，，", encoding="utf-8")
    (tmp_path / "big.txt").write_bytes("讲话".encode() * 40000)
    result = invoke(
        runner, "scan", str(tmp_path), str(tmp_path / "missing.txt"), "-f", "json", "--max-size", "0.1"
    )
    assert result.exit_code == 2
    errors = result.stderr.splitlines()
    assert sorted(errors) == sorted(
        [
            f"error: {tmp_path / 'missing.txt'}: no such file or folder",
            f"error: {tmp_path / 'big.txt'}: file is 0.229 MiB, over --max-size 0.1 MiB",
            f"error: {tmp_path / 'binary.txt'}: binary file, not text; pass .txt, .md or .docx documents",
            f"error: {tmp_path / 'empty.txt'}: empty file",
            f"error: {tmp_path / 'punct.txt'}: no letters or digits left after removing furniture",
        ]
    )
    data = json.loads(result.stdout)
    assert data["documents"] == 2 and [p["verdict"] for p in data["pairs"]] == ["recycled"]
    assert len(data["errors"]) == 5
    assert "Traceback" not in result.output


def test_folder_without_documents(runner, tmp_path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    result = invoke(runner, "scan", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path}: no documents (.txt, .md, .docx) in this folder\n"


def test_bad_rules_file_is_one_line(runner, tmp_path):
    bad = tmp_path / "rules.toml"
    bad.write_text("[[line]\n", encoding="utf-8")
    result = invoke(runner, "scan", str(SPEECHES), "--furniture", str(bad))
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"error: {bad}: not a valid TOML rules file")


def test_usage_errors_exit_2(runner):
    assert invoke(runner, "scan").exit_code == 2
    assert invoke(runner, "scan", str(SPEECHES), "--threshold", "7").exit_code == 2
    assert invoke(runner, "nonsense").exit_code == 2


def test_version(runner):
    result = invoke(runner, "--version")
    assert result.exit_code == 0 and re.fullmatch(r"detector \d+\.\d+\.\d+\n", result.output)


def _command_name(command: CommandInfo) -> str:
    """The name a command is invoked by: its explicit name, else its function's."""
    if command.name:
        return command.name
    assert command.callback is not None
    return command.callback.__name__


def test_every_command_documented_in_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [_command_name(c) for c in app.registered_commands]
    assert commands
    for name in commands:
        assert f"detector {name}" in readme, name
        result = CliRunner().invoke(app, [name, "--help"], env=ENV)
        assert result.exit_code == 0 and "Usage" in result.output


def test_every_option_documented_in_readme():
    import typer.main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    commands = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            commands += [(f"{name} {sub}", c) for sub, c in subcommands.items()]
        else:
            commands.append((name, command))
    missing = []
    for name, command in commands:
        for param in command.params:
            for option in (*param.opts, *param.secondary_opts):
                if option.startswith("--") and option != "--help" and option not in readme:
                    missing.append(f"detector {name} {option}")
    assert missing == []


def test_news_corpus_scan_cli(runner):
    folder = corpus_folder("cn_xinwenlianbo_2024")
    result = invoke(runner, "scan", str(folder), "-f", "json", "--all")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["documents"] >= 364
    for pair in data["pairs"]:
        if pair["verdict"] == "recycled":
            assert pair["similarity"] >= data["settings"]["recycled_threshold"]


def test_diff_seed_pair_text_golden(runner, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = invoke(
        runner, "diff", "data/speeches/003_66e0f7edabd08f04.txt", "data/speeches/004_5be64723186af613.txt"
    )
    assert result.exit_code == 0, result.output
    assert result.output == (GOLDEN / "diff_003_004.txt").read_text(encoding="utf-8")


def test_diff_json_positions_in_originals(runner):
    result = invoke(runner, "diff", str(seed_path(3)), str(seed_path(4)), "-f", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) >= {"similarity", "swaps", "inserted", "deleted", "moved"}
    a, b = seed_text(3), seed_text(4)
    years = [s for s in data["swaps"] if s["kind"] == "year"]
    assert {(s["old"], s["new"], s["count"]) for s in years} == {("2022", "2023", 2), ("2021", "2023", 3)}
    for swap in data["swaps"]:
        assert len(swap["positions"]) == swap["count"]
        for pos in swap["positions"]:
            assert a[pos["a_start"] : pos["a_end"]] == swap["old"]
            assert b[pos["b_start"] : pos["b_end"]] == swap["new"]


def test_diff_unrelated_and_identical(runner):
    result = invoke(runner, "diff", str(seed_path(0)), str(seed_path(1)))
    assert result.exit_code == 0
    assert result.output.splitlines()[1] == "No alignment worth reporting: the two texts share too little."
    result = invoke(runner, "diff", str(seed_path(0)), str(seed_path(0)))
    assert result.output.splitlines()[1] == "No differences: the texts are the same after normalisation."


def test_diff_bad_input(runner, tmp_path):
    result = invoke(runner, "diff", str(seed_path(0)), str(tmp_path / "missing.txt"))
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'missing.txt'}: no such file or folder\n"
    bad = tmp_path / "spin.tsv"
    bad.write_text("only-one-column\n", encoding="utf-8")
    result = invoke(runner, "diff", str(seed_path(3)), str(seed_path(4)), "--lexicon", str(bad))
    assert result.exit_code == 2 and result.stderr.startswith(f"error: {bad}:1: expected")


def _seed_args(*numbers: int) -> list[str]:
    return [f"data/speeches/{seed_path(n).name}" for n in numbers]


def test_check_text_golden(runner, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = invoke(runner, "check", *_seed_args(4), "--against", *_seed_args(0, 1, 2, 3))
    assert result.exit_code == 0, result.output
    assert result.output == (GOLDEN / "check_004.txt").read_text(encoding="utf-8")


def test_check_json_names_003_as_only_source(runner, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = invoke(runner, "check", *_seed_args(4), "--against", *_seed_args(0, 1, 2, 3), "-f", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1 and data["errors"] == []
    (draft,) = data["drafts"]
    assert draft["path"] == _seed_args(4)[0]
    assert draft["copy_ratio"] > 0.9
    assert [s["path"] for s in draft["sources"]] == _seed_args(3)
    passage = draft["sources"][0]["passages"][0]
    assert {"draft_start", "draft_end", "source_start", "source_end", "swaps"} <= set(passage)
    assert {(s["kind"], s["old"], s["new"]) for s in passage["swaps"]} >= {
        ("year", "2022", "2023"),
        ("placeholder", "*", "x"),
        ("synonym", "发展", "开展"),
    }


def test_check_folder_against_itself_skips_self(runner):
    result = invoke(runner, "check", str(seed_path(0)), "--against", str(SPEECHES), "-f", "json")
    assert result.exit_code == 0
    (draft,) = json.loads(result.stdout)["drafts"]
    assert draft["copy_ratio"] < 0.02 and draft["sources"] == []
    assert any("党政同责" in p["text"] for p in draft["common_phrases"])


def test_check_options_after_against_and_repeated(runner):
    result = invoke(
        runner,
        "check",
        str(seed_path(4)),
        "-a",
        str(seed_path(3)),
        "--format",
        "json",
        "-a",
        str(seed_path(0)),
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["drafts"][0]["sources"][0]["path"] == str(seed_path(3))


def test_check_bad_inputs(runner, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = invoke(
        runner,
        "check",
        str(seed_path(4)),
        str(tmp_path / "empty.txt"),
        "--against",
        str(seed_path(3)),
        str(tmp_path / "missing"),
    )
    assert result.exit_code == 2
    assert sorted(result.stderr.splitlines()) == sorted(
        [
            f"error: {tmp_path / 'missing'}: no such file or folder",
            f"error: {tmp_path / 'empty.txt'}: empty file",
        ]
    )
    assert "copy ratio" in result.stdout
    assert invoke(runner, "check", str(seed_path(4))).exit_code == 2
    missing = invoke(runner, "check", str(tmp_path / "nope.txt"), "--against", str(seed_path(3)))
    assert missing.exit_code == 2 and "Traceback" not in missing.output


def test_index_gate_round_trip(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    db = str(tmp_path / "idx.db")
    added = invoke(runner, "index", "add", db, *_seed_args(0, 1, 2, 3))
    assert added.exit_code == 0, added.output
    assert added.output == f"{db}: 4 added, 0 updated, 0 unchanged; 4 documents\n"
    again = invoke(runner, "index", "add", db, *_seed_args(0, 1, 2, 3))
    assert again.output == f"{db}: 0 added, 0 updated, 4 unchanged; 4 documents\n"
    failed = invoke(runner, "check", *_seed_args(4), "--index", db, "--fail-above", "0.3")
    assert failed.exit_code == 1
    assert _seed_args(3)[0] in failed.output and "FAILED: copy ratio" in failed.output
    removed = invoke(runner, "index", "remove", db, _seed_args(0)[0])
    assert removed.exit_code == 0 and removed.output == f"{db}: 1 removed; 3 documents\n"
    clean = invoke(runner, "check", *_seed_args(0), "--index", db, "--fail-above", "0.3")
    assert clean.exit_code == 0, clean.output
    recycled = invoke(runner, "check", *_seed_args(4), "--index", db, "--fail-on", "recycled", "-f", "json")
    assert recycled.exit_code == 1
    (draft,) = json.loads(recycled.stdout)["drafts"]
    assert draft["recycled"] is True and draft["failed"] == [
        f"recycled from {_seed_args(3)[0]} (similarity {draft['near_duplicates'][0]['similarity']:.3f})"
    ]


def test_index_list_and_stats(runner, tmp_path):
    db = str(tmp_path / "idx.db")
    invoke(runner, "index", "add", db, str(seed_path(0)), str(seed_path(1)))
    listed = invoke(runner, "index", "list", db)
    assert listed.exit_code == 0
    rows = [line.split("\t") for line in listed.output.splitlines()]
    assert [r[3] for r in rows] == [str(seed_path(0)), str(seed_path(1))]
    assert [r[0] for r in rows] == ["1", "2"]
    as_json = json.loads(invoke(runner, "index", "list", db, "-f", "json").stdout)
    assert [d["path"] for d in as_json] == [str(seed_path(0)), str(seed_path(1))]
    stats = json.loads(invoke(runner, "index", "stats", db, "-f", "json").stdout)
    assert stats["documents"] == 2 and stats["format_version"] == FORMAT_VERSION
    text = invoke(runner, "index", "stats", db).output
    assert "documents: 2\n" in text


def test_index_errors_are_one_line_exit_2(runner, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_text("not an index", encoding="utf-8")
    for args in (
        ("check", str(seed_path(0)), "--index", str(junk)),
        ("index", "list", str(junk)),
        ("index", "list", str(tmp_path / "missing.db")),
        ("index", "remove", str(junk), "x"),
        ("check", str(seed_path(0))),
        ("check", str(seed_path(0)), "--against", str(seed_path(1)), "--index", str(junk)),
    ):
        result = invoke(runner, *args)
        assert result.exit_code == 2, args
        assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("error: "), args
    db = str(tmp_path / "idx.db")
    invoke(runner, "index", "add", db, str(seed_path(0)))
    mismatch = invoke(runner, "index", "add", db, str(seed_path(1)), "--ngram", "4")
    assert mismatch.exit_code == 2
    assert mismatch.stderr == (
        f"error: {db}: built with other settings: ngram=5 (asked 4); drop those options or rebuild "
        "the index with them: detector index add NEW.db PATH...\n"
    )
    missing = invoke(runner, "index", "remove", db, "nope.txt")
    assert missing.exit_code == 2 and "no document 'nope.txt'" in missing.stderr


def test_check_sarif_and_junit_outputs(runner, tmp_path):
    sarif = tmp_path / "out.sarif"
    gate = ["-f", "sarif", "-o", str(sarif), "--fail-above", "0.5"]
    result = invoke(runner, "check", str(seed_path(4)), "--against", str(seed_path(3)), *gate)
    assert result.exit_code == 1
    log = json.loads(sarif.read_text(encoding="utf-8"))
    assert log["version"] == "2.1.0" and log["runs"][0]["results"][0]["level"] == "error"
    junit = invoke(runner, "check", str(seed_path(0)), "--against", str(seed_path(3)), "-f", "junit")
    assert junit.exit_code == 0
    assert junit.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')


def test_exit_codes_do_not_collide_with_the_framework(runner, monkeypatch):
    import detector.cli as cli
    import detector.workflows as workflows

    assert (cli.EXIT_OK, cli.EXIT_REUSE, cli.EXIT_INPUT_ERROR, cli.EXIT_INTERRUPTED) == (0, 1, 2, 130)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(workflows, "read_documents", interrupted)
    result = invoke(runner, "check", str(seed_path(0)), "--against", str(seed_path(1)))
    assert result.exit_code == 130 and result.stderr == "interrupted\n"


def test_check_double_dash_ends_against(runner):
    result = invoke(runner, "check", "--against", str(seed_path(3)), "-f", "json", "--", str(seed_path(4)))
    assert result.exit_code == 0, result.output
    (draft,) = json.loads(result.stdout)["drafts"]
    assert draft["path"] == str(seed_path(4)) and draft["sources"][0]["path"] == str(seed_path(3))


def test_scan_max_pairs_lists_the_best_and_counts_the_rest(runner, tmp_path):
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_text(seed_text(3), encoding="utf-8")
    result = invoke(runner, "scan", str(tmp_path), "-f", "json", "--max-pairs", "1")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["pairs"]) == 1 and data["pairs_dropped"] == 2
    assert data["groups"] == [[str(tmp_path / n) + ".txt" for n in ("a", "b", "c")]]


def test_diff_of_english_statements_shows_whole_numbers_and_spaces_golden(runner, monkeypatch):
    folder = corpus_folder("en_rba_decisions") / "docs"
    monkeypatch.chdir(folder)
    result = invoke(runner, "diff", "1991-04-04.txt", "1991-05-16.txt")
    assert result.exit_code == 0, result.output
    assert "11½ → 10½" in result.output and "[6½] percentage points" in result.output
    assert result.output == (GOLDEN / "diff_rba_1991.txt").read_text(encoding="utf-8")


def _command_paths() -> list[tuple[str, ...]]:
    """Every command and group of the CLI, the root first: ``()``, ``("scan",)``, ``("index", "add")``…"""
    import typer.main

    paths: list[tuple[str, ...]] = []

    def walk(command, path: tuple[str, ...]) -> None:
        paths.append(path)
        for name, sub in sorted((getattr(command, "commands", None) or {}).items()):
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return paths


#: Typer's labels of Python types: ``<bool>``, ``<int range>``, ``<text|json>``, ``<list[Path]>``.
TYPE_LABEL = re.compile(r"<(?:[a-z]+(?: range)?|[a-z]+(?:\|[a-z]+)+|list\[[^>]*\])>")


def _help(*path: str) -> str:
    result = CliRunner().invoke(app, [*path, "--help"], env=ENV, prog_name="detector")
    assert result.exit_code == 0, result.output
    return result.output


def test_help_names_values_without_type_labels():
    paths = _command_paths()
    assert {("scan",), ("diff",), ("check",), ("index", "add"), ("index", "stats")} <= set(paths)
    for path in paths:
        text = _help(*path)
        assert not TYPE_LABEL.search(text), (path, TYPE_LABEL.search(text))
        assert "list[" not in text and "{" not in text, path
    check = _help("check")
    assert "Usage: detector check [OPTIONS] DRAFT..." in check
    assert re.search(r"--against\s+-a\s+PATH\.\.\.", check) and re.search(r"--output\s+-o\s+FILE", check)
    assert re.search(r"--format\s+-f\s+text\|json\|sarif\|junit", check)
    assert re.search(r"--quiet\s+-q\s+No progress bar", check)
    assert "Usage: detector index add [OPTIONS] INDEX PATH..." in _help("index", "add")


def test_every_command_help_shows_an_example():
    for path in _command_paths():
        command = " ".join(("detector", *path))
        lines = [line.strip() for line in _help(*path).splitlines()]
        examples = [line for line in lines if line.startswith(f"{command} ")]
        assert "Examples:" in lines and examples, path


def test_against_that_took_the_drafts_says_to_put_double_dash_before_them(runner):
    for option in ("--against", "-a"):
        result = invoke(runner, "check", option, str(seed_path(3)), str(seed_path(4)))
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr == f"error: {cli_module.MISSING_DRAFT}\n"
        assert " -- " in result.stderr and "detector check --against archive/ -- draft.txt" in result.stderr
    result = invoke(runner, "check")
    assert result.exit_code == 2 and "Missing argument 'DRAFT...'" in result.output
