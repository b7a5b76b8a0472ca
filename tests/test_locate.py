"""The per-user directories computed inline (XDG spec) give platformdirs' own answers."""

from __future__ import annotations

import os
import sys

import platformdirs
import pytest

from sscard import locate

pytestmark = pytest.mark.skipif(not locate._inline_xdg(os.environ), reason="the inline XDG path is for Linux and the BSDs")

KINDS = [("XDG_DATA_HOME", platformdirs.user_data_dir), ("XDG_CACHE_HOME", platformdirs.user_cache_dir),
         ("XDG_STATE_HOME", platformdirs.user_state_dir)]
UNSET = object()


@pytest.mark.parametrize("home", ["/home/someone", "/home/someone/", "/", "relative/home", "", UNSET])
@pytest.mark.parametrize("xdg", ["/srv/xdg", "/srv/xdg/", "relative/xdg", "", "~/xdg", UNSET])
@pytest.mark.parametrize("variable,theirs", KINDS)
def test_inline_directories_match_platformdirs(monkeypatch, home, xdg, variable, theirs):
    for name, value in (("HOME", home), (variable, xdg)):
        if value is UNSET:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    try:
        expected = theirs("sscard", appauthor=False)
    except RuntimeError:  # no home directory to be had: both must refuse
        with pytest.raises(RuntimeError):
            locate.user_dir(variable)
        return
    assert locate.user_dir(variable) == expected
    assert locate.user_dir(variable, dict(os.environ)) == expected


def test_the_layers_and_the_cache_use_them(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("SSCARD_CACHE_DIR", raising=False)
    (tmp_path / "data" / "sscard").mkdir(parents=True)
    assert locate.user_data_dir() == platformdirs.user_data_dir("sscard", appauthor=False)
    assert str(tmp_path / "data" / "sscard") in locate.data_paths(environ={})
    assert locate.cache_dir({}) == platformdirs.user_cache_dir("sscard", appauthor=False)


def test_other_platforms_ask_platformdirs(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not locate._inline_xdg({})
    monkeypatch.setattr(sys, "platform", "linux")
    assert not locate._inline_xdg({"ANDROID_DATA": "/data", "ANDROID_ROOT": "/system"})
    assert locate._inline_xdg({})
