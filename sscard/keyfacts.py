"""The values an answer leads with: what a person at a counter or on the phone needs first.

pin: the social PIN, the query PIN and the bank PIN (the asked bank's, or that no source
states it here, with the bank's hotline); lost: the numbers to call now; replace and apply:
fee and time; activate: deadlines. Where a place falls back to the nation for a value the
nation does not set, what covered places state is counted, never given as the answer.
"""

from __future__ import annotations

import re

from sscard.census import for_topic
from sscard.model import KeyFact

# topic -> aspects whose facts lead the answer (pin is handled by part, lost by phone numbers)
ASPECTS = {
    "replace": ("fee", "time"),
    "apply": ("fee", "time"),
    "activate": ("deadline", "time"),
    "cancel": ("deadline",),
}
PIN_PARTS = ("social", "query", "bank")  # "online" passwords are not card PINs: never a key value
_PHONE = r"^\+?[\d()\-\s/、,，]{5,}$"
_phone: list = []  # compiled on first use


def is_phone(text: str) -> bool:
    if not _phone:
        _phone.append(re.compile(_PHONE))
    return bool(_phone[0].match(text)) and sum(ch.isdigit() for ch in text) >= 5


def build(topic: str, items: tuple, bank, banks: tuple, national: bool, census: dict, bank_of) -> tuple:
    """Key facts for one answer's items.

    bank: the asked bank (or None); banks: those the sources name; bank_of: bank id -> Bank.
    """
    rows: list = []
    valued = [i for i in items if i.value is not None]
    if topic == "pin":
        for part in PIN_PARTS:
            found = [i for i in valued if i.part == part and i.aspect == "initial"]
            if part == "bank" and bank is not None:
                own = [i for i in found if i.bank == bank.id] or [i for i in found if not i.bank]
                if own:
                    rows.extend(KeyFact("fact", part, "initial", bank, i) for i in own)
                else:
                    rows.append(KeyFact("unstated", part, "initial", bank, hotline=bank.hotline))
                continue
            rows.extend(KeyFact("fact", part, "initial", _bank(i, bank_of), i) for i in found)
    elif topic == "lost" or topic == "contacts":
        rows.extend(KeyFact("fact", i.part, i.aspect, _bank(i, bank_of), i)
                    for i in valued if is_phone(i.value.en))
        if topic == "lost":
            stated = {r.hotline for r in rows} | {r.fact.value.en for r in rows if r.fact is not None}
            for b in ((bank,) if bank is not None else banks):
                if b.hotline and b.hotline not in stated:
                    rows.append(KeyFact("hotline", "bank", "hotline", b, hotline=b.hotline))
    else:
        wanted = ASPECTS.get(topic, ())
        rows.extend(KeyFact("fact", i.part, i.aspect, _bank(i, bank_of), i)
                    for aspect in wanted for i in valued if i.aspect == aspect)
    if national:
        covered = {(r.part, r.aspect) for r in rows if r.kind == "fact"}
        for parts, aspect, stating, values in for_topic(census, topic):
            if not any((p, aspect) in covered for p in parts):
                rows.append(KeyFact("census", parts[0], aspect, census=(stating, tuple(values))))
    return tuple(rows)


def _bank(item, bank_of):
    if not item.bank:
        return None
    try:
        return bank_of(item.bank)
    except KeyError:
        return None
