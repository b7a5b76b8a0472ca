"""Messages in the user's language, through gettext catalogs.

Catalogs: sscard/locale/<lang>/LC_MESSAGES/sscard.po in the repository, compiled to
sscard.mo when the package is built (hatch_build.py, with Babel). English is the source
language, so an English run never opens a catalog. The language is chosen once per run
(sscard.main): --lang, then $SSCARD_LANG, then the locale, as for answers.

Click's and Typer's own messages (usage errors, --help headings) go through the standard
``gettext.gettext``; ``set_language`` points that at the same catalog, whose entries
include the Click and Typer messages a user can meet.
"""

from __future__ import annotations

import os

DOMAIN = "sscard"
LOCALE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "locale")
LANGUAGES = ("zh", "en")

_language = "en"
_catalog = None  # the loaded GNUTranslations, or False when there is none
_bound = False  # gettext's domain and $LANGUAGE were set by an earlier, non-English call


def set_language(lang: str) -> None:
    """Use this language for every later message (sscard's, Click's and Typer's)."""
    global _language, _catalog, _bound
    lang = lang if lang in LANGUAGES else "en"
    if lang != _language:
        _language, _catalog = lang, None
    if lang != "en" or _bound:
        # Typer calls gettext.gettext(), which reads the language from the environment on
        # each call; it is imported (if at all) after this point. An English run that never
        # switched leaves gettext unimported, whatever $LANGUAGE says.
        import gettext

        gettext.bindtextdomain(DOMAIN, LOCALE_DIR)
        gettext.textdomain(DOMAIN)
        os.environ["LANGUAGE"] = lang
        _bound = True


def language() -> str:
    return _language


def N_(message: str) -> str:
    """Mark a message for the catalog without translating it here (it is translated where shown)."""
    return message


def _(message: str) -> str:
    """The message in the current language (the English text when there is no translation)."""
    if _language == "en":
        return message
    global _catalog
    if _catalog is None:
        _catalog = _load(_language)
    return _catalog.gettext(message) if _catalog else message


class Msg:
    """A message kept as its msgid and arguments, put in the current language each time it is
    shown (str()): a rule-file problem stored in the index is read in the reader's language.

    An argument may itself be a Msg. `en` is the English text; `data()` a marshal-able form.
    """

    __slots__ = ("msgid", "args")

    def __init__(self, msgid: str, **args) -> None:
        self.msgid = msgid
        self.args = args

    def text(self, english: bool = False) -> str:
        template = self.msgid if english else _(self.msgid)
        return template.format(**{k: v.text(english) if isinstance(v, Msg) else v for k, v in self.args.items()})

    def __str__(self) -> str:
        return self.text()

    @property
    def en(self) -> str:
        return self.text(english=True)

    def data(self) -> tuple:
        return (self.msgid, tuple((k, v.data() if isinstance(v, Msg) else v) for k, v in sorted(self.args.items())))

    @classmethod
    def from_data(cls, data, fix=str) -> "Msg":
        """The Msg of data(); fix is applied to each text argument (paths of a moved index)."""
        msgid, args = data
        return cls(str(msgid), **{str(k): cls.from_data(v, fix) if isinstance(v, tuple) else
                                  (v if isinstance(v, int) else fix(str(v))) for k, v in args})

    def __eq__(self, other) -> bool:
        return isinstance(other, Msg) and self.data() == other.data()

    def __hash__(self) -> int:
        return hash(self.data())

    def __repr__(self) -> str:
        return f"Msg({self.en!r})"


def os_reason(exc: OSError) -> Msg | str:
    """Why an operating-system call failed, as a Msg for the common reasons (strerror is English)."""
    import errno

    reasons = {errno.ENOENT: N_("No such file or directory"), errno.EACCES: N_("Permission denied"),
               errno.EPERM: N_("Operation not permitted"), errno.ENOTDIR: N_("Not a directory"),
               errno.EISDIR: N_("Is a directory"), errno.ELOOP: N_("Too many levels of symbolic links"),
               errno.ENAMETOOLONG: N_("File name too long"), errno.EIO: N_("Input/output error"),
               errno.EROFS: N_("Read-only file system"), errno.ENOSPC: N_("No space left on device")}
    code = getattr(exc, "errno", None)
    known = reasons.get(code) if isinstance(code, int) else None
    return Msg(known) if known else (exc.strerror or str(exc))


# What the standard library says when a batch line is not JSON or cannot be split (English).
_FOREIGN = (N_("Expecting value"), N_("Expecting property name enclosed in double quotes"),
            N_("Expecting ':' delimiter"), N_("Expecting ',' delimiter"), N_("Extra data"),
            N_("Unterminated string starting at"), N_("Invalid control character at"), N_("Invalid \\escape"),
            N_("Invalid \\uXXXX escape"), N_("Illegal trailing comma before end of object"),
            N_("Illegal trailing comma before end of array"), N_("No closing quotation"), N_("No escaped character"))


def foreign(exc: Exception) -> str:
    """A json or shlex error's message in the current language (its own English text in English)."""
    if _language == "en":
        return str(exc)
    from json import JSONDecodeError  # only batch calls this, and it has read json already

    if isinstance(exc, JSONDecodeError):
        msg = exc.msg
        known = next((m for m in _FOREIGN if msg == m or msg.startswith(m[:-3] if m.endswith(" at") else m + ":")),
                     msg)
        return _("{reason}: line {line} column {column} (char {char})").format(
            reason=_(known), line=exc.lineno, column=exc.colno, char=exc.pos)
    return _(str(exc))


def _load(lang: str):
    import gettext

    try:
        with open(os.path.join(LOCALE_DIR, lang, "LC_MESSAGES", DOMAIN + ".mo"), "rb") as handle:
            return gettext.GNUTranslations(handle)
    except (OSError, ValueError):  # no compiled catalog (a raw checkout): English
        return False
