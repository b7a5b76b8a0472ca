"""Suggestions for a Chinese name that matched nothing: names that share its characters or its sound.

A string ratio treats 义鸟 and 乌海 as alike as 义鸟 and 义乌 (one character of two in common);
people mistype Chinese names by picking a homophone in the input method (济原 for 济源, 莱无 for
莱芜) or a character in the wrong place. So a candidate scores by the characters it shares
with the typed name (more when in the same position) and by how close its pinyin is to the
typed name's readings. Only suggests: it never chooses a place.

The readings come from pypinyin's character table (its pinyin_dict.json), read on its own
so pypinyin's phrase tables are not loaded; without pypinyin, characters alone decide.
"""

from __future__ import annotations

LIMIT = 5
_CHAR_WEIGHT = 0.55
_SOUND_WEIGHT = 0.45
_MIN_SCORE = 0.3
_MAX_READINGS = 16  # polyphonic characters multiply; enough for a place name

_readings_table: dict | None = None
_tables: dict = {}  # id(index) -> (index, per-id names): a batch or shell reuses it


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _char_table() -> dict:
    """'28608' (a codepoint) -> 'jì,jǐ': pypinyin's character table, or {} when pypinyin is not installed."""
    global _readings_table
    if _readings_table is None:
        _readings_table = {}
        try:
            import importlib.util
            import json
            from pathlib import Path

            spec = importlib.util.find_spec("pypinyin")  # located, not imported (its phrase tables are large)
            if spec is not None and spec.submodule_search_locations:
                path = Path(list(spec.submodule_search_locations)[0]) / "pinyin_dict.json"
                _readings_table = json.loads(path.read_text(encoding="utf-8"))
        except Exception:  # a missing or odd pypinyin only costs the sound half of the score
            _readings_table = {}
    return _readings_table


def readings(text: str) -> list:
    """Toneless pinyin spellings of a Chinese name: '济原' -> ['jiyuan']; [] if a character is unknown."""
    import unicodedata

    table = _char_table()
    out = [""]
    for ch in text:
        found = table.get(str(ord(ch)))
        if not found:
            return []
        syllables = []
        for reading in found.split(","):
            bare = "".join(c for c in unicodedata.normalize("NFD", reading) if not unicodedata.combining(c))
            bare = bare.replace("ü", "u").replace("v", "u")
            if bare and bare not in syllables:
                syllables.append(bare)
        out = [head + s for head in out for s in syllables][:_MAX_READINGS]
    return out


def _names_by_id(index) -> dict:
    """id -> (Chinese names, Latin names), from the index's current names (with and without suffix)."""
    cached = _tables.get(id(index))
    if cached is not None and cached[0] is index:
        return cached[1]
    by_id: dict = {}
    for key, ids in index.choices().items():
        cjk = not key.isascii()  # normalized: letters, digits and Chinese
        if not cjk and not key.isalpha():
            continue
        value = key if cjk else key.replace("v", "u")
        for ident in ids:
            zh, latin = by_id.setdefault(ident, (set(), set()))
            (zh if cjk else latin).add(value)
    if len(_tables) > 8:
        _tables.clear()
    _tables[id(index)] = (index, by_id)
    return by_id


def _chars(typed: str, name: str) -> float:
    """Shared characters (Dice), plus a little for each in the same position."""
    pool = list(name)
    shared = 0
    for ch in typed:
        if ch in pool:
            pool.remove(ch)
            shared += 1
    if not shared:
        return 0.0
    placed = sum(a == b for a, b in zip(typed, name))
    return min(1.0, 2 * shared / (len(typed) + len(name)) + 0.1 * placed / max(len(typed), len(name)))


def _sound(spellings: list, latin: set) -> float:
    if not spellings or not latin:
        return 0.0
    if any(s in latin for s in spellings):
        return 1.0
    from rapidfuzz import fuzz

    best = max(fuzz.ratio(s, name) for s in spellings for name in latin)
    return best / 100 if best >= 60 else 0.0


def rank(index, key: str, base: str, limit: int = LIMIT) -> list:
    """Ids of the names closest to a Chinese name, best first ([] when it has no Chinese).

    key: the typed name normalized (sscard.names.normalize); base: key without its
    administrative suffix. index: the names (a NameIndex or the on-disk index).
    """
    typed = "".join(c for c in base if _is_cjk(c))
    if not typed:
        return []
    forms = {typed, "".join(c for c in key if _is_cjk(c))}  # 北部新城 as typed, 莱芜市 without 市
    spellings = readings(typed)
    scored = []
    for ident, (zh, latin) in _names_by_id(index).items():
        chars = max((_chars(form, name) for name in zh for form in forms), default=0.0)
        sound = _sound(spellings, latin) if spellings else 0.0
        score = _CHAR_WEIGHT * chars + _SOUND_WEIGHT * sound
        if score >= _MIN_SCORE and (chars or sound == 1.0):
            scored.append((-score, -chars, ident))
    return [ident for _s, _c, ident in sorted(scored)[:limit]]
