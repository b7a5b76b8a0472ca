"""Make untrusted text inert before it reaches a terminal, a pipe or a message.

Rule files and the command line may hold ANSI escapes, other control characters or
bidirectional overrides; none of them may change the terminal.
"""

from __future__ import annotations

_ANSI = r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)?|\x1b[@-Z\\-_]"
# C0 controls but tab and newline, DEL, C1 controls, the soft hyphen, bidi marks
# (U+061C, U+200E/F), embeddings, overrides and isolates, the zero-width and invisible
# characters (U+180E, U+200B-U+200D, U+2060-U+2064, U+FEFF) and the line separators:
# everything that reorders, hides or splits text without being seen.
INVISIBLE = ("\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
             "\u2066-\u2069\u2028\u2029\ufeff")
_CONTROL = f"[{INVISIBLE}]"
_compiled: list = []  # (ansi, control), compiled on first use: most text is printable


def _patterns() -> tuple:
    if not _compiled:
        import re

        _compiled.extend((re.compile(_ANSI), re.compile(_CONTROL)))
    return _compiled[0], _compiled[1]


def clean(text: str) -> str:
    """Text with escape sequences and control characters removed (tabs and newlines kept)."""
    if text.isprintable():
        return text
    ansi, control = _patterns()
    return control.sub("", ansi.sub("", text))


def one_line(text: str) -> str:
    """Clean text folded onto one line (for plain output, one item per line)."""
    return " ".join(clean(text).split())


def quote(text: str, limit: int = 60) -> str:
    """A short, visibly escaped rendering of user input for error messages."""
    shown = text if len(text) <= limit else text[:limit] + "…"
    out = []
    control = _patterns()[1] if not shown.isprintable() else None
    for ch in shown:
        if control is not None and control.match(ch) or ch == "\x1b" or ch in "\t\n":
            out.append(f"\\u{ord(ch):04x}" if ord(ch) > 0xFF else f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return "'" + "".join(out) + "'"
