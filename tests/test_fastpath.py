"""The fast path parses argv from a spec generated from the Typer app; it must never drift."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sscard import argspec

pytest.importorskip("typer")


def test_committed_spec_matches_the_typer_app():
    assert argspec.load_spec() == argspec.spec_from_app(), "run: python -m sscard.argspec"
    with open(argspec.SPEC_FILE, encoding="utf-8") as handle:
        assert handle.read() == argspec.render_spec(argspec.spec_from_app())


def _plain(params: dict) -> dict:
    """Click's values as the fast path gives them: unset lists are empty lists."""
    return {k: ([] if k in ("paths", "data_dir") and v is None else v) for k, v in params.items()}


def _click_parse(argv):
    """What Typer/Click make of argv: (command, params) or None if they reject it."""
    import typer.main

    from sscard.cli import app

    group = typer.main.get_command(app)
    try:
        ctx = group.make_context("sscard", list(argv))
        name, command, rest = group.resolve_command(ctx, [*getattr(ctx, "_protected_args", []), *ctx.args])
        sub = command.make_context(name, rest, parent=ctx)
    except Exception:  # usage errors, help, version: Click rejects or exits
        return None
    params = {k: (v.value if hasattr(v, "value") else ([str(p) for p in v] if isinstance(v, (list, tuple)) else v))
              for k, v in sub.params.items()}
    return name, params


@pytest.mark.parametrize("argv", [
    ["pin", "ningbo"], ["pin", "ningbo", "--bank", "ccb"], ["pin", "--bank=ccb", "ningbo"], ["pin", "-b", "建行", "宁波"],
    ["lost", "chongqing", "--format", "json", "--lang", "zh"], ["show", "ningbo", "-f", "markdown"],
    ["cities", "--all"], ["cities", "-a", "--format", "plain"], ["banks"], ["check"], ["check", "a", "b"],
    ["batch", "--format", "plain"], ["faq", "-"], ["pin", "x", "--data-dir", "a", "-d", "b"], ["check", "-d", "a", "p"],
])
def test_fast_path_agrees_with_click(argv):
    parsed = argspec.parse(argv, argspec.load_spec(), environ={})
    assert parsed is not None
    target, kwargs = parsed
    name, params = _click_parse(argv)
    fixed = argspec.load_spec()["commands"][name]["fixed"]
    assert kwargs == {**fixed, **_plain(params)}


@pytest.mark.parametrize("argv", [
    [], ["--help"], ["pin", "--help"], ["-h"], ["--version"], ["pin"], ["pin", "a", "b"], ["pin", "ningbo", "--bank"],
    ["pin", "ningbo", "--format", "yaml"], ["pin", "ningbo", "--lang", "fr"], ["pin", "ningbo", "--bogus"],
    ["nosuch", "x"], ["pin", "ningbo", "--", "x"], ["cities", "--all=yes"], ["pin", "ningbo", "-b=ccb"],
])
def test_fast_path_leaves_the_rest_to_typer(argv):
    assert argspec.parse(argv, argspec.load_spec(), environ={}) is None


def test_completion_requests_go_to_typer():
    assert argspec.parse(["pin", "ningbo"], argspec.load_spec(), environ={"_SSCARD_COMPLETE": "bash_complete"}) is None


TOKENS = st.sampled_from(["pin", "lost", "show", "cities", "banks", "check", "batch", "ningbo", "宁波", "-",
                          "--bank", "-b", "ccb", "--format", "-f", "json", "plain", "yaml", "--lang", "zh", "fr",
                          "--all", "-a", "--bank=ccb", "--format=json", "--nope", "--help", "x", "--data-dir", "-d"])


@settings(max_examples=300, deadline=None)
@given(st.lists(TOKENS, max_size=7))
def test_fast_path_never_accepts_what_click_rejects_or_reads_it_differently(argv):
    parsed = argspec.parse(argv, argspec.load_spec(), environ={})
    if parsed is None:
        return
    clicked = _click_parse(argv)
    assert clicked is not None, argv
    name, params = clicked
    fixed = argspec.load_spec()["commands"][name]["fixed"]
    assert parsed[1] == {**fixed, **_plain(params)}


def test_plain_exact_lookup_imports_neither_typer_rich_nor_rapidfuzz(tmp_path):
    """Start-up guard: a structural check of what a plain lookup pays for, not a timing."""
    env = {**os.environ, "SSCARD_CACHE_DIR": str(tmp_path)}
    argv = [sys.executable, "-X", "importtime", "-m", "sscard", "pin", "ningbo", "--bank", "ccb", "--format", "plain"]
    subprocess.run(argv, capture_output=True, env=env, check=True)  # builds the index
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, check=True)
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "sscard.lookup" in imported  # the check sees our own imports
    heavy = {m for m in imported if m.split(".")[0] in ("rich", "rapidfuzz", "typer", "opencc", "tomllib", "tomli")}
    assert heavy == set()
