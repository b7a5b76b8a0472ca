"""The outside world a run sees (streams, environment, terminal) and the one writer.

Tests swap the Env to capture output; nothing else in sscard touches sys.stdout.
"""

from __future__ import annotations

import os
import sys

from sscard.safe import clean


class PipeClosed(Exception):
    """stdout's reader has gone (| head); not an error."""


class Env:
    """Streams and environment variables for one run."""

    def __init__(self, stdout=None, stderr=None, environ=None, stdin=None) -> None:
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.stdin = stdin or sys.stdin
        self.environ = os.environ if environ is None else environ

    def isatty(self) -> bool:
        try:
            return self.stdout.isatty()
        except (AttributeError, ValueError):
            return False

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
        return encoding in ("utf-8", "utf8")

    def color(self) -> bool:
        return not self.environ.get("NO_COLOR") and self.environ.get("TERM") != "dumb"

    def width(self) -> int:
        try:
            columns = int(self.environ.get("COLUMNS", ""))
        except ValueError:
            columns = 0
        if columns <= 0:
            try:
                columns = os.get_terminal_size(self.stdout.fileno()).columns
            except (AttributeError, ValueError, OSError):
                columns = 80
        return max(20, columns)

    def write(self, text: str) -> None:
        """Write an answer to stdout; a reader that went away stops us quietly."""
        try:
            self.stdout.write(text)
            self.stdout.flush()
        except BrokenPipeError:
            silence_stdout()
            raise PipeClosed from None

    def say(self, message: str) -> None:
        """A message for the person, on stderr."""
        try:
            self.stderr.write(f"sscard: {clean(message)}\n")
            self.stderr.flush()
        except (BrokenPipeError, ValueError):
            pass


def silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


current = Env()  # the Env of the run in progress (set by sscard.main.run)
