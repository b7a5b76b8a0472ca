"""Small immutable records for rules, and the Answer a lookup returns.

Every record can turn itself into JSON-ready data with ``to_dict()``; that is the
only place the JSON shape is defined.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple, Optional

LANGS = ("zh", "en")
LEVELS = ("nation", "province", "city", "district")


class Text(NamedTuple):
    """A text in both languages."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def to_dict(self) -> dict:
        return {"zh": self.zh, "en": self.en}


@dataclass(frozen=True)
class Source:
    """One entry of the source registry."""

    id: str
    title: str
    date: str  # as the source shows it: YYYY[-MM[-DD]] or "undated"
    grade: str
    seed: str = ""
    url: str = ""
    note: str = ""
    file: str = ""

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


@dataclass(frozen=True)
class Bank:
    """One entry of the bank registry."""

    id: str
    name: Text
    aliases: tuple = ()
    hotline: str = ""
    source: str = ""
    file: str = ""

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name.to_dict(),
            "aliases": list(self.aliases),
            "hotline": self.hotline or None,
            "source": self.source or None,
        }


@dataclass(frozen=True)
class Item:
    """One sourced fact of a topic."""

    topic: str
    part: str
    aspect: str
    text: Text
    source: str
    where: str = ""
    bank: str = ""
    value: Optional[Text] = None
    title: Optional[Text] = None
    file: str = ""
    line: int = 0
    disputed: bool = False

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
            "source": {
                **(src.to_dict() if src else {"id": self.source}),
                "where": self.where or None,
            },
            "file": f"{self.file}:{self.line}",
        }


@dataclass(frozen=True)
class Region:
    """A place in the region tree, with the topics it has rules for."""

    id: str
    level: str
    name: Text
    parent: str = ""
    aliases: tuple = ()
    banks: tuple = ()  # every bank its sources name, own items included
    topics: dict = field(default_factory=dict, compare=False)  # topic -> tuple[Item]
    code: str = ""
    file: str = ""

    def label(self, lang: str) -> str:
        """'宁波市 Ningbo' style label in the reader's language first."""
        first, second = (self.name.zh, self.name.en) if lang == "zh" else (self.name.en, self.name.zh)
        return f"{first} ({second})" if first != second else first

    def summary(self) -> dict:
        return {
            "id": self.id,
            "level": self.level,
            "name": self.name.to_dict(),
            "parent": self.parent or None,
        }


@dataclass(frozen=True)
class Match:
    """How a typed name was resolved."""

    query: str
    id: str
    how: str  # name | traditional | fuzzy
    score: float = 100.0
    also: tuple = ()  # other ids the same name fits, when an exact id decided

    def to_dict(self) -> dict:
        return {"query": self.query, "how": self.how, "score": round(self.score, 1), "also": list(self.also)}


@dataclass(frozen=True)
class Answer:
    """The answer to one topic question for one region (and maybe one bank)."""

    topic: str
    region: Region
    origin: Region  # the region whose rules answered (differs on fallback)
    items: tuple
    sources: dict  # id -> Source, for the items shown
    bank: Optional[Bank] = None
    match: Optional[Match] = None
    children: tuple = ()  # covered places below `region` that have rules of their own
    banks: tuple = ()  # banks the origin's sources name (when no --bank was given)

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
            "items": [i.to_dict(self.sources) for i in self.items],
            "sources": [s.to_dict() for s in self.sources.values()],
        }
