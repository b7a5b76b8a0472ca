"""Rich answers kept as rendered and replayed from the cache folder (sscard.renderers.replay):
byte for byte what Rich renders now, never another answer's text, never from a file we cannot
vouch for, rendered again when the rules or the code change."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from conftest import installed_script
from test_layers import CCB_OVERRIDE, LOCAL_SOURCE
from sscard import cachefiles
from sscard.lookup import answer, show
from sscard.model import Text
from sscard.renderers import replay
from sscard.renderers.rich import render_rich

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover
    from hashlib import blake2b


def _kept(folder) -> list:
    return sorted(name for name in os.listdir(folder) if name.startswith("answer-") and name.endswith(".txt"))


def _path(folder, answers, lang, width, color) -> str:
    return replay.entry_path(str(folder), blake2b(replay.key(answers, lang, width, color), digest_size=32).hexdigest())


@pytest.fixture
def renders(monkeypatch):
    """Counts the renders Rich does for replay (a hit does none)."""
    done = []
    real = replay._fresh

    def counted(*args):
        done.append(args)
        return real(*args)

    monkeypatch.setattr(replay, "_fresh", counted)
    return done


CASES = {
    "pin, one bank": (lambda rules: [answer(rules, "pin", "ningbo", "ccb")], "en", 80, True),
    "pin, Chinese, no colour": (lambda rules: [answer(rules, "pin", "宁波")], "zh", 100, False),
    "show: key facts table": (lambda rules: show(rules, "ningbo"), "en", 64, True),
    "narrow, folded": (lambda rules: [answer(rules, "lost", "chongqing")], "zh", 20, True),
}


@pytest.mark.parametrize("case", CASES)
def test_a_kept_answer_is_byte_identical_to_a_fresh_render(bundled, tmp_path, renders, case):
    make, lang, width, color = CASES[case]
    answers = make(bundled)
    fresh = render_rich(answers, lang, width=width, color=color)
    folder = tmp_path / "cache"
    assert replay.render_rich(answers, lang, str(folder), width=width, color=color) == fresh
    assert len(renders) == 1 and len(_kept(folder)) == 1
    assert replay.render_rich(answers, lang, str(folder), width=width, color=color) == fresh
    assert len(renders) == 1  # the second came from the file


def test_every_input_that_changes_the_bytes_has_an_entry_of_its_own(bundled, tmp_path, renders, monkeypatch):
    ccb = [answer(bundled, "pin", "ningbo", "ccb")]
    item = ccb[0].items[0]
    edited = [ccb[0].replace(items=(item.replace(text=Text(item.text.zh, item.text.en + "!")),
                                    *ccb[0].items[1:]))]
    variants = [(ccb, "en", 80, True), (ccb, "zh", 80, True), (ccb, "en", 81, True), (ccb, "en", 80, False),
                ([answer(bundled, "pin", "ningbo", "boc")], "en", 80, True),
                ([answer(bundled, "pin", "hangzhou")], "en", 80, True), (edited, "en", 80, True)]
    folder = str(tmp_path / "cache")
    for _ in range(2):  # kept, then replayed: each variant its own bytes
        for answers, lang, width, color in variants:
            assert replay.render_rich(answers, lang, folder, width=width, color=color) == render_rich(
                answers, lang, width=width, color=color)
    assert len(renders) == len(variants) == len(_kept(folder))
    before = replay.key(ccb, "en", 80, True)
    monkeypatch.setenv("UNICODE_VERSION", "9.0.0")  # Rich reads it for cell widths
    assert replay.key(ccb, "en", 80, True) != before


def test_the_key_holds_every_environment_variable_rich_reads():
    import rich

    read = set()
    for path in Path(rich.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        read |= set(re.findall(r"""(?:environ\.get|getenv|environ\[)\(?\s*["']([A-Za-z_][A-Za-z0-9_]*)["']""", text))
    assert "NO_COLOR" in read  # the pattern finds Rich's reads
    assert read - set(replay.RICH_ENVIRON) == set()


def test_an_entry_under_another_answers_name_is_not_served(bundled, tmp_path, renders):
    ningbo, hangzhou = [answer(bundled, "pin", "ningbo", "ccb")], [answer(bundled, "pin", "hangzhou")]
    folder = tmp_path / "cache"
    replay.render_rich(ningbo, "en", str(folder))
    shutil.copy(_path(folder, ningbo, "en", 80, True), _path(folder, hangzhou, "en", 80, True))
    assert replay.render_rich(hangzhou, "en", str(folder)) == render_rich(hangzhou, "en")
    assert len(renders) == 2


def _damage_body(path):
    data = Path(path).read_bytes()
    Path(path).write_bytes(data[:-1] + (b"X" if data[-1:] != b"X" else b"Y"))


def _truncate(path):
    data = Path(path).read_bytes()
    Path(path).write_bytes(data[: len(data) // 2])


def _code_changed(path):
    """A recorded module of Rich's with another size: as after an upgrade of Rich."""
    data = Path(path).read_bytes()
    changed = re.sub(rb"(/rich/console\.py\t)(\d+)", lambda m: m.group(1) + str(int(m.group(2)) + 1).encode(), data)
    assert changed != data
    Path(path).write_bytes(changed)


def _ours_code_changed(path):
    data = Path(path).read_bytes()
    changed = re.sub(rb"(/sscard/renderers/common\.py\t\d+\t)(\d+)",
                     lambda m: m.group(1) + str(int(m.group(2)) + 1).encode(), data)
    assert changed != data
    Path(path).write_bytes(changed)


def test_a_changed_message_catalog_renders_a_chinese_answer_again(bundled, tmp_path, renders):
    """The labels of a Chinese answer come from the compiled catalog, not a module: it is recorded too."""
    answers = [answer(bundled, "pin", "ningbo", "ccb")]
    folder = tmp_path / "cache"
    replay.render_rich(answers, "zh", str(folder))
    path = _path(folder, answers, "zh", 80, True)
    data = Path(path).read_bytes()
    changed = re.sub(rb"(/LC_MESSAGES/sscard\.mo\t)(\d+)", lambda m: m.group(1) + str(int(m.group(2)) + 1).encode(),
                     data)
    assert changed != data  # the catalog is recorded in the entry
    Path(path).write_bytes(changed)
    assert replay.render_rich(answers, "zh", str(folder)) == render_rich(answers, "zh")
    assert len(renders) == 2


def _loose(path):
    os.chmod(path, 0o666)


def _link(path):
    target = str(path) + ".elsewhere"
    os.replace(path, target)
    os.symlink(target, path)


def _oversized(path):
    with open(path, "ab") as handle:
        handle.truncate(replay.MAX_ANSWER_BYTES + 10)


@pytest.mark.parametrize("spoil", [_damage_body, _truncate, _code_changed, _ours_code_changed, _loose, _link,
                                   _oversized])
def test_an_entry_we_cannot_vouch_for_is_rendered_again(bundled, tmp_path, renders, spoil):
    if spoil in (_loose, _link) and os.name != "posix":
        pytest.skip("POSIX permissions and links")
    answers = [answer(bundled, "pin", "ningbo", "ccb")]
    folder = tmp_path / "cache"
    fresh = replay.render_rich(answers, "en", str(folder))
    path = _path(folder, answers, "en", 80, True)
    spoil(path)
    assert replay.render_rich(answers, "en", str(folder)) == fresh
    assert len(renders) == 2
    assert replay.render_rich(answers, "en", str(folder)) == fresh  # kept afresh (over a link: as a file)
    assert len(renders) == 2
    assert not os.path.islink(path)


def test_entries_are_pruned_apart_from_the_indexes(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    for n in range(3):
        (folder / f"index-{n:08x}.bin").write_bytes(b"i")
    prefix, suffix, most, _ = cachefiles.ANSWERS
    for n in range(most + 5):
        path = folder / f"{prefix}{n:032x}{suffix}"
        path.write_bytes(b"a")
        os.utime(path, (1_000_000 + n, 1_000_000 + n))
    keep = str(folder / f"{prefix}{0:032x}{suffix}")  # the oldest, just written: kept
    cachefiles.prune(str(folder), keep=keep, kind=cachefiles.ANSWERS)
    kept = _kept(folder)
    assert len(kept) == most and os.path.basename(keep) in kept
    assert f"{prefix}{1:032x}{suffix}" not in kept  # the least recently used went first
    assert len(list(folder.glob("index-*.bin"))) == 3
    cachefiles.prune(str(folder))  # pruning the indexes leaves the answers alone
    assert len(_kept(folder)) == most


def test_new_cache_files_are_private_and_unpredictable(tmp_path):
    made = [cachefiles.new_file(str(tmp_path), "answer-x.") for _ in range(3)]
    for fd, _ in made:
        os.close(fd)
    paths = {path for _, path in made}
    assert len(paths) == 3 and all(os.path.basename(p).startswith("answer-x.") for p in paths)
    if os.name == "posix":
        assert {os.stat(p).st_mode & 0o777 for p in paths} == {0o600}


def _run(args, cache, **environ):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SSCARD_", "LC_", "LANG"))}
    env.update({"SSCARD_CACHE_DIR": str(cache), "COLUMNS": "72", **environ})
    proc = subprocess.run([installed_script(), *args], capture_output=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _without_answers(cache: Path, to: Path) -> Path:
    """A copy of a cache folder holding its indexes but no kept answer (so the copy renders afresh
    without parsing the rules again)."""
    shutil.copytree(cache, to, ignore=shutil.ignore_patterns("answer-*"))
    return to


def test_a_later_run_replays_an_earlier_runs_bytes(tmp_path, seeded_cache):
    """Across processes (and hash seeds) the key is the same: one entry, the same bytes."""
    args = ["pin", "宁波", "--bank", "建行", "--format", "rich"]
    other = _without_answers(seeded_cache, tmp_path / "other")
    first = _run(args, seeded_cache, PYTHONHASHSEED="1")
    assert len(_kept(seeded_cache)) == 1
    assert _run(args, seeded_cache, PYTHONHASHSEED="2") == first
    assert len(_kept(seeded_cache)) == 1
    assert _kept(other) == []
    assert _run(args, other, PYTHONHASHSEED="3") == first  # rendered afresh elsewhere
    assert b"\x1b[" in first and "955330".encode() in first


LOCAL = {"sources/local.toml": LOCAL_SOURCE, "regions/ningbo.toml": CCB_OVERRIDE}  # the layer tests' local rules


def test_an_answer_is_rendered_again_when_the_rules_change(tmp_path, cli, renders, monkeypatch):
    """In-process (the across-process case is the test above): this process has parsed the bundled
    files already, so each load of the layer parses only the layer. The kept answers are the
    subject, not the index: no index is written, so each run parses (the answers are the same)."""
    from sscard import indexwrite

    monkeypatch.setattr(indexwrite, "write_index", lambda *args: None)
    layer = tmp_path / "local"
    for relative, text in LOCAL.items():
        (layer / relative).parent.mkdir(parents=True, exist_ok=True)
        (layer / relative).write_text(textwrap.dedent(text), encoding="utf-8")
    args = ["pin", "ningbo", "--bank", "ccb", "--data-dir", str(layer), "--format", "rich"]

    def run(cache):
        r = cli(*args, environ={"SSCARD_CACHE_DIR": str(cache), "COLUMNS": "72"})
        assert r.code == 0, r.err
        return r.out

    first = run(tmp_path / "cache")
    assert "123123" in first and run(tmp_path / "cache") == first and len(renders) == 1
    rules = layer / "regions" / "ningbo.toml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("123123", "321321"), encoding="utf-8")
    after = run(tmp_path / "cache")
    assert "321321" in after and "123123" not in after and len(renders) == 2
    fresh = _without_answers(tmp_path / "cache", tmp_path / "fresh")  # the same folder, no answer
    assert after == run(fresh) and len(_kept(fresh)) == 1 and len(renders) == 3
    assert len(_kept(tmp_path / "cache")) == 2


def test_an_answer_worked_out_from_an_id_is_never_kept(seeded_cache):
    from test_id_pin import VALID

    _run(["pin", "ningbo", "--bank", "boc", "--id", VALID, "--format", "rich"], seeded_cache)
    assert _kept(seeded_cache) == []
    _run(["pin", "ningbo", "--bank", "boc", "--format", "rich"], seeded_cache)
    assert len(_kept(seeded_cache)) == 1


def test_no_cache_folder_renders_every_time(bundled, tmp_path, renders, cli):
    answers = [answer(bundled, "pin", "ningbo", "ccb")]
    (tmp_path / "file").write_text("not a folder")
    assert replay.render_rich(answers, "en", str(tmp_path / "file")) == render_rich(answers, "en")
    assert len(renders) == 1
    r = cli("pin", "ningbo", "--bank", "ccb", "--format", "rich", environ={"SSCARD_CACHE_DIR": ""})
    assert r.code == 0 and "955330" in r.out and len(renders) == 1  # no folder: not through replay at all
