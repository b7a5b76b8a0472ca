"""Small immutable records for rules, and the Answer a lookup returns.

Every record can turn itself into JSON-ready data with ``to_dict()``; that is the
only place the JSON shape is defined. The records are plain slotted classes rather
than dataclasses: sscard builds them on every run, and dataclass creation alone
costs several milliseconds of start-up.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs milliseconds at start-up; type checkers read this as true
if TYPE_CHECKING:
    from typing import Any

LEVELS = ("nation", "province", "city", "district")


class Text(tuple):
    """A text in both languages: Text(zh, en)."""

    __slots__ = ()

    def __new__(cls, zh: str, en: str):
        return tuple.__new__(cls, (zh, en))

    def __getnewargs__(self):
        return tuple(self)

    @property
    def zh(self) -> str:
        return self[0]

    @property
    def en(self) -> str:
        return self[1]

    def get(self, lang: str) -> str:
        return self[0] if lang == "zh" else self[1]

    def to_dict(self) -> dict:
        return {"zh": self[0], "en": self[1]}


class Record:
    """Base for records: keyword construction with defaults, equality, repr, replace()."""

    __slots__: tuple[str, ...] = ()
    _defaults: dict[str, Any] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        names = self.__slots__
        if not kwargs:  # fields in order (the index decodes thousands so): no dictionary in between
            put = object.__setattr__
            for name, value in zip(names, args):
                put(self, name, value)
            for name in names[len(args):]:
                put(self, name, self._defaults[name])
            return
        values: dict[str, Any] = dict(self._defaults)
        values.update(zip(names, args))
        values.update(kwargs)
        for name in names:
            object.__setattr__(self, name, values[name])

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    __hash__ = None  # type: ignore[assignment]  # equal records compare by value; they are not dict keys

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"{type(self).__name__}({fields})"

    def __reduce__(self):
        return (type(self), tuple(getattr(self, n) for n in self.__slots__))

    def replace(self, **changes):
        """A copy with some fields changed."""
        values: dict[str, Any] = {n: getattr(self, n) for n in self.__slots__}
        values.update(changes)
        return type(self)(**values)


class Source(Record):
    """One entry of the source registry.

    date: the date the page or seed shows; content: the date its content dates from,
    when the text or the page says so (a 2023 repost of a 2015 notice), else "".
    """

    __slots__ = ("id", "title", "date", "grade", "seed", "url", "note", "file", "content")
    # the fields, for type checkers (values live in the slots)
    id: str
    title: str
    date: str
    grade: str
    seed: str
    url: str
    note: str
    file: str
    content: str
    _defaults = {"seed": "", "url": "", "note": "", "file": "", "content": ""}

    @property
    def address(self) -> str:
        return self.url or f"seed {self.seed}"

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "address": self.url or None,
            "seed": self.seed or None,
            "date": self.date,
            "content_date": self.content or None,
            "grade": self.grade,
            "note": self.note or None,
            "file": self.file,
            "local": self.local,
        }

    @property
    def local(self) -> bool:
        """Registered (or re-graded) by a local rule layer, not the bundled rules."""
        from sscard.locate import is_local

        return is_local(self.file)


class Bank(Record):
    """One entry of the bank registry."""

    __slots__ = ("id", "name", "aliases", "hotline", "source", "file", "match")
    # the fields, for type checkers (values live in the slots)
    id: str
    name: Text
    aliases: tuple
    hotline: str
    source: str
    file: str
    match: Any
    _defaults = {"aliases": (), "hotline": "", "source": "", "file": "", "match": None}
    # match: how the --bank text was resolved (set by lookup.find_bank)

    @property
    def local(self) -> bool:
        """Written (or overridden) by a local rule layer, not the bundled rules."""
        from sscard.locate import is_local

        return is_local(self.file)

    def to_dict(self) -> dict:
        out = {
            "id": self.id,
            "name": self.name.to_dict(),
            "aliases": list(self.aliases),
            "hotline": self.hotline or None,
            "source": self.source or None,
            "local": self.local,
        }
        if self.match is not None:
            out["match"] = self.match.to_dict()
        return out


class Citation(Record):
    """Where one source states a fact: the source id, the place in it, and (optionally) the
    date that passage's content dates from, when it differs from the source's own."""

    __slots__ = ("source", "where", "content")
    # the fields, for type checkers (values live in the slots)
    source: str
    where: str
    content: str
    _defaults = {"where": "", "content": ""}

    def date(self, sources: dict) -> str:
        """The date this citation's content is from: its own, the source's content date, or the page's."""
        src = sources.get(self.source)
        return self.content or (src.content or src.date if src else "undated")

    def to_dict(self, sources: dict) -> dict:
        src = sources.get(self.source)
        return {
            "source": self.source,
            "where": self.where or None,
            "date": src.date if src else None,
            "content_date": (self.content or src.content or None) if src else (self.content or None),
            "grade": src.grade if src else None,
        }


class Item(Record):
    """One fact of a topic: a subject (part, aspect, bank, scope, title), a value, its text,
    and the citations of every source that states it."""

    __slots__ = ("topic", "part", "aspect", "text", "citations", "bank", "value", "title", "scope", "file", "line",
                 "disputed", "derive", "verify")
    # the fields, for type checkers (values live in the slots)
    topic: str
    part: str
    aspect: str
    text: Text
    citations: tuple
    bank: str
    value: Text | None
    title: Text | None
    scope: Text | None
    file: str
    line: int
    disputed: bool
    derive: str
    verify: tuple
    _defaults = {"bank": "", "value": None, "title": None, "scope": None, "file": "", "line": 0, "disputed": False,
                 "derive": "", "verify": ()}
    # scope: whom the fact applies to when that is fewer people than the place (Text), else None
    # derive: a rule computing the value from the ID number (sscard.idcard.RULES)
    # verify: why this fact should be checked with 12333 or the bank (set by lookup)

    @property
    def source(self) -> str:
        """The first citation's source id (older callers and JSON `items`)."""
        return self.citations[0].source

    @property
    def where(self) -> str:
        return self.citations[0].where

    @property
    def subject(self) -> tuple:
        """What the fact is about: two facts with one subject and different values are a dispute."""
        return (self.part, self.bank, self.aspect, self.scope, self.title)

    def source_ids(self) -> list:
        return list(dict.fromkeys(c.source for c in self.citations))

    def _shared(self) -> dict:
        """The keys `items` and `facts` have in common, in their order."""
        return {
            "part": self.part,
            "aspect": self.aspect,
            "bank": self.bank or None,
            "value": self.value.to_dict() if self.value else None,
            "title": self.title.to_dict() if self.title else None,
            "text": self.text.to_dict(),
            "disputed": self.disputed,
            "derive": self.derive or None,
            "verify": {"needed": bool(self.verify), "reasons": list(self.verify)},
            "file": f"{self.file}:{self.line}",
        }

    def to_dict(self, sources: dict) -> dict:
        """The compatible `items` shape: one source (the first citation)."""
        src = sources.get(self.source)
        out = self._shared()
        out["source"] = {  # the full entry is in the answer's "sources" list
            "id": self.source,
            "where": self.where or None,
            "date": src.date if src else None,
            "grade": src.grade if src else None,
        }
        out["file"] = out.pop("file")  # "file" stays last, as before
        return out

    def fact_dict(self, sources: dict) -> dict:
        """The `facts` shape: the fact with all its citations and its scope."""
        out = self._shared()
        out["scope"] = self.scope.to_dict() if self.scope else None
        out["citations"] = [c.to_dict(sources) for c in self.citations]
        out["file"] = out.pop("file")
        return out


class Region(Record):
    """A place in the region tree, with the topics it has rules for."""

    __slots__ = ("id", "level", "name", "parent", "aliases", "banks", "topics", "code", "file")
    # the fields, for type checkers (values live in the slots)
    id: str
    level: str
    name: Text
    parent: str
    aliases: tuple
    banks: tuple
    topics: dict
    code: str
    file: str
    _defaults = {"parent": "", "aliases": (), "banks": (), "topics": None, "code": "", "file": ""}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.topics is None:
            object.__setattr__(self, "topics", {})

    def label(self, lang: str) -> str:
        """'宁波市 (Ningbo)' style label, the reader's language first."""
        first, second = (self.name.zh, self.name.en) if lang == "zh" else (self.name.en, self.name.zh)
        return f"{first} ({second})" if first != second else first

    def summary(self) -> dict:
        return {
            "id": self.id,
            "level": self.level,
            "name": self.name.to_dict(),
            "parent": self.parent or None,
        }


class Match(Record):
    """How a typed name was resolved."""

    __slots__ = ("query", "id", "how", "score", "also", "note")
    # the fields, for type checkers (values live in the slots)
    query: str
    id: str
    how: str
    score: float
    also: tuple
    note: Any
    _defaults = {"score": 100.0, "also": (), "note": ""}
    # how: id (typed as id:ID) | name | traditional | qualified (with a province or city) | former (an old name) | fuzzy
    # note: what to tell the reader (a former name: 'renamed ... in 2010')

    def to_dict(self) -> dict:
        out = {"query": self.query, "how": self.how, "score": round(self.score, 1), "also": list(self.also)}
        if self.note:
            out["note"] = self.note
        return out


class KeyFact(Record):
    """A value to see first: a fact's value, a bank's hotline, what no source states, or a count.

    kind: fact (from `fact`), hotline (a bank's, from the registry), unstated (no source states
    the asked bank's rule here; the bank's hotline when the registry has one), census (what
    covered places state, counted: never this place's rule).
    """

    __slots__ = ("kind", "part", "aspect", "bank", "fact", "hotline", "census")
    # the fields, for type checkers (values live in the slots)
    kind: str
    part: str
    aspect: str
    bank: Any
    fact: Any
    hotline: str
    census: Any
    _defaults = {"bank": None, "fact": None, "hotline": "", "census": None}
    # bank: a Bank record or None; census: (stating, ((Text value, places), ...))

    @property
    def value(self):
        return self.fact.value if self.fact is not None else None

    def to_dict(self) -> dict:
        fact = self.fact
        out = {
            "kind": self.kind,
            "part": self.part,
            "aspect": self.aspect,
            "bank": self.bank.id if self.bank else None,
            "value": fact.value.to_dict() if fact is not None else None,
            "scope": fact.scope.to_dict() if fact is not None and fact.scope else None,
            "disputed": fact.disputed if fact is not None else False,
            "sources": fact.source_ids() if fact is not None else [],
            "hotline": self.hotline or None,
        }
        if self.census is not None:
            stating, values = self.census
            out["census"] = {"places_stating": stating,
                             "values": [{"value": v.to_dict(), "places": n} for v, n in values]}
        return out


class Answer(Record):
    """The answer to one topic question for one region (and maybe one bank)."""

    __slots__ = ("topic", "region", "origin", "items", "sources", "bank", "match", "children", "banks", "elsewhere",
                 "key_facts", "bank_stated", "item_banks")
    # the fields, for type checkers (values live in the slots)
    topic: str
    region: Region
    origin: Region
    items: tuple
    sources: dict
    bank: Bank | None
    match: Match | None
    children: tuple
    banks: tuple
    elsewhere: tuple
    key_facts: tuple
    bank_stated: bool
    item_banks: tuple
    _defaults = {"bank": None, "match": None, "children": (), "banks": (), "elsewhere": (), "key_facts": (),
                 "bank_stated": True, "item_banks": ()}
    # origin: the region whose rules answered (differs from region on fallback)
    # sources: id -> Source for the items shown; children: covered places below region;
    # banks: the banks the sources name for this place
    # elsewhere: (place, item) the sources report for --bank in other places, when this
    #   place's answer is only national guidance: labelled as such, never applied here
    # key_facts: KeyFact rows, shown first; bank_stated: False when --bank names a bank
    #   no source for this place speaks of (the answer then holds the bank-neutral facts)
    # item_banks: every bank the items name (for labels), whether or not the place's sources name it

    @property
    def fallback(self) -> bool:
        return self.origin.id != self.region.id

    def to_dict(self) -> dict:
        return {
            "schema": 1,
            "topic": self.topic,
            "region": self.region.summary(),
            "origin": {**self.origin.summary(), "general_guidance": self.origin.level == "nation"},
            "fallback": self.fallback,
            "match": self.match.to_dict() if self.match else None,
            "bank": self.bank.to_dict() if self.bank else None,
            "bank_stated": self.bank_stated if self.bank else None,
            "banks": [b.to_dict() for b in self.banks],
            "children": [c.summary() for c in self.children],
            "elsewhere": [{"region": p.summary(), "aspect": i.aspect, "value": i.value.to_dict(),
                           "source": i.source} for p, i in self.elsewhere],
            "key_facts": [k.to_dict() for k in self.key_facts],
            "facts": [i.fact_dict(self.sources) for i in self.items],
            "items": [i.to_dict(self.sources) for i in self.items],
            "sources": [s.to_dict() for s in self.sources.values()],
        }
