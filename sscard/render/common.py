"""What every renderer says the same way: labels, banners, source references."""

from __future__ import annotations

from sscard.model import Answer, Item, Text
from sscard.safe import one_line
from sscard.topics import ASPECTS, LEVEL_LABELS, TOPICS, part_label

UI = {
    "from_own": Text("规则来源：{place}，{level}", "Rules from: {place}, {level}"),
    "fallback": Text("{region} 没有本项的专门规则；以下是上级 {place}（{level}）的规则。",
                     "{region} has no rules of its own for this; these are the rules of {place} ({level}), the nearest level above that has them."),
    "national": Text("以下是全国通用说明，各地规定可能不同，请以当地为准（可拨打 12333）。",
                     "This is general national guidance; local rules may differ (ask 12333 locally)."),
    "bank": Text("银行：{bank}", "Bank: {bank}"),
    "hotline": Text("客服 {hotline}", "hotline {hotline}"),
    "banks": Text("本地来源提到的银行：{banks}（用 --bank 只看一家）", "Banks the sources name here: {banks} (use --bank for one)"),
    "elsewhere": Text("仅供参考：来源对{bank}在其他地方的说法（未确认适用于本地）：{reports}",
                      "For other places only, sources report for {bank} (not confirmed for this place): {reports}"),
    "children": Text("下级有专门规则的地方：{places}", "Places below with rules of their own: {places}"),
    "sources": Text("来源", "Sources"),
    "disputed": Text("来源不一致", "sources disagree"),
    "no-date": Text("未注明日期", "undated"),
    "local": Text("本地规则", "local rule"),
    "verify": Text("请向 12333 或银行核实", "verify with 12333 or the bank"),
    "grade-c": Text("仅有 C 级来源", "only grade-C sources"),
    "undated": Text("来源未注明日期", "sources undated"),
    "old": Text("来源已逾五年", "sources over five years old"),
    "grade": Text("等级 {grade}", "grade {grade}"),
}


def ui(key: str, lang: str, **values) -> str:
    return UI[key].get(lang).format(**values)


def place(region, lang: str) -> str:
    return one_line(region.label(lang))


def header(answer: Answer, lang: str) -> str:
    return f"{place(answer.region, lang)} — {TOPICS[answer.topic].title.get(lang)}"


def context_lines(answer: Answer, lang: str) -> list:
    """The lines that say where the rules come from, in display order."""
    lines = []
    if answer.bank is not None:
        bank = one_line(answer.bank.name.get(lang))
        if answer.bank.hotline:
            bank += ", " + ui("hotline", lang, hotline=answer.bank.hotline)
        lines.append(ui("bank", lang, bank=bank))
    level = LEVEL_LABELS[answer.origin.level].get(lang)
    if answer.fallback:
        lines.append(ui("fallback", lang, region=place(answer.region, lang), place=place(answer.origin, lang), level=level))
    else:
        lines.append(ui("from_own", lang, place=place(answer.origin, lang), level=level))
    if answer.origin.level == "nation":
        lines.append(ui("national", lang))
    if answer.banks:
        lines.append(ui("banks", lang, banks=", ".join(f"{b.id} {one_line(b.name.get(lang))}" for b in answer.banks)))
    if answer.elsewhere:
        reports = "; ".join(f"{place(p, lang)} {ASPECTS[i.aspect].get(lang)} {one_line(i.value.get(lang))} [{i.source}]"
                            for p, i in answer.elsewhere[:6])
        if len(answer.elsewhere) > 6:
            reports += f" (+{len(answer.elsewhere) - 6})"
        lines.append(ui("elsewhere", lang, bank=one_line(answer.bank.name.get(lang)), reports=reports))
    if answer.children:
        lines.append(ui("children", lang, places=", ".join(f"{c.id} {place(c, lang)}" for c in answer.children)))
    return lines


def groups(answer: Answer) -> list:
    """Items grouped by part (then by bank), keeping first-seen order."""
    order: dict = {}
    for item in answer.items:
        order.setdefault((item.part, item.bank), []).append(item)
    return list(order.items())


def group_title(answer: Answer, part: str, bank_id: str, lang: str) -> str:
    title = part_label(answer.topic, part).get(lang)
    if bank_id:
        bank = next((b for b in (answer.bank, *answer.banks) if b is not None and b.id == bank_id), None)
        title += " — " + (one_line(bank.name.get(lang)) if bank else bank_id)
    return title


def aspect(item: Item, lang: str) -> str:
    return ASPECTS[item.aspect].get(lang)


def value(item: Item, lang: str) -> str:
    return one_line(item.value.get(lang)) if item.value else ""


def text(item: Item, lang: str) -> str:
    body = one_line(item.text.get(lang))
    if item.title:
        body = f"{one_line(item.title.get(lang))} — {body}"
    return body


def date(source, lang: str) -> str:
    return UI["no-date"].get(lang) if source.date == "undated" else source.date


def verify(item: Item, lang: str) -> str:
    """'verify with 12333 or the bank: only grade-C sources', or '' when the fact is well sourced."""
    if not item.verify:
        return ""
    return f"{UI['verify'].get(lang)}: {', '.join(UI[r].get(lang) for r in item.verify)}"


def cite(item: Item, answer: Answer, lang: str, full: bool = True) -> str:
    """'seed-002 § FAQ 5, undated, grade C; ...' — the item's source reference and notes.

    full=False gives only the source and section (rich output shows the rest its own way).
    """
    src = answer.sources.get(item.source)
    ref = item.source + (f" § {one_line(item.where)}" if item.where else "")
    if not full:
        return ref
    if src is not None:
        ref += f", {date(src, lang)}, {ui('grade', lang, grade=src.grade)}"
    if item.verify:
        ref += f"; {verify(item, lang)}"
    if item.disputed:
        ref += f"; {UI['disputed'].get(lang)}"
    if item.file and not item.file.startswith(_bundled()):
        ref += f"; {UI['local'].get(lang)} {one_line(item.file)}:{item.line}"
    return ref


def _bundled() -> str:
    from sscard.locate import bundled_data_dir

    return bundled_data_dir()


def source_line(src, lang: str) -> str:
    return (f"{src.id}: {one_line(src.title)} — {one_line(src.address)} "
            f"({date(src, lang)}, {ui('grade', lang, grade=src.grade)})")


def key_facts(answers: list, lang: str) -> list:
    """[topic, what, value, source] for every item with a key value (PINs, hotlines, fees, deadlines)."""
    rows = []
    for answer in answers:
        for item in answer.items:
            if item.value is not None:
                what = group_title(answer, item.part, item.bank, lang) + " · " + aspect(item, lang)
                rows.append([TOPICS[answer.topic].title.get(lang), what, value(item, lang), cite(item, answer, lang)])
    return rows
