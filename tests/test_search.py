"""Full-text search: exact, number, name, traditional and typo-tolerant matching, and ranking.

The bundled rules grow while sscard is developed, so tests on them assert only facts
that are stable (Ningbo's 6-try lock, 955330 and 0574-12333; Chongqing's 25 yuan fee
and 12333; 北部新区); exact rankings are tested on small fixture rule sets.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sscard.errors import UsageError
from sscard.search import FUZZY_TOP, HOWS, PHRASE_BASE, WORDS_BASE, Hit, search, subtree
from sscard.store import build
from sscard.topics import TOPICS

TESTS = Path(__file__).resolve().parent
MINI = TESTS / "data" / "mini"

HARBOR = """\
[region]
id = "harbor"
level = "city"
parent = "hill"
name = { zh = "港市", en = "Harbor" }

[[contacts]]
part = "general"
aspect = "office"
title = { zh = "江北区社保服务大厅", en = "Jiangbei District service hall" }
zh = "江北区社保服务大厅办理补卡和解锁。"
en = "The Jiangbei District hall replaces cards and unlocks a PIN after locking."
source = "doc-a"

[[replace]]
part = "general"
aspect = "fee"
value = { zh = "每卡 25 元", en = "CNY 25 per card" }
zh = "补卡收工本费 25 元。"
en = "A replacement card costs CNY 25."
source = "doc-a"

[[replace]]
part = "general"
aspect = "time"
value = { zh = "2025 年起 7 天", en = "7 days from 2025" }
zh = "2025 年起，补卡 7 天内可领。"
en = "From 2025 a replacement is ready within 7 days."
source = "doc-b"
"""

JIANGBEI = """\
[region]
id = "jiangbei"
level = "district"
parent = "harbor"
name = { zh = "江北区", en = "Jiangbei" }

[[lost]]
part = "social"
aspect = "how"
value = "0571-12345"
zh = "社保账户拨打 0571-12345 挂失。"
en = "Report the social-security account on 0571-12345."
source = "doc-a"
"""


# --- fixtures (bundled and mini come from conftest.py) ----------------------------------


@pytest.fixture(scope="module")
def harbor(tmp_path_factory):
    """The mini rules plus a city (港市) with a district 江北区 and a few fees and numbers."""
    root = tmp_path_factory.mktemp("harbor")
    shutil.copytree(MINI, root, dirs_exist_ok=True)
    (root / "regions" / "harbor.toml").write_text(HARBOR, encoding="utf-8")
    (root / "regions" / "jiangbei.toml").write_text(JIANGBEI, encoding="utf-8")
    rules = build([root])
    assert rules.rules.problems == []
    return rules


def find(rules, text, **kwargs):
    kwargs.setdefault("limit", 0)
    return search(rules.rules.regions.values(), text, **kwargs)


def keys(hits):
    return [(h.region_id, h.topic, h.position) for h in hits]


def texts(hits, lang="en"):
    return [h.item.text.get(lang) for h in hits]


def ningbo_lock(hit):
    """Ningbo's PIN lock item: six wrong entries lock the card."""
    return hit.region_id == "ningbo" and hit.topic == "pin" and hit.item.aspect == "lock" and \
        hit.item.value is not None and hit.item.value.zh == "6"


# --- the words for 'locked' ----------------------------------------------------------------


@pytest.mark.parametrize("query", ["锁", "锁定", "locked", "lock", "Lock", "ＬＯＣＫ"])
def test_lock_words_find_ningbos_six_try_lock(bundled, query):
    hits = find(bundled, query)
    assert any(ningbo_lock(h) for h in hits)
    assert all(h.item.topic == h.topic for h in hits)


@pytest.mark.parametrize("query", ["锁", "锁定", "lock"])
def test_lock_words_rank_the_lock_item_first_in_ningbo(bundled, query):
    hits = find(bundled, query, region_ids={"ningbo"})
    assert ningbo_lock(hits[0])
    assert hits[0].score >= PHRASE_BASE


def test_lock_counts_across_regions(bundled):
    """Several regions state a lock count; the lock items are exact hits."""
    hits = [h for h in find(bundled, "锁定") if h.item.aspect == "lock"]
    assert len({h.region_id for h in hits}) >= 3
    assert all(h.how == "exact" for h in hits)


def test_aspect_label_counts(mini):
    """锁定 is the label of the 'lock' aspect: it finds the item whatever its text says."""
    hits = find(mini, "锁定")
    assert keys(hits) == [("river", "pin", 1), ("river", "pin", 2)]
    assert [h.item.value.zh for h in hits] == ["6", "10"]


def test_locked_finds_lock_as_a_word_form(mini):
    hits = find(mini, "locked")
    assert keys(hits) == [("river", "pin", 1), ("river", "pin", 2)]
    assert all(h.how == "words" and WORDS_BASE <= h.score < PHRASE_BASE for h in hits)


# --- fees ------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["25元", "25 元", "25", "CNY 25", "cny25", "２５元", "CNY25"])
def test_fee_amount_finds_chongqings_fee(bundled, query):
    hits = find(bundled, query)
    fees = [h for h in hits if h.region_id == "chongqing" and h.topic == "replace" and h.item.aspect == "fee"]
    assert fees and all(h.score >= PHRASE_BASE for h in fees)
    assert fees[0].field == "value"


def test_fee_amount_is_ranked_by_field(harbor):
    hits = find(harbor, "25元")
    assert keys(hits) == [("harbor", "replace", 0)]
    assert hits[0].matched == "每卡 25 元" and hits[0].field == "value"


def test_a_number_never_matches_inside_a_longer_number(harbor):
    assert keys(find(harbor, "25")) == [("harbor", "replace", 0)]  # not 2025
    assert keys(find(harbor, "2025")) == [("harbor", "replace", 1)]
    assert find(harbor, "202") == []
    assert find(harbor, "5500") == [] and find(harbor, "55000") == []  # 955000 is one number
    assert keys(find(harbor, "955000")) == [("river", "pin", 3)]


# --- phone numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["0574-12333", "057412333", "0574 12333", "(0574) 12333", "０５７４－１２３３３"])
def test_hotline_with_or_without_separators(bundled, query):
    hits = find(bundled, query)
    assert hits and hits[0].region_id == "ningbo" and hits[0].topic == "contacts"
    assert "0574-12333" in hits[0].matched


def test_local_number_finds_the_number_with_area_code(bundled):
    hits = find(bundled, "12333", region_ids={"ningbo"})
    assert any(h.topic == "contacts" and h.item.value.zh == "0574-12333" for h in hits)
    assert any(h.region_id == "chongqing" for h in find(bundled, "12333"))


def test_bank_hotline_through_the_bank_registry(bundled):
    """95533 is China Construction Bank's hotline (banks.toml): it finds CCB's items."""
    hits = find(bundled, "95533", banks=bundled.rules.banks)
    ccb = [h for h in hits if h.region_id == "ningbo" and h.item.bank == "ccb"]
    assert ccb and ccb[0].field == "bank" and ccb[0].score >= PHRASE_BASE
    # without the registry only texts that print 95533 match, and 955330 is another number
    assert not any(h.region_id == "ningbo" for h in find(bundled, "95533"))


def test_bank_pin_and_bank_names(bundled):
    hits = find(bundled, "955330")
    assert any(h.region_id == "ningbo" and h.item.bank == "ccb" and h.field == "value" for h in hits)
    named = find(bundled, "建行", region_ids={"ningbo"}, banks=bundled.rules.banks)
    assert named and {h.item.bank for h in named} == {"ccb"}


def test_mini_bank_hotline(mini):
    hits = find(mini, "95000", banks=mini.rules.banks)
    assert keys(hits) == [("river", "pin", 3)] and hits[0].matched == "95000"
    assert find(mini, "95000") == []


# --- places ------------------------------------------------------------------------------------


def test_district_name_finds_mentions_and_the_districts_own_items(bundled):
    hits = find(bundled, "北部新区")
    regions = {h.region_id for h in hits}
    assert {"chongqing", "beibuxinqu"} <= regions
    mention = [h for h in hits if h.region_id == "chongqing"]
    assert mention and all("北部" in h.matched or "Beibu" in h.matched for h in mention)


def test_district_name_in_english_finds_the_chinese_mentions(bundled):
    hits = find(bundled, "Beibu New Area")
    assert {"chongqing", "beibuxinqu"} <= {h.region_id for h in hits}


@pytest.mark.parametrize("query", ["江北", "江北区", "Jiangbei", "jiang bei"])
def test_district_name_with_or_without_suffix(harbor, query):
    hits = find(harbor, query)
    assert set(keys(hits)) == {("harbor", "contacts", 0), ("jiangbei", "lost", 0)}
    assert all(h.score >= PHRASE_BASE for h in hits)


def test_mention_ranks_above_membership(harbor):
    hits = find(harbor, "江北")
    assert keys(hits) == [("harbor", "contacts", 0), ("jiangbei", "lost", 0)]
    assert hits[0].field == "title" and hits[1].field == "region"


def test_region_name_through_its_other_names(harbor):
    """港市 with --lang en: no English text says 港市, but the region's English name is Harbor."""
    hits = find(harbor, "港市", lang="en")
    assert {h.region_id for h in hits} == {"harbor"} and len(hits) == 3
    assert {h.how for h in hits} == {"alias"} and {h.matched for h in hits} == {"Harbor"}
    assert all(h.score < find(harbor, "港市")[0].score for h in hits)


def test_region_name_and_a_word(bundled):
    hits = find(bundled, "ningbo lock")
    assert hits and ningbo_lock(hits[0])
    assert hits[0].how == "words" and "lock" in hits[0].matched


def test_words_may_match_in_either_language(bundled):
    hits = find(bundled, "宁波 lock")
    assert hits and ningbo_lock(hits[0]) and hits[0].how == "words"


# --- traditional characters and typos ------------------------------------------------------------


@pytest.mark.parametrize("traditional, simplified", [("鎖定", "锁定"), ("補卡", "补卡"), ("寧波", "宁波")])
def test_traditional_query_matches_like_simplified(bundled, traditional, simplified):
    converted = find(bundled, traditional)
    assert converted
    assert keys(converted) == keys(find(bundled, simplified))


def test_traditional_fee_query(harbor):
    assert keys(find(harbor, "補卡 25元")) == [("harbor", "replace", 0)]


@pytest.mark.parametrize("typo", ["lokced", "lcoked", "lockd"])
def test_typo_is_a_fuzzy_hit(bundled, typo):
    hits = find(bundled, typo)
    assert hits and all(h.how == "fuzzy" and h.score <= FUZZY_TOP for h in hits)
    assert any("locked" in h.item.text.en.lower() for h in hits)


def test_typo_in_a_multi_word_query(bundled):
    hits = find(bundled, "ningbo lokced", region_ids={"ningbo"})
    assert hits and all(h.how == "fuzzy" for h in hits)
    assert any(h.item.aspect == "unlock" for h in hits)


def test_chinese_typo_by_character_pairs(bundled):
    """One wrong character of four (北部新城 for 北部新区) still finds the district."""
    hits = find(bundled, "北部新城")
    assert hits and all(h.how == "fuzzy" for h in hits)
    assert "beibuxinqu" in {h.region_id for h in hits}


@pytest.mark.parametrize("nonsense", ["qqqqzzzz", "xylophonequartz", "量子力学", "!!!", "9999999999", "zz"])
def test_nonsense_matches_nothing(bundled, nonsense):
    assert find(bundled, nonsense, banks=bundled.rules.banks) == []


def test_random_words_do_not_match_everything(bundled):
    total = sum(len(items) for r in bundled.rules.regions.values() for items in r.topics.values())
    for word in ("bicycle", "umbrella", "dragon", "planet"):
        assert len(find(bundled, word)) < total / 20, word


# --- ranking ---------------------------------------------------------------------------------------


def test_exact_before_fuzzy(harbor):
    """'lockin' occurs inside 'locking' (exact, part of a word); 'lock' is only close (fuzzy)."""
    hits = find(harbor, "lockin")
    assert keys(hits) == [("harbor", "contacts", 0), ("river", "pin", 1), ("river", "pin", 2)]
    assert [h.how for h in hits] == ["exact", "fuzzy", "fuzzy"]
    assert hits[0].score >= PHRASE_BASE > FUZZY_TOP >= hits[1].score == hits[2].score


def test_whole_words_before_parts_of_words(harbor):
    hits = find(harbor, "lock")
    assert keys(hits) == [("river", "pin", 1), ("river", "pin", 2), ("harbor", "contacts", 0)]
    assert hits[0].score > hits[2].score


def test_ties_go_by_region_then_topic_order_then_position(harbor):
    hits = find(harbor, "补卡")
    # equal scores: replace comes before contacts in sscard.topics.TOPICS
    assert keys(hits) == [("harbor", "replace", 0), ("harbor", "replace", 1), ("harbor", "contacts", 0)]
    assert len({h.score for h in hits}) == 1


def test_order_is_deterministic_and_sorted(bundled):
    rank = list(TOPICS)
    for query in ("card", "密码", "12333", "lost card", "ningbo", "lokced"):
        first = find(bundled, query)
        assert keys(first) == keys(find(bundled, query))
        order = [(-h.score, h.region_id, rank.index(h.topic), h.position) for h in first]
        assert order == sorted(order), query


def test_multi_word_english_every_word_first(bundled):
    hits = find(bundled, "replacement fee")
    whole = [h for h in hits if h.how != "partial"]
    assert whole and hits[: len(whole)] == whole  # hits matching only some words come after
    for h in whole:
        blob = " ".join(t.get("en") for t in (h.item.text, h.item.value, h.item.title) if t).lower()
        assert any(w in blob for w in ("fee", "free", "cny", "yuan")) or h.item.aspect == "fee"


# --- restrictions --------------------------------------------------------------------------------------


def test_region_ids_restrict(bundled):
    hits = find(bundled, "12333", region_ids={"ningbo"})
    assert hits and {h.region_id for h in hits} == {"ningbo"}
    assert find(bundled, "955330", region_ids={"chongqing"}) == []


def test_subtree_for_a_region_and_its_districts(bundled):
    ids = subtree(bundled.rules.children, "chongqing")
    assert ids[0] == "chongqing" and "beibuxinqu" in ids
    hits = find(bundled, "12333", region_ids=ids)
    assert {h.region_id for h in hits} == {"chongqing", "beibuxinqu"}


def test_region_ids_accepts_one_id(mini):
    assert keys(find(mini, "锁定", region_ids="river")) == keys(find(mini, "锁定", region_ids=["river"]))
    assert find(mini, "锁定", region_ids="land") == []


def test_lang_restricts_the_texts_matched(mini):
    assert len(find(mini, "lock", lang="en")) == 2
    assert find(mini, "lock", lang="zh") == []
    assert len(find(mini, "锁定", lang="zh")) == 2
    assert find(mini, "锁定", lang="en") == []
    assert all(h.lang == "en" for h in find(mini, "pin", lang="en"))


def test_lang_restriction_on_bundled(bundled):
    assert all(h.lang == "zh" for h in find(bundled, "锁", lang="zh"))
    assert all(h.lang == "en" for h in find(bundled, "locked", lang="en"))
    assert all(h.lang == "en" for h in find(bundled, "0574-12333", lang="en"))


def test_region_name_reaches_across_languages(harbor):
    """江北 with --lang en finds the English text naming Jiangbei."""
    hits = find(harbor, "江北", lang="en")
    assert ("harbor", "contacts", 0) in keys(hits)
    assert all(h.lang == "en" for h in hits)


def test_limit(bundled):
    assert len(search(bundled.rules.regions.values(), "card")) == 20
    assert len(search(bundled.rules.regions.values(), "card", limit=3)) == 3
    assert len(find(bundled, "card")) > 20


# --- results ---------------------------------------------------------------------------------------------


def test_hit_to_dict(bundled):
    hit = find(bundled, "0574-12333")[0]
    assert isinstance(hit, Hit)
    data = hit.to_dict()
    assert data["region"] == "ningbo" and data["topic"] == "contacts"
    assert data["matched"] == "0574-12333" and isinstance(data["score"], float)
    assert data["how"] in HOWS and data["field"] == "value" and data["lang"] in ("zh", "en")
    item = data["item"]
    assert {"part", "aspect", "bank", "value", "title", "text", "source", "disputed", "verify"} <= set(item)
    assert item["value"] == {"zh": "0574-12333", "en": "0574-12333"}
    assert item["source"]["id"] == "seed-002" and item["text"]["zh"]
    json.dumps(data, ensure_ascii=False)


def test_hit_has_slots_not_dict():
    assert not hasattr(Hit("r", "pin", None, 1.0, "x"), "__dict__")


def test_matched_is_a_short_snippet(bundled):
    for hit in find(bundled, "card"):
        assert len(hit.matched) <= 62


def test_bad_queries(bundled):
    regions = bundled.rules.regions.values()
    for text in ("", "   "):
        with pytest.raises(UsageError):
            search(regions, text)
    with pytest.raises(UsageError):
        search(regions, "x" * 201)
    with pytest.raises(UsageError):
        search(regions, "lock", lang="fr")
    assert search(regions, "？！。") == []


# --- imports -----------------------------------------------------------------------------------------------


def run_python(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          cwd=TESTS.parent)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_import_loads_neither_rapidfuzz_nor_opencc():
    out = run_python("import sys, sscard.search; print('rapidfuzz' in sys.modules, 'opencc' in sys.modules)")
    assert out == "False False"


def test_exact_queries_do_not_load_rapidfuzz(bundled_index):
    # the region records from the session's index (parsing would cost the subprocess far more),
    # searched in memory as parsed records are
    out = run_python(
        "import sys\n"
        "from sscard.locate import bundled_data_dir\n"
        "from sscard.serve import load_rules\n"
        "from sscard.search import search\n"
        "regions = load_rules([bundled_data_dir()]).all_regions()\n"
        "assert type(regions) is list and len(regions) > 3000 and 'sscard.searchstore' not in sys.modules\n"
        "for q in ('锁定', 'lock', 'locked', '25元', '0574-12333', '北部新区'):\n"
        "    assert search(regions, q), q\n"
        "print('rapidfuzz' in sys.modules, 'opencc' in sys.modules)\n"
        "search(regions, 'lokced')\n"
        "print('rapidfuzz' in sys.modules)\n"
    )
    assert out.splitlines() == ["False False", "True"]


# --- questions: several words, a place in the words, everyday words, fallback rules -----------


@pytest.mark.parametrize("args", [["重庆", "补卡", "多少钱"], ["补卡", "重庆"], ["重庆补卡多少钱"],
                                  ["how much does a replacement cost in Chongqing"]])
def test_a_question_finds_its_answer_and_its_place(cli, args):
    r = cli("search", *args, "--format", "json")
    assert r.code == 0, r.err
    hits = json.loads(r.out)["hits"]
    # the place in the words acts as --region: its own rules, and those it falls back to, labelled
    assert {h["region"] for h in hits if not h["via"]} == {"chongqing"}
    assert all(h["via"] == "chongqing" for h in hits if h["region"] != "chongqing")
    fees = [h for h in hits if h["item"]["aspect"] == "fee" and h["topic"] == "replace"]
    assert fees and hits.index(fees[0]) <= 1


def test_not_every_word_must_match(cli):
    hits = json.loads(cli("search", "temporary loss report valid", "-f", "json").out)["hits"]
    assert hits and all(h["topic"] == "lost" for h in hits[:5])
    assert any(h["item"]["aspect"] in ("validity", "temporary", "deadline") for h in hits[:5])


def test_region_includes_the_rules_it_falls_back_to_labelled(mini):
    from sscard.api import RuleBook
    from sscard.renderers.hits import render_hits

    book = RuleBook(mini)
    hits = book.search("挂失", region="rivermouth")  # rivermouth has no lost rules: the nation's answer
    assert hits and {(h.region_id, h.topic, h.via) for h in hits} == {("land", "lost", "rivermouth")}
    assert book.search("123456", region="river") and all(not h.via for h in book.search("123456", region="river"))
    regions = {r.id: r for r in book.regions()}
    out = render_hits(hits, regions, {s.id: s for s in book.sources()}, "plain", "en", "挂失")
    assert "(rules Rivermouth (河湾区) falls back to)" in out


def test_everyday_words_fold_to_the_rules_words():
    from sscard.question import parse

    q = parse("社保卡丢了怎么办")
    assert [w for w, _ in q.words] == ["社保卡", "丢了"]
    assert "挂失" in dict(q.words)["丢了"]
    assert [w for w, _ in parse("how long is it valid").words] == ["lasts", "time", "valid"]
    places = {"重庆": "chongqing"}
    assert parse("重庆补卡多少钱", places.get).place == "chongqing"
    assert parse("补卡多少钱", places.get).place is None
