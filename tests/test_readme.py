"""The README's examples stay true: the local-rules walk-through runs as written."""

from __future__ import annotations

import os
import re
import subprocess

from conftest import TESTS, installed_script

README = (TESTS.parent / "README.md").read_text(encoding="utf-8")


def _block_after(heading: str) -> str:
    section = README.split(heading, 1)[1]
    return re.search(r"```\n(.*?)```", section, re.S).group(1)


def test_local_rules_example_overrides_one_bundled_fact(tmp_path):
    script = _block_after("## Local rules")
    env = {**os.environ, "SSCARD_CACHE_DIR": str(tmp_path / "cache"),
           "PATH": os.path.dirname(installed_script()) + os.pathsep + os.environ["PATH"]}
    proc = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "initial: 123123 |" in proc.stdout and "initial: 000000 |" in proc.stdout
    assert "local rule" in proc.stdout and "our-notice-2026" in proc.stdout


def test_readme_names_the_commands_ci_runs():
    assert "<!-- install-command -->" in README and "<!-- test-command -->" in README
