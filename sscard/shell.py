"""`sscard shell`: an interactive session in one process, for call-center use.

The same command lines as the CLI without the `sscard` prefix, run by sscard.main.run, so
the output, the messages and the exit statuses are those of the commands. Line editing,
history and completion come from prompt_toolkit, which only this module imports (it is
imported only by the shell command). When stdin is not a terminal the lines are read and
run one by one without prompt_toolkit, so the shell can be scripted:
`printf 'pin ningbo --bank ccb\\n' | sscard shell`.
"""

from __future__ import annotations

import os
import re
import shlex

from sscard import main, output
from sscard.completion import NameTable, _plain_word

PROMPT = "sscard> "
LEAVE = ("exit", "quit")
HELP = ("help", "?")

# One line for each command that is not a topic (topics have theirs in sscard.topics).
_DESCRIPTIONS = {
    "show": "every topic for one place on one page",
    "cities": "the places covered",
    "banks": "the banks and their hotlines",
    "search": "search every rule of every place",
    "check": "validate rule files",
    "sources": "the sources behind the answers",
    "batch": "answer one query per input line (end with Ctrl-D)",
    "exit": "leave the shell (or Ctrl-D)",
    "quit": "leave the shell (or Ctrl-D)",
    "help": "this list; help COMMAND for its options",
}
_NOT_HERE = ("shell",)  # commands that make no sense inside the shell
_METAVARS = {"data_dir": "PATH", "paths": "PATH"}

_EXAMPLES = (
    ("pin ningbo --bank ccb", "initial PINs for a Ningbo card issued by CCB"),
    ("lost 重庆", "report a lost card, social side and bank side"),
    ("show 宁波 --format json", "everything about one place"),
    ("search 锁定 --region ningbo", "full-text search"),
)
_KEYS = """\
Tab completes commands, places and banks (Chinese, pinyin, English); Up recalls
earlier lines; Ctrl-C cancels a line; Ctrl-D or exit leaves."""

# Long runs of digits are ID or bank-card numbers: never written to the history file.
_LONG_NUMBER = re.compile(r"\d{14,}[\dXx]?")
_ID_OPTION = re.compile(r"(--id(?:=|\s+))(\"[^\"]*\"|'[^']*'|\S+)")


def run_shell(env) -> int:
    """The interactive loop. env is an sscard.output.Env. Returns the exit status (0).

    Lines come from a prompt_toolkit prompt when stdin is a terminal, else from env.stdin as
    they are (no prompt, no history). Each line's status shows in the next prompt.
    """
    from sscard.serve import keep_loaded

    try:
        shell = Shell(env)
        if not _isatty(env.stdin):
            env.stdin = _Lines(env.stdin)  # a batch line reads on from the same lines (not the raw pipe)
            return shell.run_script(env.stdin)
        screen = env.stdout if _isatty(env.stdout) else (env.stderr if _isatty(env.stderr) else None)
        if screen is None:
            return shell.run_script(env.stdin)
        return shell.run_interactive(screen)
    finally:
        keep_loaded(False)  # the session is over: later runs in this process load as usual


class Shell:
    """One session: the rules loaded once and kept while their files are unchanged (lookups, the
    search table and listings carry over from line to line), the last exit status, the loop.

    Lines from a pipe need no completion: the names for it and prompt_toolkit (about 20 MiB)
    are loaded only for a terminal."""

    def __init__(self, env) -> None:
        from sscard.serve import keep_loaded

        self.env = env
        self.status = 0
        output.current = env
        keep_loaded()
        self._completer = None
        _warm(env)

    @property
    def completer(self) -> "ShellCompleter":
        if self._completer is None:
            self._completer = ShellCompleter(_load_names(self.env))
        return self._completer

    # -- the loops ---------------------------------------------------------------------

    def run_script(self, lines) -> int:
        """Run lines from a file or pipe: no prompt, no history. 0, or 130 when interrupted."""
        try:
            for line in lines:
                if not self.handle(line):
                    break
        except KeyboardInterrupt:
            self.env.say("interrupted")
            return 130
        return 0

    def run_interactive(self, screen) -> int:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
        from prompt_toolkit.completion import Completer
        from prompt_toolkit.input import create_input
        from prompt_toolkit.output import create_output

        inner = self.completer

        class Completing(Completer):
            def get_completions(self, document, complete_event):
                return inner.get_completions(document, complete_event)

        session = PromptSession(
            history=open_history(self.env),
            completer=Completing(),
            complete_while_typing=False,
            auto_suggest=AutoSuggestFromHistory(),
            enable_history_search=False,
            mouse_support=False,
            input=create_input(self.env.stdin),
            output=create_output(screen),
        )
        while True:
            try:
                text = session.prompt(self.prompt())
            except KeyboardInterrupt:  # Ctrl-C at the prompt: drop the line
                continue
            except EOFError:  # Ctrl-D on an empty line: leave
                _write(screen, "\n")
                return 0
            try:
                # A paste of several lines runs each of them.
                for line in text.splitlines() or [""]:
                    if not self.handle(line):
                        return 0
            except KeyboardInterrupt:  # between our own steps; main.run handles its own
                self.env.say("interrupted")
                self.status = 130

    def prompt(self) -> str:
        return PROMPT if self.status == 0 else f"sscard [{self.status}]> "

    # -- one line ------------------------------------------------------------------------

    def handle(self, line: str) -> bool:
        """Run one line; False when it asks to leave."""
        text = line.strip()
        if not text or text.startswith("#"):
            return True
        try:
            tokens = shlex.split(text)
        except ValueError as exc:
            self.env.say(f"cannot split the line: {exc}")
            self.status = 2
            return True
        if tokens and tokens[0] == "sscard":
            tokens = tokens[1:]
        if not tokens:
            self.show_help()
            return True
        first = tokens[0]
        if first in LEAVE:
            return False
        if first in HELP:
            if len(tokens) > 1 and tokens[1] not in HELP:
                self.status = main.run([tokens[1], "--help"], self.env)
            else:
                self.show_help()
                self.status = 0
            return True
        if first in _NOT_HERE:
            self.env.say("the shell is already running (exit or Ctrl-D leaves it)")
            self.status = 0
            return True
        self.status = main.run(tokens, self.env)
        return True

    def show_help(self) -> None:
        from sscard.topics import TOPICS

        rows = []
        for name in self.completer.command_names:
            topic = TOPICS.get(name)
            rows.append((name, topic.help if topic else _DESCRIPTIONS.get(name, "")))
        rows += [(name, _DESCRIPTIONS[name]) for name in ("help", "exit")]
        width = max(len(name) for name, _ in rows) + 2
        lines = ["Commands (as on the command line, without 'sscard'):"]
        lines += [f"  {name.ljust(width)}{about}".rstrip() for name, about in rows]
        lines += ["", "Examples:"]
        lines += [f"  {_pad(example, 30)}{about}" for example, about in _EXAMPLES]
        _write(self.env.stdout, "\n".join(lines) + "\n" + _KEYS + "\n")


# -- history ---------------------------------------------------------------------------


def history_path(environ) -> str | None:
    """The history file: in $SSCARD_STATE_DIR, else the user state directory; None disables it."""
    configured = environ.get("SSCARD_STATE_DIR")
    if configured is not None:
        folder = configured or None
    else:
        from platformdirs import user_state_dir

        folder = user_state_dir("sscard", appauthor=False)
    return os.path.join(folder, "history") if folder else None


def redact(line: str) -> str:
    """The line as the history keeps it: ID and bank-card numbers starred out."""
    line = _ID_OPTION.sub(lambda m: m.group(0) if m.group(2) == "-" else m.group(1) + "*" * 18, line)
    return _LONG_NUMBER.sub(lambda m: "*" * len(m.group(0)), line)


_HISTORIES: dict = {}


def _histories() -> dict:
    """The history classes, made on first use: they are prompt_toolkit's, imported only for a terminal."""
    if _HISTORIES:
        return _HISTORIES
    from prompt_toolkit.history import FileHistory, InMemoryHistory

    class _Redacting:
        """A history that stars out ID and card numbers before keeping a line."""

        def append_string(self, string: str) -> None:
            super().append_string(redact(string))

    class RedactedFileHistory(_Redacting, FileHistory):
        """The history file; a write that fails (disk full, file gone) is said once, not fatal."""

        def __init__(self, filename: str, env) -> None:
            super().__init__(filename)
            self._env = env
            self._failed = False

        def store_string(self, string: str) -> None:
            try:
                super().store_string(string)
            except OSError as exc:
                if not self._failed:
                    self._failed = True
                    self._env.say(f"history not saved: {exc.strerror or exc}")

    class RedactedMemoryHistory(_Redacting, InMemoryHistory):
        pass

    _HISTORIES.update(RedactedFileHistory=RedactedFileHistory, RedactedMemoryHistory=RedactedMemoryHistory)
    return _HISTORIES


def __getattr__(name: str):
    if name in ("RedactedFileHistory", "RedactedMemoryHistory"):
        return _histories()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def open_history(env):
    """A FileHistory in the state directory, else (read-only, no home) one kept in memory."""
    RedactedFileHistory, RedactedMemoryHistory = (_histories()[n] for n in ("RedactedFileHistory",
                                                                            "RedactedMemoryHistory"))
    try:
        path = history_path(env.environ)
    except Exception as exc:  # no home directory, odd platform
        env.say(f"history is kept for this session only: no state directory ({exc})")
        return RedactedMemoryHistory()
    if path is None:
        return RedactedMemoryHistory()
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600))
    except OSError as exc:
        env.say(f"history is kept for this session only: cannot write {path} ({exc.strerror or exc})")
        return RedactedMemoryHistory()
    return RedactedFileHistory(path, env)


# -- completion ------------------------------------------------------------------------


class ShellCompleter:
    """Commands, option names, choices, regions and banks, from data loaded once (prompt_toolkit's
    Completion objects; the session wraps this in its Completer)."""

    def __init__(self, names: dict, spec: dict | None = None) -> None:
        if spec is None:
            from sscard.argspec import load_spec

            spec = load_spec()
        self.commands = {k: v for k, v in spec["commands"].items() if k not in _NOT_HERE}
        self.command_names = sorted(self.commands)
        self.regions = NameTable(names.get("regions", []))
        self.banks = NameTable(names.get("banks", []))
        self._meta = {}
        from sscard.topics import TOPICS

        for name in self.command_names:
            topic = TOPICS.get(name)
            self._meta[name] = topic.help if topic else _DESCRIPTIONS.get(name, "")

    def get_completions(self, document, complete_event):
        from prompt_toolkit.completion import Completion

        text = document.text_before_cursor
        words, word, start = split_partial(text)
        for value, meta in self.candidates(words, word):
            yield Completion(value, start_position=start - len(text), display_meta=meta)

    def candidates(self, words: list, word: str) -> list:
        """(value, meta) pairs for the word being typed after the finished words."""
        if words and words[0] == "sscard":
            words = words[1:]
        if not words:
            names = [*self.command_names, "help", "exit", "quit"]
            return [(n, self._meta.get(n) or _DESCRIPTIONS.get(n, "")) for n in names if n.startswith(word)]
        command = self.commands.get(words[0])
        if words[0] in HELP:
            return [(n, self._meta[n]) for n in self.command_names if n.startswith(word)] if len(words) == 1 else []
        if command is None:
            return []
        params = command["params"]
        options = {opt: p for p in params if p["kind"] == "option" for opt in p["opts"]}
        used, pending, filled = set(), None, 0
        for token in words[1:]:
            if pending is not None:
                pending = None
            elif token.startswith("-") and token != "-":
                param = options.get(token.partition("=")[0] if token.startswith("--") else token)
                if param is not None:
                    used.add(param["name"])
                    if not param["flag"] and "=" not in token:
                        pending = param
            else:
                filled += 1
        if pending is not None:
            return self.values(pending, word)
        if word.startswith("-") and word != "-" and "=" in word and word.startswith("--"):
            name, _, part = word.partition("=")
            param = options.get(name)
            if param is None or param["flag"]:
                return []
            return [(f"{name}={value}", meta) for value, meta in self.values(param, part)]
        arguments = [p for p in params if p["kind"] == "argument"]
        if not word.startswith("-"):
            if filled < len(arguments):
                return self.values(arguments[filled], word)
            if arguments and arguments[-1]["nargs"] == -1:
                return self.values(arguments[-1], word)
            if word:
                return []
        out = []
        for param in params:
            if param["kind"] != "option" or (param["name"] in used and not param["multiple"]):
                continue
            opts = [o for o in param["opts"] if o.startswith("--")] if len(word) < 2 else param["opts"]
            meta = "|".join(param["choices"]) if param["choices"] else ("" if param["flag"] else _METAVARS.get(param["name"], param["name"].upper()))
            out += [(opt, meta) for opt in opts if opt.startswith(word)]
        if "--help".startswith(word) and word:
            out.append(("--help", "the command's options"))
        return out

    def values(self, param: dict, word: str) -> list:
        """Completions for the value of an option or argument."""
        if param["choices"]:
            return [(c, "") for c in param["choices"] if c.startswith(word)]
        if param["name"] == "bank":
            return self.banks.complete(word)
        if param["name"] == "region":
            return self.regions.complete(word)
        if param["name"] in ("data_dir", "paths"):
            return _paths(word, folders_only=param["name"] == "data_dir")
        return []


def split_partial(text: str):
    """(finished words, the word being typed, where it starts) for the text before the cursor.

    Quotes and backslashes are read as shlex reads them; an unclosed quote is allowed.
    """
    words, current, start, quote = [], None, len(text), None
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
            if current is not None:
                words.append(current)
                current = None
        else:
            if current is None:
                current, start = "", i
            if ch in "'\"":
                quote = ch
            elif ch == "\\" and i + 1 < len(text):
                i += 1
                current += text[i]
            else:
                current += ch
        i += 1
    if current is None:
        return words, "", len(text)
    return words, current, start


def _paths(word: str, folders_only: bool) -> list:
    folder, _, stem = word.rpartition(os.sep)
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
        out.append((value if _plain_word(value) else shlex.quote(value), ""))
    return out


# -- helpers ---------------------------------------------------------------------------


def _load_names(env) -> dict:
    """Region and bank names for completion, from the rules this session's layers give."""
    from sscard import commands
    from sscard.errors import SscardError

    try:
        return commands.rules().completion_names()
    except SscardError as exc:
        main.report(exc, env)
    except Exception as exc:  # completion must not keep the shell from starting
        env.say(f"no completion of places and banks: {type(exc).__name__}: {exc}")
    return {"regions": [], "banks": []}


def _warm(env) -> None:
    """Import what the first answer needs now, so it does not pay for it."""
    import sscard.argspec  # noqa: F401
    import sscard.commands  # noqa: F401
    import sscard.lookup  # noqa: F401
    import sscard.renderers  # noqa: F401
    import sscard.renderers.plain  # noqa: F401

    if env.format(None) == "rich":
        import sscard.renderers.rich  # noqa: F401
    # rapidfuzz and OpenCC (typos, traditional characters; about 14 MiB together) load on the
    # first line that needs them, not here: most sessions type names sscard reads exactly.


def _pad(text: str, columns: int) -> str:
    """text padded with spaces to this many terminal columns (CJK characters take two)."""
    import unicodedata

    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, columns - used)


class _Lines:
    """A script's input as lines only: a `batch` line then reads the lines after it through this,
    not the raw descriptor beneath (which would skip what the text stream has read ahead)."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def readline(self, *size) -> str:
        return self._stream.readline(*size)

    def __iter__(self):
        return iter(self._stream.readline, "")

    def isatty(self) -> bool:
        return False


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _write(stream, text: str) -> None:
    try:
        stream.write(text)
        stream.flush()
    except (OSError, ValueError):
        pass
