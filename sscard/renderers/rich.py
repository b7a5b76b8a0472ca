"""Rich output for terminals: numbered steps, key values stand out, sources in a footer.

Only rich.text.Text objects are printed, so text from rule files is never read as
markup or emoji codes.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from sscard.renderers import common as c
from sscard.renderers.console import printed
from sscard.topics import TOPICS

VALUE_STYLE = "bold yellow"
DISPUTED_STYLE = "bold red"


def _answer(answer, lang: str):
    parts: list[RenderableType] = []
    rows = c.key_rows(answer, lang)
    if rows:
        keys = Table.grid(padding=(0, 1))
        keys.add_column(style="bold", overflow="fold")
        keys.add_column(overflow="fold")
        for what, value, note in rows:
            line = Text()
            line.append(value, style=DISPUTED_STYLE if c.UI["disputed"].get(lang) in note else VALUE_STYLE)
            if note:
                line.append(f"  [{note}]", style="dim")
            keys.add_row(Text(what), line)
        parts.append(keys)
    context = Text()
    for line in c.context_lines(answer, lang):
        style = "yellow" if line.startswith("(!)") or (answer.origin.level == "nation" and line == c.ui("national", lang)) else "dim"
        context.append(line + "\n", style=style)
    context.rstrip()
    parts.append(context)
    shared = c.shared_verify(answer)
    steps = TOPICS[answer.topic].steps
    number = 0
    for (part, bank), items in c.groups(answer):
        parts.append(Text("\n" + c.group_title(answer, part, bank, lang), style="bold cyan"))
        table = Table.grid(padding=(0, 1))
        table.add_column(justify="right", style="dim", no_wrap=True)
        table.add_column(overflow="fold")
        for block, disputed in c.item_blocks(items):
            if disputed:
                table.add_row("!", Text(f"{c.aspect(block[0], lang)}: {c.UI['dispute'].get(lang)}", style=DISPUTED_STYLE))
            for item in block:
                number += 1
                lead = f"{number}." if steps else ("-" if disputed else "•")
                body = Text()
                value = c.scoped_value(item, lang)
                if not disputed:
                    body.append(c.aspect(item, lang) + ": ", style="dim")
                if value:
                    body.append(value, style=DISPUTED_STYLE if item.disputed else VALUE_STYLE)
                    body.append("  ")
                body.append(c.text(item, lang))
                body.append(f"  [{c.cite(item, answer, lang, full=False)}]", style="dim italic")
                note = c.verify(item, lang, shared)
                if note:
                    body.append(f"  (!) {note}", style="yellow")
                table.add_row(lead, body)
        parts.append(Padding(table, (0, 0, 0, 1)))
    footer = Text()
    footer.append(c.ui("sources", lang) + "\n", style="dim bold")
    for src in answer.sources.values():
        footer.append("  " + c.source_line(src, lang) + "\n", style="dim")
    footer.rstrip()
    parts.append(Rule(style="dim"))
    parts.append(footer)
    title = Text(c.header(answer, lang), style="bold")
    return Panel(Group(*parts), title=title, title_align="left", border_style="blue")


def render_rich(answers: list, lang: str, width: int = 80, color: bool = True) -> str:
    parts = [_key_facts(answers, lang)] if len(answers) > 1 else []
    parts.extend(_answer(answer, lang) for answer in answers)
    return printed(*parts, width=width, color=color)


def _key_facts(answers: list, lang: str):
    """The values at a glance (PINs by bank, hotlines, deadlines, fees) above a multi-topic card."""
    from sscard.renderers.markdown import KEY_FACTS

    title, *header = KEY_FACTS[lang]
    table = Table(*header[:3], title=f"{c.place(answers[0].region, lang)} — {title}", title_justify="left",
                  title_style="bold", header_style="dim", border_style="blue", expand=False)
    for topic, what, value, _ in c.key_facts(answers, lang):
        table.add_row(Text(topic), Text(what), Text(value, style=VALUE_STYLE))
    return table
