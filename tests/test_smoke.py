import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_health_reports_database_and_migrations(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": True, "migrations": True}}


def test_login_page_is_dutch(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'lang="nl"' in response.content.decode()
