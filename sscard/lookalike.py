"""Names that look like other names: what `sscard check` reports about aliases.

A pasted alias can hold an invisible character (宁\u200b波) or a letter from another
script that looks Latin (Ningbо with a Cyrillic о); sscard would then resolve that text
to the region carrying the alias rather than the place it looks like. skeleton() folds
both away (NFKC, invisible characters removed, case folded, Cyrillic and Greek letters
that have a Latin twin replaced by it); mixed_scripts() names a word mixing Latin with
Cyrillic or Greek letters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from sscard.i18n import Msg
from sscard.safe import INVISIBLE

_INVISIBLE = re.compile(f"[{INVISIBLE}]")
# Cyrillic and Greek letters drawn like a Latin one (lowercase after casefold).
_TWINS = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "і": "i", "ї": "i", "ј": "j", "к": "k", "м": "m", "н": "h",
    "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "һ": "h", "ԁ": "d", "ԛ": "q",
    "ԝ": "w", "ɡ": "g",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "ω": "w", "μ": "u",
})


@lru_cache(maxsize=1 << 16)  # the rule checks fold every region's names on each load
def skeleton(text: str) -> str:
    """What text looks like: NFKC, no invisible characters, case folded, look-alike letters made Latin."""
    folded = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text)).casefold()
    return folded.translate(_TWINS)


def _script(ch: str) -> str:
    if not ch.isalpha():
        return ""
    name = unicodedata.name(ch, "")
    for script in ("LATIN", "CYRILLIC", "GREEK"):
        if name.startswith(script):
            return script
    return "OTHER"


def mixed_scripts(text: str) -> bool:
    """Whether one word mixes Latin letters with Cyrillic or Greek ones."""
    for word in text.split():
        scripts = {_script(ch) for ch in word} - {"", "OTHER"}
        if "LATIN" in scripts and len(scripts) > 1:
            return True
    return False


def problems(names: dict, aliases) -> list:
    """(where, Msg) for each alias that looks like another owner's name.

    names: {owner id: [its names]}; aliases: (owner id, alias, where) for each written alias.
    """
    from sscard.names import exact_keys

    aliases = list(aliases)
    # only the keys the written aliases have are asked about below: file just those
    look_keys = {key for _owner, alias, _where in aliases for key in exact_keys(skeleton(alias))}
    plain_keys = {key for _owner, alias, _where in aliases for key in exact_keys(alias)}
    looks: dict = {}
    plain: dict = {}  # names as typed: a shared plain name is a twin (ambiguous), not a look-alike
    for owner, owned in names.items() if aliases else ():
        for name in owned:
            for key in exact_keys(skeleton(name)):
                if key in look_keys:
                    looks.setdefault(key, set()).add(owner)
            for key in exact_keys(name):
                if key in plain_keys:
                    plain.setdefault(key, set()).add(owner)
    out = []
    for owner, alias, where in aliases:
        hidden = _INVISIBLE.search(alias)
        if hidden:
            code = "%04X" % ord(hidden.group())
            out.append((where, Msg("alias {alias} holds an invisible character U+{code}", alias=_shown(alias), code=code)))
        elif mixed_scripts(alias):
            out.append((where, Msg("alias {alias} mixes Latin with Cyrillic or Greek letters", alias=_shown(alias))))
        twins = set().union(*(plain.get(k, set()) for k in exact_keys(alias)))
        for key in exact_keys(skeleton(alias)):
            others = looks.get(key, set()) - {owner} - twins
            if others:
                out.append((where, Msg("alias {alias} looks like a name of {others}", alias=_shown(alias),
                                      others=", ".join(sorted(others)))))
                break
    return out


def _shown(text: str) -> str:
    from sscard.safe import quote

    return quote(text)
