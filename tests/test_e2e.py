"""End to end: the installed console script in a subprocess, from outside the checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import installed_script


def test_readme_lookup_prints_ningbo_ccb_pin(sscard):
    r = sscard("pin", "ningbo", "--bank", "ccb")
    assert r.code == 0, r.err
    assert "initial: 955330 |" in r.out and "\x1b" not in r.out


def test_json_is_valid_and_names_the_region(sscard):
    r = sscard("pin", "宁波", "--bank", "建行", "--format", "json")
    data = json.loads(r.out)
    assert data["region"]["id"] == "ningbo" and data["bank"]["id"] == "ccb"


def test_python_dash_m_works(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "sscard", "lost", "chongqing"], capture_output=True, text=True,
                          encoding="utf-8", cwd=tmp_path, env={**os.environ, "SSCARD_CACHE_DIR": str(tmp_path)})
    assert proc.returncode == 0 and "12333" in proc.stdout


def test_errors_go_to_stderr_with_their_exit_codes(sscard):
    assert (lambda r: (r.code, r.out))(sscard("pin", "qqqqqqqq")) == (1, "")
    assert (lambda r: (r.code, r.out))(sscard("pin")) == (2, "")
    assert (lambda r: (r.code, r.out))(sscard("pin", "shanxii")) == (3, "")


def test_closed_pipe_ends_quietly(tmp_path):
    script = installed_script()
    proc = subprocess.run(f"'{script}' show neijiang --format plain | head -1", shell=True, capture_output=True,
                          text=True, encoding="utf-8", env={**os.environ, "SSCARD_CACHE_DIR": str(tmp_path)})
    assert proc.stdout.startswith("Neijiang") and proc.stderr == ""


def test_ascii_only_stdout_degrades_without_traceback(sscard):
    r = sscard("pin", "ningbo", environ={"PYTHONIOENCODING": "ascii"})
    assert r.code == 0 and "Traceback" not in r.err and "000000" in r.out


def test_broken_bundled_cache_is_rebuilt(sscard, tmp_path):
    first = sscard("pin", "ningbo")
    for cached in (tmp_path / "cache").glob("*.pickle"):
        cached.write_bytes(b"not a pickle")
    second = sscard("pin", "ningbo")
    assert first.out == second.out and second.code == 0


def test_unwritable_cache_still_answers(sscard):
    r = sscard("pin", "ningbo", environ={"SSCARD_CACHE_DIR": "/proc/sscard-cannot-write-here"})
    assert r.code == 0 and "000000" in r.out
