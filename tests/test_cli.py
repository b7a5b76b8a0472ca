"""The command line in-process: exit codes, stdout/stderr separation, options anywhere."""

from __future__ import annotations

import json

import pytest

from conftest import PLAIN_COLUMNS, plain_facts, plain_rows
from sscard.cli import app
from sscard.topics import TOPICS


def test_pin_plain_answers_on_stdout(cli):
    r = cli("pin", "ningbo", "--bank", "ccb")
    assert (r.code, r.err) == (0, "")
    assert [(f["part"], f["bank"], f["value"]) for f in plain_facts(r.out, aspect="initial")] == [
        ("social", "-", "000000"), ("online", "-", "1234"), ("bank", "ccb", "955330")]
    assert "\x1b" not in r.out


def test_header_names_the_plain_columns_once(cli):
    r = cli("pin", "ningbo", "--bank", "ccb", "--header")  # --header alone means plain
    lines = r.out.splitlines()
    assert (r.code, lines[0]) == (0, "\t".join(PLAIN_COLUMNS))
    assert lines[1:] == cli("pin", "ningbo", "--bank", "ccb", "--format", "plain").out.splitlines()
    booklet = cli("show", "--all", "--header", "--lang", "en").out.splitlines()
    assert booklet.count(lines[0]) == 1 and booklet[0] == lines[0]
    assert {r["kind"] for r in plain_rows("\n".join(booklet[1:]))} == {"key", "context", "fact", "source"}


@pytest.mark.parametrize("args", [["pin", "ningbo"], ["show", "ningbo"], ["show", "--all"]])
def test_header_with_another_format_is_a_usage_error(cli, args):
    r = cli(*args, "--header", "--format", "json")
    assert r.code == 2 and json.loads(r.out)["error"] == "usage"  # with --format json, the error is JSON too
    assert "--header names the columns of plain output" in r.err
    r = cli(*args, "--header", "--format", "markdown")
    assert (r.code, r.out) == (2, "")


def test_options_before_and_after_arguments(cli):
    a = cli("pin", "--format", "json", "ningbo", "--bank", "ccb")
    b = cli("pin", "ningbo", "--bank", "ccb", "--format", "json")
    assert a.code == b.code == 0 and json.loads(a.out) == json.loads(b.out)


def test_fuzzy_match_is_announced_on_stderr(cli):
    r = cli("lost", "chongqin")
    assert r.code == 0
    assert r.err == "sscard: region 'chongqin' taken as chongqing (重庆市 / Chongqing) (fuzzy match, score 94)\n"
    assert "12333" in r.out


def test_ambiguous_name_exits_3_with_candidates(cli):
    r = cli("pin", "shanxii")
    assert (r.code, r.out) == (3, "")
    assert "shanxi (山西省 / Shanxi, province)" in r.err and "shaanxi (陕西省 / Shaanxi, province)" in r.err


def test_unknown_region_exits_1(cli):
    r = cli("pin", "qqqqqqqq")
    assert (r.code, r.out) == (1, "")
    assert r.err.startswith("sscard: no region matches 'qqqqqqqq'\n")


def test_bank_no_source_names_answers_the_bank_neutral_side_and_says_so(cli):
    r = cli("pin", "ningbo", "--bank", "光大", "--format", "plain", "--lang", "en")
    assert r.code == 0, r.err
    keys = plain_facts(r.out, kind="key")
    assert [(k["part"], k["bank"], k["value"], k["citations"], k["flags"]) for k in keys] == [
        ("social", "-", "000000", "seed-002", "verify,grade-c,undated"), ("bank", "ceb", "-", "-", "unstated")]
    assert keys[1]["text"] == ("Bank PIN — China Everbright Bank · initial: no source states it here; "
                               "call China Everbright Bank on 95595")
    assert "No source states China Everbright Bank's rules for Ningbo (宁波市)" in r.out
    assert "ccb China Construction Bank" in r.out  # the banks the sources do name
    assert "955330" not in r.out  # another bank's PIN is never shown for this one
    data = json.loads(cli("pin", "ningbo", "--bank", "光大", "--format", "json").out)
    assert data["bank_stated"] is False
    assert [k for k in data["key_facts"] if k["part"] == "bank"] == [
        {"kind": "unstated", "part": "bank", "aspect": "initial", "bank": "ceb", "value": None, "scope": None,
         "disputed": False, "sources": [], "hotline": "95595"}]
    assert not any(f["bank"] for f in data["facts"])


@pytest.mark.parametrize("args", [["pin"], ["pin", "ningbo", "--format", "yaml"], ["pin", ""], ["nosuchcommand"],
                                  ["pin", "ningbo", "--lang", "fr"]])
def test_usage_errors_exit_2(cli, args):
    r = cli(*args)
    assert r.code == 2 and r.out == ""
    assert "Traceback" not in r.err


def test_lang_follows_locale_then_env_then_option(cli):
    assert "社保密码" in cli("pin", "ningbo", environ={"LANG": "zh_CN.UTF-8"}).out
    assert "Social PIN" in cli("pin", "ningbo", environ={"LANG": "C.UTF-8"}).out
    assert "社保密码" in cli("pin", "ningbo", environ={"LANG": "C", "SSCARD_LANG": "zh"}).out
    assert "Social PIN" in cli("pin", "ningbo", "--lang", "en", environ={"SSCARD_LANG": "zh"}).out


def test_fallback_to_province_then_nation_is_said(cli):
    r = cli("lost", "hangzhou-gazetteer-does-not-exist")
    assert r.code == 1
    r = cli("lost", "宿州")  # a gazetteer city with no rules of its own
    assert r.code == 0
    assert "has no rules of its own" in r.out and "China (national)" in r.out


def test_province_lists_its_covered_cities(cli):
    r = cli("pin", "zhejiang")
    assert r.code == 0
    assert "Places below with rules of their own:" in r.out and "ningbo" in r.out


def test_show_has_every_topic(cli):
    r = cli("show", "neijiang", "--format", "json")
    data = json.loads(r.out)
    assert [t["topic"] for t in data["topics"]] == list(TOPICS)


def test_cities_and_banks(cli):
    cities = cli("cities", "--format", "plain")
    assert cities.code == 0 and cities.out.splitlines()[0] == "id\tlevel\tparent\tname\ttopics\taliases\tfrom\tfacts A/B/C\tnewest"
    assert any(line.startswith("ningbo\tcity\tzhejiang\t") for line in cities.out.splitlines())
    data = json.loads(cli("cities", "--format", "json").out)
    assert {"ningbo", "chongqing", "shaanxi", "zhongguo"} <= {r["id"] for r in data["regions"]}
    everything = json.loads(cli("cities", "--all", "--format", "json").out)
    assert len(everything["regions"]) > 360
    banks = json.loads(cli("banks", "--format", "json").out)
    assert {"id": "ccb", "hotline": "95533"}.items() <= next(b for b in banks["banks"] if b["id"] == "ccb").items()


def test_check_bundled_passes(cli):
    r = cli("check")
    assert r.code == 0 and r.out == "" and r.err.startswith("sscard: ok: ")


def test_check_reports_file_line_message_and_exits_4(cli, tmp_path):
    bad = tmp_path / "regions" / "broken.toml"
    bad.parent.mkdir()
    bad.write_text('[region]\nid = "broken"\nlevel = "city"\nparent = "zhejiang"\nname = { zh = "坏", en = "Broken" }\n'
                   '\n[[pin]]\npart = "social"\naspect = "initial"\nzh = "x"\nen = "x"\n', encoding="utf-8")
    r = cli("check", str(tmp_path))
    assert r.code == 4
    assert r.out == f"{bad}:7: this fact has no source (give 'source' or 'sources')\n"


def test_check_missing_path_is_a_usage_error(cli, tmp_path):
    r = cli("check", str(tmp_path / "nope"))
    assert r.code == 2 and "no such file or folder" in r.err


def test_version(cli):
    r = cli("--version")
    assert r.code == 0 and r.out.startswith("sscard ")


def test_every_command_has_help_with_an_example(cli):
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert set(TOPICS) <= set(names)
    for name in names:
        r = cli(name, "--help")
        assert r.code == 0 and "Example:" in r.out, name


def test_top_level_help_lists_exit_codes(cli):
    r = cli("--help")
    assert r.code == 0 and "Exit codes:" in r.out and "sscard pin ningbo --bank ccb" in r.out


def test_show_all_markdown_is_a_booklet_of_every_covered_place(cli):
    r = cli("show", "--all", "--format", "markdown")
    assert r.code == 0
    titles = [line for line in r.out.splitlines() if line.startswith("# ")]
    covered = [row for row in json.loads(cli("cities", "-f", "json").out)["regions"] if row["topics"]]
    assert len(titles) == len(covered) >= 25
    assert "# Ningbo (宁波市)" in titles and r.out.count("\\newpage") == len(titles) - 1


def test_show_needs_a_region_or_all(cli):
    assert cli("show").code == 2
    assert cli("show", "ningbo", "--all").code == 2


def test_plain_context_rows_name_places_by_id(cli):
    """Context a script needs: the places below with rules, what sources say of a bank elsewhere, never applied."""
    below = plain_facts(cli("pin", "zhejiang", "--lang", "en").out, kind="context", aspect="children")
    assert len(below) == 1 and "ningbo" in below[0]["value"].split(",")
    rows = plain_rows(cli("pin", "宿州", "--bank", "ccb", "--lang", "en").out)
    elsewhere = [r for r in rows if r["aspect"] == "elsewhere"]
    assert len(elsewhere) == 1 and elsewhere[0]["flags"] == "elsewhere" and "ningbo" in elsewhere[0]["value"].split(",")
    assert not [r for r in rows if r["kind"] in ("key", "fact") and r["value"] == "955330"]  # Ningbo's CCB PIN
    assert {r["place"] for r in rows} == {"suzhou-anhui"}
