"""Place and bank names to complete, and the table of them the rules index keeps for Tab.

NameTable matches a typed word against [[id, zh, en, aliases]] rows. A Tab press in bash,
zsh or fish is a process of its own, so it should not normalize some 7,000 names to offer
one: the index (sscard.index) keeps every name already normalized, filed by the first
character of its key (table_data), and StoredNames reads only the file of the typed word's
first character. Any match shares that character (a key or its suffix-free stem starts
with the typed word or its stem), so the answer is the one NameTable would give.
"""

from __future__ import annotations

import zlib

from sscard.names import normalize, strip_suffix

BUCKETS = 128


def bucket(first: str) -> int:
    """Which file of the stored table holds names whose key starts with this character."""
    return zlib.crc32(first.encode("utf-8", "surrogatepass")) % BUCKETS


def plain_word(text: str) -> bool:
    """True when text can go on a command line as it is (no quoting)."""
    return bool(text) and not any(ch.isspace() or ch in "'\"\\$`;&|<>(){}*?#!~" for ch in text)


class NameTable:
    """Regions or banks to complete: [[id, zh, en, aliases]] rows.

    keep=True works every name's keys out once, for a session that completes many times
    (`sscard shell`); keep=False reads the rows afresh for one completion, working out a
    name's suffix-free form only when the typed word has a suffix of its own.
    """

    def __init__(self, entries, keep: bool = True) -> None:
        self.entries = entries
        self.rows = None
        if keep:
            self.rows = []
            for ident, zh, en, aliases in entries:
                names = []
                for name in (ident, zh, en, *aliases):
                    key = normalize(name or "")
                    if key:
                        names.append((name if plain_word(name) else ident, key, strip_suffix(key)))
                self.rows.append((f"{zh} / {en}", names))

    def complete(self, word: str) -> list:
        """(value, "zh / en") for each entry with a name starting with word.

        Case, width, spaces and tone marks are ignored, and a Chinese name matches with or
        without its suffix. The value is the first matching name (id, zh, en, aliases),
        or the id when that name would need quoting.
        """
        typed = normalize(word)
        typed_stem = strip_suffix(typed)
        out, seen = [], set()
        if self.rows is None:
            return self._scan(typed, typed_stem)
        for meta, names in self.rows:
            for value, key, stem in names:
                if key.startswith(typed) or (typed_stem != typed and stem == typed_stem):
                    if value not in seen:
                        seen.add(value)
                        out.append((value, meta))
                    break
        return out

    def _scan(self, typed: str, typed_stem: str) -> list:
        out, seen = [], set()
        stems = typed_stem != typed
        latin, latin_stem = typed.isascii(), typed_stem.isascii()
        for ident, zh, en, aliases in self.entries:
            for name in (ident, zh, en, *aliases):
                if typed and name and (("\u4e00" <= name[0] <= "\u9fff") if latin else
                                       (name.isascii() and not latin_stem)):
                    # its key starts with a Han character, or is ASCII where neither the typed word
                    # nor its stem is (ningbo市 still finds ningbo): it cannot match (skips normalize)
                    continue
                key = normalize(name or "")
                if key and (key.startswith(typed) or (stems and strip_suffix(key) == typed_stem)):
                    value = name if plain_word(name) else ident
                    if value not in seen:
                        seen.add(value)
                        out.append((value, f"{zh} / {en}"))
                    break
        return out


def table_data(entries) -> list:
    """The stored table of [[id, zh, en, aliases]] rows: per bucket, in the rows' order, each row
    with a name whose key starts there as ("zh / en", ((value, key, stem, name is ASCII), ...)),
    its names in NameTable's order."""
    tables: list = [[] for _ in range(BUCKETS)]
    for ident, zh, en, aliases in entries:
        filed: dict = {}
        for name in (ident, zh, en, *aliases):
            key = normalize(name or "")
            if key:
                filed.setdefault(bucket(key[0]), []).append(
                    (name if plain_word(name) else ident, key, strip_suffix(key), name.isascii()))
        for number, names in filed.items():
            tables[number].append((f"{zh} / {en}", tuple(names)))
    return tables


class StoredNames:
    """One kind of name from the index's stored table, for one Tab press.

    read(bucket) gives a bucket's rows, or None (no table, a damaged index); whole() gives a
    NameTable of every row, used then and for an empty word (every name matches it).
    """

    def __init__(self, read, whole) -> None:
        self._read = read
        self._whole = whole

    def complete(self, word: str) -> list:
        """What NameTable(rows, keep=False).complete(word) gives, from one bucket."""
        typed = normalize(word)
        rows = self._read(bucket(typed[0])) if typed else None
        if not isinstance(rows, list):
            return self._whole().complete(word)
        typed_stem = strip_suffix(typed)
        stems = typed_stem != typed
        latin_stem = typed_stem.isascii()
        out, seen = [], set()
        for meta, names in rows:
            for value, key, stem, ascii_name in names:
                if ascii_name and not latin_stem:
                    continue  # as NameTable skips it: an ASCII name cannot match 宁波 or 宁波市
                if key.startswith(typed) or (stems and stem == typed_stem):
                    if value not in seen:
                        seen.add(value)
                        out.append((value, meta))
                    break
        return out
