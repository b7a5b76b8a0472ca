"""Rich answers kept as rendered in the cache folder, and replayed without importing Rich.

Importing Rich is most of a rich lookup on a terminal (more than the lookup and the
rendering together), while what Rich makes of an answer depends only on the answer, the
language, the width, colour, and the code that renders it. So the text the rich renderer
returns is kept under a digest of all of that, and handed back as it was when the same
answer is asked for again on a terminal of the same width:

- the key is every field of every record of the answers (their repr: a change of the
  rules that changes the answer changes the key, and one that leaves it unchanged cannot
  change its rendering), the language, width and colour, the place of the bundled rules
  (local rules are labelled), the environment variables Rich reads, the Python version
  and sys.path (which Rich and which sscard an import would find);
- an entry records every sscard and Rich module loaded when it was rendered, with its size
  and times, and is used only while they are all unchanged (as sscard.freshness does for
  the index);
- entries are cache files like the index (sscard.cachefiles): a private folder, opened
  without following links, used only when a regular file of ours, written whole, at most
  ANSWERS of them kept. Anything odd is a miss: the answer is rendered and kept afresh.

Answers worked out from an ID number are never kept (sscard.commands passes no folder).
"""

from __future__ import annotations

import os
import sys
import zlib

from sscard import cachefiles
from sscard.locate import bundled_data_dir

try:  # hashlib would load OpenSSL first (milliseconds); the same BLAKE2 is built in
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter built without it
    from hashlib import blake2b

MAGIC = b"sscard rendered answer 1\n"
MAX_ANSWER_BYTES = 4 * 1024 * 1024  # a card is tens of KiB even at the widest terminal
# Every environment variable Rich 15 reads (Console, its terminal checks, its cell widths). sscard
# passes the console its width, colours and terminal explicitly, but a variable read is a
# possible change of the bytes: each is part of the key (tests/test_replay.py reads Rich's source).
RICH_ENVIRON = ("COLORTERM", "COLUMNS", "DATABRICKS_RUNTIME_VERSION", "FORCE_COLOR", "JUPYTER_COLUMNS",
                "JUPYTER_LINES", "LINES", "NO_COLOR", "TERM", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "UNICODE_VERSION")


def render_rich(answers: list, lang: str, folder: str, width: int = 80, color: bool = True) -> str:
    """What sscard.renderers.rich.render_rich returns for these answers, kept in folder and replayed."""
    try:
        folder = cachefiles.private_folder(folder)
    except (cachefiles.Unsafe, cachefiles.Unusable):  # the lookup's index has said so already
        return _fresh(answers, lang, width, color)
    digest = blake2b(key(answers, lang, width, color), digest_size=32).hexdigest()
    path = entry_path(folder, digest)
    kept = replay(path, digest)
    if kept is not None:
        cachefiles.touch(path)
        return kept
    text = _fresh(answers, lang, width, color)
    entry = _entry(digest, text, lang)
    if entry is not None:
        try:
            cachefiles.write_whole(folder, path, entry, kind=cachefiles.ANSWERS)
        except OSError:  # a full or read-only cache folder only costs the next run a render
            pass
    return text


def key(answers: list, lang: str, width: int, color: bool) -> bytes:
    """Everything the rendered bytes depend on but the code (which an entry records)."""
    environ = os.environ  # Rich reads the process's environment, whatever the run's Env says
    parts = [MAGIC.decode(), sys.version, "\0".join(sys.path), bundled_data_dir(), lang, str(width), str(color),
             *(f"{name}={environ.get(name)}" for name in RICH_ENVIRON), repr(list(answers))]
    return "\n".join(parts).encode("utf-8", "surrogatepass")


def entry_path(folder: str, digest: str) -> str:
    """Where the entry for a key's digest is kept (the file states the whole digest again)."""
    prefix, suffix = cachefiles.ANSWERS[:2]
    return os.path.join(folder, f"{prefix}{digest[:32]}{suffix}")


def replay(path: str, digest: str) -> str | None:
    """The kept text for this digest, or None when there is none we can vouch for."""
    try:
        file = cachefiles.open_index(path)
        if file is None:
            return None
        with file:
            data = file.read(MAX_ANSWER_BYTES + 1)
    except (cachefiles.Unsafe, OSError):
        return None
    if len(data) > MAX_ANSWER_BYTES or not data.startswith(MAGIC):
        return None
    header, _, body = data[len(MAGIC):].partition(b"\n\n")
    lines = header.split(b"\n")
    try:
        stated, size, crc = lines[0].split(b" ")
        if stated.decode() != digest or int(size) != len(body) or int(crc) != zlib.crc32(body):
            return None
        if not _code_matches(lines[1:]):
            return None
        return body.decode("utf-8", "surrogatepass")
    except (ValueError, UnicodeDecodeError):
        return None


def _fresh(answers: list, lang: str, width: int, color: bool) -> str:
    from sscard.renderers.rich import render_rich as rendered

    return rendered(answers, lang, width=width, color=color)


def _entry(digest: str, text: str, lang: str) -> bytes | None:
    """The cache file for a rendering: digest, body size and CRC, the code that rendered it (and the
    message catalog its labels came from), the body.

    None when a module's file cannot be recorded (then nothing could vouch for the entry).
    """
    from sscard.i18n import DOMAIN, LOCALE_DIR

    body = text.encode("utf-8", "surrogatepass")
    lines = [f"{digest} {len(body)} {zlib.crc32(body)}".encode()]
    catalog = os.path.join(LOCALE_DIR, lang, "LC_MESSAGES", DOMAIN + ".mo")
    files = [getattr(module, "__file__", None) for name, module in sorted(sys.modules.items())
             if name.partition(".")[0] in ("sscard", "rich")]
    for path in [*files, catalog if os.path.exists(catalog) else None]:
        if not path:
            continue
        raw = os.fsencode(os.path.abspath(path))
        if b"\n" in raw or b"\t" in raw:
            return None
        try:
            st = os.stat(raw)
        except OSError:
            return None
        lines.append(b"%s\t%d\t%d\t%d" % (raw, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    return MAGIC + b"\n".join(lines) + b"\n\n" + body


def _code_matches(lines: list) -> bool:
    """Whether every module recorded in an entry is as it was (size, mtime, ctime)."""
    if not lines:
        return False
    for line in lines:
        path, size, mtime, ctime = line.split(b"\t")
        try:
            st = os.stat(path)
        except OSError:
            return False
        if (st.st_size, st.st_mtime_ns, st.st_ctime_ns) != (int(size), int(mtime), int(ctime)):
            return False
    return True
