"""Rich output for terminals: numbered steps, key values stand out, sources in a footer.

Only rich.text.Text objects are printed, so text from rule files is never read as
markup or emoji codes.
"""

from __future__ import annotations

from io import StringIO

from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from sscard.render import common as c
from sscard.topics import TOPICS

VALUE_STYLE = "bold yellow"
DISPUTED_STYLE = "bold red"


def _answer(answer, lang: str):
    parts = []
    context = Text()
    for line in c.context_lines(answer, lang):
        style = "yellow" if answer.origin.level == "nation" and line == c.ui("national", lang) else "dim"
        context.append(line + "\n", style=style)
    # When every fact carries the same caution, say it once instead of on every line.
    shared = len({item.verify for item in answer.items}) == 1 and bool(answer.items[0].verify)
    if shared:
        context.append(f"(!) {c.verify(answer.items[0], lang)}", style="yellow")
    context.rstrip()
    parts.append(context)
    steps = TOPICS[answer.topic].steps
    number = 0
    for (part, bank), items in c.groups(answer):
        parts.append(Text("\n" + c.group_title(answer, part, bank, lang), style="bold cyan"))
        table = Table.grid(padding=(0, 1))
        table.add_column(justify="right", style="dim", no_wrap=True)
        table.add_column(overflow="fold")
        for item in items:
            number += 1
            lead = f"{number}." if steps else "•"
            body = Text()
            value = c.value(item, lang)
            body.append(c.aspect(item, lang) + ": ", style="dim")
            if value:
                body.append(value, style=DISPUTED_STYLE if item.disputed else VALUE_STYLE)
                body.append("  ")
            body.append(c.text(item, lang))
            body.append(f"  [{c.cite(item, answer, lang, full=False)}]", style="dim italic")
            if item.disputed:
                body.append(f"  {c.UI['disputed'].get(lang)}", style=DISPUTED_STYLE)
            if item.verify and not shared:
                body.append(f"  (!) {c.verify(item, lang)}", style="yellow")
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
    buffer = StringIO()
    console = Console(file=buffer, width=width, force_terminal=True, no_color=not color,
                      color_system="standard" if color else None, emoji=False, markup=False,
                      highlight=False, legacy_windows=False)
    if len(answers) > 1:
        console.print(_key_facts(answers, lang))
    for answer in answers:
        console.print(_answer(answer, lang))
    return buffer.getvalue()


def _key_facts(answers: list, lang: str):
    """The values at a glance (PINs by bank, hotlines, deadlines, fees) above a multi-topic card."""
    from sscard.render.markdown import KEY_FACTS

    title, *header = KEY_FACTS[lang]
    table = Table(*header[:3], title=f"{c.place(answers[0].region, lang)} — {title}", title_justify="left",
                  title_style="bold", header_style="dim", border_style="blue", expand=False)
    for topic, what, value, _ in c.key_facts(answers, lang):
        table.add_row(Text(topic), Text(what), Text(value, style=VALUE_STYLE))
    return table
