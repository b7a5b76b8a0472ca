"""The cache folder's files: private, regular, ours, bounded, written whole, pruned.

The index may only make sscard faster, never different, so nothing in the cache folder
is trusted beyond what these checks allow: the folder is the user's own and writable by
no one else (created 0700); an index is opened without following links or blocking, and
used only when it is a regular file owned by the user, writable by no one else and not
over MAX_INDEX_BYTES. Writes go to a fresh mkstemp file in the folder, renamed over the
index (never to a predictable name) and removed on any failure. At most MAX_INDEXES
indexes (MAX_CACHE_BYTES in all) are kept; the least recently used go first.
"""

from __future__ import annotations

import os
import stat
import time

from sscard.i18n import Msg, os_reason

MAX_INDEX_BYTES = 256 * 1024 * 1024
MAX_INDEXES = 8
MAX_CACHE_BYTES = 128 * 1024 * 1024
STALE_TMP_SECONDS = 3600
PREFIX, SUFFIX = "index-", ".bin"


class Unsafe(Exception):
    """A cache folder or file that is not ours, not private or not a regular file."""


def _ours(st) -> bool:
    getuid = getattr(os, "geteuid", None)
    return getuid is None or st.st_uid == getuid()


class Unusable(Exception):
    """A cache folder that cannot be made or read: run without an index, quietly."""


def private_folder(folder: str, repair: bool = False) -> str:
    """The cache folder, created 0700 when missing.

    Unsafe when someone else owns it or could write to it; with repair (sscard's own default
    folder, made by an older version under a loose umask) a folder of ours is made 0700 instead.
    """
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        st = os.stat(folder)
    except OSError as exc:
        raise Unusable(Msg("cannot use the cache folder {folder}: {reason}", folder=folder,
                           reason=os_reason(exc))) from None
    if not stat.S_ISDIR(st.st_mode):
        raise Unusable(Msg("the cache folder {folder} is not a folder", folder=folder))
    loose = os.name == "posix" and st.st_mode & 0o022
    if _ours(st) and loose and repair and not st.st_mode & stat.S_ISVTX:
        try:
            os.chmod(folder, 0o700)
            loose = False
        except OSError:
            pass
    if not _ours(st) or loose:
        raise Unsafe(Msg("the cache folder {folder} is not yours alone (owner or write permission); not used",
                         folder=folder))
    return folder


def open_index(path: str):
    """A binary file object for the index, None when there is none; Unsafe when it is not one we wrote."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise Unsafe(Msg("ignored the cache file {path}: {reason}", path=path, reason=os_reason(exc))) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Unsafe(Msg("ignored the cache file {path}: not a regular file", path=path))
        if not _ours(st) or (os.name == "posix" and st.st_mode & 0o022):
            raise Unsafe(Msg("ignored the cache file {path}: not yours alone", path=path))
        if st.st_size > MAX_INDEX_BYTES:
            raise Unsafe(Msg("ignored the cache file {path}: {size} bytes is too large for an index", path=path,
                             size=st.st_size))
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def write_whole(folder: str, target: str, data) -> None:
    """Write data (bytes, or an iterable of bytes) to target through a private temporary file renamed
    over it; nothing is left on failure."""
    import tempfile  # writing is rare; reading an index never needs it

    fd, tmp = tempfile.mkstemp(prefix=os.path.basename(target) + ".", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in (data,) if isinstance(data, (bytes, bytearray)) else data:
                out.write(chunk)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    prune(folder, keep=target)


def clock(folder: str) -> dict:
    """{st_dev: the time now on the folder's file system, ns}, read from a file made there ({} if none can be)."""
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(prefix=PREFIX + "clock.", suffix=".tmp", dir=folder)
    except OSError:
        return {}
    try:
        st = os.fstat(fd)
        return {st.st_dev: max(st.st_mtime_ns, st.st_ctime_ns)}
    except OSError:
        return {}
    finally:
        os.close(fd)
        _remove(tmp)


def touch(path: str) -> None:
    """Mark an index as used (pruning keeps the recently used)."""
    try:
        os.utime(path)
    except OSError:
        pass


def prune(folder: str, keep: str = "") -> None:
    """Remove the least recently used indexes past MAX_INDEXES or MAX_CACHE_BYTES, and old temporary files."""
    now = time.time()
    indexes = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if not name.startswith(PREFIX):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if name.endswith(".tmp"):
            if now - st.st_mtime > STALE_TMP_SECONDS:
                _remove(entry.path)
        elif name.endswith(SUFFIX) and entry.path != keep:
            indexes.append((st.st_mtime, st.st_size, entry.path))
    indexes.sort(reverse=True)
    total = 0
    try:
        total = os.stat(keep).st_size if keep else 0
    except OSError:
        pass
    for count, (_, size, path) in enumerate(indexes, start=2 if keep else 1):
        total += size
        if count > MAX_INDEXES or total > MAX_CACHE_BYTES:
            _remove(path)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
