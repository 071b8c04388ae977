"""Findings of the new-user walk through the cooperation pages (issue 12): a refused form shows
its errors where they are seen, all at once, in Dutch; suggesting an organisation from a request
returns to that request; a waiting suggestion is a task of the functional administrator."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from maatwerk.cooperation import services
from maatwerk.cooperation.models import CooperationRequest, ExternalOrganisation
from maatwerk.core.choices import OrganisationType
from maatwerk.demo.directory import DIRECTORY


@pytest.fixture
def client_for(client, settings):
    settings.REQUIRE_2FA = False

    def login(user):
        client.force_login(user)
        return client

    return login


def _date(prefix, day):
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def _between(body: str, start: str, end: str) -> str:
    begin = body.index(start)
    return body[begin : body.index(end, begin)]


# --- 1. "Termijn wijzigen": the error is seen ------------------------------------------------


def test_a_refused_due_date_opens_its_section_with_the_summary_and_the_typed_value(
    client_for, worker, coop
):
    services.send_request(worker, coop)
    coop.refresh_from_db()
    before = coop.sent_on - timedelta(days=3)
    client = client_for(worker)
    body = client.get(reverse("cooperation:detail", args=[coop.pk])).content.decode()
    assert '<details class="om-confirm">\n    <summary>Termijn wijzigen' in body  # closed at first

    response = client.post(reverse("cooperation:due_date", args=[coop.pk]), _date("due_on", before))
    assert response.status_code == 200
    body = response.content.decode()
    section = _between(body, '<details class="om-confirm" open>', "</details>")
    assert "Termijn wijzigen" in section
    assert 'id="error-summary"' in section
    assert "vóór het versturen" in section
    assert f'name="due_on_day" value="{before.day}"' in section
    assert body.count('id="error-summary"') == 1
    coop.refresh_from_db()
    assert coop.due_on != before


# --- 7. a suggestion waits for the functional administrator ----------------------------------


def test_a_suggestion_is_a_task_on_the_administrators_start_page(client_for, worker, admin_user):
    team = worker.memberships.get().team
    suggestion = services.suggest_organisation(
        worker, team=team, name="Budgetmaatje", organisation_type="debt_assistance"
    )
    body = client_for(admin_user).get(reverse("home")).content.decode()
    task = _between(body, "om-task--suggestion", "</li>")
    assert "Voorstel voor een buitenorganisatie" in task
    assert "Budgetmaatje" in task and team.name in task
    assert reverse("cooperation:suggestions") in task
    assert "Er wacht nu niets op u" not in body

    services.decide_suggestion(admin_user, suggestion, accept=True)
    body = client_for(admin_user).get(reverse("home")).content.decode()
    assert "om-task--suggestion" not in body


def test_a_worker_has_no_suggestion_task(client_for, worker):
    team = worker.memberships.get().team
    services.suggest_organisation(
        worker, team=team, name="Budgetmaatje", organisation_type="debt_assistance"
    )
    assert "om-task--suggestion" not in client_for(worker).get(reverse("home")).content.decode()


def test_after_accepting_the_message_links_to_the_organisation(client_for, worker, admin_user):
    suggestion = services.suggest_organisation(
        worker,
        team=worker.memberships.get().team,
        name="Budgetmaatje",
        organisation_type="debt_assistance",
    )
    url = reverse("cooperation:decide_suggestion", args=[suggestion.pk])
    response = client_for(admin_user).post(url, {"accept": "yes"}, follow=True)
    body = response.content.decode()
    message = _between(body, 'class="om-messages"', "</p>")
    assert "Budgetmaatje staat nu in het overzicht." in message
    link = reverse("cooperation:organisation", args=[suggestion.pk])
    assert f'<a href="{link}">Contactpunt toevoegen</a>' in message


# --- 11c. the review: a server-side error summary --------------------------------------------


def test_deciding_without_a_choice_shows_the_error_summary(client_for, worker, admin_user):
    suggestion = services.suggest_organisation(
        worker,
        team=worker.memberships.get().team,
        name="Budgetmaatje",
        organisation_type="debt_assistance",
    )
    client = client_for(admin_user)
    body = client.get(reverse("cooperation:suggestions")).content.decode()
    url = reverse("cooperation:decide_suggestion", args=[suggestion.pk])
    assert "novalidate" in _between(body, f'action="{url}"', ">")
    response = client.post(url, {})
    assert response.status_code == 200
    body = response.content.decode()
    summary = _between(body, 'id="error-summary"', "</ul>")
    assert f'href="#decide-{suggestion.pk}-accept_0"' in summary
    assert "Kies of u het voorstel opneemt of afwijst." in summary
    assert f'id="decide-{suggestion.pk}-accept_0"' in body
    suggestion.refresh_from_db()
    assert suggestion.status == "suggested"


# --- 8. suggesting from the request form returns to it ---------------------------------------


def test_suggesting_from_the_request_form_returns_with_the_organisation_chosen(
    client_for, worker, world
):
    client = client_for(worker)
    form_url = reverse("cooperation:new_for_case", args=[world["case_a"].pk])
    body = client.get(form_url).content.decode()
    assert 'name="suggest_organisation"' in _between(body, "<main", "</main>")

    typed = {
        "question": "Stop de beslaglegging.",
        "consent_scope": "Naam",
        "suggest_organisation": "1",
    }
    response = client.post(form_url, {**typed, **_date("consent_on", timezone.localdate())})
    suggest_url = f"{reverse('cooperation:suggest')}?next={form_url.replace('/', '%2F')}"
    assert response.status_code == 302 and response["Location"] == suggest_url
    assert not CooperationRequest.objects.exists()

    body = client.get(suggest_url).content.decode()
    assert f'<input type="hidden" name="next" value="{form_url}">' in body
    assert f'<a href="{form_url}">Terug naar het verzoek</a>' in body
    response = client.post(
        reverse("cooperation:suggest"),
        {
            "team": worker.memberships.get().team_id,
            "name": "Budgetmaatje",
            "organisation_type": "debt_assistance",
            "next": form_url,
        },
    )
    new = ExternalOrganisation.objects.get(name="Budgetmaatje")
    assert response.status_code == 302
    assert response["Location"] == f"{form_url}?organisation={new.pk}"
    body = client.get(response["Location"]).content.decode()
    assert f'<option value="{new.pk}" selected>Budgetmaatje' in body
    assert "Stop de beslaglegging.</textarea>" in body  # what was typed is back
    assert f'value="{timezone.localdate().day}"' in _between(body, 'name="consent_on_day"', ">")
    assert 'id="error-summary"' not in body
    # Once: the draft is not kept for a next new request.
    assert "Stop de beslaglegging." not in client.get(form_url).content.decode()


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "casus/1/verzoek/",
    ],
)
def test_suggest_goes_back_only_to_a_page_of_this_site(client_for, worker, target):
    client = client_for(worker)
    response = client.get(reverse("cooperation:suggest"), {"next": target})
    body = _between(response.content.decode(), "<main", "</main>")
    assert 'name="next"' not in body
    assert "evil" not in body and "javascript" not in body
    response = client.post(
        reverse("cooperation:suggest"),
        {
            "team": worker.memberships.get().team_id,
            "name": "Budgetmaatje",
            "organisation_type": "debt_assistance",
            "next": target,
        },
    )
    assert response["Location"] == reverse("cooperation:directory")


def test_an_organisation_the_team_may_not_use_is_not_chosen(client_for, worker, world):
    own = services.suggest_organisation(
        worker,
        team=worker.memberships.get().team,
        name="Eigen voorstel",
        organisation_type="debt_assistance",
    )
    hidden = ExternalOrganisation.objects.create(
        name="Van een ander team",
        organisation_type=OrganisationType.DEBT_ASSISTANCE,
        status="suggested",
        suggested_by_team=world["team_b"],
    )
    url = reverse("cooperation:new_for_case", args=[world["case_a"].pk])
    body = client_for(worker).get(url, {"organisation": hidden.pk}).content.decode()
    assert "Van een ander team" not in body
    assert '<option value="" selected>' in _between(body, 'name="organisation"', "</select>")
    body = client_for(worker).get(url, {"organisation": own.pk}).content.decode()
    assert f'<option value="{own.pk}" selected>' in body


# --- 10. the contact line's minutes ----------------------------------------------------------


@pytest.mark.parametrize("minutes", ["", "0", "1441", "veel"])
def test_minutes_error_is_dutch_and_under_the_row(client_for, worker, coop, minutes):
    url = reverse("cooperation:add_contact", args=[coop.pk])
    data = {"channel": "phone", "minutes": minutes, **_date("occurred_on", timezone.localdate())}
    response = client_for(worker).post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    message = "Vul het aantal minuten in: minstens 1, hoogstens 1440."
    row_end = body.index("Contact toevoegen</button>")
    below = _between(body, 'id="contact-errors"', "</ul>")
    assert body.index('id="contact-errors"') > row_end
    assert message in below and 'href="#id_minutes"' in below
    assert "Zorg ervoor" not in body


def test_a_contact_added_opens_the_page_at_its_message(client_for, worker, coop):
    url = reverse("cooperation:add_contact", args=[coop.pk])
    data = {"channel": "phone", "minutes": "20", **_date("occurred_on", timezone.localdate())}
    response = client_for(worker).post(url, data)
    assert response["Location"] == reverse("cooperation:detail", args=[coop.pk])


# --- 11a. the new request: every correction in one round -------------------------------------


def test_new_request_shows_every_correction_at_once(client_for, worker, world, toeslagen):
    url = reverse("cooperation:new_for_case", args=[world["case_a"].pk])
    today = timezone.localdate()
    data = {
        "organisation": toeslagen.pk,
        "question": "Stop de verrekening.",
        "send": "on",
        **_date("sent_on", today),
        **_date("due_on", today - timedelta(days=1)),
    }
    body = client_for(worker).post(url, data).content.decode()
    summary = _between(body, 'id="error-summary"', "</ul>")
    assert "Leg de toestemming van de bewoner vast voordat het verzoek wordt verstuurd." in summary
    assert "De termijn voor het antwoord kan niet vóór het versturen liggen." in summary
    assert not CooperationRequest.objects.exists()


def test_a_wrong_date_and_the_missing_consent_in_one_round(client_for, worker, world, toeslagen):
    url = reverse("cooperation:new_for_case", args=[world["case_a"].pk])
    data = {
        "organisation": toeslagen.pk,
        "question": "Stop de verrekening.",
        "send": "on",
        "sent_on_day": "31",
        "sent_on_month": "2",
        "sent_on_year": "2026",
        "consent_scope": "Naam",
    }
    body = client_for(worker).post(url, data).content.decode()
    summary = _between(body, 'id="error-summary"', "</ul>")
    assert 'href="#id_sent_on' in summary
    assert "Geef de datum waarop de bewoner toestemming gaf." in summary
    assert not CooperationRequest.objects.exists()


def test_consent_after_sending_is_refused_on_the_sent_date(client_for, worker, world, toeslagen):
    url = reverse("cooperation:new_for_case", args=[world["case_a"].pk])
    today = timezone.localdate()
    data = {
        "organisation": toeslagen.pk,
        "question": "Stop de verrekening.",
        "consent_scope": "Naam",
        "send": "on",
        **_date("consent_on", today),
        **_date("sent_on", today - timedelta(days=2)),
    }
    body = client_for(worker).post(url, data).content.decode()
    summary = _between(body, 'id="error-summary"', "</ul>")
    assert 'href="#id_sent_on' in summary
    assert "niet verstuurd zijn voordat de bewoner toestemming gaf" in summary


# --- 11b. one spelling of Belastingdienst/Toeslagen ------------------------------------------


def test_one_spelling_of_belastingdienst_toeslagen():
    assert "Belastingdienst/Toeslagen" in DIRECTORY
    with translation.override("nl"):
        assert str(OrganisationType.TAX_ALLOWANCES.label) == "Belastingdienst/Toeslagen"
