"""The rules for a set of data layers: from the on-disk index when it is current, else parsed.

This is the one place that decides between sscard.index (served lazily from disk) and
sscard.store.build (parsed now); store and index stay unaware of each other's callers,
so neither imports the other back.
"""

from __future__ import annotations

from sscard.locate import bundled_data_dir, cache_dir
from sscard.store import Rules, build


def load_rules(paths, environ=None, use_cache: bool = True) -> Rules:
    """The rules for these layers, from the index when it is current (see sscard.freshness)."""
    import os

    from sscard import cachefiles
    from sscard.freshness import Stamp, digests
    from sscard.i18n import Msg
    from sscard.index import Damaged, IndexedRules, NotCurrent, index_path, write_index

    folder = cache_dir(environ) if use_cache else None
    if folder is None:
        return build(paths)
    notes = []
    environ = os.environ if environ is None else environ
    try:
        folder = cachefiles.private_folder(folder, repair=environ.get("SSCARD_CACHE_DIR") is None)
        current = Stamp(paths)
    except cachefiles.Unsafe as exc:
        rules = build(paths)
        rules.notes.append(str(exc))
        return rules
    except (cachefiles.Unusable, OSError):  # a read-only or missing place for the cache only costs speed
        return build(paths)
    target = index_path(folder, paths)
    try:
        found = IndexedRules(target, current, paths)
        cachefiles.touch(target)
        if not found.digested or found.digested <= set(current.racy(cachefiles.clock(folder))):
            return found
        found.close()  # files hashed on every run that their times now vouch for: rebuild once without
    except NotCurrent:
        pass
    except cachefiles.Unsafe as exc:
        notes.append(str(Msg("{reason}; rebuilt it", reason=exc.args[0])))
    except Damaged as exc:
        notes.append(str(Msg("ignored the cache file {path}: {reason}; rebuilt it", path=target, reason=exc.args[0])))
    except Exception as exc:  # anything else: rebuild it
        notes.append(str(Msg("ignored the cache file {path}: {reason}; rebuilt it", path=target,
                             reason=type(exc).__name__)))
    hashes = digests(current.racy(cachefiles.clock(folder)))  # before parsing: an edit during the parse shows next time
    if len(paths) == 1 and str(paths[0]) == bundled_data_dir():  # the first run after installing: the shipped index
        from sscard import shipped

        if shipped.adopt(str(paths[0]), current, folder, target, hashes):
            try:
                found = IndexedRules(target, current, paths)
                found.notes.extend(notes)
                return found
            except Exception:  # the copy is checked like any index; failing that, parse as before
                pass
    fresh = build(paths)
    fresh.notes.extend(notes)
    write_index(folder, target, current, hashes, fresh)
    return fresh
