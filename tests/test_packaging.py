"""The sdist carries everything a checkout needs to build, test and contribute."""

from __future__ import annotations

import shutil
import subprocess
import tomllib

import pytest

from conftest import TESTS

ROOT = TESTS.parent
# Always in an sdist whatever the include list says (hatchling adds them), or not wanted there:
# .ci/run drives CI on a checkout with its own .venv.
IMPLICIT = {"pyproject.toml", "LICENSE", ".gitignore"}
LEFT_OUT = {".ci"}


def tracked_top_level() -> set:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (an unpacked sdist, say)")
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return {line.split("/", 1)[0] for line in listed.splitlines() if line}


def test_every_tracked_top_level_path_is_in_the_sdist():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = set(config["tool"]["hatch"]["build"]["targets"]["sdist"]["include"])
    missing = tracked_top_level() - include - IMPLICIT - LEFT_OUT
    assert not missing, f"add to [tool.hatch.build.targets.sdist] include: {sorted(missing)}"
    assert not {p for p in include if not (ROOT / p).exists()}, "the include list names a path that does not exist"
