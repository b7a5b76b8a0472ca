"""The search table kept in the on-disk index, read one piece at a time.

At build time (sscard.searchwrite) every distinct field is stored once, its text and compact
form, in zlib blocks of BLOCK fields, with where it occurs: for each entry (item) holding it, the
entry's number times SHIFT plus the field's place among the entry's fields. Entries are
numbered in the order search breaks ties (region id, topic order, position). An inverted
index maps every pair of consecutive compact characters to the blocks whose fields hold it,
so a search reads only the blocks that can hold its words, then the places of the fields
that do. Entries whose matching fields are the same score the same, so they are scored
once, as one group, and only the hits shown are read: a search costs about what its hits
and its words' fields do, whatever the number of regions.

A field held by many entries (an aspect's label, a bank's name: thousands at 30,000 regions)
keeps its places as one bitmap of entry numbers per place among the entries' fields, so the
entries holding only such fields are grouped with a few big-integer operations (the
intersections of the bitmaps) instead of one step per entry; only the members of the hits
shown are ever listed.

The ranking is sscard.search's: an entry's score depends only on the fields some needle
occurs in (the others contribute nothing), and an entry no needle occurs in counts only in
how many entries there are.
"""

from __future__ import annotations

import marshal
import zlib
from itertools import groupby

from sscard import searchbits as sb
from sscard.searchtable import Entry, Field, Vocabulary

BLOCK = 128  # fields per stored block
ROWS = 4096  # owners or region ids per stored piece
BUCKETS = 64  # buckets of owner names
GRAM_BUCKETS = 256


def _bucket(key: str, buckets: int = BUCKETS) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % buckets


def _grams(compact: str) -> set:
    return {compact[i:i + 2] for i in range(len(compact) - 1)}


def _unpacked(raw: bytes):
    try:
        return marshal.loads(zlib.decompress(raw))
    except zlib.error:
        raise ValueError("damaged index: a block that does not inflate") from None


def _ordered(entries) -> list:
    """Entries in the order search breaks ties in (a stable sort: two unknown topics keep theirs)."""
    return sorted(entries, key=lambda e: (e.region_id, e.topic_rank, e.position))


class _Group(Entry):
    """Entries whose matching fields are the same (so are their scores): one of them stands for all."""

    __slots__ = ("members", "bits")
    members: list  # its entries' numbers, in order (or [] when bits holds them)
    bits: int  # its entries as the bits of an int (0 when members lists them)

    def first(self, want: int | None) -> list:
        """The numbers of its first want entries (None: all), in order."""
        if self.bits:
            return sb.members(self.bits, want)
        return self.members if want is None else self.members[:want]


class StoredTable(Vocabulary):
    """The table as sscard.searchwrite.table_data() stored it; blob(where) and raw(where) read the index."""

    def __init__(self, where: dict, blob, raw, region) -> None:
        self._where = where
        self._blob = blob
        self._raw = raw
        self._region = region  # rules.region, for the items of the hits shown
        self._pieces: dict = {}
        self._vocab = self._stems = self._chars = None
        self._starts: memoryview | None = None
        self._items: dict = {}  # region id -> its entries in order, for the hits shown

    def _piece(self, kind: str, n: int):
        got = self._pieces.get((kind, n))
        if got is None:
            got = self._pieces[(kind, n)] = self._blob(self._where[kind][n])
        return got

    def _array(self, where) -> memoryview:
        """A stored array of 8-byte integers, read as such."""
        return _ints(self._raw(where))

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
        return self._piece("owners", i // ROWS)[i % ROWS]

    # --- the fields a query's needles occur in ------------------------------------------

    def _block_starts(self) -> memoryview:
        got = self._pieces.get("starts")
        if got is None:
            got = self._pieces["starts"] = self._array(self._where["blocks"][1])
        return got

    def _block(self, b: int) -> list:
        got = self._pieces.get(("block", b))
        if got is None:
            starts = self._block_starts()
            if not 0 <= b < len(starts) - 1 or not 0 <= starts[b] <= starts[b + 1]:
                raise ValueError("damaged index: a block outside its table")
            raw = self._raw((self._where["blocks"][0] + starts[b], starts[b + 1] - starts[b]))
            got = self._pieces[("block", b)] = _unpacked(raw)
        return got

    def _gram_blocks(self, gram: str) -> int:
        """The blocks holding gram, as the bits of an int."""
        where = self._piece("grams", _bucket(gram, GRAM_BUCKETS)).get(gram)
        if where is None:
            return 0
        kind, offset, length = where
        if kind == 1:
            return int.from_bytes(self._raw((offset, length)), "little")
        return sum(1 << n for n in self._array((offset, length)))

    def _blocks_of(self, needles) -> list:
        count = len(self._block_starts()) - 1
        every = (1 << count) - 1
        found = 0
        for needle in needles:
            if len(needle) < 2:
                found = every  # one character: no pair to look up, every block may hold it
                break
            bits = every
            for gram in _grams(needle):
                bits &= self._gram_blocks(gram)
                if not bits:
                    break
            found |= bits
        out = []
        while found:
            low = found & -found
            out.append(low.bit_length() - 1)
            found ^= low
        return out

    def _bitmap(self, where) -> int:
        """A stored bitmap of entries, as an int."""
        try:
            return int.from_bytes(zlib.decompress(self._raw(where)), "little")
        except zlib.error:
            raise ValueError("damaged index: a bitmap that does not inflate") from None

    def _places(self, where) -> list:
        """Where a field occurs: entry number * shift + its place among the entry's fields."""
        if isinstance(where, list):
            return where
        if isinstance(where, dict):
            shift = self._where["shift"]
            return sorted(eid * shift + pos for pos, at in where.items() for eid in sb.members(self._bitmap(at)))
        try:
            deltas = _ints(zlib.decompress(self._raw(where)))
        except zlib.error:
            raise ValueError("damaged index: places that do not inflate") from None
        total, out = 0, []
        for d in deltas:
            total += d
            out.append(total)
        return out

    def candidates(self, needles, allowed) -> tuple:
        """(groups of entries any needle occurs in, how many entries there are) for the allowed regions."""
        needles = [n for n in needles if n and "\x1f" not in n]
        shift = self._where["shift"]
        ranges = None if allowed is None else self._ranges(allowed)
        found: dict = {}  # entry number -> [(language 0 zh 1 en, place, field number)], in field order
        common: list = []  # ((language, place, field number), bitmap of the entries holding it there)
        fields: dict = {}  # field number -> Field
        for b in self._blocks_of(needles):
            for n, row in enumerate(self._block(b)):
                kind, lang, orig, compact, where = row
                for needle in needles:  # a plain loop: this test runs for every field of every block read
                    if needle in compact:
                        break
                else:
                    continue
                fid = b * BLOCK + n
                fields[fid] = Field(kind, lang, orig)
                order = 0 if lang == "zh" else 1
                if isinstance(where, dict):
                    common.extend(((order, pos, fid), self._bitmap(at)) for pos, at in where.items())
                    continue
                for code in self._places(where):
                    eid = code // shift
                    key = (order, code - eid * shift, fid)
                    got = found.get(eid)
                    if got is None:
                        found[eid] = [key]
                    else:
                        got.append(key)
        if ranges is not None:
            found = {eid: got for eid, got in found.items() if _within(ranges, eid)}
            if common:
                mask = sb.range_bits(ranges, self._where["count"])
                common = [(key, bits & mask) for key, bits in common]
        if found and common:  # the entries listed one by one take the bitmaps' fields they hold too
            listed = sb.range_bits([(eid, eid + 1) for eid in found], self._where["count"])
            rest = []
            for key, bits in common:
                held = bits & listed
                if held:
                    for eid in sb.members(held):
                        found[eid].append(key)
                rest.append((key, bits ^ held))
            common = rest
        groups: dict = {}
        for eid, got in found.items():
            if len(got) > 1:
                got.sort()
            members = groups.get(sig := tuple(got))
            if members is None:
                groups[sig] = [eid]
            else:
                members.append(eid)
        out = [self._group(sig, fields, sorted(members), 0) for sig, members in groups.items()]
        out.extend(self._group(tuple(sorted(sig)), fields, [], bits) for sig, bits in sb.atoms(common))
        total = self._where["count"] if ranges is None else sum(end - start for start, end in ranges)
        return out, total

    @staticmethod
    def _group(sig: tuple, fields: dict, members: list, bits: int) -> _Group:
        group = _Group(None, None, 0, None, {"zh": [fields[x[2]] for x in sig if x[0] == 0],
                                             "en": [fields[x[2]] for x in sig if x[0] == 1]})
        group.members = members
        group.bits = bits
        group.count = bits.bit_count() if bits else len(members)
        return group

    def _spans(self) -> memoryview:
        """The first entry number of each region with entries (in id order), and the count after them."""
        if self._starts is None:
            self._starts = self._array(self._where["span_starts"])
        return self._starts

    def _span_id(self, n: int) -> str:
        return self._piece("span_ids", n // ROWS)[n % ROWS]

    def _ranges(self, allowed) -> list:
        """(first, past last) entry numbers of each allowed region's entries, in order."""
        starts = self._spans()
        out = []
        for n in range(len(starts) - 1):
            if self._span_id(n) in allowed:
                out.append((starts[n], starts[n + 1]))
        return out

    def best(self, found: list, limit: int) -> list:
        """(score, entry, match) of the hits, best first, ties in entry order; only these entries are read."""
        found.sort(key=lambda x: -x[0])
        out: list = []
        for score, same in groupby(found, key=lambda x: x[0]):
            want = None if not limit else limit - len(out)
            if want is not None and want <= 0:
                break
            # each group's members are in order: the first `want` of each hold the first `want` of all
            level = list(same)
            members = sorted((eid, n) for n, (_, group, _) in enumerate(level) for eid in group.first(want))
            out.extend((score, self._entry(eid), level[n][2]) for eid, n in members[:want])
        return out

    def _entry(self, eid: int) -> Entry:
        """Entry number eid: its region, topic and position (from the region's record)."""
        starts = self._spans()
        low, high = 0, len(starts)  # the last start <= eid
        while low < high:
            mid = (low + high) // 2
            if starts[mid] <= eid:
                low = mid + 1
            else:
                high = mid
        n = low - 1
        if not 0 <= n < len(starts) - 1:
            raise ValueError("damaged index: an entry outside its table")
        rid = self._span_id(n)
        items = self._items.get(rid)
        if items is None:
            items = self._items[rid] = _ordered(Entry(rid, topic, position, None, {}) for topic, found
                                                in self._region(rid).topics.items() for position in range(len(found)))
        if len(items) != starts[n + 1] - starts[n]:
            raise ValueError("damaged index: a region's entries are not its items")
        return items[eid - starts[n]]

    def item(self, entry):
        return self._region(entry.region_id).topics[entry.topic][entry.position]


def _ints(raw: bytes) -> memoryview:
    if len(raw) % 8:
        raise ValueError("damaged index: an array of a broken size")
    return memoryview(raw).cast("q")


def _within(ranges: list, eid: int) -> bool:
    return any(start <= eid < end for start, end in ranges)
