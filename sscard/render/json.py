"""JSON: one documented, stable object per answer (schema 1, see the README)."""

from __future__ import annotations

import json

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


def dumps(data, ascii_only: bool = False, compact: bool = False) -> str:
    """The one way sscard writes JSON: inert strings, UTF-8 (or ASCII-escaped), one trailing newline."""
    if compact:
        return json.dumps(inert(data), ensure_ascii=ascii_only, separators=(",", ":")) + "\n"
    return json.dumps(inert(data), ensure_ascii=ascii_only, indent=2) + "\n"


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
