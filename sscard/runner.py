"""Run one command line in an environment: parse it, run it, write its result once, and
turn every error into a message on stderr and an exit code.

sscard.main runs a process's argv through here, and `sscard shell` each line it reads.
Use cases (sscard.commands) return Results; this is where they are written. The batch
front-end is launched from here; the shell front-end only from sscard.main (a line in
the shell asking for the shell is told it is already running).
"""

from __future__ import annotations

import sys

from sscard import i18n, output
from sscard.errors import ExitCode, SscardError, UsageError
from sscard.i18n import _
from sscard.safe import clean

INTERNAL_ERROR = 70


def run_line(argv: list, env: output.Env, shell=None) -> int:
    """Run one command line and return its exit status; shell(env) runs `sscard shell` (None: refused).

    The language is chosen from --lang before anything can fail, so every message (Click's
    too) follows it; it is put back as it was afterwards (a shell line leaves the session's).
    """
    before = i18n.language()
    i18n.set_language(env.lang(prescan(argv, "--lang", "-l", i18n.LANGUAGES)))
    as_json = prescan(argv, "--format", "-f", ("rich", "plain", "json", "markdown")) == "json"
    try:
        _check_encoding(argv, env)
        parsed = parse(argv, env)
        if isinstance(parsed, int):
            return parsed
        target, kwargs = parsed
        if target == "shell":
            if shell is None:
                env.say(_("the shell is already running (exit or Ctrl-D leaves it)"))
                return 0
            return shell(env)
        return execute(target, kwargs, env, as_json)
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
        i18n.set_language(before)


def parse(argv: list, env: output.Env):
    """(target, kwargs) from the fast parser, else from the Typer app; or the exit status when
    Typer answered the line itself (help, a usage message)."""
    from sscard import argspec

    parsed = argspec.parse(argv)
    return parsed if parsed is not None else _typer(argv, env)


def execute(target: str, kwargs: dict, env: output.Env, as_json: bool = False) -> int:
    """Run a parsed command: a use case, whose Result is written here, or the batch front-end."""
    if target == "batch":
        return _batch(env, **kwargs)
    if target in ("show_completion", "install_completion"):
        from sscard import completion_scripts as scripts

        shell = kwargs["shell"] or scripts.detect_shell(env.environ)
        if target == "show_completion":
            env.write(scripts.script(shell))
        else:
            env.say(scripts.install(shell, env.environ))
        return 0
    from sscard import commands

    result = commands.USE_CASES[target](env, **kwargs)
    write(result, env, as_json)
    return result.code


def write(result, env: output.Env, as_json: bool = False) -> None:
    """A Result: its notes on stderr, then its error (reported) or its body on stdout."""
    for note in result.notes:
        env.say(note)
    if result.error is not None:
        report(result.error, env, as_json)
    elif result.body:
        env.write(result.body)


def _batch(env: output.Env, format=None, lang=None, data_dir=None) -> int:
    from sscard.batch import run_batch
    from sscard.commands import Run

    run = Run(env)
    rules = run.rules(data_dir)
    for note in run.notes:
        env.say(note)
    return run_batch(rules, env, format or "json", env.lang(lang))


def warm(rich: bool = False, names: bool = True) -> None:
    """Import what a first answer needs (for a session that answers many: `sscard shell`)."""
    import sscard.argspec  # noqa: F401
    import sscard.commands  # noqa: F401
    import sscard.lookup  # noqa: F401
    import sscard.renderers  # noqa: F401
    import sscard.renderers.plain  # noqa: F401

    if rich:
        import sscard.renderers.rich  # noqa: F401
    if not names:
        return
    try:  # typo-tolerant and traditional-character names load their libraries on first use
        import rapidfuzz.fuzz  # noqa: F401
        import rapidfuzz.process  # noqa: F401

        from sscard.names import to_simplified

        to_simplified("寧")
    except Exception:  # noqa: BLE001 - a missing library is reported by the lookup that needs it
        pass


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


def _typer(argv: list, env: output.Env):
    """The Typer app: help, and every message about a malformed command line.

    Click writes help to sys.stdout/sys.stderr: that is caught and passed on through env,
    so an ID number Click quotes is redacted like any other. Click's usage errors become
    sscard's UsageError, worded in the chosen language. A well-formed line comes back as
    (target, kwargs), like the fast parser's.
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
            returned = cli.app(args=argv, prog_name="sscard", standalone_mode=False)
        if isinstance(returned, tuple):
            return returned
        code = returned if isinstance(returned, int) else 0
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
    lines: list[str] = []
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
