"""Run sscard: parse the command line, run the command, and turn every error into a
message on stderr and an exit code. This is the only place that happens.

Nothing from outside the program may end it as an internal error (70): a closed or full
stdout is exit 74 with one line on stderr; a closed or full stderr only loses messages;
a closed stdin reads as empty; malformed COLUMNS, LINES and SSCARD_TODAY are ignored.
"""

from __future__ import annotations

import os
import sys

from sscard import i18n, output
from sscard.errors import ExitCode, SscardError, UsageError
from sscard.i18n import _
from sscard.safe import clean

INTERNAL_ERROR = 70


def run(argv: list | None = None, environment: output.Env | None = None) -> int:
    """Run one command line and return its exit status."""
    if environment is not None:
        output.current = environment
    else:
        _guard_descriptors()
        _tolerant_streams()
        _sane_environment(os.environ)
        output.current = output.Env()
    env = output.current
    argv = sys.argv[1:] if argv is None else list(argv)
    before = i18n.language()
    # Chosen before anything can fail or Typer is imported, so every message (Click's too) follows it.
    i18n.set_language(env.lang(prescan(argv, "--lang", "-l", i18n.LANGUAGES)))
    as_json = prescan(argv, "--format", "-f", ("rich", "plain", "json", "markdown")) == "json"
    try:
        _check_encoding(argv, env)
        return _dispatch(argv, env)
    except SscardError as exc:
        report(exc, env, as_json)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        env.say(_("interrupted"))
        return int(ExitCode.INTERRUPTED)
    except (output.PipeClosed, BrokenPipeError):
        output.silence_stdout()
        return 0
    except output.OutputFailed as exc:
        env.say(_("the answer could not be written: {reason}").format(reason=exc))
        return int(ExitCode.OUTPUT_FAILED)
    except Exception as exc:  # a bug: say so plainly, never a traceback
        if env.environ.get("SSCARD_DEBUG"):
            raise
        env.say(_("internal error: {error} (set SSCARD_DEBUG=1 for details)").format(
            error=f"{type(exc).__name__}: {exc}"))
        return INTERNAL_ERROR
    finally:
        if environment is None:
            output.finish()
        else:  # a nested run (a shell line) leaves the session's language as it found it
            i18n.set_language(before)


def prescan(argv: list, long: str, short: str, choices) -> str | None:
    """The value of an option as the parser will read it (the last one wins), if it is a valid one.

    A cheap look before parsing, so that even a failing parse speaks the chosen language.
    """
    value = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg in (long, short):
            value = argv[i + 1] if i + 1 < len(argv) else None
        elif arg.startswith(long + "="):
            value = arg[len(long) + 1:]
        elif arg.startswith(short) and not arg.startswith("--") and len(arg) > len(short):
            value = arg[len(short):]
    return value if value in choices else None


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
    """The full Typer app: help, version, and every message about a malformed command line.

    Click writes to sys.stdout/sys.stderr: its output is caught and passed on through env,
    so an ID number Click quotes ("unexpected extra argument") is redacted like any other.
    Click's usage errors become sscard's UsageError, worded in the chosen language.
    """
    import contextlib
    import importlib
    import io

    import sscard.cli as cli
    from sscard import usage
    from typer._click import exceptions as click_errors
    from typer.exceptions import Abort

    if cli.LANGUAGE != i18n.language():  # the help texts are translated when the app is built
        cli = importlib.reload(cli)
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.app(args=argv, prog_name="sscard", standalone_mode=False)
        code = code if isinstance(code, int) else 0
    except click_errors.NoArgsIsHelpError as exc:  # bare 'sscard': the help, on stderr
        err.write(exc.format_message() + "\n")
        code = int(ExitCode.USAGE)
    except click_errors.UsageError as exc:
        raise usage.error(exc) from None
    except Abort:
        raise KeyboardInterrupt from None
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        from sscard.idcard import redact

        if err.getvalue():
            env.raw_stderr(redact(err.getvalue()))
        if out.getvalue():
            env.write(out.getvalue())
    return code


def report(exc: SscardError, env: output.Env, as_json: bool = False) -> None:
    """An error as a message, its candidates or suggestions, and a hint, on stderr.

    With --format json the error is also one JSON object on stdout (the shape batch uses).
    """
    from sscard.idcard import looks_like_id, redact

    env.say(exc.message)
    lines = []
    problems = getattr(exc, "problems", [])
    lines.extend(f"  {clean(str(p))}" for p in problems[:10])
    if len(problems) > 10:
        lines.append("  " + _("... and {count} more").format(count=len(problems) - 10))
    candidates = getattr(exc, "candidates", None) or getattr(exc, "suggestions", None)
    if candidates:
        lines.append("  " + _("{heading}:").format(heading=getattr(exc, "heading", None) or _("candidates")))
        lines.extend(f"    {clean(c)}" for c in candidates)
    if exc.hint:
        lines.append("  " + _("hint: {hint}").format(hint=clean(exc.hint)))
    if looks_like_id(exc.message) and "--id" not in exc.hint:
        lines.append("  " + _("hint: {hint}").format(
            hint=_("that looks like an ID number; give it as --id - and type it on stdin")))
    if lines:
        env.raw_stderr(redact("\n".join(lines) + "\n"))
    if as_json:
        import json

        try:
            env.write(json.dumps(exc.to_dict(), ensure_ascii=not env.utf8()) + "\n")
        except (output.PipeClosed, output.OutputFailed):
            pass  # the human line on stderr said it; the exit code stays the error's


def _check_encoding(argv: list, env: output.Env) -> None:
    """An argument that is not UTF-8 (a GBK terminal): say so, naming the terminal's encoding."""
    for arg in argv:
        if not any("\udc80" <= ch <= "\udcff" for ch in arg):
            continue
        import locale

        raw = arg.encode(sys.getfilesystemencoding(), "surrogateescape")
        terminal = locale.getpreferredencoding(False) or "unknown"
        try:
            guess = f" (read as GBK it is '{clean(raw.decode('gb18030'))}')"
        except UnicodeDecodeError:
            guess = ""
        raise UsageError(f"an argument is not UTF-8 text{guess}",
                         hint=f"sscard reads arguments as UTF-8 (the locale says {terminal}); set the terminal's "
                              "character encoding to UTF-8, and LANG to a UTF-8 locale such as zh_CN.UTF-8")


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
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass
