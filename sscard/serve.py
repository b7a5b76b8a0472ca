"""The rules for a set of data layers: from the on-disk index when it is current, else parsed.

This is the one place that decides between sscard.index (served lazily from disk) and
sscard.store.build (parsed now); store and index stay unaware of each other's callers,
so neither imports the other back.
"""

from __future__ import annotations

from sscard.locate import bundled_data_dir, cache_dir
from sscard.store import Rules, build


_kept: dict | None = None  # a session's rules while their files are unchanged (see keep_loaded)
RECHECK_SECONDS = 1.0  # a session looks at the rule files again at most this often


def keep_loaded(on: bool = True) -> None:
    """From now on, hand the same rules back while the files are unchanged (sscard shell: its
    lookups, search table and listings then carry over from line to line). The files are
    looked at again when a line comes a second or more after the last look, so an edit shows
    on the next line typed, and lines run back to back (a script) pay for one look a second."""
    global _kept
    if not on:
        _kept = None
    elif _kept is None:
        _kept = {}


def load_rules(paths, environ=None, use_cache: bool = True) -> Rules:
    """The rules for these layers, from the index when it is current (see sscard.freshness)."""
    if _kept is None:
        return _load(paths, environ, use_cache)
    import time

    from sscard.freshness import Stamp

    where = (tuple(str(p) for p in paths), use_cache, cache_dir(environ) if use_cache else None)
    now = time.monotonic()
    last = _kept.get("checked")
    fresh = False
    if last is not None and last[0] == where and now - last[1] < RECHECK_SECONDS:
        rules = last[2]  # looked at the files less than a second ago: lines typed back to back
    else:
        key = (where, Stamp(paths).text)
        rules = _kept.get(key)
        if rules is None or getattr(rules, "digested", None):  # files stamped by content: look again
            rules, fresh = _load(paths, environ, use_cache), True
            _kept.clear()
            _kept[key] = rules
        _kept["checked"] = (where, now, rules)
    if not fresh:
        rules.notes = []  # said once, when first loaded
    return rules


def _load(paths, environ=None, use_cache: bool = True) -> Rules:
    import os

    from sscard import cachefiles
    from sscard.freshness import Stamp, digests
    from sscard.i18n import Msg
    from sscard.index import Damaged, IndexedRules, NotCurrent, index_path

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
        try:  # files hashed on every run that their times now vouch for: write the index once without
            found.rewrite_undigested(folder, target)
            found.close()
            found = IndexedRules(target, current, paths)
            if not found.digested:
                return found
        except Exception:  # noqa: BLE001 - any failure: parse and write it afresh, as before
            pass
        found.close()
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
    from sscard.indexwrite import write_index  # only after a parse: a lookup served from the index never writes

    write_index(folder, target, current, hashes, fresh)
    return fresh
