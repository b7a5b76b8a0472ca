"""JSON: one documented, stable object per answer (schema 1, see the README)."""

from __future__ import annotations

import json
import re

from sscard.safe import clean


def inert(data):
    """Every string in JSON-ready data with escape sequences and control characters removed."""
    if isinstance(data, str):
        return clean(data)
    if isinstance(data, dict):
        return {key: inert(value) for key, value in data.items()}
    if isinstance(data, list):
        return [inert(value) for value in data]
    return data


# What in dumped JSON could stand for a control character: the raw characters json.dumps
# leaves alone (DEL, C1, bidi controls, separators), or an escape of one
# (\u0000-\u00ff also covers Latin-1 letters in ASCII mode: a harmless re-check).
_RAW = re.compile("[\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
_ESCAPED = re.compile(r"\\(u00[0-9a-fA-F]{2}|u20[0-9a-fA-F]{2}|ufeff|[bfr])")


def dumps(data, ascii_only: bool = False, compact: bool = False) -> str:
    """The one way sscard writes JSON: inert strings, UTF-8 (or ASCII-escaped), one trailing newline.

    Rule text is almost always clean, so the data is dumped first and walked string by
    string only when the output shows something that could be a control character.
    """
    options: dict = {"ensure_ascii": ascii_only}
    options.update({"separators": (",", ":")} if compact else {"indent": 2})
    text = json.dumps(data, **options)
    if _RAW.search(text) or ("\\" in text and _ESCAPED.search(text)):
        text = json.dumps(inert(data), **options)
    return text + "\n"


def render_json(answers: list, lang: str, single: bool = True, ascii_only: bool = False) -> str:
    """A single answer as one object; several (sscard show) wrapped with their region."""
    if single and len(answers) == 1:
        data = {**answers[0].to_dict(), "lang": lang}
    else:
        first = answers[0]
        data = {
            "schema": 1,
            "lang": lang,
            "region": first.region.summary(),
            "match": first.match.to_dict() if first.match else None,
            "topics": [a.to_dict() for a in answers],
        }
    return dumps(data, ascii_only)
