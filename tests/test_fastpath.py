"""The fast path parses argv from the command table without Typer; Click, reading the Typer
app built from the same table, must read every line it accepts the same way."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sscard import argspec
from sscard.commandtable import COMMANDS

pytest.importorskip("typer")


def _click_parse(argv):
    """What the Typer app makes of argv: (target, kwargs), or None if Click rejects it."""

    from sscard.cli import app

    try:  # the app as sscard runs it: a command's callback returns (target, kwargs)
        returned = app(args=list(argv), prog_name="sscard", standalone_mode=False)
    except BaseException:  # usage errors, help, version: Click rejects or exits  # noqa: BLE001
        return None
    return returned if isinstance(returned, tuple) else None


@pytest.mark.parametrize("argv", [
    ["pin", "ningbo"], ["pin", "ningbo", "--bank", "ccb"], ["pin", "--bank=ccb", "ningbo"], ["pin", "-b", "建行", "宁波"],
    ["lost", "chongqing", "--format", "json", "--lang", "zh"], ["show", "ningbo", "-f", "markdown"],
    ["cities", "--all"], ["cities", "-a", "--format", "plain"], ["banks"], ["check"], ["check", "a", "b"],
    ["batch", "--format", "plain"], ["faq", "-"], ["pin", "x", "--data-dir", "a", "-d", "b"], ["check", "-d", "a", "p"],
])
def test_fast_path_agrees_with_click(argv):
    parsed = argspec.parse(argv)
    assert parsed is not None
    assert parsed == _click_parse(argv)


@pytest.mark.parametrize("argv", [
    [], ["--help"], ["pin", "--help"], ["-h"], ["--version", "-V"], ["pin"], ["pin", "a", "b"], ["pin", "ningbo", "--bank"],
    ["pin", "ningbo", "--format", "yaml"], ["pin", "ningbo", "--lang", "fr"], ["pin", "ningbo", "--bogus"],
    ["nosuch", "x"], ["pin", "ningbo", "--", "x"], ["cities", "--all=yes"], ["pin", "ningbo", "-b=ccb"],
])
def test_fast_path_leaves_the_rest_to_typer(argv):
    assert argspec.parse(argv) is None


@pytest.mark.parametrize("argv,parsed", [
    (["--version"], ("version", {})), (["-V"], ("version", {})),
    (["--show-completion"], ("show_completion", {"shell": None})),
    (["--show-completion", "zsh"], ("show_completion", {"shell": "zsh"})),
    (["--install-completion=fish"], ("install_completion", {"shell": "fish"})),
    (["--show-completion", "ksh"], None), (["--version", "pin"], None), (["--show-completion", "zsh", "x"], None),
])
def test_root_options(argv, parsed):
    assert argspec.parse(argv) == parsed


def test_a_value_click_would_refuse_goes_to_click():
    assert argspec.parse(["search", "x", "--limit", "abc"]) is None
    assert argspec.parse(["search", "x", "--limit", "0"]) is None
    assert argspec.parse(["search", "x", "--limit", "1001"]) is None
    assert argspec.parse(["search", "x", "-n", "5"]) == _click_parse(["search", "x", "-n", "5"])


TOKENS = st.sampled_from([*COMMANDS, "ningbo", "宁波", "-", "--bank", "-b", "ccb", "--format", "-f", "json", "plain",
                          "yaml", "--lang", "zh", "fr", "--all", "-a", "--bank=ccb", "--format=json", "--nope", "--help",
                          "x", "--data-dir", "-d", "--id", "--header", "--stats", "--cache", "--limit", "-n", "5", "0",
                          "--region", "-r", "--version"])


@settings(max_examples=300, deadline=None)
@given(st.lists(TOKENS, max_size=7))
def test_fast_path_never_accepts_what_click_rejects_or_reads_it_differently(argv):
    parsed = argspec.parse(argv)
    if parsed is None or parsed[0] == "shell" or argv[0] not in COMMANDS:
        return  # `shell` reads no options; root options are tested above
    assert _click_parse(argv) == parsed, argv


def _imports(argv, env) -> set:
    proc = subprocess.run([sys.executable, "-X", "importtime", *argv], capture_output=True, text=True, env=env,
                          check=True)
    return {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}


# What a warm plain lookup may import beyond the interpreter's own start-up: the standard
# library modules below, and sscard's modules on the lookup path. Anything new here is a
# start-up cost every lookup pays: add it only knowingly (measure with -X importtime).
LOOKUP_STDLIB = {
    # `re` and what it pulls in: the pip-generated console script imports re itself
    "re", "re._casefix", "re._compiler", "re._constants", "re._parser", "_sre", "enum", "copyreg", "functools",
    "_functools", "collections", "_collections", "itertools", "keyword", "operator", "_operator", "reprlib", "types",
    "__future__", "atexit", "heapq", "_heapq", "zlib", "marshal", "unicodedata",
}
LOOKUP_SSCARD = {
    "sscard", "sscard.__main__", "sscard.main", "sscard.output", "sscard.safe", "sscard.errors", "sscard.argspec",
    "sscard.commandtable", "sscard.runner", "sscard.commands", "sscard.model", "sscard.names", "sscard.locate", "sscard.i18n", "sscard.serve", "sscard.notes", "sscard.store",
    "sscard.topics", "sscard.lookup", "sscard.cachefiles", "sscard.discover", "sscard.freshness", "sscard.index",
    "sscard.indexrecords",
    "sscard.census", "sscard.keyfacts", "sscard.renderers", "sscard.renderers.common", "sscard.renderers.plain",
    "sscard.idcard", "sscard.problems",
}


def test_plain_exact_lookup_imports_only_what_it_uses(shared_cache, bundled_index):
    """Start-up guard: a structural check of what a plain lookup pays for, not a timing."""
    env = {**os.environ, "SSCARD_CACHE_DIR": str(shared_cache)}
    argv = ["-m", "sscard", "pin", "ningbo", "--bank", "ccb", "--format", "plain"]
    subprocess.run([sys.executable, *argv], capture_output=True, env=env, check=True)  # a warm run: the index is current
    baseline = _imports(["-c", "pass"], env)
    imported = _imports(argv, env) - baseline
    assert "sscard.lookup" in imported  # the check sees our own imports
    heavy = {m for m in imported if m.split(".")[0] in ("rich", "rapidfuzz", "typer", "opencc", "tomllib", "tomli",
                                                         "platformdirs", "pathlib", "tempfile", "difflib", "json")}
    assert heavy == set()
    ours = {m for m in imported if m.split(".")[0] == "sscard"}
    assert ours - LOOKUP_SSCARD == set(), "a new sscard module on the lookup path"
    # python -m itself imports runpy and importlib.util (and what they need); the console script does not
    runpy = _imports(["-c", "import runpy, importlib.util"], env) - baseline
    assert imported - ours - runpy - LOOKUP_STDLIB == set(), "a new standard-library import on the lookup path"


# What a rich lookup adds to a plain one once its answer is kept (sscard.renderers.replay):
# the replay module and the built-in BLAKE2 for its key. Rich itself (and the typing,
# dataclasses and inspect it pulls in) only renders an answer not kept yet.
REPLAY_SSCARD = {"sscard.renderers.replay"}
REPLAY_STDLIB = {"_blake2"}


def test_a_kept_rich_answer_is_replayed_without_importing_rich(seeded_cache):
    """Start-up guard for the terminal: a structural check of what a repeated rich lookup pays for."""
    env = {**os.environ, "SSCARD_CACHE_DIR": str(seeded_cache), "COLUMNS": "100"}
    argv = ["-m", "sscard", "pin", "宁波", "--bank", "建行", "--format", "rich"]
    baseline = _imports(["-c", "pass"], env)
    first = _imports(argv, env) - baseline  # renders with Rich and keeps the answer
    assert {"rich.console", "sscard.renderers.rich", "sscard.renderers.replay"} <= first
    assert "tempfile" not in first  # keeping the answer costs no tempfile import
    imported = _imports(argv, env) - baseline
    assert "sscard.renderers.replay" in imported
    heavy = {m for m in imported if m.split(".")[0] in ("rich", "rapidfuzz", "typer", "opencc", "tomllib", "tomli",
                                                         "platformdirs", "pathlib", "tempfile", "difflib", "json",
                                                         "typing", "dataclasses", "inspect", "hashlib")}
    assert heavy == set()
    ours = {m for m in imported if m.split(".")[0] == "sscard"}
    assert ours - LOOKUP_SSCARD - REPLAY_SSCARD == set(), "a new sscard module on the replay path"
    runpy = _imports(["-c", "import runpy, importlib.util"], env) - baseline
    assert imported - ours - runpy - LOOKUP_STDLIB - REPLAY_STDLIB == set(), "a new standard-library import"


def test_writing_an_index_imports_no_tempfile(tmp_path):
    """The index is written through sscard.cachefiles.new_file, not tempfile (a first run pays for
    every import): shown on the small fixture rules, whose index is quick to build."""
    from conftest import MINI

    code = ("import sys; from sscard.serve import load_rules; "
            f"load_rules([{str(MINI)!r}], environ={{'SSCARD_CACHE_DIR': {str(tmp_path / 'cache')!r}}})")
    written = _imports(["-c", code], dict(os.environ)) - _imports(["-c", "pass"], dict(os.environ))
    assert "sscard.indexwrite" in written and list((tmp_path / "cache").glob("index-*.bin"))
    assert "tempfile" not in written


def test_normalize_skips_its_regex_only_where_it_would_drop_nothing():
    """names.normalize returns letters-and-digits text as it is: no character the regex drops is one."""
    import re

    from sscard import names

    drop = re.compile(names._DROP)
    assert not [hex(c) for c in range(0x110000) if chr(c).isalnum() and drop.match(chr(c))]


def test_quote_skips_its_regex_only_for_printable_text():
    import re

    from sscard import safe

    control = re.compile(safe._CONTROL)
    assert not [hex(c) for c in range(0x110000) if chr(c).isprintable() and control.match(chr(c))]
    assert safe.quote("a\u202eb\x1bc") == "'a\\u202eb\\x1bc'"


@pytest.mark.parametrize("name", ["schema", "docs", "region", "Regions", "regoins", "sourcse", "bank", "gazeteer", "x"])
def test_folder_names_skip_difflib_only_when_it_would_find_nothing(name):
    import difflib

    from sscard import discover

    lowered = name.lower()
    for kind in discover.KINDS:
        assert discover._quick_ratio(lowered, kind) == difflib.SequenceMatcher(None, kind, lowered).quick_ratio()
    if lowered.rstrip("s") not in (k.rstrip("s") for k in discover.KINDS):
        close = difflib.get_close_matches(lowered, discover.KINDS, n=1, cutoff=0.75)
        assert discover._kind_like(name) == (close[0] if close else None)


@pytest.mark.parametrize("args,code", [(["pin", "ningbo", "--bank", "ccb"], 0), (["pin", "nosuchplace"], 1),
                                        (["pin", "ningbo", "--format", "yaml"], 2), (["cities", "--format", "json"], 0)])
def test_the_console_script_leaves_early_with_its_exit_code_and_every_byte(sscard, cli, args, code):
    """__main__ ends a one-shot run with os._exit after flushing: the status and the output are those of run()."""
    via_script, in_process = sscard(*args), cli(*args)
    assert via_script.code == in_process.code == code
    assert via_script.out == in_process.out
    assert via_script.err.strip() == in_process.err.strip()


def test_early_exit_only_when_nothing_is_registered_at_exit(monkeypatch):
    import atexit

    from sscard import __main__ as entry

    monkeypatch.setattr("sscard.main.run", lambda: 3)
    left = []
    monkeypatch.setattr(entry.os, "_exit", lambda code: left.append(code))
    monkeypatch.setattr(entry, "_nothing_at_exit", lambda: True)
    with pytest.raises(SystemExit):
        entry.main()  # the patched os._exit returns, so main goes on to SystemExit
    assert left == [3]
    monkeypatch.setattr(entry, "_nothing_at_exit", lambda: False)
    left.clear()
    with pytest.raises(SystemExit) as stop:
        entry.main()
    assert left == [] and stop.value.code == 3
    assert hasattr(atexit, "_ncallbacks")  # the check relies on it; without it sscard exits the ordinary way
