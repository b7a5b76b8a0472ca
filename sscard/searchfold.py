"""Folding for full-text search: width, case and tone marks folded, text made compact
(no spaces or punctuation), crude English stems, and the patterns that find a compact
string in folded text. The Unicode classes are compiled on the first search (~8 ms)."""

from __future__ import annotations

import re
import unicodedata

CJK_CHARS = "\u3400-\u9fff\uf900-\ufaff"
CJK = NONWORD = MARKED = TOKEN = WORD = None  # see ready()


def ready() -> None:
    global CJK, NONWORD, MARKED, TOKEN, WORD
    if CJK is None:
        NONWORD = re.compile(r"[\W_]+")
        MARKED = re.compile(r"[\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f]")
        TOKEN = re.compile(rf"[{CJK_CHARS}]+|\d+|[^\W\d_{CJK_CHARS}]+")
        WORD = re.compile(rf"[^\W\d_{CJK_CHARS}]+")
        CJK = re.compile(f"[{CJK_CHARS}]")


def fold(text: str) -> str:
    """Width, case and tone marks folded; spaces and punctuation kept (for word edges)."""
    text = unicodedata.normalize("NFKC", text)
    if MARKED.search(text):
        text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return text.casefold()


def compact(folded: str) -> str:
    return NONWORD.sub("", folded)


def is_letter(char: str) -> bool:
    return char.isalpha() and not CJK.match(char)


def is_alnum(char: str) -> bool:
    return char.isalnum() and not CJK.match(char)


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
