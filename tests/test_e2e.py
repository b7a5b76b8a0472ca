"""End to end: the installed console script in a subprocess, from outside the checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import installed_script, plain_facts


def test_readme_lookup_prints_ningbo_ccb_pin(sscard):
    r = sscard("pin", "ningbo", "--bank", "ccb")
    assert r.code == 0, r.err
    assert "\x1b" not in r.out
    assert [(f["value"], f["citations"].split(" § ")[0]) for f in plain_facts(r.out, bank="ccb", aspect="initial")] == [
        ("955330", "seed-002")]


def test_header_names_columns_a_shell_pipeline_can_pick(shared_cache):
    """The README's Plain output example: the header names the columns awk picks by name."""
    script = installed_script()
    pick = ("NR==1 {for (i = 1; i <= NF; i++) col[$i] = i; next} "
            "$col[\"kind\"] == \"fact\" && $col[\"bank\"] == \"ccb\" {print $col[\"value\"] \"|\" $col[\"citations\"]}")
    proc = subprocess.run(["bash", "-c", f"'{script}' pin ningbo --bank ccb --header | awk -F'\\t' '{pick}'"],
                          capture_output=True, text=True, encoding="utf-8",
                          env={**os.environ, "SSCARD_CACHE_DIR": str(shared_cache)})
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout.startswith("955330|seed-002 § ") and proc.stdout.count("\n") == 1


def test_json_is_valid_and_names_the_region(sscard):
    r = sscard("pin", "宁波", "--bank", "建行", "--format", "json")
    data = json.loads(r.out)
    assert data["region"]["id"] == "ningbo" and data["bank"]["id"] == "ccb"


def test_python_dash_m_works(tmp_path, shared_cache):
    proc = subprocess.run([sys.executable, "-m", "sscard", "lost", "chongqing"], capture_output=True, text=True,
                          encoding="utf-8", cwd=tmp_path, env={**os.environ, "SSCARD_CACHE_DIR": str(shared_cache)})
    assert proc.returncode == 0 and "12333" in proc.stdout


def test_errors_go_to_stderr_with_their_exit_codes(sscard):
    assert (lambda r: (r.code, r.out))(sscard("pin", "qqqqqqqq")) == (1, "")
    assert (lambda r: (r.code, r.out))(sscard("pin")) == (2, "")
    assert (lambda r: (r.code, r.out))(sscard("pin", "shanxii")) == (3, "")


def test_closed_pipe_ends_quietly(shared_cache):
    script = installed_script()
    proc = subprocess.run(f"'{script}' show neijiang --format plain | head -1", shell=True, capture_output=True,
                          text=True, encoding="utf-8", env={**os.environ, "SSCARD_CACHE_DIR": str(shared_cache)})
    assert proc.stdout.startswith("context\tneijiang\tneijiang\tpin\t-\t-\torigin\t") and proc.stdout.count("\n") == 1
    assert proc.stderr == ""


def test_ascii_only_stdout_degrades_without_traceback(sscard):
    r = sscard("pin", "ningbo", environ={"PYTHONIOENCODING": "ascii"})
    assert r.code == 0 and "Traceback" not in r.err and "000000" in r.out


def test_broken_bundled_cache_is_rebuilt(sscard, seeded_cache):
    cache = seeded_cache  # an index of its own, already written
    first = sscard("pin", "ningbo", environ={"SSCARD_CACHE_DIR": str(cache)})
    indexes = list(cache.glob("index-*.bin"))
    assert indexes, "the first run wrote no index"
    for cached in indexes:
        cached.write_bytes(b"SSCARD-INDEX\n" + b"\xff" * 64)  # our magic, then garbage
    second = sscard("pin", "ningbo", environ={"SSCARD_CACHE_DIR": str(cache)})
    assert first.out == second.out and second.code == 0 and "Traceback" not in second.err
    # the damaged file was the one read: it is named, and written again whole
    assert f"ignored the cache file {indexes[0]}" in second.err and "rebuilt it" in second.err
    assert all(not cached.read_bytes().endswith(b"\xff" * 64) for cached in indexes)


def test_unwritable_cache_still_answers(sscard):
    r = sscard("pin", "ningbo", environ={"SSCARD_CACHE_DIR": "/proc/sscard-cannot-write-here"})
    assert r.code == 0 and "000000" in r.out


def test_search_through_the_console_script(sscard):
    r = sscard("search", "锁定", "--region", "宁波")
    assert r.code == 0 and r.out.startswith("ningbo Ningbo (宁波市) · PINs · lock: 6 |")
    data = json.loads(sscard("search", "0574 12333", "--format", "json").out)
    assert data["hits"][0]["region"] == "ningbo" and data["hits"][0]["item"]["value"]["en"] == "0574-12333"
    none = sscard("search", "qqqqzzzz")
    assert (none.code, none.out) == (1, "") and "nothing matches 'qqqqzzzz'" in none.err


def test_show_all_markdown_booklet_through_the_console_script(sscard):
    r = sscard("show", "--all", "--format", "markdown")
    assert r.code == 0 and "# Ningbo (宁波市)" in r.out and "## Key facts" in r.out


def test_hostile_command_line_text_is_quoted_inert(sscard):
    r = sscard("pin", "\x1b[31mred\u202e[bold]x[/bold]")
    assert r.code in (1, 3) and r.out == ""
    assert "\x1b" not in r.err and "\u202e" not in r.err and "\\x1b[31mred" in r.err


def test_hostile_rule_text_is_inert_in_every_format(sscard, tmp_path):
    layer = tmp_path / "hostile"
    (layer / "regions").mkdir(parents=True)
    (layer / "regions" / "evil.toml").write_text(
        '[region]\nid = "evil"\nlevel = "city"\nparent = "zhejiang"\n'
        'name = { zh = "恶\\u001b[2J市", en = "[bold]Evil[/bold] :smile:" }\n\n'
        '[[pin]]\npart = "social"\naspect = "initial"\nvalue = "\\u202e123456"\n'
        'zh = "\\u001b]0;pwned\\u0007初始"\nen = "[link=http://x.invalid]click[/link]"\nsource = "seed-002"\n',
        encoding="utf-8")
    for fmt in ("plain", "json", "markdown", "rich"):
        r = sscard("pin", "evil", "--data-dir", str(layer), "--format", fmt)
        assert r.code == 0, (fmt, r.err)
        assert "\x1b]0" not in r.out and "\x1b[2J" not in r.out and "\u202e" not in r.out and "\x07" not in r.out
        if fmt == "json":
            assert "\\u001b" not in r.out and json.loads(r.out)["region"]["name"]["en"] == "[bold]Evil[/bold] :smile:"
        else:
            assert "[bold]Evil[/bold] :smile:" in r.out or fmt == "markdown"
