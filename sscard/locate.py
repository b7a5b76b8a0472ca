"""Locate the rule data: the bundled rules and the local layers over them, and the cache.

Layers, lowest first: bundled < the per-user data directory < $SSCARD_DATA_PATH <
--data-dir. On Linux and the BSDs the per-user directories follow the XDG Base Directory
spec, computed here (platformdirs' import costs more than the rest of a lookup); elsewhere
they come from platformdirs. tests/test_locate.py holds the two to the same answers.
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


_bundled: str | None = None  # found once per process (renderers ask for every item)


def is_local(file_ref: str) -> bool:
    """Whether a record's file ("path:line", or several joined by ", ") is outside the bundled
    rules: a local layer wrote or overrode it."""
    if not file_ref:
        return False
    last = file_ref.split(", ")[-1].rpartition(":")[0] or file_ref
    return not last.startswith(bundled_data_dir())


_XDG_PLATFORMS = ("linux", "freebsd", "openbsd", "netbsd", "dragonfly")
_DEFAULTS = {"XDG_DATA_HOME": "~/.local/share", "XDG_CACHE_HOME": "~/.cache", "XDG_STATE_HOME": "~/.local/state"}
_FINDERS = {"XDG_DATA_HOME": "user_data_dir", "XDG_CACHE_HOME": "user_cache_dir", "XDG_STATE_HOME": "user_state_dir"}


def _inline_xdg(environ) -> bool:
    """Whether the XDG spec alone decides here: Linux and the BSDs, but not an Android app."""
    import sys

    if not sys.platform.startswith(_XDG_PLATFORMS) or hasattr(sys, "getandroidapilevel"):
        return False
    return not (environ.get("ANDROID_DATA") == "/data" and environ.get("ANDROID_ROOT") == "/system")


def _home(path: str, environ) -> str:
    """~ expanded as platformdirs does: HOME when it is absolute or unset, else the password database."""
    home = environ.get("HOME")
    if home is None or home.startswith("/"):
        if home is None:
            expanded = os.path.expanduser(path)
        else:
            expanded = (home.rstrip("/") + path[1:]) or "/"
    else:  # a relative or empty HOME counts as unset
        expanded = path
        try:
            import pwd

            expanded = (pwd.getpwuid(os.getuid()).pw_dir.rstrip("/") + path[1:]) or "/"
        except (ImportError, KeyError):
            pass
    if not expanded.startswith("/"):
        from sscard.i18n import Msg

        raise RuntimeError(Msg("could not determine the home directory for {path}", path=repr(path)))
    return expanded


def user_dir(variable: str, environ=None) -> str:
    """sscard's per-user directory of one XDG kind (XDG_DATA_HOME, XDG_CACHE_HOME, XDG_STATE_HOME).

    Raises when there is no home directory to put it in.
    """
    environ = os.environ if environ is None else environ
    if not _inline_xdg(environ):
        import platformdirs

        return getattr(platformdirs, _FINDERS[variable])("sscard", appauthor=False)
    base = environ.get(variable, "")
    if not base.startswith("/"):  # unset, empty or relative: the spec says ignore it
        base = _home(_DEFAULTS[variable], environ)
    return os.path.join(base, "sscard")


def user_data_dir() -> str:
    """The per-user rule directory (may not exist)."""
    return user_dir("XDG_DATA_HOME")


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


def checked_layers(named=(), environ=None, option: str = "--data-dir") -> list:
    """data_paths() with the extra folders checked: each must exist. A relative named folder is
    taken from the working directory once; a relative $SSCARD_DATA_PATH entry is refused (it would
    make answers depend on where sscard runs). option: what the caller calls the named folders."""
    named = [os.path.abspath(os.fspath(d)) for d in (named or [])]
    paths = data_paths(named, environ)
    for folder in paths[1:]:  # the bundled rules first; the user folder only when it exists
        if not os.path.isabs(folder):
            from sscard.errors import UsageError
            from sscard.i18n import _

            raise UsageError(_("SSCARD_DATA_PATH: {folder} is a relative path").format(folder=folder),
                             hint=_("write each SSCARD_DATA_PATH folder as an absolute path"))
        if not os.path.isdir(folder):
            from sscard.errors import UsageError
            from sscard.i18n import _

            where = option if folder in named else "SSCARD_DATA_PATH"
            raise UsageError(_("{where}: no such folder: {folder}").format(where=where, folder=folder))
    return paths


def cache_dir(environ=None):
    """Where the index lives: $SSCARD_CACHE_DIR, else the user cache directory; None disables it."""
    environ = os.environ if environ is None else environ
    configured = environ.get("SSCARD_CACHE_DIR")
    if configured is not None:
        return configured or None
    try:
        return user_dir("XDG_CACHE_HOME")
    except Exception:  # no home directory, odd platform: run without a cache
        return None
