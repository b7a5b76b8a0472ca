"""Turn a typed question into search words and, where it names one, a place.

`重庆 补卡 多少钱` and `how much does a replacement cost in Chongqing` both become the
words of the rules they ask about (补卡, 费用 / replacement, fee) plus the place Chongqing,
which then acts as `--region`. Question words are dropped; everyday words are folded to the
words the rules use (多少钱 -> 费用, 丢了 -> 挂失, 锁了 -> 锁定, how long -> lasts/time).
"""

from __future__ import annotations

import re

from sscard.searchfold import has_cjk, starts_cjk

# A query word (folded) -> the words of the rules any of which it may match. The word
# itself is always tried first.
SYNONYMS = {
    "多少钱": ("费用", "元", "收费", "工本费", "免费"), "费用": ("元", "收费", "工本费", "免费"),
    "收费": ("费用", "元", "工本费", "免费"), "工本费": ("费用", "元", "免费"), "钱": ("费用", "元", "免费"),
    "丢了": ("挂失", "丢失", "遗失"), "丢失": ("挂失", "遗失"), "掉了": ("挂失", "丢失", "遗失"),
    "遗失": ("挂失", "丢失"), "不见了": ("挂失", "丢失"),
    "锁了": ("锁定", "锁卡", "锁"), "锁住": ("锁定", "锁卡", "锁"), "被锁": ("锁定", "锁卡", "锁"),
    "多久": ("有效期", "时限", "天", "工作日"), "多长时间": ("有效期", "时限", "天", "工作日"),
    "几天": ("天", "工作日", "有效期", "时限"), "有效": ("有效期", "有效"),
    "密码": ("密码", "初始密码"), "初始": ("初始密码", "初始"),
    "补办": ("补卡", "补换", "补办"), "补卡": ("补换", "补办"), "换卡": ("补换", "换领", "换卡"),
    "cost": ("fee", "cny", "yuan", "free"), "costs": ("fee", "cny", "yuan", "free"),
    "price": ("fee", "cny", "yuan"), "charge": ("fee", "cny", "yuan", "free"), "fee": ("cny", "yuan", "free"),
    "money": ("fee", "cny", "yuan"), "lose": ("lost", "loss"), "lost": ("loss",), "loss": ("lost",),
    "locked": ("lock",), "valid": ("lasts", "validity", "days"), "validity": ("lasts", "valid", "days"),
    "replace": ("replacement",), "replacement": ("replace", "replaced"), "password": ("pin",),
}
# Phrases folded before splitting into words.
PHRASES = (
    ("how much", " fee "), ("how long", " lasts time "), ("how many days", " days "),
    ("how many tries", " lock "), ("how many times", " lock "),
)
# Words that only make a question a question.
QUESTION_WORDS = frozenset(
    "怎么 怎么办 怎样 如何 吗 呢 请问 是 的 了 要 需要 什么 哪里 在哪 在哪里 办理 可以 能 我 我的 "
    "what how where when which does do did can could should i my me is are was be it its the a an in of "
    "for to on at by with from as about much many there this that".split()
)
_SPLIT = re.compile(r"[\s,，。?？!！、;；:：]+")


class Question:
    """The words to search for (each with the alternatives it may match) and the place named."""

    __slots__ = ("words", "place", "place_text")

    def __init__(self, words: list, place=None, place_text: str = "") -> None:
        self.words = words  # [(word, (alternative, ...)), ...]
        self.place = place  # a region id, or None
        self.place_text = place_text

    @property
    def text(self) -> str:
        return " ".join(w for w, _ in self.words)


def parse(text: str, place_of=None) -> Question:
    """The search words of text; place_of(name) -> region id or None finds a place it names.

    A place is taken only when exactly one real place has that name (an ambiguous name
    stays a word); only the first place named is used.
    """
    folded = text.casefold()
    for phrase, replacement in PHRASES:
        folded = folded.replace(phrase, replacement)
    place = None
    place_text = ""
    words: list = []
    for chunk in _SPLIT.split(folded):
        for piece in _pieces(chunk):
            if place is None and place_of is not None:
                found, rest = _place_in(piece, place_of)
                if found:
                    place, place_text = found, piece[: len(piece) - len(rest)] if piece.endswith(rest) else piece
                    piece = rest
            piece = piece.strip("吗呢啊呀") if has_cjk(piece) else piece
            if not piece or piece in QUESTION_WORDS:
                continue
            if piece not in (w for w, _ in words):
                words.append((piece, SYNONYMS.get(piece, ())))
    return Question(words, place, place_text)


def _place_in(piece: str, place_of):
    """(region id, what is left of piece) when piece is, starts or ends with a place name."""
    if len(piece) >= 2:
        found = place_of(piece)
        if found:
            return found, ""
    if has_cjk(piece):
        for size in range(min(8, len(piece) - 1), 1, -1):
            for name, rest in ((piece[:size], piece[size:]), (piece[-size:], piece[:-size])):
                found = place_of(name)
                if found:
                    return found, rest
    return None, piece


def _known() -> list:
    global _KNOWN
    if _KNOWN is None:
        _KNOWN = sorted({w for w in (*SYNONYMS, *QUESTION_WORDS) if starts_cjk(w) and len(w) >= 2},
                        key=len, reverse=True)
    return _KNOWN


_KNOWN: list[str] | None = None


def _pieces(chunk: str) -> list:
    """A Chinese run split at the everyday words and question words (two characters or more)
    it contains; anything else whole."""
    if not chunk or not has_cjk(chunk):
        return [chunk] if chunk else []
    known = _known()
    out, rest = [], chunk
    while rest:
        hit = next(((i, w) for i in range(len(rest)) for w in known if rest.startswith(w, i)), None)
        if hit is None:
            out.append(rest)
            break
        i, word = hit
        if i:
            out.append(rest[:i])
        out.append(word)
        rest = rest[i + len(word):]
    return out
