"""The fast path: parse ordinary command lines from the command table, without Typer.

Importing Typer costs about 50 ms, four times a bare Python start, on every run. This
module reads argv with sscard.commandtable when the line is plainly well-formed (known
command, known options, valid values, required arguments present). Anything else -
help, a typo, a missing or invalid value - gets None, and goes to the Typer app built
from the same table (sscard.cli), which owns every message about a malformed line. A
property test checks that whatever this accepts, Click reads the same way.
"""

from __future__ import annotations

from sscard.commandtable import COMMANDS, ROOT


def parse(argv: list, commands: dict | None = None):
    """(target, kwargs) for a plainly valid command line, else None.

    The root options are targets of their own: ("version", {}), ("show_completion",
    {"shell": ...}) and ("install_completion", {"shell": ...}), the shell None when not given.
    """
    if not argv:
        return None
    commands = COMMANDS if commands is None else commands
    command = commands.get(argv[0])
    if command is None:
        return _root(argv)
    options = command.options()
    values: dict = {}
    positionals: list = []
    tokens = iter(argv[1:])
    for token in tokens:
        if token == "--" or (token.startswith("-") and token != "-"):
            name, has_value, inline = token.partition("=") if token.startswith("--") else (token, "", "")
            param = options.get(name)
            if param is None or token == "--":
                return None
            if param.flag:
                if has_value:
                    return None
                values[param.name] = True
                continue
            if has_value:
                value = inline
            else:
                value = next(tokens, None)
                if value is None:
                    return None
            if not param.accepts(value):
                return None
            if param.multiple:
                values.setdefault(param.name, []).append(param.value(value))
            else:
                values[param.name] = param.value(value)
        else:
            positionals.append(token)
    for param in command.arguments():
        if param.nargs == -1:
            if not positionals and param.required:
                return None
            values[param.name] = positionals
            positionals = []
        elif positionals:
            values[param.name] = positionals.pop(0)
        elif param.required:
            return None
    if positionals:
        return None
    kwargs = dict(command.fixed)
    for param in command.params:
        default = param.default
        kwargs[param.name] = values.get(param.name, list(default) if isinstance(default, list) else default)
    return command.target, kwargs


def _root(argv: list):
    """`sscard --version`, `sscard --show-completion [SHELL]`, `sscard --install-completion [SHELL]`."""
    first, _, inline = argv[0].partition("=")
    for name, param in ROOT.items():
        if first not in param.opts:
            continue
        if param.flag:
            return (name, {}) if len(argv) == 1 and first == argv[0] else None
        given = [inline] if first != argv[0] else argv[1:]
        if len(given) > 1 or (given and not param.accepts(given[0])):
            return None
        return name, {"shell": given[0] if given else None}
    return None
