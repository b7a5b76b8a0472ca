"""JSON: one documented, stable object per answer (schema 1, see the README)."""

from __future__ import annotations

import json


def render_json(answers: list, lang: str, single: bool = True) -> str:
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
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
