"""Batch mode: many queries, one process, one output line (or block) per query.

No single line can end the batch: an over-long line, a JSON line nested too deeply or
any other bad line is answered by one error record, and the next line is read. Each
record is written whole; Ctrl-C or SIGTERM stops the batch between records (exit 130),
never inside one, so a consumer of JSON lines never sees a broken last line.
"""

from __future__ import annotations

import json
import shlex

from sscard.batchio import MAX_LINE
from sscard.commandtable import COMMANDS
from sscard.errors import SscardError, UsageError
from sscard.i18n import _, foreign
from sscard.output import is_terminal
from sscard.safe import quote

QUERY_COMMANDS = tuple(name for name, c in COMMANDS.items() if c.target in ("topic", "show"))


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
    from sscard.batchio import reader

    for lines in reader(stdin):
        for line in lines:
            yield line.number, line.text


def run_batch(rules, env, fmt: str, lang: str) -> int:
    """Answer every stdin line; return the exit code of the first failed line, else 0.

    Answers are written in chunks (sscard.batchio): everything that could be read without
    waiting is answered, then written at once. Each distinct answer is rendered, redacted and
    encoded once (Answers); a repeated line costs a dictionary look-up and a copy.
    """
    from sscard.batchio import Sink, reader
    from sscard.stopping import Between

    sink = Sink(env)
    answers = Answers(rules, env, fmt, lang, not env.utf8(), sink)
    if is_terminal(env.stdin):  # a person at a terminal sees nothing else until a line is answered
        env.say(_("reading queries from the terminal, one per line; Ctrl-D ends"))
    first_failure = 0
    with Between() as between:
        try:
            for lines in reader(env.stdin):
                for line in lines:
                    data, code = answers.line(line)
                    if data is not None and sink.add(data):
                        between.write(sink, None)
                    first_failure = first_failure or code
                between.write(sink, None)  # before a read that could wait: a script may wait for each answer
        except KeyboardInterrupt:
            between.write(sink, None)  # the answers already made, whole; a second Ctrl-C stops at once
            raise
    return first_failure


class Answers:
    """Each line's record, in the sink's form (bytes or text), redacted; answers kept by line and by query."""

    BUDGET = 8 * 1024 * 1024  # bytes of kept answers: a batch over 30,000 places stays within it

    def __init__(self, rules, env, fmt: str, lang: str, ascii_only: bool, sink) -> None:
        self.rules, self.env, self.fmt, self.lang, self.ascii_only = rules, env, fmt, lang, ascii_only
        self.sink = sink
        self.json = fmt == "json"
        self.by_line: dict = {}  # raw line -> (record, notes): the same line again
        self.by_query: dict = {}  # (topic, region, bank) -> (record, notes): the same query spelt otherwise
        self.kept = 0

    def line(self, line) -> tuple:
        """(the line's record or None for a blank or comment line, its exit code or 0)."""
        kept = self.by_line.get(line.raw) if line.raw is not None else None
        if kept is not None:
            self.by_line[line.raw] = self.by_line.pop(line.raw)  # most recently used last
            return self._numbered(kept, line.number), 0
        from sscard.idcard import redact

        text = line.text
        number = line.number
        if text is not None and (not text.strip() or text.lstrip().startswith("#")):
            return None, 0
        try:
            if text is None:
                raise UsageError(_("line {number} is over {limit} characters; not read").format(number=number, limit=MAX_LINE))
            query = parse_line(text)
            kept = None
            key = None
            if query.id is None:  # an answer worked out from an ID number is never kept
                key = (query.command, query.region, query.bank)
                kept = self.by_query.get(key)
            if kept is None:
                record, notes = _render(self.rules, query, self.env, self.fmt, self.lang, self.ascii_only)
                kept = (self.sink.encode(redact(record)), tuple(notes))
                if key is not None:
                    self._keep(self.by_query, key, kept)
            if key is not None:
                self._keep(self.by_line, line.raw, kept)
            return self._numbered(kept, number), 0
        except SscardError as exc:
            code = int(exc.exit_code)
            record = _error(exc.to_dict(), exc.message, number, text, self.fmt, self.ascii_only)
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:  # a bug on one line: say so in its record, answer the next
            code = 70
            data: dict = {"error": "internal", "exit_code": 70, "message": _("internal error: {kind}").format(kind=type(exc).__name__),
                    "hint": None}
            record = _error(data, data["message"], number, text, self.fmt, self.ascii_only)
        return self.sink.encode(redact(record)), code

    def _numbered(self, kept: tuple, number: int):
        record, notes = kept
        for note in notes:  # a guessed or former name is said, as on the command line
            self.env.say(_("line {number}: {note}").format(number=number, note=note))
        if not self.json:
            return record
        tail = f',"line":{number}}}\n'
        return record + (tail.encode("ascii") if self.sink.binary else tail)

    def _keep(self, table: dict, key, kept: tuple) -> None:
        """Keep an answer; the least recently used go once the budget is spent (never all at once)."""
        if key in table:
            return
        table[key] = kept
        self.kept += len(kept[0])
        while self.kept > self.BUDGET and len(table) > 1:
            oldest = next(iter(table))
            self.kept -= len(table.pop(oldest)[0])


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

