"""The distribution's name, its extras, the install lines of the README and the version."""

from __future__ import annotations

import importlib.metadata
import re
import sys

import pytest

import detector

from .conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = pytest.importorskip("tomli")

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
NAME = PYPROJECT["project"]["name"]


def test_distribution_has_a_name_of_its_own():
    # `detector` on PyPI is an unrelated project: `pip install detector` must not be the way in.
    assert NAME != "detector" and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", NAME)
    assert PYPROJECT["project"]["scripts"] == {"detector": "detector.cli:main"}
    assert PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["detector"]
    assert {"redis", "spark", "serve", "dev", "bench"} <= set(PYPROJECT["project"]["optional-dependencies"])


def test_readme_install_lines_name_the_distribution():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = [line for line in readme.splitlines() if re.search(r"\bpip install\b", line)]
    assert lines
    for line in lines:
        installed = re.search(r"pip install\s+(?:-\S+\s+)*'?([A-Za-z0-9_.-]+)", line)
        assert installed and installed.group(1) == NAME, line
    extras = set(re.findall(rf"{re.escape(NAME)}\[(\w+)\]", readme))
    assert extras <= set(PYPROJECT["project"]["optional-dependencies"])


def test_version_comes_from_the_package():
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "detector/__init__.py"
    assert re.fullmatch(r"\d+\.\d+\.\d+", detector.__version__)


def test_installed_distribution_matches_the_package():
    try:
        installed = importlib.metadata.version(NAME)
    except importlib.metadata.PackageNotFoundError:
        pytest.skip(f"{NAME} is not installed (pip install -e .)")
    assert installed == detector.__version__
    entry_points = importlib.metadata.distribution(NAME).entry_points
    assert [(e.name, e.value) for e in entry_points if e.group == "console_scripts"] == [
        ("detector", "detector.cli:main")
    ]
