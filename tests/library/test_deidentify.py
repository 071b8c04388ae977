"""The project's own de-identification checks, without deduce (fast, deterministic)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk.library.deidentify import (
    KnownPersonalData,
    Replacement,
    assert_clean,
    deidentify,
    leftovers,
    no_model,
)

KNOWN = KnownPersonalData(
    names=("Fatima", "El Amrani", "Daan", "van der Berg"),
    bsns=("111222333",),
    birth_dates=(date(1985, 3, 12),),
    streets=("Kerkstraat",),
    house_numbers=("14",),
    postcodes=("3511 AB",),
    phones=("06-12345678",),
    emails=("fatima@example.nl",),
)


def clean(text, known=KNOWN):
    return deidentify(text, known, model=no_model)


@pytest.mark.parametrize(
    ("text", "gone", "placeholder"),
    [
        ("Mevrouw El Amrani belde.", "Amrani", "[naam]"),
        ("Fatima belde op maandag.", "Fatima", "[naam]"),
        ("Daan van der Berg kwam langs.", "Berg", "[naam]"),
        ("BSN 111 222 333 stond erop.", "222", "[bsn]"),
        ("Geboren 12-03-1985 in het ziekenhuis.", "1985", "[datum]"),
        ("Geboren op 12 maart 1985.", "1985", "[datum]"),
        ("Geboren 1985-03-12.", "1985", "[datum]"),
        ("Ze woont aan de Kerkstraat 14.", "Kerkstraat", "[adres]"),
        ("Postcode 3511AB klopt.", "3511", "[postcode]"),
        ("Bel +31 6 1234 5678 terug.", "5678", "[telefoonnummer]"),
        ("Mail fatima@example.nl even.", "example", "[e-mail]"),
        ("Nummer 123456782 is geldig.", "123456782", "[bsn]"),  # eleven-test valid, unknown
        ("De buurman Piet de Vries hielp.", "Vries", "[naam]"),
        ("Op school De Regenboog ging het goed.", "Regenboog", "[naam]"),
        ("Ze woont aan de Dorpsstraat.", "Dorpsstraat", "[adres]"),
        ("Verhuurder Van Dam wilde niet.", "Dam", "[naam]"),
    ],
)
def test_what_is_replaced(text, gone, placeholder):
    result = clean(text)
    assert gone not in result.text
    assert placeholder in result.text
    assert leftovers(result.text, KNOWN) == []


def test_domain_words_stay():
    text = "De kostendelersnorm van de Participatiewet; Toeslagen verrekende 3 maanden lang."
    assert clean(text).text == text


def test_the_title_stays_and_replacements_say_where():
    result = clean("Mevrouw El Amrani belde.")
    assert result.text == "Mevrouw [naam] belde."
    assert result.replacements == (Replacement(8, 14, "name"),)
    assert result.text[8:14] == "[naam]"


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("Op 3 maart kwam de brief van de verhuurder.", "3 maart"),
        ("De ontruiming stond op 12 januari gepland.", "12 januari"),
        ("Rond 5 sept. ging het mis.", "5 sept"),
        ("Vanaf 1e april betaalt het wijkteam.", "1e april"),
        ("Tot 31 December.", "31 December"),
        ("Zitting 4 mrt 2025 om tien uur.", "4 mrt 2025"),
    ],
)
def test_a_day_and_month_without_a_year_is_a_date(text, gone):
    """Issue 16: a date without its year is removed like a full one."""
    result = clean(text, KnownPersonalData())
    assert gone not in result.text
    assert "[datum]" in result.text
    assert [r.kind for r in result.replacements] == ["date"]


def test_a_month_alone_or_inside_a_word_stays():
    text = "In maart kwam 3 man; de 2 decembermaanden en 12 jannen bleven."
    assert clean(text, KnownPersonalData()).text == text


def test_the_birthday_without_its_year_is_known_data():
    assert leftovers("Ze is jarig op 12 maart.", KNOWN) == ["date"]
    assert leftovers("Ze is jarig op 13 maart.", KNOWN) == []


def test_placeholders_survive_a_second_run():
    once = clean("Fatima woont aan de Kerkstraat 14.").text
    assert clean(once).text == once


def test_assert_clean_refuses_known_data_and_names_the_kind_only():
    with pytest.raises(ValidationError) as error:
        assert_clean({"story": "Fatima is er.", "title": "Goed"}, KNOWN)
    messages = error.value.message_dict
    assert list(messages) == ["story"]
    assert "Fatima" not in messages["story"][0]


def test_assert_clean_refuses_an_eleven_test_number_it_does_not_know():
    with pytest.raises(ValidationError):
        assert_clean({"story": "nummer 123 456 782"}, KnownPersonalData())
    assert_clean({"story": "nummer 123 456 789"}, KnownPersonalData())  # fails the test: fine


def _eleven_valid(digits: list[int]) -> str | None:
    total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
    last = total % 11
    return None if last == 10 or not any(digits) else "".join(map(str, digits)) + str(last)


NAMES = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=3, max_size=10
).map(str.capitalize)
FILLER = st.lists(
    st.sampled_from(
        [
            "de",
            "huur",
            "werd",
            "betaald",
            "door",
            "het",
            "wijkteam",
            "na",
            "overleg",
            "met",
            "Toeslagen",
            "en",
            "zij",
            "kreeg",
            "uitstel",
            ",",
            ".",
            "€",
            "300",
            "12",
            "maanden",
        ]
    ),
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(
    first=NAMES,
    last=NAMES,
    digits=st.lists(st.integers(0, 9), min_size=8, max_size=8),
    before=FILLER,
    after=FILLER,
    sep=st.sampled_from(["", " ", "-", "."]),
    upper=st.booleans(),
)
def test_known_names_and_bsns_never_survive(first, last, digits, before, after, sep, upper):
    bsn = _eleven_valid(digits)
    known = KnownPersonalData(names=(first, last), bsns=(bsn,) if bsn else ())
    typed_bsn = sep.join([bsn[:3], bsn[3:6], bsn[6:]]) if bsn else ""
    name = f"{first} {last}".upper() if upper else f"{first} {last}"
    text = " ".join([*before, name, "bsn", typed_bsn, *after])
    out = deidentify(text, known, model=no_model).text
    words = {w.casefold() for w in out.replace("[", " ").replace("]", " ").split()}
    assert first.casefold() not in words
    assert last.casefold() not in words
    if bsn:
        assert bsn not in "".join(ch for ch in out if ch.isdigit())
    assert_clean({"story": out}, known)
