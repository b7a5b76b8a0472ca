"""sscard shell: scripted lines, completion, history, and a real pseudo-terminal session."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pexpect
import pytest
from prompt_toolkit.document import Document

from sscard.output import Env
from sscard.shell import (
    NameTable,
    RedactedMemoryHistory,
    ShellCompleter,
    history_path,
    open_history,
    redact,
    run_shell,
    split_partial,
)


def script(text: str, **environ):
    """Run the shell on lines from a pipe: (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    env = Env(stdout=out, stderr=err, stdin=io.StringIO(text), environ={**os.environ, **environ})
    return run_shell(env), out.getvalue(), err.getvalue()


# -- lines from a pipe (no terminal, no prompt_toolkit) ----------------------------------


def test_piped_lines_run_like_the_commands():
    status, out, err = script("pin ningbo --bank ccb\nlost chongqin\nexit\n")
    assert status == 0
    assert "955330" in out and "12333" in out
    assert "fuzzy match" in err and "chongqing" in err
    assert "sscard>" not in out + err  # no prompt when not on a terminal


def test_output_is_exactly_that_of_the_command(cli):
    _, out, err = script("pin ningbo --bank ccb --format json\n")
    direct = cli("pin", "ningbo", "--bank", "ccb", "--format", "json")
    assert direct.code == 0 and out == direct.out and err == direct.err


def test_exit_quit_and_end_of_input_leave():
    for line in ("exit", "quit"):
        status, out, _ = script(f"{line}\npin ningbo --bank ccb\n")
        assert status == 0 and "955330" not in out
    assert script("")[0] == 0


def test_prefix_comments_blank_lines_and_help():
    status, out, err = script("\n# a comment\nsscard pin ningbo --bank ccb\nhelp\n?\n")
    assert status == 0 and err == ""
    assert "955330" in out
    assert out.count("Commands (as on the command line") == 2
    assert "pin ningbo --bank ccb" in out and "Ctrl-D" in out


def test_errors_do_not_end_the_session():
    status, out, err = script("pin 'ningbo\nnosuchcommand\nshell\npin ningbo --bank ccb\n")
    assert status == 0
    assert "cannot split the line" in err
    assert "no such command: 'nosuchcommand'" in err
    assert "already running" in err
    assert "955330" in out


def test_help_for_one_command_is_its_help_page():
    _, out, _ = script("help pin\n")
    assert "--bank" in out and "REGION" in out


# -- completion -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def completer():
    from sscard.locate import bundled_data_dir
    from sscard.store import build

    return ShellCompleter(build([bundled_data_dir()]).completion_names())


def complete(completer, text: str) -> list:
    return [c.text for c in completer.get_completions(Document(text), None)]


def test_first_word_completes_commands(completer):
    assert complete(completer, "pi") == ["pin"]
    assert complete(completer, "sscard lo") == ["lost"]
    assert {"pin", "lost", "show", "search", "exit", "help"} <= set(complete(completer, ""))
    assert "shell" not in complete(completer, "s")
    offered = complete(completer, "help s")
    assert {"search", "show"} <= set(offered) and all(name.startswith("s") for name in offered)


def test_regions_complete_in_pinyin_chinese_and_english(completer):
    assert {"ningbo", "ningde", "ningxia"} <= set(complete(completer, "pin ning"))
    assert {"宁波市", "宁德市"} <= set(complete(completer, "pin 宁"))
    assert complete(completer, "lost NINGB") == ["ningbo"]
    assert complete(completer, "show 宁波") == ["宁波市"]
    assert complete(completer, "show 宁波市") == ["宁波市"]
    assert "chongqing" in complete(completer, "search 锁定 --region chong")
    assert complete(completer, "pin 'ningb") == ["ningbo"]  # an open quote is part of the word


def test_completion_replaces_the_word_and_describes_the_place(completer):
    [found] = completer.get_completions(Document("pin ningb"), None)
    assert found.text == "ningbo" and found.start_position == -5
    assert found.display_meta_text == "宁波市 / Ningbo"


def test_banks_choices_and_options_complete(completer):
    assert "ccb" in complete(completer, "pin ningbo --bank ")
    assert "ccb" in complete(completer, "pin ningbo -b c")
    assert complete(completer, "pin ningbo --bank 建") == ["建行"]
    assert complete(completer, "pin ningbo --format ") == ["rich", "plain", "json", "markdown"]
    assert complete(completer, "pin ningbo --lang ") == ["zh", "en"]
    assert complete(completer, "pin ningbo --format=j") == ["--format=json"]
    options = complete(completer, "pin ningbo --bank ccb --")
    assert "--format" in options and "--id" in options and "--bank" not in options
    assert complete(completer, "cities --a") == ["--all"]
    assert complete(completer, "nosuchcommand ") == []


def test_name_table_matching_rules():
    table = NameTable([["ningbo", "宁波市", "Ningbo", ["甬"]], ["xian", "西安市", "Xi'an", []],
                       ["boc", "中国银行", "Bank of China", ["中行"]]])
    assert table.complete("甬") == [("甬", "宁波市 / Ningbo")]
    assert [v for v, _ in table.complete("xi")] == ["xian"]
    assert [v for v, _ in table.complete("Xi'a")] == ["xian"]  # a name that needs quoting offers its id
    assert [v for v, _ in table.complete("bank of")] == ["boc"]  # spaces ignored, id offered
    assert [v for v, _ in table.complete("宁波县")] == ["宁波市"]  # with another suffix
    assert table.complete("zzz") == []


def test_split_partial_reads_quotes_like_shlex():
    assert split_partial("pin ningbo --bank c") == (["pin", "ningbo", "--bank"], "c", 18)
    assert split_partial("pin ") == (["pin"], "", 4)
    assert split_partial('search "a b" --region "chong') == (["search", "a b", "--region"], "chong", 22)


# -- history ------------------------------------------------------------------------------


def test_history_lives_in_the_state_directory(tmp_path):
    assert history_path({"SSCARD_STATE_DIR": str(tmp_path)}) == str(tmp_path / "history")
    assert history_path({"SSCARD_STATE_DIR": ""}) is None
    err = io.StringIO()
    history = open_history(Env(stderr=err, environ={"SSCARD_STATE_DIR": str(tmp_path / "new")}))
    history.append_string("pin ningbo --id 11010519491231002X")
    saved = (tmp_path / "new" / "history").read_text(encoding="utf-8")
    assert "pin ningbo --id ******************" in saved and "1101" not in saved
    assert err.getvalue() == ""


def test_history_falls_back_to_memory_when_it_cannot_be_written(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    err = io.StringIO()
    history = open_history(Env(stderr=err, environ={"SSCARD_STATE_DIR": str(blocker / "state")}))
    assert isinstance(history, RedactedMemoryHistory)
    assert err.getvalue().count("history is kept for this session only") == 1


def test_ctrl_c_just_after_enter_interrupts_that_line_without_a_traceback():
    """A SIGINT that prompt_toolkit delivers once the prompt has ended (Ctrl-C pressed just after
    Enter) must not exit an application no longer running (its own handler raised and printed a
    traceback); it marks the line as interrupted. While the prompt waits, it ends the prompt."""
    from prompt_toolkit.keys import Keys

    from sscard.shell import interrupt_keys

    late: list = []
    (binding,) = interrupt_keys(late).get_bindings_for_keys((Keys.SIGINT,))

    class App:
        def __init__(self, future):
            self.future, self.exits = future, []

        def exit(self, **kwargs):
            if self.future is None:
                raise AssertionError("exit() on an application that is not running")
            self.exits.append(kwargs)

    class Event:
        def __init__(self, app):
            self.app = app

    class Pending:
        def done(self):
            return False

    ended = App(None)
    binding.handler(Event(ended))
    assert late == [True] and ended.exits == []
    late.clear()
    waiting = App(Pending())
    binding.handler(Event(waiting))
    assert late == [] and waiting.exits == [{"exception": KeyboardInterrupt, "style": "class:aborting"}]


def test_redact_stars_out_id_and_card_numbers():
    assert redact("pin ningbo --id=11010519491231002X") == "pin ningbo --id=******************"
    assert redact("pin ningbo --id -") == "pin ningbo --id -"
    assert redact("search 6222021234567890123") == "search *******************"
    assert redact("search 95533") == "search 95533"


# -- a real terminal --------------------------------------------------------------------


SPAWN = "from sscard.shell import run_shell; from sscard.output import Env; import sys; sys.exit(run_shell(Env()))"


@pytest.fixture
def terminal(tmp_path, seeded_cache):
    """Start the shell on a pseudo-terminal; yields a function that starts one session (its cache
    holds the session's index already: these tests are about the terminal, not the first run)."""
    if sys.platform == "win32":
        pytest.skip("pseudo-terminals are POSIX-only")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SSCARD_", "LC_", "LANG", "COLUMNS", "LINES"))}
    env.update(SSCARD_CACHE_DIR=str(seeded_cache), SSCARD_STATE_DIR=str(tmp_path / "state"),
               TERM="xterm", NO_COLOR="1", PROMPT_TOOLKIT_NO_CPR="1")
    children = []

    def start():
        child = pexpect.spawn(sys.executable, ["-c", SPAWN], env=env, cwd=str(tmp_path), dimensions=(24, 120),
                              encoding="utf-8", codec_errors="replace", timeout=20)
        child.delaybeforesend = None  # every line waits for what the shell shows first: no fixed pause
        children.append(child)
        child.expect_exact("sscard>")
        return child

    yield start
    for child in children:
        if child.isalive():
            child.terminate(force=True)


def test_a_session_on_a_terminal(terminal, tmp_path):
    child = terminal()
    child.send("pin ningbo --bank ccb\r")
    child.expect_exact("955330")
    child.expect_exact("sscard>")

    # Ctrl-C drops a half-typed line: the next line runs on its own.
    child.send("pin nin")
    child.expect_exact("nin")
    child.send("\x03")
    child.expect_exact("sscard>")
    child.send("banks --format plain\r")
    child.expect_exact("95533")
    assert child.expect([r"sscard>", r"sscard \["]) == 0

    # Tab completes ningb to ningbo (no fuzzy guess needed).
    child.send("lost ningb\t")
    child.expect_exact("o")
    child.send("\r")
    child.expect(["宁波市", "Ningbo"])
    child.expect_exact("sscard>")
    assert "fuzzy" not in child.before

    # A failure shows its status in the next prompt.
    child.send("pin nowhere-at-all-xyz\r")
    child.expect_exact("sscard [1]>")

    # Ctrl-C while a command runs (batch reading the terminal) interrupts that command only.
    child.send("batch\r")
    child.expect_exact("Ctrl-D ends")  # batch says it reads the terminal: the prompt is closed
    child.send("\x03")
    child.expect_exact("interrupted")
    child.expect_exact("sscard [130]>")

    child.send("\x04")  # Ctrl-D leaves
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    saved = (tmp_path / "state" / "history").read_text(encoding="utf-8")
    assert "+pin ningbo --bank ccb\n" in saved and "+lost ningbo\n" in saved
    assert "pin nin\n" not in saved

    # A second session recalls the first one's lines.
    child = terminal()
    for _ in range(3):  # batch, pin nowhere-at-all-xyz, lost ningbo
        child.send("\x1b[A")
    child.expect_exact("lost ningbo")
    child.send("\r")
    child.expect(["宁波市", "Ningbo"])
    child.expect_exact("sscard>")
    child.send("exit\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


# -- prompt_toolkit stays out of every other command --------------------------------------


def test_no_other_module_imports_prompt_toolkit(bundled_index):
    code = """
import io, pkgutil, sys, importlib
import sscard
for info in pkgutil.walk_packages(sscard.__path__, "sscard."):
    if info.name != "sscard.shell":
        importlib.import_module(info.name)
from sscard.main import run
from sscard.output import Env
assert run(["pin", "ningbo", "--bank", "ccb"], Env(stdout=io.StringIO(), stderr=io.StringIO())) == 0
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("prompt_toolkit", "wcwidth") or m == "sscard.shell")
print(loaded)
"""
    env = {**os.environ, "SSCARD_CACHE_DIR": str(bundled_index.parent)}  # the session's index: no parse
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_shell_through_the_installed_console_script(sscard):
    r = sscard("shell", input="pin ningbo --bank ccb\nlost chongqin\nexit\n", environ={"SSCARD_STATE_DIR": ""})
    assert r.code == 0 and "\tbank\tccb\tinitial\t955330\t" in r.out and "12333" in r.out
    assert "fuzzy match" in r.err


# -- a session keeps its rules --------------------------------------------------------------


def test_a_session_searches_without_rebuilding_its_search_table(monkeypatch):
    """The search table (the index's stored one, or one built from the rules) is made once a session."""
    from sscard.api import RuleBook

    built = []
    real = RuleBook._search_table

    def counting(self, *args, **kwargs):
        built.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(RuleBook, "_search_table", counting)
    status, out, _ = script("search 锁定\nsearch 挂失\nsearch 锁定 --region ningbo\n")
    assert status == 0 and out.count("锁定") >= 2 and len(built) == 1


def test_kept_rules_are_read_again_once_a_file_changes(tmp_path, monkeypatch):
    import shutil

    from conftest import MINI
    from sscard import serve

    data = tmp_path / "rules"
    shutil.copytree(MINI, data)
    monkeypatch.setattr(serve, "RECHECK_SECONDS", 0.0)
    serve.keep_loaded()
    try:
        first = serve.load_rules([data])
        assert serve.load_rules([data]) is first
        target = next((data / "regions").glob("*.toml"))
        target.write_text(target.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        assert serve.load_rules([data]) is not first
    finally:
        serve.keep_loaded(False)
    assert serve.load_rules([data]) is not serve.load_rules([data])  # outside a session: loaded each time


def test_a_batch_line_in_a_script_reads_the_lines_after_it(sscard):
    r = sscard("shell", input="batch\npin ningbo --bank ccb\nlost chongqing\n", environ={"SSCARD_STATE_DIR": ""})
    assert r.code == 0 and [line.count('"line":') for line in r.out.splitlines()] == [1, 1]
