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
        ("Familie Visser, BSN 123456782, krijgt geen toeslag", ["bsn", "name"]),
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
