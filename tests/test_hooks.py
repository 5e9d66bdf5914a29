"""The pre-commit hook and the example CI workflow, run as a user's repository would run them."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from .conftest import ROOT, seed_path

BIN = Path(sys.executable).parent


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def _repository(tmp_path: Path, drafts: tuple[int, ...]) -> Path:
    repo = tmp_path / "speeches"
    (repo / "archive").mkdir(parents=True)
    (repo / "drafts").mkdir()
    for n in (0, 1, 2, 3):
        shutil.copy(seed_path(n), repo / "archive" / seed_path(n).name)
    for n in drafts:
        shutil.copy(seed_path(n), repo / "drafts" / f"draft-{n}.txt")
    return repo


def test_pre_commit_hook_entry(tmp_path):
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "detector-check" and hook["language"] == "python"
    repo = _repository(tmp_path, (4,))
    (repo / "drafts" / "new.txt").write_text(
        "今年的工作要点如下：一是抓好大气污染治理，二是抓好水环境治理。", encoding="utf-8"
    )
    subprocess.run(
        ["detector", "index", "add", "archive.db", "archive", "--quiet"], cwd=repo, env=_env(), check=True
    )

    def commit(*files: str) -> subprocess.CompletedProcess[str]:
        assert all(re.search(hook["files"], f) for f in files)
        command = [*shlex.split(hook["entry"]), *hook["args"], *files]
        return subprocess.run(command, cwd=repo, env=_env(), capture_output=True, text=True)

    blocked = commit("drafts/draft-4.txt")
    assert blocked.returncode == 1, blocked.stderr
    assert "FAILED: copy ratio" in blocked.stdout and seed_path(3).name in blocked.stdout
    allowed = commit("drafts/new.txt")
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr


def _workflow_commands() -> list[str]:
    workflow = yaml.safe_load((ROOT / "docs" / "ci" / "detector-check.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["reuse"]["steps"]
    return [step["run"] for step in steps if step.get("run", "").startswith("detector ")]


def test_example_workflow_fails_on_a_recycled_draft(tmp_path):
    commands = _workflow_commands()
    assert len(commands) == 2
    repo = _repository(tmp_path, (4,))
    (repo / "drafts" / "new.txt").write_text(
        "今年的工作要点如下：一是抓好大气污染治理，二是抓好水环境治理。", encoding="utf-8"
    )
    codes = [
        subprocess.run(c, shell=True, cwd=repo, env=_env(), capture_output=True, text=True) for c in commands
    ]
    assert codes[0].returncode == 0, codes[0].stderr
    assert codes[1].returncode == 1, codes[1].stderr
    log = json.loads((repo / "detector.sarif").read_text(encoding="utf-8"))
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]
    }
    assert uris == {"drafts/draft-4.txt"}


def test_example_workflow_passes_clean_drafts(tmp_path):
    repo = _repository(tmp_path, ())
    shutil.copy(seed_path(0), repo / "drafts" / "draft-0.txt")
    shutil.move(repo / "archive" / seed_path(0).name, tmp_path / "elsewhere.txt")
    for command in _workflow_commands():
        done = subprocess.run(command, shell=True, cwd=repo, env=_env(), capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
