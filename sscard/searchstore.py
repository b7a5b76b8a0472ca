"""The search table kept in the on-disk index, read one piece at a time.

At build time (table_data) every distinct field is stored folded, in blocks, with the
entries (items) it belongs to; the compact forms of all fields are stored one after the
other as UTF-8, so the fields a query's words occur in are found by a byte search (a
substring of UTF-8 is a substring of the text) without decoding any field. A search then
reads only those fields' entries and the blocks they lie in, and an item's record only
for the hits it shows. The ranking is sscard.search's, over these candidates: an entry no
word occurs in cannot match, and counts only in how many entries there are.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right

from sscard import searchfold as f
from sscard.names import normalize, strip_suffix
from sscard.searchtable import Entry, Field, SearchTable, Vocabulary

BLOCK = 4096  # fields, entries or owners per stored piece
BUCKETS = 64  # buckets of owner names


def _bucket(key: str) -> int:
    import zlib

    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % BUCKETS


def table_data(regions, banks, put, put_raw) -> dict:
    """The search table of these regions and banks, stored with put (marshal) and put_raw (bytes);
    returns where each piece is (the index header keeps it)."""
    f.ready()
    table = SearchTable(list(regions), banks)
    ids = {id(fd): n for n, fd in enumerate(table.fields)}
    postings: list = [[] for _ in table.fields]
    entries: list = []
    spans: dict = {}  # region id -> (first entry, how many)
    for eid, e in enumerate(table.entries):
        zh, en = (tuple(ids[id(fd)] for fd in e.fields[lang]) for lang in ("zh", "en"))
        entries.append((e.region_id, e.topic, e.position, zh, en))
        for fid in dict.fromkeys(zh + en):
            postings[fid].append(eid)
        start, count = spans.get(e.region_id, (eid, 0))
        spans[e.region_id] = (start, count + 1)
    fields = [(fd.kind, fd.lang, fd.orig, fd.fold, fd.compact, tuple(sorted(fd.words))) for fd in table.fields]
    encoded = [fd.compact.encode("utf-8", "surrogatepass") for fd in table.fields]
    starts, at = array("q"), 0
    for data in encoded:
        starts.append(at)
        at += len(data) + 1
    owners: list = [dict() for _ in range(BUCKETS)]
    for i, owner in enumerate(table.owners):
        for name in owner:
            key = normalize(name)
            for k in dict.fromkeys((key, strip_suffix(key))):
                if k:
                    slot = owners[_bucket(k)].setdefault(k, [])
                    if i not in slot:
                        slot.append(i)

    def blocks(rows):
        return [put(rows[i:i + BLOCK]) for i in range(0, len(rows), BLOCK)]

    def each(rows):  # every row on its own, and where each starts: a search reads only the rows it needs
        import marshal

        starts, data = array("q"), []
        at = 0
        for row in rows:
            raw = marshal.dumps(row)
            starts.append(at)
            data.append(raw)
            at += len(raw)
        starts.append(at)
        return put_raw(b"".join(data)), put_raw(starts.tobytes())

    children: dict = {}
    for region in regions:
        if region.parent:
            children.setdefault(region.parent, []).append(region.id)

    return {
        "fields": each(fields), "postings": each(postings), "entries": each(entries),
        "children": put({parent: sorted(ids) for parent, ids in children.items()}),
        "compacts": put_raw(b"\x1f".join(encoded)), "starts": put_raw(starts.tobytes()),
        "count": len(entries), "spans": put(spans), "vocab": put(sorted(table._words())),
        "chars": put("".join(sorted(table.chars()))), "owners": blocks([tuple(o) for o in table.owners]),
        "owner_keys": [put(t) for t in owners],
    }


class StoredTable(Vocabulary):
    """The table as table_data() stored it; blob(where) and raw(where) read the index."""

    def __init__(self, where: dict, blob, raw, region) -> None:
        self._where = where
        self._blob = blob
        self._raw = raw
        self._region = region  # rules.region, for the items of the hits shown
        self._pieces: dict = {}
        self._fields: dict = {}
        self._vocab = self._stems = self._chars = None

    def _piece(self, kind: str, n: int):
        got = self._pieces.get((kind, n))
        if got is None:
            got = self._pieces[(kind, n)] = self._blob(self._where[kind][n])
        return got

    def _row(self, kind: str, i: int):
        if kind == "owners":
            return self._piece(kind, i // BLOCK)[i % BLOCK]
        import marshal

        data, starts = self._where[kind]
        if not 0 <= i or not 8 * (i + 2) <= starts[1]:
            raise ValueError("damaged index: a row outside its table")
        start, end = array("q", self._raw((starts[0] + 8 * i, 16)))
        if not 0 <= start <= end <= data[1]:
            raise ValueError("damaged index: a row outside its table")
        return marshal.loads(self._raw((data[0] + start, end - start)))

    def children(self) -> dict:
        """parent id -> the ids of the regions directly below it."""
        return self._blob(self._where["children"])

    def _words(self):
        return self._blob(self._where["vocab"])

    def chars(self) -> set:
        if self._chars is None:
            self._chars = set(self._blob(self._where["chars"]))
        return self._chars

    def _owners_of(self, key: str):
        return self._piece("owner_keys", _bucket(key)).get(key, ())

    def _owner(self, i: int):
        return self._row("owners", i)

    def _field(self, fid: int) -> Field:
        got = self._fields.get(fid)
        if got is None:
            got = self._fields[fid] = Field.stored(*self._row("fields", fid))
        return got

    def candidates(self, needles, allowed) -> tuple:
        """(entries any needle occurs in, how many entries there are) for the allowed regions."""
        data = self._raw(self._where["compacts"])
        starts = array("q")
        starts.frombytes(self._raw(self._where["starts"]))
        fids: set = set()
        for needle in needles:
            wanted = needle.encode("utf-8", "surrogatepass")
            if not wanted or b"\x1f" in wanted:
                continue
            at = data.find(wanted)
            while at != -1:
                fid = bisect_right(starts, at) - 1
                fids.add(fid)
                at = data.find(wanted, starts[fid + 1]) if fid + 1 < len(starts) else -1
        eids: set = set()
        for fid in fids:
            eids.update(self._row("postings", fid))
        if allowed is None:
            total = self._where["count"]
        else:
            spans = self._blob(self._where["spans"])
            ranges = [spans[r] for r in allowed if r in spans]
            total = sum(count for _, count in ranges)
            kept: set = set()
            for start, count in ranges:
                kept.update(range(start, start + count))
            eids &= kept
        out = []
        for eid in sorted(eids):
            rid, topic, position, zh, en = self._row("entries", eid)
            out.append(Entry(rid, topic, position, None,
                             {"zh": [self._field(i) for i in zh], "en": [self._field(i) for i in en]}))
        return out, total

    def item(self, entry):
        return self._region(entry.region_id).topics[entry.topic][entry.position]
