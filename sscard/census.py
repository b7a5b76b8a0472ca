"""What covered places state for a few key subjects, counted: shown when a place falls back to
the national layer for a value the nation does not set (the social PIN, the lock count, how
long a temporary loss report lasts, the replacement fee).

A count is never an answer: renderers label it "not a rule for this place".
"""

from __future__ import annotations

from sscard.model import Text

# (topic, parts, aspect): one subject; a place counts once per value it states.
SUBJECTS = (
    ("pin", ("social",), "initial"),
    ("pin", ("social",), "lock"),
    ("lost", ("social", "general"), "validity"),
    ("replace", ("general",), "fee"),
)


def take(regions) -> dict:
    """{topic: [[parts, aspect, places_stating, [[zh, en, places], ...]], ...]} over non-national places.

    Only a place's own, unscoped, bank-neutral facts count (a provincial pool's rule is not
    its province's).
    """
    out: dict = {}
    for topic, parts, aspect in SUBJECTS:
        values: dict = {}
        stating = 0
        for region in regions:
            if region.level == "nation":
                continue
            found: dict[str, Text] = {}
            for item in region.topics.get(topic, ()):
                if (item.part in parts and item.aspect == aspect and item.value is not None
                        and not item.bank and item.scope is None):
                    found.setdefault(item.value.en.casefold(), item.value)
            if found:
                stating += 1
            for key, value in found.items():
                entry = values.setdefault(key, [value.zh, value.en, 0])
                entry[2] += 1
        if stating:
            ranked = sorted(values.values(), key=lambda v: (-v[2], v[1]))
            out.setdefault(topic, []).append([list(parts), aspect, stating, ranked])
    return out


def for_topic(census: dict, topic: str) -> list:
    """(parts, aspect, stating, [(Text value, places), ...]) for one topic."""
    return [(tuple(parts), aspect, stating, [(Text(zh, en), n) for zh, en, n in ranked])
            for parts, aspect, stating, ranked in census.get(topic, ())]
