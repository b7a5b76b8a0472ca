"""Renderers: one per output format, all behind render(answers, fmt, lang, ...) -> str.

plain and json never import Rich; rich is imported only when it is asked for.
"""

from __future__ import annotations


def render(answers: list, fmt: str, lang: str, *, single: bool = True, width: int = 80,
           color: bool = True, ascii_only: bool = False, header: bool = False) -> str:
    """The whole output for one or more answers, as text ready to write.

    ascii_only: JSON escapes non-ASCII characters (for a stdout that is not UTF-8, so the
    JSON stays valid UTF-8 and loses nothing). header: plain output opens with the line
    naming its columns (the other formats ignore it).
    """
    if fmt == "json":
        from sscard.renderers.json import render_json

        return render_json(answers, lang, single=single, ascii_only=ascii_only)
    if fmt == "markdown":
        from sscard.renderers.markdown import render_markdown

        return render_markdown(answers, lang)
    if fmt == "rich":
        from sscard.renderers.rich import render_rich

        return render_rich(answers, lang, width=width, color=color)
    from sscard.renderers.plain import render_plain

    return render_plain(answers, lang, header=header)
