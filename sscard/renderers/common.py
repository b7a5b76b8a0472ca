"""What every renderer says the same way: labels, banners, source references."""

from __future__ import annotations

from sscard.locate import is_local
from sscard.model import Answer, Item, Text
from sscard.safe import one_line
from sscard.topics import (
    ASPECTS,
    LEVEL_LABELS,
    TOPICS,
    aspect_label,
    key_part_label,
    part_label,
)

UI = {
    "from_own": Text("规则来源：{place}，{level}", "Rules from: {place}, {level}"),
    "fallback": Text("{region} 没有本项的专门规则；以下是上级 {place}（{level}）的规则。",
                     "{region} has no rules of its own for this; these are the rules of {place} ({level}), the nearest level above that has them."),
    "national": Text("以下是全国通用说明，各地规定可能不同，请以当地为准（可拨打 12333）。",
                     "This is general national guidance; local rules may differ (ask 12333 locally)."),
    "bank": Text("银行：{bank}", "Bank: {bank}"),
    "hotline": Text("客服 {hotline}", "hotline {hotline}"),
    "banks": Text("本地来源提到的银行：{banks}（用 --bank 只看一家）", "Banks the sources name here: {banks} (use --bank for one)"),
    "no-banks": Text("本地来源没有提到发卡银行；请问 12333 或银行客服。", "The sources name no card bank here; ask 12333 or the bank."),
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
    "local-grade": Text("来源等级由本地规则给出", "graded by a local rule"),
    "grade": Text("等级 {grade}", "grade {grade}"),
    "key": Text("要点", "Key facts"),
    "scope": Text("适用：{scope}", "applies to: {scope}"),
    "unstated": Text("本地来源未说明", "no source states it here"),
    "unstated-bank": Text("没有来源说明{bank}在{region}的规则；以下只列各银行通用的内容。",
                          "No source states {bank}'s rules for {region}; shown: what holds whatever the bank."),
    "call-bank": Text("请拨打{bank}客服 {hotline}", "call {bank} on {hotline}"),
    "bank-hotline": Text("{bank}客服", "{bank} hotline"),
    "census-none": Text("全国没有统一规定", "no national rule"),
    "census": Text("已收录地区中有 {stating} 个说明了此项：{values}；这不是本地规定，请拨打 12333 核实",
                   "{stating} covered places state one: {values}; not a rule for this place; call 12333"),
    "census-value": Text("{value}（{places} 个）", "{value} in {places}"),
    "dispute": Text("来源不一致（新的在前）：", "sources disagree (newest first):"),
    "or": Text(" 或 ", " or "),
    "via": Text("（{place}沿用的上级规则）", " (rules {place} falls back to)"),
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
        if answer.bank.local:
            bank += f" [{UI['local'].get(lang)} {one_line(answer.bank.file)}]"
        lines.append(ui("bank", lang, bank=bank))
    level = LEVEL_LABELS[answer.origin.level].get(lang)
    if answer.fallback:
        lines.append(ui("fallback", lang, region=place(answer.region, lang), place=place(answer.origin, lang), level=level))
    else:
        lines.append(ui("from_own", lang, place=place(answer.origin, lang), level=level))
    if answer.origin.level == "nation":
        lines.append(ui("national", lang))
    if answer.bank is not None and not answer.bank_stated:
        lines.append(ui("unstated-bank", lang, bank=one_line(answer.bank.name.get(lang)), region=place(answer.region, lang)))
    if answer.banks:
        lines.append(ui("banks", lang, banks=", ".join(f"{b.id} {one_line(b.name.get(lang))}" for b in answer.banks)))
    elif answer.bank is not None and not answer.bank_stated:
        lines.append(ui("no-banks", lang))
    if answer.elsewhere and answer.bank is not None:  # reports for --bank elsewhere
        reports = "; ".join(f"{place(p, lang)} {ASPECTS[i.aspect].get(lang)} {one_line(i.value.get(lang))} [{i.source}]"
                            for p, i in answer.elsewhere[:6])
        if len(answer.elsewhere) > 6:
            reports += f" (+{len(answer.elsewhere) - 6})"
        lines.append(ui("elsewhere", lang, bank=one_line(answer.bank.name.get(lang)), reports=reports))
    if answer.children:
        lines.append(ui("children", lang, places=", ".join(f"{c.id} {place(c, lang)}" for c in answer.children)))
    shared = shared_verify(answer)
    if shared:
        lines.append("(!) " + verify_text(shared, lang))
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
    return aspect_label(item.topic, item.part, item.aspect, lang)


def value(item: Item, lang: str) -> str:
    return one_line(item.value.get(lang)) if item.value else ""


def text(item: Item, lang: str) -> str:
    body = one_line(item.text.get(lang))
    if item.title:
        body = f"{one_line(item.title.get(lang))} — {body}"
    return body


def date(source, lang: str) -> str:
    return UI["no-date"].get(lang) if source.date == "undated" else source.date


def shared_verify(answer: Answer) -> tuple:
    """The verify reasons every fact of the answer shares: said once, not on every line."""
    if not answer.items or not all(i.verify for i in answer.items):
        return ()
    common = set(answer.items[0].verify)
    for item in answer.items[1:]:
        common &= set(item.verify)
    return tuple(r for r in answer.items[0].verify if r in common)


def verify_text(reasons, lang: str) -> str:
    """'verify with 12333 or the bank: only grade-C sources', or '' when there is no reason."""
    if not reasons:
        return ""
    return f"{UI['verify'].get(lang)}: {', '.join(UI[r].get(lang) for r in reasons)}"


def verify(item: Item, lang: str, shared=()) -> str:
    """The item's own verify note, less what is said once for the whole answer."""
    return verify_text([r for r in item.verify if r not in shared], lang)


def citation(cited, sources: dict, lang: str, where: bool = True) -> str:
    """'src-42a § excerpt, 2013-03-12, grade C' for one citation (sources: id -> Source)."""
    src = sources.get(cited.source)
    ref = cited.source + (f" § {one_line(cited.where)}" if where and cited.where else "")
    if src is not None:
        shown = cited.content or src.content
        when = (f"{shown} ({src.date})" if shown and src.date not in ("undated", shown) else shown) or date(src, lang)
        ref += f", {one_line(when)}, {ui('grade', lang, grade=src.grade)}"
    return ref


def cite(item: Item, answer: Answer, lang: str, full: bool = True, shared=()) -> str:
    """Every citation of a fact ('; '-separated), then its own notes.

    full=False gives only the citations (rich output shows the notes its own way).
    """
    ref = "; ".join(citation(c, answer.sources, lang) for c in item.citations)
    if not full:
        return ref
    note = verify(item, lang, shared)
    if note:
        ref += f"; {note}"
    if is_local(item.file):
        ref += f"; {UI['local'].get(lang)} {one_line(item.file)}:{item.line}"
    return ref


def short_cite(item: Item) -> str:
    """'seed-004; src-42a; src-42c': the sources of a fact, for key lines."""
    return "; ".join(item.source_ids())


def scoped_value(item: Item, lang: str) -> str:
    """The value, with whom it applies to when that is fewer people than the place."""
    shown = value(item, lang)
    if item.scope is not None:
        scope = ui("scope", lang, scope=one_line(item.scope.get(lang)))
        if not shown:
            return f"（{scope}）" if lang == "zh" else f"({scope})"
        shown = f"{shown}（{scope}）" if lang == "zh" else f"{shown} ({scope})"
    return shown


def bank_name(answer: Answer, bank_id: str, lang: str) -> str:
    bank = next((b for b in (answer.bank, *answer.banks, *answer.item_banks) if b is not None and b.id == bank_id), None)
    return one_line(bank.name.get(lang)) if bank else bank_id


def key_bank(key) -> str:
    """The bank id a key fact is about ('' for bank-neutral facts)."""
    return key.bank.id if key.bank else (key.fact.bank if key.fact is not None else "")


def key_label(answer: Answer, key, lang: str) -> str:
    """What a key fact is, in words: 'Bank PIN — China Construction Bank · initial'."""
    bank_id = key_bank(key)
    if key.kind == "hotline":
        return ui("bank-hotline", lang, bank=bank_name(answer, bank_id, lang))
    what = key_part_label(answer.topic, key.part).get(lang)
    if bank_id:
        what += (" — " if what else "") + bank_name(answer, bank_id, lang)
    label = aspect_label(answer.topic, key.part, key.aspect, lang)
    return f"{what} · {label}" if what else label


def key_note(answer: Answer, key, lang: str) -> str:
    """What a key fact with no value of its own says instead: the bank to call, or the census count;
    and where a bank's hotline comes from a local layer, that file."""
    local = f"{UI['local'].get(lang)} {one_line(key.bank.file)}" if key.bank is not None and key.bank.local else ""
    if key.kind == "hotline":
        return local
    if key.kind == "unstated":
        call = ui("call-bank", lang, bank=bank_name(answer, key_bank(key), lang), hotline=key.hotline) if key.hotline else ""
        return "; ".join(n for n in (call, local) if n)
    if key.kind == "census":
        stating, values = key.census
        listed = "; ".join(ui("census-value", lang, value=one_line(v.get(lang)), places=n) for v, n in values[:4])
        return ui("census", lang, stating=stating, values=listed)
    return ""


def key_rows(answer: Answer, lang: str) -> list:
    """[what, value, note] for each key fact; the values of one disputed subject share a row."""
    rows: list = []
    placed: dict = {}
    for key in answer.key_facts:
        what = key_label(answer, key, lang)
        if key.kind == "hotline":
            rows.append([what, key.hotline, key_note(answer, key, lang)])
        elif key.kind == "unstated":
            rows.append([what, ui("unstated", lang), key_note(answer, key, lang)])
        elif key.kind == "census":
            rows.append([what, ui("census-none", lang), key_note(answer, key, lang)])
        elif key.fact.disputed and (key.fact.subject in placed):
            row = placed[key.fact.subject]
            row[1] += UI["or"].get(lang) + scoped_value(key.fact, lang)
            row[2] += f" | {short_cite(key.fact)}"
        else:
            row = [what, scoped_value(key.fact, lang), short_cite(key.fact)]
            if key.fact.disputed:
                placed[key.fact.subject] = row
            rows.append(row)
    for row in placed.values():
        row[2] += f" ({UI['disputed'].get(lang)})"
    return rows


def item_blocks(items: list) -> list:
    """Items in order, with the facts of one disputed subject gathered into one block: [(items, disputed)]."""
    out: list = []
    seen: dict = {}
    for item in items:
        if item.disputed:
            if item.subject in seen:
                seen[item.subject].append(item)
                continue
            seen[item.subject] = [item]
            out.append((seen[item.subject], True))
        else:
            out.append(([item], False))
    return out


def source_line(src, lang: str) -> str:
    line = (f"{src.id}: {one_line(src.title)} — {one_line(src.address)} "
            f"({date(src, lang)}, {ui('grade', lang, grade=src.grade)})")
    if src.local:  # a local layer registered or re-graded it: say which file
        line += f" [{UI['local'].get(lang)} {one_line(src.file)}]"
    return line


def key_facts(answers: list, lang: str) -> list:
    """[topic, what, value, source] for the key facts of several answers (quick-reference cards)."""
    return [[TOPICS[a.topic].title.get(lang), *row] for a in answers for row in key_rows(a, lang)]
