"""Suggestions for a Chinese name that matches nothing: by shared characters and pinyin.

The examples are real mistakes: a homophone picked in the input method (济原, 莱无, 江荫,
慈西, 昆三), one wrong character (菜芜, 义鸟, 两江心区, 北部新城, 张家巷)."""

from __future__ import annotations

import json

import pytest

from sscard import suggest
from sscard.errors import NotFound
from sscard.lookup import find_region


def _suggested(rules, typed) -> list:
    with pytest.raises(NotFound) as caught:
        find_region(rules, typed)
    return caught.value.suggestions


@pytest.mark.parametrize("typed, zh, within", [
    ("济原", "济源市", 1), ("莱无", "莱芜区", 1), ("菜芜", "莱芜区", 1), ("江荫", "江阴市", 1), ("慈西", "慈溪市", 1),
    ("昆三", "昆山市", 1), ("张家巷", "张家港市", 1), ("两江心区", "两江新区", 1), ("北部新城", "北部新区", 1),
    ("宁坡市", "宁波市", 1), ("苏洲", "苏州市", 1), ("义鸟", "义乌市", 5),
])
def test_the_place_meant_is_suggested_first(bundled, typed, zh, within):
    shown = _suggested(bundled, typed)
    assert any(f"({zh} /" in s for s in shown[:within]), shown


def test_a_shared_character_is_not_enough_to_lead(bundled):
    # ratio ranking put 芜湖 first for a 莱芜 typo and 乌海 first for 义乌 ones
    assert "芜湖市" not in _suggested(bundled, "菜芜")[0]
    assert not any("乌海市" in s for s in _suggested(bundled, "义鸟"))


def test_each_suggestion_shows_the_chinese_name_and_province(bundled):
    for line in _suggested(bundled, "江荫"):
        assert "市" in line or "县" in line or "区" in line
    assert "江苏省" in _suggested(bundled, "江荫")[0]


def test_readings_are_toneless_and_cover_polyphones():
    assert suggest.readings("济原") == ["jiyuan"]
    assert "chongqing" in suggest.readings("重庆") and "zhongqing" in suggest.readings("重庆")


def test_without_pypinyin_characters_alone_decide(bundled, monkeypatch):
    monkeypatch.setattr(suggest, "_readings_table", {})
    assert suggest.readings("济原") == []
    assert "(莱芜区 /" in _suggested(bundled, "菜芜")[0]


def test_latin_input_keeps_its_ranking(bundled):
    assert suggest.rank(bundled.regions, "jiyuanx", "jiyuanx") == []


def test_the_cli_shows_them(cli):
    r = cli("pin", "济原", "--format", "json")
    data = json.loads(r.out or r.err)
    assert r.code == 1 and data["error"] == "not-found"
    assert "济源市" in json.dumps(data, ensure_ascii=False)
