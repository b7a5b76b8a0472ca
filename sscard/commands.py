"""What each command does, as plain functions of plain values.

The Typer app in sscard.cli declares the command line and calls these; the fast path in
sscard.argspec parses the same command line (from a spec derived from that app) and
calls them too. Nothing here imports Typer.
"""

from __future__ import annotations

from sscard.i18n import _
from sscard import output
from sscard.errors import ExitCode, UsageError


def rules(data_dir=None):
    """The rules for this run's data layers (through the on-disk index)."""
    from sscard.serve import load_rules

    loaded = load_rules(layers(data_dir), environ=output.current.environ)
    env = output.current
    for note in loaded.notes:
        env.say(note)
    for warning in loaded.warnings:  # an entry of a rule folder that is not read: never silently
        env.say(_("warning: {warning}").format(warning=warning))
    return loaded


def layers(data_dir=None) -> list:
    """The data layers; a folder named in $SSCARD_DATA_PATH or --data-dir must exist (sscard.locate)."""
    from sscard.locate import checked_layers

    return checked_layers(data_dir, output.current.environ)


def label(region) -> str:
    """'ningbo (宁波市 / Ningbo)' for messages."""
    from sscard.notes import label as named

    return named(region)


def note_match(match, what: str, label: str) -> None:
    """Say on stderr when a name was guessed or could have meant something else."""
    from sscard.notes import match_notes

    for line in match_notes(match, what, label):
        output.current.say(line)


def chosen_format(format, header: bool = False) -> str:
    """--format, else the default for stdout; --header names plain output's columns, so it means plain."""
    if header and format not in (None, "plain"):
        raise UsageError(_("--header names the columns of plain output; it does not go with --format {format}")
                         .format(format=format), hint=_("drop --header, or use --format plain"))
    return "plain" if header else output.current.format(format)


def emit(answers: list, format, lang, single: bool = True, header: bool = False) -> None:
    """Render answers in the chosen format and write them once."""
    from sscard.renderers import render

    env = output.current
    fmt = chosen_format(format, header)
    first = answers[0]
    from sscard.notes import answer_notes

    for line in answer_notes(first):
        env.say(line)
    env.write(render(answers, fmt, env.lang(lang), single=single, width=env.width(),
                     color=env.color(), ascii_only=not env.utf8(), header=header))


def topic(name: str, region: str, bank=None, format=None, lang=None, id=None, data_dir=None, header=False) -> None:
    """Answer one topic for one region (the pin, lost, ... commands)."""
    from sscard.lookup import answer

    format = chosen_format(format, header)  # a usage error before any lookup
    found = answer(rules(data_dir), name, region, bank)
    if id is not None:
        from sscard.derive import apply_id

        found = apply_id(found, id, output.current)
    emit([found], format, lang, header=header)


def show(region=None, bank=None, format=None, lang=None, all_places: bool = False, data_dir=None,
         header=False) -> None:
    """Every topic for one region, or (--all) for every region with rules of its own."""
    from sscard.lookup import show as show_all

    format = chosen_format(format, header)
    loaded = rules(data_dir)
    if all_places == (region is not None):
        raise UsageError(_("give a REGION or --all, not both") if all_places else _("missing REGION (or --all)"))
    if not all_places:
        emit(show_all(loaded, region, bank), format, lang, single=False, header=header)
        return
    from sscard.listing import city_rows
    from sscard.renderers import render

    env = output.current
    fmt, language = chosen_format(format, header), env.lang(lang)
    pages = [show_all(loaded, f"id:{row['id']}") for row in city_rows(loaded) if row["topics"]]
    if fmt == "json":
        from sscard.renderers.json import dumps

        data = [{"region": page[0].region.summary(), "topics": [a.to_dict() for a in page]} for page in pages]
        env.write(dumps({"schema": 1, "lang": language, "regions": data}, not env.utf8()))
        return
    parts = [render(page, fmt, language, single=False, width=env.width(), color=env.color(), header=header and not n)
             for n, page in enumerate(pages)]
    separator = {"markdown": "\n\\newpage\n\n---\n\n", "plain": ""}.get(fmt, "\n")  # plain: rows only
    env.write(separator.join(parts))


def cities(all_places: bool = False, format=None, lang=None, data_dir=None) -> None:
    from sscard.listing import render_cities

    env = output.current
    env.write(render_cities(rules(data_dir), env.format(format), env.lang(lang), all_places, not env.utf8(),
                            env.width(), env.color()))


def banks(format=None, lang=None, data_dir=None) -> None:
    from sscard.listing import render_banks

    env = output.current
    env.write(render_banks(rules(data_dir), env.format(format), env.lang(lang), not env.utf8(), env.width(), env.color()))


def sources(region=None, format=None, lang=None, data_dir=None, stats: bool = False) -> None:
    """The source registry, or the sources a region's answers draw on."""
    from sscard.listing import render_sources
    from sscard.lookup import find_region

    env = output.current
    loaded = rules(data_dir)
    place = None
    if region is not None:
        place, match = find_region(loaded, region)
        note_match(match, "region", label(place))
    env.write(render_sources(loaded, env.format(format), env.lang(lang), place, not env.utf8(), env.width(),
                             env.color(), stats=stats))


def check(paths=None, data_dir=None, cache: bool = False) -> None:
    """Validate rule files; exit 4 when any has a problem (an entry not read is one)."""
    import os

    from sscard.safe import clean
    from sscard.store import build

    env = output.current
    targets = [os.path.abspath(str(p)) for p in (paths or [])]
    for target in targets:
        if not os.path.lexists(target):
            raise UsageError(_("no such file or folder: {path}").format(path=target))
    paths = [*layers(data_dir), *targets]
    loaded = build(paths).rules
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

        found, compared = compare(paths, env.environ)
        problems.extend(found)
    report = "".join(f"{clean(str(p))}\n" for p in problems)
    if report:
        env.write(report)
    items = sum(len(v) for r in loaded.regions.values() for v in r.topics.values())
    summary = _("{files} files, {regions} regions, {items} items, {problems} problems").format(
        files=len(loaded.files), regions=len(loaded.regions), items=items, problems=len(problems))
    if problems:
        env.say(summary)
        raise Exit(ExitCode.BAD_DATA)
    env.say(_("ok: {summary}").format(summary=summary) + (f"; {compared}" if compared else ""))


def search(text, region=None, lang=None, format=None, limit: int = 20, data_dir=None) -> None:
    """Full-text search over every rule (text: a string or the command line's words); exit 1 when nothing matches."""
    from sscard.api import RuleBook
    from sscard.errors import NotFound
    from sscard.lookup import find_region
    from sscard.renderers.hits import render_hits
    from sscard.safe import quote

    env = output.current
    text = text if isinstance(text, str) else " ".join(text)
    book = RuleBook(rules(data_dir))
    place = None
    if region is not None:
        place, match = find_region(book.rules, region)
        note_match(match, "region", label(place))
    hits = book.search(text, region=place, lang=lang, limit=int(limit))
    if not hits:
        raise NotFound(_("nothing matches {text}").format(text=quote(text)),
                       hint=_("try fewer or other words, or the other language"))
    regions = book.places(hits)
    sources = book.cited(hits)
    env.write(render_hits(hits, regions, sources, env.format(format), env.lang(lang), text, not env.utf8(),
                          env.width(), env.color()))


def batch(format=None, lang=None, data_dir=None) -> None:
    """Answer one query per stdin line; each answer (or error) is one JSON line."""
    from sscard.batch import run_batch

    env = output.current
    failed = run_batch(rules(data_dir), env, (format or "json"), env.lang(lang))
    if failed:
        raise Exit(failed)


def shell() -> None:
    """The interactive session (prompt_toolkit is imported only here)."""
    from sscard.shell import run_shell

    status = run_shell(output.current)
    if status:
        raise Exit(status)


class Exit(Exception):
    """Stop with an exit status, without a message (the command already said why)."""

    def __init__(self, code) -> None:
        super().__init__(int(code))
        self.code = int(code)


def version() -> str:
    from importlib.metadata import PackageNotFoundError, version as find

    try:
        return find("sscard")
    except PackageNotFoundError:
        return "unknown (not installed)"
