"""Answers a partner's developer can act on (walk of issue 15): Dutch, the field named once,
and the partner's own id on a refused signal in a batch."""

from datetime import timedelta

from django.utils import timezone

from maatwerk.partners.models import EarlySignal

from .conftest import rent_signal
from .test_api import URL, post


def _errors(response) -> dict[str, str]:
    return {e["field"]: e["detail"] for e in response.json()["errors"]}


def test_an_impossible_date_is_named_once_in_dutch(api):
    person = {"postcode": "1234AB", "huisnummer": 1, "geboortedatum": "1980-02-30"}
    errors = _errors(post(api, rent_signal(persoon=person)))
    assert "bestaat niet" in errors["persoon.geboortedatum"]
    future = (timezone.localdate() + timedelta(days=30)).isoformat()
    errors = _errors(post(api, rent_signal(persoon={**person, "geboortedatum": future})))
    assert list(errors) == ["persoon.geboortedatum"]  # not persoon.geboortedatum.geboortedatum
    assert "toekomst" in errors["persoon.geboortedatum"]


def test_arrears_cannot_arise_in_the_future(api):
    future = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = post(api, rent_signal(ontstaansdatum=future, signaaldatum=future))
    assert response.status_code == 400 and "signaaldatum" in _errors(response)
    assert not EarlySignal.objects.exists()


def test_broken_json_is_a_dutch_problem(api):
    response = api.post(URL, data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "De body is geen geldige JSON."


def test_a_refused_signal_in_a_batch_keeps_the_partners_id(api):
    good = rent_signal(partnerSignaalId="B-1")
    bad = rent_signal(partnerSignaalId="B-2", bedrag=-5)
    results = post(api, {"vroegsignalen": [good, bad]}).json()["resultaten"]
    assert [r["partnerSignaalId"] for r in results] == ["B-1", "B-2"]
