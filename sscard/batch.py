"""Batch mode: many queries, one process, one output line (or block) per query.

No single line can end the batch: an over-long line, a JSON line nested too deeply or
any other bad line is answered by one error record, and the next line is read. Each
record is written whole; Ctrl-C or SIGTERM stops the batch between records (exit 130),
never inside one, so a consumer of JSON lines never sees a broken last line.
"""

from __future__ import annotations

import json
import shlex

from sscard.commandtable import COMMANDS
from sscard.errors import SscardError, UsageError
from sscard.i18n import _, foreign
from sscard.safe import quote

QUERY_COMMANDS = tuple(name for name, c in COMMANDS.items() if c.target in ("topic", "show"))
MAX_LINE = 64 * 1024  # characters; a longer line is one bad line, read past without keeping it


class Query:
    """One parsed batch line."""

    def __init__(self, command: str, region: str, bank=None, id=None) -> None:
        self.command, self.region, self.bank, self.id = command, region, bank, id


def parse_line(line: str) -> Query:
    """The query in 'pin ningbo --bank ccb [--id ID]' or a JSON object {"topic", "region", "bank", "id"}."""
    from sscard.argspec import parse

    text = line.strip()
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except RecursionError:
            raise UsageError(_("a JSON line nested too deeply")) from None
        except ValueError as exc:
            raise UsageError(_("not valid JSON: {error}").format(error=foreign(exc))) from None
        if not isinstance(data, dict):
            raise UsageError(_("a JSON line must be an object"))
        command, region, bank, ident = data.get("topic"), data.get("region"), data.get("bank"), data.get("id")
        if (command not in QUERY_COMMANDS or not isinstance(region, str) or not isinstance(bank, (str, type(None)))
                or not isinstance(ident, (str, type(None)))):
            raise UsageError(_('a JSON line needs "topic" (one of {topics}), "region" and optionally "bank" and "id"')
                             .format(topics=", ".join(QUERY_COMMANDS)))
        return _checked(Query(command, region, bank, ident))
    if any(ch in text for ch in "'\"\\"):  # quoting: let shlex split it (slower)
        try:
            tokens = shlex.split(text)
        except ValueError as exc:
            raise UsageError(_("cannot split {line}: {error}").format(line=quote(text), error=foreign(exc))) from None
    else:
        tokens = text.split()
    parsed = parse(tokens) if tokens and tokens[0] in QUERY_COMMANDS else None
    if parsed is None:
        raise UsageError(_("not a query: {line}").format(line=quote(text)),
                         hint=_("write TOPIC REGION [--bank BANK] [--id ID], e.g. pin ningbo --bank ccb"))
    kwargs = parsed[1]
    return _checked(Query(tokens[0], kwargs["region"], kwargs.get("bank"), kwargs.get("id")))


def _checked(query: Query) -> Query:
    if query.id is not None and query.command != "pin":
        raise UsageError(_("--id belongs to pin queries only"))
    if query.id == "-":
        raise UsageError(_("--id - cannot be used in a batch (standard input holds the queries)"),
                         hint=_("give the ID on the line: pin ningbo --bank boc --id ID"))
    return query


def read_lines(stdin):
    """(number, line or None) for each input line; None for a line over MAX_LINE characters."""
    number = 0
    while True:
        line = stdin.readline(MAX_LINE + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE and not line.endswith("\n"):
            while True:  # skip the rest of the line without keeping it
                rest = stdin.readline(MAX_LINE)
                if not rest or rest.endswith("\n"):
                    break
            line = None
        yield number, line


def run_batch(rules, env, fmt: str, lang: str) -> int:
    """Answer every stdin line; return the exit code of the first failed line, else 0."""
    from sscard.idcard import redact
    from sscard.stopping import Between

    ascii_only = not env.utf8()
    first_failure = 0
    with Between() as between:
        for number, line in read_lines(env.stdin):
            if line is not None and (not line.strip() or line.lstrip().startswith("#")):
                continue
            try:
                if line is None:
                    raise UsageError(_("line {number} is over {limit} characters; not read").format(number=number, limit=MAX_LINE))
                record, notes = _answer(rules, parse_line(line), env, fmt, lang, number, ascii_only)
                for note in notes:  # a guessed or former name is said, as on the command line
                    env.say(_("line {number}: {note}").format(number=number, note=note))
            except SscardError as exc:
                first_failure = first_failure or int(exc.exit_code)
                record = _error(exc.to_dict(), exc.message, number, line, fmt, ascii_only)
            except (KeyboardInterrupt, SystemExit):
                raise
            except Exception as exc:  # a bug on one line: say so in its record, answer the next
                first_failure = first_failure or 70
                data = {"error": "internal", "exit_code": 70, "message": _("internal error: {kind}").format(kind=type(exc).__name__),
                        "hint": None}
                record = _error(data, data["message"], number, line, fmt, ascii_only)
            between.write(env, redact(record))  # whole, at once: a script may wait for each answer
    return first_failure


_RENDERED: dict = {}  # one query's record, rendered once (without its line number): batches repeat lines
_RENDERED_MAX = 4096


def _answer(rules, query: Query, env, fmt: str, lang: str, number: int, ascii_only: bool) -> tuple:
    key = None
    if query.id is None:  # an answer worked out from an ID number is never kept
        key = (id(rules), query.command, query.region, query.bank, fmt, lang, ascii_only)
        kept = _RENDERED.get(key)
        if kept is not None:
            record, notes = kept
            return (record if fmt != "json" else f'{record},"line":{number}}}\n'), notes
    record, notes = _render(rules, query, env, fmt, lang, ascii_only)
    if key is not None:
        if len(_RENDERED) >= _RENDERED_MAX:
            _RENDERED.clear()
        _RENDERED[key] = (record, notes)
    return (record if fmt != "json" else f'{record},"line":{number}}}\n'), notes


def _render(rules, query: Query, env, fmt: str, lang: str, ascii_only: bool) -> tuple:
    """(record, notes) for one query: the record is plain text, or compact JSON without its closing
    brace (the line number goes there); notes say how its names were read (a guess, a former name)."""
    from sscard.lookup import answer, show
    from sscard.notes import answer_notes
    from sscard.renderers import render
    from sscard.renderers.json import dumps

    if query.command == "show":
        answers = show(rules, query.region, query.bank)
    else:
        answers = [answer(rules, query.command, query.region, query.bank)]
        if query.id is not None:
            from sscard.derive import apply_id

            answers = [apply_id(answers[0], query.id, env)]
    notes = answer_notes(answers[0])
    if fmt != "json":
        return render(answers, "plain", lang, single=query.command != "show") + "\n", notes
    if query.command == "show":
        data = {"schema": 1, "lang": lang, "region": answers[0].region.summary(),
                "topics": [a.to_dict() for a in answers]}
    else:
        data = {**answers[0].to_dict(), "lang": lang}
    return dumps(data, ascii_only, compact=True).rstrip("\n")[:-1], notes


def _error(data: dict, message: str, number: int, line, fmt: str, ascii_only: bool) -> str:
    from sscard.idcard import redact
    from sscard.renderers.json import dumps

    if fmt != "json":
        return _("error (line {number}): {message}").format(number=number, message=message) + "\n\n"
    query = redact(line.strip()[:200]) if line is not None else None
    return dumps({**data, "line": number, "query": query}, ascii_only, compact=True)

