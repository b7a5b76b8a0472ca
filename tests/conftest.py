"""Shared fixtures: the bundled rules, a small fixture rule set, and ways to run the CLI."""

from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from sscard.main import run
from sscard.output import Env
from sscard.locate import bundled_data_dir
from sscard.store import build

TESTS = Path(__file__).resolve().parent
MINI = TESTS / "data" / "mini"
SHARED_SEEDS = TESTS.parent.parent / "shared" / "seeds"


def pytest_configure(config):
    """With PYTHONDONTWRITEBYTECODE set, every subprocess the tests start (the console script,
    python -m sscard, xdist's workers) would compile sscard again on every run: let bytecode be
    written for this session, as Python does by default (__pycache__ is git-ignored). A pycache
    prefix would keep the tree clean, but Python then reads bytecode only from the prefix, so a
    first run compiled the standard library and every package again (about 6 s of a cold run)."""
    if os.environ.get("PYTHONDONTWRITEBYTECODE") and not os.environ.get("PYTHONPYCACHEPREFIX"):
        del os.environ["PYTHONDONTWRITEBYTECODE"]
        sys.dont_write_bytecode = False


@functools.cache
def gazetteer_doc() -> dict:
    """data/gazetteer/places.toml as the loader reads it, parsed once per process (several test
    modules read it, some at collection; the loader's own parse of the same bytes then reuses it,
    sscard.rulereader); callers must not change it."""
    from sscard.rulereader import parse_file

    doc = parse_file(Path(bundled_data_dir()) / "gazetteer" / "places.toml")
    assert doc is not None, "the bundled gazetteer cannot be read"
    return doc


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture(scope="session")
def bundled():
    return build([bundled_data_dir()])


@pytest.fixture(scope="session")
def mini():
    return build([MINI])


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory):
    """One index cache for the whole session: the bundled rules are parsed once, not per test.

    A test about the cache itself sets SSCARD_CACHE_DIR to a folder of its own.
    """
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def bundled_index(shared_cache, bundled) -> Path:
    """The session's index of the bundled rules (in shared_cache), built on first use: in this process,
    where the files `bundled` read are parsed already (sscard.rulereader keeps them), not in a subprocess."""
    from sscard.index import index_path
    from sscard.serve import load_rules

    load_rules([bundled_data_dir()], environ={"SSCARD_CACHE_DIR": str(shared_cache)})
    path = Path(index_path(str(shared_cache), [bundled_data_dir()]))
    assert path.is_file()
    return path


@pytest.fixture
def seeded_cache(tmp_path, bundled_index) -> Path:
    """A cache folder of the test's own, holding a copy of the session's index of the bundled rules:
    for a test about what happens to an index once written, not about writing the first one."""
    cache = tmp_path / "seeded-cache"
    cache.mkdir(mode=0o700)
    copy = cache / bundled_index.name
    shutil.copyfile(bundled_index, copy)
    copy.chmod(0o600)
    return cache


@pytest.fixture(autouse=True)
def _isolated(shared_cache, monkeypatch):
    """Each test gets the shared cache directory and a neutral locale."""
    monkeypatch.setenv("SSCARD_CACHE_DIR", str(shared_cache))
    for var in ("SSCARD_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "NO_COLOR", "SSCARD_DATA_PATH"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def cli():
    """Run sscard in-process with captured stdout/stderr: cli('pin', 'ningbo')."""

    def invoke(*args: str, environ: dict | None = None, stdin: str = "") -> Result:
        out, err = io.StringIO(), io.StringIO()
        code = run(list(args), Env(stdout=out, stderr=err, environ={**os.environ, **(environ or {})},
                                   stdin=io.StringIO(stdin)))
        return Result(code, out.getvalue(), err.getvalue())

    return invoke


def installed_script() -> str:
    """The console script installed next to this interpreter."""
    here = Path(sys.executable).parent / "sscard"
    found = str(here) if here.exists() else shutil.which("sscard")
    if not found:
        pytest.fail("the sscard console script is not installed; run: pip install -e '.[test]'")
    return found


@pytest.fixture
def sscard(tmp_path, shared_cache, bundled_index):
    """Run the installed console script in a subprocess, from a directory outside the checkout."""

    def invoke(*args: str, input: str | None = None, environ: dict | None = None) -> Result:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SSCARD_", "LC_", "LANG"))}
        env.update({"SSCARD_CACHE_DIR": str(shared_cache), **(environ or {})})
        proc = subprocess.run([installed_script(), *args], input=input, capture_output=True, text=True,
                              encoding="utf-8", env=env, cwd=tmp_path, timeout=60)
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return invoke


# The plain output's columns, written out here rather than imported: tests pin the documented contract.
PLAIN_COLUMNS = ("kind", "place", "origin", "topic", "part", "bank", "aspect", "value", "scope", "text", "citations",
                 "flags")


def plain_rows(out: str) -> list:
    """Plain output as one dict per row; every line must have exactly the documented columns."""
    rows = []
    for line in out.splitlines():
        cells = line.split("\t")
        assert len(cells) == len(PLAIN_COLUMNS), repr(line)
        rows.append(dict(zip(PLAIN_COLUMNS, cells)))
    return rows


def plain_facts(out: str, **wanted) -> list:
    """The rows of plain output whose cells equal the given ones (kind='fact' unless given)."""
    wanted.setdefault("kind", "fact")
    return [r for r in plain_rows(out) if all(r[k] == v for k, v in wanted.items())]
