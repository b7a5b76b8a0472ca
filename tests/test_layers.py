"""Local rule layers: bundled < user directory < $SSCARD_DATA_PATH < --data-dir.

Run in-process (the cli fixture): layering is the loader's, not the console script's (tests/test_e2e.py).
"""

from __future__ import annotations

import json
import textwrap

import pytest

from conftest import plain_facts


def _layer(tmp_path, name: str, files: dict):
    root = tmp_path / name
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


LOCAL_SOURCE = """
    [local-2026]
    url = "http://example.invalid/notice"
    title = "A newer notice the call center has"
    date = "2026-11-01"
    grade = "A"
"""

CCB_OVERRIDE = """
    [region]
    id = "ningbo"

    [[pin]]
    part = "bank"
    bank = "ccb"
    aspect = "initial"
    value = "123123"
    zh = "建设银行：初始密码 123123（本地更正）。"
    en = "CCB: initial PIN 123123 (local correction)."
    source = "local-2026"
"""


@pytest.fixture(autouse=True)
def _parsed(monkeypatch):
    """No index: each layer set here is looked up once or twice, and a first lookup answers from the
    parsed files anyway (writing an index then costs more than the parse; tests/test_cache_faults.py
    holds the index of layered rules to the parsed ones)."""
    monkeypatch.setenv("SSCARD_CACHE_DIR", "")


@pytest.fixture
def local(tmp_path):
    return _layer(tmp_path, "local", {"sources/local.toml": LOCAL_SOURCE, "regions/ningbo.toml": CCB_OVERRIDE})


def _values(out: str) -> dict:
    data = json.loads(out)
    return {(i["part"], i["bank"], i["aspect"]): (i["value"]["en"] if i["value"] else None, i["file"]) for i in data["items"]}


def test_one_bank_entry_is_overridden_and_the_rest_kept(cli, local):
    r = cli("pin", "ningbo", "--data-dir", str(local), "--format", "json")
    assert r.code == 0, r.err
    values = _values(r.out)
    assert values[("bank", "ccb", "initial")][0] == "123123"
    assert str(local) in values[("bank", "ccb", "initial")][1]
    assert values[("bank", "abc", "initial")][0] == "111111"  # other banks untouched
    assert values[("social", None, "initial")][0] == "000000"


def test_plain_answer_names_the_local_file(cli, local):
    r = cli("pin", "ningbo", "--bank", "ccb", "--data-dir", str(local))
    row = next(f for f in plain_facts(r.out, value="123123"))
    assert f"local rule {local}/regions/ningbo.toml:" in row["citations"] and "local" in row["flags"].split(",")


def test_environment_layer_and_command_line_layer_order(cli, tmp_path, local):
    later = _layer(tmp_path, "later", {"regions/ningbo.toml": CCB_OVERRIDE.replace("123123", "456456"),
                                        "sources/local.toml": LOCAL_SOURCE})
    r = cli("pin", "ningbo", "--bank", "ccb", "--data-dir", str(later), "--format", "json",
               environ={"SSCARD_DATA_PATH": str(local)})
    assert _values(r.out)[("bank", "ccb", "initial")][0] == "456456"
    r = cli("pin", "ningbo", "--bank", "ccb", "--format", "json", environ={"SSCARD_DATA_PATH": str(local)})
    assert _values(r.out)[("bank", "ccb", "initial")][0] == "123123"


def test_a_whole_topic_is_replaced_when_items_are_not_all_bank_specific(cli, tmp_path):
    layer = _layer(tmp_path, "topic", {"sources/local.toml": LOCAL_SOURCE, "regions/ningbo.toml": """
        [region]
        id = "ningbo"

        [[lost]]
        part = "general"
        aspect = "note"
        zh = "本地新流程。"
        en = "The new local procedure."
        source = "local-2026"
    """})
    data = json.loads(cli("lost", "ningbo", "-d", str(layer), "-f", "json").out)
    assert [i["text"]["en"] for i in data["items"]] == ["The new local procedure."]


def test_local_layer_adds_regions_and_banks(cli, tmp_path):
    layer = _layer(tmp_path, "new", {
        "sources/local.toml": LOCAL_SOURCE,
        "banks/local.toml": """
            [testbank]
            name = { zh = "测试银行", en = "Test Bank" }
        """,
        "regions/cehai.toml": """
            [region]
            id = "cehai"
            level = "city"
            parent = "zhejiang"
            name = { zh = "测海市", en = "Cehai" }

            [[pin]]
            part = "bank"
            bank = "testbank"
            aspect = "initial"
            value = "777777"
            zh = "测试银行初始密码 777777。"
            en = "Test Bank initial PIN 777777."
            source = "local-2026"
        """,
    })
    r = cli("pin", "测海", "--bank", "测试银行", "--data-dir", str(layer))
    assert r.code == 0 and "777777" in r.out
    cities = cli("cities", "--data-dir", str(layer), "--format", "json")
    row = next(c for c in json.loads(cities.out)["regions"] if c["id"] == "cehai")
    assert row["from"] == [str(layer / "regions" / "cehai.toml")]


def test_check_validates_every_layer(cli, tmp_path):
    broken = _layer(tmp_path, "broken", {"regions/ningbo.toml": """
        [region]
        id = "ningbo"

        [[pin]]
        part = "bank"
        bank = "nosuchbank"
        aspect = "initial"
        zh = "x"
        en = "x"
        source = "seed-002"
    """})
    r = cli("check", environ={"SSCARD_DATA_PATH": str(broken)})
    assert r.code == 4
    assert r.out.startswith(f"{broken}/regions/ningbo.toml:5: unknown bank 'nosuchbank'")
    assert r.out.count("\n") == 1
    lookup = cli("pin", "ningbo", environ={"SSCARD_DATA_PATH": str(broken)})
    assert lookup.code == 4 and "sscard check" in lookup.err and lookup.out == ""


def test_duplicate_id_within_one_layer_is_an_error(cli, tmp_path):
    layer = _layer(tmp_path, "dup", {"regions/a.toml": """
        [[regions]]
        id = "twin"
        level = "city"
        parent = "zhejiang"
        name = { zh = "双市", en = "Twin" }

        [[regions]]
        id = "twin"
        level = "city"
        parent = "zhejiang"
        name = { zh = "双二市", en = "Twin Two" }
    """})
    r = cli("check", str(layer))
    assert r.code == 4 and "a.toml:9: duplicate region id 'twin'" in r.out


def test_missing_data_dir_is_a_usage_error(cli, tmp_path):
    r = cli("pin", "ningbo", "--data-dir", str(tmp_path / "nope"))
    assert r.code == 2 and "no such folder" in r.err


def test_one_alias_for_two_banks_is_reported(cli, tmp_path):
    layer = _layer(tmp_path, "banks", {"banks/twins.toml": """
        [twin-a]
        name = { zh = "甲银行", en = "Twin A Bank" }
        aliases = ["双子行"]

        [twin-b]
        name = { zh = "乙银行", en = "Twin B Bank" }
        aliases = ["双子行"]
    """})
    r = cli("check", str(layer))
    assert r.code == 4 and "bank name or alias '双子行' points at twin-a, twin-b" in r.out
    assert r.out.startswith(f"{layer}/banks/twins.toml:")


def test_a_very_long_name_is_refused_fast_and_quoted_safely(sscard):
    r = sscard("pin", "n" * 100_000)  # (100,000 CJK characters would exceed the OS's own argument limit)
    assert r.code == 2 and r.out == ""
    assert "too long (100000 characters" in r.err and len(r.err) < 400


def test_missing_folder_in_the_environment_is_a_usage_error_not_a_silent_skip(cli, tmp_path):
    r = cli("pin", "ningbo", environ={"SSCARD_DATA_PATH": str(tmp_path / "gone")})
    assert (r.code, r.out) == (2, "") and f"SSCARD_DATA_PATH: no such folder: {tmp_path / 'gone'}" in r.err
    assert cli("check", environ={"SSCARD_DATA_PATH": str(tmp_path / "gone")}).code == 2


def test_a_local_regrade_is_marked_and_never_silences_the_caution_unsaid(cli, tmp_path):
    """seed-002 re-graded A and dated 2026 by a local layer: the answer says the grade is local."""
    layer = _layer(tmp_path, "regrade", {"sources/seeds.toml": (
        '[seed-002]\nseed = "002_8e3665e58eb0fbc3.txt"\ntitle = "宁波 FAQ (local re-grade)"\n'
        'date = "2026-01-01"\ngrade = "A"\n')})
    r = cli("pin", "ningbo", "--bank", "ccb", "--data-dir", str(layer), "--format", "plain")
    assert r.code == 0, r.err
    rows = [line.split("\t") for line in r.out.splitlines()]
    source = next(row for row in rows if row[0] == "source" and row[7] == "seed-002")
    assert source[9].endswith(f"[local rule {layer}/sources/seeds.toml:1]")  # beside the source in the list
    fact = next(row for row in rows if row[0] == "fact" and row[7] == "955330")
    assert "local-grade" in fact[11].split(",")
    rich = cli("pin", "ningbo", "--bank", "ccb", "--data-dir", str(layer), "--format", "rich")
    assert "graded by a local rule" in rich.out
    data = json.loads(cli("pin", "ningbo", "--bank", "ccb", "--data-dir", str(layer), "--format", "json").out)
    assert next(s for s in data["sources"] if s["id"] == "seed-002")["local"] is True
    assert "local-grade" in next(f for f in data["facts"] if f["bank"] == "ccb")["verify"]["reasons"]
