"""Run sscard: parse the command line, run the command, and turn every error into a
message on stderr and an exit code. This is the only place that happens."""

from __future__ import annotations

import contextlib
import sys

from sscard import output
from sscard.errors import ExitCode, SscardError
from sscard.safe import clean

INTERNAL_ERROR = 70


def run(argv: list | None = None, environment: output.Env | None = None) -> int:
    """Run one command line and return its exit status."""
    if environment is not None:
        output.current = environment
    else:
        output.current = output.Env()
        _tolerant_streams()
    env = output.current
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        return _dispatch(argv, env)
    except SscardError as exc:
        report(exc, env)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        env.say("interrupted")
        return int(ExitCode.INTERRUPTED)
    except (output.PipeClosed, BrokenPipeError):
        output.silence_stdout()
        return 0
    except Exception as exc:  # a bug: say so plainly, never a traceback
        if env.environ.get("SSCARD_DEBUG"):
            raise
        env.say(f"internal error: {type(exc).__name__}: {exc} (set SSCARD_DEBUG=1 for details)")
        return INTERNAL_ERROR


def _dispatch(argv: list, env: output.Env) -> int:
    from sscard import argspec, commands

    parsed = argspec.parse(argv, argspec.load_spec(), env.environ)
    try:
        if parsed is not None:
            function, kwargs = parsed
            getattr(commands, function)(**kwargs)
            return 0
        return _typer(argv, env)
    except commands.Exit as stop:
        return stop.code


def _typer(argv: list, env: output.Env) -> int:
    """The full Typer app: help, version, and every message about a malformed command line."""
    from sscard.cli import app

    try:
        # Click writes help and usage errors to sys.stdout/sys.stderr: point them at env too.
        with contextlib.redirect_stdout(env.stdout), contextlib.redirect_stderr(env.stderr):
            app(args=argv, prog_name="sscard")
        return 0
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)


def report(exc: SscardError, env: output.Env) -> None:
    """An error as a message, its candidates or suggestions, and a hint, on stderr."""
    env.say(exc.message)
    lines = []
    problems = getattr(exc, "problems", [])
    lines.extend(f"  {clean(str(p))}" for p in problems[:10])
    if len(problems) > 10:
        lines.append(f"  ... and {len(problems) - 10} more")
    candidates = getattr(exc, "candidates", None) or getattr(exc, "suggestions", None)
    if candidates:
        lines.append(f"  {getattr(exc, 'heading', 'candidates')}:")
        lines.extend(f"    {clean(c)}" for c in candidates)
    if exc.hint:
        lines.append(f"  hint: {clean(exc.hint)}")
    if lines:
        try:
            env.stderr.write("\n".join(lines) + "\n")
            env.stderr.flush()
        except (BrokenPipeError, ValueError):
            pass


def _tolerant_streams() -> None:
    """Never crash on a terminal or pipe that cannot encode Chinese: replace instead."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass
