"""Find the line of a table or key in TOML text, so schema errors can say FILE:LINE.

tomllib reports lines only for syntax errors; this light scan maps the tables and
keys it sees back to their lines. It is used only when building or checking rules.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
_KEY = re.compile(r'^\s*("([^"]*)"|[A-Za-z0-9_\-]+)\s*(\.|=)')


class LineMap:
    """Lines of tables ('[x]', '[[x]]' by occurrence) and of their keys."""

    def __init__(self, text: str) -> None:
        self.tables: dict = {}
        self.keys: dict = {}
        counts: dict = {}
        current = ("", 0)
        in_multiline = None
        for number, line in enumerate(text.splitlines(), start=1):
            if in_multiline:
                if line.count(in_multiline) % 2 == 1:
                    in_multiline = None
                continue
            header = _HEADER.match(line)
            if header:
                name = header.group(2).strip().strip("\"'")
                index = counts.get(name, 0)
                counts[name] = index + 1
                current = (name, index)
                self.tables.setdefault(current, number)
                continue
            key = _KEY.match(line)
            if key:
                name = key.group(2) if key.group(2) is not None else key.group(1)
                self.keys.setdefault((*current, name), number)
            for quote in ('"""', "'''"):
                if line.count(quote) % 2 == 1:
                    in_multiline = quote
                    break

    def table(self, name: str, index: int = 0) -> int:
        """Line of the index-th table called name (1 if unknown)."""
        return self.tables.get((name, index), 1)

    def key(self, table: str, index: int, key: str) -> int:
        """Line of a key inside a table, else the table's own line."""
        return self.keys.get((table, index, key)) or self.table(table, index)
