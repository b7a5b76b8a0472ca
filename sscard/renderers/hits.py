"""Search results in each output format: one hit per line or row, with its source."""

from __future__ import annotations

from sscard.renderers import common as c
from sscard.topics import TOPICS


def _line(hit, regions: dict, sources: dict, lang: str) -> list:
    """[place, topic, key, text, source] for one hit."""
    item = hit.item
    region = regions[hit.region_id]
    value = c.value(item, lang)
    key = f"{c.aspect(item, lang)}: {value}" if value else c.aspect(item, lang)
    ref = "; ".join(c.citation(cited, sources, lang) for cited in item.citations)
    where = f"{hit.region_id} {c.place(region, lang)}"
    if hit.via and hit.via in regions:
        where += c.ui("via", lang, place=c.place(regions[hit.via], lang))
    return [where, TOPICS[hit.topic].title.get(lang), key, c.text(item, lang), ref]


def render_hits(hits: list, regions: dict, sources: dict, fmt: str, lang: str, query: str,
                ascii_only: bool = False, width: int = 80, color: bool = True) -> str:
    if fmt == "json":
        from sscard.renderers.json import dumps

        data = {"schema": 1, "lang": lang, "query": query,
                "hits": [{**h.to_dict(), "source": sources[h.item.source].to_dict() if h.item.source in sources else None,
                          "sources": [sources[i].to_dict() for i in h.item.source_ids() if i in sources]}
                         for h in hits]}
        return dumps(data, ascii_only)
    rows = [_line(h, regions, sources, lang) for h in hits]
    if fmt == "plain":
        return "".join(f"{place} · {topic} · {key} | {text} [{ref}]\n" for place, topic, key, text, ref in rows)
    if fmt == "markdown":
        from sscard.renderers.markdown import esc

        return "".join(f"- **{esc(place)}** · {esc(topic)} · **{esc(key)}** — {esc(text)} ({esc(ref)})\n"
                       for place, topic, key, text, ref in rows)
    from rich.table import Table
    from rich.text import Text

    from sscard.renderers.console import printed

    table = Table(show_header=True, header_style="bold", show_lines=True, expand=False)
    for column in ("place", "topic", "rule", "source"):
        table.add_column(column, overflow="fold")
    for place, topic, key, text, ref in rows:
        rule = Text()
        rule.append(key, style="bold yellow")
        rule.append("  " + text)
        table.add_row(Text(place), Text(topic), rule, Text(ref, style="dim"))
    return printed(table, width=width, color=color)
