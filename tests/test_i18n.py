"""Every message in the user's language: the catalog is complete and current, and a zh locale gives Chinese."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from sscard import i18n

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "sscard" / "locale" / "zh" / "LC_MESSAGES" / "sscard.po"
CJK = re.compile(r"[\u4e00-\u9fff]")
ZH = {"LANG": "zh_CN.UTF-8"}


def _catalog():
    from babel.messages.pofile import read_po

    with PO.open("rb") as handle:
        return read_po(handle)


def _extracted() -> list:
    from babel.messages.extract import extract_from_dir

    return [(f, n, m) for f, n, m, _c, _x in extract_from_dir(str(ROOT / "sscard"), keywords={"_": None, "N_": None, "Msg": None},
                                                              comment_tags=())]


def test_every_message_has_a_chinese_form():
    catalog = _catalog()
    found = _extracted()
    assert len(found) > 100  # the extraction itself works (a broken keyword list finds nothing)
    missing = [f"{f}:{n}: {m!r}" for f, n, m in found if not (catalog.get(m) and catalog.get(m).string)]
    assert not missing, "messages with no zh form in sscard.po:\n" + "\n".join(missing)


def test_placeholders_survive_translation():
    catalog = _catalog()
    holes = re.compile(r"(?<!\{)\{(\w*)(?:![rsa])?\}(?!\})")
    bad = [m.id for m in catalog if m.id and m.string and set(holes.findall(m.id)) != set(holes.findall(m.string))
           and m.id not in ("{en} ({zh}) is outside the mainland social security card system; sscard covers "
                            "mainland China only", "ask {en}'s own social welfare offices")]
    assert not bad


def test_committed_po_compiles_and_the_installed_catalog_is_current():
    from babel.messages.mofile import write_mo
    import gettext
    import io

    catalog = _catalog()
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    fresh = gettext.GNUTranslations(io.BytesIO(buffer.getvalue()))
    shipped = Path(i18n.LOCALE_DIR) / "zh" / "LC_MESSAGES" / "sscard.mo"
    assert shipped.exists(), "no compiled catalog: reinstall with pip install -e '.[test]'"
    with shipped.open("rb") as handle:
        installed = gettext.GNUTranslations(handle)
    for message in catalog:
        if message.id:
            assert installed.gettext(message.id) == fresh.gettext(message.id) == message.string, message.id


def test_english_runs_open_no_catalog(cli):
    import sys

    assert cli("pin", "nowhere").code == 1
    assert i18n._catalog is None and i18n.language() == "en"
    assert "gettext" not in sys.modules or i18n._catalog is None


# Every kind of message a user can trigger, under a zh locale and no flags.
TRIGGERS = [
    ("pin", "nowhere"),                      # not found, suggestions
    ("pin", "suzhou"),                       # ambiguous
    ("pin", "ningbo", "--bank", "nobank"),   # bank not found
    ("pin", "ningbo", "--bank", "农商行"),    # a kind of bank
    ("pin", "宁波", "海南"),                   # extra argument (usage)
    ("pin",),                                # missing argument
    ("pin", "ningbo", "--nope"),             # no such option
    ("pin", "ningbo", "--format", "x"),      # invalid value
    ("nosuchcommand",),                      # no such command
    ("pin", "香港"),                          # outside the mainland
    ("pin", "ningbo", "--id", "123"),        # --id error
    ("show", "ningbo", "--all"),             # REGION and --all
    ("pin", ""),                             # empty name
    ("check", "/no/such/path"),              # no such file
]


@pytest.mark.parametrize("argv", TRIGGERS, ids=" ".join)
def test_messages_are_chinese_under_a_zh_locale(cli, argv):
    r = cli(*argv, environ=ZH)
    assert r.code != 0 and r.err
    for line in r.err.splitlines():
        if line.strip():
            assert CJK.search(line), (argv, line)
    _no_english_sentence(r.err)


def _chinese_lines(text: str) -> list:
    """Every non-empty line of text, each checked to be Chinese (no English-only line)."""
    lines = [line for line in text.splitlines() if line.strip()]
    for line in lines:
        assert CJK.search(line), line
    _no_english_sentence(text)
    return lines


# A data layer with one of each defect `sscard check` reports, and entries discovery names.
BROKEN = {
    "regions/brk.toml": (
        '[region]\nid = "brk"\nlevel = "city"\nparent = "zhejiang"\nname = { zh = "坏市", en = "Brk" }\n'
        'aliases = ["宁\u200b波", "Ningbо"]\nbanks = ["nobank"]\nfoo = 1\n\n'
        '[[pin]]\npart = "social"\naspect = "initail"\nzh = "x"\nsource = "nosuch"\n\n'
        '[[pin]]\npart = "query"\naspect = "initial"\nvalue = "1"\nzh = "a"\nen = "a"\nsource = "s1"\n\n'
        '[[pin]]\npart = "query"\naspect = "initial"\nvalue = "1"\nzh = "b"\nen = "b"\nsource = "s2"\n\n'
        '[[lost]]\npart = "online"\naspect = "hotline"\nzh = "c"\nen = "c"\n'
        'sources = [{ id = "s1" }, { id = "s1", extra = 1 }]\nderive = "nope"\n\n'
        '[[nosuchtopic]]\nzh = "d"\n'),
    "regions/many.toml": (
        '[[regions]]\nid = "dup"\nlevel = "city"\nparent = "nowhere"\nname = { zh = "重一", en = "Dup" }\n\n'
        '[[regions.pin]]\npart = "social"\naspect = "initial"\nzh = "x"\nen = "x"\nsource = "nosuch"\nbank = "ccbx"\n\n'
        '[[regions]]\nid = "dup"\nlevel = "city"\nparent = "zhejiang"\nname = { zh = "重二", en = "Dup2" }\n\n'
        '[[pin]]\nzh = "y"\n'),
    "sources/t.toml": '[s1]\nseed = "x"\ntitle = "t"\ndate = "2020"\ngrade = "A"\n',
    "regions/other-name.toml": '[region]\nid = "Bad_Id"\nlevel = "town"\nparent = "brk"\nname = "x"\n',
    "regions/syntax.toml": "a = \n",
    "regions/unclosed.toml": 'a = [1, 2\n',
    "regions/bom.toml": "\ufeffa = 1\n",
    "regions/nul.toml": "a = 1\0\n",
    "regions/gbk.toml": "a = 1\n\udcff",
    "regions/X.TOML": "",
    "sources/s.toml": '[s1]\ntitle = "t"\ndate = "2020-1"\ngrade = "D"\n\n[s2]\nseed = "x"\ntitle = "t"\ndate = "2020"\n'
                      'grade = "A"\n[s2.bad]\n',
    "banks/b.toml": '[Bad]\nname = { zh = "乙" }\nhotline = "1"\n',
    "Region/x.toml": "",
    "stray.toml": "",
}


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    root = tmp_path_factory.mktemp("broken")
    for name, text in BROKEN.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(text.encode("utf-8", "surrogateescape"))
    os.mkfifo(root / "regions" / "fifo.toml")
    os.symlink(root / "stray.toml", root / "regions" / "link.toml")
    return root


def test_check_problems_are_chinese_under_a_zh_locale_with_their_places(cli, broken):
    zh = cli("check", str(broken), environ=ZH)
    en = cli("check", str(broken))
    assert zh.code == en.code == 4
    lines = _chinese_lines(zh.out + zh.err)
    where = [line.split(": ", 1)[0] for line in zh.out.splitlines()]
    assert where == [line.split(": ", 1)[0] for line in en.out.splitlines()]  # the same FILE:LINE, in order
    assert all(z != e for z, e in zip(zh.out.splitlines(), en.out.splitlines()))  # each message translated
    assert len(where) >= 40 and len(lines) == len(where) + 1, zh.out  # every planted defect, and the summary
    assert not CJK.search(re.sub(r"'[^']*'", "", en.out))  # English when no locale says otherwise


def test_a_lookup_on_broken_data_reports_in_chinese(cli, broken, monkeypatch):
    from sscard import index, indexwrite

    assert cli("pin", "ningbo", "--data-dir", str(broken)).code == 4  # parses, and writes the index
    served = []
    monkeypatch.setattr(indexwrite, "write_index", lambda *args: served.append("written again"))
    real = index.IndexedRules.__init__
    monkeypatch.setattr(index.IndexedRules, "__init__", lambda self, *a: real(self, *a) or served.append("index"))
    r = cli("pin", "ningbo", "--data-dir", str(broken), environ=ZH)
    assert r.code == 4 and served == ["index"]  # the problems as the index keeps them: message ids
    lines = _chinese_lines(r.err)
    assert sum(1 for line in lines if ".toml:" in line) >= 10  # the problems, from the index, with places


BATCH = "\n".join([
    '{"topic": "pin", "region": ',            # not JSON
    "[" * 0 + '{"topic": "pin"}',             # no region
    '"pin"',                                  # not a query
    '{"a": ' * 2000 + "1" + "}" * 2000,       # nested too deeply
    '["pin"]',                                # not a query
    'pin "ningbo',                            # cannot split
    "pin ningbo --id -",                      # --id - in a batch
    '{"topic": "lost", "region": "ningbo", "id": "1"}',  # --id on another topic
    "x" * 70000,                              # over-long line
    "pin nowhere",                            # not found
    "pin suzhou",                             # ambiguous
    "pin chongqin",                           # a typo taken (a note on stderr)
]) + "\n"


@pytest.mark.parametrize("fmt", ["plain", "json"])
def test_batch_line_errors_are_chinese_under_a_zh_locale(cli, fmt):
    r = cli("batch", "--format", fmt, stdin=BATCH, environ=ZH)
    assert r.code == 2
    records = [line for line in r.out.split("\n\n" if fmt == "plain" else "\n") if line.strip()]
    assert len(records) == 12
    errors = records[:-1]
    messages = [json.loads(e)["message"] for e in errors] if fmt == "json" else errors
    for message in messages:
        assert CJK.search(message.split("'")[0]), message  # Chinese before any quoted input
    _no_english_sentence("\n".join(messages))
    _chinese_lines(r.err)
    assert "第 12 行" in r.err


def test_cache_notes_are_chinese_under_a_zh_locale(cli, seeded_cache):
    cache = seeded_cache
    assert cli("pin", "ningbo", environ={"SSCARD_CACHE_DIR": str(cache)}).code == 0
    (index,) = cache.glob("index-*.bin")
    index.write_bytes(b"not an index at all")
    damaged = cli("pin", "ningbo", environ={**ZH, "SSCARD_CACHE_DIR": str(cache)})
    assert damaged.code == 0 and "sscard" in damaged.err
    _chinese_lines(damaged.err)
    checked = cli("check", "--cache", environ={**ZH, "SSCARD_CACHE_DIR": str(cache)})
    assert checked.code == 0
    _chinese_lines(checked.err)
    cache.chmod(0o777)
    unsafe = cli("pin", "ningbo", environ={**ZH, "SSCARD_CACHE_DIR": str(cache)})
    assert unsafe.code == 0 and str(cache) in unsafe.err
    _chinese_lines(unsafe.err)
    refused = cli("check", "--cache", environ={**ZH, "SSCARD_CACHE_DIR": str(cache)})
    assert refused.code == 4 and str(cache) in refused.out
    _chinese_lines(refused.out + refused.err)
    assert "not yours alone" in cli("check", "--cache", environ={"SSCARD_CACHE_DIR": str(cache)}).out


def _no_english_sentence(text: str) -> None:
    """No run of four or more English words outside quotes and names in brackets."""
    stripped = re.sub(r"'[^']*'|\([^()]*\)|\{[^{}]*\}|\[[^\[\]]*\]|--?[\w-]+|sscard \w+", "", text)
    assert not re.search(r"\b[A-Za-z]+(?: [A-Za-z]+){3,}\b", stripped), text


def test_a_typo_note_is_chinese(cli):
    r = cli("lost", "chongqin", environ=ZH)
    assert r.code == 0 and CJK.search(r.err) and "模糊匹配" in r.err


def test_no_rules_points_to_12333_and_the_banks_hotline(cli, bundled):
    place = next(r for r in bundled.all_regions() if r.level == "city" and not _has_path_topic(bundled, r, "apply"))
    r = cli("apply", "id:" + place.id, "--bank", "ccb", environ=ZH)
    assert r.code == 1 and "12333" in r.err and "95533" in r.err and CJK.search(r.err)
    en = cli("apply", "id:" + place.id, "--bank", "ccb")
    assert en.code == 1 and "12333" in en.err and "95533" in en.err and not CJK.search(en.err.split("(")[0])


def _has_path_topic(rules, region, topic) -> bool:
    from sscard.lookup import ancestry

    return any(topic in r.topics for r in ancestry(rules, region))


def test_help_is_chinese_under_a_zh_locale(cli):
    r = cli("--help", environ=ZH)
    assert r.code == 0 and "用法" in r.out and "选项" in r.out and "显示此帮助并退出" in r.out
    sub = cli("pin", "--help", environ=ZH)
    assert "社保卡的密码" in sub.out and "只看这家银行的卡" in sub.out
    assert "Show this message" in cli("pin", "--help").out  # and back to English without the locale


def test_lang_flag_beats_the_locale_both_ways(cli):
    assert CJK.search(cli("pin", "nowhere", "--lang", "zh").err)
    assert CJK.search(cli("pin", "nowhere", "--lang=zh").err)
    assert CJK.search(cli("pin", "nowhere", environ={"SSCARD_LANG": "zh"}).err)
    assert not CJK.search(cli("pin", "nowhere", "-l", "en", environ=ZH).err.splitlines()[0])


def test_errors_as_json_on_stdout(cli):
    r = cli("pin", "nowhere", "--format", "json")
    data = json.loads(r.out)
    assert r.code == 1 and data["error"] == "not-found" and data["exit_code"] == 1
    assert data["message"] in r.err and data["hint"]
    zh = json.loads(cli("pin", "nowhere", "-f", "json", environ=ZH).out)
    assert CJK.search(zh["message"])


def test_ambiguous_json_carries_structured_candidates(cli):
    r = cli("pin", "suzhou", "-f", "json")
    data = json.loads(r.out)
    assert r.code == 3 and data["exit_code"] == 3
    ids = {c["id"] for c in data["candidates"]}
    assert {"suzhou", "suzhou-anhui"} <= ids
    anhui = next(c for c in data["candidates"] if c["id"] == "suzhou-anhui")
    assert anhui["name"]["zh"] == "宿州市" and anhui["province"]["id"] == "anhui"


def test_usage_errors_as_json(cli):
    r = cli("pin", "--format=json")
    data = json.loads(r.out)
    assert r.code == 2 and data["error"] == "usage" and "REGION" in data["message"]


def test_installed_script_help_is_chinese(sscard):
    r = sscard("--help", environ=ZH)
    assert r.code == 0 and "用法" in r.out and "社会保障卡" in r.out
    r = sscard("pin", "nowhere", "--format", "json", environ=ZH)
    assert r.code == 1 and CJK.search(json.loads(r.out)["message"])
