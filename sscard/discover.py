"""Find the rule files of a data layer, and name every entry that will not be read.

A layer is a folder holding sources/, banks/, regions/ and gazetteer/ (each of *.toml
files), a folder of rule files itself (`sscard check my-rules/regions`), or one file.
Nothing is followed or opened here: entries are judged by lstat, so a symlink, FIFO or
device is named, never read, and a missing, misspelled or mis-cased folder or a stray
.toml file is a warning instead of a silent gap. Imports only the standard library
(the index calls this on every run to stamp the rule files).
"""

from __future__ import annotations

import os
import stat

from sscard.i18n import Msg, os_reason

KINDS = ("sources", "banks", "regions", "gazetteer")
SUFFIX = ".toml"


def _kind_like(name: str):
    """The layer folder a misspelled or mis-cased name probably means, else None."""
    lowered = name.lower()
    if lowered in KINDS:
        return lowered
    if lowered.rstrip("s") in (k.rstrip("s") for k in KINDS):
        return next(k for k in KINDS if k.rstrip("s") == lowered.rstrip("s"))
    if not any(_quick_ratio(lowered, k) >= 0.75 for k in KINDS):
        return None  # difflib would reject every kind on this bound alone (schema/, docs/): skip its import
    import difflib

    close = difflib.get_close_matches(lowered, KINDS, n=1, cutoff=0.75)
    return close[0] if close else None


def _quick_ratio(a: str, b: str) -> float:
    """difflib.SequenceMatcher(None, b, a).quick_ratio(): an upper bound on its ratio()."""
    from collections import Counter

    return 2.0 * sum((Counter(a) & Counter(b)).values()) / (len(a) + len(b)) if a or b else 1.0


def _what(mode: int) -> Msg:
    if stat.S_ISLNK(mode):
        return Msg("a symbolic link")
    if stat.S_ISFIFO(mode):
        return Msg("a FIFO")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return Msg("a device")
    if stat.S_ISSOCK(mode):
        return Msg("a socket")
    if stat.S_ISDIR(mode):
        return Msg("a folder")
    return Msg("not a regular file")


def _entries(folder: str, warnings: list):
    """(name, path, lstat) for each entry of folder, sorted; a folder that cannot be listed is named."""
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        warnings.append((folder, Msg("cannot read folder: {reason}; its rule files are not used", reason=os_reason(exc))))
        return []
    out = []
    for name in names:
        path = os.path.join(folder, name)
        try:
            out.append((name, path, os.lstat(path)))
        except OSError as exc:
            warnings.append((path, Msg("cannot read: {reason}; not used", reason=os_reason(exc))))
    return out


def _rule_files_in(folder: str, warnings: list) -> list:
    """(path, lstat) of the *.toml regular files of one folder; every other .toml-like entry is named."""
    files = []
    for name, path, st in _entries(folder, warnings):
        if name.startswith("."):
            continue  # hidden: editor locks and backups
        if name.lower().endswith(SUFFIX) and not name.endswith(SUFFIX):
            warnings.append((path, Msg("not read: rule files must end in lowercase '{suffix}'", suffix=SUFFIX)))
        elif not name.endswith(SUFFIX):
            continue
        elif stat.S_ISREG(st.st_mode):
            files.append((path, st))
        else:
            warnings.append((path, Msg("not read: {what}, not a regular file", what=_what(st.st_mode))))
    return files


def walk(layer: str):
    """(rule files, warnings) of one layer; a warning is (path, sscard.i18n.Msg)."""
    found, warnings = walk_stat(layer)
    return [path for path, _ in found], warnings


def walk_stat(layer: str):
    """([(rule file, its lstat)], warnings) of one layer."""
    warnings: list = []
    try:
        st = os.stat(layer)
    except OSError as exc:
        return [], [(layer, Msg("cannot read: {reason}", reason=os_reason(exc)))]
    if not stat.S_ISDIR(st.st_mode):
        if stat.S_ISREG(st.st_mode):
            return [(layer, st)], []
        return [], [(layer, Msg("not read: {what}, not a regular file", what=_what(st.st_mode)))]
    entries = _entries(layer, warnings)
    by_name = {name: (path, st) for name, path, st in entries}
    if not any(k in by_name for k in KINDS) and os.path.basename(os.path.normpath(layer)) in KINDS:
        return _rule_files_in(layer, warnings), warnings  # a folder of rule files itself
    files: list = []
    for kind in KINDS:
        if kind not in by_name:
            continue
        path, st = by_name[kind]
        if stat.S_ISDIR(st.st_mode):
            files.extend(_rule_files_in(path, warnings))
        else:
            warnings.append((path, Msg("not read: {what} where the '{kind}' folder belongs", what=_what(st.st_mode),
                                      kind=kind)))
    for name, path, st in entries:
        if name in KINDS or name.startswith("."):
            continue
        if name.lower().endswith(SUFFIX):
            warnings.append((path, Msg("not read: rule files belong in {folders}", folders=", ".join(k + "/" for k in KINDS))))
        elif stat.S_ISDIR(st.st_mode) and _kind_like(name):
            warnings.append((path, Msg("not read: '{name}' is not a layer folder (did you mean '{kind}'?)", name=name,
                                      kind=_kind_like(name))))
    return files, warnings
