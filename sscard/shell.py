"""`sscard shell`: an interactive session in one process, for call-center use.

The same command lines as the CLI without the `sscard` prefix, run by sscard.runner as the
command line's are, so the output, the messages and the exit statuses are those of the
commands. Its help and completion come from the command table (sscard.commandtable). Line editing,
history and completion come from prompt_toolkit, which only this module imports (it is
imported only by the shell command). When stdin is not a terminal the lines are read and
run one by one without prompt_toolkit, so the shell can be scripted:
`printf 'pin ningbo --bank ccb\\n' | sscard shell`.
"""

from __future__ import annotations

import os
import re
import shlex

from sscard import runner
from sscard.completion import Completer, NameTable, split_partial  # noqa: F401 - NameTable, split_partial: API
from sscard.i18n import N_, _
from sscard.output import is_terminal

PROMPT = "sscard> "
LEAVE = ("exit", "quit")
HELP = ("help", "?")

# The shell's own words (the commands' come from the command table).
_WORDS = {
    "help": N_("this list; help COMMAND for its options"),
    "exit": N_("leave the shell (or Ctrl-D)"),
    "quit": N_("leave the shell (or Ctrl-D)"),
}
_NOT_HERE = ("shell",)  # commands that make no sense inside the shell

_EXAMPLES = (
    ("pin ningbo --bank ccb", N_("initial PINs for a Ningbo card issued by CCB")),
    ("lost 重庆", N_("report a lost card, social side and bank side")),
    ("show 宁波 --format json", N_("everything about one place")),
    ("search 锁定 --region ningbo", N_("full-text search")),
)
_KEYS = N_("Tab completes commands, places and banks (Chinese, pinyin, English); Up recalls\n"
           "earlier lines; Ctrl-C cancels a line; Ctrl-D or exit leaves.")

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
        if not is_terminal(env.stdin):
            env.stdin = _Lines(env.stdin)  # a batch line reads on from the same lines (not the raw pipe)
            return shell.run_script(env.stdin)
        screen = env.stdout if is_terminal(env.stdout) else (env.stderr if is_terminal(env.stderr) else None)
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
        keep_loaded()
        self._completer: ShellCompleter | None = None
        _warm(env)

    @property
    def completer(self) -> ShellCompleter:
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
            self.env.say(_("interrupted"))
            return 130
        return 0

    def run_interactive(self, screen) -> int:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.completion import Completer as PromptCompleter
        from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
        from prompt_toolkit.input import create_input
        from prompt_toolkit.output import create_output

        inner = self.completer

        class Completing(PromptCompleter):
            def get_completions(self, document, complete_event):
                return inner.get_completions(document, complete_event)

        late: list = []
        keys = interrupt_keys(late)

        session: PromptSession[str] = PromptSession(
            history=open_history(self.env),
            completer=Completing(),
            complete_while_typing=False,
            auto_suggest=AutoSuggestFromHistory(),
            enable_history_search=False,
            mouse_support=False,
            key_bindings=keys,
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
            if late:  # Ctrl-C right after Enter: that line does not run
                late.clear()
                self.env.say(_("interrupted"))
                self.status = 130
                continue
            try:
                # A paste of several lines runs each of them.
                for line in text.splitlines() or [""]:
                    if not self.handle(line):
                        return 0
            except KeyboardInterrupt:  # between our own steps; main.run handles its own
                self.env.say(_("interrupted"))
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
            self.env.say(_("cannot split the line: {reason}").format(reason=exc))
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
                self.status = runner.run_line([tokens[1], "--help"], self.env)
            else:
                self.show_help()
                self.status = 0
            return True
        self.status = runner.run_line(tokens, self.env)  # `shell` itself: told it is already running
        return True

    def show_help(self) -> None:
        """The commands (from the command table), examples and keys, in the session's language."""
        from sscard import i18n

        before = i18n.language()
        i18n.set_language(self.env.lang(None))
        try:
            completer = self.completer.completer
            rows = [(name, completer.summary(name)) for name in (*completer.command_names, "help", "exit")]
            width = max(len(name) for name, _about in rows) + 2
            lines = [_("Commands (as on the command line, without 'sscard'):")]
            lines += [f"  {name.ljust(width)}{about}".rstrip() for name, about in rows]
            lines += ["", _("Examples:")]
            lines += [f"  {_pad(example, 30)}{_(about)}" for example, about in _EXAMPLES]
            text = "\n".join(lines) + "\n" + _(_KEYS) + "\n"
        finally:
            i18n.set_language(before)
        _write(self.env.stdout, text)


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
            super().append_string(redact(string))  # type: ignore[misc]  # mixed into a prompt_toolkit history

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
                    self._env.say(_("history not saved: {reason}").format(reason=exc.strerror or exc))

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
        env.say(_("history is kept for this session only: no state directory ({reason})").format(reason=exc))
        return RedactedMemoryHistory()
    if path is None:
        return RedactedMemoryHistory()
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600))
    except OSError as exc:
        env.say(_("history is kept for this session only: cannot write {path} ({reason})").format(
            path=path, reason=exc.strerror or exc))
        return RedactedMemoryHistory()
    return RedactedFileHistory(path, env)


# -- completion ------------------------------------------------------------------------


class ShellCompleter:
    """prompt_toolkit's side of sscard.completion.Completer: names loaded once for the session
    (prompt_toolkit's Completion objects; the session wraps this in its Completer)."""

    def __init__(self, names: dict) -> None:
        self.completer = Completer(lambda words: names, extra={k: _(v) for k, v in _WORDS.items()},
                                   hidden=_NOT_HERE)
        self.command_names = self.completer.command_names

    def get_completions(self, document, complete_event):
        from prompt_toolkit.completion import Completion

        text = document.text_before_cursor
        words, word, start = split_partial(text)
        for value, meta in self.candidates(words, word):
            yield Completion(value, start_position=start - len(text), display_meta=meta)

    def candidates(self, words: list, word: str) -> list:
        """(value, meta) pairs for the word being typed after the finished words."""
        return self.completer.candidates(words, word)


# -- helpers ---------------------------------------------------------------------------


def _load_names(env) -> dict:
    """Region and bank names for completion, from the rules this session's layers give."""
    from sscard.errors import SscardError
    from sscard.locate import checked_layers
    from sscard.serve import load_rules

    try:
        loaded = load_rules(checked_layers((), env.environ), environ=env.environ)
        for note in loaded.notes:
            env.say(note)
        return loaded.completion_names()
    except SscardError as exc:
        runner.report(exc, env)
    except Exception as exc:  # completion must not keep the shell from starting
        env.say(_("no completion of places and banks: {error}").format(error=f"{type(exc).__name__}: {exc}"))
    return {"regions": [], "banks": []}


def _warm(env) -> None:
    """Import what the first answer needs now, so it does not pay for it."""
    # rapidfuzz and OpenCC (typos, traditional characters; about 14 MiB together) load on the
    # first line that needs them, not here: most sessions type names sscard reads exactly.
    runner.warm(env.format(None) == "rich", names=False)


def _pad(text: str, columns: int) -> str:
    """text padded with spaces to this many terminal columns (CJK characters take two)."""
    import unicodedata

    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, columns - used)


def _write(stream, text: str) -> None:
    try:
        stream.write(text)
        stream.flush()
    except (OSError, ValueError):
        pass


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


def interrupt_keys(late: list):
    """prompt_toolkit key bindings for a SIGINT: Ctrl-C pressed just after Enter arrives as a
    signal while prompt_toolkit closes the prompt (the terminal back in cooked mode, its signal
    handler not yet removed), and its own handler would then exit an application no longer
    running and print a traceback. Here it exits a prompt still waiting, as before; else it marks
    late, and the line just entered does not run."""
    from prompt_toolkit.key_binding import KeyBindings

    keys = KeyBindings()

    @keys.add("<sigint>")
    def _interrupt(event) -> None:
        future = event.app.future
        if future is not None and not future.done():
            event.app.exit(exception=KeyboardInterrupt, style="class:aborting")
        else:
            late.append(True)

    return keys
