"""`sscard check --cache`: what lookups are served from the index, compared with the files.

The index may only make sscard faster. This parses the rule files afresh and compares
every region, bank, source, name and problem the index would serve with them; each
difference is a problem naming the index file.
"""

from __future__ import annotations

from sscard.errors import Problem
from sscard.i18n import Msg


def compare(paths, environ, fresh=None):
    """(problems, what was compared): a problem for every difference between the index and the files.

    fresh: these paths' rules as just parsed (sscard.store.build), when the caller has them already.
    """
    from sscard import cachefiles
    from sscard.freshness import Stamp
    from sscard.index import IndexedRules, index_path
    from sscard.locate import cache_dir
    from sscard.serve import load_rules
    from sscard.store import build

    folder = cache_dir(environ)
    if folder is None:
        return [], str(Msg("no index in use (SSCARD_CACHE_DIR is empty): lookups parse the files"))
    try:
        cachefiles.private_folder(folder)
    except (cachefiles.Unsafe, cachefiles.Unusable) as exc:
        return [Problem(folder, 1, exc.args[0])], ""
    target = index_path(folder, paths)
    load_rules(paths, environ)  # writes the index if it is missing or not current
    try:
        indexed = IndexedRules(target, Stamp(paths), paths)
    except Exception as exc:  # not current right after writing it: unwritable folder, or changed meanwhile
        return [Problem(target, 1, Msg("no current index to compare ({kind}: {reason})", kind=type(exc).__name__,
                                        reason=reason(exc)))], ""
    if fresh is None:
        fresh = build(paths)
    out = []

    def differ(what: Msg) -> None:
        out.append(Problem(target, 1, Msg("the index serves a different {what} than the rule files", what=what)))

    if list(indexed.problems) != list(fresh.problems) or list(indexed.warnings) != list(fresh.warnings):
        differ(Msg("list of problems"))
    if sorted(r.id for r in indexed.all_regions()) != sorted(fresh.rules.regions):
        differ(Msg("set of regions"))
    for rid, region in sorted(fresh.rules.regions.items()):
        try:
            served = indexed.region(rid)
        except KeyError:
            continue  # already reported as a different set
        if served != region:
            differ(Msg("region '{id}'", id=rid))
    if {b.id: b for b in indexed.all_banks()} != fresh.rules.banks:
        differ(Msg("set of banks"))
    if {s.id: s for s in indexed.all_sources()} != fresh.rules.sources:
        differ(Msg("set of sources"))
    for kind in ("regions", "banks"):
        served = {k: sorted(v) for k, v in getattr(indexed, kind).choices().items()}
        if served != {k: sorted(v) for k, v in getattr(fresh, kind).choices().items()}:
            differ(Msg("name table of regions") if kind == "regions" else Msg("name table of banks"))
    from sscard.listing import stored_texts_match
    from sscard.searchwrite import table_matches

    if not stored_texts_match(indexed, fresh):
        differ(Msg("listing of places"))
    stored = indexed.search_table()
    try:
        same = stored is None or table_matches(stored, fresh.all_regions(), fresh.rules.banks)
    except Exception:  # noqa: BLE001 - a table that cannot be read is not the files' table
        same = False
    if not same:
        differ(Msg("search table"))
    if indexed._fallback is not None:
        out.append(Problem(target, 1, Msg("the index is damaged: lookups fall back to parsing the files")))
    return out, str(Msg("the index {path} matches the files", path=target))


def reason(exc: Exception):
    """An exception's message: its Msg when it carries one (shown in the current language), else its text."""
    first = exc.args[0] if exc.args else None
    return first if isinstance(first, Msg) else str(exc)
