"""Coverage (issue 6): sourced facts with grade and date, disputes kept, every real place resolves."""

from __future__ import annotations

import json

import pytest

from conftest import plain_facts
from sscard.errors import Ambiguous
from sscard.lookup import find_region

SAMPLE = [
    # (command, value that must appear, source id, the date the source shows, grade)
    (["lost", "shanghai"], "962222", "src-19", "2010-09-01", "A"),
    (["pin", "tianjin"], "6", "src-28", "2022-10-10", "A"),
    (["pin", "qinghai", "--bank", "ccb"], "955330", "src-73", "2018-11-17", "B"),
    (["replace", "beijing"], "20 yuan", "src-07", "2017", "B"),
    (["replace", "beijing"], "4 working days", "src-09", "2025-01", "B"),
    (["lost", "苏州市"], "96067 / 962026", "src-01", "undated", "B"),
    (["lost", "yongkang"], "87182652", "src-54", "undated", "B"),
    (["pin", "xiamen"], "set at activation", "src-37", "undated", "B"),
]


@pytest.mark.parametrize("args, value, source, date, grade", SAMPLE, ids=[f"{a[1]}:{v}" for a, v, *_ in SAMPLE])
def test_new_region_fact_shows_its_grade_and_date(cli, args, value, source, date, grade):
    r = cli(*args, "--format", "json", "--lang", "en")
    assert r.code == 0, r.err
    cited = [c for f in json.loads(r.out)["facts"] if f["value"] and f["value"]["en"] == value
             for c in f["citations"] if c["source"] == source]
    assert cited, r.out
    assert (cited[0]["date"], cited[0]["grade"]) == (date, grade)
    plain = cli(*args, "--format", "plain", "--lang", "en").out
    row = next(r for r in plain_facts(plain, value=value) if source in r["citations"])
    assert f"{'undated' if date == 'undated' else date}, grade {grade}" in row["citations"]


def test_contradictions_are_kept_newest_first(cli):
    items = json.loads(cli("replace", "beijing", "-f", "json").out)["items"]
    times = [(i["value"]["en"], i["source"]["date"]) for i in items if i["aspect"] == "time"]
    assert times[0] == ("4 working days", "2025-01")
    assert {v for v, _ in times} >= {"4 working days", "15 working days"}
    assert all(i["disputed"] for i in items if i["aspect"] == "time")


def test_at_least_25_regions_have_rules_of_their_own(cli):
    regions = json.loads(cli("cities", "-f", "json").out)["regions"]
    assert len([r for r in regions if r["topics"]]) >= 25


def test_every_gazetteer_place_resolves_by_chinese_name_and_id(bundled):
    places = [r for r in bundled.rules.regions.values() if r.code]
    assert len(places) >= 360
    for place in places:
        for text in (place.name.zh, place.id):
            try:
                assert find_region(bundled, text)[0].id == place.id, text
            except Ambiguous as exc:  # a twin: never another place, always one of the candidates
                assert any(c.startswith(place.id + " ") for c in exc.candidates), (text, exc.candidates)


def test_a_place_without_rules_falls_back_visibly(cli):
    r = cli("lost", "衡阳市", "--format", "json")  # a prefecture-level city with no rules of its own
    data = json.loads(r.out)
    assert data["region"]["id"] == "hengyang-hunan" and data["fallback"] is True
    assert data["origin"]["id"] == "zhongguo" and data["origin"]["general_guidance"] is True
    assert "has no rules of its own" in cli("lost", "衡阳市").out


def test_no_place_at_all_is_not_found(cli):
    r = cli("lost", "霍格沃茨")
    assert r.code == 1 and "no region matches" in r.err


def test_sources_command(cli):
    everything = json.loads(cli("sources", "-f", "json").out)["sources"]
    assert {"seed-000", "seed-002", "seed-004", "src-19"} <= {s["id"] for s in everything}
    assert all(s["date"] and s["grade"] in ("A", "B", "C") for s in everything)
    chongqing = json.loads(cli("sources", "chongqing", "-f", "json").out)
    assert {"seed-004", "src-42a", "src-42c", "src-75"} <= {s["id"] for s in chongqing["sources"]}
    assert "src-19" not in {s["id"] for s in chongqing["sources"]}


def test_bank_facts_from_other_places_are_labelled_never_applied(cli):
    data = json.loads(cli("pin", "hangzhou", "--bank", "ccb", "-f", "json").out)
    assert data["origin"]["id"] == "zhongguo"
    assert {e["region"]["id"] for e in data["elsewhere"]} >= {"ningbo", "qinghai"}
    assert not any(i["value"] and i["value"]["en"] == "955330" for i in data["items"])
    assert "not confirmed for this place" in cli("pin", "hangzhou", "--bank", "ccb").out


def test_check_requires_a_date_on_every_source(cli, tmp_path):
    bad = tmp_path / "sources" / "undated.toml"
    bad.parent.mkdir()
    bad.write_text('[nodate]\nurl = "http://example.invalid"\ntitle = "t"\ngrade = "B"\n', encoding="utf-8")
    r = cli("check", str(tmp_path))
    assert r.code == 4 and r.out == f"{bad}:1: missing 'date'\n"


def test_every_gazetteer_place_resolves_by_its_pinyin(bundled):
    """Pinyin twins (苏州/宿州 suzhou) are ambiguous and list both; never a silent guess."""
    from sscard.errors import Ambiguous

    for place in (r for r in bundled.rules.regions.values() if r.code and "-" not in r.id):
        pinyin = place.id  # twins get an id like suzhou-anhui, which resolves as such (test above)
        try:
            region, match = find_region(bundled, pinyin)
        except Ambiguous as exc:
            assert any(c.startswith(place.id + " ") for c in exc.candidates), (pinyin, exc.candidates)
            continue
        assert region.id == place.id, (pinyin, region.id)
    with pytest.raises(Ambiguous):
        find_region(bundled, "suzhou")
