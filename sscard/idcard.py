"""Chinese resident ID numbers (居民身份证号码): validation, masking and ID-derived PINs.

Some banks set a social security card's initial PIN from the holder's 18-character ID
number, e.g. "digits 12 to 17". This module checks an ID number (GB 11643-1999) and
cuts such a PIN out of it without ever putting the whole number into a message.

Positions are 1-based and inclusive throughout, as banks and the standard count them.

Import cost matters (the CLI has a start-up budget), so this module imports nothing at
import time; the clock is read with the built-in ``time`` module only when needed.
"""

# Rules a data file can name for an ID-derived PIN. Map a rule name to (first, last) positions.
RULES = {"id-12-17": (12, 17), "id-last-6": (13, 18)}

ID_LENGTH = 18
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_DIGITS = frozenset("0123456789")
_EARLIEST = (1900, 1, 1)
_CHINA_UTC_OFFSET = 8 * 3600  # birth dates in ID numbers are Beijing-time calendar dates


class IdError(ValueError):
    """A resident ID number that is not valid; str(exc) is a clear one-line message in English,
    and exc.message_zh holds the same in Chinese. Messages never contain the full ID number."""

    def __init__(self, message: str, message_zh: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh or message


def _fold(ch: str) -> str:
    """Full-width digits and Latin letters to ASCII; anything else unchanged."""
    if "\uff10" <= ch <= "\uff19" or "\uff21" <= ch <= "\uff3a" or "\uff41" <= ch <= "\uff5a":
        return chr(ord(ch) - 0xFEE0)
    return ch


def _normalize(id_number: str) -> str:
    text = id_number.strip()
    if not text.isascii():
        text = "".join(map(_fold, text))
    return text.replace("x", "X")


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if _is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _today() -> tuple:
    """Today's date in China Standard Time (UTC+8) as (year, month, day)."""
    import time

    now = time.gmtime(time.time() + _CHINA_UTC_OFFSET)
    return (now.tm_year, now.tm_mon, now.tm_mday)


def validate(id_number: str) -> str:
    """Return the normalized ID (strip surrounding whitespace, full-width digits/letters -> ASCII, 'x' -> 'X')
    or raise IdError. Checks, each with its own message: length 18; first 17 characters are digits;
    last character a digit or 'X' (X allowed only last); birth date at positions 7-14 (YYYYMMDD) is a real
    calendar date, not in the future, and not before 1900-01-01; GB 11643-1999 check digit
    (weights 7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2; remainder map '10X98765432')."""
    if not isinstance(id_number, str):
        raise TypeError(f"an ID number must be a str, not {type(id_number).__name__}")
    text = _normalize(id_number)

    if not text:
        raise IdError("the ID number is empty", "身份证号码为空")
    if len(text) != ID_LENGTH:
        raise IdError(
            f"the ID number has {len(text)} characters; it must have 18",
            f"身份证号码有{len(text)}位，应为18位",
        )
    for position, ch in enumerate(text[:17], start=1):
        if ch == "X":
            raise IdError(
                f"the ID number has an X at position {position}; X is allowed only as the last character",
                f"身份证号码第{position}位是X；X只能是最后一位",
            )
        if ch not in _DIGITS:
            raise IdError(
                f"character {position} of the ID number is not a digit; the first 17 characters must be digits",
                f"身份证号码第{position}位不是数字；前17位必须都是数字",
            )
    if text[17] not in _DIGITS and text[17] != "X":
        raise IdError(
            "the last character of the ID number must be a digit or X",
            "身份证号码最后一位必须是数字或X",
        )

    year, month, day = int(text[6:10]), int(text[10:12]), int(text[12:14])
    if not (1 <= month <= 12 and 1 <= day <= _days_in_month(year, month)):
        raise IdError(
            "the birth date in the ID number (positions 7-14) is not a real calendar date",
            "身份证号码第7至14位的出生日期不是真实存在的日期",
        )
    if (year, month, day) < _EARLIEST:
        raise IdError(
            "the birth date in the ID number (positions 7-14) is before 1900-01-01",
            "身份证号码第7至14位的出生日期早于1900年1月1日",
        )
    if (year, month, day) > _today():
        raise IdError(
            "the birth date in the ID number (positions 7-14) is in the future",
            "身份证号码第7至14位的出生日期晚于今天",
        )

    total = sum(int(ch) * weight for ch, weight in zip(text, _WEIGHTS))
    if text[17] != _CHECK_CHARS[total % 11]:
        # The expected check character is deliberately not shown: "fixing" the last
        # character to match would hide a mistyped digit and yield a wrong PIN.
        raise IdError(
            "the ID number's check digit (last character) does not match the other 17; "
            "a character is probably mistyped",
            "身份证号码校验位（最后一位）与前17位不符，可能有输入错误",
        )
    return text


_ID_LIKE = None


def redact(text: str) -> str:
    """text with anything shaped like an 18-character ID number (valid or not) replaced by stars.

    Applied to every line sscard writes, so an ID typed where a place, a bank or an
    extra argument belongs, or inside a batch line, is never echoed in full.
    """
    global _ID_LIKE
    if not isinstance(text, str) or len(text) < ID_LENGTH or not _may_hold_id(text):
        return text
    if _ID_LIKE is None:
        import re

        _ID_LIKE = re.compile("(?<![0-9A-Za-z\uff10-\uff19])[0-9\uff10-\uff19]{17}[0-9Xx\uff10-\uff19\uff38\uff58]"
                              "(?![0-9A-Za-z\uff10-\uff19])")
    return _ID_LIKE.sub("*" * ID_LENGTH, text)


_DIGITS_ONLY = bytes(48 if 48 <= i <= 57 else 32 for i in range(256))  # ASCII digit -> '0', else ' '
_RUN = b"0" * (ID_LENGTH - 1)
_WIDE_DIGITS = "０１２３４５６７８９"


def _may_hold_id(text: str) -> bool:
    """A cheap first pass: a run of 17 ASCII digits, or any full-width digit (the regex then decides).

    The regex alone costs about 1 ms on a 12 KB answer, and every line written passes here.
    """
    if any(ch in text for ch in _WIDE_DIGITS):
        return True
    return _RUN in text.encode("utf-8", "surrogatepass").translate(_DIGITS_ONLY)


def looks_like_id(text: str) -> bool:
    """Whether text holds something shaped like an ID number (for a hint towards --id -)."""
    return redact(text) != text


def _check_window(first: int, last: int) -> None:
    if not (1 <= first <= last <= ID_LENGTH):
        raise ValueError(f"positions must satisfy 1 <= first <= last <= 18, got {first}..{last}")


def digits(id_number: str, first: int, last: int) -> str:
    """Positions first..last (1-based, inclusive) of a validated ID."""
    _check_window(first, last)
    return validate(id_number)[first - 1:last]


def mask(id_number: str, first: int = 0, last: int = 0) -> str:
    """The ID with every character replaced by '*' except positions first..last (1-based, inclusive),
    e.g. mask(id, 12, 17) -> '***********123456*'. With first=0 everything is masked.
    Works on any string (even invalid input) without revealing more than the chosen positions."""
    # Never normalizes (that would change the length) and never uses negative indexing:
    # a window with first < 1 or last < first reveals nothing.
    length = len(id_number)
    if first < 1 or last < first or first > length:
        return "*" * length
    stop = min(last, length)
    return "*" * (first - 1) + id_number[first - 1:stop] + "*" * (length - stop)


def derive(rule: str, id_number: str) -> str:
    """Validate, then return the PIN for the rule. For 'id-last-6', if the last character is 'X',
    raise IdError explaining that an X-ending ID has no 6-digit rule here (do NOT guess any bank's practice).
    Unknown rule -> KeyError."""
    if rule not in RULES:
        raise KeyError(f"unknown ID-derived PIN rule {rule!r}; known rules: {', '.join(sorted(RULES))}")
    first, last = RULES[rule]
    pin = digits(id_number, first, last)
    if "X" in pin:
        raise IdError(
            f"rule {rule} needs digits only, but this ID number ends in X; "
            "no rule for X-ending ID numbers is recorded here, so ask the bank",
            f"规则{rule}需要纯数字，但此身份证号码以X结尾；此处没有记录以X结尾号码的规则，请向银行咨询",
        )
    return pin
