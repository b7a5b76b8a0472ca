"""The fast path: parse ordinary command lines without importing Typer.

Importing Typer costs about 50 ms, four times a bare Python start, on every run. The
command line is still defined only by the Typer app in sscard.cli: `argspec.json`
beside this file is generated from that app (`python -m sscard.argspec`), and a test
fails if the two differ. This module parses argv with that spec when the command line
is plainly well-formed (known command, known options, valid choices, required
arguments present). Anything else - help, --version, a typo, a missing value,
completion - goes to Typer, which owns every message about the command line.
"""

from __future__ import annotations

import os

SPEC_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_argspec.py")


def load_spec() -> dict:
    """The committed spec (a generated Python literal: cheaper to load than JSON)."""
    from sscard._argspec import SPEC

    return SPEC


def parse(argv: list, spec: dict, environ=None):
    """(target function name, kwargs) for a plainly valid command line, else None."""
    environ = os.environ if environ is None else environ
    if not argv or any(key.endswith("_COMPLETE") for key in environ if key.startswith("_SSCARD")):
        return None
    command = spec["commands"].get(argv[0])
    if command is None:
        return None
    params = command["params"]
    options = {opt: p for p in params if p["kind"] == "option" for opt in p["opts"]}
    arguments = [p for p in params if p["kind"] == "argument"]
    values: dict = {}
    positionals: list = []
    tokens = iter(argv[1:])
    for token in tokens:
        if token == "--" or (token.startswith("-") and token != "-"):
            name, has_value, inline = token.partition("=") if token.startswith("--") else (token, "", "")
            param = options.get(name)
            if param is None or token == "--":
                return None
            if param["flag"]:
                if has_value:
                    return None
                values[param["name"]] = True
                continue
            if has_value:
                value = inline
            else:
                value = next(tokens, None)
                if value is None:
                    return None
            if param["choices"] is not None and value not in param["choices"]:
                return None
            if param["multiple"]:
                values.setdefault(param["name"], []).append(value)
            else:
                values[param["name"]] = value
        else:
            positionals.append(token)
    for param in arguments:
        if param["nargs"] == -1:
            if not positionals and param["required"]:
                return None
            values[param["name"]] = positionals
            positionals = []
        elif positionals:
            values[param["name"]] = positionals.pop(0)
        elif param["required"]:
            return None
    if positionals:
        return None
    kwargs = dict(command["fixed"])
    for param in params:
        kwargs[param["name"]] = values.get(param["name"], param["default"])
    return command["target"], kwargs


def spec_from_app() -> dict:
    """The spec, derived from the Typer app (imports Typer)."""
    import typer.main

    from sscard.cli import app

    group = typer.main.get_command(app)
    targets = {}
    for info in app.registered_commands:
        function = info.callback
        targets[info.name or function.__name__] = getattr(function, "sscard_target")
    commands = {}
    for name in sorted(group.commands):
        command = group.commands[name]
        params = []
        for param in command.params:
            choices = getattr(param.type, "choices", None)
            default = param.default
            if default is not None and not isinstance(default, (bool, str, int)):
                default = list(default) if isinstance(default, (list, tuple)) else str(default)
            params.append({
                "name": param.name,
                "kind": "option" if param.param_type_name == "option" else "argument",
                "opts": sorted(param.opts + param.secondary_opts),
                "flag": bool(getattr(param, "is_flag", False)),
                "multiple": bool(getattr(param, "multiple", False)),
                "nargs": param.nargs,
                "required": bool(param.required),
                "choices": [getattr(c, "value", c) for c in choices] if choices is not None else None,
                "default": [] if (param.nargs == -1 or getattr(param, "multiple", False)) and default is None else default,
            })
        function, fixed = targets[name]
        commands[name] = {"target": function, "fixed": fixed, "params": params}
    return {"generated_by": "python -m sscard.argspec", "commands": commands}


def render_spec(spec: dict) -> str:
    """The source of _argspec.py for a spec."""
    import pprint

    body = pprint.pformat(spec, indent=1, width=100, sort_dicts=True)
    return ('"""Generated from the Typer app in sscard.cli by `python -m sscard.argspec`; do not edit."""\n\n'
            f"SPEC = {body}\n")


def main() -> None:
    """Regenerate _argspec.py from the Typer app."""
    with open(SPEC_FILE, "w", encoding="utf-8") as handle:
        handle.write(render_spec(spec_from_app()))
    print(f"wrote {SPEC_FILE}")


if __name__ == "__main__":
    main()
