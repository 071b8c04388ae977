import pytest
import yaml
from django.urls import reverse
from rest_framework.test import APIClient

from maatwerk.accounts.roles import Role

from ..problems import problem


@pytest.fixture
def api():
    return APIClient()


def test_schema_is_openapi_and_lists_the_endpoints(api, db):
    response = api.get(reverse("api-schema"))
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/cases/" in schema["paths"]
    assert "/api/v1/cases/{id}/" in schema["paths"]


def test_docs_page_loads_without_inline_scripts(api, db):
    response = api.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html.replace(" ", "")
    assert "unsafe-inline" not in response["Content-Security-Policy"].split("style-src")[0]
    # Was: a blank page, as Swagger UI came from a CDN the CSP blocks and the page's styles
    # were inline. Everything is now a local static file.
    assert "<style" not in html
    assert "cdn.jsdelivr" not in html and "https://" not in html
    # Swagger UI from the npm package (build/vendor/swagger-ui), like the other front-end files.
    assert '<script src="/static/swagger-ui/swagger-ui-bundle.js"></script>' in html
    assert '<link rel="stylesheet" href="/static/swagger-ui/swagger-ui.css">' in html
    assert "/static/api/swagger.css" in html
    assert '<html lang="en">' in html  # the documentation is English
    assert '<header class="om-api-header" lang="nl">' in html  # the way back is not
    assert "Terug naar Open Maatwerk" in html
    # The start script is a same-origin file that points Swagger UI at the schema.
    script = api.get(reverse("api-docs"), {"script": ""})
    assert script["Content-Type"].startswith("application/javascript")
    assert reverse("api-schema") in script.content.decode()


def test_swagger_ui_is_the_pinned_npm_package_copied_by_the_makefile():
    """package.json pins swagger-ui-dist; the Makefile's vendor step copies what the page names;
    Django finds those files (build/vendor is a static files folder)."""
    import json
    import re
    from pathlib import Path

    from django.contrib.staticfiles import finders

    root = Path(__file__).resolve().parents[2]
    version = json.loads((root / "package.json").read_text())["dependencies"]["swagger-ui-dist"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), version  # exact, not a range
    makefile = (root / "Makefile").read_text()
    assert "node_modules/swagger-ui-dist/" in makefile and "build/vendor/swagger-ui/" in makefile
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"):
        assert finders.find(f"swagger-ui/{name}"), name


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        (Role.WORKER, False),
        (Role.TEAM_LEAD, False),
        (Role.ADMIN, True),
        (Role.PARTNER_CLIENT, True),
    ],
)
def test_the_api_menu_item_is_for_who_uses_the_api(client, world, role, shown):
    """People at work do not call the API; the administrator issues tokens, the partner builds
    the connection."""
    client.force_login(world["users"][role])
    nav = client.get(reverse("legal:index")).context["nav_items"]
    assert (reverse("api-docs") in [item["url"] for item in nav]) is shown


def test_anonymous_gets_json_401_or_403(api, db):
    response = api.get(reverse("case-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    problem(response, 401, "not_authenticated")


def test_unknown_case_is_json_404(api, world):
    api.force_authenticate(world["users"][Role.WORKER])
    response = api.get(reverse("case-detail", args=[999_999]))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_other_teams_case_is_404_and_leaks_nothing(api, world):
    api.force_authenticate(world["users"][Role.WORKER])
    response = api.get(reverse("case-detail", args=[world["case_b"].pk]))
    assert response.status_code == 404
    assert world["case_b"].household.reference not in response.content.decode()


def test_worker_lists_only_own_team_cases(api, world):
    api.force_authenticate(world["users"][Role.WORKER])
    response = api.get(reverse("case-list"))
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [world["case_a"].pk]


def test_case_detail_has_residents(api, world):
    api.force_authenticate(world["users"][Role.WORKER])
    data = api.get(reverse("case-detail", args=[world["case_a"].pk])).json()
    assert "Geheimnaam" in [r["first_name"] for r in data["residents"]]


def test_partner_token_authenticates_but_sees_no_cases(api, world):
    from maatwerk.api import services

    admin = world["users"][Role.ADMIN]
    client = services.create_client(
        actor=admin, organisation=world["team_a"].organisation, name="Partner"
    )
    api.credentials(
        HTTP_AUTHORIZATION=f"Bearer {services.issue_token(actor=admin, client=client)[1]}"
    )
    me = api.get(reverse("api-client"))
    assert me.status_code == 200
    assert me.json()["name"] == "Partner"
    cases = api.get(reverse("case-list"))
    assert cases.status_code == 403
    assert cases.json()["code"] == "permission_denied"


def test_bad_token_is_json_401(api, db):
    api.credentials(HTTP_AUTHORIZATION="Bearer not-a-real-token")
    response = api.get(reverse("api-me"))
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_invalid_pagination_is_a_field_error_not_a_500(api, world):
    api.force_authenticate(world["users"][Role.WORKER])
    response = api.get(reverse("case-list"), {"status": "x" * 5000, "limit": "-1"})
    assert response.status_code in (200, 400)
    assert response["Content-Type"].startswith("application/json")


def test_policy_analyst_never_gets_personal_data(api, world):
    api.force_authenticate(world["users"][Role.POLICY_ANALYST])
    assert api.get(reverse("case-list")).status_code == 403
    assert api.get(reverse("case-detail", args=[world["case_a"].pk])).status_code == 403
