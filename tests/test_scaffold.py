"""python -m sscard.scaffold: a region file from the gazetteer, which sscard check accepts."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from conftest import TESTS, Result, gazetteer_doc
from sscard.names import exact_keys

DATA = TESTS.parent / "data"
PLACES = gazetteer_doc()["place"]
COVERED = {p.stem for p in (DATA / "regions").glob("*.toml")}


def scaffold_script(*args: str, cwd: Path) -> Result:
    """Run the scaffold as a contributor does, in a subprocess."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SSCARD_")}
    done = subprocess.run([sys.executable, "-m", "sscard.scaffold", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=cwd, timeout=60)
    return Result(done.returncode, done.stdout, done.stderr)


def scaffold(*args: str, cwd: Path) -> Result:
    """Run the scaffold's main() in this process (which has read the bundled files already), with
    the folder given as an absolute --data-dir; the first test runs it as a contributor does."""
    from sscard.scaffold import main

    assert Path(args[args.index("--data-dir") + 1]).is_absolute() and cwd.is_dir()
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def uncovered() -> dict:
    """A prefecture-level city of the gazetteer with no rule file yet."""
    return next(p for p in PLACES if p["level"] == "city" and p["parent"] != "zhongguo" and p["id"] not in COVERED)


def some_source() -> str:
    """The id of a registered bundled source."""
    for path in sorted((DATA / "sources").glob("*.toml")):
        return next(iter(tomllib.loads(path.read_text(encoding="utf-8"))))
    raise AssertionError("no bundled sources")


def test_writes_the_region_table_from_the_gazetteer(tmp_path, uncovered):
    r = scaffold_script(uncovered["name"]["zh"], "--data-dir", str(tmp_path), cwd=tmp_path)
    assert r.code == 0, r.err
    path = tmp_path / "regions" / f"{uncovered['id']}.toml"
    assert r.out.strip() == str(path)
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    assert doc == {"region": {"id": uncovered["id"], "level": "city", "parent": uncovered["parent"],
                              "name": uncovered["name"], "code": uncovered["code"]}}
    text = path.read_text(encoding="utf-8")
    assert "# sources = [{ id = " in text and "# scope = { zh = " in text and "Ground rules" in text


def test_the_file_passes_sscard_check_once_a_real_item_is_added(tmp_path, uncovered, cli):
    assert scaffold(uncovered["id"], "--data-dir", str(tmp_path), cwd=tmp_path).code == 0
    path = tmp_path / "regions" / f"{uncovered['id']}.toml"
    r = cli("check", "--data-dir", str(tmp_path))
    assert r.code == 0, r.err
    with path.open("a", encoding="utf-8") as out:
        out.write(f'\n[[lost]]\npart = "social"\naspect = "temporary"\nvalue = "12333"\n'
                  f'zh = "临时挂失可拨打 12333。"\nen = "A temporary loss report can be made on 12333."\n'
                  f'sources = [{{ id = "{some_source()}", where = "第一段" }}]\n'
                  f'scope = {{ zh = "市本级参保人", en = "people insured at city level" }}\n')
    r = cli("check", "--data-dir", str(tmp_path))
    assert r.code == 0 and "0 problems" in r.err, r.err
    answer = cli("lost", uncovered["id"], "--data-dir", str(tmp_path), "--format", "json",
                 environ={"SSCARD_CACHE_DIR": ""})  # parsed, as check just did: no index to write
    assert answer.code == 0, answer.err
    doc = json.loads(answer.out)
    assert doc["region"]["id"] == uncovered["id"] and "12333" in answer.out


def test_the_example_item_is_not_a_fact_until_its_sources_are_real(tmp_path, uncovered, cli):
    assert scaffold(uncovered["id"], "--data-dir", str(tmp_path), cwd=tmp_path).code == 0
    path = tmp_path / "regions" / f"{uncovered['id']}.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("# [[pin]]")
    example = "\n".join(line[2:] for line in text[start:].splitlines())
    path.write_text(text[:start] + example + "\n", encoding="utf-8")
    schema = json.loads((DATA / "schema" / "regions.schema.json").read_text(encoding="utf-8"))
    assert Draft7Validator(schema).is_valid(tomllib.loads(path.read_text(encoding="utf-8")))
    r = cli("check", "--data-dir", str(tmp_path))
    assert r.code == 4 and "unknown source 'src-xx'" in r.out + r.err


def test_refuses_when_a_rule_file_exists(tmp_path, uncovered):
    assert scaffold(uncovered["id"], "--data-dir", str(tmp_path), cwd=tmp_path).code == 0
    path = tmp_path / "regions" / f"{uncovered['id']}.toml"
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    r = scaffold(uncovered["name"]["en"], "--data-dir", str(tmp_path), cwd=tmp_path)
    assert r.code == 2 and "already has a rule file" in r.err and r.out == ""
    assert path.read_text(encoding="utf-8").endswith("# edited\n")


def test_refuses_a_place_the_bundled_rules_cover(tmp_path):
    covered = next(p for p in PLACES if p["id"] in COVERED)
    r = scaffold(covered["id"], "--data-dir", str(tmp_path), cwd=tmp_path)
    assert r.code == 2 and f"regions/{covered['id']}.toml" in r.err
    assert not (tmp_path / "regions").exists() or not any((tmp_path / "regions").iterdir())


def test_refuses_a_region_held_in_a_several_regions_file(tmp_path, uncovered):
    (tmp_path / "regions").mkdir()
    (tmp_path / "regions" / "many.toml").write_text(
        f'[[regions]]\nid = "{uncovered["id"]}"\nlevel = "city"\nparent = "{uncovered["parent"]}"\n'
        f'name = {{ zh = "甲", en = "A" }}\n', encoding="utf-8")
    r = scaffold(uncovered["id"], "--data-dir", str(tmp_path), cwd=tmp_path)
    assert r.code == 2 and "many.toml" in r.err


def test_a_name_of_several_places_is_ambiguous(tmp_path):
    owners: dict = {}
    for place in PLACES:
        for key in exact_keys(place["name"]["en"]):
            owners.setdefault(key, set()).add(place["id"])
    name, ids = next((k, v) for k, v in sorted(owners.items()) if len(v) > 1)
    r = scaffold(name, "--data-dir", str(tmp_path), cwd=tmp_path)
    assert r.code == 3 and all(i in r.err for i in ids)
    assert not (tmp_path / "regions").exists()


def test_an_unknown_place_is_not_found_with_a_suggestion(tmp_path, uncovered):
    typo = uncovered["id"][:-1] + ("x" if uncovered["id"][-1] != "x" else "y")
    r = scaffold(typo, "--data-dir", str(tmp_path), cwd=tmp_path)
    assert r.code == 1 and "no place called" in r.err and uncovered["id"] in r.err and r.out == ""


def test_an_unreadable_gazetteer_is_named_not_a_traceback(tmp_path, monkeypatch):
    from sscard import scaffold as module

    data = tmp_path / "data"
    (data / "gazetteer").mkdir(parents=True)
    (data / "gazetteer" / "places.toml").write_text("[meta\n", encoding="utf-8")
    monkeypatch.setattr(module, "bundled_data_dir", lambda: str(data))
    r = scaffold("ningbo", "--data-dir", str(tmp_path / "mine"), cwd=tmp_path)
    assert r.code == 2 and "cannot read the gazetteer file" in r.err and r.out == ""
