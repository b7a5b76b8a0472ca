"""Hatch build hook: compile the gettext catalogs (sscard/locale/*/LC_MESSAGES/*.po) to .mo.

The .po files are the source kept in the repository; the compiled .mo files are build
artifacts (git-ignored), shipped in the wheel and written into the tree for editable
installs. Babel does the compiling (a build requirement only, never imported at run time).
"""

from __future__ import annotations

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def compile_catalogs(root: Path) -> list:
    """Compile every .po under sscard/locale; the .mo paths written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted((root / "sscard" / "locale").glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as handle:
            write_mo(handle, catalog)
        written.append(mo)
    return written


class CatalogHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        compile_catalogs(Path(self.root))
        build_data.setdefault("artifacts", []).append("sscard/locale/**/*.mo")
