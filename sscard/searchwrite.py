"""The search table written into the on-disk index (table_data), and checked against the rule
files (table_matches, for `sscard check --cache`); sscard.searchstore reads it back.

Only an index build and `check --cache` import this module: a search never does.
"""

from __future__ import annotations

import marshal
import zlib

from sscard import searchbits as sb
from sscard import searchfold as f
from sscard.names import normalize, strip_suffix
from sscard.searchstore import BLOCK, BUCKETS, GRAM_BUCKETS, ROWS, StoredTable, _bucket, _grams, _ordered
from sscard.searchtable import SearchTable

INLINE = 32  # places of a field kept in its block; more are a blob of their own
MANY = 256  # places of a field above which they are kept as bitmaps of entries, one per place in the entry


def _packed(data) -> bytes:
    return zlib.compress(marshal.dumps(data), 6)


def table_data(regions, banks, put, put_raw) -> dict:
    """The search table of these regions and banks, stored with put (marshal) and put_raw (bytes);
    returns where each piece is (the index header keeps it)."""
    from array import array  # building only: a search reads these through memoryview (no extension to load)

    f.ready()
    regions = list(regions)
    table = SearchTable(regions, banks)
    entries = _ordered(table.entries)
    ids = {id(fd): n for n, fd in enumerate(table.fields)}
    shift = 1 + max((len(e.fields[lang]) for e in entries for lang in ("zh", "en")), default=0)
    places: list = [[] for _ in table.fields]
    span_ids: list = []
    span_starts = array("q")
    for eid, e in enumerate(entries):
        if not span_ids or span_ids[-1] != e.region_id:
            span_ids.append(e.region_id)
            span_starts.append(eid)
        for lang in ("zh", "en"):
            for pos, fd in enumerate(e.fields[lang]):
                places[ids[id(fd)]].append(eid * shift + pos)
    span_starts.append(len(entries))
    blocks: list = []
    grams: dict = {}
    for b in range(0, len(table.fields), BLOCK):
        rows = []
        for fid in range(b, min(b + BLOCK, len(table.fields))):
            fd, where = table.fields[fid], places[fid]
            if len(where) > MANY:
                where = sb.bitmaps(where, shift, len(entries), put_raw)
            elif len(where) > INLINE:
                deltas = array("q", [where[0], *(y - x for x, y in zip(where, where[1:]))])
                where = put_raw(zlib.compress(deltas.tobytes(), 6))
            rows.append((fd.kind, fd.lang, fd.orig, fd.compact, where))
            for gram in _grams(fd.compact):
                grams.setdefault(gram, []).append(b // BLOCK)
        blocks.append(_packed(rows))
    starts, at = array("q"), 0
    for data in blocks:
        starts.append(at)
        at += len(data)
    starts.append(at)
    first = put_raw(b"".join(blocks))[0]
    gram_tables: list = [dict() for _ in range(GRAM_BUCKETS)]
    for gram, found in grams.items():
        found = sorted(set(found))
        if len(found) * 32 > len(blocks):  # many blocks: a bitmap is smaller
            bits = sum(1 << n for n in found)
            where = (1, *put_raw(bits.to_bytes((len(blocks) + 7) // 8, "little")))
        else:
            where = (0, *put_raw(array("q", found).tobytes()))
        gram_tables[_bucket(gram, GRAM_BUCKETS)][gram] = where
    owners: list = [dict() for _ in range(BUCKETS)]
    for i, owner in enumerate(table.owners):
        for name in owner:
            key = normalize(name)
            for k in dict.fromkeys((key, strip_suffix(key))):
                if k:
                    slot = owners[_bucket(k)].setdefault(k, [])
                    if i not in slot:
                        slot.append(i)
    children: dict = {}
    for region in regions:
        if region.parent:
            children.setdefault(region.parent, []).append(region.id)
    return {
        "blocks": (first, put_raw(starts.tobytes())), "fields": len(table.fields), "shift": shift,
        "grams": [put(t) for t in gram_tables], "count": len(entries),
        "span_ids": [put(span_ids[i:i + ROWS]) for i in range(0, len(span_ids), ROWS)],
        "span_starts": put_raw(span_starts.tobytes()),
        "children": put({parent: sorted(ids) for parent, ids in children.items()}),
        "vocab": put(sorted(table._words())), "chars": put("".join(sorted(table.chars()))),
        "owners": [put([tuple(o) for o in table.owners[i:i + ROWS]]) for i in range(0, len(table.owners), ROWS)],
        "owner_keys": [put(t) for t in owners],
    }


def table_matches(stored: StoredTable, regions, banks) -> bool:
    """Whether the stored table is the one these regions and banks make (`sscard check --cache`):
    every entry with its fields in order, and what queries consult besides."""
    f.ready()
    fresh = SearchTable(sorted(regions, key=lambda r: r.id), banks)
    expected = [(e.region_id, e.topic, e.position,
                 *(tuple((fd.kind, fd.orig) for fd in e.fields[lang]) for lang in ("zh", "en")))
                for e in _ordered(fresh.entries)]
    count = stored._where["count"]
    if count != len(expected):
        return False
    shift = stored._where["shift"]
    fields: list = [([], []) for _ in range(count)]
    for b in range(len(stored._block_starts()) - 1):
        for kind, lang, orig, compact, where in stored._block(b):
            if f.compact(f.fold(orig)) != compact:
                return False
            for code in stored._places(where):
                eid, pos = divmod(code, shift)
                if not 0 <= eid < count:
                    return False
                fields[eid][lang == "en"].append((pos, (kind, orig)))
    for eid, (zh, en) in enumerate(fields):
        e = stored._entry(eid)
        got = (e.region_id, e.topic, e.position, *(tuple(x[1] for x in sorted(side)) for side in (zh, en)))
        if got != expected[eid]:
            return False
    return (sorted(stored._words()) == sorted(fresh._words()) and stored.chars() == fresh.chars()
            and [tuple(stored._owner(i)) for i in range(len(fresh.owners))] == [tuple(o) for o in fresh.owners])
