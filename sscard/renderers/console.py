"""The one way sscard makes a Rich console and a Rich table: width and colour from the caller's
environment (sscard.output.Env), text never read as markup or emoji, output kept in a buffer
so the edge writes it once."""

from __future__ import annotations

from io import StringIO


def console(width: int = 80, color: bool = True):
    from rich.console import Console

    return Console(file=StringIO(), width=max(20, width), force_terminal=True, no_color=not color,
                   color_system="standard" if color else None, emoji=False, markup=False, highlight=False,
                   legacy_windows=False)


def printed(*renderables, width: int = 80, color: bool = True) -> str:
    """What the renderables print on a console of this width, as text."""
    out = console(width, color)
    for renderable in renderables:
        out.print(renderable)
    return out.file.getvalue()


def table(header: list, rows: list, width: int = 80, color: bool = True, styles: dict | None = None) -> str:
    """A table of plain strings that folds its cells to fit the width (never wider)."""
    from rich.table import Table
    from rich.text import Text

    grid = Table(header_style="bold", show_lines=False, expand=False, pad_edge=False)
    for name in header:
        grid.add_column(name, overflow="fold")
    for row in rows:
        grid.add_row(*(Text(cell, style=(styles or {}).get(i, "")) for i, cell in enumerate(row)))
    return printed(grid, width=width, color=color)
