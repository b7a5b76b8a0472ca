"""The cache folder's files: private, regular, ours, bounded, written whole, pruned.

The index may only make sscard faster, never different, so nothing in the cache folder
is trusted beyond what these checks allow: the folder is the user's own and writable by
no one else (created 0700); an index is opened without following links or blocking, and
used only when it is a regular file owned by the user, writable by no one else and not
over MAX_INDEX_BYTES. Writes go to a fresh private file in the folder (new_file, made as
mkstemp makes one), renamed over the index (never to a predictable name) and removed on any
failure. At most MAX_INDEXES
indexes (MAX_CACHE_BYTES in all) are kept; the least recently used go first. Rendered
answers (sscard.renderers.replay) are kept the same way, as a kind of file of their own
with its own bounds (ANSWERS).
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
# A kind of cache file: (name prefix, suffix, how many are kept, how many bytes in all).
INDEXES = (PREFIX, SUFFIX, MAX_INDEXES, MAX_CACHE_BYTES)
ANSWERS = ("answer-", ".txt", 64, 8 * 1024 * 1024)


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


def new_file(folder: str, prefix: str, suffix: str = ".tmp") -> tuple:
    """(descriptor, path) of a file just made in folder, 0600, under a random name: what
    tempfile.mkstemp makes (O_EXCL, no link followed), without importing tempfile (about 5 ms,
    a quarter of a lookup, on the first run after installing)."""
    flags = (os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
             | getattr(os, "O_BINARY", 0))
    for _attempt in range(100):
        path = os.path.join(folder, prefix + os.urandom(8).hex() + suffix)
        try:
            return os.open(path, flags, 0o600), path
        except FileExistsError:
            continue
    raise FileExistsError(f"no unused temporary file name in {folder}")


def write_whole(folder: str, target: str, data, tail: tuple | None = None, kind: tuple = INDEXES) -> None:
    """Write data (bytes, or an iterable of bytes) to target through a private temporary file renamed
    over it; nothing is left on failure.

    Then the files of its kind past that kind's bounds are pruned.

    tail: (descriptor, offset, length) of another file whose bytes follow data, copied by the
    kernel where it can (the shipped index's blobs: megabytes never read into Python).
    """
    fd, tmp = new_file(folder, os.path.basename(target) + ".", ".tmp")
    try:
        try:
            for chunk in (data,) if isinstance(data, (bytes, bytearray, memoryview)) else data:
                view = memoryview(chunk)
                while view:
                    view = view[os.write(fd, view):]
            if tail is not None:
                source, offset, length = tail
                _copy(source, offset, length, fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    prune(folder, keep=target, kind=kind)


def _copy(source: int, offset: int, length: int, out: int) -> None:
    """length bytes of source from offset onto out; ValueError when source ends first."""
    kernel = getattr(os, "copy_file_range", None)
    while length and kernel is not None:
        try:
            done = kernel(source, out, length, offset)
        except OSError:  # not between these files or file systems: copy it by hand
            break
        if not done:
            raise ValueError("the file to copy ended early")
        offset, length = offset + done, length - done
    os.lseek(source, offset, os.SEEK_SET)
    while length:
        chunk = os.read(source, min(length, 1 << 20))
        if not chunk:
            raise ValueError("the file to copy ended early")
        view = memoryview(chunk)
        while view:
            view = view[os.write(out, view):]
        length -= len(chunk)


def clock(folder: str) -> dict:
    """{st_dev: the time now on the folder's file system, ns}, read from a file made there ({} if none can be)."""
    try:
        fd, tmp = new_file(folder, PREFIX + "clock.")
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


def prune(folder: str, keep: str = "", kind: tuple = INDEXES) -> None:
    """Remove the least recently used files of a kind past its bounds (indexes: MAX_INDEXES or
    MAX_CACHE_BYTES), and its old temporary files."""
    prefix, suffix, most, most_bytes = kind
    now = time.time()
    indexes = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if not name.startswith(prefix):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if name.endswith(".tmp"):
            if now - st.st_mtime > STALE_TMP_SECONDS:
                _remove(entry.path)
        elif name.endswith(suffix) and entry.path != keep:
            indexes.append((st.st_mtime, st.st_size, entry.path))
    indexes.sort(reverse=True)
    total = 0
    try:
        total = os.stat(keep).st_size if keep else 0
    except OSError:
        pass
    for count, (_, size, path) in enumerate(indexes, start=2 if keep else 1):
        total += size
        if count > most or total > most_bytes:
            _remove(path)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
