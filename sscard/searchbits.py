"""Sets of entry numbers as the bits of an int (sscard.searchstore's fields held by many entries).

Stored as zlib-compressed bitmaps, read with int.from_bytes, intersected and split with
big-integer operations (a few per field, not one step per entry), and listed only for
the members a search shows.
"""

from __future__ import annotations

import re
import zlib


def bitmaps(where: list, shift: int, count: int, put_raw) -> dict:
    """Places (entry number * shift + place) as {place: where the bitmap of its entries is}."""
    by_place: dict = {}
    for code in where:
        eid, pos = divmod(code, shift)
        bits = by_place.get(pos)
        if bits is None:
            bits = by_place[pos] = bytearray((count + 7) // 8)
        bits[eid >> 3] |= 1 << (eid & 7)
    return {pos: put_raw(zlib.compress(bytes(bits), 6)) for pos, bits in sorted(by_place.items())}


_SET = re.compile(rb"[^\x00]")


def members(bits: int, limit: int | None = None) -> list:
    """The numbers of the set bits of bits, lowest first (at most limit of them)."""
    raw = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    out: list = []
    for m in _SET.finditer(raw):
        at = m.start()
        byte = raw[at]
        while byte:
            low = byte & -byte
            out.append(at * 8 + low.bit_length() - 1)
            byte ^= low
        if limit is not None and len(out) >= limit:
            return out[:limit]
    return out


def range_bits(ranges: list, count: int) -> int:
    """The entries of these (first, past last) ranges as the bits of an int."""
    bits = bytearray((count + 7) // 8)
    for start, end in ranges:
        eid = start
        while eid < end and eid & 7:
            bits[eid >> 3] |= 1 << (eid & 7)
            eid += 1
        full = (end - eid) >> 3
        bits[eid >> 3:(eid >> 3) + full] = b"\xff" * full
        eid += full * 8
        while eid < end:
            bits[eid >> 3] |= 1 << (eid & 7)
            eid += 1
    return int.from_bytes(bits, "little")


def atoms(common: list) -> list:
    """(keys, entries) of the entries holding exactly these keys, for every such set of keys:
    the bitmaps of common ((key, entries) pairs) split into the pieces none of them cuts."""
    every = 0
    for _, bits in common:
        every |= bits
    if not every:
        return []
    pieces: list = [([], every)]
    for key, bits in common:
        if not bits:
            continue
        split = []
        for keys, piece in pieces:
            inside = piece & bits
            if not inside:
                split.append((keys, piece))
                continue
            split.append(([*keys, key], inside))
            if inside != piece:
                split.append((keys, piece ^ inside))
        pieces = split
    return pieces
