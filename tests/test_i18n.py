"""Every message in the user's language: the catalog is complete and current, and a zh locale gives Chinese."""

from __future__ import annotations

import json
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
