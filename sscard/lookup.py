"""Answer a topic question: resolve names, pick the rules, fall back up the tree."""

from __future__ import annotations

from sscard import i18n
from sscard.errors import Ambiguous, DataError, NotFound
from sscard.i18n import N_, _
from sscard.model import Answer, Region
from sscard.names import resolve
from sscard.safe import quote
from sscard.store import Rules
from sscard.topics import LEVEL_LABELS, TOPICS


class NoRules(NotFound):
    """No level from the region up to the nation has rules for the topic."""


def require_valid(rules: Rules) -> None:
    """Refuse to answer from rule data that has problems."""
    if rules.problems:
        raise DataError(rules.problems)


def region_label(rules: Rules, rid: str) -> str:
    """'taizhou-zhejiang (台州市 / Taizhou, city in 浙江省)': the place above tells twins apart."""
    region = rules.region(rid)
    where = ""
    if region.parent and region.level != "province":
        try:
            above = rules.region(region.parent)
            where = _(" in {place}").format(place=above.name.zh) if above.level != "nation" else ""
            if above.level == "city" and above.parent:
                top = rules.region(above.parent)
                if top.level == "province":
                    where += f", {top.name.zh}"
        except KeyError:
            pass
    return f"{rid} ({region.name.zh} / {region.name.en}, {LEVEL_LABELS[region.level].get(i18n.language())}{where})"


def region_record(rules: Rules, rid: str) -> dict:
    """A candidate place as data: id, names, level and the province it is in (JSON errors)."""
    region = rules.region(rid)
    province, current, seen = None, region, set()
    while current.parent and current.parent not in seen and current.level != "province":
        seen.add(current.parent)
        try:
            current = rules.region(current.parent)
        except KeyError:
            break
    if current.level == "province" and current.id != region.id:
        province = {"id": current.id, "name": {"zh": current.name.zh, "en": current.name.en}}
    return {"id": rid, "name": {"zh": region.name.zh, "en": region.name.en}, "level": region.level,
            "province": province, "label": region_label(rules, rid)}


def bank_record(rules: Rules, bid: str) -> dict:
    bank = rules.bank(bid)
    return {"id": bid, "name": {"zh": bank.name.zh, "en": bank.name.en}, "province": None,
            "hotline": bank.hotline, "label": bank_label(rules, bid)}


def bank_label(rules: Rules, bid: str) -> str:
    bank = rules.bank(bid)
    return f"{bid} ({bank.name.zh} / {bank.name.en})"


def find_region(rules: Rules, text: str):
    """The region a typed name means, and how it matched."""

    def parent(rid):
        try:
            return rules.region(rid).parent
        except KeyError:
            return ""

    match = resolve(rules.regions, text, "region", lambda i: region_label(rules, i), parent=parent,
                    record=lambda i: region_record(rules, i))
    region = rules.region(match.id)
    if match.note:
        match = match.replace(note=match.note.replace("{place}", f"{region.name.zh} ({region.name.en})"))
    return region, match


def find_bank(rules: Rules, text: str):
    """The bank a typed name means, and how it matched (carried on the bank: bank.match)."""
    from sscard.names import generic_bank

    generic = generic_bank(text)
    if generic:
        same = [b.id for b in rules.all_banks() if _generic_kind(b) == generic]
        raise Ambiguous(_("{name} is {kind}, not one bank: each place has its own").format(
                            name=quote(text.strip()), kind=_(generic)),
                        [bank_label(rules, b) for b in same],
                        hint=_("name the bank itself, e.g. '宁波农商银行'; without --bank every bank the "
                               "sources name for the place is listed"),
                        records=[bank_record(rules, b) for b in same])
    match = resolve(rules.banks, text, "bank", lambda i: bank_label(rules, i), record=lambda i: bank_record(rules, i))
    bank = rules.bank(match.id)
    kind = generic_bank(text, inside=True)
    if match.how == "fuzzy" and (kind and _generic_kind(bank) != kind  # 广州农商银行 is not 广州银行
                                 or not _same_stem(text, bank)):  # 佛山农商银行 is not 昆山农商银行
        if not kind:
            raise NotFound(_("no bank matches {name}").format(name=quote(text.strip())),
                           hint=_("run '{command}' to list them").format(command="sscard banks"))
        raise NotFound(_("no bank matches {name}").format(name=quote(text.strip())),
                       hint=_("it is {kind}; sscard knows these").format(kind=_(kind)),
                       suggestions=[bank_label(rules, b.id) for b in rules.all_banks() if _generic_kind(b) == kind])
    return bank.replace(match=match), match


# What a Chinese bank name says after its place or brand: 佛山农商银行 -> 佛山.
_BANK_WORDS = ("股份有限公司", "农村商业银行", "农村信用社", "商业银行", "农商银行", "农商行", "农信社", "银行", "农商",
               "农信")


def _stem(name: str) -> str:
    from sscard.names import normalize

    key = normalize(name)
    key = key[2:] if key.startswith("中国") and len(key) > 4 else key
    for word in _BANK_WORDS:
        key = key.replace(word, "")
    return key.rstrip("银行") or key


def _same_stem(text: str, bank) -> bool:
    """A fuzzy match of a Chinese bank name keeps its place or brand (Latin-script names: no check)."""
    from sscard.names import normalize

    if normalize(text).isascii():
        return True
    stem = _stem(text)
    return any(_stem(n) == stem for n in (bank.name.zh, *bank.aliases) if not normalize(n).isascii())


def _generic_kind(bank) -> str:
    from sscard.names import generic_bank

    for name in (bank.name.zh, *bank.aliases):
        for kind in (N_("a rural commercial bank"), N_("a city commercial bank")):
            if generic_bank(name, inside=True) == kind:
                return kind
    return ""


def ancestry(rules: Rules, region: Region) -> list:
    """The region, its parent, ..., up to the nation."""
    chain, seen = [region], {region.id}
    while chain[-1].parent and chain[-1].parent not in seen:
        seen.add(chain[-1].parent)
        try:
            chain.append(rules.region(chain[-1].parent))
        except KeyError:
            break
    return chain


VERIFY_YEARS = 5


def today() -> str:
    """YYYY-MM-DD; $SSCARD_TODAY pins it (tests)."""
    import os
    import time

    pinned = os.environ.get("SSCARD_TODAY", "")
    if len(pinned) == 10 and pinned[:4].isdigit() and pinned[4] == "-" and pinned[7] == "-":
        return pinned
    return time.strftime("%Y-%m-%d")


def _period_end(date: str) -> str:
    """The last day a partial date can mean: 2021 -> 2021-12-31, 2021-05 -> 2021-05-31."""
    return {4: date + "-12-31", 7: date + "-31"}.get(len(date), date)


_VERIFIED: dict = {}  # id(items) -> (items, today, marked): a batch asks about the same rules often


def with_verify_notes(items: tuple, sources: dict) -> tuple:
    """Mark facts to check with 12333 or the bank, each from its own citations."""
    now = today()
    known = _VERIFIED.get(id(items))
    if known is not None and known[0] is items and known[1] == now:
        return known[2]
    cutoff = f"{int(now[:4]) - VERIFY_YEARS}{now[4:]}"
    marked = tuple(item.replace(verify=reasons) if (reasons := verify_reasons(item, sources, cutoff)) else item
                   for item in items)
    if len(_VERIFIED) >= 4096:  # bounded: a long batch over many places
        _VERIFIED.clear()
    _VERIFIED[id(items)] = (items, now, marked)
    return marked


def verify_reasons(item, sources: dict, cutoff: str) -> tuple:
    """grade-c (every citation grade C), undated (no citation dated), old (the newest before cutoff).

    A citation's date is its content date where the text or page dates its content, else the page's.
    """
    cited = [sources[c.source] for c in item.citations if c.source in sources]
    reasons = []
    if cited and all(s.grade == "C" for s in cited):
        reasons.append("grade-c")
    dated = [_period_end(d) for d in (c.date(sources) for c in item.citations) if d != "undated"]
    if not dated:
        reasons.append("undated")
    elif max(dated) < cutoff:
        reasons.append("old")
    if not reasons and cited and any(s.local for s in cited):
        reasons.append("local-grade")  # a local layer's grade or date silences no caution unsaid
    return tuple(reasons)


def reports_elsewhere(rules: Rules, bank, topic: str, exclude=()) -> tuple:
    """(place, item) pairs: what sources state about this bank in other named places."""
    found = []
    for place in rules.all_regions():
        if place.id in exclude:
            continue
        for item in place.topics.get(topic, ()):
            if item.bank == bank.id and item.value is not None:
                found.append((place, item))
    return tuple(sorted(found, key=lambda pair: (pair[0].id, pair[1].line)))


def answer(rules: Rules, topic: str, region_text: str, bank_text: str | None = None,
           region: Region | None = None, match=None, bank=None) -> Answer:
    """The answer for one topic, region and optional bank."""
    require_valid(rules)
    if topic not in TOPICS:
        raise NotFound(_("unknown topic {topic}").format(topic=quote(topic)), suggestions=list(TOPICS))
    if region is None:
        region, match = find_region(rules, region_text)
    if bank is None and bank_text is not None:
        bank = find_bank(rules, bank_text)[0]
    chain = ancestry(rules, region)
    origin = next((r for r in chain if topic in r.topics), None)
    if origin is None:
        raise no_rules(region, bank, TOPICS[topic].title)
    items = origin.topics[topic]
    mentioned: list = []
    for place in chain[: chain.index(origin) + 1]:
        mentioned.extend(b for b in place.banks if b not in mentioned)
    cited = {}
    for item in items:
        for sid in item.source_ids():
            if sid not in cited:
                found = rules.source(sid)
                if found is not None:
                    cited[sid] = found
    items = with_verify_notes(items, cited)  # on the region's whole topic: the same tuple each time
    stated = True
    if bank is not None:
        items = tuple(i for i in items if not i.bank or i.bank == bank.id)
        # A bank no source names here: the bank-neutral facts still answer, and say so.
        stated = origin.level == "nation" or bank.id in mentioned or any(i.bank == bank.id for i in items)
    named = tuple(rules.bank(b) for b in mentioned)
    sources = {sid: cited[sid] for sid in dict.fromkeys(s for i in items for s in i.source_ids()) if sid in cited}
    national = origin.level == "nation"
    from sscard.keyfacts import build

    return Answer(
        topic=topic,
        region=region,
        origin=origin,
        items=items,
        sources=sources,
        bank=bank,
        match=match,
        children=rules.covered_below(region.id, topic),
        elsewhere=reports_elsewhere(rules, bank, topic, {r.id for r in chain}) if bank is not None and (national or not stated) else (),
        banks=named if bank is None or not stated else (),
        key_facts=build(topic, items, bank, named, national, rules.census, rules.bank),
        bank_stated=stated,
        item_banks=tuple(filter(None, (_bank_or_none(rules, b) for b in dict.fromkeys(i.bank for i in items if i.bank)))),
    )


def _bank_or_none(rules: Rules, bid: str):
    try:
        return rules.bank(bid)
    except KeyError:
        return None


def show(rules: Rules, region_text: str, bank_text: str | None = None) -> list:
    """Every topic that has an answer for the region, in table order."""
    require_valid(rules)
    region, match = find_region(rules, region_text)
    bank = find_bank(rules, bank_text)[0] if bank_text is not None else None
    answers = []
    for topic in TOPICS:
        try:
            answers.append(answer(rules, topic, region_text, region=region, match=match, bank=bank))
        except NoRules:
            continue
    if not answers:
        raise no_rules(region, bank)
    return answers


def no_rules(region: Region, bank=None, title=None) -> NoRules:
    """No dead end: say what is missing, and whom to call instead (12333; the bank's hotline)."""
    zh = i18n.language() == "zh"
    place = region.name.zh if zh else f"{region.name.en} ({region.name.zh})"
    if title is None:
        message = _("no rules for {place} or any place above it").format(place=place)
    else:
        message = _("no {topic} rules for {place} or any place above it").format(
            topic=title.zh if zh else title.en.lower(), place=place)
    hint = _("call 12333, the social-security hotline, for the social side")
    if bank is not None and bank.hotline:
        hint += _("; for the bank side call {bank} on {hotline}").format(
            bank=bank.name.zh if zh else bank.name.en, hotline=bank.hotline)
    hint += _("; 'sscard show {place}' lists what is known about this place").format(place=region.id)
    return NoRules(message, hint=hint)
