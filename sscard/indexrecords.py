"""Plain-data forms of the records, for marshal: what the index (sscard.indexwrite) writes and
sscard.index reads back, one record at a time."""

from __future__ import annotations

import os

from sscard.model import Bank, Citation, Item, Region, Source, Text


def relocation(moved):
    """The header's "relocate" [from, to]: rule files indexed under one folder and read from another
    (the index shipped in the wheel, built before the files were installed). Else the identity."""
    if not (isinstance(moved, (list, tuple)) and len(moved) == 2 and all(isinstance(p, str) and p for p in moved)):
        return str
    old, new = moved[0].rstrip(os.sep) + os.sep, moved[1].rstrip(os.sep) + os.sep
    return str if old == new else (lambda text: text.replace(old, new) if old in text else text)


def item_data(i: Item) -> tuple:
    return (i.topic, i.part, i.aspect, tuple(i.text), tuple((c.source, c.where, c.content) for c in i.citations), i.bank,
            tuple(i.value) if i.value else None, tuple(i.title) if i.title else None,
            tuple(i.scope) if i.scope else None, i.file, i.line, i.disputed, i.derive)


def optional_text(pair):
    return Text(*pair) if pair else None


def item_from(d, fix=str) -> Item:
    topic, part, aspect, text, citations, bank, value, title, scope, file, line, disputed, derive = d
    return Item(topic, part, aspect, Text(*text), tuple(Citation(*c) for c in citations), bank, optional_text(value),
                optional_text(title), optional_text(scope), fix(file), line, disputed, derive)


def region_data(r: Region, covered_where, sources: dict) -> tuple:
    cited = {c.source for items in r.topics.values() for i in items for c in i.citations}
    return (r.id, r.level, tuple(r.name), r.parent, tuple(r.aliases), tuple(r.banks), r.code, r.file,
            {t: [item_data(i) for i in items] for t, items in r.topics.items()},
            covered_where,
            [source_data(sources[s]) for s in sorted(cited) if s in sources])


def region_from(d, fix=str) -> Region:
    rid, level, name, parent, aliases, banks, code, file, topics, covered, _sources = d
    return Region(rid, level, Text(*name), parent, aliases, banks,
                  {t: tuple(item_from(i, fix) for i in items) for t, items in topics.items()}, code, fix(file))


def source_from(d, fix=str) -> Source:
    sid, title, date, grade, seed, url, note, file, content = d
    return Source(sid, title, date, grade, seed, url, note, fix(file), content)


def source_data(s: Source) -> tuple:
    return (s.id, s.title, s.date, s.grade, s.seed, s.url, s.note, s.file, s.content)


def bank_data(b: Bank) -> tuple:
    return (b.id, tuple(b.name), tuple(b.aliases), b.hotline, b.source, b.file)


def bank_from(d, fix=str) -> Bank:
    bid, name, aliases, hotline, source, file = d
    return Bank(bid, Text(*name), aliases, hotline, source, fix(file))
