"""sscard pin ... --id: ID-derived initial PINs, computed, with the ID masked."""

from __future__ import annotations

import json

from conftest import plain_facts

VALID = "11010519491231002X"  # GB 11643's own example


def test_boc_pin_is_worked_out_and_the_id_is_masked(sscard):
    r = sscard("pin", "ningbo", "--bank", "boc", "--id", VALID, "--format", "json")
    assert r.code == 0, r.err
    item = next(i for i in json.loads(r.out)["items"] if i["bank"] == "boc")
    assert item["value"]["en"] == "231002" and item["derive"] == "id-12-17"
    assert "***********231002*" in item["text"]["en"]
    assert VALID not in r.out and VALID[:11] not in r.out and VALID not in r.err
    # the key facts lead with the worked-out PIN, not the rule it comes from
    keys = [k for k in json.loads(r.out)["key_facts"] if k["bank"] == "boc"]
    assert [k["value"]["en"] for k in keys] == ["231002"]


def test_id_from_stdin_keeps_it_out_of_argv(sscard):
    r = sscard("pin", "宁波", "--bank", "中行", "--id", "-", input=VALID + "\n")
    assert r.code == 0 and VALID not in r.out
    assert [(f["value"], f["flags"]) for f in plain_facts(r.out, bank="boc", aspect="initial")] == [
        ("231002", "key,verify,grade-c,undated,derived")]


def test_rule_not_id_based_says_so_and_shows_the_rule(sscard):
    r = sscard("pin", "ningbo", "--bank", "ccb", "--id", VALID)
    assert r.code == 0 and [f["value"] for f in plain_facts(r.out, bank="ccb", aspect="initial")] == ["955330"]
    assert "no initial PIN here is derived from the ID number" in r.err


def test_bad_ids_are_usage_errors_without_echoing_the_id(sscard):
    for bad in ("110105194912310021", "11010519491331002X", "1101051949123100", "11010519491231002Y"):
        r = sscard("pin", "ningbo", "--bank", "boc", "--id", bad)
        assert r.code == 2 and r.out == "" and bad not in r.err, (bad, r.err)
