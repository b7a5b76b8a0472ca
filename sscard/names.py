"""Resolve what a person typed to a region or bank: exact names, then fuzzy.

Tiers, in order: names, ids and aliases as typed (ignoring case, width, spaces,
tone marks and an administrative suffix); then the same after converting
traditional characters to simplified; then fuzzy scores. A fuzzy answer must win
clearly, or the name is reported as ambiguous.
"""

from __future__ import annotations

import re

from sscard.errors import Ambiguous, NotFound, UsageError
from sscard.model import Match
from sscard.safe import quote

MAX_NAME = 200
FUZZY_MIN = 80.0  # below this a fuzzy match only suggests
FUZZY_MARGIN = 8.0  # the best must beat the next candidate by this much
SUGGEST_MIN = 45.0

_SUFFIXES = (
    "特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县",
    "地区", "新区", "市", "省", "区", "县", "盟",
    "autonomousregion", "autonomousprefecture", "municipality", "prefecture",
    "province", "district", "newarea", "county", "city",
)
_DROP = re.compile(r"[\s'’‘`\-_.,·・()（）]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def normalize(text: str) -> str:
    """Fold width, case, tone marks, spaces and punctuation: 'Níng Bō' -> 'ningbo'."""
    if not text.isascii():
        import unicodedata  # a large table: loaded only for non-ASCII input

        text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        decomposed = unicodedata.normalize("NFD", text)
        text = unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))
    return _DROP.sub("", text.casefold())


def strip_suffix(key: str) -> str:
    """A normalized name without one administrative suffix, if something is left."""
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            rest = key[: -len(suffix)]
            if len(rest) >= 2:
                return rest
    return key


def exact_keys(name: str) -> set:
    """The lookup keys one name answers to."""
    key = normalize(name)
    return {k for k in (key, strip_suffix(key)) if k}


class NameIndex:
    """Normalized names -> ids, for one kind of thing (regions or banks)."""

    def __init__(self, names) -> None:
        self.keys: dict = {}
        self.ids: set = set()
        for ident, name in names:
            self.ids.add(ident)
            for key in exact_keys(name):
                owners = self.keys.setdefault(key, [])
                if ident not in owners:
                    owners.append(ident)

    def exact(self, text: str) -> list:
        key = normalize(text)
        return self.keys.get(key) or self.keys.get(strip_suffix(key)) or []

    def is_id(self, key: str) -> bool:
        return key in self.ids

    def choices(self) -> dict:
        return self.keys

    def near(self, key: str):
        """Names sharing a gram with key, for fuzzy matching; None means 'use choices()'."""
        return None


def grams(key: str) -> set:
    """What a fuzzy candidate must share with the typed name: ASCII trigrams, other characters alone."""
    out = set()
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
        raise UsageError(f"{what} name is too long ({len(text)} characters; the limit is {MAX_NAME})")
    if "\x00" in text:
        raise UsageError(f"{what} name {quote(text)} contains a NUL character")
    if not text.strip():
        raise UsageError(f"{what} name is empty")
    return text.strip()


def resolve(index: NameIndex, text: str, what: str, label) -> Match:
    """The one id a name means, or NotFound / Ambiguous with candidates."""
    text = check_input(text, what)
    ids = index.exact(text)
    how = "name"
    if not ids and _CJK.search(text):
        simplified = to_simplified(text)
        if simplified != text:
            ids, how = index.exact(simplified), "traditional"
            text_for_fuzzy = simplified
        else:
            text_for_fuzzy = text
    else:
        text_for_fuzzy = text
    if len(ids) == 1:
        return Match(text, ids[0], how)
    if len(ids) > 1 and index.is_id(normalize(text)):
        # An id is canonical: 'suzhou' is 苏州 (suzhou), though 宿州 (suzhou-anhui) romanizes alike.
        chosen = normalize(text)
        return Match(text, chosen, how, also=tuple(i for i in sorted(ids) if i != chosen))
    if len(ids) > 1:
        raise Ambiguous(
            f"{what} name {quote(text)} fits {len(ids)} {what}s",
            [label(i) for i in sorted(ids)],
            hint="use one of the ids shown",
        )
    return _fuzzy(index, text, text_for_fuzzy, what, label)


def _fuzzy(index: NameIndex, original: str, text: str, what: str, label) -> Match:
    from rapidfuzz import fuzz, process

    key = normalize(text)

    def rank(keys: dict) -> list:
        best: dict = {}
        for choice, score, _ in process.extract(key, sorted(keys), scorer=fuzz.ratio, limit=12,
                                                score_cutoff=SUGGEST_MIN):
            for ident in keys[choice]:
                if score > best.get(ident, 0.0):
                    best[ident] = score
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
            return Match(original, top_id, "fuzzy", top)
        raise Ambiguous(
            f"{what} name {quote(original)} is close to several {what}s",
            [label(i) for i in [top_id, *rivals]],
            hint="type one of them exactly",
        )
    raise NotFound(
        f"no {what} matches {quote(original)}",
        hint=f"run 'sscard {'cities' if what == 'region' else 'banks'}' to list them",
        suggestions=[label(i) for i, _ in ranked[:3]],
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


_converter = None
