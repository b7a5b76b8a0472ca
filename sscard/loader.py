"""Read rule files, validate them, and merge them into one RuleSet.

Every problem is collected as a Problem(file, line, Msg) (sscard.problems: worded in the
reader's language when shown); nothing is skipped silently. Each file is read by
sscard.rulereader; the checks across files are in sscard.crosscheck. Callers decide
whether problems are fatal (lookups) or a report (check).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from sscard.errors import Problem
from sscard.i18n import Msg
from sscard.model import LEVELS, Bank, Citation, Item, Region, Source, Text
from sscard.crosscheck import cross_check
from sscard.rulereader import FileReader, Where
from sscard.topics import ASPECTS, PARTS, TOPICS


ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DATE_RE = re.compile(r"^(\d{4}(-\d{2}(-\d{2})?)?|undated)$")
KINDS = ("sources", "banks", "regions", "gazetteer")

REGION_KEYS = {"id", "level", "parent", "name", "aliases", "banks", "code"}
ITEM_KEYS = {"part", "aspect", "bank", "value", "title", "zh", "en", "source", "where", "sources", "scope", "derive"}
CITATION_KEYS = {"id", "where", "content_date"}
SOURCE_KEYS = {"seed", "url", "title", "date", "content_date", "grade", "note"}
BANK_KEYS = {"name", "aliases", "hotline", "source"}
PLACE_KEYS = {"id", "code", "level", "parent", "name", "aliases", "former"}
GRADES = ("A", "B", "C")


@dataclass
class RuleSet:
    """All rules, merged and cross-checked."""

    regions: dict = field(default_factory=dict)
    banks: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)
    files: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # entries of the rule folders that were not read
    children: dict = field(default_factory=dict)  # region id -> child ids
    gazetteer: dict = field(default_factory=dict)  # the gazetteer's [meta]
    census: dict = field(default_factory=dict)  # sscard.census: what covered places state
    gazetteer_only: set = field(default_factory=set)  # ids of places with no rule file
    former: dict = field(default_factory=dict)  # place id -> ((zh, en, year, how), ...): former names
    names: object = None  # the regions' sscard.names.NameIndex, filed by the cross-check (sscard.store uses it)


def rule_files(data_dir: Path, warnings: list | None = None) -> list:
    """Every rule file of one layer, in a stable order; what is not read goes to warnings."""
    from sscard.discover import walk

    files, found = walk(str(data_dir))
    if warnings is not None:
        warnings.extend(Problem(path, 1, message) for path, message in found)
    return [Path(f) for f in files]


def expand(paths: Iterable[Path], warnings: list | None = None) -> list:
    """(layer, file, named) for each rule file of each layer (a data folder or a single file).

    `named` is true for a file given as a layer itself. A file named twice counts once,
    in the later layer. Entries that are not read are added to warnings.
    """
    found: dict = {}
    for layer, path in enumerate(paths):
        files = rule_files(path, warnings)
        named = not path.is_dir()
        for file in files:
            key = file.resolve()
            found.pop(key, None)
            found[key] = (layer, file, named)
    return list(found.values())


def _kind(path: Path, doc: dict) -> str:
    if path.parent.name in KINDS:
        return path.parent.name
    if "region" in doc:
        return "regions"
    if "place" in doc or "meta" in doc:
        return "gazetteer"
    tables = [v for v in doc.values() if isinstance(v, dict)]
    if tables and all("title" in t or "grade" in t for t in tables):
        return "sources"
    return "banks" if tables and all("name" in t for t in tables) else "regions"


def load(paths: Iterable[Path]) -> RuleSet:
    """Load and validate every rule file in the given layers, lowest first.

    A later layer overrides: a source or bank entry as a whole; a region's head fields it
    sets; a region's topic as a whole, or, when every item it gives names a bank, only
    those banks' items. Within one layer a repeated id is an error.
    """
    rules = RuleSet()
    pending_regions = []
    places = []
    layers: dict = {}
    for layer, path, named in expand(paths, rules.warnings):
        rules.files.append(str(path))
        reader = FileReader(path, rules.problems, layer, follow=named)
        doc = reader.load()
        if doc is None:
            continue
        kind = _kind(path, doc)
        if kind == "sources":
            _read_sources(reader, doc, rules, layers)
        elif kind == "banks":
            _read_banks(reader, doc, rules, layers)
        elif kind == "gazetteer":
            places.extend(_read_places(reader, doc, rules))
        else:
            for region, where in _read_regions(reader, doc, rules.regions):
                pending_regions.append((reader, region))
                base = rules.regions.get(region.id)
                if base is None:
                    rules.regions[region.id] = region
                elif layers[("region", region.id)] == layer:
                    reader.problem(reader.lines.key(*where, "id"),
                                   Msg("duplicate region id '{id}' (also in {file})", id=region.id, file=base.file))
                    continue
                else:
                    rules.regions[region.id] = _override(base, region)
                layers[("region", region.id)] = layer
    _merge_places(places, rules)
    rules.gazetteer_only = {p.id for p in places} - {r.id for _, r in pending_regions}
    cross_check(rules, pending_regions)
    from sscard.census import take

    rules.census = take(rules.regions.values())
    return rules


def _duplicate(reader: FileReader, layers: dict, kind: str, ident: str, registry: dict, line: int) -> bool:
    """A repeated id within one layer is an error; from a lower layer it is an override."""
    key = (kind, ident)
    if key in layers and layers[key] == reader.layer:
        reader.problem(line, Msg("duplicate source id '{id}' (also in {file})", id=ident, file=registry[ident].file)
                       if kind == "source" else
                       Msg("duplicate bank id '{id}' (also in {file})", id=ident, file=registry[ident].file))
        return True
    layers[key] = reader.layer
    return False


def _registry_entries(reader: FileReader, doc: dict, kind: str, allowed: set) -> Iterator[tuple[str, dict, Where, int]]:
    """(id, table, where, line) for each [id] table of a source or bank registry file."""
    for ident, table in doc.items():
        where = (ident, 0)
        line = reader.lines.table(ident)
        if not isinstance(table, dict):
            reader.problem(line, Msg("'{id}' must be a table", id=ident))
            continue
        if not ID_RE.match(ident):
            reader.problem(line, Msg("source id '{id}' must be lowercase letters, digits and '-'", id=ident)
                           if kind == "source" else
                           Msg("bank id '{id}' must be lowercase letters, digits and '-'", id=ident))
        reader.unknown_keys(table, allowed, where)
        yield ident, table, where, line


def _read_sources(reader: FileReader, doc: dict, rules: RuleSet, layers: dict) -> None:
    for sid, table, where, line in _registry_entries(reader, doc, "source", SOURCE_KEYS):
        seed = reader.string(table, "seed", where, required=False)
        url = reader.string(table, "url", where, required=False)
        if bool(seed) == bool(url):
            reader.problem(line, Msg("source '{id}' needs exactly one of 'seed' or 'url'", id=sid))
        title = reader.string(table, "title", where)
        date = reader.string(table, "date", where)
        if date and not DATE_RE.match(date):
            reader.problem(reader.lines.key(*where, "date"), Msg("date '{date}' must be YYYY, YYYY-MM, YYYY-MM-DD or 'undated'", date=date))
        content = reader.string(table, "content_date", where, required=False)
        if content and not DATE_RE.match(content):
            reader.problem(reader.lines.key(*where, "content_date"), Msg("content_date '{date}' must be YYYY, YYYY-MM or YYYY-MM-DD", date=content))
        grade = reader.string(table, "grade", where)
        if grade and grade not in GRADES:
            reader.problem(reader.lines.key(*where, "grade"), Msg("grade '{grade}' must be one of {grades}", grade=grade, grades=", ".join(GRADES)))
        if _duplicate(reader, layers, "source", sid, rules.sources, line):
            continue
        note = reader.string(table, "note", where, required=False)
        rules.sources[sid] = Source(sid, title, date, grade, seed, url, note, f"{reader.name}:{line}", content)


def _read_banks(reader: FileReader, doc: dict, rules: RuleSet, layers: dict) -> None:
    for bid, table, where, line in _registry_entries(reader, doc, "bank", BANK_KEYS):
        name = reader.text(table.get("name"), where, "name")
        hotline = reader.string(table, "hotline", where, required=False)
        source = reader.string(table, "source", where, required=bool(hotline))
        if name is None or _duplicate(reader, layers, "bank", bid, rules.banks, line):
            continue
        rules.banks[bid] = Bank(bid, name, reader.strings(table, "aliases", where), hotline, source, f"{reader.name}:{line}")


# The last gazetteer read without problems, as read: (doc, file name, meta, former names, places).
# Its document is the one kept for the file's bytes (sscard.rulereader), so the same bytes at the
# same path give the same places, which are immutable records: a process that loads rules again
# (a check after a lookup, a shell whose local files change, a library user) reads 3,000 places once.
_PLACES: list = []


def _read_places(reader: FileReader, doc: dict, rules: RuleSet) -> list:
    if _PLACES and _PLACES[0][0] is doc and _PLACES[0][1] == reader.name:
        _, _, meta, former, places = _PLACES[0]
        rules.gazetteer = dict(meta)
        rules.former.update(former)
        return list(places)
    problems_before = len(reader.problems)
    former_before = dict(rules.former)
    meta = doc.get("meta")
    if not isinstance(meta, dict):
        reader.problem(1, Msg("gazetteer needs a [meta] table naming its dataset, version and date"))
    else:
        rules.gazetteer = dict(meta)
    places = _places(reader, doc, rules)
    if len(reader.problems) == problems_before and isinstance(meta, dict):
        added = {pid: names for pid, names in rules.former.items() if former_before.get(pid) is not names}
        _PLACES[:] = [(doc, reader.name, dict(meta), added, tuple(places))]
    return places


def _places(reader: FileReader, doc: dict, rules: RuleSet) -> list:
    places = []
    for index, table in enumerate(doc.get("place", [])):
        where = ("place", index)
        reader.unknown_keys(table, PLACE_KEYS, where)
        pid = reader.string(table, "id", where)
        name = reader.text(table.get("name"), where, "name")
        level = reader.string(table, "level", where)
        if not pid or name is None or level not in LEVELS:
            if level and level not in LEVELS:
                reader.problem(reader.lines.key(*where, "level"), Msg("level '{level}' must be one of {levels}", level=level, levels=", ".join(LEVELS)))
            continue
        former = table.get("former", [])
        if isinstance(former, list) and former:
            rules.former[pid] = tuple((str(f.get("zh", "")), str(f.get("en", "")), int(f.get("year", 0)),
                                       str(f.get("how", ""))) for f in former if isinstance(f, dict) and f.get("zh"))
        places.append(Region(
            id=pid, level=level, name=name,
            parent=reader.string(table, "parent", where, required=False),
            aliases=reader.strings(table, "aliases", where),
            code=str(table.get("code", "")),
            file=f"{reader.name}:{reader.lines.table('place', index)}",
        ))
    return places


def _read_regions(reader: FileReader, doc: dict, existing: dict[str, Region]) -> list[tuple[Region, Where]]:
    """(region, where) for each region a file holds: [region] and top-level topics, or [[regions]]."""
    if "regions" in doc and "region" not in doc:
        entries = doc["regions"]
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            reader.problem(reader.lines.table("regions"), Msg("'regions' must be written as [[regions]] tables"))
            return []
        for key in doc:
            if key != "regions":  # [[pin]] after [[regions]] is not that region's: it belongs to none
                reader.problem(reader.lines.table(key), Msg("'{key}' beside [[regions]] belongs to no region; "
                                                            "write it as [[regions.{key}]] under its region", key=key))
        seen: dict = {}
        out = []
        for index, entry in enumerate(entries):
            head = {k: v for k, v in entry.items() if k in REGION_KEYS}
            body = {k: v for k, v in entry.items() if k not in REGION_KEYS}
            where = ("regions", index)
            region = _read_region(reader, head, body, where, "regions.", seen, False, existing)
            if region is not None:
                out.append((region, where))
        return out
    single = doc.get("region")
    if not isinstance(single, dict):
        reader.problem(1, Msg("missing [region] table"))
        return []
    body = {k: v for k, v in doc.items() if k != "region"}
    region = _read_region(reader, single, body, ("region", 0), "", {}, True, existing)
    return [(region, ("region", 0))] if region is not None else []


def _read_region(reader: FileReader, head: dict, body: dict, where: Where, prefix: str, seen: dict,
                 single: bool, existing: dict[str, Region]) -> Region | None:
    """One region: its head keys and its topics. `seen` counts items per topic across a file.

    A region that overrides one from a lower layer may leave out level, parent and name.
    """
    reader.unknown_keys(head, REGION_KEYS, where)
    rid = reader.string(head, "id", where)
    base = existing.get(rid) if rid else None
    if rid and not ID_RE.match(rid):
        reader.problem(reader.lines.key(*where, "id"), Msg("region id '{id}' must be lowercase toneless pinyin: letters, digits and '-'", id=rid))
    if single and rid and rid != reader.path.stem:
        reader.problem(reader.lines.key(*where, "id"), Msg("region id '{id}' does not match the file name '{name}'", id=rid, name=reader.path.stem))
    level = reader.string(head, "level", where, required=base is None)
    if level and level not in LEVELS:
        reader.problem(reader.lines.key(*where, "level"), Msg("level '{level}' must be one of {levels}", level=level, levels=", ".join(LEVELS)))
    parent = reader.string(head, "parent", where, required=base is None and level not in ("nation", ""))
    if level == "nation" and parent:
        reader.problem(reader.lines.key(*where, "parent"), Msg("a nation has no parent"))
    name = reader.text(head.get("name"), where, "name", required=base is None)
    topics = {}
    for key, value in body.items():
        table = prefix + key
        if key not in TOPICS:
            close = difflib.get_close_matches(key, list(TOPICS), n=1)
            reader.problem(reader.lines.table(table, seen.get(table, 0)),
                           Msg("unknown topic '{key}' (did you mean '{close}'?)", key=key, close=close[0]) if close else
                           Msg("unknown topic '{key}' (topics: {topics})", key=key, topics=", ".join(TOPICS)))
            continue
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            reader.problem(reader.lines.table(table), Msg("topic '{key}' must be written as [[{table}]] items",
                                                           key=key, table=table))
            continue
        if not value:
            reader.problem(reader.lines.key(*(where if prefix else ("", 0)), key), Msg("topic '{key}' has no items", key=key))
            continue
        first = seen.get(table, 0)
        seen[table] = first + len(value)
        items = [_read_item(reader, key, table, first + index, item) for index, item in enumerate(value)]
        topics[key] = tuple(i for i in items if i is not None)
    if base is not None:  # what an override leaves out stays as the lower layer has it
        level, name, parent = level or base.level, name or base.name, parent or base.parent
    if not rid or not level or name is None:
        return None
    return Region(rid, level, name, parent,
                  reader.strings(head, "aliases", where), reader.strings(head, "banks", where), topics, "",
                  f"{reader.name}:{reader.lines.table(*where)}")


def _override(base: Region, new: Region) -> Region:
    """A region from a higher layer laid over the same region from a lower one."""
    topics = dict(base.topics)
    for topic, items in new.topics.items():
        if topic in topics and items and all(i.bank for i in items):
            banks = {i.bank for i in items}
            topics[topic] = tuple(i for i in topics[topic] if i.bank not in banks) + items
        else:
            topics[topic] = items
    return base.replace(
        level=new.level, parent=new.parent, name=new.name,
        aliases=base.aliases + tuple(a for a in new.aliases if a not in base.aliases),
        banks=tuple(dict.fromkeys(base.banks + new.banks)), topics=topics, file=f"{base.file}, {new.file}",
    )


def _read_item(reader: FileReader, topic: str, table_name: str, index: int, table: dict):
    where = (table_name, index)
    reader.unknown_keys(table, ITEM_KEYS, where)
    part = reader.string(table, "part", where)
    if part and part not in PARTS:
        reader.problem(reader.lines.key(*where, "part"), Msg("part '{part}' must be one of {parts}", part=part, parts=", ".join(PARTS)))
    if part in ("query", "online") and topic != "pin":
        reader.problem(reader.lines.key(*where, "part"), Msg("part '{part}' belongs in the pin topic only", part=part))
    aspect = reader.string(table, "aspect", where)
    if aspect and aspect not in ASPECTS:
        close = difflib.get_close_matches(aspect, list(ASPECTS), n=1)
        reader.problem(reader.lines.key(*where, "aspect"),
                       Msg("unknown aspect '{aspect}' (did you mean '{close}'?)", aspect=aspect, close=close[0])
                       if close else Msg("unknown aspect '{aspect}'", aspect=aspect))
    citations = _read_citations(reader, table, where)
    text = None
    zh, en = table.get("zh"), table.get("en")
    for lang, got in (("zh", zh), ("en", en)):
        if not isinstance(got, str) or not got.strip():
            reader.problem(reader.lines.key(*where, lang), Msg("missing {lang} text", lang=lang))
    if isinstance(zh, str) and isinstance(en, str) and zh.strip() and en.strip():
        text = Text(zh.strip(), en.strip())
    value = reader.text(table.get("value"), where, "value", required=False)
    title = reader.text(table.get("title"), where, "title", required=topic in ("faq", "contacts"))
    scope = reader.text(table.get("scope"), where, "scope", required=False)
    bank = reader.string(table, "bank", where, required=False)
    derive = reader.string(table, "derive", where, required=False)
    if derive:
        from sscard.idcard import RULES

        if derive not in RULES:
            reader.problem(reader.lines.key(*where, "derive"), Msg("derive '{derive}' must be one of {rules}", derive=derive,
                                                                         rules=", ".join(RULES)))
        elif topic != "pin" or aspect != "initial":
            reader.problem(reader.lines.key(*where, "derive"), Msg("derive belongs on a pin item with aspect 'initial'"))
    if text is None or not part or not aspect or not citations:
        return None
    return Item(topic, part, aspect, text, citations, bank, value, title, scope, reader.name,
                reader.lines.table(*where), False, derive)


def _read_citations(reader: FileReader, table: dict, where: Where) -> tuple:
    """`source` + `where`, or `sources = [{id, where, content_date}, ...]`: one or more citations."""
    listed = table.get("sources")
    if listed is None:
        source = reader.string(table, "source", where, required=False)
        if not source:
            reader.problem(reader.lines.table(*where), Msg("this fact has no source (give 'source' or 'sources')"))
            return ()
        return (Citation(source, reader.string(table, "where", where, required=False)),)
    line = reader.lines.key(*where, "sources")
    if "source" in table or "where" in table:
        reader.problem(line, Msg("give either 'source' (with 'where') or 'sources', not both"))
        return ()
    if not isinstance(listed, list) or not listed or not all(isinstance(c, dict) for c in listed):
        reader.problem(line, Msg("'sources' must be a non-empty list of {{ id = \"...\", where = \"...\" }} tables"))
        return ()
    out = []
    for cited in listed:
        extra = set(cited) - CITATION_KEYS
        if extra:
            reader.problem(line, Msg("'sources' entry has unknown key(s): {extra} (allowed: id, where, content_date)",
                                     extra=", ".join(sorted(extra))))
        sid, at, content = cited.get("id"), cited.get("where", ""), cited.get("content_date", "")
        if not isinstance(sid, str) or not sid.strip() or not isinstance(at, str) or not isinstance(content, str):
            reader.problem(line, Msg("each 'sources' entry needs an 'id' string (and optional 'where', 'content_date' strings)"))
            continue
        if content and not DATE_RE.match(content):
            reader.problem(line, Msg("content_date '{date}' must be YYYY, YYYY-MM or YYYY-MM-DD", date=content))
        out.append(Citation(sid.strip(), at.strip(), content.strip() if content != "undated" else ""))
    if len({c.source for c in out}) != len(out):
        reader.problem(line, Msg("a source is cited twice for one fact"))
    return tuple(out)


def _merge_places(places: list, rules: RuleSet) -> None:
    """Gazetteer places become rule-less regions; a rule file's region gains the code."""
    for place in places:
        own = rules.regions.get(place.id)
        if own is None:
            rules.regions[place.id] = place
        else:
            aliases = own.aliases + tuple(a for a in place.aliases if a not in own.aliases)
            rules.regions[place.id] = own.replace(code=own.code or place.code, aliases=aliases)
