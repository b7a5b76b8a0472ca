"""Locate the rule data: the bundled rules and the local layers over them, and the cache.

Layers, lowest first: bundled < the per-user data directory < $SSCARD_DATA_PATH <
--data-dir. Directories come from platformdirs.
"""

from __future__ import annotations

import os

_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def bundled_data_dir() -> str:
    """The rules shipped with sscard: inside the wheel, or data/ in a checkout."""
    global _bundled
    if _bundled is None:
        inside = os.path.join(_PACKAGE, "data")
        _bundled = inside if os.path.isdir(inside) else os.path.join(os.path.dirname(_PACKAGE), "data")
    return _bundled


_bundled = None  # found once per process (renderers ask for every item)


def is_local(file_ref: str) -> bool:
    """Whether a record's file ("path:line", or several joined by ", ") is outside the bundled
    rules: a local layer wrote or overrode it."""
    if not file_ref:
        return False
    last = file_ref.split(", ")[-1].rpartition(":")[0] or file_ref
    return not last.startswith(bundled_data_dir())


def user_data_dir() -> str:
    """The per-user rule directory (may not exist)."""
    from platformdirs import user_data_dir as find

    return find("sscard", appauthor=False)


def data_paths(extra=(), environ=None) -> list:
    """The rule layers, lowest first: bundled < user directory < $SSCARD_DATA_PATH < --data-dir."""
    environ = os.environ if environ is None else environ
    paths = [bundled_data_dir()]
    try:
        user = user_data_dir()
        if os.path.isdir(user):
            paths.append(user)
    except Exception:  # no home directory: no user layer
        pass
    paths.extend(p for p in environ.get("SSCARD_DATA_PATH", "").split(os.pathsep) if p)
    paths.extend(str(p) for p in extra)
    return paths


def cache_dir(environ=None):
    """Where the index lives: $SSCARD_CACHE_DIR, else the user cache directory; None disables it."""
    environ = os.environ if environ is None else environ
    configured = environ.get("SSCARD_CACHE_DIR")
    if configured is not None:
        return configured or None
    try:
        from platformdirs import user_cache_dir

        return user_cache_dir("sscard", appauthor=False)
    except Exception:  # no home directory, odd platform: run without a cache
        return None
