"""When the rules index is current: a stamp of the rule files and of sscard's own code.

A file's path, size, inode, mtime and ctime change on almost every edit, but not on a
file system whose clock is coarse (FAT: 2 s; HFS+, many NAS shares: 1 s): an edit within
the same tick, to the same size, leaves them equal. So every file whose times lie within
RACY_NS of its file system's "now" is also stamped by content (CRC-32). "Now" is read
from the file system itself: the time of a file just made in the cache folder when that
is on the same file system, else the newest rule file's time there (never later than
now). A file written in the same tick as the index was built is always among the hashed
ones; any later edit of any other file shows in its times. No other clock is trusted.

The code stamp is derived, not listed: every sscard module loaded when the index was
built (the loader and all it imported) is recorded with its size and times.
"""

from __future__ import annotations

import os
import sys
import zlib

from sscard.discover import walk_stat

INDEX_FORMAT = 14  # 9: names as (id, class, former); 10: facts with citations and scope; 11: stamps; 12: problems as msgids; 13: cities text, packed records, search grams; 14: bitmaps of a search field's many entries, census as a blob
RACY_NS = 5 * 10**9  # above every file system's timestamp granularity (FAT: 2 s)
MAX_HASHED = 1024 * 1024  # the loader's MAX_FILE_BYTES: a larger file is refused unread
_PACKAGE = os.path.dirname(os.path.abspath(__file__))


class Stamp:
    """The rule files as found now: their listing and times (text), and which need a content hash."""

    def __init__(self, paths) -> None:
        lines = [f"{INDEX_FORMAT}|{sys.version_info[:2]}"]
        files = []
        for layer in paths:
            found, warnings = walk_stat(str(layer))  # lstat of a regular file: its stat
            lines.append(f"layer|{layer}")
            lines.extend(f"warn|{path}|{getattr(message, 'en', message)}" for path, message in warnings)  # English: one stamp
            for path, st in found:
                files.append((path, st))
                lines.append(f"{path}|{st.st_size}|{st.st_ino}|{st.st_mtime_ns}|{st.st_ctime_ns}")
        self.text = "\n".join(lines)
        self.files = files

    def racy(self, clocks=None) -> list:
        """Files whose times cannot tell a same-tick edit from none.

        clocks: {st_dev: that file system's time now, in ns} where known (a file just made
        there); on other file systems the newest rule file's time stands in for "now" (it
        is never later), so no clock but the file system's own is trusted.
        """
        now = dict(clocks or {})
        for _, st in self.files:
            if st.st_dev not in (clocks or {}):
                now[st.st_dev] = max(now.get(st.st_dev, 0), st.st_mtime_ns, st.st_ctime_ns)
        return [path for path, st in self.files
                if max(st.st_mtime_ns, st.st_ctime_ns) >= now[st.st_dev] - RACY_NS]


def digest(path: str):
    """CRC-32 of a file's content (None when it cannot be read: then it is never current)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        if os.fstat(fd).st_size > MAX_HASHED:
            return -1  # refused by its size alone: its content cannot change the rules
        crc = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return crc
            crc = zlib.crc32(chunk, crc)
    except OSError:
        return None
    finally:
        os.close(fd)


def digests(paths) -> dict:
    return {path: digest(path) for path in paths}


def contents_match(recorded: dict) -> bool:
    return all(crc is not None and digest(path) == crc for path, crc in recorded.items())


def code_stamp() -> list:
    """(module file, size, mtime_ns, ctime_ns) for every sscard module loaded in this process."""
    out = []
    for name, module in sorted(sys.modules.items()):
        if name != "sscard" and not name.startswith("sscard."):
            continue
        path = getattr(module, "__file__", None)
        if not path or not os.path.abspath(path).startswith(_PACKAGE + os.sep):
            continue
        try:
            st = os.stat(path)
        except OSError:
            continue
        out.append((os.path.relpath(path, _PACKAGE), st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    return out


def code_matches(recorded) -> bool:
    """Whether every module recorded when the index was built is unchanged."""
    try:
        for relpath, size, mtime, ctime in recorded:
            st = os.stat(os.path.join(_PACKAGE, relpath))
            if (st.st_size, st.st_mtime_ns, st.st_ctime_ns) != (size, mtime, ctime):
                return False
    except (OSError, TypeError, ValueError):
        return False
    return bool(recorded)
