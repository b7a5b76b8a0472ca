"""Hatch build hook: compile the gettext catalogs (sscard/locale/*/LC_MESSAGES/*.po) to .mo,
and, for a wheel, build the index of the bundled rules it ships (sscard/_bundled.index, written
outside the checkout and put into the wheel).

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


def build_shipped_index(root: Path, folder: Path) -> Path:
    """The index of root/data written into folder (outside the checkout: an editable install must
    never find one in the tree), by sscard's own code in root; the wheel carries it as
    sscard/_bundled.index.

    The first lookup after installing reads it instead of parsing every rule file; sscard
    checks it against the installed files by content first (see sscard/shipped.py). It needs
    OpenCC (a build requirement) for the traditional forms of every name, and fails without it.
    """
    import sys

    sys.path.insert(0, str(root))
    try:
        from sscard import shipped
    finally:
        sys.path.remove(str(root))
    if Path(shipped.__file__).resolve().parent != (root / "sscard").resolve():
        raise RuntimeError(f"building the shipped index needs the sscard in {root}, not {shipped.__file__}")
    target = folder / shipped.NAME
    shipped.build(str(root / "data"), str(target))
    return target


class CatalogHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        compile_catalogs(Path(self.root))
        build_data.setdefault("artifacts", []).append("sscard/locale/**/*.mo")
        if self.target_name == "wheel" and version == "standard":  # an editable install reads the checkout
            import tempfile

            self._folder = Path(tempfile.mkdtemp(prefix="sscard-build-"))
            try:
                index = build_shipped_index(Path(self.root), self._folder)
            except ValueError as exc:  # invalid bundled rules: no index; the first run parses and reports them
                self.app.display_warning(f"no shipped index of the bundled rules: {exc}")
            else:
                build_data.setdefault("force_include", {})[str(index)] = f"sscard/{index.name}"

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        folder = getattr(self, "_folder", None)
        if folder is not None:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
