"""Tab completion: commands, options, choices, places and banks, from the command table and
the rules index, for bash, zsh and fish (sscard.completion_scripts) and `sscard shell`.

A Tab press runs `sscard` with _SSCARD_COMPLETE set (complete_bash, complete_zsh or
complete_fish) and the line so far in COMP_LINE (or, from a script written by an older
sscard, COMP_WORDS and COMP_CWORD). respond() answers it without Typer, Rich or the
use cases: the command table says what the word is, and only a place or a bank needs the
rules index (the names table in it, read without parsing a rule file).
"""

from __future__ import annotations

import os

from sscard.commandtable import COMMANDS, HELP_OPTIONS, ROOT, SHELLS
from sscard.completenames import NameTable, StoredNames, plain_word
from sscard.i18n import _

__all__ = ["Completer", "NameTable", "candidates", "respond", "split_partial"]


def candidates(entries: list, incomplete: str, limit: int = 50) -> list:
    """(value, "zh / en") for entries [id, zh, en, aliases] with a name starting with incomplete."""
    return NameTable(entries, keep=False).complete(incomplete)[:limit]


class Completer:
    """What may come next on a command line, from the command table.

    names: a function of the words so far giving {"regions": [...], "banks": [...]}, called
    only when a place or a bank is being typed; or tables: a function of the kind ("regions"
    or "banks") and the words giving what completes them (a Tab press: StoredNames). extra:
    first words besides the commands (the shell's help and exit), each with its description;
    hidden: commands not offered.
    """

    def __init__(self, names=None, extra: dict | None = None, hidden: tuple = (), root_options: bool = False,
                 tables=None) -> None:
        self._make = tables or (lambda kind, words: NameTable(names(words).get(kind, [])))
        self._tables: dict = {}
        self.commands = {k: v for k, v in COMMANDS.items() if k not in hidden}
        self.command_names = sorted(self.commands)
        self.extra = extra or {}
        self.root_options = root_options

    def table(self, kind: str, words: list):
        if kind not in self._tables:
            self._tables[kind] = self._make(kind, words)
        return self._tables[kind]

    def summary(self, name: str) -> str:
        command = self.commands.get(name)
        return _(command.summary) if command else self.extra.get(name, "")

    def candidates(self, words: list, word: str) -> list:
        """(value, description) pairs for the word being typed after the finished words."""
        if words and words[0] == "sscard":
            words = words[1:]
        if not words:
            if word.startswith("-") and self.root_options:
                opts = [*(o for p in ROOT.values() for o in p.opts if o.startswith("--")), "--help"]
                return [(o, "") for o in opts if o.startswith(word)]
            names = [*self.command_names, *self.extra]
            return [(n, self.summary(n)) for n in names if n.startswith(word)]
        if self.root_options and words[0] in (*ROOT["show_completion"].opts, *ROOT["install_completion"].opts):
            return [(s, "") for s in SHELLS if s.startswith(word)] if len(words) == 1 else []
        if words[0] in ("help", "?") and "help" in self.extra:
            return [(n, self.summary(n)) for n in self.command_names if n.startswith(word)] if len(words) == 1 else []
        command = self.commands.get(words[0])
        if command is None:
            return []
        options = command.options()
        used, pending, filled = set(), None, 0
        for token in words[1:]:
            if pending is not None:
                pending = None
            elif token.startswith("-") and token != "-":
                param = options.get(token.partition("=")[0] if token.startswith("--") else token)
                if param is not None:
                    used.add(param.name)
                    if not param.flag and "=" not in token:
                        pending = param
            else:
                filled += 1
        if pending is not None:
            return self.values(pending, word, words)
        if word.startswith("--") and "=" in word:
            name, _eq, part = word.partition("=")
            param = options.get(name)
            if param is None or param.flag:
                return []
            return [(f"{name}={value}", meta) for value, meta in self.values(param, part, words)]
        arguments = command.arguments()
        if not word.startswith("-"):
            if filled < len(arguments):
                return self.values(arguments[filled], word, words)
            if arguments and arguments[-1].nargs == -1:
                return self.values(arguments[-1], word, words)
            if word:
                return []
        out = []
        for param in command.params:
            if param.kind != "option" or (param.name in used and not param.multiple):
                continue
            opts = [o for o in param.opts if o.startswith("--")] if len(word) < 2 else param.opts
            meta = "|".join(param.choices) if param.choices else ("" if param.flag else param.metavar or "")
            out += [(opt, meta) for opt in opts if opt.startswith(word)]
        if word and HELP_OPTIONS[0].startswith(word):
            out.append((HELP_OPTIONS[0], _("the command's options")))
        return out

    def values(self, param, word: str, words: list) -> list:
        """Completions for the value of an option or argument."""
        if param.choices:
            return [(c, "") for c in param.choices if c.startswith(word)]
        if param.complete == "bank":
            return self.table("banks", words).complete(word)
        if param.complete == "region":
            return self.table("regions", words).complete(word)
        if param.complete in ("path", "folder"):
            return _paths(word, folders_only=param.complete == "folder")
        return []


def split_partial(text: str) -> tuple[list[str], str, int]:
    """(finished words, the word being typed, where it starts) for the text before the cursor.

    Quotes and backslashes are read as shlex reads them; an unclosed quote is allowed.
    """
    words: list[str] = []
    current, in_word, start, quote = "", False, len(text), None
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = None
            elif ch == "\\" and quote == '"' and i + 1 < len(text) and text[i + 1] in '"\\$`':
                i += 1
                current += text[i]
            else:
                current += ch
        elif ch.isspace():
            if in_word:
                words.append(current)
                current, in_word = "", False
        else:
            if not in_word:
                current, in_word, start = "", True, i
            if ch in "'\"":
                quote = ch
            elif ch == "\\" and i + 1 < len(text):
                i += 1
                current += text[i]
            else:
                current += ch
        i += 1
    if not in_word:
        return words, "", len(text)
    return words, current, start


def _paths(word: str, folders_only: bool) -> list:
    import shlex

    folder, _sep, stem = word.rpartition(os.sep)
    folder = folder + os.sep if word.startswith(os.sep) or folder else ""
    where = os.path.expanduser(folder) if folder else "."
    try:
        entries = sorted(os.listdir(where))
    except OSError:
        return []
    out = []
    for entry in entries:
        if not entry.startswith(stem) or (entry.startswith(".") and not stem.startswith(".")):
            continue
        is_dir = os.path.isdir(os.path.join(where, entry))
        if folders_only and not is_dir:
            continue
        value = folder + entry + (os.sep if is_dir else "")
        out.append((value if plain_word(value) else shlex.quote(value), ""))
    return out


# -- a Tab press in bash, zsh or fish ------------------------------------------------------


def respond(env) -> int:
    """Answer the completion request in env.environ on env.stdout; always 0, never a traceback."""
    environ = env.environ
    shell = environ.get("_SSCARD_COMPLETE", "").replace("complete_", "").replace("_complete", "")
    try:
        words, word = _request(environ)
        offers = Completer(root_options=True, tables=lambda kind, typed: _names(env, kind, typed)).candidates(
            words[1:], word)
    except Exception:  # noqa: BLE001 - completion must never print a traceback into the shell
        offers = []
    if shell == "bash" and word.startswith("--") and "=" in word and "COMP_LINE" in environ:
        cut = word.index("=") + 1  # bash's word starts after the '=' (COMP_WORDBREAKS)
        offers = [(value[cut:], meta) for value, meta in offers]
    lines = []
    for value, meta in offers:
        meta = " ".join(meta.split())
        if shell == "zsh":
            lines.append(value.replace("\\", "\\\\").replace(":", "\\:") + (f":{meta}" if meta else ""))
        elif shell == "fish":
            lines.append(value + (f"\t{meta}" if meta else ""))
        else:
            lines.append(value)
    try:
        env.write("".join(line + "\n" for line in lines))
    except Exception:  # noqa: BLE001 - a closed pipe: the shell stopped waiting
        pass
    return 0


def _request(environ) -> tuple:
    """(every finished word including the program's, the word being completed)."""
    line = environ.get("COMP_LINE")
    if line is not None:
        point = environ.get("COMP_POINT", "")
        if point.isdigit():
            line = line[: int(point)]
        words, word, _start = split_partial(line)
        return words, word
    if "COMP_WORDS" in environ:  # the bash script of sscard 0.x (Typer's protocol)
        words, word, _start = split_partial(environ["COMP_WORDS"])
        all_words = [*words, word] if word else words
        cword = int(environ.get("COMP_CWORD", len(all_words)))
        return all_words[:cword], all_words[cword] if cword < len(all_words) else ""
    words, word, _start = split_partial(environ.get("_TYPER_COMPLETE_ARGS", ""))
    return words, word


def _names(env, kind: str, words: list) -> StoredNames:
    """Region or bank names from the rules index of this line's data layers (--data-dir counted):
    the index's stored table, else every name of the rules."""
    from sscard.locate import checked_layers
    from sscard.serve import load_rules

    named = [words[i + 1] for i, w in enumerate(words[:-1]) if w in ("--data-dir", "-d")]
    named += [w.partition("=")[2] for w in words if w.startswith("--data-dir=")]
    try:
        rules = load_rules(checked_layers(named, env.environ), environ=env.environ)
    except Exception:  # noqa: BLE001 - no names rather than an error in the middle of a line
        return StoredNames(lambda number: None, lambda: NameTable([], keep=False))

    def read(number: int):
        try:
            return rules.completion_bucket(kind, number)
        except Exception:  # noqa: BLE001 - a damaged index: every name instead
            return None

    def whole() -> NameTable:
        try:
            return NameTable(rules.completion_names().get(kind, []), keep=False)
        except Exception:  # noqa: BLE001 - no names rather than an error in the middle of a line
            return NameTable([], keep=False)

    return StoredNames(read, whole)
