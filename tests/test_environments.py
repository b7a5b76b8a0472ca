"""Odd environments through the installed console script: terminals, encodings, signals, no HOME."""

from __future__ import annotations

import json
import os
import shutil
import re
import select
import signal
import subprocess

from conftest import installed_script

COLOUR = re.compile(r"\x1b\[[0-9;]*(3[0-7]|9[0-7]|38;)")


def _shared_cache() -> str:
    """The session's index cache (tests/conftest.py): these tests are about terminals, not the cache."""
    return os.environ["SSCARD_CACHE_DIR"]


def _on_pty(args, env_extra: dict, tmp_path, columns: int = 100) -> str:
    """Run sscard with stdout on a pseudo-terminal; return what it printed."""
    import fcntl
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SSCARD_", "COLUMNS", "NO_COLOR"))}
    env.update({"SSCARD_CACHE_DIR": _shared_cache(), "TERM": "xterm-256color", **env_extra})
    proc = subprocess.Popen([installed_script(), *args], stdout=slave, stderr=subprocess.PIPE, env=env, cwd=tmp_path)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            break
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=30) == 0, proc.stderr.read()
    return b"".join(chunks).decode("utf-8", "replace")


def test_terminal_gets_rich_output_with_colour(tmp_path):
    out = _on_pty(["pin", "宁波", "--bank", "建行"], {}, tmp_path)
    assert "╭" in out and "955330" in out and COLOUR.search(out)


def test_no_color_keeps_layout_drops_colour(tmp_path):
    out = _on_pty(["pin", "ningbo", "--bank", "ccb"], {"NO_COLOR": "1"}, tmp_path)
    assert "╭" in out and "955330" in out and not COLOUR.search(out)


def test_dumb_terminal_gets_plain_text(tmp_path):
    out = _on_pty(["pin", "ningbo", "--bank", "ccb"], {"TERM": "dumb"}, tmp_path)
    assert "╭" not in out and "\x1b" not in out and "\tbank\tccb\tinitial\t955330\t" in out


def test_narrow_terminal_folds_but_keeps_key_values_whole(tmp_path):
    out = _on_pty(["contacts", "宁波", "--lang", "zh"], {"COLUMNS": "40"}, tmp_path, columns=40)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert "0574-83865114" in plain and "0574-87292000" in plain and "ylzx@zjnb.lss.gov.cn" in plain
    assert max(len(line) for line in plain.splitlines()) <= 40 * 2  # CJK cells are double width


def test_ascii_latin1_and_gbk_stdout_degrade_without_traceback(tmp_path):
    for encoding in ("ascii", "latin-1", "gbk"):
        env = {**os.environ, "PYTHONIOENCODING": encoding, "SSCARD_CACHE_DIR": _shared_cache()}
        proc = subprocess.run([installed_script(), "show", "ningbo"], capture_output=True, env=env)
        out = proc.stdout.decode(encoding)
        assert proc.returncode == 0 and b"Traceback" not in proc.stderr and "955330" in out, encoding
        if encoding == "gbk":
            assert "宁波市" in out


def test_json_stays_valid_utf8_on_a_non_utf8_stdout(sscard, tmp_path):
    script = installed_script()
    for encoding in ("ascii", "latin-1", "gbk"):
        env = {**os.environ, "PYTHONIOENCODING": encoding, "SSCARD_CACHE_DIR": _shared_cache()}
        raw = subprocess.run([script, "pin", "ningbo", "-f", "json"], capture_output=True, env=env).stdout
        data = json.loads(raw.decode("utf-8"))
        assert data["region"]["name"]["zh"] == "宁波市", encoding


def test_no_home_directory_still_answers(tmp_path, seeded_cache):
    # the user data and state folders are found without HOME; the cache folder is named by
    # XDG_CACHE_HOME (holding the session's index), so the test writes nothing into a real home
    xdg = tmp_path / "xdg"
    xdg.mkdir()
    shutil.copytree(seeded_cache, xdg / "sscard")
    (index,) = (xdg / "sscard").glob("index-*.bin")
    os.utime(index, (1_000_000_000, 1_000_000_000))  # a lookup served from it marks it used
    env = {k: v for k, v in os.environ.items() if k not in ("HOME", "XDG_DATA_HOME", "XDG_STATE_HOME")
           and not k.startswith("SSCARD_")}
    env["XDG_CACHE_HOME"] = str(xdg)
    proc = subprocess.run([installed_script(), "pin", "ningbo"], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=60)
    assert proc.returncode == 0 and "000000" in proc.stdout and "Traceback" not in proc.stderr
    assert [p.name for p in (xdg / "sscard").glob("index-*.bin")] == [index.name]
    assert index.stat().st_mtime > 1_000_000_000  # the index under XDG_CACHE_HOME is the one that answered


def test_ctrl_c_exits_130_without_traceback(tmp_path):
    env = {**os.environ, "SSCARD_CACHE_DIR": _shared_cache()}
    proc = subprocess.Popen([installed_script(), "batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, text=True)
    proc.stdin.write("pin ningbo --bank ccb\n")
    proc.stdin.flush()
    ready, _, _ = select.select([proc.stdout], [], [], 30)
    assert ready and '"955330"' in proc.stdout.readline()  # batch answers each line at once
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 130
    err = proc.stderr.read()
    assert "Traceback" not in err and "interrupted" in err
