"""Names to offer while a person types a region or bank (shell completion and sscard shell)."""

from __future__ import annotations

from sscard.names import normalize, strip_suffix


def candidates(entries: list, incomplete: str, limit: int = 50) -> list:
    """(value, description) for entries [id, zh, en, aliases] with a name starting with incomplete.

    Case, width, spaces and tone marks are ignored; a Chinese name also matches without its
    suffix (宁 offers 宁波市). The value offered is the name as written (or the id).
    """
    typed = normalize(incomplete)
    out, seen = [], set()
    for ident, zh, en, aliases in entries:
        for name in (ident, zh, en, *aliases):
            key = normalize(name)
            if not typed or key.startswith(typed) or strip_suffix(key).startswith(typed):
                value = name if " " not in name else ident
                if value not in seen:
                    seen.add(value)
                    out.append((value, f"{zh} / {en}"))
                break
        if len(out) >= limit:
            break
    return out


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
