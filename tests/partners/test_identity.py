"""The pure rules of partner signals (partners.identity), property-tested."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from maatwerk.partners import identity
from maatwerk.partners.models import PartnerType

KEY = "k" * 40
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
amounts = st.integers(min_value=0, max_value=10**7)


# DDAS EnumSignaalpartner as ../shared/data/ddas-vroegsignalering.md lists it (VNG Realisatie,
# DDAS Vroegsignalering JSON Schema v0.9; the project keeps no copy of that file yet, the DDAS
# export of item 6 will keep the schema).
DDAS_ENUM_SIGNAALPARTNER = (
    "Energie; Huur; Hypotheek; CAK Zorgverzekeringen; Zorg; Water; DUO; Belastingdienst; "
    "CAK Eigen bijdrage; Overige; Dienst Toeslagen"
)


def test_the_partner_types_are_ddas_enum_signaalpartner():
    listed = [v.strip() for v in DDAS_ENUM_SIGNAALPARTNER.split(";")]
    assert list(identity.PARTNER_TYPES) == listed
    assert set(PartnerType.values) == set(listed)


@given(st.sampled_from(identity.PARTNER_TYPES), st.booleans())
def test_besluit_partners_always_send_others_only_when_enabled(kind, enabled):
    assert identity.may_send(kind, enabled) == (kind in identity.BESLUIT_TYPES or enabled)


def test_the_besluit_partners():
    assert {"Huur", "Energie", "Water", "Zorg"} == identity.BESLUIT_TYPES
    assert not identity.may_send("Geen type", True)


@given(days, st.integers(min_value=0, max_value=36))
def test_months_before_lands_that_many_months_back(day, months):
    earlier = identity.months_before(day, months)
    assert (day.year * 12 + day.month) - (earlier.year * 12 + earlier.month) == months
    assert earlier.day == day.day or (earlier.day < day.day and (earlier + timedelta(1)).day == 1)
    assert earlier <= day


def test_months_before_at_the_end_of_a_month():
    assert identity.months_before(date(2026, 5, 31), 3) == date(2026, 2, 28)
    assert identity.months_before(date(2028, 5, 31), 3) == date(2028, 2, 29)
    assert identity.months_before(date(2026, 1, 15), 3) == date(2025, 10, 15)


@given(days, amounts, st.lists(st.tuples(days, amounts), max_size=5))
def test_a_repeat_needs_an_earlier_signal_in_the_window_and_no_rise(day, amount, earlier):
    result = identity.is_repeat(amount=amount, signal_date=day, earlier=earlier, window_months=3)
    start = identity.months_before(day, 3)
    within = [e for e in earlier if start <= e[0] <= day]
    if not within:
        assert result is False
    else:
        latest = max(within)
        assert result == (amount <= latest[1])


@given(days, amounts, st.integers(min_value=1, max_value=1000))
def test_a_risen_amount_is_never_a_repeat(day, amount, rise):
    assert not identity.is_repeat(
        amount=amount + rise, signal_date=day, earlier=[(day, amount)], window_months=3
    )
    assert identity.is_repeat(
        amount=amount, signal_date=day, earlier=[(day, amount)], window_months=3
    )


@given(st.from_regex(r"[1-9][0-9]{3}[A-Z]{2}", fullmatch=True))
def test_postcodes(postcode):
    expected = postcode[4:] not in ("SA", "SD", "SS")
    assert identity.is_valid_postcode(postcode) == expected
    spaced = f" {postcode[:4]} {postcode[4:].lower()} "
    assert identity.normalise_postcode(spaced) == postcode


def test_impossible_postcodes():
    for value in ("0123AB", "123AB", "1234A", "12345B", "1234 AB", ""):
        assert not identity.is_valid_postcode(value)


@given(
    st.from_regex(r"[1-9][0-9]{3}[A-Z]{2}", fullmatch=True),
    st.integers(min_value=1, max_value=99999),
    st.sampled_from(["", "a", "A", "-a", " bis", "1"]),
    days,
)
def test_the_person_key_names_one_person_however_written(postcode, number, addition, born):
    key = identity.person_key(
        KEY, postcode=postcode, house_number=number, addition=addition, birth_date=born
    )
    again = identity.person_key(
        KEY,
        postcode=postcode[:4] + " " + postcode[4:].lower(),
        house_number=number,
        addition=addition.upper().replace("-", ""),
        birth_date=born,
    )
    assert key == again
    assert key != identity.person_key(
        KEY, postcode=postcode, house_number=number + 1, addition=addition, birth_date=born
    )
    assert key != identity.person_key(
        KEY, postcode=postcode, house_number=number, addition=addition,
        birth_date=born + timedelta(days=1),
    )  # fmt: skip
    assert postcode not in key


def test_the_person_key_of_a_bsn_hides_it_and_depends_on_the_key():
    key = identity.person_key(KEY, bsn="111222333")
    assert "111222333" not in key and len(key) == 64
    assert key != identity.person_key("x" * 40, bsn="111222333")
    assert key != identity.person_key(KEY, bsn="123456782")
