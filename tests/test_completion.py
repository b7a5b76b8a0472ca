"""Tab completion in bash, zsh and fish: answered from the command table and the rules index,
without Typer; each shell gets a script of its own."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys

import pytest

from sscard.completion import candidates
from conftest import installed_script


def test_candidates_match_pinyin_chinese_and_english_prefixes():
    entries = [["ningbo", "宁波市", "Ningbo", ["甬"]], ["ningde", "宁德市", "Ningde", []],
               ["chongqing", "重庆市", "Chongqing", ["渝"]]]
    assert [v for v, _ in candidates(entries, "ning")] == ["ningbo", "ningde"]
    assert [v for v, _ in candidates(entries, "宁")] == ["宁波市", "宁德市"]
    assert [v for v, _ in candidates(entries, "CHONG")] == ["chongqing"]
    assert candidates(entries, "渝") == [("渝", "重庆市 / Chongqing")]
    assert candidates(entries, "xyz") == []


def _tab(sscard, shell: str, line: str, **extra):
    return sscard(environ={"_SSCARD_COMPLETE": f"complete_{shell}", "COMP_LINE": line, **extra})


def test_bash_completion_of_regions_banks_and_commands(sscard):
    assert _tab(sscard, "bash", "sscard pin ningb").out.split() == ["ningbo"]
    assert "ccb" in _tab(sscard, "bash", "sscard pin ningbo --bank cc").out.split()
    assert _tab(sscard, "bash", "sscard lo").out.split() == ["lost"]
    # bash's word after --bank= starts after the '=': the offer is the value alone
    assert "ccb" in _tab(sscard, "bash", "sscard pin ningbo --bank=cc").out.split()
    # only the text before the cursor counts
    assert _tab(sscard, "bash", "sscard lo ningbo", COMP_POINT="9").out.split() == ["lost"]


def test_scripts_written_by_older_versions_still_get_answers(sscard):
    r = sscard(environ={"_SSCARD_COMPLETE": "complete_bash", "COMP_WORDS": "sscard pin ningbo --bank cc",
                        "COMP_CWORD": "4"})
    assert r.code == 0 and "ccb" in r.out.split()


def test_zsh_answers_value_and_description_for_describe(sscard):
    r = _tab(sscard, "zsh", "sscard lost 重")
    assert r.code == 0 and "重庆市:重庆市 / Chongqing" in r.out.splitlines()
    assert "lost:Reporting a lost card" in _tab(sscard, "zsh", "sscard lo").out


def test_fish_answers_value_tab_description(sscard):
    r = _tab(sscard, "fish", "sscard pin 宁波")
    assert "宁波市\t宁波市 / Ningbo" in r.out.splitlines()
    assert set(_tab(sscard, "fish", "sscard --show-completion ").out.split()) == {"bash", "zsh", "fish"}


def test_options_choices_and_root_options_complete(sscard):
    assert _tab(sscard, "bash", "sscard pin ningbo --format ").out.split() == ["rich", "plain", "json", "markdown"]
    assert "--id" in _tab(sscard, "bash", "sscard pin ningbo --").out.split()
    assert "--id" not in _tab(sscard, "bash", "sscard lost ningbo --").out.split()
    assert {"--version", "--show-completion", "--install-completion"} <= set(_tab(sscard, "bash", "sscard --").out.split())
    assert _tab(sscard, "bash", "sscard nosuch ").out == ""


def test_each_shell_gets_its_own_script(sscard):
    scripts = {shell: sscard("--show-completion", shell) for shell in ("bash", "zsh", "fish")}
    assert all(r.code == 0 and "_SSCARD_COMPLETE=complete_" + shell in r.out for shell, r in scripts.items())
    bash, zsh, fish = (scripts[s].out for s in ("bash", "zsh", "fish"))
    assert "complete -F" in bash and "COMPREPLY" in bash
    assert zsh.startswith("#compdef sscard\n") and "_describe" in zsh and "COMPREPLY" not in zsh
    assert "complete --command sscard" in fish and "COMPREPLY" not in fish and "compdef" not in fish
    assert len({bash, zsh, fish}) == 3
    for shell, check in (("bash", ["bash", "-n"]), ("zsh", ["zsh", "-n"]), ("fish", ["fish", "--no-execute"])):
        if shutil.which(check[0]):  # the script parses in its own shell
            done = subprocess.run([*check], input=scripts[shell].out, capture_output=True, text=True)
            assert done.returncode == 0, (shell, done.stderr)


def test_the_shell_is_taken_from_SHELL_when_not_named(sscard):
    assert sscard("--show-completion", environ={"SHELL": "/usr/bin/zsh"}).out.startswith("#compdef sscard")
    unknown = sscard("--show-completion", environ={"SHELL": "/bin/ksh"})
    assert unknown.code == 2 and "bash, zsh or fish" in unknown.err and unknown.out == ""


@pytest.mark.skipif(not shutil.which("bash"), reason="needs bash")
def test_the_bash_script_completes_in_bash(sscard, tmp_path):
    script = sscard("--show-completion", "bash").out
    env = {**os.environ, "PATH": os.path.dirname(installed_script()) + os.pathsep + os.environ.get("PATH", "")}
    env.pop("_SSCARD_COMPLETE", None)
    program = script + '\nCOMP_LINE="sscard pin ningb"; COMP_POINT=${#COMP_LINE}\n' \
        '_sscard_complete sscard ningb pin\nprintf "%s\\n" "${COMPREPLY[@]}"\n'
    done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["ningbo"]


def test_install_writes_the_script_where_the_shell_looks(sscard, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    environ = {"HOME": str(home), "XDG_CONFIG_HOME": "", "XDG_DATA_HOME": ""}
    fish = sscard("--install-completion", "fish", environ=environ)
    assert fish.code == 0 and "sscard.fish" in fish.err
    assert (home / ".config" / "fish" / "completions" / "sscard.fish").read_text() == sscard(
        "--show-completion", "fish").out
    for _ in range(2):  # a second install adds no second line
        assert sscard("--install-completion", "zsh", environ=environ).code == 0
    assert (home / ".zfunc" / "_sscard").read_text().startswith("#compdef sscard")
    assert (home / ".zshrc").read_text().count(".zfunc") == 1


def test_a_tab_press_imports_no_typer_click_or_rich(shared_cache, bundled_index):
    """Run a completion request in a fresh interpreter and look at what it imported."""
    code = """
import io, sys
from sscard.main import run
from sscard.output import Env
import os
for line in ("sscard pin ningb", "sscard lo", "sscard pin ningbo --bank c", "sscard pin ningbo --"):
    out = io.StringIO()
    env = Env(stdout=out, stderr=io.StringIO(), environ={**os.environ, "_SSCARD_COMPLETE": "complete_zsh",
                                                          "COMP_LINE": line})
    assert run([], env) == 0 and out.getvalue(), line
print(sorted({m.split(".")[0] for m in sys.modules} & {"typer", "click", "rich", "prompt_toolkit", "rapidfuzz"}))
print("sscard.commands" in sys.modules)
"""
    env = {**os.environ, "SSCARD_CACHE_DIR": str(shared_cache)}  # the session's index: a warm Tab press
    subprocess.run([sys.executable, "-m", "sscard", "pin", "ningbo"], env=env, capture_output=True, check=True)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["[]", "False"]


def _typed_words(entries) -> list:
    """A sample of prefixes of every name, as typed (case, spaces, tones, another suffix, mixed scripts)."""
    words = set()
    for ident, zh, en, aliases in entries:
        for name in (ident, zh, en, *aliases):
            for end in (1, 2, 3, len(name or "")):
                words.add((name or "")[:end])
                words.add((name or "")[:end].upper())
        words.add((zh or "")[:-1] + "县")
        words.add(ident + "市")
    specials = {"", "zzz", "ningbo市", "宁波县", "Xi'a", "bank of", "ＮＩＮＧ", "níng", "重庆 ", "甬", "n", "宁"}
    return sorted(specials) + random.Random(7).sample(pool := sorted(words - specials), min(200, len(pool)))


@pytest.mark.parametrize("kind", ["regions", "banks"])
def test_the_stored_table_completes_as_the_names_do(bundled, kind):
    """A Tab press reads one bucket of the index's table: it offers what scanning every name offers."""
    from sscard.completenames import NameTable, StoredNames, table_data

    entries = bundled.completion_names()[kind]
    tables = table_data(entries)
    stored = StoredNames(lambda number: tables[number], lambda: NameTable(entries, keep=False))
    every = NameTable(entries, keep=True)  # the shell's table: every name's keys worked out
    words = _typed_words(entries)
    for word in words:
        assert stored.complete(word) == every.complete(word), word
    scanned = NameTable(entries, keep=False)  # one Tab press with no index: the rows scanned
    for word in words[:60]:  # the special words, then some of the sample
        assert scanned.complete(word) == every.complete(word), word


def test_a_tab_press_reads_one_bucket_of_the_stored_table(cli, monkeypatch):
    """Structural: completing a typed place or bank never reads (or normalizes) every name."""
    from sscard import completenames, index

    cli("pin", "ningbo")  # the index exists
    read = []
    real = index.IndexedRules.completion_bucket
    monkeypatch.setattr(index.IndexedRules, "completion_bucket",
                        lambda self, kind, number: read.append(kind) or real(self, kind, number))
    monkeypatch.setattr(index.IndexedRules, "completion_names", lambda self: pytest.fail("every name was read"))
    monkeypatch.setattr(completenames, "normalize", lambda text, real=completenames.normalize:
                        real(text) if text in ("ningb", "cc") else pytest.fail(f"normalized {text!r}"))
    for line, offer, kind in (("sscard pin ningb", "ningbo", "regions"), ("sscard pin ningbo --bank cc", "ccb", "banks")):
        done = cli(environ={"_SSCARD_COMPLETE": "complete_bash", "COMP_LINE": line})
        assert done.code == 0 and offer in done.out.split(), done
    assert read == ["regions", "banks"]
