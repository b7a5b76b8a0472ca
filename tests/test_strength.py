"""How strongly each place is sourced: in `cities`, in `sources --stats`, and in the README."""

from __future__ import annotations

import json
from pathlib import Path

from sscard.strength import coverage_line, totals

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_coverage_line_matches_the_data(bundled):
    expected = coverage_line(totals(bundled.all_regions(), {s.id: s for s in bundled.all_sources()}))
    text = README.read_text(encoding="utf-8")
    line = text.split("<!-- coverage -->\n", 1)[1].split("\n", 1)[0]
    assert line == expected, "update README.md with: python -m sscard.strength"


def test_cities_show_facts_by_best_grade_and_newest_date(cli):
    rows = {r["id"]: r for r in json.loads(cli("cities", "-f", "json").out)["regions"]}
    chongqing = rows["chongqing"]
    assert sum(chongqing["facts"].values()) > 0 and set(chongqing["facts"]) == {"A", "B", "C"}
    assert chongqing["newest"] is None or len(chongqing["newest"]) >= 4
    plain = cli("cities", "-f", "plain").out.splitlines()
    assert plain[0].split("\t")[-2:] == ["facts A/B/C", "newest"]


def test_sources_stats_totals_agree_with_cities(cli):
    stats = json.loads(cli("sources", "--stats", "-f", "json").out)
    rows = [r for r in json.loads(cli("cities", "-f", "json").out)["regions"] if r["topics"] and r["level"] != "nation"]
    assert stats["places"] == len(rows)
    for grade in "ABC":
        assert stats["facts_by_best_grade"][grade] == sum(r["facts"][grade] for r in rows)
    assert stats["line"].startswith(f"Coverage: {len(rows)} places")
