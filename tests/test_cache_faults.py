"""The rules index can only make sscard faster, never different (issue 13, defects 1 and 2)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys

import pytest

from conftest import MINI, installed_script
from sscard.index import IndexedRules, index_path
from sscard.locate import bundled_data_dir
from sscard.serve import load_rules

COARSE_NS = 1_700_000_000 * 10**9  # every rule file shows this time: a clock that ticks rarely


def _mini(tmp_path, name="data"):
    data = tmp_path / name
    shutil.copytree(MINI, data)
    return str(data)


def _env(tmp_path):
    return {"SSCARD_CACHE_DIR": str(tmp_path / "cache")}


def _coarse_stat(monkeypatch, under: str, same_fs: bool = True):
    """os.stat as on a file system whose timestamps do not move within the test."""
    real = os.stat

    def coarse(path, *args, **kwargs):
        st = real(path, *args, **kwargs)
        if not str(path).startswith(under):
            return st
        fields = tuple(st)[:7] + (COARSE_NS // 10**9,) * 3
        return os.stat_result(fields, {"st_atime_ns": COARSE_NS, "st_mtime_ns": COARSE_NS, "st_ctime_ns": COARSE_NS})

    monkeypatch.setattr(os, "stat", coarse)
    try:  # a file made there now shows the same coarse time
        from sscard import cachefiles
    except ImportError:  # (main before issue 13)
        return
    clocks = {real(under).st_dev: COARSE_NS} if same_fs else {}  # else: the cache is on another file system
    monkeypatch.setattr(cachefiles, "clock", lambda folder: clocks)


def _edit_same_size(path: str, old: str, new: str) -> None:
    assert len(old.encode()) == len(new.encode())
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    assert old in text
    with open(path, "w", encoding="utf-8") as handle:  # in place: same inode, same size
        handle.write(text.replace(old, new))


@pytest.mark.parametrize("same_fs", [True, False])
def test_same_tick_same_size_edit_is_seen_on_a_coarse_clock(tmp_path, monkeypatch, same_fs):
    data = _mini(tmp_path)
    rules_file = os.path.join(data, "regions", "river.toml")
    _coarse_stat(monkeypatch, data, same_fs)
    layers = sorted(str(p) for p in tmp_path.glob("data/*/*.toml"))  # each file a layer of its own
    assert rules_file in layers
    first = load_rules(layers, environ=_env(tmp_path))
    assert isinstance(load_rules(layers, environ=_env(tmp_path)), IndexedRules)  # the index is used
    before = {i.value.en for items in first.region("river").topics.values() for i in items if i.value}
    assert "123456" in before
    _edit_same_size(rules_file, '"123456"', '"987654"')
    after = load_rules(layers, environ=_env(tmp_path))
    values = {i.value.en for items in after.region("river").topics.values() for i in items if i.value}
    assert "987654" in values and "123456" not in values


def test_index_of_a_folder_others_can_write_is_not_trusted(tmp_path, cli):
    data = _mini(tmp_path)
    cache = tmp_path / "cache"
    load_rules([data], environ=_env(tmp_path))
    (index,) = [p for p in cache.iterdir() if p.suffix == ".bin"]
    raw = index.read_bytes()
    assert raw.count(b"123456") >= 1
    index.write_bytes(raw.replace(b"123456", b"666666"))  # someone else's crafted answer
    os.chmod(cache, 0o777)
    rules = load_rules([data], environ=_env(tmp_path))
    assert not isinstance(rules, IndexedRules) and rules.notes
    values = {i.value.en for items in rules.region("river").topics.values() for i in items if i.value}
    assert "666666" not in values and "123456" in values


def test_check_cache_compares_what_is_served_with_the_files(seeded_cache, cli, monkeypatch):
    from sscard.indexwrite import index_bytes
    from sscard.model import Text
    from sscard.store import build

    _no_hashing(monkeypatch)
    environ = {"SSCARD_CACHE_DIR": str(seeded_cache)}  # the session's index of the bundled rules
    assert cli("check", "--cache", environ=environ).code == 0
    (index,) = [p for p in seeded_cache.iterdir() if p.suffix == ".bin"]
    # the index rewritten, current by its stamp, but with one of Ningbo's texts changed (records are
    # compressed: a byte edit would only make it unreadable)
    header = IndexedRules(str(index), _Stamp(index), None)._header
    rules = build([line[6:] for line in header["stamp"].splitlines() if line.startswith("layer|")])
    ningbo = rules.rules.regions["ningbo"]
    topic, items = next((t, i) for t, i in ningbo.topics.items() if any("初始密码" in x.text.zh for x in i))
    changed = [x.replace(text=Text(x.text.zh.replace("初始密码", "起始密码"), x.text.en)) for x in items]
    rules.rules.regions["ningbo"] = ningbo.replace(topics={**ningbo.topics, topic: tuple(changed)})
    before = index.stat()
    index.write_bytes(index_bytes(header["stamp"], header["digests"], header["code"], rules))
    os.utime(index, ns=(before.st_atime_ns, before.st_mtime_ns))  # a careful tamperer keeps the times
    r = cli("check", "--cache", environ=environ)
    assert r.code == 4 and "the index serves a different region 'ningbo'" in r.out
    assert "the index serves a different search table" in r.out


class _Stamp:
    """The stamp an index file holds, so it can be opened whatever the files show now."""

    def __init__(self, index) -> None:
        import marshal

        raw = index.read_bytes()
        size = int.from_bytes(raw[13:21], "little")
        self.text = marshal.loads(raw[21:21 + size])["stamp"]


def test_cache_files_are_private_and_written_through_a_fresh_temporary(tmp_path):
    data = _mini(tmp_path)
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    victim = tmp_path / "private.txt"
    victim.write_text("mine")
    target = index_path(str(cache), [data])
    os.symlink(victim, f"{target}.{os.getpid()}.tmp")  # planted at the name a writer once used
    load_rules([data], environ=_env(tmp_path))
    assert victim.read_text() == "mine"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    load_rules([_mini(tmp_path, "other")], environ={"SSCARD_CACHE_DIR": str(tmp_path / "fresh")})
    assert stat.S_IMODE(os.stat(tmp_path / "fresh").st_mode) == 0o700


def test_a_failed_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    data = _mini(tmp_path)

    def full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    assert load_rules([data], environ=_env(tmp_path)).region("river")
    assert [p.name for p in (tmp_path / "cache").iterdir()] == []


def test_old_indexes_are_pruned(tmp_path):
    for n in range(12):  # throwaway --data-dir runs
        load_rules([_mini(tmp_path, f"d{n}")], environ=_env(tmp_path))
    kept = list((tmp_path / "cache").glob("index-*.bin"))
    assert 1 <= len(kept) <= 8 and index_path(str(tmp_path / "cache"), [str(tmp_path / "d11")]) in map(str, kept)


def test_a_fifo_at_the_index_name_neither_hangs_nor_is_read(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    os.mkfifo(index_path(str(cache), [bundled_data_dir()]))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SSCARD_")}
    proc = subprocess.run([installed_script(), "pin", "ningbo"], capture_output=True, text=True,
                          env={**env, "SSCARD_CACHE_DIR": str(cache)}, timeout=30)
    assert proc.returncode == 0 and "Ningbo" in proc.stdout
    assert "ignored the cache file" in proc.stderr


def _no_hashing(monkeypatch):
    """Nothing counts as just written, so no index is rebuilt because the clock moved on (a busy machine)."""
    from sscard import freshness

    monkeypatch.setattr(freshness, "RACY_NS", -1)  # nothing is within a tick of "now"


def test_a_change_to_any_module_the_parse_used_invalidates_the_index(tmp_path, monkeypatch):
    _no_hashing(monkeypatch)
    data = _mini(tmp_path)
    load_rules([data], environ=_env(tmp_path))
    assert isinstance(load_rules([data], environ=_env(tmp_path)), IndexedRules)
    real = os.stat
    changed = os.path.join(os.path.dirname(sys.modules["sscard.loader"].__file__), "tomlines.py")

    def touched(path, *args, **kwargs):
        st = real(path, *args, **kwargs)
        if os.path.abspath(str(path)) != changed:
            return st
        return os.stat_result(tuple(st), {"st_mtime_ns": st.st_mtime_ns + 10**9, "st_ctime_ns": st.st_ctime_ns,
                                          "st_atime_ns": st.st_atime_ns})

    monkeypatch.setattr(os, "stat", touched)
    assert not isinstance(load_rules([data], environ=_env(tmp_path)), IndexedRules)


@pytest.mark.parametrize("garbage", [b"SSCARD-INDEX\n" + (10**12).to_bytes(8, "little"), b"\x00" * 64])
def test_an_insane_index_is_rebuilt_with_a_note(tmp_path, garbage, monkeypatch):
    _no_hashing(monkeypatch)
    data = _mini(tmp_path)
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    target = index_path(str(cache), [data])
    with open(target, "wb") as out:
        out.write(garbage)
    rules = load_rules([data], environ=_env(tmp_path))
    assert rules.region("river") and any("ignored the cache file" in n for n in rules.notes)
    assert isinstance(load_rules([data], environ=_env(tmp_path)), IndexedRules)


def test_files_hashed_while_their_times_were_recent_are_not_hashed_forever(tmp_path, monkeypatch):
    from sscard import cachefiles

    data = _mini(tmp_path)
    dev = os.stat(data).st_dev
    newest = max(max(os.stat(p).st_mtime_ns, os.stat(p).st_ctime_ns) for p in tmp_path.glob("data/*/*.toml"))
    monkeypatch.setattr(cachefiles, "clock", lambda folder: {dev: newest})  # built in the same tick
    load_rules([data], environ=_env(tmp_path))
    assert load_rules([data], environ=_env(tmp_path)).digested  # every file also stamped by content
    monkeypatch.setattr(cachefiles, "clock", lambda folder: {dev: newest + 60 * 10**9})  # a minute on
    monkeypatch.setattr("sscard.serve.build", _no_parse)  # written again without its hashes, not re-parsed
    settled = load_rules([data], environ=_env(tmp_path))
    assert isinstance(settled, IndexedRules) and not settled.digested
    again = load_rules([data], environ=_env(tmp_path))
    assert isinstance(again, IndexedRules) and not again.digested
    assert again.region("river") == settled.region("river") and again.problems == settled.problems


def _no_parse(paths):
    raise AssertionError("parsed the rules again")
