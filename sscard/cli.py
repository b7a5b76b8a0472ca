"""The command line: the Typer app, and the one place errors become messages and exit codes.

Commands parse options, ask the core for data, hand it to a renderer and write the
result once. Nothing below this module prints.
"""

from __future__ import annotations

import contextlib
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from sscard.errors import ExitCode, SscardError
from sscard.safe import clean
from sscard.topics import TOPICS

EXAMPLES = """Examples:

  sscard pin ningbo --bank ccb        initial PINs for a Ningbo card issued by CCB

  sscard lost chongqing               report a lost card, social side and bank side

  sscard show 宁波 --format json       everything about one place, for scripts

  sscard cities                       the places covered

Exit codes: 0 answered, 1 nothing matched, 2 usage error, 3 ambiguous name,
4 invalid rule data, 70 internal error, 130 interrupted."""

app = typer.Typer(
    name="sscard",
    help="Offline reference for China's social security card (社会保障卡): PINs, activation, "
    "loss reports, replacement, contacts, each with its source.",
    epilog=EXAMPLES,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, Enum):
    rich = "rich"
    plain = "plain"
    json = "json"
    markdown = "markdown"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


RegionArg = Annotated[str, typer.Argument(metavar="REGION", help="City, district or province: 宁波, 寧波, ningbo, Ningbo City...")]
BankOpt = Annotated[Optional[str], typer.Option("--bank", "-b", metavar="BANK", help="Only this bank's card: ccb, 建行, China Construction Bank...")]
FormatOpt = Annotated[Optional[Format], typer.Option("--format", "-f", help="Output format [default: rich on a terminal, plain otherwise].", show_default=False)]
LangOpt = Annotated[Optional[Lang], typer.Option("--lang", "-l", help="Language [default: $SSCARD_LANG, else zh for a zh_* locale, else en].", show_default=False)]


class PipeClosed(Exception):
    """stdout's reader has gone; not an error."""


class Env:
    """The outside world a run sees; tests swap it."""

    def __init__(self, stdout=None, stderr=None, environ=None) -> None:
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.environ = os.environ if environ is None else environ

    def isatty(self) -> bool:
        try:
            return self.stdout.isatty()
        except (AttributeError, ValueError):
            return False

    def lang(self, chosen: Optional[Lang]) -> str:
        if chosen is not None:
            return chosen.value
        configured = self.environ.get("SSCARD_LANG", "").strip().lower()
        if configured in ("zh", "en"):
            return configured
        for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
            value = self.environ.get(var)
            if value:
                return "zh" if value.lower().startswith("zh") else "en"
        return "en"

    def format(self, chosen: Optional[Format]) -> str:
        if chosen is not None:
            return chosen.value
        return "rich" if self.isatty() and self.environ.get("TERM") != "dumb" else "plain"

    def color(self) -> bool:
        return not self.environ.get("NO_COLOR") and self.environ.get("TERM") != "dumb"

    def width(self) -> int:
        import shutil

        return max(20, shutil.get_terminal_size((80, 24)).columns)

    def write(self, text: str) -> None:
        """Write an answer to stdout, once; a reader that went away (| head) stops us quietly."""
        try:
            self.stdout.write(text)
            self.stdout.flush()
        except BrokenPipeError:
            _silence_stdout()
            raise PipeClosed from None

    def say(self, message: str) -> None:
        """A message for the person, on stderr."""
        self.stderr.write(f"sscard: {clean(message)}\n")
        self.stderr.flush()


env = Env()


def _rules():
    from sscard.store import data_paths, load_rules

    return load_rules(data_paths(environ=env.environ), environ=env.environ)


def _note_match(match, what: str, label: str) -> None:
    if match is None:
        return
    if match.how == "fuzzy":
        env.say(f"{what} '{match.query}' taken as {label} (fuzzy match, score {match.score:.0f})")
    if match.also:
        env.say(f"{what} '{match.query}' is taken as {label}; it also fits {', '.join(match.also)}")


def _emit(answers: list, fmt: Optional[Format], lang: Optional[Lang], single: bool = True) -> None:
    from sscard.render import render

    first = answers[0]
    if first.match is not None:
        _note_match(first.match, "region", f"{first.region.id} ({first.region.name.zh} / {first.region.name.en})")
    chosen = env.format(fmt)
    env.write(render(answers, chosen, env.lang(lang), single=single, width=env.width(), color=env.color()))


def _topic_command(name: str):
    topic = TOPICS[name]

    def command(region: RegionArg, bank: BankOpt = None, format: FormatOpt = None, lang: LangOpt = None) -> None:
        from sscard.lookup import answer

        _emit([answer(_rules(), name, region, bank)], format, lang)

    command.__name__ = name
    command.__doc__ = f"{topic.help}\n\nExample: {topic.example}"
    return command


for _name in TOPICS:
    app.command(_name)(_topic_command(_name))


@app.command()
def show(region: RegionArg, bank: BankOpt = None, format: FormatOpt = None, lang: LangOpt = None) -> None:
    """Every topic for one place on one page: a quick-reference card.

    Example: sscard show ningbo --bank ccb
    """
    from sscard.lookup import show as show_all

    _emit(show_all(_rules(), region, bank), format, lang, single=False)


@app.command()
def cities(
    all_places: Annotated[bool, typer.Option("--all", "-a", help="Also list places with no rules of their own.")] = False,
    format: FormatOpt = None,
    lang: LangOpt = None,
) -> None:
    """The covered places: level, parent, aliases and the topics each has.

    Example: sscard cities --format json
    """
    from sscard.listing import render_cities

    env.write(render_cities(_rules(), env.format(format), env.lang(lang), all_places))


@app.command()
def banks(format: FormatOpt = None, lang: LangOpt = None) -> None:
    """The banks: names, aliases and customer-service hotlines.

    Example: sscard banks
    """
    from sscard.listing import render_banks

    env.write(render_banks(_rules(), env.format(format), env.lang(lang)))


@app.command()
def check(
    paths: Annotated[Optional[List[Path]], typer.Argument(metavar="[PATH]...", help="Rule files or data folders [default: the bundled rules].", show_default=False)] = None,
) -> None:
    """Validate rule files and report each problem as FILE:LINE: message (exit 4 if any).

    Example: sscard check my-rules/regions/ningbo.toml
    """
    from sscard.store import bundled_data_dir, build

    bundled = bundled_data_dir()
    targets = list(paths or [])
    for target in targets:
        if not target.exists():
            raise _usage(f"no such file or folder: {target}")
    rules = build([bundled, *targets] if targets else [bundled]).rules
    out = "".join(f"{clean(str(p))}\n" for p in rules.problems)
    if out:
        env.write(out)
    items = sum(len(v) for r in rules.regions.values() for v in r.topics.values())
    summary = f"{len(rules.files)} files, {len(rules.regions)} regions, {items} items, {len(rules.problems)} problems"
    if rules.problems:
        env.say(summary)
        raise typer.Exit(int(ExitCode.BAD_DATA))
    env.say(f"ok: {summary}")


def _usage(message: str) -> SscardError:
    from sscard.errors import UsageError

    return UsageError(message)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("sscard")
        except PackageNotFoundError:
            found = "unknown (not installed)"
        env.write(f"sscard {found}\n")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Offline reference for China's social security card (社会保障卡).

    Each command answers one question for one place, with its source and date.
    """


def run(argv: Optional[list] = None, environment: Optional[Env] = None) -> int:
    """Run the CLI and return its exit status; the one place errors become messages."""
    global env
    if environment is not None:
        env = environment
    else:
        _tolerant_streams()
    try:
        # Click writes help and usage errors to sys.stdout/sys.stderr: point them at env too.
        with contextlib.redirect_stdout(env.stdout), contextlib.redirect_stderr(env.stderr):
            app(args=argv, prog_name="sscard")
        return 0
    except SystemExit as exc:  # Typer/Click finished (help, usage errors, typer.Exit)
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except SscardError as exc:
        _report(exc)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        env.say("interrupted")
        return int(ExitCode.INTERRUPTED)
    except (PipeClosed, BrokenPipeError):
        _silence_stdout()
        return 0
    except Exception as exc:  # a bug: say so plainly, never a traceback
        if os.environ.get("SSCARD_DEBUG"):
            raise
        env.say(f"internal error: {type(exc).__name__}: {exc} (set SSCARD_DEBUG=1 for details)")
        return 70


def _report(exc: SscardError) -> None:
    env.say(exc.message)
    problems = getattr(exc, "problems", [])
    for problem in problems[:10]:
        env.stderr.write(f"  {clean(str(problem))}\n")
    if len(problems) > 10:
        env.stderr.write(f"  ... and {len(problems) - 10} more\n")
    candidates = getattr(exc, "candidates", None) or getattr(exc, "suggestions", None)
    if candidates:
        heading = getattr(exc, "heading", "candidates")
        env.stderr.write(f"  {heading}:\n" + "".join(f"    {clean(c)}\n" for c in candidates))
    if exc.hint:
        env.stderr.write(f"  hint: {clean(exc.hint)}\n")
    env.stderr.flush()


def _tolerant_streams() -> None:
    """Never crash on a terminal or pipe that cannot encode Chinese: replace instead."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
