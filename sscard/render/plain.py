"""Plain text: no escape codes, no wrapping, one item per line (for grep and awk)."""

from __future__ import annotations

from sscard.render import common as c
from sscard.topics import TOPICS


def answer_lines(answer, lang: str) -> list:
    """The plain lines for one answer (shared with the markdown renderer's layout)."""
    lines = [c.header(answer, lang)]
    lines.extend(c.context_lines(answer, lang))
    steps = TOPICS[answer.topic].steps
    number = 0
    for (part, bank), items in c.groups(answer):
        lines.append("")
        lines.append(c.group_title(answer, part, bank, lang))
        for item in items:
            number += 1
            lead = f"{number}. " if steps else ""
            value = c.value(item, lang)
            head = f"{c.aspect(item, lang)}: {value}" if value else c.aspect(item, lang)
            lines.append(f"  {lead}{head} | {c.text(item, lang)} [{c.cite(item, answer, lang)}]")
    lines.append("")
    lines.append(c.ui("sources", lang) + ":")
    lines.extend(f"  {c.source_line(src, lang)}" for src in answer.sources.values())
    return lines


def render_plain(answers: list, lang: str) -> str:
    blocks = ["\n".join(answer_lines(a, lang)) for a in answers]
    return "\n\n".join(blocks) + "\n"
