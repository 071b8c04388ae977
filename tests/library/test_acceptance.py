"""Issue 16, acceptance: a plan whose household's personal data is written into the example's
free texts (title, story, lessons), together with people and places the system does not know —
none of it survives in the published example, its page, the export or the API answer.
Runs the real deduce (built once per test process)."""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from maatwerk.accounts.roles import Role
from maatwerk.library import services

from .world import approved_plan, other_org_worker

TITLE = "Fatima El Amrani (Kerkstraat 14) hield haar baan"
STORY = (
    "Mevrouw El Amrani, geboren 12-03-1985, BSN 111 222 333, woont aan de Kerkstraat 14, "
    "3511 AB Utrecht, telefoon 06-12345678. Haar buurman Piet de Vries paste op de kinderen. "
    "De verhuurder Bakker dreigde op 3 maart met ontruiming per 1 april. Haar zoon zit op "
    "school De Regenboog aan de Dorpsstraat. Toeslagen verrekende de kinderopvangtoeslag met "
    "een oude schuld; het wijkteam betaalde de opvang zodat ze kon blijven werken."
)
LESSONS = "Bel Fatima (06 1234 5678) eerder; ze was op 12 maart 1985 geboren en dat zegt niets."
GONE = [
    "Fatima", "Amrani", "111222333", "111 222 333", "12-03-1985", "12 maart 1985",
    "Kerkstraat", "3511", "12345678", "1234 5678", "Piet", "Vries", "Bakker", "Regenboog",
    "Dorpsstraat", "3 maart", "1 april",
]  # fmt: skip


def _absent(text: str, where: str) -> None:
    for word in GONE:
        assert word not in text, f"{word!r} survived in {where}"


@pytest.mark.usefixtures("real_deduce")
def test_nothing_personal_survives_publication_export_and_api(org, client):
    plan = approved_plan(org)
    worker = org["worker"]
    example = services.propose_example(plan, worker, TITLE, STORY, LESSONS)
    example = services.submit_example(example, worker)
    example = services.approve_example(example, org["users"][Role.TEAM_LEAD])
    example.refresh_from_db()

    _absent(" ".join([example.title, example.story, example.lessons]), "the example")
    assert "kinderopvangtoeslag" in example.story  # the story itself stays readable

    reader = other_org_worker()
    client.force_login(reader)
    page = client.get(reverse("library:detail", args=[example.pk])).content.decode()
    _absent(page, "the example page")

    exported = services.export_examples(org["users"][Role.ADMIN])
    assert json.loads(exported)["examples"][0]["title"] == example.title
    _absent(exported, "the export")

    api = APIClient()
    api.force_authenticate(reader)
    listed = api.get("/api/v1/voorbeelden/")
    assert listed.status_code == 200
    one = api.get(f"/api/v1/voorbeelden/{example.pk}/")
    assert one.status_code == 200 and one.json()["source_plan"] is None
    _absent(listed.content.decode() + one.content.decode(), "the API answer")
