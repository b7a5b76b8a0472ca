#!/usr/bin/env python3
"""Write a synthetic, clearly fake sscard rule set for benchmarking.

    python benchmarks/gen_dataset.py OUTDIR [--regions 3000] [--seed 1]

OUTDIR gets the sscard data layout:

    OUTDIR/sources/bench.toml       a few sources, ids bench-..., http://bench.invalid/...
    OUTDIR/banks/bench.toml         20 banks, benchbank01..., 测试银行01 / Bench Bank 01
    OUTDIR/regions/bench-pNN.toml   one file per province-level region, in the
                                    multi-region [[regions]] form, holding the province
                                    and every city and district under it

Every region has every topic (pin, activate, lost, replace, apply, cancel, contacts,
faq) with 2-4 items. Nothing here is a real fact: all ids start with "bench", every
Chinese name starts with 测 (测试), and every source points at bench.invalid. The output
depends only on --regions and --seed.

Use it as an extra data layer: SSCARD_DATA_PATH=OUTDIR sscard pin benchcity0001
(validate it with `sscard check OUTDIR`).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from pathlib import Path

CJK_DIGITS = "〇一二三四五六七八九"
TOPICS = ("pin", "activate", "lost", "replace", "apply", "cancel", "contacts", "faq")
N_BANKS = 20
N_SOURCES = 6
MAX_PROVINCES = 30

# (part, aspect, value kind) choices per topic; value kind None means no value.
CHOICES = {
    "pin": [("social", "initial", "pin"), ("social", "lock", "count"), ("social", "unlock", None),
            ("query", "initial", "pin"), ("bank", "initial", "pin"), ("bank", "change", None),
            ("general", "note", None)],
    "activate": [("bank", "where", None), ("bank", "bring", None), ("social", "how", None),
                 ("bank", "deadline", "days"), ("social", "old-card", None)],
    "lost": [("social", "temporary", "phone"), ("bank", "temporary", "phone"), ("general", "formal", None),
             ("general", "validity", "days"), ("general", "release", None)],
    "replace": [("general", "where", None), ("general", "bring", None), ("general", "fee", "fee"),
                ("general", "time", "days"), ("general", "damaged", None)],
    "apply": [("general", "where", None), ("general", "bring", None), ("general", "photo", None),
              ("general", "collect", "days"), ("general", "agent", None)],
    "cancel": [("general", "when", None), ("general", "how", None), ("bank", "note", None),
               ("general", "bring", None)],
    "contacts": [("social", "hotline", "phone"), ("social", "office", "phone"), ("general", "website", "url"),
                 ("social", "email", "email")],
    "faq": [("social", "question", None), ("bank", "question", None), ("general", "question", None)],
}

TOPIC_WORDS = {
    "pin": ("密码", "PIN"), "activate": ("激活", "activation"), "lost": ("挂失", "loss report"),
    "replace": ("补卡", "replacement"), "apply": ("申领", "application"), "cancel": ("注销", "cancellation"),
    "contacts": ("联系", "contact"), "faq": ("问题", "question"),
}


def cjk_number(n: int) -> str:
    """12 -> 一二 (digit by digit, so distinct numbers give distinct names)."""
    return "".join(CJK_DIGITS[int(d)] for d in str(n))


def q(text: str) -> str:
    """A TOML basic string (JSON escapes are valid TOML)."""
    return json.dumps(text, ensure_ascii=False)


def text_table(zh: str, en: str) -> str:
    return f"{{ zh = {q(zh)}, en = {q(en)} }}"


def plan(total: int) -> list:
    """(id, level, parent, zh, en, province index) for every region, provinces first in each group."""
    total = max(1, total)
    # ~100 regions a file keeps every file well under the 1 MiB rule-file limit
    n_prov = max(1, min(total // 10, max(MAX_PROVINCES, math.ceil(total / 100))))
    rest = total - n_prov
    shares = [rest // n_prov + (1 if i < rest % n_prov else 0) for i in range(n_prov)]
    out = []
    counter = 0
    for p in range(n_prov):
        pid = f"benchprov{p + 1:02d}"
        out.append((pid, "province", "zhongguo", f"测试{cjk_number(p + 1)}省", f"Benchprov {p + 1:02d}", p))
        m = shares[p]
        n_cities = math.ceil(m / 10) if m else 0
        cities = []
        for k in range(m):
            counter += 1
            rid = f"benchcity{counter:04d}"
            if k < n_cities:
                cities.append(rid)
                out.append((rid, "city", pid, f"测{cjk_number(counter)}市", f"Benchcity {counter:04d}", p))
            else:
                parent = cities[(k - n_cities) % n_cities]
                out.append((rid, "district", parent, f"测{cjk_number(counter)}区", f"Benchcity {counter:04d}", p))
    return out


def value_for(kind: str, rng: random.Random):
    if kind == "pin":
        return q(f"{rng.randrange(10 ** 6):06d}")
    if kind == "count":
        return q(str(rng.choice((3, 5, 6))))
    if kind == "phone":
        return q(f"0{rng.randrange(100, 1000)}-{rng.randrange(10 ** 7, 10 ** 8)}")
    if kind == "days":
        d = rng.choice((7, 15, 30, 60, 90))
        return text_table(f"{d} 天", f"{d} days")
    if kind == "fee":
        f = rng.choice((0, 10, 20))
        return text_table(f"{f} 元", f"{f} yuan")
    if kind == "url":
        return q(f"http://bench.invalid/{rng.randrange(10 ** 6)}")
    if kind == "email":
        return q(f"office{rng.randrange(1000)}@bench.invalid")
    raise ValueError(kind)


def item_lines(topic: str, region: tuple, index: int, rng: random.Random) -> list:
    rid, _, _, zh_name, en_name, _ = region
    part, aspect, kind = rng.choice(CHOICES[topic])
    word_zh, word_en = TOPIC_WORDS[topic]
    lines = [f"[[regions.{topic}]]", f"part = {q(part)}"]
    if part == "bank" and rng.random() < 0.6:
        lines.append(f"bank = \"benchbank{rng.randrange(1, N_BANKS + 1):02d}\"")
    lines.append(f"aspect = {q(aspect)}")
    if kind is not None:
        lines.append(f"value = {value_for(kind, rng)}")
    if topic == "faq":
        lines.append(f"title = {text_table(f'{zh_name}测试问题 {index + 1}？', f'{en_name} test question {index + 1}?')}")
    elif topic == "contacts":
        lines.append(f"title = {text_table(f'{zh_name}测试机构 {index + 1}', f'{en_name} test office {index + 1}')}")
    lines.append(f"zh = {q(f'测试数据：{zh_name}{word_zh}第 {index + 1} 条（{aspect}），并非真实规定。')}")
    lines.append(f"en = {q(f'Test data: {en_name} {word_en} item {index + 1} ({aspect}); not a real rule.')}")
    lines.append(f"source = \"bench-{rng.randrange(1, N_SOURCES + 1):02d}\"")
    lines.append(f"where = {q(f'section {rng.randrange(1, 20)}')}")
    return lines


def region_lines(region: tuple, rng: random.Random) -> list:
    rid, level, parent, zh, en, _ = region
    banks = sorted({f"benchbank{rng.randrange(1, N_BANKS + 1):02d}" for _ in range(rng.randrange(1, 4))})
    lines = [
        "[[regions]]",
        f"id = {q(rid)}",
        f"level = {q(level)}",
        f"parent = {q(parent)}",
        f"name = {text_table(zh, en)}",
        f"banks = [{', '.join(q(b) for b in banks)}]",
        "",
    ]
    for topic in TOPICS:
        seen = set()  # the loader refuses one fact stated twice (same subject and value)
        for index in range(rng.randrange(2, 5)):
            item = item_lines(topic, region, index, rng)
            subject = tuple(line for line in item if line.split(" = ")[0] in ("part", "bank", "aspect", "value"))
            if subject in seen:
                continue
            seen.add(subject)
            lines.extend(item)
            lines.append("")
    return lines


def write(outdir: Path, regions: int, seed: int) -> dict:
    rng = random.Random(seed)
    for kind in ("sources", "banks", "regions"):
        (outdir / kind).mkdir(parents=True, exist_ok=True)
    header = "# Synthetic benchmark data written by benchmarks/gen_dataset.py. NOT REAL RULES.\n\n"

    sources = [header]
    for s in range(1, N_SOURCES + 1):
        sources.append(
            f"[bench-{s:02d}]\nurl = \"http://bench.invalid/source/{s:02d}\"\n"
            f"title = \"测试来源 {s:02d} (benchmark source, not real)\"\n"
            f"date = \"2024-0{1 + s % 9}-1{s % 10}\"\ngrade = \"C\"\n\n"
        )
    (outdir / "sources" / "bench.toml").write_text("".join(sources), encoding="utf-8")

    banks = [header]
    for b in range(1, N_BANKS + 1):
        hotline = f"hotline = \"9{b:02d}00\"\nsource = \"bench-01\"\n" if b % 2 else ""
        banks.append(
            f"[benchbank{b:02d}]\nname = {text_table(f'测试银行{b:02d}', f'Bench Bank {b:02d}')}\n"
            f"aliases = [\"测试{b:02d}行\", \"BB{b:02d}\"]\n{hotline}\n"
        )
    (outdir / "banks" / "bench.toml").write_text("".join(banks), encoding="utf-8")

    for stale in (outdir / "regions").glob("bench-p*.toml"):  # from an earlier, larger run
        stale.unlink()
    by_file: dict = {}
    for region in plan(regions):
        by_file.setdefault(region[5], []).append(region)
    sizes = []
    for p, group in sorted(by_file.items()):
        lines = [header.rstrip("\n"), ""]
        for region in group:
            lines.extend(region_lines(region, rng))
        data = "\n".join(lines)
        (outdir / "regions" / f"bench-p{p + 1:02d}.toml").write_text(data, encoding="utf-8")
        sizes.append(len(data.encode("utf-8")))
    return {"regions": sum(len(g) for g in by_file.values()), "files": len(by_file),
            "largest_file_bytes": max(sizes)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--regions", type=int, default=3000, help="how many regions (default 3000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    if args.regions < 1:
        parser.error("--regions must be at least 1")
    info = write(args.outdir, args.regions, args.seed)
    print(f"wrote {info['regions']} regions in {info['files']} region files to {args.outdir} "
          f"(largest {info['largest_file_bytes']} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
