"""Name resolution: exact names and aliases first, traditional characters, then fuzzy."""

from __future__ import annotations

import pytest

from sscard.errors import Ambiguous, NotFound, UsageError
from sscard.lookup import find_bank, find_region
from sscard.names import normalize, strip_suffix


@pytest.mark.parametrize("typed, key", [
    ("Ningbo", "ningbo"), ("NING BO", "ningbo"), ("Níngbō", "ningbo"), ("ｎｉｎｇｂｏ", "ningbo"),
    ("Xi'an", "xian"), ("宁 波", "宁波"),
])
def test_normalize(typed, key):
    assert normalize(typed) == key


@pytest.mark.parametrize("key, stripped", [
    ("宁波市", "宁波"), ("陕西省", "陕西"), ("ningbocity", "ningbo"), ("北部新区", "北部"), ("沙市", "沙市"),
])
def test_strip_suffix(key, stripped):
    assert strip_suffix(key) == stripped


@pytest.mark.parametrize("typed", [
    "ningbo", "Ningbo", "NINGBO", "ning bo", "宁波", "宁波市", "寧波", "寧波市", "Ningbo City", "ｎｉｎｇｂｏ", "甬",
])
def test_region_names_resolve_exactly(bundled, typed):
    region, match = find_region(bundled, typed)
    assert region.id == "ningbo"
    assert match.how in ("name", "traditional")


def test_traditional_characters_are_reported_as_such(bundled):
    region, match = find_region(bundled, "重慶")
    assert (region.id, match.how) == ("chongqing", "traditional")


def test_confident_typo_is_a_fuzzy_match(bundled):
    region, match = find_region(bundled, "chongqin")
    assert region.id == "chongqing" and match.how == "fuzzy" and match.score >= 80


def test_near_tie_is_ambiguous_never_a_guess(bundled):
    with pytest.raises(Ambiguous) as caught:
        find_region(bundled, "shanxii")
    assert sorted(c.split()[0] for c in caught.value.candidates) == ["shaanxi", "shanxi"]


def test_shanxi_and_shaanxi_are_distinct(bundled):
    assert find_region(bundled, "shanxi")[0].name.zh == "山西省"
    assert find_region(bundled, "shaanxi")[0].name.zh == "陕西省"
    assert find_region(bundled, "陝西")[0].id == "shaanxi"


def test_unknown_name_suggests_closest(bundled):
    with pytest.raises(NotFound) as caught:
        find_region(bundled, "ngbxo")
    assert caught.value.suggestions[0].startswith("ningbo ")


def test_no_match_at_all(bundled):
    with pytest.raises(NotFound):
        find_region(bundled, "qqqqqqqq")


@pytest.mark.parametrize("typed", ["", "   ", "a" * 201, "ning\x00bo"])
def test_bad_input_is_a_usage_error(bundled, typed):
    with pytest.raises(UsageError):
        find_region(bundled, typed)


@pytest.mark.parametrize("typed", ["ccb", "CCB", "建行", "建设银行", "中国建设银行", "China Construction Bank",
                                   "construction bank", "建設銀行", "ＣＣＢ"])
def test_bank_names_resolve(bundled, typed):
    assert find_bank(bundled, typed)[0].id == "ccb"


def test_bank_typo(bundled):
    bank, match = find_bank(bundled, "China Constructoin Bank")
    assert bank.id == "ccb" and match.how == "fuzzy"


def test_no_id_is_canonical_for_a_romanization_twin(bundled, cli):
    with pytest.raises(Ambiguous) as caught:
        find_region(bundled, "suzhou")
    assert {c.split()[0] for c in caught.value.candidates} >= {"suzhou", "suzhou-anhui"}
    assert find_region(bundled, "宿州")[0].id == "suzhou-anhui"
    assert find_region(bundled, "suzhou jiangsu")[0].id == "suzhou"
    assert find_region(bundled, "id:suzhou")[0].id == "suzhou"
    r = cli("lost", "suzhou")
    assert r.code == 3 and "宿州市" in r.err and "安徽省" in r.err and r.out == ""
