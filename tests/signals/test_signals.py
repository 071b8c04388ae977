"""Signals, first step: newly described rules from the field join the regelbank."""

from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.cases import services as case_services
from maatwerk.legal.models import BlockingRule, BlockingRuleRevision

from ..factories import CaseFactory, TeamFactory, user_with_role


def test_admin_promotes_a_newly_described_rule_into_the_regelbank(client, db):
    team = TeamFactory()
    worker = user_with_role(Role.WORKER, team)
    admin = user_with_role(Role.ADMIN, team)
    case = CaseFactory(household__team=team)
    obstacle = case_services.add_obstacle(
        actor=worker,
        case=case,
        description_new_rule="Huurtoeslag stopt bij onderhuur aan een kamerhuurder",
        applied_by="tax_allowances",
        effect="Geen huurtoeslag meer.",
    )
    # Someone of another organisation does not see it, and a worker may not promote.
    other_admin = user_with_role(Role.ADMIN, TeamFactory())
    client.force_login(other_admin)
    assert "onderhuur" not in client.get(reverse("signals:new_rules")).content.decode()
    client.force_login(worker)
    assert client.get(reverse("signals:new_rules")).status_code == 403

    client.force_login(admin)
    page = client.get(reverse("signals:new_rules")).content.decode()
    assert "onderhuur" in page
    url = reverse("signals:promote_rule", args=[obstacle.pk])
    p = f"o{obstacle.pk}-"
    bad = client.post(
        url, {p + "code": "kleine letters", p + "name_nl": "x", p + "applied_by": "tax_allowances"}
    )
    assert bad.status_code == 400
    assert not BlockingRule.objects.filter(name_nl="x").exists()
    response = client.post(
        url,
        {
            f"o{obstacle.pk}-code": "HUURTOESLAG-ONDERHUUR",
            f"o{obstacle.pk}-name_nl": "Huurtoeslag en onderhuur",
            f"o{obstacle.pk}-applied_by": "tax_allowances",
        },
    )
    assert response.status_code == 302
    rule = BlockingRule.objects.get(code="HUURTOESLAG-ONDERHUUR")
    obstacle.refresh_from_db()
    assert obstacle.blocking_rule == rule and obstacle.description_new_rule == ""
    assert "onderhuur" in rule.description
    assert BlockingRuleRevision.objects.filter(rule=rule, version=1).exists()
    assert AuditEvent.objects.filter(
        actor=admin, action="update", object_type="cases.obstacle", object_id=str(obstacle.pk)
    ).exists()
    assert "onderhuur" not in client.get(reverse("signals:new_rules")).content.decode()


def test_the_old_regelbank_address_of_new_rules_redirects(client, db):
    admin = user_with_role(Role.ADMIN, TeamFactory())
    client.force_login(admin)
    response = client.get("/regelbank/nieuwe-regels/")
    assert response.status_code == 301
    assert response["Location"] == reverse("signals:new_rules") == "/signalen/nieuwe-regels/"
    assert client.get(response["Location"]).status_code == 200


def test_the_regelbank_links_an_administrator_to_the_new_rules(client, db):
    admin = user_with_role(Role.ADMIN, TeamFactory())
    client.force_login(admin)
    assert reverse("signals:new_rules") in client.get(reverse("legal:index")).content.decode()
