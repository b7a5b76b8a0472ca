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


def _load(lang: str):
    import gettext

    try:
        with open(os.path.join(LOCALE_DIR, lang, "LC_MESSAGES", DOMAIN + ".mo"), "rb") as handle:
            return gettext.GNUTranslations(handle)
    except (OSError, ValueError):  # no compiled catalog (a raw checkout): English
        return False
