"""How strongly each covered place's rules are sourced: facts counted by their best grade,
and the newest date their content is from. Feeds `sscard cities`, `sscard sources --stats`
and the README's coverage line."""

from __future__ import annotations

from sscard.model import Item

GRADES = ("A", "B", "C")


def best_grade(item: Item, sources: dict) -> str:
    """The best grade among a fact's citations ('' when none is registered)."""
    grades = {sources[c.source].grade for c in item.citations if c.source in sources}
    return next((g for g in GRADES if g in grades), "")


def newest(item: Item, sources: dict) -> str:
    dates = [c.date(sources) for c in item.citations]
    return max((d for d in dates if d != "undated"), default="")


def place_strength(region, sources: dict) -> dict:
    """{"facts": {"A": n, "B": n, "C": n}, "newest": date or None} for one place's own facts."""
    counts = dict.fromkeys(GRADES, 0)
    latest = ""
    for items in region.topics.values():
        for item in items:
            grade = best_grade(item, sources)
            if grade:
                counts[grade] += 1
            latest = max(latest, newest(item, sources))
    return {"facts": counts, "newest": latest or None}


def totals(regions, sources: dict) -> dict:
    """Coverage over every place with rules of its own (the nation counted apart)."""
    places = [r for r in regions if r.topics and r.level != "nation"]
    facts = dict.fromkeys(GRADES, 0)
    by_best = dict.fromkeys(GRADES, 0)  # places whose best-sourced fact has this grade
    for region in places:
        counts = place_strength(region, sources)["facts"]
        for grade in GRADES:
            facts[grade] += counts[grade]
        best = next((g for g in GRADES if counts[g]), "")
        if best:
            by_best[best] += 1
    graded = dict.fromkeys(GRADES, 0)
    for source in sources.values():
        if source.grade in graded:
            graded[source.grade] += 1
    return {"places": len(places), "facts_by_best_grade": facts, "places_by_best_grade": by_best,
            "sources_by_grade": graded}


def coverage_line(stats: dict) -> str:
    """The README's coverage sentence, generated from the data (a test keeps the README true)."""
    f, p = stats["facts_by_best_grade"], stats["places_by_best_grade"]
    return (f"Coverage: {stats['places']} places with rules of their own, {sum(f.values())} facts "
            f"(best source grade A {f['A']}, B {f['B']}, C {f['C']}); places whose best source is "
            f"A: {p['A']}, B: {p['B']}, C only: {p['C']}.")


if __name__ == "__main__":  # python -m sscard.strength: print the README line for the bundled data
    from sscard.locate import bundled_data_dir
    from sscard.store import build

    rules = build([bundled_data_dir()])
    print(coverage_line(totals(rules.all_regions(), {s.id: s for s in rules.all_sources()})))
