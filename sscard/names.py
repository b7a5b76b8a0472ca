"""Resolve what a person typed to a region or bank: exact names, then fuzzy.

Tiers, in order: names, ids and aliases as typed (ignoring case, width, spaces,
tone marks and an administrative suffix); then the same after converting
traditional characters to simplified; then fuzzy scores. A fuzzy answer must win
clearly, or the name is reported as ambiguous.
"""

from __future__ import annotations

from functools import lru_cache

TYPE_CHECKING = False  # as in sscard.model: no typing import at start-up
if TYPE_CHECKING:
    from typing import Literal, Protocol

    from opencc import OpenCC

    class Names(Protocol):
        """What lookups ask of a name index: NameIndex, or the on-disk index's (sscard.index)."""

        def entries(self, key: str) -> list: ...
        def exact(self, text: str) -> list: ...
        def is_id(self, key: str) -> bool: ...
        def choices(self) -> dict: ...
        def near(self, key: str) -> dict | None: ...

from sscard.errors import Ambiguous, NotFound, UsageError
from sscard.i18n import N_, _
from sscard.model import Match
from sscard.safe import quote

MAX_NAME = 200
FUZZY_MIN = 80.0  # below this a fuzzy match only suggests
FUZZY_MARGIN = 8.0  # the best must beat the next candidate by this much
SUGGEST_MIN = 45.0

# Administrative suffixes and the class of place each names. A typed suffix only matches
# places of that class: 朝阳区 never means 朝阳市, "Suzhou City" never 肃州区.
_CLASSES = (
    ("特别行政区", "sar"), ("维吾尔自治区", "region"), ("壮族自治区", "region"), ("回族自治区", "region"),
    ("自治区", "region"), ("自治州", "prefecture"), ("自治县", "county"), ("自治旗", "banner"),
    ("地区", "prefecture"), ("新区", "newarea"), ("林区", "district"), ("特区", "district"),
    ("市", "city"), ("省", "province"), ("区", "district"), ("县", "county"), ("盟", "league"), ("旗", "banner"),
    ("autonomousregion", "region"), ("autonomousprefecture", "prefecture"), ("autonomouscounty", "county"),
    ("municipality", "city"), ("prefecture", "prefecture"), ("province", "province"),
    ("district", "district"), ("newarea", "newarea"), ("county", "county"), ("city", "city"),
    ("banner", "banner"), ("league", "league"),
)
_SUFFIXES = tuple(s for s, _ in _CLASSES)
# the suffixes by their last character, each list in _CLASSES's order: a key is tried only
# against the suffixes it could end in
_BY_LAST: dict = {}
for _suffix, _cls in _CLASSES:
    _BY_LAST.setdefault(_suffix[-1], []).append((_suffix, _cls))
_DROP = r"[\s'’‘`\-_.,·・()（）]+"
_CJK = r"[\u3400-\u9fff\uf900-\ufaff]"
_SEPARATORS = r"[\s,，、/;；]+"


def _re(pattern: str):
    """A pattern compiled on first use (start-up pays only for the ones a run needs)."""
    found = _COMPILED.get(pattern)
    if found is None:
        import re

        found = _COMPILED[pattern] = re.compile(pattern)
    return found


_COMPILED: dict = {}


# Loading the rules folds the same ~17,000 names several times over (the name index, the
# alias and look-alike checks), and a lookup folds a few; both functions are pure, so their
# answers are kept. Bounded: batch and shell fold what people type, which has no end.
_FOLDED = 1 << 16


@lru_cache(maxsize=_FOLDED)
def normalize(text: str) -> str:
    """Fold width, case, tone marks, spaces and punctuation: 'Níng Bō' -> 'ningbo'."""
    if not text.isascii():
        import unicodedata  # a large table: loaded only for non-ASCII input

        text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        decomposed = unicodedata.normalize("NFD", text)
        text = unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))
    folded = text.casefold()
    return folded if folded.isalnum() else _re(_DROP).sub("", folded)  # letters and digits: nothing to drop


@lru_cache(maxsize=_FOLDED)
def split_suffix(key: str) -> tuple:
    """(name, class) of a normalized name: '朝阳区' -> ('朝阳', 'district'); no suffix: (key, '')."""
    for suffix, cls in _BY_LAST.get(key[-1:], ()):
        if key.endswith(suffix) and len(key) > len(suffix):
            rest = key[: -len(suffix)]
            if len(rest) >= 2:
                return rest, cls
    return key, ""


def strip_suffix(key: str) -> str:
    """A normalized name without one administrative suffix, if something is left."""
    return split_suffix(key)[0]


def place_class(name: str) -> str:
    """The class of place a full name says it is ('宁波市' -> 'city'), or ''."""
    return split_suffix(normalize(name))[1]


@lru_cache(maxsize=_FOLDED)
def exact_keys(name: str) -> frozenset:
    """The lookup keys one name answers to (kept, as normalize's are: loading folds each name several times)."""
    key = normalize(name)
    return frozenset(k for k in (key, strip_suffix(key)) if k)


class NameIndex:
    """Normalized names -> entries (id, class, former), for regions or banks.

    class is the kind of place the owner is (from its full Chinese name); former is ''
    for a current name, else 'how|year|old name' (renamed|2010|襄樊市).
    """

    def __init__(self, names) -> None:
        self.keys: dict = {}
        self.ids: set = set()
        self._choices: dict | None = None
        for entry in names:
            ident, name = entry[0], entry[1]
            tag = (ident, entry[2] if len(entry) > 2 else "", entry[3] if len(entry) > 3 else "")
            self.ids.add(ident)
            for key in exact_keys(name):
                owners = self.keys.setdefault(key, [])
                if tag not in owners:
                    owners.append(tag)

    def entries(self, key: str) -> list:
        return self.keys.get(key, [])

    def exact(self, text: str) -> list:
        return current_ids(self, text)

    def is_id(self, key: str) -> bool:
        return key in self.ids

    def choices(self) -> dict:
        """Current names -> ids, for fuzzy matching (a former name is only ever matched exactly).

        Worked out once (the index is not changed after it is built): a batch or shell asks for it on
        every typo, and writing an index asks twice. Callers read it and must not change it."""
        if self._choices is None:
            out = {}
            for key, entries in self.keys.items():
                ids = list(dict.fromkeys(e[0] for e in entries if not e[2]))
                if ids:
                    out[key] = ids
            self._choices = out
        return self._choices

    def near(self, key: str):
        """Names sharing a gram with key, for fuzzy matching; None means 'use choices()'."""
        return None


def region_names(ruleset):
    """(id, name, class, former) for every name of every region (a RuleSet's), former names last."""
    current = set()
    for r in ruleset.regions.values():
        cls = place_class(r.name.zh)
        for name in (r.id, r.name.zh, r.name.en, *r.aliases):
            current.add(normalize(name))
            yield r.id, name, cls, ""
    for rid, former in getattr(ruleset, "former", {}).items():
        for zh, en, year, how in former:
            tag = f"{how}|{year}|{zh}"
            # an old romanization that is a name in use today (崇庆 'chongqing') is left out,
            # unless the old name itself is one in use today (江北区 'jiangbei': both fit)
            shared = normalize(zh) in current
            for name in (zh, en) if en and (shared or normalize(en) not in current) else (zh,):
                yield rid, name, place_class(zh), tag


def matching(index, text: str) -> list:
    """Every entry a typed name fits: all of the name's entries, and, when it ends in a
    suffix, the entries of the name without it that are places of that class."""
    key = normalize(text)
    found = list(index.entries(key))
    base, cls = split_suffix(key)
    if cls:
        found += [e for e in index.entries(base) if e[1] == cls and e not in found]
    return found


def current_ids(index, text: str) -> list:
    return list(dict.fromkeys(e[0] for e in matching(index, text) if not e[2]))


def former_entries(index, text: str, besides=()) -> list:
    """Entries a typed name fits as a former name, of places not in besides."""
    return [e for e in matching(index, text) if e[2] and e[0] not in besides]


def _former_note(entry) -> str:
    how, year, old = entry[2].split("|", 2)
    note = (_("{old} was renamed {{place}} in {year}") if how == "renamed"
            else _("{old} became part of {{place}} in {year}"))
    return note.format(old=old, year=year)


def grams(key: str) -> set:
    """What a fuzzy candidate must share with the typed name: ASCII trigrams, other characters alone."""
    out: set[str] = set()
    run = ""
    for ch in key + "\0":
        if ch.isascii() and ch != "\0":
            run += ch
            continue
        if run:
            out.update(run[i:i + 3] for i in range(max(1, len(run) - 2)))
            run = ""
        if ch != "\0":
            out.add(ch)
    return out


def check_input(text: str, what: str) -> str:
    """Reject input no name could be, quickly and with a safe quotation."""
    if len(text) > MAX_NAME:
        raise UsageError(_("{what} name is too long ({count} characters; the limit is {limit})").format(
            what=_noun(what), count=len(text), limit=MAX_NAME))
    if "\x00" in text:
        raise UsageError(_("{what} name {name} contains a NUL character").format(what=_noun(what), name=quote(text)))
    if not text.strip():
        raise UsageError(_("{what} name is empty").format(what=_noun(what)))
    return text.strip()


# Places outside the mainland card system: named so they never fuzzy-match a mainland place.
OUTSIDE = {
    "hk": ("香港", "Hong Kong"), "taiwan": ("台湾", "Taiwan"), "macau": ("澳门", "Macau"),
}
_OUTSIDE_NAMES = {
    "hk": ("香港", "香港特别行政区", "hongkong", "xianggang", "hk", "kowloon", "九龙"),
    "macau": ("澳门", "澳門", "澳门特别行政区", "macau", "macao", "aomen"),
    "taiwan": ("台湾", "臺灣", "台灣", "台湾省", "taiwan", "taipei", "台北", "臺北", "kaohsiung", "高雄",
               "taichung", "台中", "tainan", "台南", "formosa"),
}
_OUTSIDE_KEYS: dict[str, str] = {}  # normalized name -> place, filled on first use


def _outside(key: str) -> str | None:
    if not _OUTSIDE_KEYS:
        _OUTSIDE_KEYS.update((normalize(n), place) for place, names in _OUTSIDE_NAMES.items() for n in names)
    return _OUTSIDE_KEYS.get(key)


def _noun(what: str) -> str:
    return _("region") if what == "region" else _("bank")


def _nouns(what: str) -> str:
    return _("regions") if what == "region" else _("banks")


def resolve(index: Names, text: str, what: str, label, parent=None, record=None) -> Match:
    """The one id a name means, or NotFound / Ambiguous with candidates.

    parent(id) -> the id above (regions only) lets a qualified name decide between
    places: 'suzhou anhui', '浙江宁波', '宁波市海曙区'. record(id) -> the candidate as data
    (for JSON errors).
    """
    records = (lambda ids: [record(i) for i in ids]) if record else (lambda ids: [])
    text = check_input(text, what)
    if text.startswith("id:") and index.is_id(text[3:].strip()):  # an id, exactly: scripts and --all
        return Match(text, text[3:].strip(), "id")
    how, typed = "name", text
    ids = current_ids(index, text)
    if not ids and _re(_CJK).search(text):
        known = getattr(index, "traditional", None)  # the index's table first: no converter to load
        simplified = (known(text) if known is not None else None) or to_simplified(text)
        if simplified != text:
            ids, how, typed = current_ids(index, simplified), "traditional", simplified
    # A recent former name another place bears today (江北区: Ningbo's, and Chongqing's
    # until 2025) fits both places, unless both lie in one city (北部新区 is still 北部新区 there).
    shared = list(dict.fromkeys(e[0] for e in former_entries(index, typed, ids)
                                if current_ids(index, e[2].split("|", 2)[2])
                                and (parent is None or parent(e[0]) not in {parent(i) for i in ids}))) if ids else []
    if len(ids) == 1 and not shared:
        return Match(text, ids[0], how)
    contradiction = None
    if parent is not None:
        targets, contradiction = qualified(index, typed, parent)
        if len(targets) == 1:
            notes = [_former_note(e) for part in [typed, *sum(_splits(typed), [])]
                     for e in former_entries(index, part) if e[0] == targets[0]]
            return Match(text, targets[0], "qualified", note=notes[0] if notes else "")
        if targets:
            ids, shared = targets, []
    if len(ids) + len(shared) > 1:
        ids = ids + shared
        raise Ambiguous(
            (_("{what} name {name} fits {count} {whats} (one of them by a former name)") if shared else
             _("{what} name {name} fits {count} {whats}")).format(what=_noun(what), name=quote(text),
                                                                 count=len(ids), whats=_nouns(what)),
            [label(i) for i in sorted(ids)],
            hint=_("add the province or city (e.g. 'suzhou jiangsu', '苏州 江苏'), type the full name with its "
                   "suffix, or give an id as id:ID"),
            records=records(sorted(ids)),
        )
    former = [e for e in matching(index, typed) if e[2]]
    if former:
        owners = sorted({e[0] for e in former})
        if len(owners) == 1:
            return Match(text, owners[0], "former", note=_former_note(former[0]))
        raise Ambiguous(_("{what} name {name} is a former name of {count} {whats}").format(
                            what=_noun(what), name=quote(text), count=len(owners), whats=_nouns(what)),
                        [label(i) for i in owners], hint=_("type today's name"), records=records(owners))
    if contradiction and (_re(_SEPARATORS).search(typed.strip()) or _re(_CJK).search(typed)):
        place, above = contradiction
        raise NotFound(_("{place} is not in {above}").format(place=label(place), above=label(above)),
                       hint=_("check the province or city you named"), suggestions=[label(place)])
    outside = _outside(normalize(typed))
    if outside and what == "region":
        zh, en = OUTSIDE[outside]
        raise NotFound(_("{en} ({zh}) is outside the mainland social security card system; sscard covers "
                         "mainland China only").format(en=en, zh=zh),
                       hint=_("ask {en}'s own social welfare offices").format(en=en, zh=zh))
    return _fuzzy(index, text, typed, what, label, records)


def _splits(text: str) -> list:
    """Ways to read text as two or three names: by separators, else between characters."""
    tokens = [t for t in _re(_SEPARATORS).split(text.strip()) if t]
    out = []
    if len(tokens) > 1:
        tokens = tokens[:6]
        n = len(tokens)
        for mask in range(1, 2 ** (n - 1)):
            parts, current = [], [tokens[0]]
            for i in range(1, n):
                if mask >> (i - 1) & 1:
                    parts.append(" ".join(current))
                    current = [tokens[i]]
                else:
                    current.append(tokens[i])
            parts.append(" ".join(current))
            if len(parts) <= 3:
                out.append(parts)
        return out
    word = tokens[0] if tokens else ""
    least = 2 if _re(_CJK).search(word) else 4
    n = len(word)
    if n > 24:
        return out
    for i in range(least, n - least + 1):
        out.append([word[:i], word[i:]])
        for j in range(i + least, n - least + 1):
            out.append([word[:i], word[i:j], word[j:]])
    return out


def qualified(index, text: str, parent) -> tuple:
    """(places, contradiction): the places a name qualified by places above it means.

    Every part must name a place exactly; one part is the place, the others places
    above it, in any order. contradiction is (place, named parent) when every part
    names a place but none lies in the others.
    """
    targets: list = []
    contradiction = None
    for parts in _splits(text):
        now = [current_ids(index, part) for part in parts]
        # a former name may be the part a qualifier decides (江北区 重庆), never a qualifier
        cands = [ids + [e[0] for e in former_entries(index, part, ids) if not ids or current_ids(index, e[2].split("|", 2)[2])]
                 for ids, part in zip(now, parts)]
        if not all(cands):
            continue
        for i, mine in enumerate(cands):
            for place in mine:
                above = _ancestors(place, parent)
                if all(any(c in above for c in other) for j, other in enumerate(now) if j != i):
                    if place not in targets:
                        targets.append(place)
                elif contradiction is None and len(now) == 2 and len(now[i]) == 1 and len(now[1 - i]) == 1:
                    contradiction = (now[i][0], now[1 - i][0])
    if targets:  # a place above another that also matched is only a qualifier
        targets = [t for t in targets if not any(t in _ancestors(o, parent) for o in targets if o != t)]
    return targets, None if targets else contradiction


def _ancestors(place: str, parent) -> set:
    out, current = set(), place
    for _step in range(8):
        current = parent(current)
        if not current or current in out:
            break
        out.add(current)
    return out


NEAR_BY_HAND = 2000  # at most this many near names are scored here, without importing RapidFuzz


def ratios(key: str, choices: list, limit: int, cutoff: float) -> list:
    """What rapidfuzz.process.extract(key, choices, scorer=fuzz.ratio, limit=..., score_cutoff=...)
    returns, in plain Python: the Indel similarity (100 * (1 - distance / total length), the
    longest common subsequence by bit-parallel steps), best first, ties in the order given. For a
    few candidates this is cheaper than importing RapidFuzz; tests hold it to RapidFuzz's answers."""
    masks: dict = {}
    for i, ch in enumerate(key):
        masks[ch] = masks.get(ch, 0) | (1 << i)
    full = (1 << len(key)) - 1
    found = []
    for where, choice in enumerate(choices):
        total = len(key) + len(choice)
        if not total:
            score = 100.0
        else:
            row = full
            for ch in choice:
                common = row & masks.get(ch, 0)
                row = (row + common) | (row - common)
            longest = len(key) - (row & full).bit_count()
            score = (1.0 - (total - 2 * longest) / total) * 100.0
        if score >= cutoff:
            found.append((choice, score, where))
    found.sort(key=lambda f: (-f[1], f[2]))
    return found[:limit]


def _fuzzy(index: Names, original: str, text: str, what: str, label, records) -> Match:
    key = normalize(text)

    raw: dict = {}

    def extract(choices: list) -> list:
        if len(choices) <= NEAR_BY_HAND:
            return ratios(key, choices, 12, SUGGEST_MIN)
        from rapidfuzz import fuzz, process

        return process.extract(key, choices, scorer=fuzz.ratio, limit=12, score_cutoff=SUGGEST_MIN)

    def rank(keys: dict) -> list:
        best: dict = {}
        for choice, score, _where in extract(sorted(keys)):
            shown = score
            if len(key) >= 5 and choice.startswith(key) and len(choice) - len(key) <= 2:
                score = min(100.0, score + 5)  # a name typed short by a letter or two: chongqin
            for ident in keys[choice]:
                if score > best.get(ident, 0.0):
                    best[ident] = score
                    raw[ident] = shown
        return sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))

    # Names that share a gram with the query first (cheap on a large index); every name
    # when that finds no confident match, so suggestions and rare typos lose nothing.
    near = index.near(key)
    ranked = rank(near) if near else []
    if not ranked or ranked[0][1] < FUZZY_MIN:
        ranked = rank(index.choices())
    if ranked and ranked[0][1] >= FUZZY_MIN:
        top_id, top = ranked[0]
        rivals = [i for i, s in ranked[1:] if s > top - FUZZY_MARGIN]
        if not rivals:
            return Match(original, top_id, "fuzzy", raw.get(top_id, top))
        raise Ambiguous(
            _("{what} name {name} is close to several {whats}").format(what=_noun(what), name=quote(original),
                                                                     whats=_nouns(what)),
            [label(i) for i in [top_id, *rivals]],
            hint=_("type one of them exactly"),
            records=records([top_id, *rivals]),
        )
    suggested = [i for i, _score in ranked[:3]]
    if _re(_CJK).search(text):  # by shared characters and pinyin, not string ratio (sscard.suggest)
        from sscard.suggest import rank as by_characters

        suggested = by_characters(index, key, strip_suffix(key)) or suggested
    raise NotFound(
        _("no {what} matches {name}").format(what=_noun(what), name=quote(original)),
        hint=_("run '{command}' to list them").format(command="sscard cities" if what == "region" else "sscard banks"),
        suggestions=[label(i) for i in suggested],
    )


def to_simplified(text: str) -> str:
    """Traditional -> simplified Chinese (寧波 -> 宁波); the converter loads on first use."""
    global _converter
    if _converter is None:
        try:
            import opencc

            _converter = opencc.OpenCC("t2s")
        except Exception:  # a missing or broken converter must not break lookups
            _converter = False
    return _converter.convert(text) if _converter else text


_converter: OpenCC | Literal[False] | None = None  # False: no converter could be loaded


# Kinds of bank, not banks: every place has its own rural and city commercial banks.
_GENERIC_BANKS = {
    N_("a rural commercial bank"): ("农商行", "农商银行", "农村商业银行", "农信社", "农村信用社", "农村信用合作社",
                                "信用社", "农合行", "农村合作银行", "农信", "ruralcommercialbank", "rcb",
                                "ruralcreditcooperative", "ruralcreditunion"),
    N_("a city commercial bank"): ("城商行", "城市商业银行", "citycommercialbank"),
}
_GENERIC_KEYS: dict = {}  # normalized name -> kind, filled on first use


def generic_bank(text: str, inside: bool = False) -> str:
    """'a rural commercial bank' when text is only a kind of bank (农商行); inside: when it names one."""
    if not _GENERIC_KEYS:
        _GENERIC_KEYS.update((normalize(n), kind) for kind, names in _GENERIC_BANKS.items() for n in names)
    key = normalize(text)
    if not inside:
        return _GENERIC_KEYS.get(key, "")
    return next((kind for name, kind in _GENERIC_KEYS.items() if not name.isascii() and name in key), "")
