"""Full-text search across every rule of every region: ``sscard search TEXT``.

What is searched, per item and per language: its value, title and text; the labels
of its aspect, part and topic (so 锁定 finds an item filed under the "lock" aspect
whose text says 锁卡); the names of its region; and, when a bank registry is passed,
the names, aliases and hotline of its bank.

Both the query and the texts are folded (width, case, tone marks) and compared
"compact": without spaces and punctuation, so 0574 12333, 057412333 and 0574-12333
are one number and "CNY25" is "CNY 25". A number never matches inside a longer
number (25 does not match 2025; 95533 does not match 955330). A query in traditional
characters is converted to simplified when it uses characters the rules never do.

Ranking is in three bands, so an exact hit always outranks a fuzzy one:

* 80-100 the whole query occurs in a field (or a name of the region or bank the
  query names: 宁波 also finds "Ningbo", 江北区 also finds 江北);
* 60-80  every word of the query occurs, or a form of it (locked -> lock);
* 0-55   every word matched, at least one only by typo tolerance (rapidfuzz ratio
  against the words of the rules, for words the rules never use; for Chinese, the
  share of the query's character pairs the item contains).

Inside a band the field decides (value and title before text, text before labels,
labels before bank and region names), then whole words before parts of words, then
how many fields matched. Ties go to region id, topic order, item position.

rapidfuzz and the traditional-character converter are imported only when a query
needs them. The per-rule index is built on the first call and reused while the same
region objects are searched.
"""

from __future__ import annotations

import re

from sscard import searchfold as sf
from sscard.errors import UsageError
from sscard.i18n import _
from sscard.names import strip_suffix, to_simplified
from sscard.searchtable import Entry, Field, long_enough, table as _table

MAX_QUERY = 200
PHRASE_BASE = 80.0  # the whole query occurs
WORDS_BASE = 60.0  # every word occurs
FUZZY_TOP = 55.0  # the best a typo-tolerant hit can score
PARTIAL_WORD = 0.15  # 'lock' inside 'unlock'
WORD_FORM = 0.10  # 'locked' for 'lock'
ALIAS = 0.05  # found through a region or bank name, or without an administrative suffix
FIELD_BONUS = 0.04  # per extra field that matched, at most two
WHOLE_FIELD = 0.05  # the query is the whole field (a value of exactly 12333)
FUZZY_MIN_LEN = 4
CJK_COVER_MIN = 0.5  # share of a Chinese query's character pairs an item must contain
SYNONYM = 0.9  # a word found through an everyday synonym (多少钱 -> 费用)
PARTIAL_TOP = 58.0  # the best a hit matching only some of the words can score
PARTIAL_MIN = 0.5  # the share of the query's weight (idf) those words must carry

WEIGHTS = {"value": 0.95, "title": 0.95, "text": 0.9, "label": 0.75, "bank": 0.7, "region": 0.6}
# One word of several naming the item's region or bank narrows the search ('ningbo lock'):
# worth as much as a word of the text.
WORD_WEIGHTS = {**WEIGHTS, "bank": 0.9, "region": 0.9}
HOWS = ("exact", "alias", "words", "fuzzy", "partial")  # Hit.how, best first

_STOP = frozenset(
    "a an the of to in on at by for and or is are be do does did i my me can how what with it its "
    "from as".split()
)


class Hit:
    """One search result: an item of a region's topic, with how well it matched."""

    __slots__ = ("region_id", "topic", "item", "score", "matched", "field", "lang", "how", "position", "via")

    def __init__(self, region_id: str, topic: str, item, score: float, matched: str,
                 field: str = "", lang: str = "", how: str = "", position: int = 0, via: str = "") -> None:
        self.region_id = region_id
        self.topic = topic
        self.item = item
        self.score = score
        self.matched = matched  # the text span (or name) that matched, for display
        self.field = field  # value | title | text | label | bank | region
        self.lang = lang  # zh | en
        self.how = how  # exact | alias | words | fuzzy
        self.position = position  # the item's index in its region's topic
        self.via = via  # the place asked about, when this hit is a rule it falls back to

    def to_dict(self) -> dict:
        return {
            "region": self.region_id,
            "topic": self.topic,
            "score": round(self.score, 1),
            "matched": self.matched,
            "field": self.field,
            "lang": self.lang,
            "how": self.how,
            "via": self.via or None,
            "item": self.item.to_dict({}),  # the same item shape as in answers; its source as {"id", "where"}
            "fact": self.item.fact_dict({}),  # the same fact shape as in answers: every citation
        }

    def __repr__(self) -> str:
        return (f"Hit({self.region_id}/{self.topic}#{self.position} {self.score:.1f} {self.how} "
                f"{self.field}:{self.lang} {self.matched!r})")


def search(regions, text: str, *, region_ids=None, lang=None, limit: int = 20, banks=None, question=None,
           table=None) -> list:
    """Ranked hits for text over the given regions (e.g. rules.rules.regions.values()).

    region_ids: only items of these regions (the caller expands --region to the region
    and its descendants, see subtree()). lang: 'zh' or 'en' matches only that language's
    texts; None matches both. limit: at most this many hits (0 or None: all).
    question: text already parsed by sscard.question.parse (else it is parsed here, with
    no place detection).
    banks: the bank registry (rules.rules.banks), so a bank's names and hotline find
    the items about that bank (95533 -> China Construction Bank's items).
    table: the search table to use instead of building one from regions and banks (the
    on-disk index keeps one: sscard.searchstore.StoredTable).
    Best first; ties by region id, topic order (sscard.topics.TOPICS), item position.
    """
    if lang not in (None, "zh", "en"):
        raise UsageError(_("unknown language {lang}; use zh or en").format(lang=repr(lang)))
    if text is None or not text.strip():
        raise UsageError(_("search text is empty"))
    if len(text) > MAX_QUERY:
        raise UsageError(_("search text is too long ({count} characters; the limit is {limit})").format(
            count=len(text), limit=MAX_QUERY))
    if "\x00" in text:
        raise UsageError(_("search text contains a NUL character"))
    sf.ready()
    if isinstance(region_ids, str):
        region_ids = (region_ids,)
    allowed = None if region_ids is None else set(region_ids)
    index = table if table is not None else _table(list(regions), banks)
    if question is None:
        from sscard.question import parse

        question = parse(text)
    query = _Query(text, index, question)
    if not query.phrases:
        return []
    langs = (lang,) if lang else ("zh", "en")
    entries, total = index.candidates(query.needles(), allowed)
    found = query.rank(entries, langs, total)
    found = index.best(found, limit)
    return [
        Hit(entry.region_id, entry.topic, index.item(entry), score, _snippet(field, span), field.kind, field.lang,
            how, entry.position)
        for score, entry, (_, how, field, span) in found
    ]


def subtree(children: dict, root: str) -> list:
    """root and every region below it, given RuleSet.children (id -> child ids)."""
    out, todo, seen = [], [root], set()
    while todo:
        rid = todo.pop()
        if rid in seen:
            continue
        seen.add(rid)
        out.append(rid)
        todo.extend(reversed(children.get(rid, ())))
    return out


# --- the query -------------------------------------------------------------------------


class _Token:
    __slots__ = ("text", "kind", "forms", "typos", "pairs", "alts", "whole")

    def __init__(self, text: str, index, alts=(), whole: bool = False) -> None:
        self.text = text
        self.whole = whole  # only whole words (a synonym: 'free' must not match inside 'unfreeze')
        # everyday words folded to the rules' words (sscard.question): any may match, a little weaker
        self.alts = tuple(_Token(sf.compact(sf.fold(a)), index, whole=True) for a in alts if sf.compact(sf.fold(a)) != text)
        self.kind = "num" if text.isdigit() else "cjk" if sf.starts_cjk(text) else "word"
        self.forms: frozenset[str] | tuple[()] = ()  # other words of the rules with the same stem
        self.typos: dict[str, float] = {}  # word of the rules -> similarity, for words the rules never use
        self.pairs: tuple[str, ...] = ()  # a Chinese token's character pairs, for pair coverage
        if self.kind == "word":
            self.forms = frozenset(w for w in index.stems().get(sf.stem(text), ()) if text not in w)
            if text not in index.vocab() and len(text) >= FUZZY_MIN_LEN:
                from rapidfuzz import fuzz, process

                cutoff = 75.0 if len(text) == 4 else 80.0
                self.typos = {
                    word: score for word, score, _ in process.extract(
                        text, index.vocab_list(), scorer=fuzz.ratio, score_cutoff=cutoff, limit=10)
                    if word not in self.forms and text not in word
                }
        elif self.kind == "cjk" and len(text) >= 3:
            self.pairs = tuple(dict.fromkeys(text[i:i + 2] for i in range(len(text) - 1)))

    def needles(self) -> list:
        """Every string this token (or a word it stands for) can match only by containing."""
        out = [self.text, *self.forms, *self.typos, *self.pairs]
        for alt in self.alts:
            out.extend(alt.needles())
        return out

    def match(self, entry: Entry, lang: str):
        """(strength 0..1, fuzzy?, field, span) of this token's best field in lang, or None."""
        best = self._match(entry, lang)
        if best is None or best[1]:
            for alt in self.alts:
                got = alt._match(entry, lang)
                if got is not None and not got[1]:
                    got = (got[0] * SYNONYM, *got[1:])
                    if best is None or best[1] or got[0] > best[0]:
                        best = got
        return best

    def _match(self, entry: Entry, lang: str):
        doc = entry.docs[lang]
        best = None
        if self.text in doc:
            for f in entry.fields[lang]:
                got = f.locate(self.text)
                if got is not None and (got[2] or not self.whole or self.kind == "cjk"):
                    strength = WORD_WEIGHTS[f.kind] - (0.0 if got[2] else PARTIAL_WORD)
                    if best is None or strength > best[0]:
                        best = (strength, False, f, got[:2])
            if best is not None:
                return best
        if self.forms or self.typos:
            words = entry.words(lang)
            if self.forms and not words.isdisjoint(self.forms):
                for f in entry.fields[lang]:
                    for word in sorted(f.words & self.forms):
                        strength = WORD_WEIGHTS[f.kind] - WORD_FORM
                        if best is None or strength > best[0]:
                            best = (strength, False, f, _word_span(f, word))
                return best
            if self.typos and not words.isdisjoint(self.typos):
                for f in entry.fields[lang]:
                    for word in sorted(f.words.intersection(self.typos)):
                        strength = WORD_WEIGHTS[f.kind] * self.typos[word] / 100.0
                        if best is None or strength > best[0]:
                            best = (strength, True, f, _word_span(f, word))
                return best
            return None
        if self.pairs:
            present = [p for p in self.pairs if p in doc]
            share = len(present) / len(self.pairs)
            if len(present) >= 2 and share >= CJK_COVER_MIN:
                top = max(entry.fields[lang], key=lambda f: (sum(p in f.compact for p in present), WORD_WEIGHTS[f.kind]))
                span = next((top.locate(p)[:2] for p in present if top.locate(p)), None)
                return (WORD_WEIGHTS[top.kind] * share, True, top, span)
        return None


def _word_span(field: Field, word: str):
    m = re.search(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])", field.fold)
    return m.span() if m else None


class _Query:
    def __init__(self, text: str, index, question) -> None:
        folded = sf.fold(text.strip())
        cjk = sf.cjk_chars(folded)
        if cjk and any(c not in index.chars() for c in cjk):
            folded = sf.fold(to_simplified(folded))  # 鎖定 -> 锁定; loads the converter only now
        compact = sf.compact(folded)
        self.phrases = []  # (compact phrase, penalty, how)
        self.tokens: list[_Token] = []
        if not compact:
            return
        self.phrases.append((compact, 0.0, "exact"))
        seen = {compact}
        alternatives = []
        if sf.has_cjk(compact):
            alternatives.append(strip_suffix(compact))
        alternatives.extend(index.alternatives(folded))
        for alt in alternatives:
            if alt not in seen and long_enough(alt):
                seen.add(alt)
                self.phrases.append((alt, ALIAS, "alias"))
        asked = [(sf.compact(sf.fold(w)), alts) for w, alts in question.words]
        if cjk and any(c not in index.chars() for c in cjk):
            from sscard.question import SYNONYMS

            asked = [(simple, SYNONYMS.get(simple, alts)) for simple, alts in
                     ((sf.compact(sf.fold(to_simplified(w))), alts) for w, alts in asked)]
        tokens: list[tuple[str, tuple]] = []
        for word, alts in asked:  # a word of several kinds (补卡2) splits as before
            parts = sf.tokens(word) or [word]
            tokens.extend((p, alts if len(parts) == 1 else ()) for p in parts)
        if not tokens:
            words = list(dict.fromkeys(sf.tokens(folded)))
            tokens = [(w, ()) for w in ([w for w in words if w not in _STOP] or words)]
        seen_tokens: set = set()
        self.tokens = []
        for word, alts in tokens:
            if word and word not in seen_tokens:
                seen_tokens.add(word)
                self.tokens.append(_Token(word, index, alts))

    def needles(self) -> list:
        """Strings one of which an entry's compact fields must contain to match at all."""
        out = [phrase for phrase, _, _ in self.phrases]
        for token in self.tokens:
            out.extend(token.needles())
        return list(dict.fromkeys(out))

    def rank(self, entries: list, langs: tuple, total: int) -> list:
        """(score, entry, (score, how, field, span)) for every entry that matches, best first.

        Every word matching scores as before (phrase, words or fuzzy bands); otherwise the
        words that do match count by how rare they are (idf), so a question need not use
        every word of the rule: half the query's weight at least.
        """
        import math

        found, partial = [], []
        matches: list = []
        df = [0] * len(self.tokens)
        for entry in entries:
            top = self._phrases(entry, langs)
            if top is not None:
                found.append((round(top[0], 2), entry, top))
                continue
            parts = [self._token(t, entry, langs) for t in self.tokens]
            for i, got in enumerate(parts):
                if got is not None:
                    df[i] += entry.count
            matches.append((entry, parts))
        total = max(1, total)  # every entry searched, those no word occurs in as well
        idf = [math.log(1.0 + total / (1 + n)) for n in df]
        weight = sum(idf) or 1.0
        for entry, parts in matches:
            if all(p is not None for p in parts):
                got = self._all_words(parts)
                found.append((round(got[0], 2), entry, got))
            elif len(parts) > 1:
                hit = [(p, w) for p, w in zip(parts, idf) if p is not None and not p[1]]
                coverage = sum(w for _, w in hit) / weight
                if hit and coverage >= PARTIAL_MIN:
                    strength = sum(p[0] for p, _ in hit) / len(hit)
                    _, _, field, span = max((p for p, _ in hit), key=lambda p: (p[2].kind not in ("region", "bank"), p[0]))
                    score = PARTIAL_TOP * coverage * strength
                    partial.append((round(score, 2), entry, (score, "partial", field, span)))
        return found + partial

    def _phrase(self, entry: Entry, lang: str):
        """The whole query (or a name it stands for) in one language's fields."""
        doc = entry.docs[lang]
        best = None
        matched_fields = set()
        for phrase, penalty, how in self.phrases:
            if phrase not in doc:
                continue
            for f in entry.fields[lang]:
                got = f.locate(phrase)
                if got is None:
                    continue
                matched_fields.add(id(f))
                strength = WEIGHTS[f.kind] - penalty - (0.0 if got[2] else PARTIAL_WORD)
                if phrase == f.compact:
                    strength += WHOLE_FIELD
                if best is None or strength > best[0]:
                    best = (strength, how, f, got[:2])
        if best is None:
            return None
        strength = min(1.0, best[0] + min(2, len(matched_fields) - 1) * FIELD_BONUS)
        return (PHRASE_BASE + (100.0 - PHRASE_BASE) * strength, best[1], best[2], best[3])

    def _phrases(self, entry: Entry, langs: tuple):
        """The whole query in one language's fields, or None."""
        top = None
        for lang in langs:
            got = self._phrase(entry, lang)
            if got is not None and (top is None or got[0] > top[0]):
                top = got
        return top

    @staticmethod
    def _token(token, entry: Entry, langs: tuple):
        """One word's best match in either language ('宁波 lock'), or None."""
        best = None
        for lang in langs:
            got = token.match(entry, lang)
            if got is not None and (best is None or (not got[1], got[0]) > (not best[1], best[0])):
                best = got
        return best

    def _all_words(self, parts: list):
        """Every word matched: the words band, or the fuzzy band when one matched only by typo."""
        strength = sum(p[0] for p in parts) / len(parts)
        # shown: the best-matched word, preferably in the item's own texts rather than its names
        _, _, field, span = max(parts, key=lambda p: (not p[1], p[2].kind not in ("region", "bank"), p[0]))
        if any(p[1] for p in parts):
            return (FUZZY_TOP * min(1.0, strength), "fuzzy", field, span)
        return (WORDS_BASE + (PHRASE_BASE - WORDS_BASE) * min(1.0, strength), "words", field, span)


# --- display ----------------------------------------------------------------------------

SNIPPET = 60


def _snippet(field: Field, span) -> str:
    """The matched part of a field with some context, in the field's own characters."""
    orig = field.orig
    if len(orig) <= SNIPPET or span is None or len(field.fold) != len(orig):
        orig = orig.strip()
        return orig if len(orig) <= SNIPPET else orig[: SNIPPET - 1] + "…"
    start, end = span
    room = max(0, SNIPPET - (end - start))
    left = max(0, start - room // 2)
    right = min(len(orig), max(end, left + SNIPPET))
    left = max(0, min(left, right - SNIPPET))
    text = orig[left:right].strip()
    return ("…" if left > 0 else "") + text + ("…" if right < len(orig) else "")
