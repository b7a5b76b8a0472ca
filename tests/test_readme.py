"""The README's examples stay true: the local-rules walk-through runs as written."""

from __future__ import annotations

import os
import re
import subprocess

from conftest import PLAIN_COLUMNS, TESTS, installed_script, plain_facts

README = (TESTS.parent / "README.md").read_text(encoding="utf-8")


def _block_after(heading: str) -> str:
    section = README.split(heading, 1)[1]
    return re.search(r"```\n(.*?)```", section, re.S).group(1)


def test_local_rules_example_overrides_one_bundled_fact(tmp_path):
    script = _block_after("## Local rules")
    # no index: the lookup parses the files (writing an index of them would double its cost)
    env = {**os.environ, "SSCARD_CACHE_DIR": "",
           "PATH": os.path.dirname(installed_script()) + os.pathsep + os.environ["PATH"]}
    proc = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    facts = plain_facts(proc.stdout, aspect="initial")
    assert [(f["part"], f["bank"], f["value"]) for f in facts if f["part"] != "online"] == [
        ("social", "-", "000000"), ("bank", "ccb", "123123")]
    assert "local" in facts[-1]["flags"].split(",") and "local rule" in facts[-1]["citations"]
    assert facts[-1]["citations"].startswith("our-notice-2026, 2026-11-01, grade A; local rule ")


def test_plain_output_example_is_what_sscard_prints(tmp_path, shared_cache):
    """The Plain output section's example, run as written; its columns are the ones the section lists."""
    block = _block_after("<!-- plain-example -->")
    command, expected = block.split("\n", 1)
    env = {**os.environ, "SSCARD_CACHE_DIR": str(shared_cache),
           "PATH": os.path.dirname(installed_script()) + os.pathsep + os.environ["PATH"]}
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", command.removeprefix("$ ")], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == expected
    table = README.split("## Plain output", 1)[1].split("\n\n", 3)[2]
    listed = re.findall(r"^\| (\d+) \| `(\w+)` \|", table, re.M)
    assert listed == [(str(n), name) for n, name in enumerate(PLAIN_COLUMNS, 1)]


def test_readme_names_the_commands_ci_runs():
    assert "<!-- install-command -->" in README and "<!-- test-command -->" in README
