"""The use cases: what each command does, as functions of plain values and an environment.

Each takes an sscard.output.Env (what it may read: the environment variables, whether
stdout is a terminal, its width, stdin for `--id -`) and its inputs, and returns a
Result: the answer text, the notes for stderr, the exit code, and the error if it failed.
Nothing here writes: the front-end that runs argv (sscard.runner) writes a Result once.
Nothing here imports Typer, or launches the batch and shell front-ends.
"""

from __future__ import annotations

import functools

from sscard.errors import ExitCode, SscardError, UsageError
from sscard.i18n import _


class Result:
    """What a use case gives back: body for stdout, notes for stderr, the exit code, the error."""

    __slots__ = ("body", "notes", "code", "error")

    def __init__(self, body: str = "", notes=(), code: int = 0, error: SscardError | None = None) -> None:
        self.body, self.notes, self.code, self.error = body, list(notes), int(code), error

    def __repr__(self) -> str:
        return f"Result(code={self.code}, notes={self.notes!r}, body={self.body[:60]!r})"


class Run:
    """One use case's view of its run: the environment, and the notes it collects."""

    __slots__ = ("env", "notes", "code")

    def __init__(self, env) -> None:
        self.env = env
        self.notes: list[str] = []
        self.code = 0

    def say(self, note: str) -> None:
        self.notes.append(note)

    def rules(self, data_dir=None):
        """The rules for this run's data layers (through the on-disk index); their notes noted."""
        from sscard.serve import load_rules

        loaded = load_rules(self.layers(data_dir), environ=self.env.environ)
        self.notes.extend(loaded.notes)
        for warning in loaded.warnings:  # an entry of a rule folder that is not read: never silently
            self.say(_("warning: {warning}").format(warning=warning))
        return loaded

    def layers(self, data_dir=None) -> list:
        """The data layers; a folder named in $SSCARD_DATA_PATH or --data-dir must exist (sscard.locate)."""
        from sscard.locate import checked_layers

        return checked_layers(data_dir, self.env.environ)

    def note_match(self, match, what: str, region) -> None:
        """Note when a name was guessed or could have meant something else."""
        from sscard.notes import label, match_notes

        self.notes.extend(match_notes(match, what, label(region)))

    def format(self, format, header: bool = False) -> str:
        """--format, else the default for stdout; --header names plain output's columns, so it means plain."""
        if header and format not in (None, "plain"):
            raise UsageError(_("--header names the columns of plain output; it does not go with --format {format}")
                             .format(format=format), hint=_("drop --header, or use --format plain"))
        return "plain" if header else self.env.format(format)


def _use_case(function):
    """function(run, **inputs) -> body, as a use case: (env, **inputs) -> Result."""

    @functools.wraps(function)
    def call(env, **inputs) -> Result:
        run = Run(env)
        try:
            body = function(run, **inputs)
        except SscardError as exc:
            return Result("", run.notes, int(exc.exit_code), exc)
        return Result(body or "", run.notes, run.code)

    return call


def _render(run: Run, answers: list, fmt: str, lang, single: bool = True, header: bool = False,
            keep: bool = True) -> str:
    """The answers in a format; rich output is kept in the cache folder unless keep is False
    (an answer worked out from an ID number never goes to disk)."""
    from sscard.notes import answer_notes
    from sscard.renderers import render

    env = run.env
    run.notes.extend(answer_notes(answers[0]))
    cache = None
    if fmt == "rich" and keep:
        from sscard.locate import cache_dir

        cache = cache_dir(env.environ)
    return render(answers, fmt, env.lang(lang), single=single, width=env.width(), color=env.color(),
                  ascii_only=not env.utf8(), header=header, cache=cache)


@_use_case
def topic(run: Run, name: str, region: str, bank=None, format=None, lang=None, id=None, data_dir=None,
          header=False) -> str:
    """Answer one topic for one region (the pin, lost, ... commands)."""
    from sscard.lookup import answer

    fmt = run.format(format, header)  # a usage error before any lookup
    found = answer(run.rules(data_dir), name, region, bank)
    if id is not None:
        from sscard.derive import apply_id

        found = apply_id(found, id, run.env)
    return _render(run, [found], fmt, lang, header=header, keep=id is None)


@_use_case
def show(run: Run, region=None, bank=None, format=None, lang=None, all_places: bool = False, data_dir=None,
         header=False) -> str:
    """Every topic for one region, or (--all) for every region with rules of its own."""
    from sscard.lookup import show as show_all

    fmt = run.format(format, header)
    loaded = run.rules(data_dir)
    if all_places == (region is not None):
        raise UsageError(_("give a REGION or --all, not both") if all_places else _("missing REGION (or --all)"))
    if not all_places:
        return _render(run, show_all(loaded, region, bank), fmt, lang, single=False, header=header)
    from sscard.listing import city_rows
    from sscard.renderers import render

    env = run.env
    language = env.lang(lang)
    pages = [show_all(loaded, f"id:{row['id']}") for row in city_rows(loaded) if row["topics"]]
    if fmt == "json":
        from sscard.renderers.json import dumps

        data = [{"region": page[0].region.summary(), "topics": [a.to_dict() for a in page]} for page in pages]
        return dumps({"schema": 1, "lang": language, "regions": data}, not env.utf8())
    parts = [render(page, fmt, language, single=False, width=env.width(), color=env.color(), header=header and not n)
             for n, page in enumerate(pages)]
    separator = {"markdown": "\n\\newpage\n\n---\n\n", "plain": ""}.get(fmt, "\n")  # plain: rows only
    return separator.join(parts)


@_use_case
def cities(run: Run, all_places: bool = False, format=None, lang=None, data_dir=None) -> str:
    from sscard.listing import render_cities

    env = run.env
    return render_cities(run.rules(data_dir), env.format(format), env.lang(lang), all_places, not env.utf8(),
                         env.width(), env.color())


@_use_case
def banks(run: Run, format=None, lang=None, data_dir=None) -> str:
    from sscard.listing import render_banks

    env = run.env
    return render_banks(run.rules(data_dir), env.format(format), env.lang(lang), not env.utf8(), env.width(),
                        env.color())


@_use_case
def sources(run: Run, region=None, format=None, lang=None, data_dir=None, stats: bool = False) -> str:
    """The source registry, or the sources a region's answers draw on."""
    from sscard.listing import render_sources
    from sscard.lookup import find_region

    env = run.env
    loaded = run.rules(data_dir)
    place = None
    if region is not None:
        place, match = find_region(loaded, region)
        run.note_match(match, "region", place)
    return render_sources(loaded, env.format(format), env.lang(lang), place, not env.utf8(), env.width(),
                          env.color(), stats=stats)


@_use_case
def check(run: Run, paths=None, data_dir=None, cache: bool = False) -> str:
    """Validate rule files; exit 4 when any has a problem (an entry not read is one)."""
    import os

    from sscard.safe import clean
    from sscard.store import build

    targets = [os.path.abspath(str(p)) for p in (paths or [])]
    for target in targets:
        if not os.path.lexists(target):
            raise UsageError(_("no such file or folder: {path}").format(path=target))
    layers = [*run.layers(data_dir), *targets]
    parsed = build(layers)
    loaded = parsed.rules
    problems = list(loaded.warnings) + list(loaded.problems)
    for target in targets:
        if os.path.isdir(target) and not any(f == target or f.startswith(target.rstrip(os.sep) + os.sep)
                                             for f in loaded.files):
            from sscard.errors import Problem

            problems.append(Problem(target, 1, _("no rule files here (expected sources/, banks/, regions/ or "
                                                 "gazetteer/ folders, or a folder named like one of them)")))
    compared = ""
    if cache:
        from sscard.cachecheck import compare

        found, compared = compare(layers, run.env.environ, parsed)  # the files parsed once, for both
        problems.extend(found)
    report = "".join(f"{clean(str(p))}\n" for p in problems)
    items = sum(len(v) for r in loaded.regions.values() for v in r.topics.values())
    summary = _("{files} files, {regions} regions, {items} items, {problems} problems").format(
        files=len(loaded.files), regions=len(loaded.regions), items=items, problems=len(problems))
    if problems:
        run.say(summary)
        run.code = int(ExitCode.BAD_DATA)
    else:
        run.say(_("ok: {summary}").format(summary=summary) + (f"; {compared}" if compared else ""))
    return report


@_use_case
def search(run: Run, text, region=None, lang=None, format=None, limit: int = 20, data_dir=None) -> str:
    """Full-text search over every rule (text: a string or the command line's words); exit 1 when nothing matches."""
    from sscard.api import RuleBook
    from sscard.errors import NotFound
    from sscard.lookup import find_region
    from sscard.renderers.hits import render_hits
    from sscard.safe import quote

    env = run.env
    text = text if isinstance(text, str) else " ".join(text)
    book = RuleBook(run.rules(data_dir))
    place = None
    if region is not None:
        place, match = find_region(book.rules, region)
        run.note_match(match, "region", place)
    hits = book.search(text, region=place, lang=lang, limit=int(limit))
    if not hits:
        raise NotFound(_("nothing matches {text}").format(text=quote(text)),
                       hint=_("try fewer or other words, or the other language"))
    regions = book.places(hits)
    sources = book.cited(hits)
    return render_hits(hits, regions, sources, env.format(format), env.lang(lang), text, not env.utf8(),
                       env.width(), env.color())


@_use_case
def version(run: Run) -> str:
    return f"sscard {version_text()}\n"


def version_text() -> str:
    from importlib.metadata import PackageNotFoundError, version as find

    try:
        return find("sscard")
    except PackageNotFoundError:
        return "unknown (not installed)"


USE_CASES = {f.__name__: f for f in (topic, show, cities, banks, sources, check, search, version)}
