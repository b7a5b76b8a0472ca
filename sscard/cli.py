"""The Typer app, built from the command table (sscard.commandtable).

Typer is used for what the fast parser (sscard.argspec) leaves to it: help, and every
message about a malformed command line. A command's callback runs nothing: it returns
(target, keyword arguments), as the fast parser does, and sscard.runner runs that. So a
line means the same whichever parser read it, and nothing here reaches the use cases.
"""

from __future__ import annotations

import inspect
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, List, Optional

import typer

from sscard import i18n, usage
from sscard.commandtable import COMMANDS, DESCRIPTION, FORMATS, LANGS, ROOT, SHELLS, Param
from sscard.i18n import _

LANGUAGE = i18n.language()  # the help below is in this language; sscard.runner rebuilds the app for another

EXAMPLES = _("""Examples:

  sscard pin ningbo --bank ccb        initial PINs for a Ningbo card issued by CCB

  sscard lost chongqing               report a lost card, social side and bank side

  sscard show 宁波 --format json       everything about one place, for scripts

  sscard cities                       the places covered

Exit codes: 0 answered, 1 nothing matched, 2 usage error, 3 ambiguous name,
4 invalid rule data, 70 internal error, 130 interrupted.""")

# Typer offers an Enum's values as a choice. The members come from the command table, so mypy
# cannot list them (it wants literal members); the classes are real and typed as Enum.
Format = Enum("Format", {name: name for name in FORMATS}, type=str)  # type: ignore[misc]
Lang = Enum("Lang", {name: name for name in LANGS}, type=str)  # type: ignore[misc]
Shell = Enum("Shell", {name: name for name in SHELLS}, type=str)  # type: ignore[misc]
_CHOICES = {FORMATS: Format, LANGS: Lang, SHELLS: Shell}

app = typer.Typer(
    name="sscard",
    help=_(DESCRIPTION),
    epilog=EXAMPLES,
    no_args_is_help=True,
    add_completion=False,  # sscard.completion answers Tab itself, without Typer
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    cls=usage.Group,
)


def _annotation(param: Param) -> Any:
    """The Typer annotation (type and Argument/Option) for a table row."""
    base: Any = _CHOICES[param.choices] if param.choices else {"int": int, "path": Path}.get(param.type, str)
    if param.flag:
        base = bool
    elif param.multiple or param.nargs == -1:
        base = List[base]
    if not param.flag and not param.required and not param.show_default:
        base = Optional[base]
    extra: dict = {"help": _(param.help), "show_default": param.show_default}
    if param.metavar:
        extra["metavar"] = param.metavar
    if param.type == "int":
        extra.update(min=param.low, max=param.high)
    if param.kind == "argument":
        return Annotated[base, typer.Argument(**extra)]
    return Annotated[base, typer.Option(*param.opts, **extra)]


def _callback(command):
    """A function with the command's parameters that returns (target, kwargs)."""

    def callback(**values):
        kwargs = dict(command.fixed)
        for param in command.params:
            value = values.get(param.name)
            if isinstance(value, Enum):
                value = value.value
            elif isinstance(value, (list, tuple)):
                value = [str(v) for v in value]
            elif value is None and param.default is not None:
                value = list(param.default) if isinstance(param.default, list) else param.default
            kwargs[param.name] = value
        return command.target, kwargs

    parameters = []
    for param in command.params:
        default = inspect.Parameter.empty if param.required else (param.default if param.flag or param.show_default else None)
        parameters.append(inspect.Parameter(param.name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=default,
                                            annotation=_annotation(param)))
    # inspect.signature (so Typer) reads a function's __signature__; here it is built from the table
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    callback.__annotations__ = {p.name: p.annotation for p in parameters}
    callback.__name__ = command.name
    return callback


for _command in COMMANDS.values():
    _text = _(_command.help)
    if _command.example:
        _text += "\n\n" + _("Example: {example}").format(example=_(_command.example))
    app.command(_command.name, cls=usage.Command, help=_text)(_callback(_command))


def _show(shell: Optional[Shell]) -> None:
    if shell is not None:
        from sscard.completion_scripts import script

        typer.echo(script(shell.value), nl=False)
        raise typer.Exit()


def _install(shell: Optional[Shell]) -> None:
    if shell is not None:
        import os

        from sscard.completion_scripts import install

        typer.echo(install(shell.value, os.environ), err=True)
        raise typer.Exit()


def _version(value: bool) -> None:
    if value:
        from sscard.commands import version_text

        typer.echo(f"sscard {version_text()}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option(*ROOT["version"].opts, callback=_version, is_eager=True,
                                          help=_(ROOT["version"].help))] = False,
    show_completion: Annotated[Optional[Shell], typer.Option(
        "--show-completion", metavar="SHELL", callback=_show, is_eager=True, expose_value=False,
        help=_(ROOT["show_completion"].help))] = None,
    install_completion: Annotated[Optional[Shell], typer.Option(
        "--install-completion", metavar="SHELL", callback=_install, is_eager=True, expose_value=False,
        help=_(ROOT["install_completion"].help))] = None,
) -> None:
    """Offline reference for China's social security card (社会保障卡).

    Each command answers one question for one place, with its source and date.
    """
