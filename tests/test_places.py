"""Issue 10: every real place resolves, never to the wrong place; twins are ambiguous unless qualified."""

from __future__ import annotations

import json

import pytest

from conftest import gazetteer_doc
from sscard.errors import Ambiguous, NotFound
from sscard.lookup import find_bank, find_region
from sscard.names import normalize, strip_suffix

GAZ = gazetteer_doc()
PLACES = GAZ["place"]


def _twins() -> dict:
    """Romanization -> the ids of every gazetteer place that answers to it (from the gazetteer itself)."""
    owners: dict = {}
    for p in PLACES:
        for name in (p["name"]["en"], *[a for a in p["aliases"] if a.isascii()]):
            key = strip_suffix(normalize(name))
            owners.setdefault(key, set()).add(p["id"])
    return {k: v for k, v in owners.items() if len(v) > 1}


TWINS = _twins()


def test_the_twins_table_is_not_empty():
    assert {"suzhou", "taizhou", "yulin", "yichun", "fuzhou", "chaoyang"} <= set(TWINS)


@pytest.mark.parametrize("romanization", sorted(TWINS))
def test_every_shared_romanization_is_ambiguous(bundled, romanization):
    with pytest.raises(Ambiguous) as caught:
        find_region(bundled, romanization)
    listed = {c.split()[0] for c in caught.value.candidates}
    assert TWINS[romanization] <= listed


def test_no_name_or_alias_of_one_place_resolves_to_another(bundled):
    for p in PLACES:
        for name in (p["name"]["zh"], p["name"]["en"], p["id"], *p["aliases"]):
            try:
                region, _ = find_region(bundled, name)
            except Ambiguous as exc:
                assert any(c.startswith(p["id"] + " ") for c in exc.candidates), (name, p["id"])
                continue
            assert region.id == p["id"], (name, p["id"], region.id)


@pytest.mark.parametrize("text, zh", [
    ("suzhou jiangsu", "苏州市"), ("Suzhou, Anhui", "宿州市"), ("苏州 江苏", "苏州市"), ("宿州 安徽", "宿州市"),
    ("浙江宁波", "宁波市"), ("浙江省宁波市", "宁波市"), ("宁波市海曙区", "海曙区"), ("Ningbo, Zhejiang", "宁波市"),
    ("Taizhou Jiangsu", "泰州市"), ("Fuzhou Fujian", "福州市"), ("Ningbo Zhejiang Province", "宁波市"),
    ("朝阳区 北京", "朝阳区"), ("朝阳市", "朝阳市"), ("海南区", "海南区"), ("海南州", "海南藏族自治州"),
])
def test_qualified_and_suffixed_names(bundled, text, zh):
    region, _ = find_region(bundled, text)
    assert region.name.zh == zh
    parents = {bundled.region(region.parent).name.zh}
    if zh in ("苏州市", "泰州市"):
        assert parents == {"江苏省"}


def test_a_suffix_only_matches_its_own_kind_of_place(bundled):
    with pytest.raises(Ambiguous) as caught:
        find_region(bundled, "朝阳区")
    assert all("district" in c for c in caught.value.candidates)
    assert find_region(bundled, "西安市")[0].id == "xian"
    with pytest.raises(Ambiguous) as caught:
        find_region(bundled, "西安区")
    assert all("西安区" in c for c in caught.value.candidates)


def test_a_contradicting_parent_never_answers(bundled):
    with pytest.raises(NotFound) as caught:
        find_region(bundled, "抚州 福建")
    assert "is not in" in caught.value.message


@pytest.mark.parametrize("text, zh", [
    ("义乌", "义乌市"), ("昆山", "昆山市"), ("慈溪", "慈溪市"), ("晋江", "晋江市"), ("张家港", "张家港市"),
    ("Jiangyin", "江阴市"), ("浦东新区", "浦东新区"), ("海淀区", "海淀区"),
    ("滨海新区", "滨海新区"), ("济源", "济源市"), ("仙桃", "仙桃市"), ("神农架", "神农架林区"), ("石河子", "石河子市"),
    ("Canton", "广州市"), ("Peking", "北京市"), ("Tientsin", "天津市"), ("Chungking", "重庆市"),
    ("Nanking", "南京市"), ("Sian", "西安市"), ("Amoy", "厦门市"), ("Tsingtao", "青岛市"), ("Shigatse", "日喀则市"),
    ("Qamdo", "昌都市"), ("Chaohu", "巢湖市"),
])
def test_counties_and_exonyms_resolve(bundled, text, zh):
    assert find_region(bundled, text)[0].name.zh == zh


@pytest.mark.parametrize("text, zh, word", [("襄樊", "襄阳市", "renamed"), ("莱芜市", "莱芜区", "part of"),
                                               ("渝北区", "两江新区", "part of")])
def test_former_names_answer_for_today_and_say_so(bundled, text, zh, word):
    region, match = find_region(bundled, text)
    assert region.name.zh == zh and match.how == "former" and word in match.note


@pytest.mark.parametrize("text", ["Taiwan", "台湾", "香港", "Hong Kong", "Macau", "澳門"])
def test_outside_the_mainland_is_said_plainly(bundled, text):
    with pytest.raises(NotFound) as caught:
        find_region(bundled, text)
    assert "outside the mainland" in caught.value.message


def test_a_county_falls_back_visibly(cli):
    r = cli("lost", "海曙区", "--format", "json")
    data = json.loads(r.out)
    assert r.code == 0 and data["region"]["id"] == "haishu" and data["fallback"] is True
    assert data["origin"]["id"] == "ningbo"


def test_twins_are_ambiguous_in_cli_and_batch(cli):
    r = cli("pin", "taizhou")
    assert r.code == 3 and r.out == "" and "泰州市" in r.err and "台州市" in r.err
    r = cli("batch", "--format", "json", stdin="pin taizhou\npin 泰州市\n")
    first, second = [json.loads(line) for line in r.out.splitlines()]
    assert first["error"] == "ambiguous" and second["region"]["name"]["zh"] == "泰州市"


@pytest.mark.parametrize("name", ["农商行", "农信社", "农村商业银行", "城商行"])
def test_generic_bank_names_never_name_one_bank(bundled, name):
    with pytest.raises(Ambiguous):
        find_bank(bundled, name)


def test_callers_bank_names(bundled):
    assert find_bank(bundled, "邮政")[0].id == "psbc"
    with pytest.raises(NotFound):
        find_bank(bundled, "佛山农商银行")  # a rural bank the registry lacks is not 佛山's city bank or any other


def test_a_fuzzy_bank_match_is_said_and_carried(cli):
    r = cli("pin", "ningbo", "--bank", "China Construction Bnak", "--format", "json")
    data = json.loads(r.out)
    assert r.code == 0 and data["bank"]["id"] == "ccb"
    assert data["bank"]["match"]["how"] == "fuzzy" and "bank 'China Construction Bnak' taken as ccb" in r.err


def test_check_reports_a_region_file_clashing_with_the_gazetteer(cli, tmp_path):
    regions = tmp_path / "regions"
    regions.mkdir()
    (regions / "hengyangshi.toml").write_text(
        '[region]\nid = "hengyangshi"\nlevel = "city"\nparent = "hunan"\nname = { zh = "衡阳市", en = "Hengyang" }\n',
        encoding="utf-8")
    r = cli("check", "--data-dir", str(tmp_path))
    assert r.code == 4 and "hengyangshi" in r.out + r.err and "hengyang-hunan" in r.out + r.err


def _shared_former() -> list:
    """(old name, owner id, the ids that bear the name today) for every recorded former name that
    another place, in another city, still bears: read from the gazetteer itself."""
    by_name: dict = {}
    for p in PLACES:
        by_name.setdefault(p["name"]["zh"], []).append(p)
    parent = {p["id"]: p.get("parent", "") for p in PLACES}
    out = []
    for p in PLACES:
        for f in p.get("former", []):
            bearers = [q["id"] for q in by_name.get(f["zh"], []) if parent[q["id"]] != parent[p["id"]]]
            if bearers:
                out.append((f["zh"], p["id"], bearers))
    return out


SHARED_FORMER = _shared_former()


def test_recent_shared_former_names_are_recorded():
    assert ("江北区", "liangjiang", ["jiangbei"]) in SHARED_FORMER
    assert {zh for zh, _, _ in SHARED_FORMER} >= {"江北区", "桥东区", "清河区", "新市区"}


@pytest.mark.parametrize("old,owner,bearers", SHARED_FORMER)
def test_a_former_name_another_city_still_uses_is_ambiguous(bundled, old, owner, bearers):
    """江北区 is Ningbo's district today and was Chongqing's until 2025: never answer for just one."""
    with pytest.raises(Ambiguous) as caught:
        find_region(bundled, old)
    listed = {c.split()[0] for c in caught.value.candidates}
    assert {owner, *bearers} <= listed


def test_a_qualifier_decides_a_shared_former_name_and_the_change_is_said(bundled):
    chongqing, how = find_region(bundled, "江北区 重庆")
    assert chongqing.id == "liangjiang" and "2025" in how.note and "两江新区" in how.note
    assert find_region(bundled, "重庆江北区")[0].id == "liangjiang"
    ningbo, how = find_region(bundled, "宁波江北区")
    assert ningbo.id == "jiangbei" and not how.note
    assert find_region(bundled, "jiangbei ningbo")[0].id == "jiangbei"
    with pytest.raises(Ambiguous):
        find_region(bundled, "jiangbei")


def test_a_former_name_kept_inside_its_own_city_means_todays_holder(bundled):
    """北部新区 keeps its own notices; its name passing to 两江新区 inside Chongqing is no ambiguity."""
    assert find_region(bundled, "北部新区")[0].id == "beibuxinqu"


def test_the_shared_former_name_is_ambiguous_in_the_cli_and_batch(cli):
    r = cli("pin", "江北区", "--format", "json")
    assert r.code == 3
    ids = {c["id"] for c in json.loads(r.out)["candidates"]}
    assert {"jiangbei", "liangjiang"} <= ids
    r = cli("batch", "--format", "json", stdin="pin 江北区\npin 宁波江北区\n")
    first, second = [json.loads(line) for line in r.out.splitlines()]
    assert first["error"] == "ambiguous" and second["region"]["id"] == "jiangbei"
