"""Serve the rule data: parsed once, then read lazily from an on-disk index.

The first run (and any run after a rule file changes) parses and validates every file,
then writes the index (sscard.index) to the user cache directory. Later runs read only
what they need from it. A missing, corrupt or unwritable index only costs a re-parse;
it never fails a lookup.
"""

from __future__ import annotations

from sscard.model import Bank, Region, Text
from sscard.names import NameIndex, region_names

TYPE_CHECKING = False  # as in sscard.model: no typing import at start-up
if TYPE_CHECKING:
    from sscard.names import Names


class Rules:
    """What lookups ask of the rules; MemoryRules and IndexedRules both answer it."""

    problems: list
    warnings: list  # Problem for each entry of a rule folder that was not read
    notes: list  # messages about the cache (an index ignored and rebuilt)
    regions: Names  # name index: exact(text), is_id(key), choices()
    banks: Names
    gazetteer: dict
    census: dict  # sscard.census.take: what covered places state, for national fallbacks

    def region(self, rid: str) -> Region:
        raise NotImplementedError

    def bank(self, bid: str) -> Bank:
        raise NotImplementedError

    def source(self, sid: str):
        raise NotImplementedError

    def covered_below(self, rid: str, topic) -> tuple:
        """Light regions (no topics) below rid with rules of their own (for topic, if given)."""
        raise NotImplementedError

    def all_regions(self) -> list:
        raise NotImplementedError

    def all_banks(self) -> list:
        raise NotImplementedError

    def all_sources(self) -> list:
        raise NotImplementedError

    def completion_names(self) -> dict:
        """Names to offer when completing: {"regions": [[id, zh, en, aliases]], "banks": [...]}."""
        raise NotImplementedError

    def completion_bucket(self, kind: str, number: int):
        """One bucket of the stored completion table (sscard.completenames) of kind "regions" or
        "banks", or None when there is none (then completion_names() serves)."""
        return None


def names_table(regions, banks) -> dict:
    return {
        "regions": [[r.id, r.name.zh, r.name.en, list(r.aliases)] for r in sorted(regions, key=lambda r: r.id)],
        "banks": [[b.id, b.name.zh, b.name.en, list(b.aliases)] for b in sorted(banks, key=lambda b: b.id)],
    }


class MemoryRules(Rules):
    """Rules held in memory, straight from the loader (checks, tests, first runs)."""

    regions: NameIndex
    banks: NameIndex

    def __init__(self, ruleset) -> None:
        self.rules = ruleset
        self.problems = ruleset.problems
        self.warnings = ruleset.warnings  # rule-folder entries that were not read
        self.notes: list = []  # about the cache: an index ignored as unsafe or damaged
        self.gazetteer = ruleset.gazetteer
        self.census = ruleset.census
        # filed once by the loader's cross-check, which asks it who else answers to an alias
        self.regions = ruleset.names if ruleset.names is not None else NameIndex(region_names(ruleset))
        self.banks = NameIndex(
            (b.id, name) for b in ruleset.banks.values() for name in (b.id, b.name.zh, b.name.en, *b.aliases)
        )
        self._covered: dict | None = None

    def region(self, rid):
        return self.rules.regions[rid]

    def bank(self, bid):
        return self.rules.banks[bid]

    def source(self, sid):
        return self.rules.sources.get(sid)

    def covered_below(self, rid, topic):
        if self._covered is None:
            self._covered = covered_map(self.rules)
        return tuple(light(summary) for summary in self._covered.get(rid, {}).get(topic or "", ()))

    def all_regions(self):
        return list(self.rules.regions.values())

    def all_banks(self):
        return list(self.rules.banks.values())

    def all_sources(self):
        return list(self.rules.sources.values())

    def completion_names(self):
        return names_table(self.rules.regions.values(), self.rules.banks.values())


def covered_map(ruleset) -> dict:
    """region id -> {topic or '': [summaries of descendants with rules (for that topic)]}."""
    out: dict = {}
    for region in ruleset.regions.values():
        if not region.topics:
            continue
        summary = (region.id, region.level, tuple(region.name), region.parent)
        parent, seen = region.parent, {region.id}
        while parent and parent in ruleset.regions and parent not in seen:
            seen.add(parent)
            slots = out.setdefault(parent, {})
            slots.setdefault("", []).append(summary)
            for topic in region.topics:
                slots.setdefault(topic, []).append(summary)
            parent = ruleset.regions[parent].parent
    for slots in out.values():
        for summaries in slots.values():
            summaries.sort()
    return out


def light(summary) -> Region:
    rid, level, name, parent = summary
    return Region(rid, level, Text(*name), parent)


def build(paths) -> MemoryRules:
    """Parse and validate the rule files in these folders and files (no cache)."""
    from sscard.loader import load

    return MemoryRules(load([_as_path(p) for p in paths]))


def _as_path(p):
    from pathlib import Path

    return Path(p)
