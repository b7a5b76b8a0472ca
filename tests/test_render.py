"""Renderers, asserted on whole outputs over the small fixture rule set."""

from __future__ import annotations

import json
import re

import pytest

from conftest import MINI, PLAIN_COLUMNS, plain_facts, plain_rows
from sscard.lookup import answer, show
from sscard.model import Text
from sscard.renderers import render


@pytest.fixture(autouse=True)
def _mini_is_the_bundled_layer(monkeypatch):
    """The fixture rules stand in for the bundled ones (no 'local rule' notes); 'today' is pinned."""
    monkeypatch.setattr("sscard.locate._bundled", str(MINI))
    monkeypatch.setenv("SSCARD_TODAY", "2024-01-01")

# Plain output: tab-separated; written with \t so the columns are visible here.
PLAIN_PIN_ALPHA = """\
kind\tplace\torigin\ttopic\tpart\tbank\taspect\tvalue\tscope\ttext\tcitations\tflags
key\triver\triver\tpin\tsocial\t-\tinitial\t123456\t-\tSocial PIN · initial\tdoc-a\t-
key\triver\triver\tpin\tbank\talpha\tinitial\t955000\t-\tBank PIN — Alpha Bank · initial\tdoc-a\t-
context\triver\triver\tpin\t-\t-\torigin\tcity\t-\tRules from: River (河市), city\t-\t-
context\triver\triver\tpin\t-\talpha\tbank\t95000\t-\tBank: Alpha Bank, hotline 95000\tdoc-a\t-
fact\triver\triver\tpin\tsocial\t-\tinitial\t123456\t-\tSocial PIN starts as 123456.\tdoc-a § §1, 2020-05-01, grade A\tkey
fact\triver\triver\tpin\tsocial\t-\tlock\t6\t-\tSix wrong tries lock it.\tdoc-a § §2, 2020-05-01, grade A\tdisputed
fact\triver\triver\tpin\tsocial\t-\tlock\t10\t-\tTen wrong tries lock it.\tdoc-b, undated, grade C\tdisputed,verify,grade-c,undated
fact\triver\triver\tpin\tbank\talpha\tinitial\t955000\t-\tAlpha Bank: initial PIN 955000.\tdoc-a § §3, 2020-05-01, grade A\tkey
source\triver\triver\tpin\t-\t-\t-\tdoc-a\t-\tdoc-a: Example notice A — seed example-a.txt (2020-05-01, grade A)\t-\t-
source\triver\triver\tpin\t-\t-\t-\tdoc-b\t-\tdoc-b: Example page B — http://example.invalid/b (undated, grade C)\t-\t-
"""

PLAIN_LOST_FALLBACK_ZH = """\
key\trivermouth\tland\tlost\tbank\talpha\thotline\t95000\t-\t甲银行客服\tdoc-a\thotline,fallback,national
context\trivermouth\tland\tlost\t-\t-\torigin\tnation\t-\t河湾区 (Rivermouth) 没有本项的专门规则；以下是上级 全国 (Land)（全国）的规则。\t-\tfallback,national
context\trivermouth\tland\tlost\t-\t-\tnational\t-\t-\t以下是全国通用说明，各地规定可能不同，请以当地为准（可拨打 12333）。\t-\tfallback,national
context\trivermouth\tland\tlost\t-\t-\tbanks\talpha,beta\t-\t本地来源提到的银行：alpha 甲银行, beta 乙银行（用 --bank 只看一家）\t-\t-
fact\trivermouth\tland\tlost\tgeneral\t-\tnote\t-\t-\t两个账户分别挂失。\tdoc-a, 2020-05-01, 等级 A\tfallback,national
source\trivermouth\tland\tlost\t-\t-\t-\tdoc-a\t-\tdoc-a: Example notice A — seed example-a.txt (2020-05-01, 等级 A)\t-\t-
"""

RICH_PIN_ALPHA = """\
╭─ River (河市) — PINs ────────────────────────────────────────────────────────╮
│ Social PIN · initial            123456  [doc-a]                              │
│ Bank PIN — Alpha Bank · initial 955000  [doc-a]                              │
│ Bank: Alpha Bank, hotline 95000                                              │
│ Rules from: River (河市), city                                               │
│                                                                              │
│ Social-security application PIN (hospitals, pharmacies)                      │
│  • initial: 123456  Social PIN starts as 123456.  [doc-a § §1, 2020-05-01,   │
│    grade A]                                                                  │
│  ! lock: sources disagree (newest first):                                    │
│  - 6  Six wrong tries lock it.  [doc-a § §2, 2020-05-01, grade A]            │
│  - 10  Ten wrong tries lock it.  [doc-b, undated, grade C]  (!) verify with  │
│    12333 or the bank: only grade-C sources, sources undated                  │
│                                                                              │
│ Bank PIN (financial account) — Alpha Bank                                    │
│  • initial: 955000  Alpha Bank: initial PIN 955000.  [doc-a § §3,            │
│    2020-05-01, grade A]                                                      │
│ ──────────────────────────────────────────────────────────────────────────── │
│ Sources                                                                      │
│   doc-a: Example notice A — seed example-a.txt (2020-05-01, grade A)         │
│   doc-b: Example page B — http://example.invalid/b (undated, grade C)        │
╰──────────────────────────────────────────────────────────────────────────────╯
"""


def test_plain_is_exact(mini):
    assert render([answer(mini, "pin", "河", "alpha")], "plain", "en", header=True) == PLAIN_PIN_ALPHA
    assert render([answer(mini, "pin", "河", "alpha")], "plain", "en") == PLAIN_PIN_ALPHA.split("\n", 1)[1]


def test_plain_fallback_says_where_rules_come_from(mini):
    assert render([answer(mini, "lost", "rivermouth")], "plain", "zh") == PLAIN_LOST_FALLBACK_ZH


def test_plain_has_no_escape_codes_and_one_row_per_line(mini):
    out = render(show(mini, "river"), "plain", "en")
    assert "\x1b" not in out and "│" not in out and "\n\n" not in out
    assert [line for line in out.splitlines() if "955000" in line] == [
        "key\triver\triver\tpin\tbank\talpha\tinitial\t955000\t-\tBank PIN — Alpha Bank · initial\tdoc-a\t-",
        "fact\triver\triver\tpin\tbank\talpha\tinitial\t955000\t-\tAlpha Bank: initial PIN 955000.\t"
        "doc-a § §3, 2020-05-01, grade A\tkey",
    ]


def test_plain_show_is_the_rows_of_each_topic_told_apart_by_the_topic_column(mini):
    answers = show(mini, "river")
    out = render(answers, "plain", "en", single=False)
    assert out == "".join(render([a], "plain", "en") for a in answers)
    assert list(dict.fromkeys(r["topic"] for r in plain_rows(out))) == ["pin", "lost"]
    assert render(answers, "plain", "en", header=True).splitlines()[0] == "\t".join(PLAIN_COLUMNS)


def test_plain_cells_are_folded_and_an_empty_cell_is_a_dash(mini):
    found = answer(mini, "pin", "river", "alpha")
    first = found.items[0]
    odd = first.replace(text=Text("tab\there\nnew line\r\n", "tab\there\nnew line\r\n"),
                        scope=Text("only\tsome", "only\tsome"))
    out = render([found.replace(items=(odd, *found.items[1:]))], "plain", "en")
    row = plain_facts(out, aspect="initial", bank="-")[0]
    assert row["text"] == "tab here new line" and row["scope"] == "only some"
    assert all(cell for r in plain_rows(out) for cell in r.values())


def test_rich_without_colour_is_exact(mini):
    assert render([answer(mini, "pin", "river", "AB")], "rich", "en", width=80, color=False) == RICH_PIN_ALPHA


def test_rich_with_colour_highlights_values(mini):
    out = render([answer(mini, "pin", "river", "alpha")], "rich", "en", width=80, color=True)
    assert re.search(r"\x1b\[[0-9;]*m955000", out)


def test_rich_folds_but_never_truncates_key_values(mini):
    out = render([answer(mini, "pin", "river", "alpha")], "rich", "en", width=40, color=False)
    assert "955000" in out and "123456" in out and "…" not in out


def test_json_shape(mini):
    data = json.loads(render([answer(mini, "pin", "river", "alpha")], "json", "en"))
    assert data["schema"] == 1 and data["lang"] == "en" and data["topic"] == "pin"
    assert data["region"] == {"id": "river", "level": "city", "name": {"zh": "河市", "en": "River"}, "parent": "hill"}
    assert data["origin"]["id"] == "river" and data["fallback"] is False
    assert data["bank"]["id"] == "alpha" and data["bank"]["hotline"] == "95000"
    assert [(i["part"], i["aspect"], i["bank"], i["value"]["en"], i["disputed"]) for i in data["items"]] == [
        ("social", "initial", None, "123456", False),
        ("social", "lock", None, "6", True),
        ("social", "lock", None, "10", True),
        ("bank", "initial", "alpha", "955000", False),
    ]
    first = data["items"][0]
    assert first["text"] == {"zh": "社保初始密码 123456。", "en": "Social PIN starts as 123456."}
    assert first["source"] == {"id": "doc-a", "where": "§1", "date": "2020-05-01", "grade": "A"}
    assert [s["id"] for s in data["sources"]] == ["doc-a", "doc-b"]
    assert data["sources"][0] == {
        "id": "doc-a", "title": "Example notice A", "address": None, "seed": "example-a.txt",
        "date": "2020-05-01", "content_date": None, "grade": "A", "note": None, "file": data["sources"][0]["file"],
        "local": False,
    }
    assert data["key_facts"] == [
        {"kind": "fact", "part": "social", "aspect": "initial", "bank": None, "value": {"zh": "123456", "en": "123456"},
         "scope": None, "disputed": False, "sources": ["doc-a"], "hotline": None},
        {"kind": "fact", "part": "bank", "aspect": "initial", "bank": "alpha", "value": {"zh": "955000", "en": "955000"},
         "scope": None, "disputed": False, "sources": ["doc-a"], "hotline": None},
    ]
    assert [f["citations"] for f in data["facts"]][:2] == [
        [{"source": "doc-a", "where": "§1", "date": "2020-05-01", "content_date": None, "grade": "A"}],
        [{"source": "doc-a", "where": "§2", "date": "2020-05-01", "content_date": None, "grade": "A"}],
    ]


def test_json_show_wraps_topics(mini):
    data = json.loads(render(show(mini, "river"), "json", "en", single=False))
    assert data["region"]["id"] == "river"
    assert [t["topic"] for t in data["topics"]] == ["pin", "lost"]
    assert data["topics"][1]["fallback"] is True and data["topics"][1]["origin"]["general_guidance"] is True


def test_markdown_card(mini):
    out = render(show(mini, "river", "alpha"), "markdown", "en")
    assert out.startswith("# River (河市)\n")
    assert "## River (河市) — PINs" in out
    assert "- **initial: 955000** — Alpha Bank: initial PIN 955000. (doc-a § §3, 2020-05-01, grade A)" in out
    assert "1. **note** — Report both accounts." in out


@pytest.mark.parametrize("fmt", ["plain", "json", "markdown", "rich"])
def test_every_format_renders_both_languages(mini, fmt):
    for lang in ("zh", "en"):
        out = render(show(mini, "river"), fmt, lang, single=False, color=False)
        assert "123456" in out


def test_verify_notice_in_every_format(mini, monkeypatch):
    """Only grade-C or undated sources, or none newer than five years: a visible notice and a JSON field."""
    found = answer(mini, "pin", "river", "beta")
    plain = render([found], "plain", "en")
    assert [(r["value"], r["citations"], r["flags"]) for r in plain_facts(plain, bank="beta")] == [
        ("none", "doc-b, undated, grade C", "key,verify,grade-c,undated")]
    assert "verify with 12333 or the bank" in render([found], "markdown", "en")
    assert "(!) verify with 12333 or the bank" in render([found], "rich", "en", width=200, color=False)
    item = json.loads(render([found], "json", "en"))["items"][-1]
    assert item["verify"] == {"needed": True, "reasons": ["grade-c", "undated"]}
    fresh = json.loads(render([answer(mini, "pin", "river", "alpha")], "json", "en"))["items"][0]
    assert fresh["verify"] == {"needed": False, "reasons": []}
    monkeypatch.setenv("SSCARD_TODAY", "2031-01-01")  # doc-a (2020-05-01) is then over five years old
    aged = json.loads(render([answer(mini, "pin", "river", "alpha")], "json", "en"))["items"][0]
    assert aged["verify"] == {"needed": True, "reasons": ["old"]}


def test_markdown_card_starts_with_key_facts(mini):
    out = render(show(mini, "river", "alpha"), "markdown", "en")
    assert "## Key facts\n\n| topic | what | value | source |\n|---|---|---|---|\n" in out
    assert "| PINs | Bank PIN — Alpha Bank · initial | 955000 | doc-a |" in out


def test_rich_says_a_shared_caution_once(mini):
    found = answer(mini, "pin", "river", "beta")
    only_beta = found.replace(items=tuple(i for i in found.items if i.bank == "beta"))
    out = render([only_beta], "rich", "en", width=200, color=False)
    assert out.count("verify with 12333 or the bank") == 1
    assert "│ (!) verify with 12333 or the bank: only grade-C sources, sources undated" in out


def test_rich_card_opens_with_key_facts(mini):
    out = render(show(mini, "river", "alpha"), "rich", "en", width=120, color=False)
    head = out.split("╭")[0]
    assert "River (河市) — Key facts" in head and "955000" in head and "123456" in head
