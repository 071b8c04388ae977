"""The processing register (issue 17, point 4): data in the project, a page, exports."""

import csv
import io
import json

import pytest
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.privacy import register

from ..factories import TeamFactory, user_with_role


def test_every_activity_names_every_field():
    version, activities = register.load()
    assert version and len(activities) >= 6
    for a in activities:
        assert a.purpose and a.retention and a.legal_basis and a.security and a.recipients


def test_a_register_with_a_missing_field_is_refused():
    with pytest.raises(ValueError, match="retention"):
        register.parse(
            {
                "activities": [
                    {
                        "code": "x",
                        "name": "X",
                        "purpose": "p",
                        "legal_basis": ["b"],
                        "data_categories": ["d"],
                        "persons": ["p"],
                        "recipients": ["r"],
                        "security": ["s"],
                    }
                ]
            }
        )


def test_officer_reads_and_exports_it_others_may_not(client, db):
    team = TeamFactory()
    officer = user_with_role(Role.PRIVACY_OFFICER, team)
    client.force_login(user_with_role(Role.WORKER, team))
    assert client.get(reverse("privacy:register")).status_code == 403
    assert client.get(reverse("privacy:register_json")).status_code == 403
    client.force_login(officer)
    page = client.get(reverse("privacy:register")).content.decode()
    assert "Verwerkingsregister" in page and team.organisation.name in page
    assert "Vroegsignalering van betalingsachterstanden" in page
    data = json.loads(client.get(reverse("privacy:register_json")).content)
    assert data["controller"] == team.organisation.name
    assert {a["code"] for a in data["activities"]} >= {"casusregie", "vroegsignalering"}
    text = client.get(reverse("privacy:register_csv")).content.decode()
    assert text.startswith("\ufeff")  # Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == len(data["activities"]) and rows[0]["bewaartermijn"]
    assert AuditEvent.objects.filter(actor=officer, action="export").count() == 2
