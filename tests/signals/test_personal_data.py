"""Policy makers read a signal's texts and never a case: a BSN, an e-mail address, a phone
number, a postcode or a household's name in them is refused (walk finding: "Familie Visser,
BSN 123456782" was saved and shown to policy staff)."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk.cases import bsn
from maatwerk.signals import personal_data, services
from maatwerk.signals.models import Contribution, Signal

from ..factories import ResidentFactory
from .test_signal_objects import TODAY, _obstacle, people, rule  # noqa: F401


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Familie Visser, BSN 123456782, krijgt geen toeslag", ["bsn", "person", "name"]),
        ("bsn 123 456 782", ["bsn"]),
        ("bsn 123.45.67.82", ["bsn"]),
        ("mail j.visser@example.nl", ["email", "name"]),
        ("bel 06-12345678", ["phone"]),
        ("bel +31 6 1234 5678", ["phone"]),
        ("woont op 1234 AB", ["postcode"]),
        ("Toeslag verrekend met schuld: werk stopt", []),
        ("Bedrag 123456789 euro is geen BSN", []),  # fails the eleven-test
        ("Sinds 2026 vaker, 12 huishoudens", []),
    ],
)
def test_found(text, kinds):
    assert personal_data.found(text, ["Jan", "Visser"]) == kinds


def _valid_bsn(n: int) -> str:
    digits = [int(d) for d in f"{n:08d}"]
    total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
    return f"{n:08d}{total % 11}"


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=1, max_value=99_999_999),
    st.text(alphabet="abc XYZ,;:", max_size=20),
    st.text(alphabet="abc XYZ,;:", max_size=20),
)
def test_every_valid_bsn_in_a_text_is_found(n, before, after):
    number = _valid_bsn(n)
    if not (number[-1].isdigit() and len(number) == 9 and bsn.is_valid(number)):
        return  # a remainder of 10 gives no valid BSN for these eight digits
    assert "bsn" in personal_data.found(f"{before} {number} {after}")


def test_a_household_name_or_bsn_is_refused_and_nothing_saved(people, rule):  # noqa: F811
    obstacle = _obstacle(people["worker"], people["team"], rule)
    ResidentFactory(household=obstacle.case.household, first_name="Jolanda", last_name="Visser")
    with pytest.raises(ValidationError) as refused:
        services.raise_signal(
            people["worker"], obstacle=obstacle, title="Komt vaker voor",
            summary="Familie Visser krijgt de toeslag verrekend.", owner_kind="national",
            today=TODAY,
        )  # fmt: skip
    assert "summary" in refused.value.message_dict
    assert "Visser" not in str(refused.value.message_dict)  # the value is never repeated
    assert not Signal.objects.exists()
    signal = services.raise_signal(
        people["worker"], obstacle=obstacle, title="Komt vaker voor",
        summary="De toeslag wordt verrekend met een schuld.", owner_kind="national", today=TODAY,
    )  # fmt: skip
    for text in ("Jolanda belt morgen", "BSN 123456782"):
        with pytest.raises(ValidationError):
            services.add_contribution(people["worker"], signal, text)
    assert not Contribution.objects.exists()
    with pytest.raises(ValidationError):
        services.transition(
            people["analyst"], signal, "acknowledged", note="Zie 123456782", today=TODAY
        )
    signal.refresh_from_db()
    assert signal.status == "new"


# Walk 14: "Mevrouw Jansen op Dorpsstraat 12 werd in de winter afgesloten." was accepted.
@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Mevrouw Jansen op Dorpsstraat 12 werd in de winter afgesloten.", ["address", "person"]),
        ("woont Stationsweg 4a", ["address"]),
        ("Oudegracht 12-2 boven", ["address"]),
        ("bilderdijkstraat 7.", ["address"]),
        ("dhr. van der Berg belde", ["person"]),
        ("mevr. de Vries", ["person"]),
        ("Mw. Bakker", ["person"]),
        ("de heer Bakker", ["person"]),
        ("familie El Amrani", ["person"]),
        # Normal policy sentences stay allowed.
        ("De Participatiewet artikel 18 lid 2", []),
        ("Het tijdpad 3 maanden is te kort", []),
        ("Uitspraak Gerechtshof 2023 over verrekening", []),
        ("De toeslag valt weg 3 maanden lang", []),
        ("De familie kreeg geen bericht; meneer belde zelf", []),
        ("De familie van de cliënt helpt", []),
        ("Rotterdam 12, Utrecht 8 signalen", []),
    ],
)
def test_addresses_and_titled_names_are_found(text, kinds):
    assert personal_data.found(text) == kinds


_STREET_WORDS = st.sampled_from(["Dorps", "Kerk", "Stations", "Molen", "Oude", "Bilderdijk"])
_SUFFIXES = st.sampled_from(["straat", "laan", "weg", "plein", "gracht", "kade", "singel", "hof",
                             "dreef", "pad", "steeg", "dijk"])  # fmt: skip
_FILLER = st.text(alphabet="abc XYZ,;:", max_size=20)


@settings(max_examples=200, deadline=None)
@given(_STREET_WORDS, _SUFFIXES, st.integers(1, 1899), st.sampled_from(["", "a", " B", "-2"]),
       _FILLER, _FILLER)  # fmt: skip
def test_every_street_with_a_house_number_is_found(street, suffix, number, addition, before, after):
    text = f"{before} {street}{suffix} {number}{addition}, {after}"
    assert "address" in personal_data.found(text)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["mevrouw", "Mevrouw", "mevr.", "Mw.", "meneer", "dhr.", "de heer", "familie"]),
    st.sampled_from(["", "van ", "de ", "van der ", "Van "]),
    st.sampled_from(["Jansen", "Vries", "Berg", "Öztürk", "El-Amrani"]),
    _FILLER,
    _FILLER,
)
def test_every_title_with_a_surname_is_found(title, prefix, surname, before, after):
    assert "person" in personal_data.found(f"{before} {title} {prefix}{surname} {after}")


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["De Participatiewet", "Artikel", "De Jeugdwet", "Hoofdstuk", "Sinds"]),
    st.integers(1, 99),
    st.sampled_from(["lid 2", "maanden", "weken", "huishoudens", "keer", "euro"]),
)
def test_policy_sentences_with_numbers_pass(start, number, rest):
    assert personal_data.found(f"{start} artikel {number} {rest}") == []
    assert personal_data.found(f"{start} {number} {rest}") == []


def test_an_address_in_a_signal_is_refused_and_named(people, rule):  # noqa: F811
    obstacle = _obstacle(people["worker"], people["team"], rule)
    with pytest.raises(ValidationError) as refused:
        services.raise_signal(
            people["worker"], obstacle=obstacle, title="Afgesloten",
            summary="Mevrouw Jansen op Dorpsstraat 12 werd in de winter afgesloten.",
            owner_kind="national", today=TODAY,
        )  # fmt: skip
    message = str(refused.value.message_dict["summary"])
    assert "Jansen" not in message and "Dorpsstraat" not in message
    assert not Signal.objects.exists()
