"""sscard: an offline reference for China's social security card (社会保障卡).

The library: ``sscard.open_rules()`` returns a RuleBook whose ``answer``, ``show``,
``search``, ``find_region`` and ``find_bank`` return records; ``sscard.render`` turns an
answer into text; errors are ``sscard.SscardError`` and its kinds. Everything is imported
on first use, so ``import sscard`` (and the command line) pays nothing for it.
"""

from __future__ import annotations

_API = {
    "open_rules": "sscard.api", "render": "sscard.api", "RuleBook": "sscard.api",
    "SscardError": "sscard.errors", "NotFound": "sscard.errors", "Ambiguous": "sscard.errors",
    "UsageError": "sscard.errors", "DataError": "sscard.errors", "ExitCode": "sscard.errors",
    "Answer": "sscard.model", "Region": "sscard.model", "Bank": "sscard.model", "Source": "sscard.model",
    "Item": "sscard.model", "Citation": "sscard.model", "KeyFact": "sscard.model", "Match": "sscard.model",
}

__all__ = [*_API, "__version__"]


def __getattr__(name: str):
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("sscard")
        except PackageNotFoundError:
            return "0+unknown"
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'sscard' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(module), name)


def __dir__() -> list:
    return sorted(__all__)
