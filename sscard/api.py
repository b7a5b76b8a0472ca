"""sscard as a library: open the rules once, then ask them questions.

    >>> import sscard
    >>> book = sscard.open_rules()
    >>> found = book.answer("pin", "宁波", bank="建行")
    >>> found.region.id
    'ningbo'
    >>> print(sscard.render(found, "plain", lang="zh"))   # doctest: +SKIP

The CLI, `sscard batch` and `sscard shell` are front-ends over this module. Nothing here
prints; every method returns records (sscard.model) with a ``to_dict()``, or raises an
sscard.SscardError (NotFound, Ambiguous, UsageError, DataError), each with its exit code.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs milliseconds at start-up; type checkers read this as true
if TYPE_CHECKING:
    from typing import Iterable, Optional, Sequence, Union

from sscard.i18n import _
from sscard.model import Answer, Bank, Match, Region, Source


class RuleBook:
    """The loaded rules (every layer merged) and the questions they answer."""

    def __init__(self, rules) -> None:
        self.rules = rules  # sscard.store.Rules
        self._search: tuple | None = None  # what sscard.search needs, built on the first search

    @property
    def problems(self) -> list:
        """Problems found in the rule files (answers refuse to use rules that have any)."""
        return list(self.rules.problems)

    def answer(self, topic: str, region: str, bank: Optional[str] = None) -> Answer:
        """The answer for one topic ('pin', 'lost', ...), place name and optional bank name."""
        from sscard.lookup import answer

        return answer(self.rules, topic, region, bank)

    def show(self, region: str, bank: Optional[str] = None) -> list:
        """Every topic that has an answer for the place, in topic order."""
        from sscard.lookup import show

        return show(self.rules, region, bank)

    def find_region(self, name: str) -> tuple:
        """(Region, Match) for a typed place name."""
        from sscard.lookup import find_region

        return find_region(self.rules, name)

    def find_bank(self, name: str) -> tuple:
        """(Bank, Match) for a typed bank name."""
        from sscard.lookup import find_bank

        return find_bank(self.rules, name)

    def search(self, text: str, region: Union[str, Region, None] = None, lang: Optional[str] = None,
               limit: int = 20) -> list:
        """Ranked sscard.search.Hit records.

        `region` (a name or a Region) keeps that place, the places below it, and the places
        above it whose rules it falls back to (those hits carry `via`). Without it, a place
        the text names acts as the region: '重庆 补卡 多少钱' is '补卡 多少钱' in Chongqing.
        """
        from sscard.lookup import ancestry, require_valid
        from sscard.question import parse
        from sscard.search import search, subtree

        require_valid(self.rules)
        asked = region  # as given: a retry below parses the text again
        if self._search is None:  # built once per loaded rules, reused by every later search
            self._search = getattr(self.rules, "book_search", None)  # a session's later RuleBook
        if self._search is None:
            self._search = self._search_table()
            self.rules.book_search = self._search
        regions, children, banks, table = self._search
        question = parse(text, self._place_of if region is None else None)
        if region is None and question.place is not None:
            region = self.rules.region(question.place)
        region_ids = None
        fallback: dict = {}  # ancestor id -> the topics the place falls back to it for
        if region is not None:
            place = region if isinstance(region, Region) else self.find_region(region)[0]
            chain = ancestry(self.rules, place)
            answered = set(place.topics)
            for upper in chain[1:]:
                fallback[upper.id] = set(upper.topics) - answered
                answered |= set(upper.topics)
            region_ids = [*subtree(children(), place.id), *fallback]
        try:
            hits = search(regions, question.text or text, region_ids=region_ids, lang=lang,
                          limit=0 if fallback else int(limit), banks=banks, question=question, table=table)
        except (ValueError, TypeError, KeyError, IndexError, EOFError, OSError):
            if table is None:
                raise
            self._search = self._search_table(stored=False)  # a damaged index: build the table from the rules
            self.rules.book_search = self._search
            return self.search(text, asked, lang, limit)
        if fallback:
            hits = [h for h in hits if h.region_id not in fallback or h.topic in fallback[h.region_id]]
            for hit in hits:
                if hit.region_id in fallback:
                    hit.via = place.id
            hits = hits[: int(limit)] if limit else hits
        return hits

    def _search_table(self, stored: bool = True) -> tuple:
        """(regions, children, banks, table): the index's search table and listing when it keeps
        them (no region is read), else every region for sscard.search to build its table from."""
        table = self.rules.search_table() if stored and hasattr(self.rules, "search_table") else None
        if table is not None:
            return [], table.children, {b.id: b for b in self.banks()}, table
        regions = self.regions()
        children: dict = {}
        for r in sorted(regions, key=lambda r: r.id):
            if r.parent:
                children.setdefault(r.parent, []).append(r.id)
        return regions, lambda: children, {b.id: b for b in self.banks()}, None

    def cited(self, hits) -> dict:
        """id -> Source for the sources these hits cite (to show them)."""
        found = {sid: self.rules.source(sid) for hit in hits for sid in hit.item.source_ids()}
        return {sid: source for sid, source in found.items() if source is not None}

    def places(self, hits) -> dict:
        """id -> Region for the places these hits are in or were found through (to show them)."""
        return {rid: self.rules.region(rid) for hit in hits for rid in (hit.region_id, hit.via) if rid}

    def _place_of(self, name: str):
        """The one region a word of a question names exactly, else None."""
        from sscard.names import check_input

        try:
            ids = self.rules.regions.exact(check_input(name, "region"))
        except Exception:  # noqa: BLE001 - a word that cannot be a name is just a word
            return None
        return ids[0] if len(ids) == 1 else None

    def regions(self) -> list:
        """Every place: covered ones with their topics, gazetteer places without."""
        return self.rules.all_regions()

    def banks(self) -> list:
        return self.rules.all_banks()

    def sources(self) -> list:
        return self.rules.all_sources()

    def source(self, sid: str) -> Optional[Source]:
        return self.rules.source(sid)


def open_rules(data_dirs: Iterable = (), *, use_cache: bool = True, environ=None) -> RuleBook:
    """The bundled rules with local layers laid over them (per-user folder, $SSCARD_DATA_PATH,
    then each of data_dirs), read through the on-disk index unless use_cache is False."""
    import os

    from sscard.locate import checked_layers
    from sscard.serve import load_rules

    environ = os.environ if environ is None else environ
    paths = checked_layers(data_dirs, environ, option="data_dirs")
    return RuleBook(load_rules(paths, environ=environ, use_cache=use_cache))


def render(answers: Union[Answer, Sequence[Answer]], format: str = "plain", lang: str = "en", *,
           width: int = 80, color: bool = False, header: bool = False) -> str:
    """An answer (or several, as one card) as text: 'plain', 'json', 'markdown' or 'rich'.

    header: plain output opens with the line naming its columns (the CLI's --header); it
    belongs to plain output only.
    """
    from sscard.errors import UsageError
    from sscard.renderers import render as render_all

    if format not in ("plain", "json", "markdown", "rich"):
        raise UsageError(_("unknown format {format}; use plain, json, markdown or rich").format(format=repr(format)))
    if lang not in ("zh", "en"):
        raise UsageError(_("unknown language {lang}; use zh or en").format(lang=repr(lang)))
    if header and format != "plain":
        raise UsageError(_("header names the columns of plain output; it cannot be used with {format}").format(
            format=repr(format)))
    many = list(answers) if isinstance(answers, (list, tuple)) else [answers]
    return render_all(many, format, lang, single=len(many) == 1, width=width, color=color,
                      header=header)


__all__ = ["RuleBook", "open_rules", "render", "Answer", "Bank", "Match", "Region", "Source"]
