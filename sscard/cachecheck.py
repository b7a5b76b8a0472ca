"""`sscard check --cache`: what lookups are served from the index, compared with the files.

The index may only make sscard faster. This parses the rule files afresh and compares
every region, bank, source, name and problem the index would serve with them; each
difference is a problem naming the index file.
"""

from __future__ import annotations

from sscard.errors import Problem


def compare(paths, environ):
    """(problems, what was compared): a problem for every difference between the index and the files."""
    from sscard import cachefiles
    from sscard.freshness import Stamp
    from sscard.index import IndexedRules, index_path
    from sscard.locate import cache_dir
    from sscard.serve import load_rules
    from sscard.store import build

    folder = cache_dir(environ)
    if folder is None:
        return [], "no index in use (SSCARD_CACHE_DIR is empty): lookups parse the files"
    try:
        cachefiles.private_folder(folder)
    except (cachefiles.Unsafe, cachefiles.Unusable) as exc:
        return [Problem(folder, 1, str(exc))], ""
    target = index_path(folder, paths)
    load_rules(paths, environ)  # writes the index if it is missing or not current
    try:
        indexed = IndexedRules(target, Stamp(paths), paths)
    except Exception as exc:  # not current right after writing it: unwritable folder, or changed meanwhile
        return [Problem(target, 1, f"no current index to compare ({type(exc).__name__}: {exc})")], ""
    fresh = build(paths)
    out = []

    def differ(what: str) -> None:
        out.append(Problem(target, 1, f"the index serves a different {what} than the rule files"))

    if list(indexed.problems) != list(fresh.problems) or list(indexed.warnings) != list(fresh.warnings):
        differ("list of problems")
    if sorted(r.id for r in indexed.all_regions()) != sorted(fresh.rules.regions):
        differ("set of regions")
    for rid, region in sorted(fresh.rules.regions.items()):
        try:
            served = indexed.region(rid)
        except KeyError:
            continue  # already reported as a different set
        if served != region:
            differ(f"region '{rid}'")
    if {b.id: b for b in indexed.all_banks()} != fresh.rules.banks:
        differ("set of banks")
    if {s.id: s for s in indexed.all_sources()} != fresh.rules.sources:
        differ("set of sources")
    for kind in ("regions", "banks"):
        served = {k: sorted(v) for k, v in getattr(indexed, kind).choices().items()}
        if served != {k: sorted(v) for k, v in getattr(fresh, kind).choices().items()}:
            differ(f"name table of {kind}")
    if indexed._fallback is not None:
        out.append(Problem(target, 1, "the index is damaged: lookups fall back to parsing the files"))
    return out, f"the index {target} matches the files"
