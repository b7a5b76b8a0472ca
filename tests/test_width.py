"""Rich output is never wider than the terminal: answers, listings, sources and search hits."""

from __future__ import annotations

import re
import unicodedata

import pytest

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def cells(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in ANSI.sub("", line))


@pytest.mark.parametrize("args", [["cities"], ["banks"], ["sources"], ["sources", "chongqing"], ["search", "锁定"],
                                  ["pin", "ningbo"], ["show", "chongqing"]])
@pytest.mark.parametrize("columns", [80, 60])
def test_rich_fits_the_terminal(cli, args, columns):
    r = cli(*args, "--format", "rich", environ={"COLUMNS": str(columns)})
    assert r.code == 0, r.err
    widest = max(cells(line) for line in r.out.splitlines())
    assert widest <= columns, (widest, args)
