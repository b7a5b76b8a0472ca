"""Markdown: printable quick-reference cards (one page per region)."""

from __future__ import annotations

import re

from sscard.renderers import common as c
from sscard.topics import TOPICS

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def esc(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def _answer(answer, lang: str, level: int, keys: bool = True) -> list:
    h = "#" * level
    out = [f"{h} {esc(c.header(answer, lang))}", ""]
    if keys:
        out.extend(f"- **{esc(what)}: {esc(value)}**" + (f" ({esc(note)})" if note else "")
                   for what, value, note in c.key_rows(answer, lang))
        out.append("")
    out.extend(f"*{esc(line)}*  " for line in c.context_lines(answer, lang))
    shared = c.shared_verify(answer)
    steps = TOPICS[answer.topic].steps
    for (part, bank), items in c.groups(answer):
        out += ["", f"{h}# {esc(c.group_title(answer, part, bank, lang))}", ""]
        number = 0
        for block, disputed in c.item_blocks(items):
            if disputed:
                out.append(f"- **{esc(c.aspect(block[0], lang))}: {esc(c.UI['dispute'].get(lang))}**")
            for item in block:
                number += 1
                lead = f"{number}." if steps else "-"
                lead = "  " + lead if disputed else lead
                value = c.scoped_value(item, lang)
                key = f"**{esc(c.aspect(item, lang))}: {esc(value)}**" if value else f"**{esc(c.aspect(item, lang))}**"
                cite = esc(c.cite(item, answer, lang, shared=shared))
                out.append(f"{lead} {key} — {esc(c.text(item, lang))} ({cite})")
    out += ["", f"**{esc(c.ui('sources', lang))}**", ""]
    out.extend(f"- {esc(c.source_line(src, lang))}" for src in answer.sources.values())
    return out


KEY_FACTS = {"zh": ("要点", "主题", "项目", "值", "来源"), "en": ("Key facts", "topic", "what", "value", "source")}


def _key_facts(answers: list, lang: str) -> list:
    """A table of every item with a key value (PINs by bank, hotlines, deadlines, fees) for the card's top."""
    title, *header = KEY_FACTS[lang]
    rows = c.key_facts(answers, lang)
    if not rows:
        return []
    out = [f"## {title}", "", "| " + " | ".join(header) + " |", "|---|---|---|---|"]
    out += ["| " + " | ".join(esc(cell) for cell in row) + " |" for row in rows]
    return out + [""]


def render_markdown(answers: list, lang: str) -> str:
    if len(answers) == 1:
        return "\n".join(_answer(answers[0], lang, 1)) + "\n"
    first = answers[0]
    lines = [f"# {esc(c.place(first.region, lang))}", ""] + _key_facts(answers, lang)
    for answer in answers:
        lines += _answer(answer, lang, 2, keys=False) + [""]
    return "\n".join(lines).rstrip("\n") + "\n"
