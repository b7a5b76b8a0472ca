"""Typer's and Click's own words in the user's language: help layout and usage errors.

Typer 0.28 carries its own copy of Click, whose messages are English literals (only
Typer's section headings go through gettext). So the help formatter here translates the
literals it writes, and a usage error Click raises becomes sscard's UsageError with a
message built from the exception's fields, in the chosen language; sscard.main reports
it like every other error (and as JSON with --format json).

Imported only on the Typer path (help, completion, malformed command lines).
"""

from __future__ import annotations

import re

from typer._click import exceptions as click_errors
from typer._click.core import Context as _ClickContext
from typer._click.formatting import HelpFormatter
from typer.core import TyperCommand, TyperGroup

from sscard.errors import UsageError
from sscard.i18n import N_, _

# Help texts Typer and Click write as literals.
_LITERALS = (
    N_("Show this message and exit."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)


class Formatter(HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args.replace("[OPTIONS]", _("[OPTIONS]")).replace("COMMAND", _("COMMAND"))
                            .replace("[ARGS]", _("[ARGS]")), _("Usage: ") if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}" + _("{heading}:").format(heading=heading) + "\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        out = []
        for term, text in rows:
            for literal in _LITERALS:
                text = text.replace(literal, _(literal))
            out.append((term, text))
        super().write_dl(out, col_max, col_spacing)


class Context(_ClickContext):
    formatter_class = Formatter


class Group(TyperGroup):
    context_class = Context


class Command(TyperCommand):
    context_class = Context


def error(exc: click_errors.UsageError) -> UsageError:
    """Click's usage error as sscard's, in the current language, with the usage as the hint."""
    ctx = getattr(exc, "ctx", None)
    hint = ""
    if ctx is not None:
        pieces = " ".join(ctx.command.collect_usage_pieces(ctx))
        pieces = pieces.replace("[OPTIONS]", _("[OPTIONS]")).replace("COMMAND", _("COMMAND")).replace("[ARGS]", _("[ARGS]"))
        hint = _("usage: {usage}; '{command} --help' shows every option").format(
            usage=f"{ctx.command_path} {pieces}".strip(), command=ctx.command_path)
    return UsageError(message(exc), hint=hint)


def message(exc: click_errors.UsageError) -> str:
    """What went wrong, from the exception's fields rather than Click's English sentence."""
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, click_errors.NoSuchOption):
        text = _("no such option: {option}").format(option=exc.option_name)
        if exc.possibilities:
            text += " " + _("(did you mean {options}?)").format(options=", ".join(sorted(exc.possibilities)))
        return text
    if isinstance(exc, click_errors.MissingParameter):
        name = _param_hint(exc, ctx)
        kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "parameter")
        if kind == "argument":
            return _("missing argument {name}").format(name=name)
        if kind == "option":
            return _("missing option {name}").format(name=name)
        return _("missing parameter {name}").format(name=name)
    if isinstance(exc, click_errors.BadParameter):
        return _("invalid value for {name}: {reason}").format(name=_param_hint(exc, ctx), reason=_reason(exc.message))
    text = exc.message
    for pattern, template in _SENTENCES:
        found = re.fullmatch(pattern, text, re.S)
        if found:
            return _(template).format(**found.groupdict())
    return text


def _param_hint(exc, ctx) -> str:
    hint = exc.param_hint if exc.param_hint is not None else (
        exc.param.get_error_hint(ctx) if exc.param is not None else "")
    return " / ".join(hint) if isinstance(hint, (list, tuple)) else str(hint)


_SENTENCES = (
    (r"Got unexpected extra argument\(s\) \((?P<args>.*)\)", N_("unexpected extra argument: {args}")),
    (r"Option (?P<option>'.*?') requires an argument\.", N_("option {option} needs a value")),
    (r"Option (?P<option>'.*?') requires (?P<count>\d+) arguments\.", N_("option {option} needs {count} values")),
    (r"Option (?P<option>'.*?') does not take a value\.", N_("option {option} takes no value")),
    (r"Argument (?P<name>'.*?') takes (?P<count>\d+) values\.", N_("argument {name} takes {count} values")),
    (r"Missing command\.", N_("missing command")),
    (r"No such command (?P<name>.*)\.", N_("no such command: {name}")),
)

_REASONS = (
    (r"(?P<value>.*) is not one of (?P<choices>.*)\.", N_("{value} is not one of {choices}")),
    (r"(?P<value>.*) is not a valid (?P<kind>\w+)\.", N_("{value} is not a valid {kind}")),
    (r"(?P<value>.*) is not in the range (?P<range>.*)\.", N_("{value} is not in the range {range}")),
)


def _reason(text: str) -> str:
    for pattern, template in _REASONS:
        found = re.fullmatch(pattern, text, re.S)
        if found:
            return _(template).format(**found.groupdict())
    return text
