"""Plain text for scripts: one tab-separated row per line, the same columns for every topic.

No escape codes, no wrapping, no blank lines; every cell is folded onto one line and an
empty cell is written '-' (so `read` with IFS=tab, which merges empty fields, still lines
the columns up). The columns and row kinds are a contract, documented in the README's
"Plain output" section: add flags or row kinds if needed, never move or drop a column.
"""

from __future__ import annotations

from sscard.renderers import common as c
from sscard.safe import one_line

COLUMNS = ("kind", "place", "origin", "topic", "part", "bank", "aspect", "value", "scope", "text", "citations",
           "flags")
EMPTY = "-"


def header_line() -> str:
    return "\t".join(COLUMNS)


def _cell(value) -> str:
    text = one_line(str(value)) if value else ""
    return text or EMPTY


def _where(answer) -> list:
    """The flags every row of an answer shares: its rules come from a place above, or the nation."""
    flags = ["fallback"] if answer.fallback else []
    if answer.origin.level == "nation":
        flags.append("national")
    return flags


def fact_flags(item, answer, key: bool = False) -> list:
    flags = ["key"] if key else []
    if item.disputed:
        flags.append("disputed")
    if item.verify:
        flags += ["verify", *item.verify]
    if item.derive:
        flags.append("derived")
    if c.is_local(item.file):
        flags.append("local")
    return flags + _where(answer)


class _Rows:
    """Rows of one answer, each with the place, origin and topic columns filled in."""

    def __init__(self, answer) -> None:
        self.answer = answer
        self.rows: list = []

    def add(self, kind, part="", bank="", aspect="", value="", scope="", text="", citations="", flags=()) -> None:
        a = self.answer
        cells = (kind, a.region.id, a.origin.id, a.topic, part, bank, aspect, value, scope, text, citations,
                 ",".join(flags))
        self.rows.append("\t".join(_cell(cell) for cell in cells))


def _key_rows(out: _Rows, answer, lang: str) -> None:
    """One row per key fact (a disputed subject gives one row per value, each flagged)."""
    for key in answer.key_facts:
        what, bank = c.key_label(answer, key, lang), c.key_bank(key)
        if key.kind == "fact":
            fact = key.fact
            scope = fact.scope.get(lang) if fact.scope else ""
            out.add("key", key.part, bank, key.aspect, c.value(fact, lang), scope, what, c.short_cite(fact),
                    fact_flags(fact, answer))
        else:
            said = {"unstated": c.ui("unstated", lang), "census": c.ui("census-none", lang)}.get(key.kind)
            note = "; ".join(x for x in (said, c.key_note(answer, key, lang)) if x)
            value = key.hotline if key.kind == "hotline" else ""
            cited = key.bank.source if key.kind == "hotline" and key.bank is not None else ""
            out.add("key", key.part, bank, key.aspect, value, "", f"{what}: {note}" if note else what, cited,
                    [key.kind, *_where(answer)])


def _context_rows(out: _Rows, answer, lang: str) -> None:
    """Where the rules come from and what else the answer says about them, one row each."""
    level = c.LEVEL_LABELS[answer.origin.level].get(lang)
    region, origin = c.place(answer.region, lang), c.place(answer.origin, lang)
    if answer.fallback:
        said = c.ui("fallback", lang, region=region, place=origin, level=level)
    else:
        said = c.ui("from_own", lang, place=origin, level=level)
    out.add("context", aspect="origin", value=answer.origin.level, text=said, flags=_where(answer))
    if answer.origin.level == "nation":
        out.add("context", aspect="national", text=c.ui("national", lang), flags=_where(answer))
    bank = answer.bank
    if bank is not None:
        name = one_line(bank.name.get(lang))
        shown = name + (", " + c.ui("hotline", lang, hotline=bank.hotline) if bank.hotline else "")
        out.add("context", bank=bank.id, aspect="bank", value=bank.hotline, text=c.ui("bank", lang, bank=shown),
                citations=bank.source)
        if not answer.bank_stated:
            out.add("context", bank=bank.id, aspect="unstated-bank", flags=["unstated"],
                    text=c.ui("unstated-bank", lang, bank=name, region=region))
    if answer.banks:
        names = ", ".join(f"{b.id} {one_line(b.name.get(lang))}" for b in answer.banks)
        out.add("context", aspect="banks", value=",".join(b.id for b in answer.banks),
                text=c.ui("banks", lang, banks=names))
    elif bank is not None and not answer.bank_stated:
        out.add("context", aspect="no-banks", text=c.ui("no-banks", lang))
    if answer.elsewhere:
        reports = "; ".join(f"{c.place(p, lang)} {c.ASPECTS[i.aspect].get(lang)} {one_line(i.value.get(lang))} "
                            f"[{i.source}]" for p, i in answer.elsewhere)
        where = dict.fromkeys(p.id for p, _ in answer.elsewhere)
        out.add("context", bank=bank.id, aspect="elsewhere", value=",".join(where),
                text=c.ui("elsewhere", lang, bank=one_line(bank.name.get(lang)), reports=reports),
                citations="; ".join(dict.fromkeys(i.source for _, i in answer.elsewhere)), flags=["elsewhere"])
    if answer.children:
        places = ", ".join(f"{p.id} {c.place(p, lang)}" for p in answer.children)
        out.add("context", aspect="children", value=",".join(p.id for p in answer.children),
                text=c.ui("children", lang, places=places))
    shared = c.shared_verify(answer)
    if shared:
        out.add("context", aspect="verify", value=",".join(shared), text=c.verify_text(shared, lang),
                flags=["verify", *shared])


def _citations(item, answer, lang: str) -> str:
    ref = c.cite(item, answer, lang, full=False)
    if c.is_local(item.file):
        ref += f"; {c.UI['local'].get(lang)} {one_line(item.file)}:{item.line}"
    return ref


def _origin_of(item) -> tuple:
    """Where a fact was written: the same after --id works out its value (the key fact keeps the rule)."""
    return (item.file, item.line, item.subject)


def _fact_rows(out: _Rows, answer, lang: str) -> None:
    """Every fact once, in display order (steps in order; a disputed subject's values together, newest first)."""
    keys = {_origin_of(k.fact) for k in answer.key_facts if k.fact is not None}
    for _, items in c.groups(answer):
        for block, _disputed in c.item_blocks(items):
            for item in block:
                scope = item.scope.get(lang) if item.scope else ""
                out.add("fact", item.part, item.bank, item.aspect, c.value(item, lang), scope, c.text(item, lang),
                        _citations(item, answer, lang), fact_flags(item, answer, key=_origin_of(item) in keys))


def answer_rows(answer, lang: str) -> list:
    """The rows of one answer: key facts, context, facts, sources."""
    out = _Rows(answer)
    _key_rows(out, answer, lang)
    _context_rows(out, answer, lang)
    _fact_rows(out, answer, lang)
    for src in answer.sources.values():
        out.add("source", value=src.id, text=c.source_line(src, lang))
    return out.rows


def render_plain(answers: list, lang: str, header: bool = False) -> str:
    lines = [header_line()] if header else []
    for answer in answers:
        lines.extend(answer_rows(answer, lang))
    return "\n".join(lines) + "\n"
