"""The bank registry: the names callers use, kinds of bank that are not one bank, hotlines
that rest on a page that prints them, and real banks no source names for a place."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sscard.errors import Ambiguous
from sscard.lookup import find_bank

SOURCES = Path(__file__).resolve().parents[2] / "shared" / "sources"


@pytest.mark.parametrize("typed, zh", [
    ("民生", "中国民生银行"), ("民生银行", "中国民生银行"), ("CMBC", "中国民生银行"), ("中信", "中信银行"),
    ("华夏", "华夏银行"), ("平安银行", "平安银行"), ("光大", "中国光大银行"), ("兴业", "兴业银行"),
    ("浦发", "上海浦东发展银行"), ("招商", "招商银行"), ("广发", "广发银行"), ("浙商", "浙商银行"),
    ("渤海银行", "渤海银行"), ("北京银行", "北京银行"), ("上海银行", "上海银行"), ("宁波银行", "宁波银行"),
    ("成都银行", "成都银行"), ("青岛银行", "青岛银行"), ("重庆银行", "重庆银行"),
    ("重庆农商行", "重庆农村商业银行"), ("稠州银行", "浙江稠州商业银行"), ("义乌农商银行", "义乌农村商业银行"),
    ("广州农商银行", "广州农村商业银行"), ("成都农商银行", "成都农村商业银行"), ("青岛农商银行", "青岛农村商业银行"),
    ("昆山农村商业银行", "昆山农村商业银行"), ("邮政", "中国邮政储蓄银行"),
])
def test_the_names_callers_use_find_that_bank(bundled, typed, zh):
    bank, match = find_bank(bundled, typed)
    assert bank.name.zh == zh and match.how != "fuzzy"


def test_a_city_bank_is_never_its_rural_neighbour(bundled):
    # 广州农商银行 once fuzzy-matched 广州银行; 重庆银行 and 重庆农商行 are two banks
    assert find_bank(bundled, "广州农商银行")[0].id != find_bank(bundled, "广州银行")[0].id
    assert find_bank(bundled, "重庆农商行")[0].id != find_bank(bundled, "重庆银行")[0].id


@pytest.mark.parametrize("name", ["农商行", "农信社", "农村商业银行", "农村信用社", "城商行", "城市商业银行"])
def test_kinds_of_bank_list_banks_and_never_pick_one(bundled, name):
    with pytest.raises(Ambiguous) as caught:
        find_bank(bundled, name)
    rural = [c for c in caught.value.candidates if "农" in c or "Rural" in c]
    assert len(caught.value.candidates) != 1
    if "农" in name:
        assert len(rural) >= 5 and rural == caught.value.candidates


def _page_texts() -> dict:
    """URL -> text of each stored page in shared/sources (the header's first line is its URL)."""
    out = {}
    for path in SOURCES.glob("*.txt"):
        text = path.read_text(encoding="utf-8", errors="replace")
        first = text.splitlines()[0] if text else ""
        if first.startswith("URL:"):
            out[first[4:].strip()] = text
    return out


def test_every_hotline_is_printed_by_the_page_it_cites(bundled):
    if not SOURCES.is_dir():
        pytest.skip("shared/sources is not next to the checkout")
    pages = _page_texts()
    checked = 0
    for bank in bundled.all_banks():
        if not bank.hotline:
            assert not bank.source, f"{bank.id}: a source with no hotline"
            continue
        source = bundled.source(bank.source)
        assert source is not None and source.grade in ("A", "B", "C"), bank.id
        text = pages.get(source.url)
        if text is None:
            continue  # a seed or a page not stored here
        digits = re.sub(r"\D", "", bank.hotline)
        excerpt = text.split("--- excerpt", 1)[-1]
        assert digits in re.sub(r"[\s-]", "", excerpt), f"{bank.id}: {bank.hotline} is not in {source.url}"
        checked += 1
    assert checked >= 10


def test_banks_no_source_states_a_hotline_for_have_none(bundled):
    for bid in ("cmbc", "citic", "hxb", "pab", "czb", "cbhb", "bob", "bosc", "cqcb", "cqrcb", "ywrcb", "czcb"):
        bank = bundled.bank(bid)
        assert bank.hotline == "" and bank.source == ""


def test_a_real_bank_no_source_names_answers_the_social_side(sscard):
    r = sscard("pin", "guangzhou", "--bank", "民生", "--format", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["bank"]["id"] == "cmbc" and data["bank_stated"] is False
    assert any(f["part"] == "general" or f["part"] == "social" for f in data["facts"])
    named = {b["id"] for b in data["banks"]}
    assert named and "cmbc" not in named
    plain = sscard("pin", "shanghai", "--bank", "民生", "--format", "plain")
    assert plain.code == 0 and "no bank matches" not in plain.err
    assert "unstated-bank" in plain.out and re.search(r"^fact\tshanghai\t\S+\tpin\tsocial\t", plain.out, re.M)
    zh = sscard("pin", "shanghai", "--bank", "民生", "--lang", "zh", "--format", "plain")
    assert "中国民生银行" in zh.out and "没有来源说明" in zh.out


@pytest.mark.parametrize("typed", ["佛山农商银行", "佛山银行", "宁波农商银行"])
def test_a_bank_of_another_place_is_never_guessed(bundled, typed):
    # 佛山农商银行 once fuzzy-matched 昆山农村商业银行: one character apart, another city
    from sscard.errors import NotFound

    with pytest.raises(NotFound):
        find_bank(bundled, typed)


def test_a_chinese_typo_keeps_its_bank(bundled):
    bank, match = find_bank(bundled, "兰州银")
    assert bank.id == "lzbank" and match.how == "fuzzy"


def test_a_bank_asked_for_where_the_sources_name_none_says_so(sscard):
    """Shanghai's sources name no card bank: the answer says so instead of an empty list."""
    plain = sscard("pin", "shanghai", "--bank", "民生", "--format", "plain")
    assert plain.code == 0
    assert re.search(r"^context\tshanghai\t\S+\tpin\t-\t-\tno-banks\t", plain.out, re.M)
    assert "\tbanks\t" not in plain.out
    named = sscard("pin", "guangzhou", "--bank", "民生", "--format", "plain")
    assert "\tno-banks\t" not in named.out and "\tbanks\t" in named.out
    zh = sscard("pin", "shanghai", "--bank", "民生", "--lang", "zh", "--format", "markdown")
    assert "本地来源没有提到发卡银行" in zh.out
