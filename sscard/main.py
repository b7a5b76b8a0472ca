"""Run sscard as a process: make the standard streams and the environment safe, then run
argv through sscard.runner (which parses it, runs the command, writes its result once and
turns every error into a message and an exit code), or answer a Tab press
(sscard.completion). The shell front-end is launched only from here.

Nothing from outside the program may end it as an internal error (70): a closed or full
stdout is exit 74 with one line on stderr; a closed or full stderr only loses messages;
a closed stdin reads as empty; malformed COLUMNS, LINES and SSCARD_TODAY are ignored.
"""

from __future__ import annotations

import os
import sys

from sscard import output

INTERNAL_ERROR = 70


def run(argv: list | None = None, environment: output.Env | None = None) -> int:
    """Run one command line and return its exit status (sscard.runner does the work).

    Without an environment this is the process's own run: the standard streams are made
    safe first and flushed at the end. `sscard shell` is launched from here only.
    """
    if environment is None:
        _guard_descriptors()
        _tolerant_streams()
        _sane_environment(os.environ)
        env = output.Env()
    else:
        env = environment
    argv = sys.argv[1:] if argv is None else list(argv)
    if any(key == "_SSCARD_COMPLETE" for key in env.environ):  # a Tab press: answered without Typer
        from sscard.completion import respond

        return respond(env)
    from sscard import runner

    try:
        return runner.run_line(argv, env, shell=_shell)
    finally:
        if environment is None:
            output.finish()


def _shell(env: output.Env) -> int:
    """`sscard shell`: the interactive front-end (prompt_toolkit is imported only here)."""
    from sscard.shell import run_shell

    return run_shell(env)


def _guard_descriptors() -> None:
    """Open /dev/null on a closed stdin, stdout or stderr, so no file we open takes its number."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            try:
                os.open(os.devnull, os.O_RDWR)  # takes the lowest free number: this one
            except OSError:
                pass


def _sane_environment(environ) -> None:
    """Drop values no terminal or test would set, instead of failing on them later (Rich reads these)."""
    for name in ("COLUMNS", "LINES"):
        value = environ.get(name)
        if value is not None and not (value.isascii() and value.isdigit() and 0 < int(value[:7]) and len(value) < 7):
            del environ[name]
    today = environ.get("SSCARD_TODAY")
    if today is not None:
        import re

        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", today, re.ASCII):
            del environ["SSCARD_TODAY"]
    lang = environ.get("SSCARD_LANG")
    if lang is not None and lang.strip().lower() not in ("zh", "en", ""):
        del environ["SSCARD_LANG"]


def _tolerant_streams() -> None:
    """Never crash on a terminal or pipe that cannot encode Chinese, or on input that is not UTF-8."""
    for stream in (sys.stdout, sys.stderr, sys.stdin):
        reconfigure = getattr(stream, "reconfigure", None)  # a text stream's; None if closed or replaced
        if reconfigure is None:
            continue
        try:
            reconfigure(errors="replace")
        except ValueError:
            pass
