"""Locate the rule data, and load it through a cache that can never go stale.

The cache holds the parsed, validated rules and the name indexes, keyed by every
rule file's path, size, mtime and ctime (and sscard's own version). Any change to
any file gives a new key. An unreadable, unwritable or corrupt cache only costs a
re-parse; it never fails a lookup.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from sscard.loader import RuleSet, load, rule_files
from sscard.names import NameIndex

CACHE_FORMAT = 1
_PACKAGE = Path(__file__).resolve().parent


def bundled_data_dir() -> Path:
    """The rules shipped with sscard: inside the wheel, or data/ in a checkout."""
    inside = _PACKAGE / "data"
    if inside.is_dir():
        return inside
    return _PACKAGE.parent / "data"


@dataclass
class Rules:
    """Validated rules plus the name indexes used to resolve what people type."""

    rules: RuleSet
    regions: NameIndex
    banks: NameIndex


def build(paths: Sequence[Path]) -> Rules:
    """Parse and index the rule files in these folders and files (no cache)."""
    rules = load(paths)
    regions = NameIndex(
        (r.id, name) for r in rules.regions.values() for name in (r.id, r.name.zh, r.name.en, *r.aliases)
    )
    banks = NameIndex(
        (b.id, name) for b in rules.banks.values() for name in (b.id, b.name.zh, b.name.en, *b.aliases)
    )
    return Rules(rules, regions, banks)


def cache_dir() -> Optional[Path]:
    """Where the index cache lives: $SSCARD_CACHE_DIR, else the user cache directory."""
    configured = os.environ.get("SSCARD_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None  # empty disables the cache
    try:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("sscard", appauthor=False))
    except Exception:  # no home directory, odd platform: run without a cache
        return None


def _stamp(files: Sequence[Path]) -> str:

    digest = hashlib.sha256(f"{CACHE_FORMAT}\0{_PACKAGE}".encode())
    for module in ("model.py", "loader.py", "names.py", "store.py"):  # code changes bust the cache
        digest.update(str((_PACKAGE / module).stat().st_mtime_ns).encode())
    for path in files:
        st = path.stat()
        digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\n".encode())
    return digest.hexdigest()[:32]


def load_rules(data_dirs: Sequence[Path], use_cache: bool = True) -> Rules:
    """The rules for these directories, from the cache when it is current."""
    folder = cache_dir() if use_cache else None
    if folder is None:
        return build(data_dirs)
    try:
        files = [p for d in data_dirs for p in rule_files(d)]
        target = folder / f"rules-{_stamp(files)}.pickle"
    except OSError:
        return build(data_dirs)
    try:
        cached = pickle.loads(target.read_bytes())
        if isinstance(cached, Rules):
            return cached
    except Exception:  # missing, truncated, or written by another version: rebuild
        pass
    fresh = build(data_dirs)
    _write(folder, target, fresh)
    return fresh


def _write(folder: Path, target: Path, rules: Rules) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("rules-*.pickle"):
            old.unlink(missing_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(rules, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, target)
    except OSError:
        pass  # a read-only or full cache directory only costs speed
