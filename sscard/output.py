"""The outside world a run sees (streams, environment, terminal) and the one writer.

Each run has its own Env, passed down explicitly (sscard.main makes the process's; tests
and `sscard shell` pass theirs); only sscard.runner writes a command's result through it.
"""

from __future__ import annotations

import os
import sys

from sscard.safe import clean


MAX_WIDTH = 500  # wider than any terminal; COLUMNS=1000000 must not make one answer megabytes


class PipeClosed(Exception):
    """stdout's reader has gone (| head); not an error."""


class OutputFailed(Exception):
    """stdout is closed, full or failing: the answer could not be written (exit 74)."""


class Env:
    """Streams and environment variables for one run."""

    def __init__(self, stdout=None, stderr=None, environ=None, stdin=None) -> None:
        self.stdout = stdout or sys.stdout  # None when the process was started with it closed
        self.stderr = stderr or sys.stderr
        self.stdin = stdin or sys.stdin or _Empty()
        self.environ = os.environ if environ is None else environ

    def isatty(self) -> bool:
        return is_terminal(self.stdout)

    def lang(self, chosen) -> str:
        """--lang, else $SSCARD_LANG, else the locale (zh_* -> zh), else en."""
        if chosen:
            return chosen
        configured = self.environ.get("SSCARD_LANG", "").strip().lower()
        if configured in ("zh", "en"):
            return configured
        for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
            value = self.environ.get(var)
            if value:
                return "zh" if value.lower().startswith("zh") else "en"
        return "en"

    def format(self, chosen) -> str:
        """--format, else rich on a terminal, plain otherwise."""
        if chosen:
            return chosen
        return "rich" if self.isatty() and self.environ.get("TERM") != "dumb" else "plain"

    def utf8(self) -> bool:
        """Whether stdout encodes UTF-8 (else JSON is written ASCII-escaped)."""
        encoding = (getattr(self.stdout, "encoding", None) or "utf-8").lower().replace("_", "-")
        return encoding in ("utf-8", "utf8") or not _ascii_compatible(encoding)  # then written as UTF-8

    def color(self) -> bool:
        return not self.environ.get("NO_COLOR") and self.environ.get("TERM") != "dumb"

    def width(self) -> int:
        value = self.environ.get("COLUMNS", "").strip()
        columns = int(value) if value.isascii() and value.isdigit() and len(value) < 8 else 0
        if columns <= 0:
            try:
                columns = os.get_terminal_size(self.stdout.fileno()).columns
            except (AttributeError, ValueError, OSError):
                columns = 80
        return max(20, min(columns, MAX_WIDTH))

    def write(self, text: str) -> None:
        """Write an answer to stdout; a reader that went away stops us quietly, a failure loudly."""
        from sscard.idcard import redact

        text = redact(text)
        if self.stdout is None:
            raise OutputFailed("standard output is closed")
        try:
            encoding = (getattr(self.stdout, "encoding", None) or "utf-8").lower()
            buffer = getattr(self.stdout, "buffer", None)
            if buffer is not None and not _ascii_compatible(encoding):  # UTF-16, EBCDIC: write UTF-8
                self.stdout.flush()
                buffer.write(text.encode("utf-8", "replace"))
                buffer.flush()
            else:
                self.stdout.write(text)
                self.stdout.flush()
        except BrokenPipeError:
            if self.stdout is sys.stdout:
                silence_stdout()
            raise PipeClosed from None
        except (OSError, ValueError) as exc:
            if self.stdout is sys.stdout:
                silence_stdout()
            raise OutputFailed(f"cannot write to standard output: {getattr(exc, 'strerror', None) or exc}") from None

    def say(self, message: str) -> None:
        """A message for the person, on stderr (a closed or full stderr only loses it)."""
        from sscard.idcard import redact

        self.raw_stderr(f"sscard: {clean(redact(message))}\n")

    def raw_stderr(self, text: str) -> None:
        """Text for stderr as it is (already cleaned); never fails."""
        try:
            self.stderr.write(text)
            self.stderr.flush()
        except BrokenPipeError:
            pass
        except (OSError, ValueError, AttributeError):
            if self.stderr is sys.stderr:
                silence(2)


class _Empty:
    """A closed stdin reads as an empty one."""

    def readline(self, *args) -> str:
        return ""

    def read(self, *args) -> str:
        return ""

    def __iter__(self):
        return iter(())

    def isatty(self) -> bool:
        return False


def is_terminal(stream) -> bool:
    """Whether a stream is a terminal; False for a closed, replaced or missing one."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _ascii_compatible(encoding: str) -> bool:
    try:
        return "sscard: -".encode(encoding) == b"sscard: -"
    except (LookupError, ValueError):
        return True


def finish() -> None:
    """Flush the standard streams now, so the interpreter's own last flush cannot fail (exit 120)."""
    for stream, fd in ((sys.stdout, 1), (sys.stderr, 2)):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            silence(fd)


def silence(fd: int) -> None:
    """Point a standard stream's descriptor at /dev/null, so later writes and the final flush succeed."""
    try:
        stream = sys.stdout if fd == 1 else sys.stderr
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
        if stream is not None:
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
    except (OSError, ValueError, AttributeError):
        pass


def silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail."""
    silence(1)

