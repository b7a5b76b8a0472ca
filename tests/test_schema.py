"""The JSON Schemas in data/schema: generated from the loader, committed, and in step with it.

The TOML is parsed with tomllib and validated as JSON data with jsonschema (a test
dependency only; sscard validates with its own loader).
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match

import sscard.schema as schema
from conftest import MINI, TESTS
from sscard.idcard import RULES
from sscard.loader import GRADES, ITEM_KEYS, KINDS, load
from sscard.model import LEVELS
from sscard.topics import ASPECTS, PARTS, TOPICS

ROOT = TESTS.parent
DATA = ROOT / "data"
SCHEMAS = DATA / "schema"
FIXTURES = [DATA, MINI, TESTS / "data" / "facts"]


def validator(kind: str) -> Draft7Validator:
    return Draft7Validator(json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8")))


def rule_files() -> list:
    return [(kind, path) for base in FIXTURES for kind in KINDS for path in sorted((base / kind).glob("*.toml"))]


def test_committed_schemas_are_the_generated_ones():
    assert schema.stale(SCHEMAS) == [], "data/schema is out of date: run python -m sscard.schema --write"


def test_check_fails_on_an_edited_missing_or_extra_schema(tmp_path, capsys):
    assert schema.main(["--write", "--dir", str(tmp_path)]) == 0
    assert schema.main(["--check", "--dir", str(tmp_path)]) == 0
    edited = tmp_path / "banks.schema.json"
    edited.write_text(edited.read_text(encoding="utf-8").replace('"name"', '"nmae"'), encoding="utf-8")
    (tmp_path / "sources.schema.json").unlink()
    (tmp_path / "old.schema.json").write_text("{}", encoding="utf-8")
    capsys.readouterr()
    assert schema.main(["--check", "--dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert all(name in err for name in ("banks.schema.json", "sources.schema.json", "old.schema.json"))
    assert schema.main(["--write", "--dir", str(tmp_path)]) == 0
    assert schema.stale(tmp_path) == [] and not (tmp_path / "old.schema.json").exists()


def test_a_loader_key_without_a_description_stops_generation(monkeypatch):
    monkeypatch.setattr(schema, "ITEM_KEYS", ITEM_KEYS | {"valid_from"})
    with pytest.raises(schema.SchemaDrift, match="valid_from"):
        schema.generate()


def test_a_description_for_a_key_the_loader_dropped_stops_generation(monkeypatch):
    monkeypatch.setattr(schema, "ITEM_KEYS", ITEM_KEYS - {"scope"})
    with pytest.raises(schema.SchemaDrift, match="scope"):
        schema.generate()


@pytest.mark.parametrize("kind", KINDS)
def test_schemas_are_valid_draft7(kind):
    Draft7Validator.check_schema(validator(kind).schema)


def test_vocabularies_are_the_loaders():
    regions = validator("regions").schema
    defs = regions["definitions"]
    assert defs["part-pin"]["enum"] == list(PARTS)
    assert set(defs["part"]["enum"]) == set(PARTS) - set(schema.PIN_ONLY_PARTS)
    assert defs["aspect"]["enum"] == list(ASPECTS)
    assert defs["derive"]["enum"] == list(RULES)
    assert regions["properties"]["region"]["properties"]["level"]["enum"] == list(LEVELS)
    assert set(TOPICS) <= set(regions["properties"])
    source = validator("sources").schema["patternProperties"]
    assert next(iter(source.values()))["properties"]["grade"]["enum"] == list(GRADES)


def test_the_fixture_sets_are_not_empty():
    found = {kind for kind, _ in rule_files()}
    assert found == set(KINDS), f"no rule files found for {set(KINDS) - found}"
    assert len(rule_files()) > 50


def file_id(value) -> str:
    return str(value.relative_to(ROOT)) if isinstance(value, Path) else value


@pytest.mark.parametrize("kind,path", rule_files(), ids=file_id)
def test_every_bundled_and_fixture_rule_file_is_valid(kind, path):
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    error = best_match(validator(kind).iter_errors(doc))
    assert error is None, f"{path}: at {'/'.join(map(str, error.absolute_path))}: {error.message}"


# The schema and the loader give the same verdict on one region file. The sources file and
# the nation-level region keep cross-file checks quiet, so only the item or head decides.

SOURCES = '[s1]\nurl = "https://example.org/1"\ntitle = "t"\ndate = "2020"\ngrade = "B"\n' \
          '[s2]\nurl = "https://example.org/2"\ntitle = "t"\ndate = "undated"\ngrade = "C"\n'
HEAD = '[region]\nid = "zz"\nlevel = "nation"\nname = { zh = "国", en = "Land" }\n'


def verdicts(tmp_path: Path, body: str, head: str = HEAD) -> tuple:
    """(loader accepts, schema accepts) for a region file made of head and body."""
    (tmp_path / "sources").mkdir(exist_ok=True)
    (tmp_path / "sources" / "s.toml").write_text(SOURCES, encoding="utf-8")
    (tmp_path / "regions").mkdir(exist_ok=True)
    path = tmp_path / "regions" / "zz.toml"
    path.write_text(head + body, encoding="utf-8")
    problems = load([tmp_path]).problems
    return not problems, validator("regions").is_valid(tomllib.loads(path.read_text(encoding="utf-8")))


def item(topic: str, **keys) -> str:
    fields = {"part": '"general"', "aspect": '"note"', "zh": '"中文"', "en": '"English"',
              "source": '"s1"', "title": '{ zh = "问", en = "Q" }'}
    fields.update(keys)
    return f"[[{topic}]]\n" + "".join(f"{k} = {v}\n" for k, v in fields.items() if v is not None)


@pytest.mark.parametrize("topic", TOPICS)
@pytest.mark.parametrize("part", PARTS)
def test_schema_and_loader_agree_on_parts(tmp_path, topic, part):
    loader_ok, schema_ok = verdicts(tmp_path, item(topic, part=f'"{part}"'))
    assert loader_ok == schema_ok == (topic == "pin" or part not in ("query", "online"))


@pytest.mark.parametrize("topic", TOPICS)
def test_schema_and_loader_agree_on_titles(tmp_path, topic):
    loader_ok, schema_ok = verdicts(tmp_path, item(topic, title=None))
    assert loader_ok == schema_ok == (topic not in schema.TITLED_TOPICS)


ITEM_CASES = {
    "plain": ("pin", {}),
    "text value": ("pin", {"value": '{ zh = "60 天", en = "60 days" }'}),
    "blank value": ("pin", {"value": '" "'}),
    "number value": ("pin", {"value": "123456"}),
    "value without en": ("pin", {"value": '{ zh = "x" }'}),
    "value in a third language": ("pin", {"value": '{ zh = "x", en = "y", fr = "z" }'}),
    "scope": ("lost", {"scope": '{ zh = "省级参保人", en = "the provincial pool" }'}),
    "scope as a string": ("lost", {"scope": '"the provincial pool"'}),
    "blank zh": ("lost", {"zh": '"  "'}),
    "no en": ("lost", {"en": None}),
    "unknown key": ("lost", {"valid_from": '"2020"'}),
    "unknown aspect": ("lost", {"aspect": '"intial"'}),
    "where": ("lost", {"where": '"第二段"'}),
    "no source": ("lost", {"source": None}),
    "several sources": ("lost", {"source": None, "sources": '[{ id = "s1", where = "p. 2" }, { id = "s2" }]'}),
    "a citation's content date": ("lost", {"source": None, "sources": '[{ id = "s1", content_date = "2013-05" }]'}),
    "a bad content date": ("lost", {"source": None, "sources": '[{ id = "s1", content_date = "May 2013" }]'}),
    "an unknown citation key": ("lost", {"source": None, "sources": '[{ id = "s1", page = "2" }]'}),
    "no sources listed": ("lost", {"source": None, "sources": "[]"}),
    "source and sources": ("lost", {"sources": '[{ id = "s2" }]'}),
    "where and sources": ("lost", {"source": None, "where": '"x"', "sources": '[{ id = "s2" }]'}),
    "derive on pin/initial": ("pin", {"aspect": '"initial"', "derive": '"id-last-6"'}),
    "derive on pin/change": ("pin", {"aspect": '"change"', "derive": '"id-last-6"'}),
    "derive outside pin": ("lost", {"aspect": '"initial"', "derive": '"id-last-6"'}),
    "unknown derive rule": ("pin", {"aspect": '"initial"', "derive": '"id-first-6"'}),
}


VALID_ITEMS = {"plain", "text value", "scope", "where", "several sources", "a citation's content date",
               "derive on pin/initial"}


@pytest.mark.parametrize("case", ITEM_CASES)
def test_schema_and_loader_agree_on_items(tmp_path, case):
    topic, keys = ITEM_CASES[case]
    loader_ok, schema_ok = verdicts(tmp_path, item(topic, **keys))
    assert loader_ok == schema_ok == (case in VALID_ITEMS)


NATION = '[[regions]]\nid = "zz"\nlevel = "nation"\nname = { zh = "国", en = "Land" }\n'
HEAD_CASES = {
    "several regions": NATION + '[[regions]]\nid = "zz-a"\nlevel = "city"\nparent = "zz"\n'
                                'name = { zh = "市", en = "Town" }\n' + item("regions.pin"),
    "a city without a parent": NATION + '[[regions]]\nid = "zz-a"\nlevel = "city"\nname = { zh = "市", en = "Town" }\n',
    "a nation with a parent": NATION + '[[regions]]\nid = "zz-a"\nlevel = "nation"\nparent = "zz"\n'
                                       'name = { zh = "国", en = "Two" }\n',
    "an unknown level": NATION + '[[regions]]\nid = "zz-a"\nlevel = "town"\nparent = "zz"\n'
                                 'name = { zh = "镇", en = "T" }\n',
    "an id with capitals": NATION + '[[regions]]\nid = "ZZ-a"\nlevel = "city"\nparent = "zz"\n'
                                    'name = { zh = "市", en = "T" }\n',
    "an unknown head key": NATION.replace("level", 'slug = "x"\nlevel'),
    "both shapes": HEAD + NATION.replace('"zz"', '"zz-b"'),
    "a topic beside [[regions]]": NATION + item("pin"),
    "an unknown topic": HEAD + item("pni"),
    "an empty topic": HEAD + "pin = []\n",
}


# A [[pin]] after [[regions]] is a top-level topic, not the entry's: today the loader drops
# it without a word (sscard check passes), while the schema reports it.
LOADER_GAPS: dict = {}  # case -> why the loader and the schema still disagree (none now)


@pytest.mark.parametrize("case,body", [
    pytest.param(case, body, id=case, marks=[pytest.mark.xfail(strict=True, reason=LOADER_GAPS[case])]
                 if case in LOADER_GAPS else [])
    for case, body in HEAD_CASES.items()])
def test_schema_and_loader_agree_on_region_heads(tmp_path, case, body):
    loader_ok, schema_ok = verdicts(tmp_path, body, head="")
    assert loader_ok == schema_ok == (case == "several regions")
