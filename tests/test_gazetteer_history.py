"""Former names and exonyms the gazetteer states carry the page they were read in."""

from __future__ import annotations


from conftest import gazetteer_doc
from sscard.lookup import find_region


def _places() -> dict:
    return {p["id"]: p for p in gazetteer_doc()["place"]}


def test_the_liangjiang_history_is_cited():
    former = {f["zh"]: f for f in _places()["liangjiang"]["former"]}
    assert former["渝北区"]["year"] == 2025 and former["渝北区"]["source"].startswith("https://")
    assert former["北部新区"]["year"] == 2016 and former["北部新区"]["source"].startswith("https://")


def test_a_functional_area_with_its_own_notices_keeps_them(bundled):
    region, match = find_region(bundled, "北部新区")
    assert region.id == "beibuxinqu" and match.how != "former"


def test_exonyms_left_out_for_want_of_a_source_are_gone():
    aliases = {a for p in _places().values() for a in p.get("aliases", [])}
    assert {"Canton", "Peking", "Sian", "Amoy", "Tsingtao", "Shigatse"} <= aliases
    assert not {"Kwangchowan", "Dalny", "Swatow"} & aliases
