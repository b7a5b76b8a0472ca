"""Read one rule file's bytes without trusting what the path names.

The file is opened without blocking (a FIFO would hang a read) and, when it was found in
a folder, without following a link; it is read only if it is a regular file whose size,
taken from the open file before reading, is within the limit, and never more than one
byte past the limit even if it grows meanwhile. A 20 GB sparse file or /dev/zero costs
one stat.
"""

from __future__ import annotations

import os
import stat

from sscard.i18n import Msg, os_reason


def read_rule_file(path: str, limit: int, follow: bool = False):
    """(bytes, "") or (None, why it was not read: a sscard.i18n.Msg)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        return None, Msg("cannot read file: {reason}", reason=os_reason(exc))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None, Msg("not a regular file (a FIFO, device or folder); not read")
        if st.st_size > limit:
            return None, Msg("file is {size} bytes, over the {limit}-byte limit", size=st.st_size, limit=limit)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        return None, Msg("cannot read file: {reason}", reason=os_reason(exc))
    finally:
        os.close(fd)
    if size > limit:
        return None, Msg("file is over the {limit}-byte limit", limit=limit)
    return b"".join(chunks), ""
