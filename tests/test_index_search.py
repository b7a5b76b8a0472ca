"""What the on-disk index keeps so search, listings and odd names need not read every region:
the search table, the `cities` rows, traditional forms of names, and the hand-scored fuzzy pass.
Each must answer exactly as the rules parsed in memory do."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import pytest

from sscard.api import RuleBook
from sscard.index import IndexedRules
from sscard.locate import bundled_data_dir
from sscard.names import ratios
from sscard.serve import load_rules

QUERIES = ["锁定", "鎖定", "挂失", "lock", "locked", "95533", "955330", "0574 12333", "重庆 补卡 多少钱",
           "how much does a replacement cost in Chongqing", "宁波 lock", "replacment fee", "CNY25", "25",
           "丢了怎么办", "建设银行", "ccb pin", "补卡2", "江北区", "有效期 天", "北部新区"]
OPTIONS = [{}, {"lang": "zh"}, {"lang": "en"}, {"region": "ningbo"}, {"region": "zhejiang"}, {"limit": 0}]


@pytest.fixture(scope="module")
def books(bundled, shared_cache):
    os.environ["SSCARD_CACHE_DIR"] = str(shared_cache)
    load_rules([bundled_data_dir()])  # writes the index when this session has none yet
    indexed = load_rules([bundled_data_dir()])
    assert isinstance(indexed, IndexedRules)
    return RuleBook(indexed), RuleBook(bundled)


def shown(hits) -> list:
    return [(repr(h), h.via, h.item) for h in hits]


@pytest.mark.parametrize("query", QUERIES)
def test_search_through_the_index_finds_what_the_parsed_rules_find(books, query):
    indexed, parsed = books
    for options in OPTIONS:
        assert shown(indexed.search(query, **options)) == shown(parsed.search(query, **options)), options
    assert indexed._search[3] is not None  # answered by the stored table, not by one built after a failure


def test_search_reads_only_the_regions_of_its_hits(books):
    indexed, _ = books
    rules = load_rules([bundled_data_dir()])
    hits = RuleBook(rules).search("锁定")
    assert hits and set(rules._regions) <= {h.region_id for h in hits}


def test_a_damaged_search_table_falls_back_to_the_rules(books):
    _, parsed = books
    rules = load_rules([bundled_data_dir()])
    rules._header["search"] = {**rules._header["search"], "span_starts": (rules._blobs + 5, 10)}
    assert shown(RuleBook(rules).search("锁定")) == shown(parsed.search("锁定"))


def test_cities_rows_from_the_index_are_the_parsed_ones(cli):
    for args in (["cities"], ["cities", "--all"]):
        indexed = cli(*args, "--format", "json")
        parsed = cli(*args, "--format", "json", environ={"SSCARD_CACHE_DIR": ""})
        assert indexed.code == parsed.code == 0
        assert json.loads(indexed.out) == json.loads(parsed.out)


@pytest.mark.parametrize("fmt", ["plain", "markdown"])
def test_cities_text_from_the_index_is_the_parsed_one(books, fmt):
    from sscard.listing import render_cities

    indexed, parsed = books
    assert indexed.rules.listing_text(fmt) is not None  # served from the index, not rendered again
    for lang in ("zh", "en"):
        for all_places in (False, True):
            assert (render_cities(indexed.rules, fmt, lang, all_places)
                    == render_cities(parsed.rules, fmt, lang, all_places)), (lang, all_places)


def test_check_cache_compares_the_cities_text(books):
    from sscard.listing import stored_texts_match

    _, parsed = books
    rules = load_rules([bundled_data_dir()])
    assert stored_texts_match(rules, parsed.rules)
    listed, every = rules._header["cities_text"]["plain"]
    rules._header["cities_text"] = {"plain": (every, listed)}  # the two listings swapped
    assert not stored_texts_match(rules, parsed.rules)


def test_traditional_and_fuzzy_lookups_load_neither_converter_nor_rapidfuzz(sscard, shared_cache):
    code = ("import sys\nfrom sscard.api import open_rules\nbook = open_rules()\n"
            "print(book.answer('pin', '寧波', bank='建行').region.id, book.find_region('chongqin')[0].id)\n"
            "print('opencc' in sys.modules, 'rapidfuzz' in sys.modules)\n")
    sscard("pin", "ningbo")  # the index exists
    env = {**os.environ, "SSCARD_CACHE_DIR": str(shared_cache)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["ningbo", "chongqing", "False", "False"]


def test_hand_scored_fuzzy_pass_is_rapidfuzz(bundled):
    from rapidfuzz import fuzz, process

    keys = sorted(bundled.regions.choices())
    rng = random.Random(7)
    for _ in range(400):
        word = list(rng.choice(keys))
        for _ in range(rng.randrange(3)):
            at = rng.randrange(len(word) + 1)
            if rng.random() < 0.5 and word:
                del word[min(at, len(word) - 1)]
            else:
                word.insert(at, rng.choice("aegnoqu宁波"))
        typed = "".join(word)
        choices = rng.sample(keys, 200)
        expected = process.extract(typed, choices, scorer=fuzz.ratio, limit=12, score_cutoff=45.0)
        assert ratios(typed, choices, 12, 45.0) == [tuple(e) for e in expected], typed


def test_chinese_runs_and_tokens_by_hand_are_the_regexes():
    import re

    from sscard import searchfold as sf

    cjk = "\u3400-\u9fff\uf900-\ufaff"
    token = re.compile(rf"[{cjk}]+|\d+|[^\W\d_{cjk}]+")
    alphabet = "ab Z_9٣²½-，锁定參\uf96b\u3400\u9fff\u4dbfé\u0301"
    rng = random.Random(11)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
        assert sf.tokens(text) == token.findall(text), text
        assert sf.has_cjk(text) == bool(re.search(f"[{cjk}]", text))
        assert sf.starts_cjk(text) == bool(re.match(f"[{cjk}]", text))
        assert sf.cjk_chars(text) == re.findall(f"[{cjk}]", text)


@pytest.mark.parametrize("many", [0, 3, 40])
def test_fields_kept_as_bitmaps_of_entries_search_as_listed_ones(bundled, monkeypatch, many):
    """A field held by more than MANY entries keeps them as bitmaps and its entries are grouped by
    intersecting them; with MANY low, almost every field is so kept (and mixed with listed ones)."""
    import marshal

    from sscard import searchstore, searchwrite
    from sscard.search import search, subtree

    monkeypatch.setattr(searchwrite, "MANY", many)
    ruleset = bundled.rules
    blobs = bytearray()

    def put_raw(data: bytes) -> tuple:
        blobs.extend(data)
        return len(blobs) - len(data), len(data)

    where = searchwrite.table_data([ruleset.regions[r] for r in sorted(ruleset.regions)], ruleset.banks,
                                   lambda obj: put_raw(marshal.dumps(obj)), put_raw)
    stored = searchstore.StoredTable(where, lambda at: marshal.loads(blobs[at[0]:at[0] + at[1]]),
                                     lambda at: bytes(blobs[at[0]:at[0] + at[1]]), bundled.region)
    kept = sum(isinstance(row[4], dict) for b in range(len(stored._block_starts()) - 1) for row in stored._block(b))
    assert kept > (50 if many < 40 else 5)
    regions = list(ruleset.regions.values())
    zhejiang = subtree(stored.children(), "zhejiang")
    for query in QUERIES:
        for number, options in enumerate(({}, {"lang": "zh"}, {"limit": 0}, {"region_ids": zhejiang},
                                           {"region_ids": ["ningbo"]})):
            got = search([], query, banks=ruleset.banks, table=stored, **options)
            if (query, number) not in _PARSED_HITS:  # the same for every MANY: searched once per process
                _PARSED_HITS[query, number] = [(repr(h), h.item) for h in
                                               search(regions, query, banks=ruleset.banks, **options)]
            assert [(repr(h), h.item) for h in got] == _PARSED_HITS[query, number], (query, options)
    assert searchwrite.table_matches(stored, regions, ruleset.banks)


_PARSED_HITS: dict = {}
