"""The index shipped in the wheel: used on the first run only when it describes exactly the
installed rule files and code; its file paths are those of the installed files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from sscard import index, indexrecords, serve, shipped, store

MINI = Path(__file__).resolve().parent / "data" / "mini"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The shipped index as the build hook makes it, from a copy of the rules at a build-time path."""
    root = tmp_path_factory.mktemp("build")
    shutil.copytree(MINI, root / "data")
    target = root / "ship.index"
    shipped.build(str(root / "data"), str(target))
    return root, target.read_bytes()


@pytest.fixture
def install(built, tmp_path, monkeypatch):
    """The same rules installed elsewhere (new inodes and times), with the shipped index beside them."""
    data = tmp_path / "site" / "data"
    shutil.copytree(built[0] / "data", data)
    ship = tmp_path / "ship.index"
    ship.write_bytes(built[1])
    os.chmod(ship, 0o644)
    monkeypatch.setattr(shipped, "shipped_path", lambda: str(ship))
    monkeypatch.setattr(serve, "bundled_data_dir", lambda: str(data))
    parsed = []
    real_build = store.build
    monkeypatch.setattr(serve, "build", lambda paths: parsed.append(paths) or real_build(paths))
    return data, ship, tmp_path / "cache", parsed


def _load(data, cache):
    return serve.load_rules([str(data)], environ={"SSCARD_CACHE_DIR": str(cache)})


def _plain(rules, rid):
    return indexrecords.region_data(rules.region(rid), None, {})


def _rewrite(ship, change):
    header, blobs = shipped._split(ship.read_bytes())
    change(header["shipped"])
    ship.write_bytes(index.join(header, blobs))


def test_the_first_run_reads_the_shipped_index_with_the_installed_paths(install, built):
    data, _, cache, parsed = install
    rules = _load(data, cache)
    assert isinstance(rules, index.IndexedRules) and parsed == []
    truth = store.build([str(data)])
    ids = sorted(r.id for r in truth.all_regions())
    assert [_plain(rules, rid) for rid in ids] == [_plain(truth, rid) for rid in ids]
    files = [rules.region(rid).file for rid in ids] + [s.file for s in rules.all_sources()] + \
            [b.file for b in rules.all_banks()]
    assert files and all(f.startswith(str(data) + os.sep) for f in files if f)
    assert not any(str(built[0]) in f for f in files)
    assert sorted(map(str, rules.problems)) == sorted(map(str, truth.problems))
    # later runs: the copy in the cache folder is an ordinary index, current by its stamp
    parsed.clear()
    again = _load(data, cache)
    assert isinstance(again, index.IndexedRules) and parsed == []


def _same_size_edit(path):
    """One value's digit changed: same size, and the times may not show it (a coarse clock)."""
    text = path.read_bytes()
    at = text.index(b'value = "') + len(b'value = "')
    digit = next(i for i in range(at, len(text)) if text[i:i + 1].isdigit())
    edited = text[:digit] + (b"7" if text[digit:digit + 1] != b"7" else b"8") + text[digit + 1:]
    path.write_bytes(edited)
    return edited[at:edited.index(b'"', at)].decode()


@pytest.mark.parametrize("spoil", ["edit", "extra", "missing", "loose", "link", "module", "python", "format"])
def test_a_shipped_index_that_does_not_match_is_never_served(install, spoil):
    data, ship, cache, parsed = install
    if spoil == "edit":  # same size, new content: only the content can tell
        edited = next(p for p in sorted((data / "regions").glob("*.toml")) if b'value = "' in p.read_bytes())
        stat = edited.stat()
        new = _same_size_edit(edited)
        os.utime(edited, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    elif spoil == "extra":
        (data / "regions" / "zz-extra.toml").write_text("# nothing yet\n", encoding="utf-8")
    elif spoil == "missing":
        sorted((data / "regions").glob("*.toml"))[-1].unlink()
    elif spoil == "loose":
        os.chmod(ship, 0o666)
    elif spoil == "link":
        real = ship.with_name("real.index")
        ship.rename(real)
        ship.symlink_to(real)
    elif spoil == "module":
        _rewrite(ship, lambda s: s["modules"].__setitem__(0, (s["modules"][0][0], 1, 12345)))
    elif spoil == "python":
        _rewrite(ship, lambda s: s.__setitem__("python", [2, 7]))
    elif spoil == "format":
        _rewrite(ship, lambda s: s.__setitem__("format", -1))
    rules = _load(data, cache)
    assert parsed, "the files were not parsed"
    if spoil == "edit":
        values = {i.value.zh for r in rules.all_regions() for items in r.topics.values() for i in items if i.value}
        assert new in values  # the answer comes from the edited file


def test_only_the_bundled_layer_alone_uses_it(install, tmp_path):
    data, _, cache, parsed = install
    other = tmp_path / "mine"
    (other / "regions").mkdir(parents=True)
    serve.load_rules([str(data), str(other)], environ={"SSCARD_CACHE_DIR": str(cache)})
    assert parsed


def test_a_damaged_shipped_index_is_ignored(install):
    data, ship, cache, parsed = install
    ship.write_bytes(ship.read_bytes()[:-10])
    _load(data, cache)
    assert parsed


def test_check_cache_finds_the_adopted_index_equal_to_the_files(install):
    from sscard import cachecheck

    data, _, cache, parsed = install
    environ = {"SSCARD_CACHE_DIR": str(cache)}
    assert isinstance(_load(data, cache), index.IndexedRules) and parsed == []
    problems, compared = cachecheck.compare([str(data)], environ)
    assert problems == [] and compared


def test_a_traditional_name_is_answered_from_the_shipped_index_without_the_converter(install):
    """The shipped index keeps the traditional forms of every name: neither the first run (which
    adopts it) nor a later one (which reads the copy) imports OpenCC for 甲銀行."""
    data, ship, cache, _ = install
    code = ("import sys\nfrom sscard import serve, shipped\nfrom sscard.lookup import find_bank\n"
            f"shipped.shipped_path = lambda: {str(ship)!r}\nserve.bundled_data_dir = lambda: {str(data)!r}\n"
            f"rules = serve.load_rules([{str(data)!r}], environ={{'SSCARD_CACHE_DIR': {str(cache)!r}}})\n"
            "bank, match = find_bank(rules, '甲銀行')\n"
            "print(type(rules).__name__, bank.id, match.how, 'opencc' in sys.modules)\n")
    for _run in ("adopts", "reads the copy"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        assert out.stdout.split() == ["IndexedRules", "alpha", "traditional", "False"]


def test_no_shipped_index_is_built_without_the_converter(tmp_path, monkeypatch):
    """Without OpenCC the traditional forms would be silently empty: the build refuses instead."""
    shutil.copytree(MINI, tmp_path / "data")
    monkeypatch.setitem(sys.modules, "opencc", None)  # import opencc raises ImportError
    with pytest.raises(RuntimeError, match="OpenCC"):
        shipped.build(str(tmp_path / "data"), str(tmp_path / "ship.index"))
    assert not (tmp_path / "ship.index").exists()


def test_the_wheel_build_has_the_converter():
    """The build hook runs in pip's isolated build environment: OpenCC must be a build requirement."""
    config = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    runtime = next(d for d in config["project"]["dependencies"] if d.startswith("opencc"))
    assert runtime in config["build-system"]["requires"]


@pytest.mark.parametrize("kernel", ["refuses", "absent"])
def test_the_copy_is_whole_where_the_kernel_cannot_copy_files(install, monkeypatch, kernel):
    """The blobs go from file to file by copy_file_range, else by hand: the copy is the same."""
    data, _, cache, parsed = install
    if kernel == "refuses":
        def refuse(*args):
            raise OSError(18, "Invalid cross-device link")

        monkeypatch.setattr(os, "copy_file_range", refuse, raising=False)
    else:
        monkeypatch.delattr(os, "copy_file_range", raising=False)
    rules = _load(data, cache)
    assert isinstance(rules, index.IndexedRules) and parsed == []
    truth = store.build([str(data)])
    ids = sorted(r.id for r in truth.all_regions())
    assert [_plain(rules, rid) for rid in ids] == [_plain(truth, rid) for rid in ids]


def test_a_shipped_index_cut_short_while_copied_is_never_served(install, monkeypatch):
    """The header promises more blobs than the file holds when it is copied: nothing is kept."""
    from sscard import cachefiles

    data, ship, cache, parsed = install
    real = cachefiles._copy
    monkeypatch.setattr(cachefiles, "_copy", lambda source, offset, length, out: real(source, offset, length + 1, out))
    _load(data, cache)
    assert parsed  # parsed instead
    assert not [p for p in os.listdir(cache) if p.endswith(".tmp")]


def test_right_after_installing_the_comparison_reads_no_rule_file_again(install, monkeypatch):
    """Files installed a moment ago are hashed before the shipped index is compared with them;
    the comparison takes those hashes instead of reading every file again. (The copy, opened
    like any index, checks them once more: twice in all, not three times.)"""
    from sscard import freshness

    data, _, cache, parsed = install
    read = []
    real = freshness.digest
    monkeypatch.setattr(freshness, "digest", lambda path: read.append(path) or real(path))
    assert isinstance(_load(data, cache), index.IndexedRules) and parsed == []
    rule_files = [p for p in read if p.startswith(str(data) + os.sep)]
    assert rule_files and set(Counter(rule_files).values()) == {2}
