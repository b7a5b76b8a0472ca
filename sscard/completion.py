"""Names to offer while a person types a region or bank (shell completion and sscard shell)."""

from __future__ import annotations

from sscard.names import normalize, strip_suffix


class NameTable:
    """Regions or banks to complete, keys worked out once: [[id, zh, en, aliases]] rows."""

    def __init__(self, entries) -> None:
        self.rows = []
        for ident, zh, en, aliases in entries:
            names = []
            for name in (ident, zh, en, *aliases):
                key = normalize(name or "")
                if key:
                    names.append((name if _plain_word(name) else ident, key, strip_suffix(key)))
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
        for meta, names in self.rows:
            for value, key, stem in names:
                if key.startswith(typed) or (typed_stem != typed and stem == typed_stem):
                    if value not in seen:
                        seen.add(value)
                        out.append((value, meta))
                    break
        return out


def _plain_word(text: str) -> bool:
    """True when text can go on a command line as it is (no quoting)."""
    return bool(text) and not any(ch.isspace() or ch in "'\"\\$`;&|<>(){}*?#!~" for ch in text)



def candidates(entries: list, incomplete: str, limit: int = 50) -> list:
    """(value, "zh / en") for entries [id, zh, en, aliases] with a name starting with incomplete."""
    return NameTable(entries).complete(incomplete)[:limit]


def regions(incomplete: str) -> list:
    """Typer autocompletion for REGION, served from the rules index."""
    return candidates(_names()["regions"], incomplete)


def banks(incomplete: str) -> list:
    """Typer autocompletion for --bank, served from the rules index."""
    return candidates(_names()["banks"], incomplete)


def _names() -> dict:
    from sscard import commands

    try:
        return commands.rules().completion_names()
    except Exception:  # completion must never print a traceback into the shell
        return {"regions": [], "banks": []}
