"""The command-line definition: the Typer app.

This is the one description of sscard's commands and options. Each command is a thin
wrapper that hands plain values to sscard.commands. The fast path (sscard.argspec)
parses argv from a spec generated from this app, so the two cannot drift; a test
compares them.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from sscard import commands, completion, i18n, usage
from sscard.i18n import _
from sscard.topics import TOPICS

LANGUAGE = i18n.language()  # the help below is in this language; sscard.main rebuilds the app for another

EXAMPLES = _("""Examples:

  sscard pin ningbo --bank ccb        initial PINs for a Ningbo card issued by CCB

  sscard lost chongqing               report a lost card, social side and bank side

  sscard show 宁波 --format json       everything about one place, for scripts

  sscard cities                       the places covered

Exit codes: 0 answered, 1 nothing matched, 2 usage error, 3 ambiguous name,
4 invalid rule data, 70 internal error, 130 interrupted.""")

app = typer.Typer(
    name="sscard",
    help=_("Offline reference for China's social security card (社会保障卡): PINs, activation, "
           "loss reports, replacement, contacts, each with its source."),
    epilog=EXAMPLES,
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    cls=usage.Group,
)


class Format(str, Enum):
    rich = "rich"
    plain = "plain"
    json = "json"
    markdown = "markdown"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


RegionArg = Annotated[str, typer.Argument(metavar="REGION", help=_("City, district or province: 宁波, 寧波, ningbo, Ningbo City..."), show_default=False, autocompletion=completion.regions)]
BankOpt = Annotated[Optional[str], typer.Option("--bank", "-b", metavar="BANK", help=_("Only this bank's card: ccb, 建行, China Construction Bank..."), autocompletion=completion.banks)]
FormatOpt = Annotated[Optional[Format], typer.Option("--format", "-f", help=_("Output format [default: rich on a terminal, plain otherwise]."), show_default=False)]
DataDirOpt = Annotated[Optional[List[Path]], typer.Option("--data-dir", "-d", metavar="PATH", help=_("An extra rule folder laid over the bundled rules; repeatable, later wins (also $SSCARD_DATA_PATH)."), show_default=False)]
HeaderOpt = Annotated[bool, typer.Option("--header", help=_("Plain output (implied) with a first line naming its tab-separated columns; see the README's Plain output."))]
LangOpt = Annotated[Optional[Lang], typer.Option("--lang", "-l", help=_("Language [default: $SSCARD_LANG, else zh for a zh_* locale, else en]."), show_default=False)]


def plain(values: dict) -> dict:
    """Typer's values as the plain ones sscard.commands takes (enums to str, paths to str)."""
    out = {}
    for key, value in values.items():
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, (list, tuple)):
            value = [str(v) for v in value]
        out[key] = value
    return out


def target(function: str, **fixed):
    """Mark a wrapper with the sscard.commands function it calls (read by the spec generator)."""

    def mark(wrapper):
        wrapper.sscard_target = (function, fixed)
        return wrapper

    return mark


IdOpt = Annotated[Optional[str], typer.Option("--id", metavar="ID", help=_("Work out ID-derived initial PINs from this 18-character resident ID ('-' reads it from stdin); it is never shown in full."), show_default=False)]


def _topic_command(name: str):
    topic = TOPICS[name]

    @target("topic", name=name)
    def command(region: RegionArg, bank: BankOpt = None, format: FormatOpt = None, lang: LangOpt = None,
                data_dir: DataDirOpt = None, header: HeaderOpt = False) -> None:
        commands.topic(name, **plain(dict(region=region, bank=bank, format=format, lang=lang, data_dir=data_dir,
                                          header=header)))

    @target("topic", name=name)
    def pin_command(region: RegionArg, bank: BankOpt = None, format: FormatOpt = None, lang: LangOpt = None,
                    data_dir: DataDirOpt = None, id: IdOpt = None, header: HeaderOpt = False) -> None:
        commands.topic(name, **plain(dict(region=region, bank=bank, format=format, lang=lang, data_dir=data_dir,
                                          id=id, header=header)))

    chosen = pin_command if name == "pin" else command  # only pin takes --id
    chosen.__name__ = name
    chosen.__doc__ = _(topic.help) + "\n\n" + _("Example: {example}").format(example=topic.example)
    return chosen


for _name in TOPICS:
    app.command(_name, cls=usage.Command)(_topic_command(_name))


@app.command(cls=usage.Command, help=_(
    "Every topic for one place on one page: a quick-reference card (--format markdown to print it).\n"
    "\n"
    "Example: sscard show ningbo --bank ccb --format markdown > ningbo.md"))
@target("show")
def show(
    region: Annotated[Optional[str], typer.Argument(metavar="[REGION]", help=_("City, district or province (or --all)."), show_default=False, autocompletion=completion.regions)] = None,
    bank: BankOpt = None,
    format: FormatOpt = None,
    lang: LangOpt = None,
    all_places: Annotated[bool, typer.Option("--all", "-a", help=_("Every place with rules of its own: a booklet."))] = False,
    data_dir: DataDirOpt = None,
    header: HeaderOpt = False,
) -> None:
    commands.show(**plain(dict(region=region, bank=bank, format=format, lang=lang, all_places=all_places,
                               data_dir=data_dir, header=header)))


@app.command(cls=usage.Command, help=_(
    "The covered places: level, parent, aliases, the topics each has and its rule files.\n"
    "\n"
    "Example: sscard cities --format json"))
@target("cities")
def cities(
    all_places: Annotated[bool, typer.Option("--all", "-a", help=_("Also list places with no rules of their own."))] = False,
    format: FormatOpt = None,
    lang: LangOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    commands.cities(**plain(dict(all_places=all_places, format=format, lang=lang, data_dir=data_dir)))


@app.command(cls=usage.Command, help=_(
    "The banks: names, aliases and customer-service hotlines.\n"
    "\n"
    "Example: sscard banks"))
@target("banks")
def banks(format: FormatOpt = None, lang: LangOpt = None, data_dir: DataDirOpt = None) -> None:
    commands.banks(**plain(dict(format=format, lang=lang, data_dir=data_dir)))


@app.command(cls=usage.Command, help=_(
    "The sources behind the rules: address or seed file, the date each shows, its grade, who cites it.\n"
    "\n"
    "Grades: A official or dated newspaper, B local portal, C template page (used only for\n"
    "local phone numbers and addresses).\n"
    "\n"
    "Example: sscard sources chongqing"))
@target("sources")
def sources(
    region: Annotated[Optional[str], typer.Argument(metavar="[REGION]", help=_("Only the sources this place's answers draw on (its own and the places above it)."), show_default=False, autocompletion=completion.regions)] = None,
    stats: Annotated[bool, typer.Option("--stats", help=_("Totals instead: facts and places by their best source's grade, sources by grade."))] = False,
    format: FormatOpt = None,
    lang: LangOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    commands.sources(**plain(dict(region=region, stats=stats, format=format, lang=lang, data_dir=data_dir)))


@app.command(cls=usage.Command, help=_(
    "Validate rule files and report each problem as FILE:LINE: message (exit 4 if any).\n"
    "\n"
    "Checks the bundled rules, the user rule folder, $SSCARD_DATA_PATH and --data-dir,\n"
    "plus any PATH given (a file, a data folder or a folder of rule files).\n"
    "\n"
    "Example: sscard check my-rules/regions/ningbo.toml"))
@target("check")
def check(
    paths: Annotated[Optional[List[Path]], typer.Argument(metavar="[PATH]...", help=_("Rule files or data folders, checked over every data layer [default: the layers alone]."), show_default=False)] = None,
    data_dir: DataDirOpt = None,
    cache: Annotated[bool, typer.Option("--cache", help=_("Also compare what lookups are served from the rules index with the rule files."))] = False,
) -> None:
    commands.check(**plain(dict(paths=paths or [], data_dir=data_dir, cache=cache)))


@app.command(cls=usage.Command, help=_(
    "Search every rule of every place, in Chinese or English, typos and traditional characters allowed.\n"
    "\n"
    "Several words need not all match: hits rank by how many of the words they match and\n"
    "how rare those are. A place named in the words acts as --region; --region also finds\n"
    "the rules that place falls back to (national ones, say), labelled as such. Everyday\n"
    "words fold to the rules' words (多少钱 -> 费用, 丢了 -> 挂失, how long -> lasts).\n"
    "Each hit shows the place, topic, key value, rule and source. Exit 1 when nothing matches.\n"
    "\n"
    "Example: sscard search 重庆 补卡 多少钱"))
@target("search")
def search(
    text: Annotated[List[str], typer.Argument(metavar="TEXT", help=_("Words or a question, a number, a fee, a hotline: 锁定, 重庆 补卡 多少钱, 'how long is a temporary loss report valid', 95533."), show_default=False)],
    region: Annotated[Optional[str], typer.Option("--region", "-r", metavar="REGION", help=_("Only this place and the places below it."))] = None,
    lang: LangOpt = None,
    format: FormatOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=1000, help=_("At most this many hits."))] = 20,
    data_dir: DataDirOpt = None,
) -> None:
    commands.search(**plain(dict(text=text, region=region, lang=lang, format=format, limit=limit, data_dir=data_dir)))


@app.command(cls=usage.Command, help=_(
    "Answer many queries in one process: one query per stdin line, one answer per output line.\n"
    "\n"
    "A line is a command line without 'sscard' (pin ningbo --bank ccb) or a JSON object\n"
    "({\"topic\": \"pin\", \"region\": \"ningbo\", \"bank\": \"ccb\"}). Output: one JSON object per line\n"
    "(--format json, the default) or plain blocks. A bad line gives an error object and the\n"
    "batch goes on; the exit status is that of the first failed line, else 0.\n"
    "\n"
    "Example: printf 'pin ningbo --bank ccb\\nlost chongqing\\n' | sscard batch"))
@target("batch")
def batch(format: FormatOpt = None, lang: LangOpt = None, data_dir: DataDirOpt = None) -> None:
    commands.batch(**plain(dict(format=format, lang=lang, data_dir=data_dir)))


@app.command(cls=usage.Command, help=_(
    "An interactive session for call centers: the same commands without 'sscard', answered at once.\n"
    "\n"
    "Tab completes commands, places and banks (Chinese, pinyin, English); history is kept\n"
    "between sessions (ID numbers starred out); Ctrl-C cancels a line, Ctrl-D leaves.\n"
    "Piped input runs one command per line.\n"
    "\n"
    "Example: sscard shell   (then: pin 宁波 --bank 建行)"))
@target("shell")
def shell() -> None:
    commands.shell()


def _version(value: bool) -> None:
    if value:
        from sscard import output

        output.current.write(f"sscard {commands.version()}\n")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help=_("Show the version and exit."))] = False,
) -> None:
    """Offline reference for China's social security card (社会保障卡).

    Each command answers one question for one place, with its source and date.
    """
