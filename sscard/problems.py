"""Problems in rule files, kept as message ids and put in the reader's language when shown.

A problem is found once (by the loader, or when the index is built) and may be shown many
times later, in whichever language that run uses: `sscard check` under a zh locale, or the
exit-4 report of a lookup. So a Problem holds a sscard.i18n.Msg (its msgid and arguments),
and its text is made when it is shown. tomllib's own messages are English; toml_error()
turns the ones it can raise into Msgs of the same English text, which the catalog
translates.
"""

from __future__ import annotations

from sscard.i18n import Msg, N_


class Problem:
    """One defect in a rule file, reported as FILE:LINE: message (in the current language)."""

    __slots__ = ("file", "line", "msg")

    def __init__(self, file: str, line: int, msg) -> None:
        self.file = file
        self.line = line
        self.msg = msg  # a Msg, or text already in its final form

    @property
    def message(self) -> str:
        """The message in English (the catalog's source language)."""
        return self.msg.en if isinstance(self.msg, Msg) else str(self.msg)

    def text(self) -> str:
        """The message in the current language."""
        return str(self.msg)

    def data(self) -> tuple:
        """A marshal-able form (the index stores problems so)."""
        return (self.file, self.line, self.msg.data() if isinstance(self.msg, Msg) else str(self.msg))

    @classmethod
    def from_data(cls, data, fix=str) -> "Problem":
        """The Problem of data(); fix moves the paths in it (an index read from another folder)."""
        file, line, msg = data
        return cls(fix(str(file)), int(line), Msg.from_data(msg, fix) if isinstance(msg, tuple) else fix(str(msg)))

    def __eq__(self, other) -> bool:
        return isinstance(other, Problem) and self.data() == other.data()

    def __hash__(self) -> int:
        return hash(self.data())

    def __repr__(self) -> str:
        return f"Problem({self.file!r}, {self.line!r}, {self.message!r})"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.text()}"


# tomllib's messages (CPython 3.11-3.13), English as it writes them; each is a msgid.
_TOML = (  # (pattern, msgid), compiled when a file fails to parse
    (r"Invalid statement", N_("Invalid statement")),
    (r"Expected newline or end of document after a statement",
     N_("Expected newline or end of document after a statement")),
    (r"Expected '\]' at the end of a table declaration", N_("Expected ']' at the end of a table declaration")),
    (r"Expected '\]\]' at the end of an array declaration", N_("Expected ']]' at the end of an array declaration")),
    (r"Expected '=' after a key in a key/value pair", N_("Expected '=' after a key in a key/value pair")),
    (r"Expected (?P<what>.+)", N_("Expected {what}")),
    (r"Found invalid character (?P<char>.+)", N_("Found invalid character {char}")),
    (r"Cannot declare (?P<key>.+) twice", N_("Cannot declare {key} twice")),
    (r"Cannot overwrite a value", N_("Cannot overwrite a value")),
    (r"Cannot mutate immutable namespace (?P<key>.+)", N_("Cannot mutate immutable namespace {key}")),
    (r"Cannot redefine namespace (?P<key>.+)", N_("Cannot redefine namespace {key}")),
    (r"Invalid initial character for a key part", N_("Invalid initial character for a key part")),
    (r"Unclosed array", N_("Unclosed array")),
    (r"Duplicate inline table key (?P<key>.+)", N_("Duplicate inline table key {key}")),
    (r"Unclosed inline table", N_("Unclosed inline table")),
    (r"Unescaped '\\' in a string", N_("Unescaped '\\' in a string")),
    (r"Invalid hex value", N_("Invalid hex value")),
    (r"Escaped character is not a Unicode scalar value", N_("Escaped character is not a Unicode scalar value")),
    (r"Unterminated string", N_("Unterminated string")),
    (r"Illegal character (?P<char>.+)", N_("Illegal character {char}")),
    (r"Invalid date or datetime", N_("Invalid date or datetime")),
    (r"Invalid value", N_("Invalid value")),
)
_AT = r"\s*\(at (?:line (\d+), column \d+|(end of document))\)$"


def toml_error(exc, text: str) -> tuple:
    """(line, Msg) for a tomllib.TOMLDecodeError on text: where it is, and what, in a msgid."""
    import re

    message = str(exc)
    found = re.search(_AT, message)
    line = getattr(exc, "lineno", None)
    if not line and found:
        line = int(found.group(1)) if found.group(1) else text.count("\n") + (0 if text.endswith("\n") else 1)
    reason = getattr(exc, "msg", None) or (message[: found.start()] if found else message)
    for pattern, msgid in _TOML:
        matched = re.fullmatch(pattern, reason)
        if matched:
            return line or 1, Msg(N_("TOML syntax error: {error}"), error=Msg(msgid, **matched.groupdict()))
    return line or 1, Msg(N_("TOML syntax error: {error}"), error=reason)
