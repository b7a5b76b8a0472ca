"""Hostile input stays inert: rule text and command-line text never change the terminal or crash.

Property tests (hypothesis) cover resolution, loading and rendering; the strings they (or we)
found troublesome are kept in tests/data/regressions/ and replayed on every run.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINI, TESTS
from sscard.errors import SscardError
from sscard.lookup import answer, find_bank, find_region
from sscard.model import Citation, Item, Source, Text
from sscard.renderers import render
from sscard.store import build

CORPUS = [json.loads(line) for line in (TESTS / "data" / "regressions" / "hostile_strings.jsonl").read_text(
    encoding="utf-8").splitlines() if line.strip()]
# What must never reach a terminal: ESC and other C0 controls (tab and newline aside), DEL, C1, bidi controls.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\u200e\u200f]")


def test_corpus_is_not_empty():
    assert len(CORPUS) >= 20


def _hostile_answer(mini, text: str):
    """A real answer whose item, title, value and source carry the hostile text."""
    base = answer(mini, "pin", "river", "alpha")
    evil = Item("pin", "social", "note", Text(text, text), (Citation("doc-a", text, ""),), "", Text(text, text),
                Text(text, text), Text(text, text), "f.toml", 1)
    sources = dict(base.sources)
    sources["doc-a"] = Source("doc-a", text, "undated", "C", "", "http://x.invalid/" + text)
    return base.replace(items=base.items + (evil,), sources=sources)


def _check_inert(out: str, fmt: str) -> None:
    assert not FORBIDDEN.search(out.replace("\n", "") if fmt == "plain" else out), repr(out[:300])
    if fmt == "json":
        json.loads(out)


@pytest.mark.parametrize("fmt", ["plain", "json", "markdown"])
@pytest.mark.parametrize("text", CORPUS, ids=range(len(CORPUS)))
def test_corpus_renders_inert(mini, text, fmt):
    _check_inert(render([_hostile_answer(mini, text)], fmt, "en"), fmt)


@pytest.mark.parametrize("text", CORPUS, ids=range(len(CORPUS)))
def test_corpus_in_rich_shows_markup_literally_and_no_injected_escapes(mini, text):
    out = render([_hostile_answer(mini, text)], "rich", "en", width=200, color=False)
    assert "\x07" not in out and "\x1b]" not in out and "\u202e" not in out and "\x1b[2J" not in out
    if text.startswith("[bold red]"):
        assert "[bold red]markup[/bold red]" in out
    if text.startswith(":smile:"):
        assert ":smile:" in out


@pytest.mark.parametrize("text", CORPUS, ids=range(len(CORPUS)))
def test_corpus_names_never_crash_resolution(bundled, text):
    for find in (find_region, find_bank):
        try:
            find(bundled, text)
        except SscardError:
            pass


@pytest.mark.parametrize("text", CORPUS, ids=range(len(CORPUS)))
def test_corpus_on_the_command_line_is_quoted_safely(cli, text):
    if "\x00" in text:
        text = text.replace("\x00", "")  # argv cannot carry NUL; checked in-process elsewhere
    r = cli("pin", text)
    assert r.code in (0, 1, 2, 3)
    assert not FORBIDDEN.search(r.err.replace("\n", "")), repr(r.err)
    assert "Traceback" not in r.err


# 60 examples: each fuzzy-matches against every bundled name (~15 ms); the corpus above replays the hard cases
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_resolution_on_arbitrary_unicode_raises_only_our_errors(bundled, text):
    for find in (find_region, find_bank):
        try:
            find(bundled, text)
        except SscardError:
            pass


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=80), st.sampled_from(["plain", "json", "markdown"]))
def test_renderers_emit_no_control_characters(mini, text, fmt):
    _check_inert(render([_hostile_answer(mini, text)], fmt, "zh"), fmt)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_arbitrary_bytes_as_a_rule_file_give_rules_or_problems(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "regions" / "fuzz.toml"
        path.parent.mkdir()
        path.write_bytes(data)
        rules = build([MINI, path])  # never raises
        for problem in rules.rules.problems:
            assert problem.file == str(path) or problem.file.startswith(str(MINI)), problem
            assert problem.line >= 1


def test_toml_shaped_garbage_reports_lines(tmp_path):
    path = tmp_path / "regions" / "x.toml"
    path.parent.mkdir()
    path.write_text('[region]\nid = "x"\nlevel = "city"\nparent = "hill"\nname = { zh = "\\u001b[31m甲", en = "[bold]" }\n'
                    '\n[[pin]]\npart = "social"\naspect = "note"\nzh = "\\u202e倒"\nen = ":smile:"\nsource = "doc-a"\n',
                    encoding="utf-8")
    rules = build([MINI, path])
    assert rules.rules.problems == []
    out = render([answer(rules, "pin", "x")], "plain", "en")
    assert ":smile:" in out and "\x1b" not in out and "\u202e" not in out
