"""Rule text restates its sources in our own words: no long run of a source's sentence is pasted.

Lists of names (banks joined by 、), phone numbers and form titles may match a source
verbatim; prose may not. Runs only when ../shared is beside the checkout.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

import pytest

from conftest import TESTS

SHARED = TESTS.parent.parent / "shared"
LIMIT = 30  # characters of one continuous copied run


def _source_text(source) -> str:
    if source.seed:
        path = SHARED / "seeds" / source.seed
    else:
        number = re.match(r"src-(\d+)", source.id)
        found = sorted((SHARED / "sources").glob(f"{number.group(1)}_*.txt")) if number else []
        path = found[0] if found else None
    return re.sub(r"\s+", "", path.read_text(encoding="utf-8")) if path and path.exists() else ""


def _is_a_list_or_number(run: str) -> bool:
    return run.count("、") >= 3 or sum(ch.isdigit() or ch in "-、，," for ch in run) > len(run) / 2 or "《" in run


def test_no_pasted_sentences(bundled):
    if not SHARED.is_dir():
        pytest.skip("shared/ is not beside this checkout")
    texts: dict = {}
    pasted = []
    for region in bundled.rules.regions.values():
        for items in region.topics.values():
            for item in items:
                source = bundled.rules.sources.get(item.source)
                if source is None:
                    continue
                if source.id not in texts:
                    texts[source.id] = _source_text(source)
                zh = re.sub(r"\s+", "", item.text.zh)
                match = SequenceMatcher(None, zh, texts[source.id], autojunk=False).find_longest_match(
                    0, len(zh), 0, len(texts[source.id]))
                run = zh[match.a:match.a + match.size]
                if match.size >= LIMIT and not _is_a_list_or_number(run):
                    pasted.append(f"{item.file}:{item.line}: {run}")
    assert pasted == []
