"""Small immutable records for rules, and the Answer a lookup returns.

Every record can turn itself into JSON-ready data with ``to_dict()``; that is the
only place the JSON shape is defined. The records are plain slotted classes rather
than dataclasses: sscard builds them on every run, and dataclass creation alone
costs several milliseconds of start-up.
"""

from __future__ import annotations

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

    __slots__ = ()
    _defaults: dict = {}

    def __init__(self, *args, **kwargs) -> None:
        names = self.__slots__
        values = dict(self._defaults)
        values.update(zip(names, args))
        values.update(kwargs)
        for name in names:
            object.__setattr__(self, name, values[name])

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    __hash__ = None

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"{type(self).__name__}({fields})"

    def __reduce__(self):
        return (type(self), tuple(getattr(self, n) for n in self.__slots__))

    def replace(self, **changes):
        """A copy with some fields changed."""
        values = {n: getattr(self, n) for n in self.__slots__}
        values.update(changes)
        return type(self)(**values)


class Source(Record):
    """One entry of the source registry."""

    __slots__ = ("id", "title", "date", "grade", "seed", "url", "note", "file")
    _defaults = {"seed": "", "url": "", "note": "", "file": ""}

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
            "grade": self.grade,
            "note": self.note or None,
            "file": self.file,
        }


class Bank(Record):
    """One entry of the bank registry."""

    __slots__ = ("id", "name", "aliases", "hotline", "source", "file", "match")
    _defaults = {"aliases": (), "hotline": "", "source": "", "file": "", "match": None}
    # match: how the --bank text was resolved (set by lookup.find_bank)

    def to_dict(self) -> dict:
        out = {
            "id": self.id,
            "name": self.name.to_dict(),
            "aliases": list(self.aliases),
            "hotline": self.hotline or None,
            "source": self.source or None,
        }
        if self.match is not None:
            out["match"] = self.match.to_dict()
        return out


class Item(Record):
    """One sourced fact of a topic."""

    __slots__ = ("topic", "part", "aspect", "text", "source", "where", "bank", "value", "title", "file", "line",
                 "disputed", "derive", "verify")
    _defaults = {"where": "", "bank": "", "value": None, "title": None, "file": "", "line": 0, "disputed": False,
                 "derive": "", "verify": ()}
    # derive: a rule computing the value from the ID number (sscard.idcard.RULES)
    # verify: why this fact should be checked with 12333 or the bank (set by lookup)

    def to_dict(self, sources: dict) -> dict:
        src = sources.get(self.source)
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
            "source": {  # the full entry is in the answer's "sources" list
                "id": self.source,
                "where": self.where or None,
                "date": src.date if src else None,
                "grade": src.grade if src else None,
            },
            "file": f"{self.file}:{self.line}",
        }


class Region(Record):
    """A place in the region tree, with the topics it has rules for."""

    __slots__ = ("id", "level", "name", "parent", "aliases", "banks", "topics", "code", "file")
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
    _defaults = {"score": 100.0, "also": (), "note": ""}
    # how: id (typed as id:ID) | name | traditional | qualified (with a province or city) | former (an old name) | fuzzy
    # note: what to tell the reader (a former name: 'renamed ... in 2010')

    def to_dict(self) -> dict:
        out = {"query": self.query, "how": self.how, "score": round(self.score, 1), "also": list(self.also)}
        if self.note:
            out["note"] = self.note
        return out


class Answer(Record):
    """The answer to one topic question for one region (and maybe one bank)."""

    __slots__ = ("topic", "region", "origin", "items", "sources", "bank", "match", "children", "banks", "elsewhere")
    _defaults = {"bank": None, "match": None, "children": (), "banks": (), "elsewhere": ()}
    # origin: the region whose rules answered (differs from region on fallback)
    # sources: id -> Source for the items shown; children: covered places below region;
    # banks: the banks the sources name (when no --bank was given)
    # elsewhere: (place, item) the sources report for --bank in other places, when this
    #   place's answer is only national guidance: labelled as such, never applied here

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
            "banks": [b.to_dict() for b in self.banks],
            "children": [c.summary() for c in self.children],
            "elsewhere": [{"region": p.summary(), "aspect": i.aspect, "value": i.value.to_dict(),
                           "source": i.source} for p, i in self.elsewhere],
            "items": [i.to_dict(self.sources) for i in self.items],
            "sources": [s.to_dict() for s in self.sources.values()],
        }
