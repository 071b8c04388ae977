"""The BSN helpers: eleven-test, encryption, lookup hash, masking (unit + property tests)."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from maatwerk.cases import bsn

WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)


@st.composite
def valid_bsns(draw) -> str:
    """Draw 8 digits and pick the check digit that makes the eleven-test pass (skip if none)."""
    head = draw(st.lists(st.integers(0, 9), min_size=8, max_size=8))
    remainder = sum(d * w for d, w in zip(head, WEIGHTS, strict=True)) % 11
    assume(remainder <= 9)  # the check digit must be a single digit
    number = "".join(map(str, head)) + str(remainder)
    assume(number != "000000000")
    return number


@pytest.mark.parametrize("value", ["999000007", "999000019", "111222333", "123456782"])
def test_known_valid_numbers_pass(value):
    assert bsn.is_valid(value)
    assert bsn.validate(value) == value


@pytest.mark.parametrize(
    "value",
    ["000000000", "123456789", "999000008", "12345678", "1234567890", "12345678a", "", "١٢٣٤٥٦٧٨٢"],
)
def test_invalid_numbers_fail(value):
    assert not bsn.is_valid(value)
    with pytest.raises(ValidationError):
        bsn.validate(value)


def test_validation_error_does_not_repeat_the_number():
    with pytest.raises(ValidationError) as info:
        bsn.validate("999000008")
    assert "999000008" not in " ".join(info.value.messages)


def test_typed_separators_are_accepted():
    assert bsn.validate("9990.00.007") == "999000007"
    assert bsn.validate("999 000 007") == "999000007"


def test_mask_shows_only_the_last_three_digits():
    assert bsn.mask("999000007") == "******007"
    assert bsn.mask("") == ""


def test_ciphertext_is_random_and_hides_the_number():
    a, b = bsn.encrypt("999000007"), bsn.encrypt("999000007")
    assert a != b
    assert "999000007" not in a
    assert bsn.decrypt(a) == bsn.decrypt(b) == "999000007"


def test_wrong_key_cannot_decrypt():
    token = bsn.encrypt("999000007", secret="one-key-" * 5)
    with pytest.raises(ValueError):
        bsn.decrypt(token, secret="another-key-" * 5)


def test_lookup_hash_is_keyed_and_stable():
    assert bsn.lookup_hash("999000007") == bsn.lookup_hash("999 000 007")
    assert bsn.lookup_hash("999000007") != bsn.lookup_hash("999000019")
    assert bsn.lookup_hash("999000007", secret="x" * 40) != bsn.lookup_hash("999000007")
    assert "999000007" not in bsn.lookup_hash("999000007")


@given(valid_bsns())
def test_valid_numbers_round_trip(number):
    assert bsn.is_valid(number)
    token = bsn.encrypt(number)
    assert number not in token
    assert bsn.decrypt(token) == number
    assert bsn.mask(number).endswith(number[-3:])
    assert number[:6] not in bsn.mask(number)


@given(valid_bsns(), st.integers(0, 8), st.integers(1, 9))
def test_changing_one_digit_breaks_the_eleven_test(number, position, delta):
    """Weights 9..2 and -1 are all coprime with 11, so any single-digit change fails —
    except that the result may be the all-zero number, which fails anyway."""
    digits = list(number)
    digits[position] = str((int(digits[position]) + delta) % 10)
    assert not bsn.is_valid("".join(digits))


@given(st.text(max_size=12))
def test_validate_never_crashes_on_any_text(text):
    try:
        result = bsn.validate(text)
    except ValidationError:
        return
    assert bsn.is_valid(result)
