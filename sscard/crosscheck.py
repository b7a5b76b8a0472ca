"""The loader's checks across files: references between them, cycles, aliases, repeats, disputes.

sscard.loader reads each file on its own; once every layer is read, cross_check() checks what
one file says about another (a parent, a bank, a source), that no region is its own ancestor,
that an alias names one place and looks like no other, and that one fact is not written twice,
and marks disputes (one subject, different values from different sources), newest first.
Each problem names the file and line it comes from. `rules` is the loader's RuleSet.
"""

from __future__ import annotations

import difflib

from sscard.errors import Problem
from sscard.i18n import Msg
from sscard.model import Item


def _problem_at(rules, where: str, message: Msg) -> None:
    file, _, line = where.split(", ")[-1].rpartition(":")  # an overridden region: its last file
    rules.problems.append(Problem(file, int(line or 1), message))


def cross_check(rules, pending: list) -> None:
    """References between files: parents, banks, sources, cycles, aliases, disputes."""
    for bank in rules.banks.values():
        if bank.source and bank.source not in rules.sources:
            _problem_at(rules, bank.file, Msg("bank '{bank}' cites unknown source '{source}'",
                                                    bank=bank.id, source=bank.source))
    for rid, region in list(rules.regions.items()):
        if region.parent and region.parent not in rules.regions:
            _problem_at(rules, region.file, Msg("region '{id}' has unknown parent '{parent}'",
                                                        id=rid, parent=region.parent))
        elif region.parent:
            rules.children.setdefault(region.parent, []).append(rid)
        if not region.topics and not region.banks:
            continue  # a place with no rules of its own (most of the gazetteer): nothing to mark
        named = set(region.banks)
        for bank in region.banks:
            if bank not in rules.banks:
                _problem_at(rules, region.file, Msg("region '{id}' names unknown bank '{bank}'", id=rid, bank=bank))
        topics = {}
        for topic, items in region.topics.items():
            for item in items:
                where = f"{item.file}:{item.line}"
                for cited in item.citations:
                    if cited.source not in rules.sources:
                        _problem_at(rules, where, Msg("unknown source '{source}'", source=cited.source))
                if item.bank:
                    if item.bank not in rules.banks:
                        close = difflib.get_close_matches(item.bank, list(rules.banks), n=1)
                        _problem_at(rules, where, Msg("unknown bank '{bank}' (did you mean '{close}'?)",
                                                      bank=item.bank, close=close[0])
                                    if close else Msg("unknown bank '{bank}'", bank=item.bank))
                    if item.scope is None:  # a scoped fact's bank is not this whole place's bank
                        named.add(item.bank)
            _check_repeats(rules, items)
            topics[topic] = _mark_disputes(items, rules.sources)
        rules.regions[rid] = region.replace(banks=tuple(sorted(named)), topics=topics)
    for kids in rules.children.values():
        kids.sort()
    _check_cycles(rules)
    _check_aliases(rules, pending)


def _check_cycles(rules) -> None:
    for rid, region in rules.regions.items():
        seen = {rid}
        parent = region.parent
        while parent in rules.regions:
            if parent in seen:
                _problem_at(rules, region.file, Msg("region '{id}' is its own ancestor (cycle through '{parent}')",
                                                            id=rid, parent=parent))
                break
            seen.add(parent)
            parent = rules.regions[parent].parent


def _check_aliases(rules, pending: list) -> None:
    """An alias written in a rule file must not also name a different region or bank."""
    from sscard.names import NameIndex, exact_keys, normalize, region_names

    # who else answers to a written alias's keys, by their current names: from the index of every
    # region's names, filed here once and kept for the lookups (sscard.store)
    index = rules.names = NameIndex(region_names(rules))

    def owners(key: str) -> set:
        return {ident for ident, _cls, former in index.entries(key) if not former}

    full: dict = {}  # a gazetteer place's id and full names: no rule file may use them for another place
    for rid in rules.gazetteer_only:
        place = rules.regions[rid]
        for name in (place.id, place.name.zh):
            full.setdefault(normalize(name), set()).add(rid)
    for reader, region in pending:
        for name in (region.id, region.name.zh):
            clash = sorted(full.get(normalize(name), set()) - {region.id}) if name else []
            same = [c for c in clash if rules.regions[c].level == region.level or normalize(name) == c]
            if same:
                reader.problem(reader.lines.key("region", 0, "id"),
                               Msg("region '{id}' ({name}) is gazetteer place '{place}' under another id; "
                                   "use id '{place}' so the name means one place", id=region.id, name=name, place=same[0]))
                break
        for alias in region.aliases:
            for key in exact_keys(alias):
                # sharing a short name or romanization with a gazetteer place is allowed (the
                # name is then ambiguous); naming another rule file's place is not
                others = owners(key) - {region.id} - rules.gazetteer_only
                if normalize(alias) in full and full[normalize(alias)] - {region.id}:
                    others = others | (full[normalize(alias)] - {region.id})
                if others:
                    reader.problem(reader.lines.key("region", 0, "aliases"),
                                   Msg("alias '{alias}' also names {others}", alias=alias, others=", ".join(sorted(others))))
                    break
    _check_lookalikes(rules, pending)
    bank_owners: dict = {}
    for bank in rules.banks.values():
        for name in (bank.id, bank.name.zh, bank.name.en, *bank.aliases):
            for key in exact_keys(name):
                bank_owners.setdefault(key, set()).add(bank.id)
    for key, ids in sorted(bank_owners.items()):
        if len(ids) > 1:
            first = rules.banks[sorted(ids)[0]]
            _problem_at(rules, first.file, Msg("bank name or alias '{key}' points at {banks}",
                                                     key=key, banks=", ".join(sorted(ids))))


def _check_lookalikes(rules, pending: list) -> None:
    """Aliases with invisible or mixed-script characters, or that fold to another region's name."""
    from sscard.lookalike import problems

    names = {r.id: (r.id, r.name.zh, r.name.en, *r.aliases) for r in rules.regions.values()}
    readers = {}
    written = []
    for reader, region in pending:
        for alias in region.aliases:
            readers[(region.id, alias)] = reader
            written.append((region.id, alias, (region.id, alias)))
    for (rid, alias), message in problems(names, written):
        reader = readers[(rid, alias)]
        reader.problem(reader.lines.key("region", 0, "aliases"), message)


def _check_repeats(rules, items: tuple) -> None:
    """Two items stating one value for one subject are one fact: merge them (sources = [...])."""
    seen: dict = {}
    for item in items:
        if item.value is None:
            continue
        key = (item.subject, item.value)
        first = seen.setdefault(key, item)
        if first is not item:
            _problem_at(rules, f"{item.file}:{item.line}",
                        Msg("same fact as line {line} (same subject and value): merge them into one item "
                            "with sources = [{{id = ..., where = ...}}, ...]", line=first.line))


def _mark_disputes(items: tuple, sources: dict) -> tuple:
    """Facts with one subject and different values from different sources: a dispute, newest first.

    One source listing several values (two hotlines of one office) is not a dispute.
    """
    groups: dict = {}
    for item in items:
        if item.value is not None:
            groups.setdefault(item.subject, []).append(item)
    disputed = {
        key for key, group in groups.items()
        if any(a.value != b.value and set(a.source_ids()) != set(b.source_ids()) for a in group for b in group)
    }
    if not disputed:
        return tuple(items)
    out, placed = [], set()
    for item in items:
        key = item.subject
        if key not in disputed or item.value is None:
            out.append(item)
        elif key not in placed:
            placed.add(key)
            group = sorted(groups[key], key=lambda i: newest(i, sources), reverse=True)
            out.extend(i.replace(disputed=True) for i in group)
    return tuple(out)


def newest(item: Item, sources: dict) -> str:
    """The newest date among a fact's citations ('' when none is dated)."""
    dates = [c.date(sources) for c in item.citations]
    return max((d for d in dates if d != "undated"), default="")
