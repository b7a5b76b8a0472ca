"""The fact model: one fact per subject and value with all its citations, scope, content dates,
disputes, per-fact verify reasons, key facts first, and counts (never answers) on national fallback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import plain_rows
from sscard.lookup import answer
from sscard.renderers import render
from sscard.store import build

FACTS = Path(__file__).resolve().parent / "data" / "facts"


@pytest.fixture(scope="module")
def rules():
    loaded = build([FACTS])
    assert loaded.problems == []
    return loaded


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("SSCARD_TODAY", "2026-12-03")
    monkeypatch.setattr("sscard.locate._bundled", str(FACTS))  # the fixture rules stand in for the bundled ones


def _plain(found, lang="en"):
    return plain_rows(render([found], "plain", lang))


def _cells(rows, *columns, **wanted) -> list:
    return [tuple(r[c] for c in columns) for r in rows if all(r[k] == v for k, v in wanted.items())]


def _json(found):
    return json.loads(render([found], "json", "en"))


def test_one_fact_carries_every_citation_with_its_date_and_grade(rules):
    facts = _json(answer(rules, "pin", "east"))["facts"]
    social = [f for f in facts if f["part"] == "social" and f["aspect"] == "initial"]
    assert len(social) == 1
    assert [(c["source"], c["where"], c["date"], c["grade"]) for c in social[0]["citations"]] == [
        ("paper", "p. 2", "2025-06-01", "A"), ("farm", None, "2024-05-01", "C"), ("portal", "FAQ 1", "undated", "B")]
    assert social[0]["verify"] == {"needed": False, "reasons": []}  # one A source, recent: no caution


def test_the_value_is_shown_once_with_all_its_sources(rules):
    rows = _plain(answer(rules, "pin", "east"))
    assert _cells(rows, "kind", "citations", value="123456") == [  # the key row and the fact row, not one per source
        ("key", "paper; farm; portal"),
        ("fact", "paper § p. 2, 2025-06-01, grade A; farm, 2024-05-01, grade C; portal § FAQ 1, undated, grade B")]


def test_disagreeing_sources_are_one_block_newest_first(rules):
    found = answer(rules, "pin", "east")
    rows = _plain(found)
    newest_first = [("last 6 of the card number", "disputed"),  # paper, 2025
                    ("last 6 of the personal number", "disputed,verify,undated")]  # portal, undated
    assert _cells(rows, "value", "flags", kind="key", part="query") == newest_first
    assert _cells(rows, "value", "flags", kind="fact", part="query") == [(v, "key," + f) for v, f in newest_first]
    assert [f["disputed"] for f in _json(found)["facts"] if f["part"] == "query"] == [True, True]


def test_same_value_twice_in_one_region_is_a_check_problem(tmp_path):
    (tmp_path / "regions").mkdir()
    (tmp_path / "regions" / "twice.toml").write_text(
        '[region]\nid = "twice"\nlevel = "city"\nparent = "nation"\nname = { zh = "双", en = "Twice" }\n\n'
        '[[pin]]\npart = "social"\naspect = "initial"\nvalue = "1"\nzh = "甲"\nen = "a"\nsource = "paper"\n\n'
        '[[pin]]\npart = "social"\naspect = "initial"\nvalue = "1"\nzh = "乙"\nen = "b"\nsource = "farm"\n',
        encoding="utf-8")
    problems = build([FACTS, tmp_path]).problems
    assert [(Path(p.file).name, p.line, p.message.split(":")[0]) for p in problems] == [
        ("twice.toml", 15, "same fact as line 7 (same subject and value)")]


@pytest.mark.parametrize("body, message", [
    ('source = "paper"\nsources = [{ id = "farm" }]\n', "give either 'source' (with 'where') or 'sources', not both"),
    ('sources = []\n', "'sources' must be a non-empty list"),
    ('sources = [{ id = "paper" }, { id = "paper" }]\n', "a source is cited twice for one fact"),
    ('sources = [{ id = "paper", page = "3" }]\n', "'sources' entry has unknown key(s): page"),
    ('sources = [{ id = "nosuch" }]\n', "unknown source 'nosuch'"),
    ('sources = [{ id = "paper", content_date = "soon" }]\n', "content_date 'soon' must be"),
])
def test_bad_citations_are_reported(tmp_path, body, message):
    (tmp_path / "regions").mkdir()
    (tmp_path / "regions" / "bad.toml").write_text(
        '[region]\nid = "bad"\nlevel = "city"\nparent = "nation"\nname = { zh = "坏", en = "Bad" }\n\n'
        '[[pin]]\npart = "social"\naspect = "initial"\nvalue = "1"\nzh = "甲"\nen = "a"\n' + body, encoding="utf-8")
    problems = build([FACTS, tmp_path]).problems
    assert any(message in p.message for p in problems), problems


def test_verify_reasons_come_from_each_facts_own_citations(rules):
    facts = {(f["part"], f["aspect"]): f for f in _json(answer(rules, "pin", "east"))["facts"]}
    assert facts[("online", "initial")]["verify"]["reasons"] == ["grade-c"]  # farm only; dated 2024: not old
    # the repost's page is from 2024 but its content from 2012: the content date decides
    assert facts[("social", "lock")]["verify"]["reasons"] == ["old"]
    assert facts[("social", "lock")]["citations"][0]["content_date"] == "2012"
    undated = _json(answer(rules, "pin", "west"))["facts"][0]
    assert undated["verify"]["reasons"] == ["undated"]  # never "over five years old"


def test_a_caution_every_fact_shares_is_said_once(rules):
    rows = _plain(answer(rules, "pin", "south"))
    assert _cells(rows, "value", "text", kind="context", aspect="verify") == [
        ("grade-c", "verify with 12333 or the bank: only grade-C sources")]
    assert sum("only grade-C sources" in r["text"] for r in rows) == 1
    assert all("verify,grade-c" in r["flags"] for r in rows if r["kind"] == "fact")  # each row still self-contained


def test_online_passwords_have_their_own_heading_and_are_never_a_key_pin(rules):
    found = answer(rules, "pin", "east")
    rows = _plain(found)
    assert _cells(rows, "kind", "aspect", "flags", value="1234") == [("fact", "initial", "verify,grade-c")]
    assert not any(k.part == "online" for k in found.key_facts)
    assert _cells(rows, "part", value="1234") == _cells(_plain(found, "zh"), "part", value="1234") == [("online",)]


def test_scope_is_shown_with_the_value_where_a_place_falls_back_to_it(rules):
    found = answer(rules, "pin", "pooltown")
    rows = _plain(found)
    assert _cells(rows, "kind", "place", "origin", "scope", "flags", part="social", value="123123") == [
        ("key", "pooltown", "prov", "people in the provincial pool", "fallback"),
        ("fact", "pooltown", "prov", "people in the provincial pool", "key,fallback")]
    assert _cells(_plain(found, "zh"), "scope", "text", kind="fact", part="social") == [
        ("省级统筹参保人", "省级统筹参保人的社保密码初始为 123123。")]
    assert _json(found)["facts"][0]["scope"] == {"zh": "省级统筹参保人", "en": "people in the provincial pool"}


def test_a_scoped_bank_is_not_a_bank_the_places_sources_name(rules):
    assert [b.id for b in answer(rules, "pin", "pooltown").banks] == []
    asked = answer(rules, "pin", "pooltown", "alpha")
    # the pool's Alpha Bank PIN is shown, with its scope, never as the town's own
    assert [(k.kind, k.value.en, k.fact.scope.en) for k in asked.key_facts if k.part == "bank"] == [
        ("fact", "955000", "people in the provincial pool")]


def test_an_unnamed_bank_gets_the_bank_neutral_facts_and_its_hotline(rules):
    found = answer(rules, "pin", "east", "gamma")
    assert found.bank_stated is False
    assert [(k.kind, k.hotline) for k in found.key_facts if k.part == "bank"] == [("unstated", "95002")]
    rows = _plain(found)
    assert _cells(rows, "kind", "aspect", "value", "text", "flags", bank="gamma") == [
        ("key", "initial", "-", "Bank PIN — Gamma Bank · initial: no source states it here; call Gamma Bank on 95002",
         "unstated"),
        ("context", "bank", "95002", "Bank: Gamma Bank, hotline 95002", "-"),
        ("context", "unstated-bank", "-",
         "No source states Gamma Bank's rules for Eastcity (东市); shown: what holds whatever the bank.", "unstated")]


def test_national_fallback_counts_what_covered_places_state_never_answers(rules):
    found = answer(rules, "pin", "north")
    assert found.origin.id == "nation"
    census = [k for k in found.key_facts if k.kind == "census"]
    assert [(k.part, k.aspect, k.census[0], [(v.en, n) for v, n in k.census[1]]) for k in census] == [
        ("social", "initial", 3, [("123456", 2), ("111111", 1)]), ("social", "lock", 1, [("6", 1)])]
    assert _cells(_plain(found), "aspect", "value", "text", "flags", kind="key") == [
        ("initial", "-", "Social PIN · initial: no national rule; 3 covered places state one: 123456 in 2; "
                         "111111 in 1; not a rule for this place; call 12333", "census,fallback,national"),
        ("lock", "-", "Social PIN · lock: no national rule; 1 covered places state one: 6 in 1; "
                      "not a rule for this place; call 12333", "census,fallback,national")]
    data = _json(found)["key_facts"][0]
    assert data["kind"] == "census" and data["value"] is None
    assert data["census"] == {"places_stating": 3, "values": [{"value": {"zh": "123456", "en": "123456"}, "places": 2},
                                                              {"value": {"zh": "111111", "en": "111111"}, "places": 1}]}


def test_no_census_where_the_place_states_the_value(rules):
    assert not [k for k in answer(rules, "pin", "west").key_facts if k.kind == "census"]


def test_contacts_lead_with_the_numbers_to_call(rules):
    found = answer(rules, "contacts", "east")
    assert [(k.kind, k.value.en) for k in found.key_facts] == [("fact", "12333")]
