"""The demo's functional administrator can reach every page their own pages link to."""

import re
from urllib.parse import urljoin

import pytest
from django.urls import reverse

from maatwerk.accounts.models import User

START_PAGES = ["/", "/beheer/", "/besluiten/ladders/"]
HREF = re.compile(r'href="([^"#]+)')


def _links(body: str, base: str) -> set[str]:
    links = set()
    for href in HREF.findall(body):
        url = urljoin(base, href.replace("&amp;", "&"))
        if url.startswith("/") and not url.startswith("/static/"):
            links.add(url)
    return links


@pytest.mark.django_db
def test_the_demo_administrator_reaches_every_link_on_their_pages(demo_once, client):
    """Was: "Escalatieladder bewerken" on /besluiten/ladders/ answered "Geen toegang" and
    /beheer/ offered only accounts, as the demo gave the administrator accounts permissions
    only."""
    client.force_login(User.objects.get(username="beheer"))
    failures = []
    for page in START_PAGES:
        response = client.get(page)
        assert response.status_code == 200, page
        for url in sorted(_links(response.content.decode(), page)):
            status = client.get(url).status_code
            if status in (403, 404):
                failures.append((page, url, status))
    assert failures == []
    admin_index = client.get("/beheer/").content.decode()
    for model in ["escalationlevel", "mandatesetting", "departmentroute", "budget", "provision"]:
        assert f"/{model}/" in admin_index, model
    assert "/otp_totp/" not in admin_index and "/axes/" not in admin_index
    # The roles table (an inline of Membership, which has no admin page of its own) is there.
    werker = User.objects.get(username="werker")
    user_page = client.get(f"/beheer/accounts/user/{werker.pk}/change/").content.decode()
    assert 'id="memberships-group"' in user_page


@pytest.mark.django_db
def test_mandates_are_listed_by_their_dutch_role_names(demo_once, client):
    client.force_login(User.objects.get(username="beheer"))
    body = client.get(reverse("admin:decisions_mandatesetting_changelist")).content.decode()
    assert "Teamleider" in body
    assert ">team_lead<" not in body
