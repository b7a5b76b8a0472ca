"""The library API, called as a user of the package would."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import sscard
from conftest import MINI


def test_the_readme_one_liner(bundled_index):
    out = subprocess.run([sys.executable, "-c", "import sscard; print(sscard.open_rules().answer('pin', '宁波', "
                          "bank='建行').to_dict()['region']['id'])"], capture_output=True, text=True, check=True)
    assert out.stdout == "ningbo\n"


def test_import_pays_for_nothing_until_used():
    code = "import sys, sscard; print(sorted(m for m in sys.modules if m.startswith('sscard')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "['sscard']\n"


def test_open_rules_lays_folders_over_the_bundled_rules(tmp_path):
    (tmp_path / "regions").mkdir()
    (tmp_path / "regions" / "ningbo.toml").write_text('[region]\nid = "ningbo"\naliases = ["甬城测试"]\n', encoding="utf-8")
    book = sscard.open_rules([tmp_path], use_cache=False)  # the layers are the subject, not the index
    assert book.problems == []
    assert book.find_region("甬城测试")[0].id == "ningbo"


def test_answer_search_and_render():
    from sscard.api import RuleBook
    from sscard.store import build

    book = RuleBook(build([MINI]))
    found = book.answer("pin", "river", bank="alpha")
    assert isinstance(found, sscard.Answer)
    assert [k.value.en for k in found.key_facts] == ["123456", "955000"]
    assert json.loads(sscard.render(found, "json"))["region"]["id"] == "river"
    assert sscard.render(found, "plain", lang="zh").startswith("key\triver\triver\tpin\tsocial\t-\tinitial\t123456\t")
    hits = book.search("955000")
    assert hits and hits[0].region_id == "river"
    assert [h.region_id for h in book.search("123456", region="river")] == ["river"]
    region, match = book.find_region("河")
    assert (region.id, match.how) == ("river", "name")


def test_render_header_names_the_plain_columns(cli):
    book = sscard.open_rules()  # the session's index (test_errors_are_the_public_family parses, use_cache=False)
    found = book.answer("pin", "ningbo", bank="ccb")
    plain = sscard.render(found, "plain")
    with_header = sscard.render(found, "plain", header=True)
    first, rest = with_header.split("\n", 1)
    assert rest == plain and first not in plain
    assert all(row.count("\t") == first.count("\t") for row in plain.splitlines())
    assert first.split("\t")[0] == "kind" and "citations" in first.split("\t")  # the README's contract
    assert cli("pin", "ningbo", "--bank", "ccb", "--header").out.splitlines()[0] == first
    assert sscard.render(found, "plain", lang="zh", header=True).split("\n", 1)[0] == first  # ids, both languages
    with pytest.raises(sscard.UsageError):
        sscard.render(found, "json", header=True)


def test_errors_are_the_public_family():
    book = sscard.open_rules(use_cache=False)
    with pytest.raises(sscard.NotFound) as caught:
        book.answer("pin", "qqqqqqqq")
    assert isinstance(caught.value, sscard.SscardError) and int(caught.value.exit_code) == 1
    with pytest.raises(sscard.UsageError):
        sscard.render(book.answer("pin", "ningbo"), "yaml")
    with pytest.raises(sscard.UsageError):
        sscard.open_rules(["/no/such/folder"])


def test_version_and_unknown_names():
    assert sscard.__version__.count(".") >= 1
    with pytest.raises(AttributeError):
        sscard.no_such_thing  # noqa: B018
