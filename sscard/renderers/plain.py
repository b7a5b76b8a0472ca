"""Plain text: no escape codes, no wrapping, one fact per line (for grep and awk)."""

from __future__ import annotations

from sscard.renderers import common as c
from sscard.topics import TOPICS


def answer_lines(answer, lang: str) -> list:
    """The plain lines for one answer: header, key facts, context, then every fact with its citations."""
    lines = [c.header(answer, lang)]
    rows = c.key_rows(answer, lang)
    if rows:
        lines.append(c.ui("key", lang) + ":")
        for what, value, note in rows:
            lines.append(f"  {what}: {value}" + (f" [{note}]" if note else ""))
    lines.extend(c.context_lines(answer, lang))
    shared = c.shared_verify(answer)
    steps = TOPICS[answer.topic].steps
    number = 0
    for (part, bank), items in c.groups(answer):
        lines.append("")
        lines.append(c.group_title(answer, part, bank, lang))
        for block, disputed in c.item_blocks(items):
            if disputed:
                lines.append(f"  {c.aspect(block[0], lang)}: {c.UI['dispute'].get(lang)}")
            for item in block:
                number += 1
                lead = f"{number}. " if steps else ""
                value = c.scoped_value(item, lang)
                head = value if disputed else (f"{c.aspect(item, lang)}: {value}" if value else c.aspect(item, lang))
                indent = "    " if disputed else "  "
                lines.append(f"{indent}{lead}{head} | {c.text(item, lang)} [{c.cite(item, answer, lang, shared=shared)}]")
    lines.append("")
    lines.append(c.ui("sources", lang) + ":")
    lines.extend(f"  {c.source_line(src, lang)}" for src in answer.sources.values())
    return lines


def render_plain(answers: list, lang: str) -> str:
    blocks = ["\n".join(answer_lines(a, lang)) for a in answers]
    return "\n\n".join(blocks) + "\n"
