"""Rule loading and validation: every bundled file is valid; every invalid case is caught."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MINI, SHARED_SEEDS, TESTS, gazetteer_doc
from sscard.rulereader import MAX_FILE_BYTES
from sscard.names import exact_keys
from sscard.store import build

INVALID = sorted((TESTS / "data" / "invalid").glob("*.toml"))


def test_invalid_corpus_is_not_empty():
    assert len(INVALID) >= 20


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_file_reports_file_line_and_message(path: Path):
    line, _, fragment = path.with_suffix(".expect").read_text(encoding="utf-8").strip().partition(": ")
    problems = build([MINI, path]).rules.problems
    mine = [p for p in problems if p.file == str(path)]
    assert mine, f"no problem reported for {path.name}; all problems: {problems}"
    assert any(p.line == int(line) and fragment in p.message for p in mine), [str(p) for p in mine]
    assert all(str(p).startswith(f"{path}:{p.line}: ") for p in mine)


def test_oversized_file_is_refused(tmp_path):
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * MAX_FILE_BYTES + "\n")
    problems = build([MINI, big]).rules.problems
    assert [p.line for p in problems] == [1] and "byte limit" in problems[0].message


def test_bundled_rules_are_valid(bundled):
    assert bundled.rules.problems == []


def test_fixture_rules_are_valid(mini):
    assert mini.rules.problems == []


def test_every_region_has_both_names_and_a_known_parent(bundled):
    regions = bundled.rules.regions
    nations = [r for r in regions.values() if r.level == "nation"]
    assert [n.id for n in nations] == ["zhongguo"]
    for region in regions.values():
        assert region.name.zh and region.name.en, region.id
        if region.level != "nation":
            assert region.parent in regions, region.id


def test_every_cited_source_and_bank_exists(bundled):
    rules = bundled.rules
    for region in rules.regions.values():
        for items in region.topics.values():
            for item in items:
                assert item.source in rules.sources, (region.id, item.source)
                assert not item.bank or item.bank in rules.banks, (region.id, item.bank)


def test_every_seed_source_names_a_seed_file_that_exists(bundled):
    seeds = [s for s in bundled.rules.sources.values() if s.seed]
    assert seeds
    if not SHARED_SEEDS.is_dir():
        pytest.skip("shared/seeds is not beside this checkout")
    for source in seeds:
        assert (SHARED_SEEDS / source.seed).is_file(), source.id


def test_explicit_aliases_do_not_name_two_regions(bundled):
    owners: dict = {}
    for region in bundled.rules.regions.values():
        for alias in region.aliases:
            for key in exact_keys(alias):
                owners.setdefault(key, set()).add(region.id)
    clashes = {k: v for k, v in owners.items() if len(v) > 1}
    generated = set()  # names the gazetteer gives: twins share them on purpose (then they are ambiguous)
    gaz = gazetteer_doc()
    for place in gaz["place"]:
        for alias in place["aliases"]:
            generated |= exact_keys(alias)
    clashes = {k: v for k, v in clashes.items() if k not in generated}
    # Real places that share a short name (吉林 the province and the city) are allowed only
    # through the generated gazetteer; rule files must not add new clashes.
    for key, ids in clashes.items():
        files = {bundled.rules.regions[i].file.split(":")[0] for i in ids}
        assert all("gazetteer" in f for f in files) or len(ids) == 1, (key, ids)


def test_an_alias_naming_another_rule_files_place_is_a_problem(tmp_path):
    """The cross-check asks the index of every region's current names who else answers to an
    alias: an alias that is another place's id or name is reported where it is written."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    river = data / "regions" / "river.toml"
    river.write_text(river.read_text(encoding="utf-8").replace('aliases = ["河"]', 'aliases = ["河", "Hill"]'),
                     encoding="utf-8")
    problems = [str(p) for p in build([data]).problems]
    assert any("river.toml" in p and "alias 'Hill' also names hill" in p for p in problems), problems
    assert build([MINI]).problems == []


def test_disputed_values_are_marked_and_newest_first(mini):
    river = mini.rules.regions["river"]
    locks = [i for i in river.topics["pin"] if i.aspect == "lock"]
    assert [(i.value.en, i.disputed) for i in locks] == [("6", True), ("10", True)]
    # doc-a is dated 2020-05-01, doc-b is undated, so doc-a comes first


def test_same_value_from_two_sources_is_one_fact_not_a_dispute(bundled):
    for region in bundled.rules.regions.values():
        for items in region.topics.values():
            valued = [(i.subject, i.value) for i in items if i.value is not None]
            assert len(valued) == len(set(valued)), region.id
    chongqing = bundled.rules.regions["chongqing"]
    social = [i for i in chongqing.topics["pin"] if i.part == "social" and i.aspect == "initial"]
    assert len(social) == 1 and len(social[0].citations) >= 2 and not social[0].disputed


def test_only_a_changed_file_is_parsed_again_in_one_process(tmp_path, monkeypatch):
    import shutil

    from sscard import rulereader

    data = tmp_path / "rules"
    shutil.copytree(MINI, data)
    river = data / "regions" / "river.toml"
    first = build([data])
    parsed = []
    real = rulereader.tomllib.loads
    monkeypatch.setattr(rulereader.tomllib, "loads", lambda text: parsed.append(text) or real(text))
    assert build([data]).region("river") == first.region("river") and parsed == []
    changed = river.read_text(encoding="utf-8").replace('value = "123456"', 'value = "123450"')
    river.write_text(f"{changed}# {tmp_path}\n", encoding="utf-8")  # bytes no other test has had parsed
    again = build([data])
    assert parsed == [river.read_text(encoding="utf-8")]
    assert again.region("river").topics["pin"][0].value.en == "123450"
    assert again.region("hill") == first.region("hill")
