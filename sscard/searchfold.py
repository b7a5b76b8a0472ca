"""Folding for full-text search: width, case and tone marks folded, text made compact
(no spaces or punctuation), crude English stems, and the patterns that find a compact
string in folded text. The Unicode classes are compiled on the first search (~8 ms)."""

from __future__ import annotations

import re
import unicodedata

CJK_CHARS = "\u3400-\u9fff\uf900-\ufaff"
NONWORD: re.Pattern[str] | None = None  # compiled by ready(), which callers of fold() and compact() run first
MARKED: re.Pattern[str] | None = None
_WORD: re.Pattern[str] | None = None  # see words()


def ready() -> None:
    """Compile the patterns a query needs (those over the Chinese ranges are plain code below:
    compiling their classes costs milliseconds a run)."""
    global NONWORD, MARKED
    if NONWORD is None:
        NONWORD = re.compile(r"[\W_]+")
        MARKED = re.compile(r"[\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f]")


def is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def has_cjk(text: str) -> bool:
    return any(is_cjk(c) for c in text)


def starts_cjk(text: str) -> bool:
    return bool(text) and is_cjk(text[0])


def cjk_chars(text: str) -> list:
    return [c for c in text if is_cjk(c)]


def _kind(char: str) -> str:
    """c: Chinese, d: a decimal digit, w: another letter or digit (not _), '': anything else."""
    return "c" if is_cjk(char) else "d" if char.isdecimal() else "w" if char.isalnum() else ""


def tokens(text: str) -> list:
    """Runs of Chinese characters, of digits, and of other letters (the regex
    [CJK]+|\\d+|[^\\W\\d_CJK]+, findall)."""
    out, run, kind = [], "", ""
    for char in text:
        now = _kind(char)
        if now != kind and run:
            out.append(run)
            run = ""
        kind = now
        if now:
            run += char
    if run:
        out.append(run)
    return out


def words(text: str) -> list:
    """Runs of letters that are not Chinese (no digits, no _)."""
    global _WORD
    if _WORD is None:
        _WORD = re.compile(rf"[^\W\d_{CJK_CHARS}]+")
    return _WORD.findall(text)


def fold(text: str) -> str:
    """Width, case and tone marks folded; spaces and punctuation kept (for word edges)."""
    text = unicodedata.normalize("NFKC", text)
    assert MARKED is not None, "searchfold.ready() first"
    if MARKED.search(text):
        text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return text.casefold()


def compact(folded: str) -> str:
    assert NONWORD is not None, "searchfold.ready() first"
    return NONWORD.sub("", folded)


def is_letter(char: str) -> bool:
    return char.isalpha() and not is_cjk(char)


def is_alnum(char: str) -> bool:
    return char.isalnum() and not is_cjk(char)


def stem(word: str) -> str:
    """A crude English stem, enough for lock/locks/locked/locking and fee/fees."""
    for suffix in ("ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith("ss"):
                continue
            return word[: -len(suffix)]
    return word


PATTERNS: dict = {}


def pattern(compact: str):
    """A regex finding a compact string in folded text, punctuation and spaces allowed between."""
    found = PATTERNS.get(compact)
    if found is None:
        body = r"[\W_]*".join(re.escape(c) for c in compact)
        if compact[0].isdigit():
            body = r"(?<!\d)" + body
        if compact[-1].isdigit():
            body += r"(?!\d)"
        if len(PATTERNS) > 512:
            PATTERNS.clear()
        found = PATTERNS[compact] = re.compile(body)
    return found
