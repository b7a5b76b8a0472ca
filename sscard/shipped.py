"""The index of the bundled rules shipped in the wheel, so the first run after installing
needs no parse.

hatch_build.py builds it (build()) into the package as NAME. It cannot carry a stamp of
the installed files (their inodes and times are made at install), so it carries their
content instead: every rule file's path inside the data folder, size and CRC-32, the
listing's warnings, and every sscard module loaded to build it, by size and CRC-32. It is
used (adopt()) only for the bundled layer alone, only when all of that matches the
installed files exactly, on the same Python and index format, and only from a regular
file, not a link, that no one but its owner (you, or the owner of sscard's own code) can
write. Then it is copied into the cache folder with the ordinary stamp of the files as
they are now, and served from there like any index, with its file paths moved to where
the files are. Anything else: None, and the caller parses the files as before.
"""

from __future__ import annotations

import marshal
import os
import stat
import sys

from sscard import cachefiles, freshness

NAME = "_bundled.index"
_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def shipped_path() -> str:
    return os.path.join(_PACKAGE, NAME)


def _relative(path: str, root: str) -> str:
    return path[len(root) + 1:] if path.startswith(root + os.sep) else "\0" + path  # "\0": outside the root


def _contents(root: str, stamp, known: dict | None = None) -> list:
    """(path inside root, size, CRC-32) of every rule file of the layer, in listing order.

    known: CRC-32s of some of these files taken moments ago (right after installing, every file's
    times are too recent to trust, so the caller has just hashed them all): not read twice."""
    known = known or {}
    return [(_relative(path, root), st.st_size, known[path] if known.get(path) is not None else freshness.digest(path))
            for path, st in stamp.files]


def _listing_warnings(root: str, stamp) -> list:
    return [line.replace(root + os.sep, "\0/") for line in stamp.text.split("\n") if line.startswith("warn|")]


def _code() -> list:
    """(module path inside the package, size, CRC-32) of every sscard module loaded now."""
    return [(rel, size, freshness.digest(os.path.join(_PACKAGE, rel))) for rel, size, _, _ in freshness.code_stamp()]


def _identity() -> dict:
    return {"format": freshness.INDEX_FORMAT, "python": list(sys.version_info[:2]), "marshal": marshal.version}


def build(data_dir: str, target: str) -> None:
    """Parse the rules in data_dir and write the shipped index to target (the build hook calls this)."""
    from sscard.freshness import Stamp
    from sscard.indexwrite import index_bytes
    from sscard.store import build as parse

    _need_converter()
    root = os.path.abspath(data_dir)
    stamp = Stamp([root])
    rules = parse([root])
    if rules.problems:
        raise ValueError(f"the bundled rules have {len(rules.problems)} problems; run 'sscard check'")
    shipped = {**_identity(), "root": root, "files": _contents(root, Stamp([root])),
               "warnings": _listing_warnings(root, stamp), "modules": _code()}
    if shipped["files"] != _contents(root, stamp):
        raise ValueError("the rule files changed while the shipped index was built")
    data = index_bytes("", {}, [], rules, extra={"shipped": shipped})
    with open(target, "wb") as out:
        out.write(data)


def _need_converter() -> None:
    """The shipped index must carry the traditional forms of every name (sscard.index), and only
    OpenCC can make them: without it an index would still build, with empty tables, and every
    lookup typed in traditional characters would load the converter after all. So no index then."""
    try:
        import opencc

        opencc.OpenCC("t2s")
    except Exception as exc:  # noqa: BLE001 - missing or broken: either way no tables
        raise RuntimeError("building the shipped index needs OpenCC (a build requirement in pyproject.toml) "
                           f"for the traditional forms of names: {exc!r}") from None


def _open(path: str):
    """(descriptor, size) of the shipped file, or None unless it is a regular file only its owner
    can write, owned by you or by the owner of sscard's own code. The caller closes it."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        owners = {os.stat(os.path.join(_PACKAGE, "__init__.py")).st_uid}
        if hasattr(os, "geteuid"):
            owners.add(os.geteuid())
        if (stat.S_ISREG(st.st_mode) and st.st_size <= cachefiles.MAX_INDEX_BYTES
                and not (os.name == "posix" and (st.st_mode & 0o022 or st.st_uid not in owners))):
            return fd, st.st_size
    except OSError:
        pass
    os.close(fd)
    return None


def _header(read, total: int):
    """(header, where the blobs start) of a well-formed index file of total bytes, else None.

    read(offset, count): count bytes from offset (fewer only at the end). Only the header is read:
    the blobs, megabytes, are copied as they are.
    """
    from sscard.index import MAGIC, MAX_HEADER_BYTES

    start = len(MAGIC) + 8
    lead = read(0, start) if total >= start else b""
    if len(lead) != start or not lead.startswith(MAGIC):
        return None
    size = int.from_bytes(lead[len(MAGIC):], "little")
    if not 0 < size <= min(MAX_HEADER_BYTES, total - start):
        return None
    try:
        header = marshal.loads(read(start, size))
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(header, dict) or not isinstance(header.get("blobs"), int):
        return None
    return (header, start + size) if total - start - size == header["blobs"] else None


def _split(data: bytes):
    """(header, blobs) of a well-formed index file held in memory, else None."""
    found = _header(lambda offset, count: data[offset:offset + count], len(data))
    return None if found is None else (found[0], memoryview(data)[found[1]:])


def _reader(fd: int):
    def read(offset: int, count: int) -> bytes:
        os.lseek(fd, offset, os.SEEK_SET)
        data = b""
        while len(data) < count:
            more = os.read(fd, count - len(data))
            if not more:
                break
            data += more
        return data

    return read


def matches(shipped, root: str, stamp, known: dict | None = None) -> bool:
    """Whether the shipped index describes exactly these installed files and this code (known: as
    in _contents)."""
    if not isinstance(shipped, dict):
        return False
    try:
        if any(shipped.get(k) != v for k, v in _identity().items()):
            return False
        if shipped.get("warnings") != _listing_warnings(root, stamp):
            return False
        files = [tuple(f) for f in shipped.get("files") or ()]
        if [(rel, size) for rel, size, _ in files] != [(_relative(p, root), st.st_size) for p, st in stamp.files]:
            return False  # a file added, removed, renamed or resized: no file is read
        modules = [tuple(m) for m in shipped.get("modules") or ()]
        if not modules or any(freshness.digest(os.path.join(_PACKAGE, rel)) != crc for rel, _, crc in modules):
            return False
        return files == _contents(root, stamp, known) and all(crc is not None for _, _, crc in files)
    except (TypeError, ValueError):
        return False


def adopt(root: str, stamp, folder: str, target: str, digests: dict) -> bool:
    """Copy the shipped index into the cache folder as target, stamped for the files as they are now.

    digests: the content hashes of stamp.racy(), taken before the files were compared (as
    before a parse). False when there is no shipped index, it does not match, or it cannot be written.
    Only its header is read into Python; its blobs go from file to file.
    """
    opened = _open(shipped_path())
    if opened is None:
        return False
    fd, total = opened
    try:
        found = _header(_reader(fd), total)
        if found is None:
            return False
        header, start = found
        shipped = header.pop("shipped", None)
        if not matches(shipped, root, stamp, digests):
            return False
        from sscard.index import join

        code = []
        for rel, _, _ in shipped["modules"]:
            try:
                st = os.stat(os.path.join(_PACKAGE, rel))
            except OSError:
                return False
            code.append((rel, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
        header.update(stamp=stamp.text, digests=digests, code=code, relocate=[shipped["root"], root])
        cachefiles.write_whole(folder, target, join(header, b""), tail=(fd, start, header["blobs"]))
    except (OSError, ValueError):
        return False
    finally:
        os.close(fd)
    return True
