"""The command table: every command, its parameters and their help, written out once.

Everything that knows sscard's command line reads it from here: sscard.cli builds the
Typer app (help, usage errors) from it, sscard.argspec parses ordinary command lines
with it without importing Typer, and sscard.completion (Tab completion in bash, zsh,
fish and `sscard shell`), the shell's help and sscard.batch read it too. Help texts are
marked with N_ and translated where they are shown.

Cheap to import: plain records, no Typer, on every run's path.
"""

from __future__ import annotations

from sscard.i18n import N_
from sscard.topics import TOPICS

FORMATS = ("rich", "plain", "json", "markdown")
LANGS = ("zh", "en")
SHELLS = ("bash", "zsh", "fish")


class Param:
    """One argument or option.

    kind: "argument" or "option"; nargs -1: every remaining word; flag: an option with no
    value; multiple: repeatable, the values collected in a list; type: "str", "int"
    (between low and high) or "path"; complete: what Tab offers for the value ("region",
    "bank", "path", "folder" or None).
    """

    __slots__ = ("name", "kind", "opts", "help", "metavar", "flag", "multiple", "nargs", "required", "choices",
                 "default", "type", "low", "high", "complete", "show_default")

    def __init__(self, name: str, kind: str, opts: tuple = (), help: str = "", metavar: str | None = None,
                 flag: bool = False, multiple: bool = False, nargs: int = 1, required: bool = False,
                 choices: tuple | None = None, default=None, type: str = "str", low: int | None = None,
                 high: int | None = None, complete: str | None = None, show_default: bool = False) -> None:
        self.name, self.kind, self.opts, self.help, self.metavar = name, kind, opts, help, metavar
        self.flag, self.multiple, self.nargs, self.required = flag, multiple, nargs, required
        self.choices, self.type, self.low, self.high, self.complete = choices, type, low, high, complete
        self.default = ([] if multiple or nargs == -1 else None) if default is None and not flag else default
        if flag and default is None:
            self.default = False
        self.show_default = show_default

    def accepts(self, value: str) -> bool:
        """Whether the value is one Click would take as it is (else Click explains why not)."""
        if self.choices is not None:
            return value in self.choices
        if self.type == "int":
            if not (value.isascii() and value.isdigit()):
                return False
            number = int(value)
            return (self.low is None or number >= self.low) and (self.high is None or number <= self.high)
        return True

    def value(self, text: str):
        return int(text) if self.type == "int" else text


class Command:
    """One command: the function that runs it, fixed keyword values, parameters, help texts.

    target: a use case in sscard.commands, or "batch" / "shell" (the front-ends, launched by
    sscard.runner and sscard.main); summary: the one line `sscard shell`'s help shows.
    """

    __slots__ = ("name", "target", "fixed", "params", "help", "summary", "example")

    def __init__(self, name: str, target: str, params: tuple, help: str, summary: str, example: str = "",
                 fixed: dict | None = None) -> None:
        self.name, self.target, self.params, self.help, self.summary = name, target, params, help, summary
        self.example, self.fixed = example, fixed or {}

    def options(self) -> dict:
        """Each option string (--bank, -b) to its Param."""
        return {opt: p for p in self.params if p.kind == "option" for opt in p.opts}

    def arguments(self) -> list:
        return [p for p in self.params if p.kind == "argument"]


# The parameters several commands share.
REGION = Param("region", "argument", metavar="REGION", required=True, complete="region",
               help=N_("City, district or province: 宁波, 寧波, ningbo, Ningbo City..."))
BANK = Param("bank", "option", ("--bank", "-b"), metavar="BANK", complete="bank",
             help=N_("Only this bank's card: ccb, 建行, China Construction Bank..."))
FORMAT = Param("format", "option", ("--format", "-f"), choices=FORMATS,
               help=N_("Output format [default: rich on a terminal, plain otherwise]."))
LANG = Param("lang", "option", ("--lang", "-l"), choices=LANGS,
             help=N_("Language [default: $SSCARD_LANG, else zh for a zh_* locale, else en]."))
DATA_DIR = Param("data_dir", "option", ("--data-dir", "-d"), metavar="PATH", multiple=True, type="path",
                 complete="folder",
                 help=N_("An extra rule folder laid over the bundled rules; repeatable, later wins "
                         "(also $SSCARD_DATA_PATH)."))
HEADER = Param("header", "option", ("--header",), flag=True,
               help=N_("Plain output (implied) with a first line naming its tab-separated columns; see the "
                       "README's Plain output."))
ID = Param("id", "option", ("--id",), metavar="ID",
           help=N_("Work out ID-derived initial PINs from this 18-character resident ID ('-' reads it from "
                   "stdin); it is never shown in full."))


def _topic(name: str) -> Command:
    topic = TOPICS[name]
    params = (REGION, BANK, FORMAT, LANG, DATA_DIR, *((ID,) if name == "pin" else ()), HEADER)
    return Command(name, "topic", params, topic.help, topic.help, topic.example, fixed={"name": name})


COMMANDS = {c.name: c for c in (
    *(_topic(name) for name in TOPICS),
    Command("show", "show", (
        Param("region", "argument", metavar="[REGION]", complete="region",
              help=N_("City, district or province (or --all).")),
        BANK, FORMAT, LANG,
        Param("all_places", "option", ("--all", "-a"), flag=True, help=N_("Every place with rules of its own: a booklet.")),
        DATA_DIR, HEADER),
        N_("Every topic for one place on one page: a quick-reference card (--format markdown to print it)."),
        N_("every topic for one place on one page"), N_("sscard show ningbo --bank ccb --format markdown > ningbo.md")),
    Command("cities", "cities", (
        Param("all_places", "option", ("--all", "-a"), flag=True, help=N_("Also list places with no rules of their own.")),
        FORMAT, LANG, DATA_DIR),
        N_("The covered places: level, parent, aliases, the topics each has and its rule files."),
        N_("the places covered"), N_("sscard cities --format json")),
    Command("banks", "banks", (FORMAT, LANG, DATA_DIR),
            N_("The banks: names, aliases and customer-service hotlines."),
            N_("the banks and their hotlines"), N_("sscard banks")),
    Command("sources", "sources", (
        Param("region", "argument", metavar="[REGION]", complete="region",
              help=N_("Only the sources this place's answers draw on (its own and the places above it).")),
        Param("stats", "option", ("--stats",), flag=True,
              help=N_("Totals instead: facts and places by their best source's grade, sources by grade.")),
        FORMAT, LANG, DATA_DIR),
        N_("The sources behind the rules: address or seed file, the date each shows, its grade, who cites it.\n"
           "\n"
           "Grades: A official or dated newspaper, B local portal, C template page (used only for\n"
           "local phone numbers and addresses)."),
        N_("the sources behind the answers"), N_("sscard sources chongqing")),
    Command("check", "check", (
        Param("paths", "argument", metavar="[PATH]...", nargs=-1, type="path", complete="path",
              help=N_("Rule files or data folders, checked over every data layer [default: the layers alone].")),
        DATA_DIR,
        Param("cache", "option", ("--cache",), flag=True,
              help=N_("Also compare what lookups are served from the rules index with the rule files."))),
        N_("Validate rule files and report each problem as FILE:LINE: message (exit 4 if any).\n"
           "\n"
           "Checks the bundled rules, the user rule folder, $SSCARD_DATA_PATH and --data-dir,\n"
           "plus any PATH given (a file, a data folder or a folder of rule files)."),
        N_("validate rule files"), N_("sscard check my-rules/regions/ningbo.toml")),
    Command("search", "search", (
        Param("text", "argument", metavar="TEXT", nargs=-1, required=True,
              help=N_("Words or a question, a number, a fee, a hotline: 锁定, 重庆 补卡 多少钱, 'how long is a "
                      "temporary loss report valid', 95533.")),
        Param("region", "option", ("--region", "-r"), metavar="REGION", complete="region",
              help=N_("Only this place and the places below it.")),
        LANG, FORMAT,
        Param("limit", "option", ("--limit", "-n"), type="int", low=1, high=1000, default=20, show_default=True,
              help=N_("At most this many hits.")),
        DATA_DIR),
        N_("Search every rule of every place, in Chinese or English, typos and traditional characters allowed.\n"
           "\n"
           "Several words need not all match: hits rank by how many of the words they match and\n"
           "how rare those are. A place named in the words acts as --region; --region also finds\n"
           "the rules that place falls back to (national ones, say), labelled as such. Everyday\n"
           "words fold to the rules' words (多少钱 -> 费用, 丢了 -> 挂失, how long -> lasts).\n"
           "Each hit shows the place, topic, key value, rule and source. Exit 1 when nothing matches."),
        N_("search every rule of every place"), N_("sscard search 重庆 补卡 多少钱")),
    Command("batch", "batch", (FORMAT, LANG, DATA_DIR),
            N_("Answer many queries in one process: one query per stdin line, one answer per output line.\n"
               "\n"
               "A line is a command line without 'sscard' (pin ningbo --bank ccb) or a JSON object\n"
               "({\"topic\": \"pin\", \"region\": \"ningbo\", \"bank\": \"ccb\"}). Output: one JSON object per line\n"
               "(--format json, the default) or plain blocks. A bad line gives an error object and the\n"
               "batch goes on; the exit status is that of the first failed line, else 0."),
            N_("answer one query per input line (end with Ctrl-D)"),
            N_("printf 'pin ningbo --bank ccb\\nlost chongqing\\n' | sscard batch")),
    Command("shell", "shell", (),
            N_("An interactive session for call centers: the same commands without 'sscard', answered at once.\n"
               "\n"
               "Tab completes commands, places and banks (Chinese, pinyin, English); history is kept\n"
               "between sessions (ID numbers starred out); Ctrl-C cancels a line, Ctrl-D leaves.\n"
               "Piped input runs one command per line."),
            N_("an interactive session"), N_("sscard shell   (then: pin 宁波 --bank 建行)")),
)}

# Options of `sscard` itself, before any command. Each takes the whole command line.
ROOT = {
    "version": Param("version", "option", ("--version", "-V"), flag=True, help=N_("Show the version and exit.")),
    "show_completion": Param("show_completion", "option", ("--show-completion",), metavar="[SHELL]", choices=SHELLS,
                             help=N_("Print the Tab-completion script for bash, zsh or fish [default: $SHELL's]."),
                             complete="shell"),
    "install_completion": Param("install_completion", "option", ("--install-completion",), metavar="[SHELL]",
                                choices=SHELLS, complete="shell",
                                help=N_("Install Tab completion for bash, zsh or fish [default: $SHELL's].")),
}

HELP_OPTIONS = ("--help", "-h")

DESCRIPTION = N_("Offline reference for China's social security card (社会保障卡): PINs, activation, "
                 "loss reports, replacement, contacts, each with its source.")
