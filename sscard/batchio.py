"""Batch input and output in large pieces, without ever keeping a script waiting.

Input: what can be read without waiting is read at once (one read of the pipe), split into
lines, and every complete line is answered before the next read. Output: the answers to
those lines are written together, before any read that could wait, so a script that writes
a line and waits for its answer gets it at once, and a file piped in is answered in chunks.

Standard input is read as bytes when it is the process's own, on POSIX, in an encoding
where a newline byte is always a newline (UTF-8, GBK, Latin-1, ...): lines are then the
bytes between newlines, decoded one by one as the text stream would decode them. Any
other stream (a test's StringIO, a shell session's lines) is read one line at a time.
"""

from __future__ import annotations

import codecs
import os
import sys

MAX_LINE = 64 * 1024  # characters; a longer line is one bad line, read past without keeping it
READ_SIZE = 64 * 1024
FLUSH_AT = 256 * 1024  # bytes or characters of answers kept before they are written
# Encodings in which byte 0x0A is a newline and nothing else, so bytes split where text would.
_LINE_SAFE = {"utf-8", "ascii", "latin-1", "gbk", "gb18030", "gb2312", "big5", "big5hkscs", "cp936", "cp1252"}


class Line:
    """One input line: its number, its raw form (bytes or str: the key answers are kept under) and text.

    text is None for a line over MAX_LINE characters (it was not kept)."""

    __slots__ = ("number", "raw", "_text", "_decode")

    def __init__(self, number: int, raw, decode=None) -> None:
        self.number, self.raw, self._decode = number, raw, decode
        self._text = raw if decode is None else None

    @property
    def text(self):
        if self._text is None and self.raw is not None:
            self._text = self._decode(self.raw)
        return self._text


def _encoding(stream) -> str | None:
    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "").name
    except (LookupError, TypeError):
        return None


def reader(stdin):
    """Lists of Lines, each list what could be read without waiting for more input."""
    buffer = getattr(stdin, "buffer", None)
    encoding = _encoding(stdin)
    if (os.name == "posix" and stdin is sys.__stdin__ and buffer is not None and hasattr(buffer, "read1")
            and encoding in _LINE_SAFE):
        return _binary_lines(buffer, encoding, getattr(stdin, "errors", None) or "strict")
    return _text_lines(stdin)


def _text_lines(stdin):
    """One line at a time through readline (the stream's own buffering and newlines)."""
    number = 0
    while True:
        line = stdin.readline(MAX_LINE + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE and not line.endswith("\n"):
            while True:  # skip the rest of the line without keeping it
                rest = stdin.readline(MAX_LINE)
                if not rest or rest.endswith("\n"):
                    break
            line = None
        yield [Line(number, line)]


def _binary_lines(buffer, encoding: str, errors: str):
    """Lines split from raw reads: a line's bytes are its key; its text is decoded when needed."""

    def decode(raw: bytes) -> str:
        return raw.decode(encoding, errors)

    number, partial, skipping = 0, b"", False
    limit = 4 * (MAX_LINE + 1)  # bytes beyond which a line cannot be MAX_LINE characters or fewer
    while True:
        data = buffer.read1(READ_SIZE)
        if not data:
            break
        pieces = data.split(b"\n")
        lines = []
        for piece in pieces[:-1]:
            if skipping:
                skipping = False
                continue
            raw = partial + piece + b"\n" if partial else piece + b"\n"
            partial = b""
            number += 1
            if len(raw) > MAX_LINE + 1 and len(decode(raw)) > MAX_LINE + 1:
                raw = None
            lines.append(Line(number, raw, decode))
        rest = pieces[-1]
        if skipping:
            rest = b""
        elif rest:
            partial += rest
            if len(partial) > limit:  # over the limit: say so at once, read past the rest of it
                number += 1
                lines.append(Line(number, None, decode))
                partial, skipping = b"", True
        if lines:
            yield lines
    if partial:
        number += 1
        yield [Line(number, partial if len(decode(partial)) <= MAX_LINE else None, decode)]


class Sink:
    """Answers kept and written together: as bytes to stdout's buffer when it is UTF-8 (each answer
    encoded once), else as text through env.write."""

    def __init__(self, env) -> None:
        self.env = env
        stdout = env.stdout
        self.binary = (stdout is not None and _encoding(stdout) == "utf-8"
                       and hasattr(getattr(stdout, "buffer", None), "write"))
        self.errors = getattr(stdout, "errors", None) or "strict"
        self.parts: list = []
        self.size = 0

    def encode(self, text: str):
        """An answer in the form this sink writes (already redacted by the caller)."""
        return text.encode("utf-8", self.errors) if self.binary else text

    def add(self, data) -> bool:
        """Keep one whole answer; True when enough is kept to write it now."""
        self.parts.append(data)
        self.size += len(data)
        return self.size >= FLUSH_AT

    def write(self, _ignored=None) -> None:
        """Write everything kept, at once (sscard.stopping.Between calls this)."""
        if not self.parts:
            return
        parts, self.parts, self.size = self.parts, [], 0
        if not self.binary:
            self.env.write("".join(parts))
            return
        from sscard import output

        stdout = self.env.stdout
        try:
            stdout.flush()
            stdout.buffer.write(b"".join(parts))
            stdout.buffer.flush()
        except BrokenPipeError:
            if stdout is sys.stdout:
                output.silence_stdout()
            raise output.PipeClosed from None
        except (OSError, ValueError) as exc:
            if stdout is sys.stdout:
                output.silence_stdout()
            raise output.OutputFailed(
                f"cannot write to standard output: {getattr(exc, 'strerror', None) or exc}") from None
