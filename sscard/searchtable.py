"""The search table: every item's searchable fields, folded, and what queries consult
(the rules' words, stems and Chinese characters; the names of every region and bank).

Built from region records (SearchTable), or, for the on-disk index, once at build time
(sscard.searchwrite) and read back lazily (sscard.searchstore.StoredTable), so that a search
reads only the fields and entries its words occur in. Both answer the same questions.
"""

from __future__ import annotations

TYPE_CHECKING = False  # as in sscard.model: no typing import at start-up
if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Sequence

from sscard import searchfold as f
from sscard.names import exact_keys, normalize, strip_suffix
from sscard.topics import ASPECTS, PARTS, TOPICS, part_label

TOPIC_RANK = {name: rank for rank, name in enumerate(TOPICS)}


class Field:
    __slots__ = ("kind", "lang", "orig", "fold", "compact", "_words")

    def __init__(self, kind: str, lang: str, orig: str) -> None:
        self.kind = kind
        self.lang = lang
        self.orig = orig
        self.fold = f.fold(orig)
        self.compact = f.compact(self.fold)
        self._words: frozenset | None = None

    @property
    def words(self) -> frozenset:
        """The field's words (Latin letters), split when first asked: a Chinese query never needs them
        (and so never compiles the pattern that splits them)."""
        if self._words is None:
            self._words = frozenset(f.words(self.fold))
        return self._words

    def locate(self, compact: str):
        """(start, end, whole_word) of compact in this field, or None.

        A number must not continue a longer number (the pattern sees to that); a
        query of under three letters must be a whole word.
        """
        if compact not in self.compact:
            return None
        partial = None
        fold = self.fold
        for m in f.pattern(compact).finditer(fold):
            start, end = m.span()
            cut = (f.is_alnum(compact[0]) and start > 0 and f.is_alnum(fold[start - 1])) or (
                f.is_alnum(compact[-1]) and end < len(fold) and f.is_alnum(fold[end]))
            if not cut:
                return start, end, True
            if partial is None:
                partial = (start, end, False)
        if partial is not None and len(compact) < 3 and f.is_letter(compact[0]):
            return None
        return partial


class Entry:
    __slots__ = ("region_id", "topic", "topic_rank", "position", "item", "fields", "docs", "_words", "count")

    def __init__(self, region_id, topic, position, item, fields: dict) -> None:
        self.count = 1  # the entries this one stands for (the stored table scores alike entries once)
        self.region_id = region_id
        self.topic = topic
        self.topic_rank = TOPIC_RANK.get(topic, len(TOPIC_RANK))
        self.position = position
        self.item = item  # None when read from the index: see item()
        self.fields = fields  # lang -> [Field]
        self.docs = {lang: "\x1f".join(f.compact for f in fs) for lang, fs in fields.items()}
        self._words: dict[str, frozenset] | None = None

    def words(self, lang: str) -> frozenset:
        if self._words is None:
            self._words = {lang: frozenset().union(*(f.words for f in fs)) for lang, fs in self.fields.items()}
        return self._words[lang]


class Vocabulary:
    """What queries consult besides the entries: words, stems, characters and names."""

    _vocab: tuple[frozenset, list] | None  # (the words, sorted)
    _stems: dict[str, list] | None
    _chars: set | None

    def _words(self) -> Collection[str]:  # read twice: not a one-pass iterator
        raise NotImplementedError

    def _owners_of(self, key: str) -> Iterable[int]:
        """The owners (by number) one of whose names normalizes to key."""
        raise NotImplementedError

    def _owner(self, i: int) -> Sequence[str]:
        """Owner i: its id, then its names."""
        raise NotImplementedError

    def vocab(self) -> frozenset:
        """Every word (Latin letters) of the rules."""
        return self._vocabulary()[0]

    def vocab_list(self) -> list:
        return self._vocabulary()[1]

    def _vocabulary(self) -> tuple[frozenset, list]:
        if self._vocab is None:
            words = self._words()
            self._vocab = (frozenset(words), sorted(words))
        return self._vocab

    def stems(self) -> dict:
        if self._stems is None:
            self._stems = {}
            for word in self.vocab_list():
                self._stems.setdefault(f.stem(word), []).append(word)
        return self._stems

    def alternatives(self, text: str) -> list:
        """The compact names of the regions and banks that text names exactly (as names.exact_keys)."""
        found = sorted({i for key in exact_keys(text) for i in self._owners_of(key)})
        out = []
        for i in found:
            for name in self._owner(i):
                compact = f.compact(f.fold(name))
                for alt in (compact, strip_suffix(compact)):
                    if alt not in out and long_enough(alt):
                        out.append(alt)
        return out


class SearchTable(Vocabulary):
    """The table built from region records (and the bank registry) in memory."""

    def __init__(self, regions: list, banks) -> None:
        self.key = (regions, banks)
        self.entries = []
        self.owners = []  # names of every region and bank, for queries that name one
        self._names: dict[str, list[int]] | None = None
        self._vocab = self._stems = self._chars = None
        shared: dict = {}

        def field(kind, lang, text):
            got = shared.get((kind, lang, text))
            if got is None:
                got = shared[(kind, lang, text)] = Field(kind, lang, text)
            return got

        def split(names):
            return {"zh": [n for n in names if n and f.has_cjk(n)],
                    "en": [n for n in names if n and not f.has_cjk(n)]}

        bank_fields = {}
        for bank in (banks or {}).values():
            names = (bank.name.zh, bank.name.en, *bank.aliases)
            self.owners.append((bank.id, *names))
            by_lang = split(names)
            by_lang["en"].append(bank.id)
            bank_fields[bank.id] = {
                lang: [field("bank", lang, n) for n in [*by_lang[lang], bank.hotline] if n] for lang in ("zh", "en")
            }
        for region in regions:
            names = (region.name.zh, region.name.en, *region.aliases)
            self.owners.append((region.id, *names))
            if not region.topics:
                continue
            by_lang = split(names)
            by_lang["en"].append(region.id)
            own = {lang: [field("region", lang, n) for n in by_lang[lang]] for lang in ("zh", "en")}
            for topic, items in region.topics.items():
                title = TOPICS[topic].title if topic in TOPICS else None
                for position, item in enumerate(items):
                    fields = {}
                    for lang in ("zh", "en"):
                        got = [field(kind, lang, t.get(lang)) for kind, t in
                               (("value", item.value), ("title", item.title), ("text", item.text)) if t]
                        labels = (ASPECTS.get(item.aspect), title,
                                  part_label(topic, item.part) if item.part in PARTS else None)
                        got.extend(field("label", lang, t.get(lang)) for t in labels if t)
                        if item.bank:
                            got.extend(bank_fields.get(item.bank, {}).get(lang) or [field("bank", lang, item.bank)])
                        got.extend(own[lang])
                        fields[lang] = got
                    self.entries.append(Entry(region.id, topic, position, item, fields))
        self.fields = list(shared.values())

    def _words(self):
        return frozenset().union(*(fd.words for fd in self.fields))

    def chars(self) -> set:
        """Every Chinese character the rules and the names use."""
        if self._chars is None:
            self._chars = set(f.cjk_chars("".join(fd.compact for fd in self.fields if fd.lang == "zh")))
            self._chars.update(f.cjk_chars("".join(n for owner in self.owners for n in owner)))
        return self._chars

    def _owners_of(self, key: str):
        """The owners with a name that is key, or is key and a suffix (a dict, built on first use:
        a search asks for a few keys, and a scan of every name for each was most of an in-memory search)."""
        if self._names is None:
            self._names = {}
            for i, owner in enumerate(self.owners):
                for n in owner:
                    name = normalize(n)
                    for k in dict.fromkeys((name, strip_suffix(name))):
                        self._names.setdefault(k, []).append(i)
        return self._names.get(key, ())

    def _owner(self, i: int):
        return self.owners[i]

    def candidates(self, needles, allowed) -> tuple:
        """(entries that may match, how many entries there are to search) for these regions."""
        found = [e for e in self.entries if allowed is None or e.region_id in allowed]
        return found, len(found)

    @staticmethod
    def item(entry):
        return entry.item

    @staticmethod
    def best(found: list, limit: int) -> list:
        """(score, entry, match) of the hits, best first, ties by region id, topic order and position."""
        found.sort(key=lambda f: (-f[0], f[1].region_id, f[1].topic_rank, f[1].position))
        return found[:limit] if limit else found


def long_enough(compact: str) -> bool:
    """Alternative phrases must be specific: two Chinese characters, or three letters."""
    if not compact:
        return False
    return len(compact) >= 2 if f.has_cjk(compact) else len(compact) >= 3


_CACHE: list = []


def table(regions: list, banks) -> SearchTable:
    """The table for these region records, reused while the same records are searched."""
    if _CACHE:
        cached = _CACHE[0]
        old_regions, old_banks = cached.key
        if old_banks is banks and len(old_regions) == len(regions) and all(
                a is b for a, b in zip(old_regions, regions)):
            return cached
    fresh = SearchTable(regions, banks)
    _CACHE[:] = [fresh]
    return fresh
