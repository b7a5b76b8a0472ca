"""Shell completion of commands, regions and banks through Typer, served from the rules index."""

from __future__ import annotations

from sscard.completion import candidates


def test_candidates_match_pinyin_chinese_and_english_prefixes():
    entries = [["ningbo", "宁波市", "Ningbo", ["甬"]], ["ningde", "宁德市", "Ningde", []],
               ["chongqing", "重庆市", "Chongqing", ["渝"]]]
    assert [v for v, _ in candidates(entries, "ning")] == ["ningbo", "ningde"]
    assert [v for v, _ in candidates(entries, "宁")] == ["宁波市", "宁德市"]
    assert [v for v, _ in candidates(entries, "CHONG")] == ["chongqing"]
    assert candidates(entries, "渝") == [("渝", "重庆市 / Chongqing")]
    assert candidates(entries, "xyz") == []


def test_bash_completion_of_regions(sscard):
    r = sscard(environ={"_SSCARD_COMPLETE": "complete_bash", "COMP_WORDS": "sscard pin ningb", "COMP_CWORD": "2"})
    assert r.code == 0 and r.out.split() == ["ningbo"]


def test_bash_completion_of_banks(sscard):
    r = sscard(environ={"_SSCARD_COMPLETE": "complete_bash", "COMP_WORDS": "sscard pin ningbo --bank cc",
                        "COMP_CWORD": "4"})
    assert r.code == 0 and "ccb" in r.out.split()


def test_zsh_completion_offers_chinese_names(sscard):
    r = sscard(environ={"_SSCARD_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "sscard lost 重"})
    assert r.code == 0 and '"重庆市":"重庆市 / Chongqing"' in r.out


def test_completion_commands_and_scripts(sscard):
    r = sscard(environ={"_SSCARD_COMPLETE": "complete_bash", "COMP_WORDS": "sscard lo", "COMP_CWORD": "1"})
    assert r.out.split() == ["lost"]
    for shell in ("bash", "zsh", "fish"):
        script = sscard("--show-completion", shell)
        assert script.code == 0 and "_SSCARD_COMPLETE" in script.out, shell
