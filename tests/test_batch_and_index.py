"""Batch mode, and the on-disk index: never stale, never fatal."""

from __future__ import annotations

import json
import os
import shutil

from conftest import MINI, plain_rows
from sscard.index import MAGIC, IndexedRules
from sscard.serve import load_rules


def test_batch_answers_each_line_and_goes_on_after_errors(cli):
    stdin = ('pin ningbo --bank ccb\n'
             '\n# comments and blank lines are skipped\n'
             '{"topic": "lost", "region": "重庆"}\n'
             'pin nowhere-at-all\n'
             'this is not a query\n'
             'pin shanxii\n'
             'show neijiang\n')
    r = cli("batch", stdin=stdin)
    lines = [json.loads(line) for line in r.out.splitlines()]
    assert [(d.get("topic"), d.get("error"), d["line"]) for d in lines] == [
        ("pin", None, 1), ("lost", None, 4), (None, "not-found", 5), (None, "usage", 6), (None, "ambiguous", 7),
        (None, None, 8),
    ]
    assert any(i["value"] and i["value"]["en"] == "955330" for i in lines[0]["items"])
    assert [t["topic"] for t in lines[5]["topics"]][:2] == ["pin", "activate"]
    assert lines[2]["exit_code"] == 1 and lines[3]["exit_code"] == 2 and lines[4]["exit_code"] == 3
    assert r.code == 1  # the first failed line's exit code


def test_batch_all_good_exits_0_and_plain_blocks(cli):
    r = cli("batch", "--format", "plain", stdin="pin ningbo --bank ccb\ncontacts ningbo\n")
    assert r.code == 0 and "\x1b" not in r.out
    assert r.err == ""  # nothing for a script on stderr: the reading-the-terminal hint is for a person
    blocks = r.out.rstrip("\n").split("\n\n")  # one block of plain rows per query
    assert [{(row["place"], row["topic"]) for row in plain_rows(b)} for b in blocks] == [
        {("ningbo", "pin")}, {("ningbo", "contacts")}]


def _copy_data(tmp_path):
    """The small fixture rules (tests/data/mini): what the index promises does not depend on the data's size."""
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    return str(data)


def test_index_is_used_then_rebuilt_when_a_file_changes(tmp_path, monkeypatch):
    from sscard import freshness

    # Files just copied are hashed; once the clock moves on (a slow parse on a busy machine),
    # the index is rebuilt once without the hashes. Hash nothing, so the second load is the index.
    monkeypatch.setattr(freshness, "RACY_NS", -1)  # nothing is within a tick of "now"
    data = _copy_data(tmp_path)
    env = {"SSCARD_CACHE_DIR": str(tmp_path / "cache")}
    first = load_rules([data], environ=env)
    assert not isinstance(first, IndexedRules)  # parsed, and the index written
    second = load_rules([data], environ=env)
    assert isinstance(second, IndexedRules)
    assert second.region("river").topics == first.region("river").topics
    path = os.path.join(data, "regions", "river.toml")
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text.replace('value = "123456"', 'value = "123450"'))
    third = load_rules([data], environ=env)
    assert not isinstance(third, IndexedRules)
    assert third.region("river").topics["pin"][0].value.en == "123450"


def test_corrupt_or_truncated_index_falls_back_to_parsing(tmp_path):
    data = _copy_data(tmp_path)
    env = {"SSCARD_CACHE_DIR": str(tmp_path / "cache")}
    load_rules([data], environ=env)
    (index,) = (tmp_path / "cache").iterdir()
    raw = index.read_bytes()
    index.write_bytes(raw[: len(raw) // 2])
    assert load_rules([data], environ=env).region("river").name.zh == "河市"
    index.write_bytes(b"\x00" * 100)
    assert load_rules([data], environ=env).region("river").name.zh == "河市"


def test_damaged_blob_mid_lookup_falls_back(tmp_path):
    data = _copy_data(tmp_path)
    env = {"SSCARD_CACHE_DIR": str(tmp_path / "cache")}
    load_rules([data], environ=env)
    (index,) = (tmp_path / "cache").iterdir()
    raw = bytearray(index.read_bytes())
    blobs = len(MAGIC) + 8 + int.from_bytes(raw[len(MAGIC):len(MAGIC) + 8], "little")
    raw[blobs:] = b"\xff" * (len(raw) - blobs)  # a sound header, then every blob garbage: any answer is the files'
    index.write_bytes(bytes(raw))
    rules = load_rules([data], environ=env)
    assert isinstance(rules, IndexedRules)  # the damage shows only when a lookup reads a blob
    names = {r.id for r in rules.all_regions()}
    assert names == {"land", "hill", "river", "rivermouth"} and rules.region("river").name.en == "River"
    assert rules.bank("alpha").name.en == "Alpha Bank"


def test_unwritable_cache_dir_still_answers(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    rules = load_rules([MINI], environ={"SSCARD_CACHE_DIR": str(blocker / "cache")})
    assert rules.region("river").name.en == "River"


def test_batch_says_a_guessed_or_former_name_on_stderr_with_its_line(cli):
    r = cli("batch", stdin="pin ningbo\npin chongqin\nlost 襄樊\npin chongqin\n")
    assert r.code == 0
    assert r.err.splitlines() == [
        "sscard: line 2: region 'chongqin' taken as chongqing (重庆市 / Chongqing) (fuzzy match, score 94)",
        "sscard: line 3: region '襄樊': 襄樊市 was renamed 襄阳市 (Xiangyang) in 2010",
        "sscard: line 4: region 'chongqin' taken as chongqing (重庆市 / Chongqing) (fuzzy match, score 94)",
    ]
    assert [json.loads(line)["match"]["how"] for line in r.out.splitlines()] == ["name", "fuzzy", "former", "fuzzy"]
