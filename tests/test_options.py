"""The Spark job takes the scan options of the command line: same names, defaults and help."""

from __future__ import annotations

import typer
from typer.core import TyperCommand, TyperGroup, TyperOption

from detector import spark
from detector.cli import app
from detector.options import DEFAULT_MAX_SIZE, scan_config, to_bytes


def _options(command: object) -> dict[str, TyperOption]:
    assert isinstance(command, TyperCommand)
    return {p.name: p for p in command.params if isinstance(p, TyperOption) and p.name}


def _spark_command() -> object:
    job = typer.Typer(add_completion=False)
    job.command()(spark._job)
    return typer.main.get_command(job)


def test_spark_job_shares_every_scan_option_it_has() -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    scan = _options(group.commands["scan"])
    job = _options(_spark_command())
    shared = set(job) - {"partitions"}
    assert shared == {
        "threshold",
        "partial",
        "lsh_threshold",
        "ngram",
        "num_perm",
        "furniture",
        "max_size",
        "canonical",
        "mask_entities",
        "max_pairs",
    }
    for name in shared:
        assert job[name].opts == scan[name].opts, name
        assert job[name].secondary_opts == scan[name].secondary_opts, name
        assert job[name].default == scan[name].default, name
        assert job[name].help == scan[name].help, name


def test_scan_config_and_sizes() -> None:
    config = scan_config(threshold=0.7, partial=0.6, canonical=False)
    assert (config.recycled_threshold, config.partial_threshold, config.canonical) == (0.7, 0.6, False)
    assert to_bytes(DEFAULT_MAX_SIZE) == 16 * 1024 * 1024
