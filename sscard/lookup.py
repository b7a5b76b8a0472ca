"""Answer a topic question: resolve names, pick the rules, fall back up the tree."""

from __future__ import annotations

from sscard.errors import Ambiguous, DataError, NotFound
from sscard.model import Answer, Region
from sscard.names import resolve
from sscard.safe import quote
from sscard.store import Rules
from sscard.topics import TOPICS


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
            where = f" in {above.name.zh}" if above.level != "nation" else ""
            if above.level == "city" and above.parent:
                top = rules.region(above.parent)
                if top.level == "province":
                    where += f", {top.name.zh}"
        except KeyError:
            pass
    return f"{rid} ({region.name.zh} / {region.name.en}, {region.level}{where})"


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

    match = resolve(rules.regions, text, "region", lambda i: region_label(rules, i), parent=parent)
    region = rules.region(match.id)
    if match.note:
        match = match.replace(note=match.note.replace("{place}", f"{region.name.zh} ({region.name.en})"))
    return region, match


def find_bank(rules: Rules, text: str):
    """The bank a typed name means, and how it matched (carried on the bank: bank.match)."""
    from sscard.names import generic_bank

    generic = generic_bank(text)
    if generic:
        raise Ambiguous(f"{quote(text.strip())} is {generic}, not one bank: each place has its own",
                        [bank_label(rules, b.id) for b in rules.all_banks() if _generic_kind(b) == generic],
                        hint="name the bank itself, e.g. '宁波农商银行'; without --bank every bank the "
                             "sources name for the place is listed")
    match = resolve(rules.banks, text, "bank", lambda i: bank_label(rules, i))
    bank = rules.bank(match.id)
    kind = generic_bank(text, inside=True)
    if match.how == "fuzzy" and kind and _generic_kind(bank) != kind:  # 广州农商银行 is not 广州银行
        raise NotFound(f"no bank matches {quote(text.strip())}",
                       hint=f"it is {kind}; sscard knows these",
                       suggestions=[bank_label(rules, b.id) for b in rules.all_banks() if _generic_kind(b) == kind])
    return bank.replace(match=match), match


def _generic_kind(bank) -> str:
    from sscard.names import generic_bank

    for name in (bank.name.zh, *bank.aliases):
        for kind in ("a rural commercial bank", "a city commercial bank"):
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
        raise NotFound(f"unknown topic '{topic}'", suggestions=list(TOPICS))
    if region is None:
        region, match = find_region(rules, region_text)
    if bank is None and bank_text is not None:
        bank, _ = find_bank(rules, bank_text)
    chain = ancestry(rules, region)
    origin = next((r for r in chain if topic in r.topics), None)
    if origin is None:
        raise NoRules(
            f"no {TOPICS[topic].title.en.lower()} rules for {region.name.en} ({region.name.zh}) or any place above it",
            hint="try 'sscard show' for what is known about this place",
        )
    items = origin.topics[topic]
    mentioned = []
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
        raise NoRules(f"no rules for {region.name.en} ({region.name.zh}) or any place above it")
    return answers
