"""The use cases are pure: inputs and an environment in, a Result out; only the runner writes."""

from __future__ import annotations

import contextlib
import io
import os

from sscard import commands, runner
from sscard.output import Env


class Unwritable(io.StringIO):
    def write(self, text):  # a use case that wrote would fail here
        raise AssertionError(f"a use case wrote: {text!r}")


def _env(**environ):
    return Env(stdout=Unwritable(), stderr=Unwritable(), environ={**os.environ, **environ}, stdin=io.StringIO())


def test_a_topic_returns_its_answer_and_notes_and_writes_nothing():
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
        result = commands.topic(_env(), name="lost", region="chongqin", format="plain")
    assert captured.getvalue() == ""
    assert result.code == 0 and result.error is None
    assert "\tlost\t" in result.body and "12333" in result.body
    assert any("chongqing" in note for note in result.notes)  # the guessed name, said once by the runner


def test_a_failure_is_a_result_with_its_error_and_exit_code():
    result = commands.topic(_env(), name="pin", region="nowhere-at-all-xyz", format="json")
    assert result.code == 1 and result.body == "" and result.error.to_dict()["error"] == "not-found"


def test_check_gives_its_report_and_status_without_raising(tmp_path):
    bad = tmp_path / "regions"
    bad.mkdir()
    (bad / "x.toml").write_text("not toml [", encoding="utf-8")
    result = commands.check(_env(), paths=[str(tmp_path)])
    assert result.code == 4 and "x.toml" in result.body and result.notes


def test_the_runner_writes_a_result_once_notes_first():
    out, err = io.StringIO(), io.StringIO()
    env = Env(stdout=out, stderr=err, environ=dict(os.environ))
    runner.write(commands.Result("body\n", ["a note"], 0), env)
    assert out.getvalue() == "body\n" and err.getvalue() == "sscard: a note\n"
