"""Batch mode: many queries, one process, one output line (or block) per query."""

from __future__ import annotations

import json
import shlex

from sscard.errors import SscardError, UsageError
from sscard.safe import quote

QUERY_COMMANDS = ("pin", "activate", "lost", "replace", "apply", "cancel", "contacts", "faq", "show")


def parse_line(line: str, spec: dict):
    """(command, region, bank) from 'pin ningbo --bank ccb' or a JSON object."""
    from sscard.argspec import parse

    text = line.strip()
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise UsageError(f"not valid JSON: {exc}") from None
        if not isinstance(data, dict):
            raise UsageError("a JSON line must be an object")
        command, region, bank = data.get("topic"), data.get("region"), data.get("bank")
        if command not in QUERY_COMMANDS or not isinstance(region, str) or not isinstance(bank, (str, type(None))):
            raise UsageError('a JSON line needs "topic" (one of ' + ", ".join(QUERY_COMMANDS)
                             + '), "region" and optionally "bank"')
        return command, region, bank
    if any(ch in text for ch in "'\"\\"):  # quoting: let shlex split it (slower)
        try:
            tokens = shlex.split(text)
        except ValueError as exc:
            raise UsageError(f"cannot split {quote(text)}: {exc}") from None
    else:
        tokens = text.split()
    parsed = parse(tokens, spec, environ={}) if tokens and tokens[0] in QUERY_COMMANDS else None
    if parsed is None:
        raise UsageError(f"not a query: {quote(text)}",
                         hint="write TOPIC REGION [--bank BANK], e.g. pin ningbo --bank ccb")
    _, kwargs = parsed
    return tokens[0], kwargs["region"], kwargs.get("bank")


def run_batch(rules, env, fmt: str, lang: str) -> int:
    """Answer every stdin line; return the exit code of the first failed line, else 0."""
    from sscard.argspec import load_spec
    from sscard.lookup import answer, show
    from sscard.renderers import render
    from sscard.renderers.json import dumps

    spec = load_spec()
    ascii_only = not env.utf8()
    first_failure = 0
    out = []
    for number, line in enumerate(env.stdin, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            command, region, bank = parse_line(line, spec)
            if command == "show":
                answers = show(rules, region, bank)
            else:
                answers = [answer(rules, command, region, bank)]
            if fmt == "json":
                if command == "show":
                    data = {"schema": 1, "lang": lang, "line": number, "region": answers[0].region.summary(),
                            "topics": [a.to_dict() for a in answers]}
                else:
                    data = {**answers[0].to_dict(), "lang": lang, "line": number}
                out.append(dumps(data, ascii_only, compact=True))
            else:
                out.append(render(answers, "plain", lang, single=command != "show") + "\n")
        except SscardError as exc:
            first_failure = first_failure or int(exc.exit_code)
            if fmt == "json":
                out.append(dumps({**exc.to_dict(), "line": number, "query": line.strip()[:200]}, ascii_only,
                                 compact=True))
            else:
                out.append(f"error (line {number}): {exc.message}\n\n")
        env.write("".join(out))  # at once: a script may wait for each answer before sending more
        out.clear()
    return first_failure



