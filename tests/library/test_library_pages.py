"""The library pages: propose from a decided plan, see the marks, submit, review, list."""

from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.library.models import Example

from .world import approved_plan, other_org_worker


def test_propose_edit_submit_review_and_list(client, org):
    plan = approved_plan(org)
    worker, lead = org["worker"], org["users"][Role.TEAM_LEAD]
    client.force_login(worker)
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert reverse("library:propose", args=[plan.pk]) in page
    page = client.get(reverse("library:propose", args=[plan.pk]))
    assert page.status_code == 200
    response = client.post(
        reverse("library:propose", args=[plan.pk]),
        {"title": "Opvang", "story": "Fatima El Amrani kreeg opvang.", "lessons": ""},
    )
    example = Example.objects.get()
    assert response["Location"] == reverse("library:edit", args=[example.pk])
    page = client.get(response["Location"]).content.decode()
    assert '<mark class="om-replaced">[naam]</mark>' in page
    assert "Amrani" not in page.split('id="preview"')[1].split("</div>")[0]
    response = client.post(
        reverse("library:edit", args=[example.pk]),
        {"title": "Opvang betaald", "story": example.story + " Het werkte.", "submit": "1"},
    )
    assert response.status_code == 302
    example.refresh_from_db()
    assert example.status == Example.Status.PROPOSED

    client.force_login(lead)
    assert example.title in client.get(reverse("library:review_queue")).content.decode()
    response = client.post(reverse("library:review", args=[example.pk]), {"action": "return"})
    assert response.status_code == 400  # a reason is required
    client.post(reverse("library:review", args=[example.pk]), {"action": "approve"})
    example.refresh_from_db()
    assert example.status == Example.Status.APPROVED

    client.force_login(other_org_worker())
    page = client.get(reverse("library:list")).content.decode()
    assert "Opvang betaald" in page
    detail = client.get(reverse("library:detail", args=[example.pk])).content.decode()
    assert reverse("plans:detail", args=[plan.pk]) not in detail


def test_export_download_for_admin_only(client, org):
    client.force_login(org["worker"])
    assert client.get(reverse("library:export")).status_code == 403
    client.force_login(org["users"][Role.ADMIN])
    response = client.get(reverse("library:export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
