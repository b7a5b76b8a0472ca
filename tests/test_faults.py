"""Trustworthy under faults (issue 13): every rule-folder entry read or named, no ID echoed,
bounded inputs, no exit 70 from outside, inert invisible characters."""

from __future__ import annotations

import io
import json
import os
import resource
import shutil
import signal
import subprocess

import pytest

from conftest import MINI, installed_script
from sscard.main import run
from sscard.output import Env
from sscard.safe import clean

ID = "330203199003071232"  # a valid resident ID number (check digit and date)
CACHE = {}


@pytest.fixture(autouse=True)
def _subprocess_cache(shared_cache):
    """The session's index for this module's subprocess runs too (each would otherwise parse the bundled rules)."""
    CACHE["dir"] = str(shared_cache)


def _script(*args, stdin=None, env=None, shell=None, limit_memory=False, timeout=30, **kwargs):
    """The installed console script, or a shell line running it as $SSCARD."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SSCARD_", "LC_", "LANG"))}
    base.update({"SSCARD_CACHE_DIR": CACHE["dir"], "SSCARD": installed_script(), **(env or {})})

    def cap():  # 1.5 GB of address space: reading a 2 GB file whole would fail
        resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))

    command = ["bash", "-c", shell] if shell else [installed_script(), *args]
    return subprocess.run(command, input=stdin, capture_output=True, env=base, timeout=timeout,
                          preexec_fn=cap if limit_memory else None, **kwargs)


# 3. Every file in a rules folder is used or named.

@pytest.fixture(autouse=True)
def _parsed(monkeypatch):
    """In-process runs here write no index: none of these tests is about the cache, each layer is
    looked up once or twice, and a first lookup answers from the parsed files anyway (subprocess
    runs keep the session's cache, through _script)."""
    monkeypatch.setenv("SSCARD_CACHE_DIR", "")


def _layer(tmp_path):
    data = tmp_path / "rules"
    shutil.copytree(MINI, data)
    return data


def test_every_entry_that_is_not_read_is_named(tmp_path, cli):
    data = _layer(tmp_path)
    shutil.copy(data / "regions" / "river.toml", data / "river.toml")  # outside the layer folders
    for folder in ("Regions", "regoins", "region"):
        (data / folder).mkdir()
    shutil.copy(data / "regions" / "river.toml", data / "regions" / "delta.TOML")
    os.symlink(data / "nowhere", data / "regions" / "gone.toml")
    os.mkfifo(data / "regions" / "pipe.toml")
    named = ["river.toml", "Regions", "regoins", "region", "delta.TOML", "gone.toml", "pipe.toml"]
    r = cli("check", "--data-dir", str(data))
    assert r.code == 4
    reported = [line for line in r.out.splitlines() if "not read" in line]
    assert sorted(os.path.basename(line.split(":")[0]) for line in reported) == sorted(named)
    looked_up = cli("pin", "river", "--data-dir", str(data))
    assert looked_up.code == 0
    warned = [line.split("warning: ", 1)[1].split(":")[0] for line in looked_up.err.splitlines() if "warning: " in line]
    assert sorted(os.path.basename(path) for path in warned) == sorted(named)


def test_a_folder_that_cannot_be_listed_is_named(tmp_path, cli, monkeypatch):
    data = _layer(tmp_path)
    locked = str(data / "regions")
    real_listdir, real_scandir = os.listdir, os.scandir

    def refuse(real):
        def call(path=".", *args):
            if os.path.abspath(os.fspath(path)) == locked:
                raise PermissionError(13, "Permission denied", locked)
            return real(path, *args)
        return call

    monkeypatch.setattr(os, "listdir", refuse(real_listdir))  # as for chmod 000 (root ignores modes)
    monkeypatch.setattr(os, "scandir", refuse(real_scandir))
    r = cli("check", "--data-dir", str(data))
    assert r.code == 4 and f"{locked}:1: cannot read folder" in r.out


def test_check_on_a_folder_of_rule_files_validates_them(tmp_path, cli):
    data = _layer(tmp_path)
    (data / "regions" / "broken.toml").write_text("[region\nid = 1\n", encoding="utf-8")
    r = cli("check", str(data / "regions"))
    assert r.code == 4 and "broken.toml:1: TOML syntax error" in r.out
    empty = tmp_path / "nothing-here"
    empty.mkdir()
    assert cli("check", str(empty)).code == 4


# 4. The resident ID never appears in full.

def test_an_id_typed_where_it_does_not_belong_is_never_echoed(tmp_path):
    routes = [
        _script("pin", ID),
        _script("pin", "ningbo", "--bank", ID),
        _script("pin", "ningbo", ID),  # Click's "unexpected extra argument"
        _script("batch", stdin=f"pin nowhere --id {ID}\n{ID}\n".encode()),
        _script("batch", stdin=json.dumps({"topic": "pin", "region": ID}).encode() + b"\n"),
    ]
    for proc in routes:
        assert proc.returncode in (1, 2)
        assert ID not in proc.stdout.decode() + proc.stderr.decode()
        assert ID[:17] not in proc.stdout.decode() + proc.stderr.decode()


def test_id_on_a_batch_line_is_applied_or_refused_never_ignored(cli):
    r = cli("batch", stdin=f"pin ningbo --bank boc --id {ID}\npin ningbo --bank boc --id -\n")
    first, second = [json.loads(line) for line in r.out.splitlines()]
    derived = [i for i in first["items"] if i["derive"]]
    assert derived and derived[0]["value"]["en"] == ID[11:17]
    assert second["error"] == "usage" and "--id -" in second["message"]
    assert ID not in r.out + r.err


# 5. Bounded before work; no single line ends a batch; whole records on interrupt.

def test_deep_dotted_key_is_a_problem_not_a_crash(tmp_path, cli):
    data = _layer(tmp_path)
    (data / "regions" / "deep.toml").write_text('[region]\nid = "deep"\n' + ".".join(["a"] * 500) + " = 1\n",
                                                encoding="utf-8")
    for command in (("check", "--data-dir", str(data)), ("pin", "river", "--data-dir", str(data))):
        r = cli(*command)
        assert r.code == 4 and "deep.toml" in r.out + r.err


def test_size_is_checked_before_reading(tmp_path):
    big = tmp_path / "rules" / "regions"
    big.mkdir(parents=True)
    with open(big / "huge.toml", "wb") as out:
        out.truncate(2 * 2**30)  # sparse: costs no disk, but 2 GB to whoever reads it
    proc = _script("check", str(big / "huge.toml"), limit_memory=True)
    assert proc.returncode == 4 and b"over the 1048576-byte limit" in proc.stdout


@pytest.mark.parametrize("target", ["/dev/zero", "fifo"])
def test_a_device_or_fifo_is_never_read_as_a_rule_file(tmp_path, target):
    if target == "fifo":
        target = str(tmp_path / "pipe.toml")
        os.mkfifo(target)
    proc = _script("check", target, limit_memory=True, timeout=20)
    assert proc.returncode == 4 and b"not read" in proc.stdout


def test_no_single_batch_line_ends_the_batch(cli):
    lines = ["[" * 3000, '{"a":' * 3000, "pin ningbo " + "x" * 100_000, "lost ningbo"]
    r = cli("batch", stdin="\n".join(lines) + "\n")
    records = [json.loads(line) for line in r.out.splitlines()]
    assert [rec.get("error") for rec in records] == ["usage", "usage", "usage", None]
    assert "characters" in records[2]["message"] and "not read" in records[2]["message"]
    assert records[3]["topic"] == "lost"


class _SlowReader(io.StringIO):
    """stdout whose reader is slow: Ctrl-C arrives while a record is half written."""

    encoding = "utf-8"

    def write(self, text):
        half = len(text) // 2
        super().write(text[:half])
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(1000):  # the interpreter runs handlers between these steps
            pass
        return super().write(text[half:]) + half


def test_interrupted_batch_ends_on_a_whole_record():
    out = _SlowReader()
    code = run(["batch"], Env(stdout=out, stderr=io.StringIO(), environ=dict(os.environ),
                              stdin=io.StringIO("show ningbo\n" * 50)))
    assert code == 130
    text = out.getvalue()
    assert text.endswith("\n") and all(json.loads(line) for line in text.splitlines())


# 6. No exit 70 from outside.

@pytest.mark.parametrize("shell, code, said", [
    ('"$SSCARD" pin ningbo >&-', 74, b"could not be written"),
    ('"$SSCARD" pin ningbo > /dev/full', 74, b"could not be written"),
    ('"$SSCARD" pin ningbo --bank boc --id - <&-', 2, b"no ID number"),
    ('"$SSCARD" pin shanxii 2> /dev/full', 3, b""),  # ambiguous: exit 3 even with nowhere to say so
    ('COLUMNS=99999999999999999999 LINES=-3 "$SSCARD" pin ningbo --format rich', 0, b""),
    ('SSCARD_TODAY=²⁰²⁶-01-01 SSCARD_LANG=ℤℍ "$SSCARD" pin ningbo', 0, b""),
])
def test_outside_faults_get_one_documented_status(shell, code, said):
    proc = _script(shell=shell)
    assert proc.returncode == code
    assert b"Traceback" not in proc.stderr and b"Exception ignored" not in proc.stderr
    assert said in proc.stderr and len(proc.stderr.splitlines()) <= 3


def test_a_huge_terminal_width_is_clamped():
    proc = _script("pin", "ningbo", "--format", "rich", env={"COLUMNS": "1000000"})
    assert proc.returncode == 0 and len(proc.stdout) < 200_000


def test_a_relative_data_path_entry_is_refused(tmp_path):
    (tmp_path / "rel").mkdir()
    proc = _script("pin", "ningbo", env={"SSCARD_DATA_PATH": "rel"}, cwd=tmp_path)
    assert proc.returncode == 2 and b"relative" in proc.stderr


# 8. Text hygiene.

@pytest.mark.parametrize("ch", ["\u061c", "\u200b", "\u200d", "\u2060", "\u00ad", "\u180e"])
def test_invisible_characters_are_removed(ch):
    assert clean(f"95{ch}533") == "95533"


def test_check_reports_look_alike_aliases(tmp_path, cli):
    data = _layer(tmp_path)
    hill = data / "regions" / "hill.toml"
    text = hill.read_text(encoding="utf-8")
    assert "aliases" not in text.split("[[")[0]
    head, rest = text.split("\n", 1)
    hill.write_text(head + '\naliases = ["Rivеr", "Riv\u200ber"]\n' + rest, encoding="utf-8")  # Cyrillic е
    r = cli("check", "--data-dir", str(data))
    assert r.code == 4 and "looks like a name of river" in r.out and "mixes Latin" in r.out
    assert "invisible character U+200B" in r.out


def test_a_gbk_argument_gets_a_hint_naming_the_encoding():
    proc = _script("pin", "宁波".encode("gbk"))
    assert proc.returncode == 2 and "宁波".encode() in proc.stderr and b"encoding" in proc.stderr


def test_json_is_utf8_whatever_the_stdout_encoding():
    proc = _script("pin", "ningbo", "--format", "json", env={"PYTHONIOENCODING": "utf-16"})
    assert proc.returncode == 0 and json.loads(proc.stdout.decode("utf-8"))["region"]["id"] == "ningbo"


def test_id_from_a_terminal_is_asked_for_without_echo():
    import pexpect

    env = {k: v for k, v in os.environ.items() if not k.startswith(("SSCARD_", "LC_", "LANG"))}
    child = pexpect.spawn(installed_script(), ["pin", "ningbo", "--bank", "boc", "--id", "-", "--format", "plain"],
                          env={**env, "SSCARD_CACHE_DIR": CACHE["dir"]}, timeout=30, encoding="utf-8")
    child.expect_exact("ID number (not shown): ")
    child.sendline(ID)
    child.expect(pexpect.EOF)
    transcript = child.before
    child.close()
    assert child.exitstatus == 0 and ID[11:17] in transcript and ID not in transcript
