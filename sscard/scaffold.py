"""Start a region rule file from the gazetteer: the [region] table filled in, an example item commented.

    python -m sscard.scaffold qinhuangdao                 # writes data/regions/qinhuangdao.toml
    python -m sscard.scaffold 秦皇岛 --data-dir my-rules   # writes my-rules/regions/qinhuangdao.toml

For contributors (see CONTRIBUTING.md); the CLI never imports this module. The place is
looked up in the bundled gazetteer by id, Chinese or English name or alias (case, width,
spaces and 市/省 ignored). Nothing is overwritten: a place that already has a rule file,
in the target folder or in the bundled rules, is refused.

Exit codes: 0 written (its path on stdout), 1 no such place, 2 usage or a rule file
exists already, 3 the name fits several places.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path

from sscard.errors import ExitCode
from sscard.locate import bundled_data_dir
from sscard.names import exact_keys, normalize
from sscard.rulereader import parse_file
from sscard.topics import PARTS, TOPICS

TEMPLATE = """\
# {zh} ({en}){within}. Sources: name each source you cite here, with what it is.
# Started by `python -m sscard.scaffold {id}` from the gazetteer ({dataset} {version}, {date}).

[region]
id = {q_id}
level = {q_level}
{parent}name = {{ zh = {q_zh}, en = {q_en} }}
code = {q_code}                  # GB/T 2260, from the gazetteer
# aliases = []                   # optional: {id}, {zh}, {en} and the names without 市/省 match already
# banks = []                     # optional: ids of the banks the sources name for this place

# Ground rules (data/README.md, CONTRIBUTING.md):
# - Every fact names its sources, each registered in data/sources/ with its date and grade.
# - One subject, one value, one item: two sources stating the same value are one item citing both.
# - A fact for fewer people than the whole place says whom, in `scope`.
# - Never generalise: a value another city's page states, or a bank's rule stated elsewhere,
#   is not this place's fact. Template-page filler is left out.
# - Restate in your own words, in Chinese and in English; never paste a source's sentences.
#
# An example item: uncomment it and replace every value with what your sources say.
# Topics: {topics}.
#
# [[pin]]
# part = "social"          # {parts}
# aspect = "initial"       # the vocabulary is in data/README.md
# value = "123456"
# zh = "社保应用密码初始为 123456，首次使用前须修改。"
# en = "The social-security application PIN starts as 123456 and must be changed before first use."
# sources = [{{ id = "src-xx", where = "第二段" }}, {{ id = "src-yy", where = "问 3", content_date = "2019" }}]
# scope = {{ zh = "……", en = "..." }}   # only when the fact applies to fewer than the whole place
"""


class Refused(Exception):
    """Why no file was written, with the exit code to leave with."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def gazetteer(data_dir: Path) -> tuple:
    """(meta, places) from the gazetteer files of one data folder."""
    meta: dict = {}
    places: list = []
    for path in sorted((data_dir / "gazetteer").glob("*.toml")):
        doc = parse_file(path)
        if doc is None:
            raise Refused(f"cannot read the gazetteer file {path}; sscard check says why", ExitCode.USAGE)
        meta = doc.get("meta", meta)
        places.extend(doc.get("place", []))
    return meta, places


def find_place(query: str, places: list) -> dict:
    """The one place a query names, or Refused (not found, or several)."""
    wanted = exact_keys(query)
    found = [p for p in places
             if any(wanted & exact_keys(name) for name in (p["id"], p["name"]["zh"], p["name"]["en"],
                                                            *p.get("aliases", ())))]
    if len(found) == 1:
        return found[0]
    if found:
        listed = ", ".join(f"{p['id']} ({p['name']['zh']}, {p['parent']})" for p in found)
        raise Refused(f"'{query}' names several places: {listed}; give the id", ExitCode.AMBIGUOUS)
    names = {normalize(n): p["id"] for p in places for n in (p["id"], p["name"]["en"], p["name"]["zh"])}
    close = sorted({names[k] for k in difflib.get_close_matches(normalize(query), list(names), n=3)})
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise Refused(f"no place called '{query}' in the gazetteer{hint}", ExitCode.NOT_FOUND)


def rule_file_for(rid: str, folders) -> Path | None:
    """A rule file in these regions/ folders that already holds region rid (either file shape)."""
    for folder in folders:
        for path in sorted(Path(folder).glob("*.toml")):
            if path.stem == rid:
                return path
            doc = parse_file(path)
            if doc is None:
                continue  # sscard check reports it; it cannot be this region's file
            heads = [doc.get("region")] + list(doc.get("regions", []) if isinstance(doc.get("regions"), list) else [])
            if any(isinstance(h, dict) and h.get("id") == rid for h in heads):
                return path
    return None


def render(place: dict, meta: dict, places: list) -> str:
    """The new file's text."""
    parent = place.get("parent", "")
    above = next((p for p in places if p["id"] == parent and p["level"] != "nation"), None)
    q = json.dumps  # a TOML basic string is a JSON string for these values
    return TEMPLATE.format(
        id=place["id"], zh=place["name"]["zh"], en=place["name"]["en"],
        within=f", {above['name']['en']}" if above else "",
        dataset=meta.get("dataset", "?"), version=meta.get("version", "?"), date=meta.get("date", "?"),
        q_id=q(place["id"]), q_level=q(place["level"]), q_zh=q(place["name"]["zh"], ensure_ascii=False),
        q_en=q(place["name"]["en"]), q_code=q(str(place.get("code", ""))),
        parent=f"parent = {q(parent)}\n" if parent else "",
        topics=", ".join(TOPICS), parts=" | ".join(PARTS),
    )


def scaffold(query: str, data_dir: Path | None = None) -> Path:
    """Write regions/<id>.toml for the place a query names; its path, or Refused."""
    bundled = Path(bundled_data_dir())
    meta, places = gazetteer(bundled)
    if not places:
        raise Refused(f"no gazetteer found in {bundled / 'gazetteer'}", ExitCode.USAGE)
    place = find_place(query, places)
    target = (data_dir or bundled) / "regions"
    existing = rule_file_for(place["id"], dict.fromkeys([target, bundled / "regions"]))
    if existing is not None:
        raise Refused(f"{place['id']} already has a rule file: {existing}; edit that file instead", ExitCode.USAGE)
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{place['id']}.toml"
    with path.open("x", encoding="utf-8") as out:  # "x": never overwrite, even in a race
        out.write(render(place, meta, places))
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sscard.scaffold", description=__doc__.splitlines()[0])
    parser.add_argument("place", help="the place's id, Chinese or English name, or an alias")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="write into DATA_DIR/regions/ (default: the bundled data folder)")
    args = parser.parse_args(argv)
    try:
        path = scaffold(args.place, args.data_dir)
    except Refused as exc:
        print(f"sscard.scaffold: {exc}", file=sys.stderr)
        return exc.code
    except OSError as exc:
        print(f"sscard.scaffold: cannot write the file: {exc.strerror or exc}", file=sys.stderr)
        return ExitCode.USAGE
    print(path)
    print("next: add facts with their sources, then run: sscard check"
          + (f" --data-dir {args.data_dir}" if args.data_dir else ""), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
