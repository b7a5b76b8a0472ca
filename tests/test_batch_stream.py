"""Batch input read in raw chunks and answers written in chunks: the same records, never a wait."""

from __future__ import annotations

import io
import json
import os
import select
import subprocess

import pytest

from conftest import installed_script
from sscard.batch import Answers
from sscard.batchio import MAX_LINE
from sscard.main import run
from sscard.output import Env

ID = "11010519491231002X"  # the standard's own example number
AWKWARD = b"".join([
    b"pin ningbo --bank ccb\n",
    b"pin ningbo --bank ccb\n",  # the same line: a kept answer
    b"pin  \xe5\xae\x81\xe6\xb3\xa2   --bank ccb\r\n",  # the same query spelt otherwise, CRLF
    b"\n   \n# a comment\n",
    b"lost chongqin\n",  # a guess, said on stderr each time
    b"lost chongqin\n",
    b"pin nowhere-at-all\n",
    b"pin nowhere-at-all\n",
    b"pin nin\xffgbo\n",  # not UTF-8
    b'{"topic": "contacts", "region": "neijiang"}\n',
    b'{"topic": "pin"\n',
    b"pin ningbo --bank boc --id " + ID.encode() + b"\n",
    b"pin " + b"x" * (MAX_LINE - 4) + b"\n",  # exactly MAX_LINE characters: read
    b"pin " + b"x" * (MAX_LINE - 3) + b"\n",  # one more: not read
    "pin 宁".encode() + "波".encode() * MAX_LINE + b"\n",  # far over, in multi-byte characters
    b"faq ningbo",  # the last line without a newline
])


def _script(stdin: bytes, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    return subprocess.run([installed_script(), "batch", *args], input=stdin, capture_output=True, env=env,
                          timeout=120)


def _in_process(stdin: bytes, *args: str):
    out, err = io.StringIO(), io.StringIO()
    text = stdin.decode("utf-8", "replace")
    code = run(["batch", *args], Env(stdout=out, stderr=err, environ=dict(os.environ),
                                     stdin=io.StringIO(text, newline="\n")))
    return code, out.getvalue().encode("utf-8"), err.getvalue().encode("utf-8")


@pytest.mark.parametrize("fmt", ["json", "plain"])
def test_raw_reads_answer_exactly_as_line_reads(fmt):
    proc = _script(AWKWARD, "--format", fmt)
    code, out, err = _in_process(AWKWARD, "--format", fmt)
    assert proc.returncode == code != 0
    assert proc.stdout == out
    assert proc.stderr.splitlines() == err.splitlines()
    assert ID.encode() not in proc.stdout + proc.stderr
    if fmt == "json":
        records = [json.loads(line) for line in proc.stdout.splitlines()]
        assert [r["line"] for r in records] == [1, 2, 3, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]
        assert records[0]["items"] == records[1]["items"] == records[2]["items"]
        read, *not_read = records[-4:-1]
        assert "not read" not in read["message"]  # exactly MAX_LINE characters: read (and refused as a name)
        assert all("not read" in r["message"] for r in not_read)


def test_forgetting_kept_answers_changes_no_record(monkeypatch):
    lines = b"".join(AWKWARD.splitlines(keepends=True)[:12]) * 3
    _, kept_out, _ = _in_process(lines)
    monkeypatch.setattr(Answers, "BUDGET", 1)
    _, forgetful_out, _ = _in_process(lines)
    assert forgetful_out == kept_out


def test_an_answer_is_written_before_waiting_for_a_half_written_line():
    proc = subprocess.Popen([installed_script(), "batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        os.write(proc.stdin.fileno(), b"pin ningbo --bank ccb\nlost ning")  # the second line half written
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        assert ready and b'"line":1}' in proc.stdout.readline()
        os.write(proc.stdin.fileno(), b"bo\n")
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        assert ready and b'"line":2}' in proc.stdout.readline()
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
        proc.wait()
