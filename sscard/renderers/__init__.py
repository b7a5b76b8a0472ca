"""Renderers: one per output format, all behind render(answers, fmt, lang, ...) -> str.

plain and json never import Rich; rich is imported only when it is asked for and not
already kept as rendered (sscard.renderers.replay).
"""

from __future__ import annotations


def render(answers: list, fmt: str, lang: str, *, single: bool = True, width: int = 80,
           color: bool = True, ascii_only: bool = False, header: bool = False, cache: str | None = None) -> str:
    """The whole output for one or more answers, as text ready to write.

    ascii_only: JSON escapes non-ASCII characters (for a stdout that is not UTF-8, so the
    JSON stays valid UTF-8 and loses nothing). header: plain output opens with the line
    naming its columns (the other formats ignore it). cache: a cache folder where rich
    output is kept and replayed from (None: rendered every time).
    """
    if fmt == "json":
        from sscard.renderers.json import render_json

        return render_json(answers, lang, single=single, ascii_only=ascii_only)
    if fmt == "markdown":
        from sscard.renderers.markdown import render_markdown

        return render_markdown(answers, lang)
    if fmt == "rich" and cache:
        from sscard.renderers import replay

        return replay.render_rich(answers, lang, cache, width=width, color=color)
    if fmt == "rich":
        from sscard.renderers.rich import render_rich

        return render_rich(answers, lang, width=width, color=color)
    from sscard.renderers.plain import render_plain

    return render_plain(answers, lang, header=header)
