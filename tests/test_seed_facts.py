"""Every concrete fact of the seeds is answered by the command a user would guess, with its source.

Each row: the command, the value that must appear, and the seed it must be attributed to.
"""

from __future__ import annotations

import json

import pytest

SEED_FACTS = [
    # Ningbo (seed 002)
    (["pin", "ningbo"], "000000", "seed-002"),
    (["pin", "ningbo"], "6", "seed-002"),
    (["pin", "ningbo"], "1234", "seed-002"),
    (["pin", "ningbo", "--bank", "ccb"], "955330", "seed-002"),
    (["pin", "ningbo", "--bank", "abc"], "111111", "seed-002"),
    (["pin", "ningbo", "--bank", "boc"], "ID number digits 12-17", "seed-002"),
    (["pin", "ningbo", "--bank", "宁波银行"], "ID number digits 12-17", "seed-002"),
    (["pin", "ningbo", "--bank", "icbc"], "none", "seed-002"),
    (["pin", "ningbo", "--bank", "浙江农信"], "none", "seed-002"),
    (["pin", "ningbo", "--bank", "邮储"], "none", "seed-002"),
    (["contacts", "ningbo"], "0574-83865114", "seed-002"),
    (["contacts", "ningbo"], "0574-12333", "seed-002"),
    (["contacts", "ningbo"], "0574-87292000", "seed-002"),
    # Neijiang (seed 000)
    (["pin", "neijiang"], "111111", "seed-000"),
    (["lost", "neijiang"], "12333", "seed-000"),
    (["lost", "neijiang"], "7 days", "seed-000"),
    (["contacts", "neijiang"], "0832-12333", "seed-000"),
    (["contacts", "neijiang"], "0832-2286791", "seed-000"),
    (["contacts", "neijiang"], "0832-2278250", "seed-000"),
    (["contacts", "neijiang"], "0832-2040814", "seed-000"),
    (["apply", "neijiang"], "first card free", "seed-000"),
    (["cancel", "neijiang"], "within 1 month", "seed-000"),
    # Chongqing and its 北部新区 (seed 004)
    (["pin", "chongqing"], "123456", "seed-004"),
    (["pin", "chongqing"], "last 6 digits of the card number", "seed-004"),
    (["lost", "chongqing"], "12333", "seed-004"),
    (["replace", "chongqing"], "CNY 25 per card", "seed-004"),
    (["activate", "chongqing"], "within 60 days of collection", "seed-004"),
    (["contacts", "chongqing"], "63063003", "seed-004"),
    (["activate", "北部新区"], "within 60 days of collection", "seed-004"),
    (["activate", "北部新区"], "4 days after collection", "seed-004"),
    # Taiyuan, Shaanxi (seed 004)
    (["pin", "taiyuan"], "123456", "seed-004"),
    (["activate", "taiyuan", "--bank", "icbc"], "within 30 days of collection", "seed-004"),
    (["lost", "shaanxi"], "12333", "seed-004"),
    (["contacts", "陕西"], "SN12333", "seed-004"),
    # Seed 004's 12333 loss line is Chongqing's and Shaanxi's (rows above), not the nation's:
    # the national layer cites national texts only (tests/test_national.py).
]


@pytest.mark.parametrize("args, value, source", SEED_FACTS, ids=[f"{' '.join(a)}={v}" for a, v, _ in SEED_FACTS])
def test_seed_fact_is_answered_with_its_source(cli, args, value, source):
    r = cli(*args, "--format", "json", "--lang", "en")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    items = data["items"]
    hits = [i for i in items if i["value"] and i["value"]["en"] == value and i["source"]["id"] == source]
    assert hits, f"{value!r} from {source} not in {[(i['value'], i['source']['id']) for i in items]}"
    item = hits[0]
    assert item["source"]["date"] and item["source"]["where"]
    assert next(s for s in data["sources"] if s["id"] == source)["seed"]
    zh = cli(*args, "--format", "plain", "--lang", "zh").out
    assert item["value"]["zh"] in zh and item["text"]["zh"] in zh


def test_unnamed_seed_passages_are_not_assigned_anywhere(bundled):
    """学士街268号 (a CCB card) and the BOC ID-number card name no place: no region may claim them."""
    for region in bundled.rules.regions.values():
        for items in region.topics.values():
            for item in items:
                assert "学士街" not in item.text.zh and "38162115" not in item.text.zh, region.id


@pytest.mark.parametrize("filler", ["充值", "消费限额", "添加卡券"])
def test_seed_filler_is_left_out(bundled, filler):
    """Topping up, spending limits and wallet binding by card number are not official rules."""
    for region in bundled.rules.regions.values():
        for items in region.topics.values():
            for item in items:
                assert filler not in item.text.zh, (region.id, item.file, item.line)
