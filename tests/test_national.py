"""The national layer cites national sources only (data/README.md, "The national layer").

The rule: every citation of every fact in `zhongguo` is a source registered in
data/sources/pages-national.toml, whose note states its national scope. On top of that, no
national fact cites a seed (seed 002 is Ningbo's FAQ, seed 004 a bundle of local and unnamed
notices) or a city's page: a source that a city- or district-level region cites, or any page
on the same host as one.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

from sscard.locate import bundled_data_dir
from sscard.store import build

NATION = "zhongguo"
REGISTRY = "pages-national.toml"
BANNED = {"seed-002", "seed-004"}


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.").removeprefix("m.")


def _registry_file(source) -> str:
    """The registry file's name (Source.file is "path:line")."""
    path, _, line = source.file.rpartition(":")
    return Path(path if line.isdigit() else source.file).name


def national_problems(rules) -> list:
    """One line per citation of the national layer that is not a national source."""
    regions = rules.regions
    sources = rules.sources
    city_cited = {sid for region in regions.values() if region.level in ("city", "district")
                  for items in region.topics.values() for item in items for sid in item.source_ids()}
    city_hosts = {_host(sources[sid].url) for sid in city_cited if sid in sources and sources[sid].url}
    problems = []
    for topic, items in regions[NATION].topics.items():
        for n, item in enumerate(items, 1):
            for sid in item.source_ids():
                at = f"{NATION}.{topic}.{n} cites {sid}"
                source = sources.get(sid)
                if source is None:
                    problems.append(f"{at}: not in the registry")
                    continue
                if _registry_file(source) != REGISTRY:
                    problems.append(f"{at}: not registered in {REGISTRY}")
                elif "national scope" not in source.note.casefold():
                    problems.append(f"{at}: its note does not state national scope")
                if sid in BANNED or source.seed:
                    problems.append(f"{at}: a seed is a city's or an unnamed notice, not a national text")
                if sid in city_cited:
                    problems.append(f"{at}: a city's page (a city or district cites it)")
                elif source.url and _host(source.url) in city_hosts:
                    problems.append(f"{at}: on a city's host ({_host(source.url)})")
    return problems


def test_the_national_layer_cites_only_national_sources(bundled):
    assert NATION in bundled.rules.regions
    assert bundled.rules.regions[NATION].topics, "the national layer has no facts"
    assert national_problems(bundled.rules) == []


def test_every_national_registry_entry_states_its_scope_and_has_an_address(bundled):
    entries = [s for s in bundled.rules.sources.values() if _registry_file(s) == REGISTRY]
    assert entries
    for source in entries:
        assert source.url and not source.seed, source.id
        assert "national scope" in source.note.casefold(), source.id


def test_the_check_fails_on_seeds_city_pages_and_unregistered_sources(tmp_path):
    """The old national layer's shape (seed 002, seed 004) and a city's page (Tianjin's src-28) are caught."""
    data = tmp_path / "data"
    shutil.copytree(bundled_data_dir(), data)
    (data / "regions" / f"{NATION}.toml").write_text(
        '[region]\nid = "zhongguo"\nlevel = "nation"\nname = { zh = "全国", en = "China (national)" }\n\n'
        '[[pin]]\npart = "general"\naspect = "note"\nzh = "甲"\nen = "a"\nsource = "seed-004"\n\n'
        '[[pin]]\npart = "bank"\naspect = "initial"\nzh = "乙"\nen = "b"\nsource = "seed-002"\n\n'
        '[[lost]]\npart = "social"\naspect = "lock"\nzh = "丙"\nen = "c"\n'
        'sources = [{ id = "src-163" }, { id = "src-28" }]\n',
        encoding="utf-8")
    rules = build([data]).rules
    assert not rules.problems
    problems = national_problems(rules)
    assert any("pin.1 cites seed-004: not registered" in p for p in problems)
    assert any("pin.1 cites seed-004: a seed" in p for p in problems)
    assert any("pin.2 cites seed-002: a seed" in p for p in problems)
    assert any("lost.1 cites src-28: a city's page" in p for p in problems)
    assert not any("src-163" in p for p in problems)


def test_a_national_source_on_a_city_host_is_caught(tmp_path):
    """Registering a city's page in the national registry does not make it national."""
    data = tmp_path / "data"
    shutil.copytree(bundled_data_dir(), data)
    tianjin = data / "sources" / "pages-national.toml"
    tianjin.write_text(tianjin.read_text(encoding="utf-8") + (
        '\n[src-28x]\nurl = "http://lifehome.chuanganwang.cn/lifehome/other.html"\ntitle = "t"\n'
        'date = "2022"\ngrade = "A"\nnote = "National scope, it says."\n'), encoding="utf-8")
    national = data / "regions" / f"{NATION}.toml"
    national.write_text(national.read_text(encoding="utf-8") + (
        '\n[[faq]]\npart = "general"\naspect = "question"\ntitle = { zh = "问", en = "q" }\n'
        'zh = "丁"\nen = "d"\nsource = "src-28x"\n'), encoding="utf-8")
    rules = build([data]).rules
    assert not rules.problems
    assert any("cites src-28x: on a city's host (lifehome.chuanganwang.cn)" in p for p in national_problems(rules))
