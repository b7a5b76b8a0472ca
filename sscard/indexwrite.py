"""Writing the on-disk rule index (sscard.index reads it): every record, name table, search
table and listing the lookups read, worked out once from the parsed rules.

Only a run that has just parsed the files (a first run, an edit, `check --cache`, the wheel's
build) imports this module; a lookup served from the index never does.
"""

from __future__ import annotations

import marshal
import zlib
from functools import lru_cache

from sscard import cachefiles, freshness
from sscard.index import BUCKETS, join, name_bucket
from sscard.indexrecords import bank_data, region_data, source_data
from sscard.names import grams, region_names
from sscard.store import MemoryRules, covered_map, names_table


def _gram_tables(keys: dict) -> list:
    """Per bucket: gram -> {key: ids} for every name containing the gram."""
    by_gram: dict = {}
    for key, ids in keys.items():
        for gram in grams(key):
            by_gram.setdefault(gram, {})[key] = list(ids)
    tables: list = [dict() for _ in range(BUCKETS)]
    for gram, names in by_gram.items():  # each gram's bucket once: most grams are in many names
        tables[name_bucket(gram)][gram] = names
    return tables


def _traditional_tables(names) -> list:
    """Per bucket: traditional form -> the simplified name it converts back to, for every Chinese name,
    so a lookup typed in traditional characters needs no converter (sscard.names.resolve)."""
    tables: list = [dict() for _ in range(BUCKETS)]
    converters = _converters()
    if not converters:  # no converter here: lookups convert as they always did
        return tables
    for name in sorted(set(names)):
        if name.isascii():
            continue
        for typed in _traditional_forms(name):
            tables[name_bucket(typed)][typed] = name
    return tables


@lru_cache(maxsize=1 << 16)
def _traditional_forms(name: str) -> tuple:
    """The traditional forms of a simplified name (s2t, s2tw, s2hk) that convert back to it exactly.

    Kept per name: a process that writes several indexes (a session whose files change) converts
    the same ~15,000 names each time. back is OpenCC's t2s, the conversion sscard.names.to_simplified
    applies to typed text (so its own converter is not loaded here as well)."""
    back, *forward = _converters()
    forms = []
    for typed in dict.fromkeys(converter.convert(name) for converter in forward):  # mostly one form for all three
        if typed != name and back.convert(typed) == name:
            forms.append(typed)
    return tuple(forms)


def _converters() -> tuple:
    """OpenCC's t2s, s2t, s2tw and s2hk, or () without OpenCC; loaded once per process, as each
    load reads its dictionaries again (about 30 ms) and an index needs them for regions and banks."""
    global _opencc
    if _opencc is None:
        try:
            import opencc

            _opencc = tuple(opencc.OpenCC(config) for config in ("t2s", "s2t", "s2tw", "s2hk"))
        except Exception:
            _opencc = ()
    return _opencc


_opencc: tuple | None = None


def _all_names(keys: dict) -> tuple:
    ordered = sorted(keys)
    return ordered, [list(keys[k]) for k in ordered]


def write_index(folder: str, target: str, stamp, digests: dict, rules: MemoryRules) -> None:
    """Write the index whole (sscard.cachefiles); any failure only means the next run parses again.

    digests: the content hashes of stamp.racy(), taken before the files were parsed.
    """
    try:
        data = index_bytes(stamp.text, digests, freshness.code_stamp(), rules)
        cachefiles.write_whole(folder, target, data)
    except (OSError, ValueError):
        pass  # a read-only or full cache directory only costs speed


def index_bytes(stamp_text: str, digests: dict, code: list, rules: MemoryRules, extra: dict | None = None) -> bytes:
    """The whole index file for these rules (extra: more header fields, e.g. the shipped index's own)."""
    from sscard.completenames import table_data as completion_data
    from sscard.listing import stored_rows, stored_texts
    from sscard.locate import bundled_data_dir
    from sscard.searchwrite import table_data

    ruleset = rules.rules
    blobs = bytearray()

    def put_raw(data: bytes) -> tuple:
        where = (len(blobs), len(data))
        blobs.extend(data)
        return where

    def put(obj) -> tuple:
        return put_raw(marshal.dumps(obj))

    def packed(obj) -> tuple:  # the records (text the search table keeps as well): read one at a time
        return put_raw(zlib.compress(marshal.dumps(obj), 6))

    covered = covered_map(ruleset)
    tables: list = [dict() for _ in range(BUCKETS)]
    for region in ruleset.regions.values():
        below = covered.get(region.id)
        covered_where = packed({k: [tuple(x) for x in v] for k, v in below.items()}) if below else None
        tables[name_bucket(region.id)][region.id] = packed(region_data(region, covered_where, ruleset.sources))
    region_keys: list = [dict() for _ in range(BUCKETS)]
    for key, entries in rules.regions.keys.items():
        region_keys[name_bucket(key)][key] = [tuple(e) for e in entries]
    bank_keys: list = [dict() for _ in range(BUCKETS)]
    for key, entries in rules.banks.keys.items():
        bank_keys[name_bucket(key)][key] = [tuple(e) for e in entries]
    header = {
        **(extra or {}),
        "stamp": stamp_text,
        "digests": digests,
        "code": code,
        "problems": [p.data() for p in ruleset.problems],  # msgids: shown in the reader's language
        "warnings": [p.data() for p in ruleset.warnings],
        "gazetteer": dict(ruleset.gazetteer),
        "census": put(ruleset.census),  # read only by national fallbacks: not with every header
        "region_tables": [put(t) for t in tables],
        "region_keys": [put(t) for t in region_keys],
        "bank_keys": [put(t) for t in bank_keys],
        "region_keys_all": put(_all_names(rules.regions.choices())),
        "region_grams": [put({gram: put(names) for gram, names in t.items()})
                         for t in _gram_tables(rules.regions.choices())],
        "bank_keys_all": put(_all_names(rules.banks.choices())),
        "region_traditional": [put(t) for t in _traditional_tables(
            name for _, name, *_ in region_names(ruleset))],
        "bank_traditional": [put(t) for t in _traditional_tables(
            name for b in ruleset.banks.values() for name in (b.name.zh, *b.aliases))],
        "banks": put([bank_data(b) for b in ruleset.banks.values()]),
        "sources": put([source_data(s) for s in ruleset.sources.values()]),
        "names": put(names := names_table(ruleset.regions.values(), ruleset.banks.values())),
        "completion": put({kind: [put(rows) for rows in completion_data(names[kind])] for kind in ("regions", "banks")}),
        "cities": packed(rows := stored_rows(ruleset.regions.values(), ruleset.sources)),
        "cities_listed": packed([row for row in rows if row[-1]]),  # a few hundred of thousands: read alone
        "cities_text": {fmt: tuple(put_raw(zlib.compress(text.encode("utf-8"), 6)) for text in pair)
                        for fmt, pair in (stored_texts(rows) or {}).items()},
        "cities_bundled": bundled_data_dir(),
        # in the order IndexedRules lists them: regions by id, banks as registered
        "search": table_data([ruleset.regions[r] for r in sorted(ruleset.regions)], ruleset.banks, put, put_raw),
    }
    header["blobs"] = len(blobs)
    return join(header, bytes(blobs))
