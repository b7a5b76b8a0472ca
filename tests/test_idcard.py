"""sscard.idcard: resident ID validation (GB 11643-1999), masking and ID-derived PINs.

Every valid ID number here is built by the test itself (base + computed check character);
none is a real person's.
"""

from __future__ import annotations

import datetime
import subprocess
import sys

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from sscard import idcard
from sscard.idcard import RULES, IdError, derive, digits, mask, validate

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def check_char(base17: str) -> str:
    """The GB 11643-1999 check character for 17 digits, computed independently of sscard."""
    assert len(base17) == 17 and base17.isdigit()
    return "10X98765432"[sum(int(c) * w for c, w in zip(base17, WEIGHTS)) % 11]


def make_id(base17: str) -> str:
    return base17 + check_char(base17)


def with_birth(date: str, region: str = "110105", seq: str = "123") -> str:
    """A valid-check-digit ID with the given YYYYMMDD at positions 7-14."""
    return make_id(region + date + seq)


def error_of(text: str) -> IdError:
    with pytest.raises(IdError) as info:
        validate(text)
    return info.value


def leaks(exc: BaseException, secret: str) -> bool:
    """Whether any rendering of the error contains the secret."""
    texts = [str(exc), repr(exc), getattr(exc, "message_zh", ""), *map(str, exc.args)]
    return any(secret in t for t in texts)


ID_X = make_id("11010519491231002")  # the example in GB 11643-1999 itself
ID_DIGIT = make_id("31011519900307123")
ID_LEAP = make_id("51010820000229456")


# --- the helper and the valid cases ----------------------------------------------------


def test_helper_reproduces_the_standards_own_example():
    assert ID_X == "11010519491231002X"
    assert ID_DIGIT[-1].isdigit()


@pytest.mark.parametrize("good", [ID_X, ID_DIGIT, ID_LEAP, with_birth("19000101"), with_birth("20000229")])
def test_valid_ids_come_back_unchanged(good):
    assert validate(good) == good


def test_surrounding_whitespace_is_stripped():
    assert validate(f"  \t{ID_X}\n") == ID_X
    assert validate(f"\u3000{ID_DIGIT}\u3000") == ID_DIGIT  # ideographic (full-width) space


def test_full_width_digits_and_x_are_normalized():
    full = ID_X.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"})
    assert full != ID_X and full.startswith("１１０１")
    assert validate(full) == ID_X
    assert validate(full[:-1] + "ｘ") == ID_X  # full-width lowercase x


def test_lowercase_x_is_uppercased():
    assert validate(ID_X.lower()) == ID_X


def test_leap_days():
    assert validate(with_birth("20000229"))  # divisible by 400: leap
    assert validate(with_birth("19960229"))
    for date in ("19000229", "21000229", "19990229"):  # by 100 but not 400; odd year
        assert "not a real calendar date" in str(error_of(with_birth(date)))


def test_birth_date_boundaries(monkeypatch):
    monkeypatch.setattr(idcard, "_today", lambda: (2024, 6, 15))
    assert validate(with_birth("19000101"))
    assert validate(with_birth("20240615"))  # born today
    assert "in the future" in str(error_of(with_birth("20240616")))


# --- one test per failure class ----------------------------------------------------------


def test_empty():
    for text in ("", "   ", "\u3000"):
        exc = error_of(text)
        assert str(exc) == "the ID number is empty"
        assert exc.message_zh == "身份证号码为空"


@pytest.mark.parametrize("text", [ID_X[:-1], ID_X + "1", "123"])
def test_wrong_length(text):
    exc = error_of(text)
    assert str(exc) == f"the ID number has {len(text)} characters; it must have 18"
    assert exc.message_zh == f"身份证号码有{len(text)}位，应为18位"


def test_internal_whitespace_is_not_removed():
    exc = error_of(ID_X[:6] + " " + ID_X[6:])
    assert "19 characters" in str(exc)


def test_non_digit_in_first_17():
    exc = error_of(ID_DIGIT[:4] + "A" + ID_DIGIT[5:])
    assert str(exc) == ("character 5 of the ID number is not a digit; "
                        "the first 17 characters must be digits")
    assert exc.message_zh == "身份证号码第5位不是数字；前17位必须都是数字"


def test_non_ascii_digits_are_not_digits():
    arabic_indic = "".join(chr(0x660 + int(c)) for c in ID_DIGIT)  # str.isdigit() is True for these
    assert "character 1 " in str(error_of(arabic_indic))
    assert "character 3 " in str(error_of(ID_DIGIT[:2] + "²" + ID_DIGIT[3:]))


def test_x_before_the_last_position():
    exc = error_of(ID_X[:9] + "x" + ID_X[10:])
    assert str(exc) == "the ID number has an X at position 10; X is allowed only as the last character"
    assert exc.message_zh == "身份证号码第10位是X；X只能是最后一位"


@pytest.mark.parametrize("last", ["A", "-", "*", "Y", "十"])
def test_bad_last_character(last):
    exc = error_of(ID_X[:-1] + last)
    assert str(exc) == "the last character of the ID number must be a digit or X"
    assert exc.message_zh == "身份证号码最后一位必须是数字或X"


@pytest.mark.parametrize("date", ["19491331", "19490001", "19490100", "19490431", "19490230", "00000000"])
def test_birth_date_not_a_real_date(date):
    exc = error_of(with_birth(date))
    assert str(exc) == "the birth date in the ID number (positions 7-14) is not a real calendar date"
    assert exc.message_zh == "身份证号码第7至14位的出生日期不是真实存在的日期"


def test_birth_date_in_the_future():
    exc = error_of(with_birth("29991231"))  # real clock, no patching
    assert str(exc) == "the birth date in the ID number (positions 7-14) is in the future"
    assert exc.message_zh == "身份证号码第7至14位的出生日期晚于今天"


@pytest.mark.parametrize("date", ["18991231", "18000101", "00010101"])
def test_birth_date_before_1900(date):
    exc = error_of(with_birth(date))
    assert str(exc) == "the birth date in the ID number (positions 7-14) is before 1900-01-01"
    assert exc.message_zh == "身份证号码第7至14位的出生日期早于1900年1月1日"


def test_wrong_check_digit():
    wrong = ID_DIGIT[:-1] + ("1" if ID_DIGIT[-1] != "1" else "2")
    exc = error_of(wrong)
    assert str(exc) == ("the ID number's check digit (last character) does not match the other 17; "
                        "a character is probably mistyped")
    assert exc.message_zh == "身份证号码校验位（最后一位）与前17位不符，可能有输入错误"
    assert ID_DIGIT[-1] not in str(exc).replace("17", "")  # the expected check digit is not given away


def test_mistyped_digit_is_caught():
    swapped = ID_DIGIT[:15] + ID_DIGIT[16] + ID_DIGIT[15] + ID_DIGIT[17]  # adjacent transposition
    assert swapped != ID_DIGIT
    assert "check digit" in str(error_of(swapped))


def test_non_string_is_a_type_error():
    with pytest.raises(TypeError):
        validate(110105194912310021)  # type: ignore[arg-type]


# --- the error type and what messages reveal ----------------------------------------------


def test_id_error_shape():
    exc = error_of("123")
    assert isinstance(exc, ValueError)
    assert "\n" not in str(exc) and "\n" not in exc.message_zh
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.message_zh)
    assert exc.args == (str(exc),)
    assert exc.__cause__ is None


FAILING = [
    ID_X[:-1],
    ID_X + "9",
    ID_DIGIT[:4] + "A" + ID_DIGIT[5:],
    ID_X[:9] + "X" + ID_X[10:],
    ID_X[:-1] + "A",
    with_birth("19491331"),
    with_birth("29991231"),
    with_birth("18991231"),
    ID_DIGIT[:-1] + ("1" if ID_DIGIT[-1] != "1" else "2"),
]


@pytest.mark.parametrize("bad", FAILING)
def test_messages_never_contain_the_id(bad):
    exc = error_of(f" {bad} ")
    for secret in (bad, bad.upper(), bad[:17], bad[1:]):
        assert not leaks(exc, secret)
    # not even the birth date or the region code
    assert not leaks(exc, bad[6:14]) and not leaks(exc, bad[:6])


_ID_CHARS = st.sampled_from("0123456789Xx０１２３４５６７８９Ｘｘ")


@given(st.text(_ID_CHARS, min_size=6, max_size=30))
@example("110105194912310021")
def test_property_id_like_text_never_leaks(text):
    try:
        validate(text)
    except IdError as exc:
        assert not leaks(exc, text)
        assert not leaks(exc, idcard._normalize(text))


# --- properties of validate ---------------------------------------------------------------


@given(st.text())
@example("\x00" * 18)
@example("\ud800" * 18)
@example("١" * 18)
@example(" " * 18 + "1")
@settings(max_examples=500)
def test_property_validate_raises_only_id_error(text):
    try:
        result = validate(text)
    except IdError as exc:
        assert str(exc) and exc.message_zh
        assert "\n" not in str(exc)
    else:
        assert len(result) == 18 and validate(result) == result


@given(st.dates(min_value=datetime.date(1900, 1, 1),
                max_value=datetime.date.today() - datetime.timedelta(days=1)),
       st.text("0123456789", min_size=9, max_size=9))
def test_property_every_real_past_date_is_accepted(date, rest):
    good = make_id(rest[:6] + date.strftime("%Y%m%d") + rest[6:])
    assert validate(good) == good


@given(st.integers(1900, 2100), st.integers(0, 99), st.integers(0, 99))
def test_property_calendar_matches_datetime(year, month, day):
    try:
        datetime.date(year, month, day)
        real = True
    except ValueError:
        real = False
    try:
        validate(with_birth(f"{year:04d}{month:02d}{day:02d}"))
        accepted = True
    except IdError as exc:
        accepted = False
        assert ("not a real calendar date" in str(exc)) == (not real)
    if accepted:
        assert real


@given(st.text("0123456789", min_size=9, max_size=9),
       st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2020, 12, 31)),
       st.integers(0, 17), st.sampled_from("0123456789X"))
def test_property_any_single_substitution_is_rejected(rest, date, position, new):
    good = validate(make_id(rest[:6] + date.strftime("%Y%m%d") + rest[6:]))
    assume(good[position] != new)
    with pytest.raises(IdError):
        validate(good[:position] + new + good[position + 1:])


# --- digits ---------------------------------------------------------------------------------


def test_digits():
    assert digits(ID_X, 12, 17) == ID_X[11:17] == "231002"
    assert digits(ID_X, 1, 18) == ID_X
    assert digits(ID_X, 18, 18) == "X"
    assert digits(f" {ID_X.lower()} ", 13, 18) == "31002X"  # normalized first


def test_digits_validates():
    with pytest.raises(IdError):
        digits(ID_X[:-1] + "0", 12, 17)


@pytest.mark.parametrize("first, last", [(0, 6), (12, 11), (13, 19), (-6, -1)])
def test_digits_bad_positions(first, last):
    with pytest.raises(ValueError) as info:
        digits(ID_X, first, last)
    assert not isinstance(info.value, IdError)


# --- mask -------------------------------------------------------------------------------------


def test_mask_examples():
    assert mask(ID_DIGIT, 12, 17) == "*" * 11 + ID_DIGIT[11:17] + "*"
    assert mask(ID_X) == "*" * 18
    assert mask(ID_X, 0, 18) == "*" * 18  # first=0: everything masked
    assert mask(ID_X, 18, 18) == "*" * 17 + "X"
    assert mask(ID_X, 1, 18) == ID_X
    assert mask(ID_X, 13, 99) == "*" * 12 + ID_X[12:]
    assert mask(ID_X, -5, -1) == "*" * 18  # no negative indexing
    assert mask(ID_X, 12, 11) == "*" * 18
    assert mask("", 1, 5) == ""
    assert mask("abc", 2, 2) == "*b*"  # any string, even invalid


@given(st.text(), st.integers(-40, 40), st.integers(-40, 40))
@example("110105194912310021", 12, 17)
@example("abc", 0, 3)
def test_property_mask_reveals_only_the_window(text, first, last):
    out = mask(text, first, last)
    assert len(out) == len(text)
    revealed = [i + 1 for i, ch in enumerate(out) if ch != "*"]
    for position in revealed:
        assert first >= 1 and first <= position <= last
        assert out[position - 1] == text[position - 1]
    if first < 1 or last < first:
        assert set(out) <= {"*"}


# --- derive -----------------------------------------------------------------------------------


def test_rules():
    assert RULES == {"id-12-17": (12, 17), "id-last-6": (13, 18)}


def test_derive_id_12_17():
    assert derive("id-12-17", ID_DIGIT) == ID_DIGIT[11:17]
    assert derive("id-12-17", ID_X) == "231002"  # an X-ending ID is fine: position 18 is not used
    assert derive("id-12-17", f" {ID_X.lower()} ") == "231002"


def test_derive_id_last_6():
    assert derive("id-last-6", ID_DIGIT) == ID_DIGIT[12:]
    assert len(derive("id-last-6", ID_LEAP)) == 6


def test_derive_id_last_6_refuses_x():
    with pytest.raises(IdError) as info:
        derive("id-last-6", ID_X)
    exc = info.value
    assert "ends in X" in str(exc) and "id-last-6" in str(exc)
    assert "以X结尾" in exc.message_zh
    assert not leaks(exc, ID_X) and not leaks(exc, "31002")


def test_derive_validates_first():
    with pytest.raises(IdError) as info:
        derive("id-12-17", ID_X[:-1] + "0")
    assert "check digit" in str(info.value)


def test_derive_unknown_rule():
    with pytest.raises(KeyError) as info:
        derive("id-1-6", ID_DIGIT)
    assert "id-1-6" in str(info.value) and "id-12-17" in str(info.value)
    assert not leaks(info.value, ID_DIGIT)


@given(st.text("0123456789", min_size=9, max_size=9),
       st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2020, 12, 31)))
def test_property_derive_is_six_digits(rest, date):
    good = make_id(rest[:6] + date.strftime("%Y%m%d") + rest[6:])
    for rule, (first, last) in RULES.items():
        if "X" in good[first - 1:last]:
            with pytest.raises(IdError):
                derive(rule, good)
        else:
            pin = derive(rule, good)
            assert len(pin) == 6 and pin.isdigit() and pin == good[first - 1:last]


# --- import cost --------------------------------------------------------------------------------


def test_import_loads_nothing_else():
    code = ("import sys, sscard; before = set(sys.modules); import sscard.idcard; "
            "print(sorted(set(sys.modules) - before))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['sscard.idcard']"
