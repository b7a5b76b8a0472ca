"""The one error family of sscard: each error knows its exit code and a hint."""

from __future__ import annotations

import enum

from sscard.i18n import _
from sscard.problems import Problem  # noqa: F401 - defined there, named here with the other error kinds

TYPE_CHECKING = False  # as in sscard.model: no typing import at start-up
if TYPE_CHECKING:
    from collections.abc import Sequence


class ExitCode(enum.IntEnum):
    """Process exit statuses; each means one thing (documented in the README)."""

    OK = 0
    NOT_FOUND = 1
    USAGE = 2
    AMBIGUOUS = 3
    BAD_DATA = 4
    OUTPUT_FAILED = 74  # stdout closed, full or failing (sysexits' EX_IOERR)
    INTERRUPTED = 130


class SscardError(Exception):
    """Base class: a message for stderr, an exit code and an optional hint."""

    exit_code = ExitCode.NOT_FOUND

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def to_dict(self) -> dict:
        """The error as JSON-ready data (used by batch mode)."""
        return {
            "error": self.kind,
            "exit_code": int(self.exit_code),
            "message": self.message,
            "hint": self.hint or None,
        }

    @property
    def kind(self) -> str:
        return self.exit_code.name.lower().replace("_", "-")


class NotFound(SscardError):
    """Nothing matched: an unknown name, no rules, no search hit."""

    exit_code = ExitCode.NOT_FOUND

    def __init__(self, message: str, hint: str = "", suggestions: Sequence = (),
                 heading: str = "") -> None:
        super().__init__(message, hint)
        self.suggestions = list(suggestions)
        self.heading = heading or _("did you mean")

    def to_dict(self) -> dict:
        data = super().to_dict()
        data["suggestions"] = self.suggestions
        return data


class UsageError(SscardError):
    """The command line itself is wrong (bad option value, empty name, ...)."""

    exit_code = ExitCode.USAGE


class Ambiguous(SscardError):
    """A name fits two or more places or banks about equally well."""

    exit_code = ExitCode.AMBIGUOUS

    def __init__(self, message: str, candidates: list, hint: str = "", records: Sequence = ()) -> None:
        super().__init__(message, hint)
        self.candidates = list(candidates)  # labels, for people
        self.records = list(records)  # {"id", "name": {"zh", "en"}, "level", "province"}, for scripts

    def to_dict(self) -> dict:
        data = super().to_dict()
        data["candidates"] = self.records or [{"label": c} for c in self.candidates]
        return data


class DataError(SscardError):
    """The rule data is invalid; carries every problem found."""

    exit_code = ExitCode.BAD_DATA

    def __init__(self, problems: list) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        super().__init__(
            (_("the rule data has 1 problem") if count == 1 else
             _("the rule data has {count} problems").format(count=count)),
            hint=_("run 'sscard check' to list them all"),
        )

    def to_dict(self) -> dict:
        data = super().to_dict()
        data["problems"] = [str(p) for p in self.problems]
        return data
