"""What to say about how a name was read: a guess (fuzzy), a former name, another place it fits.

Pure: returns the lines; each front-end (the CLI, batch) writes them to stderr its own way.
"""

from __future__ import annotations

from sscard.i18n import _


def label(region) -> str:
    """'ningbo (宁波市 / Ningbo)' for messages."""
    return f"{region.id} ({region.name.zh} / {region.name.en})"


def match_notes(match, what: str, label: str) -> list:
    """The stderr lines for one resolved name (none for an exact match)."""
    if match is None:
        return []
    what = _("region") if what == "region" else _("bank")
    query = f"'{match.query}'"
    out = []
    if match.how == "fuzzy":
        out.append(_("{what} {query} taken as {label} (fuzzy match, score {score})").format(
            what=what, query=query, label=label, score=f"{match.score:.0f}"))
    if match.note:
        out.append(_("{what} {query}: {note}").format(what=what, query=query, note=match.note))
    if match.also:
        out.append(_("{what} {query} is taken as {label}; it also fits {others}").format(
            what=what, query=query, label=label, others=", ".join(match.also)))
    return out


def answer_notes(answer) -> list:
    """The lines for an answer's place and bank."""
    out = match_notes(answer.match, "region", label(answer.region))
    bank = answer.bank
    if bank is not None and bank.match is not None:
        out += match_notes(bank.match, "bank", f"{bank.id} ({bank.name.zh} / {bank.name.en})")
    return out
