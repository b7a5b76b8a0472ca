"""JSON Schemas for the rule files, generated from the loader's own vocabulary.

    python -m sscard.schema --write   # (re)write data/schema/*.schema.json
    python -m sscard.schema --check   # exit 1 if a committed schema is out of date

For editors (see .taplo.toml) and for tests; sscard itself validates with its loader and
never imports this module. The key sets, topics, parts, aspects, levels, grades, derive
rules and the id and date patterns come from sscard.loader, sscard.topics, sscard.model
and sscard.idcard; only the descriptions live here, and generation fails (SchemaDrift)
when a key set and its descriptions disagree, so a key added to the loader cannot be
forgotten here.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sscard.idcard import RULES as DERIVE_RULES
from sscard.loader import (BANK_KEYS, CITATION_KEYS, DATE_RE, GRADES, ID_RE, ITEM_KEYS, KINDS, PLACE_KEYS,
                           REGION_KEYS, SOURCE_KEYS)
from sscard.model import LEVELS
from sscard.topics import ASPECTS, LEVEL_LABELS, PARTS, TOPICS

DRAFT = "http://json-schema.org/draft-07/schema#"
# What the loader checks in code rather than in a vocabulary (sscard/loader.py, _read_item);
# tests/test_schema.py holds the schema and the loader to the same answers for these.
PIN_ONLY_PARTS = ("query", "online")
TITLED_TOPICS = ("faq", "contacts")
DERIVE_TOPIC, DERIVE_ASPECT = "pin", "initial"


class SchemaDrift(Exception):
    """A loader key set and the descriptions here name different keys."""


def _nonblank(description: str) -> dict:
    return {"type": "string", "pattern": r"\S", "description": description}


def _ident(description: str) -> dict:
    return {"type": "string", "pattern": ID_RE.pattern, "description": description}


def _date(description: str) -> dict:
    return {"type": "string", "pattern": DATE_RE.pattern, "description": description}


def _names(description: str) -> dict:
    return {"type": "array", "items": _nonblank("a name"), "description": description}


def _ids(description: str) -> dict:
    return {"type": "array", "items": _ident("an id"), "description": description}


def _enum(values, docs, description: str) -> dict:
    """An enum whose values editors document (Taplo's x-taplo extension)."""
    values = list(values)
    return {"type": "string", "enum": values, "description": description,
            "x-taplo": {"docs": {"enumValues": [docs(v) for v in values]}}}


TEXT = {"$ref": "#/definitions/text"}


def _text(description: str) -> dict:
    # draft 7 ignores keywords beside a $ref, so the description sits beside an allOf
    return {"allOf": [TEXT], "description": description}


def _properties(name: str, keys: set, shapes: dict) -> dict:
    """The properties for one loader key set, in the order written here; drift is an error."""
    missing, extra = sorted(keys - set(shapes)), sorted(set(shapes) - keys)
    if missing or extra:
        raise SchemaDrift(f"{name}: keys without a description here: {missing or 'none'}; "
                          f"described here but unknown to the loader: {extra or 'none'}")
    return dict(shapes)


def _table(properties: dict, required=(), **extra) -> dict:
    out = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        out["required"] = list(required)
    out.update(extra)
    return out


def _region_head() -> dict:
    return _properties("REGION_KEYS", REGION_KEYS, {
        "id": _ident("Lowercase toneless pinyin: ascii letters, digits and '-'. "
                     "In a [region] file it equals the file name."),
        "level": _enum(LEVELS, lambda v: LEVEL_LABELS[v].en, " | ".join(LEVELS)),
        "parent": _ident("The id of the region above this one; required for every level but nation."),
        "name": _text("The name in both languages: { zh = \"宁波市\", en = \"Ningbo\" }."),
        "aliases": _names("Other names. The id, both names and the names without 市/省/区/县 match already."),
        "banks": _ids("Banks the sources name for this region (items' banks are added automatically)."),
        "code": {"type": "string", "description": "GB/T 2260 code; the gazetteer's code is the one used."},
    })


def _head_rules() -> list:
    """parent for every level but nation, which has none.

    level and name are required too: a layer overriding a region may leave them out, but the
    bundled files, which the editor settings map to this schema, never do."""
    return [
        {"if": {"properties": {"level": {"const": "nation"}}, "required": ["level"]},
         "then": {"not": {"required": ["parent"]}}, "else": {"required": ["parent"]}},
    ]


def _item(topic: str) -> dict:
    """One item of one topic: every key of ITEM_KEYS, with what the loader asks of this topic."""
    shapes = _properties("ITEM_KEYS", ITEM_KEYS, {
        "part": {"$ref": "#/definitions/part" + ("-pin" if topic == "pin" else "")},
        "aspect": {"$ref": "#/definitions/aspect"},
        "bank": _ident("The item applies to this bank's cards only (a bank id)."),
        "value": {"oneOf": [_nonblank("the value"), TEXT],
                  "description": "The key value shown prominently: a string, or { zh, en } when it has words."},
        "title": _text("The question (faq) or the office (contacts); optional elsewhere."),
        "zh": _nonblank("The fact in Chinese, in the project's own words."),
        "en": _nonblank("The fact in English, in the project's own words."),
        "source": _ident("The id of the registered source that states this fact."),
        "where": _nonblank("Section, heading or line range in the source."),
        "sources": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/citation"},
                    "description": "Several sources stating this same value (instead of source/where)."},
        "scope": _text("Whom the fact applies to, when fewer than the whole place."),
        "derive": {"$ref": "#/definitions/derive"},
    })
    if topic != DERIVE_TOPIC:
        del shapes["derive"]
    required = ["part", "aspect", "zh", "en"] + (["title"] if topic in TITLED_TOPICS else [])
    one_citation = {"required": ["source"], "not": {"required": ["sources"]}}
    many = {"required": ["sources"], "not": {"anyOf": [{"required": ["source"]}, {"required": ["where"]}]}}
    item = _table(shapes, required, oneOf=[one_citation, many])
    if topic == DERIVE_TOPIC:
        item["dependencies"] = {"derive": {"properties": {"aspect": {"enum": [DERIVE_ASPECT]}}}}
    return item


def _vocabulary() -> dict:
    """The item vocabularies, each defined once with its labels for editors."""
    return {
        "part-pin": _enum(PARTS, lambda v: PARTS[v].en, "Which account the item is about."),
        "part": _enum([p for p in PARTS if p not in PIN_ONLY_PARTS], lambda v: PARTS[v].en,
                      f"Which account the item is about ({' and '.join(PIN_ONLY_PARTS)} belong in pin only)."),
        "aspect": _enum(ASPECTS, lambda v: f"{ASPECTS[v].en} ({ASPECTS[v].zh})", "What the item is about."),
        "derive": _enum(DERIVE_RULES, lambda v: f"the PIN is {v} of the holder's ID number",
                        f"{DERIVE_TOPIC}/{DERIVE_ASPECT} only: the value is computed from the holder's ID number."),
    }


def _topics() -> dict:
    return {name: {"type": "array", "minItems": 1, "items": {"$ref": f"#/definitions/item-{name}"},
                   "description": f"[[{name}]] items: {topic.help}"} for name, topic in TOPICS.items()}


def _definitions() -> dict:
    lang = {"zh": _nonblank("Chinese"), "en": _nonblank("English")}
    citation = _properties("CITATION_KEYS", CITATION_KEYS, {
        "id": _ident("The id of a registered source."),
        "where": {"type": "string", "description": "Section, heading or line range in the source."},
        "content_date": {"type": "string", "anyOf": [{"maxLength": 0}, {"pattern": DATE_RE.pattern}],
                         "description": "When this source's content dates from, if it says so."},
    })
    defs = {"text": _table(lang, ("zh", "en"), description="A text in both languages."),
            "citation": _table(citation, ("id",), description="One source of a fact.")}
    defs.update(_vocabulary())
    defs.update({f"item-{name}": _item(name) for name in TOPICS})
    return defs


def _root(title: str, body: dict, definitions: dict | None = None) -> dict:
    out = {"$schema": DRAFT, "$comment": "Generated by `python -m sscard.schema --write`; do not edit.",
           "title": title, **body}
    if definitions:
        out["definitions"] = definitions
    return out


def regions() -> dict:
    """regions/*.toml: [region] with its topics, or [[regions]] entries with theirs nested.

    One flat table rather than a choice of two shapes, so that editors offer every key.
    """
    head, topics = _region_head(), _topics()
    region = {**_table(head, ("id", "level", "name")), "allOf": _head_rules(),
              "description": "The region this file holds (the file name is its id)."}
    entry = {**_table({**head, **topics}, ("id", "level", "name")), "allOf": _head_rules()}
    several = {"type": "array", "minItems": 1, "items": entry,
               "description": "Several regions in one file, each with its topics as [[regions.<topic>]]."}
    body = _table({"region": region, "regions": several, **topics},
                  oneOf=[{"required": ["region"]}, {"required": ["regions"]}],
                  dependencies={"regions": {"not": {"anyOf": [{"required": [t]} for t in TOPICS]}}})
    return _root("sscard region file", body, _definitions())


def sources() -> dict:
    """sources/*.toml: one [id] table per source."""
    shapes = _properties("SOURCE_KEYS", SOURCE_KEYS, {
        "seed": _nonblank("A file in shared/seeds (exactly one of seed or url)."),
        "url": _nonblank("The page's address (exactly one of seed or url)."),
        "title": _nonblank("The source's title as it shows it."),
        "date": _date("The date the source shows: YYYY, YYYY-MM, YYYY-MM-DD or \"undated\"."),
        "content_date": _date("When its content dates from, if the text or page says so."),
        "grade": _enum(GRADES, lambda v: f"grade {v} as in shared/sources/INDEX.md",
                       f"{' | '.join(GRADES)}, as shared/sources/INDEX.md defines them."),
        "note": _nonblank("What a reader of this source should know."),
    })
    source = _table(shapes, ("title", "date", "grade"),
                    oneOf=[{"required": ["seed"], "not": {"required": ["url"]}},
                           {"required": ["url"], "not": {"required": ["seed"]}}])
    return _root("sscard source registry",
                 {"type": "object", "patternProperties": {ID_RE.pattern: source}, "additionalProperties": False})


def banks() -> dict:
    """banks/*.toml: one [id] table per bank."""
    shapes = _properties("BANK_KEYS", BANK_KEYS, {
        "name": _text("The bank's name in both languages."),
        "aliases": _names("Other names, any language; matching ignores case, spaces and width."),
        "hotline": _nonblank("The bank's hotline (needs source)."),
        "source": _ident("The registered source that gives the hotline."),
    })
    bank = _table(shapes, ("name",), dependencies={"hotline": ["source"]})
    return _root("sscard bank registry", {"type": "object", "patternProperties": {ID_RE.pattern: bank},
                                                   "additionalProperties": False}, {"text": _definitions()["text"]})


def gazetteer() -> dict:
    """gazetteer/*.toml: [meta] and [[place]] (generated by scripts/gen_gazetteer.py)."""
    shapes = _properties("PLACE_KEYS", PLACE_KEYS, {
        "id": _ident("The place's id (a rule file's id where one exists)."),
        "code": {"type": "string", "description": "GB/T 2260 code."},
        "level": _enum(LEVELS, lambda v: LEVEL_LABELS[v].en, "province or city"),
        "parent": _ident("The id of the place above."),
        "name": _text("The name in both languages."),
        "aliases": _names("Other names."),
        "former": {"type": "array", "description": "Former names: each with the year and how it changed.",
                   "items": {"type": "object", "required": ["zh", "en", "year", "how"], "additionalProperties": False,
                             "properties": {"zh": {"type": "string"}, "en": {"type": "string"},
                                            "year": {"type": "integer"}, "how": {"type": "string"},
                                            "source": {"type": "string", "description": "A page that states it."}}}},
    })
    body = {"type": "object", "required": ["meta"], "properties": {
        "meta": {"type": "object", "description": "The data set's name, version and date."},
        "place": {"type": "array", "items": _table(shapes, ("id", "name", "level"))}}}
    return _root("sscard gazetteer", body, {"text": _definitions()["text"]})


BUILDERS = {"regions": regions, "sources": sources, "banks": banks, "gazetteer": gazetteer}


def generate() -> dict:
    """file name -> JSON text, one schema per kind of rule file."""
    if set(BUILDERS) != set(KINDS):
        raise SchemaDrift(f"rule-file kinds {sorted(KINDS)} but schemas for {sorted(BUILDERS)}")
    return {f"{kind}.schema.json": json.dumps(BUILDERS[kind](), indent=2, ensure_ascii=False) + "\n"
            for kind in KINDS}


def schema_dir() -> Path:
    from sscard.locate import bundled_data_dir

    return Path(bundled_data_dir()) / "schema"


def stale(folder: Path) -> list:
    """The schema files in folder that differ from the generated ones, are missing, or are extra."""
    wanted = generate()
    out = [name for name, text in wanted.items()
           if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text]
    return out + sorted(p.name for p in folder.glob("*.schema.json") if p.name not in wanted)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sscard.schema", description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="write the schemas to data/schema")
    mode.add_argument("--check", action="store_true", help="exit 1 if a committed schema is out of date")
    parser.add_argument("--dir", type=Path, default=None, help="the schema folder (default: data/schema)")
    args = parser.parse_args(argv)
    folder = args.dir or schema_dir()
    if args.check:
        differ = stale(folder)
        for name in differ:
            print(f"{folder / name}: out of date; run python -m sscard.schema --write", file=sys.stderr)
        return 1 if differ else 0
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in generate().items():
        (folder / name).write_text(text, encoding="utf-8")
    for name in stale(folder):  # only files no kind generates are left
        (folder / name).unlink()
    print(f"wrote {len(KINDS)} schemas to {folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
