"""One rule file read for the loader: its bytes (sscard.rulefile), its TOML document and line
map, and its problems as Problem(file, line, Msg); documents kept per process by their bytes.

The typed getters (text, string, strings, unknown_keys) report what is wrong where it is
written; sscard.loader reads the rules out of the documents with them.
"""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path

from sscard.errors import Problem
from sscard.i18n import Msg
from sscard.model import Text
from sscard.problems import toml_error
from sscard.tomlines import LineMap

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 8
Where = tuple[str, int]  # a table in a file: its name and which occurrence (sscard.tomlines.LineMap)


class FileReader:
    """Parses one file and reports its problems with lines."""

    def __init__(self, path: Path, problems: list, layer: int = 0, follow: bool = False) -> None:
        self.path = path
        self.follow = follow  # a file named on the command line may be a link; one found in a folder is not
        self.name = str(path)
        self.problems = problems
        self.layer = layer
        self.lines = LineMap("")

    def problem(self, line: int, message: Msg) -> None:
        self.problems.append(Problem(self.name, line, message))

    def load(self) -> dict | None:
        """The parsed document, or None after reporting why it cannot be read."""
        raw = self._read()
        if raw is None:
            return None
        known = _PARSED.pop(raw, None)
        if known is not None:
            _PARSED[raw] = known  # most recently used last
            self.lines, doc = known
            return doc
        if raw.startswith(b"\xef\xbb\xbf"):
            self.problem(1, Msg("file starts with a byte-order mark; save it as UTF-8 without BOM"))
            return None
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            self.problem(1, Msg("file is UTF-16; save it as UTF-8"))
            return None
        if b"\x00" in raw:
            self.problem(1, Msg("file contains NUL bytes; it looks binary, not TOML"))
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.problem(line, Msg("file is not UTF-8 (GBK or another legacy encoding?); save it as UTF-8"))
            return None
        self.lines = LineMap(text)
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            self.problem(*toml_error(exc, text))
            return None
        except RecursionError:
            self.problem(1, Msg("TOML nesting is too deep"))
            return None
        if _depth(doc) > MAX_DEPTH:
            self.problem(1, Msg("nesting deeper than {depth} levels", depth=MAX_DEPTH))
            return None
        _remember(raw, (self.lines, doc))
        return doc

    def _read(self) -> bytes | None:
        """The file's bytes (sscard.rulefile: a regular file only, its size checked first), or None."""
        from sscard.rulefile import read_rule_file

        raw, why = read_rule_file(self.name, MAX_FILE_BYTES, follow=self.follow)
        if raw is None:
            self.problem(1, why)
        return raw

    def unknown_keys(self, table: dict, allowed: set, where: Where) -> None:
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                self.problem(self.lines.key(*where, key),
                             Msg("unknown key '{key}' (did you mean '{close}'?)", key=key, close=close[0]) if close else
                             Msg("unknown key '{key}' (allowed: {allowed})", key=key, allowed=", ".join(sorted(allowed))))

    def text(self, value, where: Where, key: str, required: bool = True) -> Text | None:
        """A {zh, en} table as Text, or a plain string used for both languages."""
        line = self.lines.key(*where, key)
        if value is None:
            if required:
                self.problem(line, Msg("missing '{key}'", key=key))
            return None
        if isinstance(value, str) and key == "value":
            if value.strip():
                return Text(value, value)
            self.problem(line, Msg("'{key}' is empty", key=key))
            return None
        if not isinstance(value, dict):
            self.problem(line, Msg("'{key}' must be a table {{ zh = \"...\", en = \"...\" }}", key=key))
            return None
        extra = set(value) - {"zh", "en"}
        if extra:
            self.problem(line, Msg("'{key}' has unknown language key(s): {extra}", key=key, extra=", ".join(sorted(extra))))
        texts = []
        for lang in ("zh", "en"):
            got = value.get(lang)
            if not isinstance(got, str) or not got.strip():
                self.problem(line, Msg("'{key}' is missing its {lang} text", key=key, lang=lang))
                return None
            texts.append(got)
        zh, en = texts
        return Text(zh, en)

    def string(self, table: dict, key: str, where: Where, required: bool = True) -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.problem(self.lines.key(*where, key), Msg("missing '{key}'", key=key))
            return ""
        if not isinstance(value, str) or not value.strip():
            self.problem(self.lines.key(*where, key), Msg("'{key}' must be a non-empty string", key=key))
            return ""
        return value.strip()

    def strings(self, table: dict, key: str, where: Where) -> tuple:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(self.lines.key(*where, key), Msg("'{key}' must be a list of non-empty strings", key=key))
            return ()
        return tuple(v.strip() for v in value)


# Documents read in this process, by the file's bytes: the same bytes parse to the same document,
# so loading again after one file changed (sscard shell), `check --cache` and a damaged index's
# fallback parse only what is new. A document that failed to read is never kept, and what is kept
# is only read, never changed. Bounded by the bytes held, least recently used first out.
_PARSED: dict = {}


_PARSED_BYTES = 8 * MAX_FILE_BYTES


def parse_file(path) -> dict | None:
    """One rule file's document as the loader reads it (kept per process by its bytes, as above), or
    None when it cannot be read as a rule file; for readers outside the loader (sscard.scaffold),
    who must not change it."""
    return FileReader(Path(path), [], follow=True).load()


def _remember(raw: bytes, parsed: tuple) -> None:
    held = sum(map(len, _PARSED))
    while _PARSED and held + len(raw) > _PARSED_BYTES:
        oldest = next(iter(_PARSED))
        held -= len(oldest)
        del _PARSED[oldest]
    _PARSED[raw] = parsed


def _depth(value, limit: int = MAX_DEPTH) -> int:
    """How deeply tables and lists nest (counted without recursion; stops past limit)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, (dict, list)):
            level += 1
            deepest = max(deepest, level)
            if deepest > limit:
                return deepest
            stack.extend((v, level) for v in (node.values() if isinstance(node, dict) else node))
    return deepest
