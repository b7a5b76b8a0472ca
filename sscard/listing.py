"""The `cities` and `banks` listings, in every output format."""

from __future__ import annotations

from sscard.lookup import require_valid
from sscard.model import LEVELS
from sscard.safe import one_line
from sscard.topics import LEVEL_LABELS, TOPICS


def _covered(regions: dict, all_places: bool) -> list:
    """Regions with rules, plus every ancestor that holds one (or all, with --all)."""
    keep = set()
    for region in regions.values():
        if all_places or region.topics:
            rid = region.id
            while rid and rid not in keep and rid in regions:
                keep.add(rid)
                rid = regions[rid].parent
    return sorted((regions[r] for r in keep), key=lambda r: (LEVELS.index(r.level), r.parent, r.id))


def stored_rows(regions, sources: dict) -> list:
    """Every place's listing row as plain data, in listing order, each with whether it is listed
    without --all (the on-disk index keeps these, so `cities` reads no region)."""
    from sscard.strength import place_strength

    regions = {r.id: r for r in regions}
    listed = {r.id for r in _covered(regions, False)}
    rows = []
    for region in _covered(regions, True):
        strength = place_strength(region, sources)
        rows.append((region.id, region.level, region.parent or None, tuple(region.name), tuple(region.aliases),
                     tuple(t for t in TOPICS if t in region.topics), region.code or None, region.file,
                     strength["facts"], strength["newest"], region.id in listed))
    return rows


def city_rows(rules, all_places: bool = False) -> list:
    stored = getattr(rules, "listing_rows", None)
    rows = stored(all_places) if stored is not None else None
    if rows is None:
        rows = stored_rows(rules.all_regions(), {s.id: s for s in rules.all_sources()})
    return [_row_dict(row) for row in rows if all_places or row[-1]]


def _row_dict(row) -> dict:
    rid, level, parent, name, aliases, topics, code, file, facts, newest, _listed = row
    return {
        "id": rid, "level": level, "parent": parent, "name": {"zh": name[0], "en": name[1]},
        "aliases": list(aliases), "topics": list(topics), "code": code, "file": file, "from": _origins(file),
        "facts": dict(facts), "newest": newest,
    }


# The listing as plain and markdown text, kept in the index so `cities` only reads and writes it:
# the level column (the one cell that depends on the language) holds its level's number between
# two NUL characters (never in a cell: one_line drops control characters), worded when shown.
TEXT_FORMATS = ("plain", "markdown")
_LEVEL_MARK = {level: f"\x00{n}\x00" for n, level in enumerate(LEVEL_LABELS)}


def stored_texts(rows) -> dict | None:
    """{format: (text of the places listed without --all, text of every place)} for the index,
    or None when a row cannot be shown this way (a level without a label)."""
    if any(row[1] not in _LEVEL_MARK for row in rows):
        return None
    cells = [(_cells(r, _LEVEL_MARK[r["level"]]), row[-1]) for r, row in ((_row_dict(row), row) for row in rows)]
    return {fmt: tuple(_table(HEADER, [c for c, listed in cells if all_places or listed], fmt)
                       for all_places in (False, True)) for fmt in TEXT_FORMATS}


def stored_texts_match(indexed, fresh) -> bool:
    """Whether the listing texts an index keeps (if any) are those of the parsed rules (`check --cache`)."""
    cells: dict = {}  # lang -> [(cells, listed)], worked out once for every format
    for fmt in TEXT_FORMATS:
        for all_places in (False, True):
            text = indexed.listing_text(fmt, all_places) if hasattr(indexed, "listing_text") else None
            if text is None:
                continue
            if not cells:
                rows, listed = city_rows(fresh, True), {r["id"] for r in city_rows(fresh, False)}
                cells = {lang: [(_cells(r, LEVEL_LABELS[r["level"]].get(lang)), r["id"] in listed) for r in rows]
                         for lang in ("zh", "en")}
            for lang in ("zh", "en"):
                table = [c for c, is_listed in cells[lang] if all_places or is_listed]
                if shown_text(text, lang) != _table(HEADER, table, fmt):
                    return False
    return True


def shown_text(text: bytes, lang: str) -> str:
    """A stored listing text (UTF-8) with its level marks worded in lang."""
    words = {str(n).encode(): LEVEL_LABELS[level].get(lang).encode("utf-8") for n, level in enumerate(LEVEL_LABELS)}
    parts = text.split(b"\x00")  # on the bytes, in one pass: far faster than replacing in the text
    parts[1::2] = [words[mark] for mark in parts[1::2]]
    return b"".join(parts).decode("utf-8")


def _origins(files: str) -> list:
    """Where a region's rules come from: 'bundled', or the local files laid over them."""
    from sscard.locate import bundled_data_dir

    bundled = bundled_data_dir()
    out = []
    for where in files.split(", "):
        name = "bundled" if where.startswith(bundled) else where.rpartition(":")[0]
        if name not in out:
            out.append(name)
    return out


HEADER = ["id", "level", "parent", "name", "topics", "aliases", "from", "facts A/B/C", "newest"]


def _cells(r: dict, level: str) -> list:
    return [
        r["id"], level, r["parent"] or "-",
        one_line(f"{r['name']['zh']} / {r['name']['en']}"),
        ",".join(r["topics"]) or "-", one_line(", ".join(r["aliases"][:4])) or "-",
        one_line(", ".join(r["from"])),
        "/".join(str(r["facts"][g]) for g in "ABC") if r["topics"] else "-", r["newest"] or "-",
    ]


def render_cities(rules, fmt: str, lang: str, all_places: bool = False, ascii_only: bool = False,
                  width: int = 80, color: bool = True) -> str:
    require_valid(rules)
    if fmt in TEXT_FORMATS:
        stored = getattr(rules, "listing_text", None)
        text = stored(fmt, all_places) if stored is not None else None
        if text is not None:
            return shown_text(text, lang)
    rows = city_rows(rules, all_places)
    if fmt == "json":
        from sscard.renderers.json import dumps  # json costs milliseconds to import: only when asked

        return dumps({"schema": 1, "regions": rows}, ascii_only)
    table = [_cells(r, LEVEL_LABELS[r["level"]].get(lang)) for r in rows]
    return _table(HEADER, table, fmt, width, color)


def render_banks(rules, fmt: str, lang: str, ascii_only: bool = False, width: int = 80, color: bool = True) -> str:
    require_valid(rules)
    banks = sorted(rules.all_banks(), key=lambda b: b.id)
    if fmt == "json":
        from sscard.renderers.json import dumps

        return dumps({"schema": 1, "banks": [b.to_dict() for b in banks]}, ascii_only)
    header = ["id", "name", "hotline", "aliases"]
    table = [[b.id, one_line(f"{b.name.zh} / {b.name.en}"), b.hotline or "-", one_line(", ".join(b.aliases)) or "-"]
             for b in banks]
    return _table(header, table, fmt, width, color)


def _table(header: list, rows: list, fmt: str, width: int = 80, color: bool = True) -> str:
    if fmt == "plain":  # tab-separated: one row per line for cut and awk
        return "".join("\t".join(row) + "\n" for row in [header, *rows])
    if fmt == "markdown":
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    from sscard.renderers.console import table

    return table(header, rows, width, color)


def source_rows(rules, region=None) -> list:
    """Registered sources (or those a region and the places above it cite), with who cites them."""
    from sscard.lookup import ancestry

    places = ancestry(rules, region) if region is not None else rules.all_regions()
    cited: dict = {}
    for place in places:
        for items in place.topics.values():
            for item in items:
                for sid in item.source_ids():
                    cited.setdefault(sid, [])
                    if place.id not in cited[sid]:
                        cited[sid].append(place.id)
    rows = []
    for source in sorted(rules.all_sources(), key=lambda s: s.id):
        if region is not None and source.id not in cited:
            continue
        rows.append({**source.to_dict(), "cited_by": sorted(cited.get(source.id, []))})
    return rows


def render_sources(rules, fmt: str, lang: str, region=None, ascii_only: bool = False, width: int = 80,
                   color: bool = True, stats: bool = False) -> str:
    require_valid(rules)
    if stats:
        return _render_stats(rules, fmt, ascii_only, width, color)
    rows = source_rows(rules, region)
    if fmt == "json":
        from sscard.renderers.json import dumps

        return dumps({"schema": 1, "region": region.id if region else None, "sources": rows}, ascii_only)
    header = ["id", "date", "grade", "title", "address", "cited by"]
    table = [[r["id"], r["date"], r["grade"], one_line(r["title"]), one_line(r["address"] or f"seed {r['seed']}"),
              one_line(", ".join(r["cited_by"][:8]) + (" ..." if len(r["cited_by"]) > 8 else "")) or "-"]
             for r in rows]
    return _table(header, table, fmt, width, color)


def _render_stats(rules, fmt: str, ascii_only: bool, width: int, color: bool) -> str:
    """Totals: places with rules, facts by their best source's grade, sources by grade."""
    from sscard.strength import GRADES, coverage_line, totals

    stats = totals(rules.all_regions(), {s.id: s for s in rules.all_sources()})
    if fmt == "json":
        from sscard.renderers.json import dumps

        return dumps({"schema": 1, **stats, "line": coverage_line(stats)}, ascii_only)
    header = ["measure", *GRADES, "total"]
    rows = [[name, *(str(stats[key][g]) for g in GRADES), str(sum(stats[key].values()))]
            for name, key in (("facts by best grade", "facts_by_best_grade"),
                              ("places by best grade", "places_by_best_grade"),
                              ("sources by grade", "sources_by_grade"))]
    return _table(header, rows, fmt, width, color)
