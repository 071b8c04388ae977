"""Issue 11, second walk (task f2): the ledger's rows say what they offer, its errors name the
line and the amount still open, a payment has a date and its payee filled in, the pending
figure is broken down and explained, the MDT record starts from the question asked, and the
overview has a total row and a year choice."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.decisions import services
from maatwerk.decisions.models import Budget, LedgerEntry

from ..factories import TeamFactory
from ..plan_helpers import submitted_plan
from . import test_decisions as base

org = base.org  # a team with mandates, a user per role and a budget of € 10.000

NBSP = "\u00a0"


@pytest.fixture
def paid(org):
    """A plan of € 2.000 (payee Kinderopvang De Hoek) approved and € 500 paid on it."""
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.WORKER], "2000", payee="Kinderopvang De Hoek")
    services.approve(u[Role.TEAM_LEAD], plan)
    commitment = LedgerEntry.objects.get(plan=plan, kind="commitment")
    payment = services.record_payment(u[Role.TEAM_LEAD], commitment, D("500"))
    return {"plan": plan, "commitment": commitment, "payment": payment, **org}


def _row(body: str, entry) -> str:
    start = body.index(f'id="entry-{entry.pk}"')
    return body[start : body.index("</tr>", start)]


def _ledger(client, paid):
    return reverse("decisions:budget", args=[paid["budget"].pk])


# --- 5. each row says what it offers -----------------------------------------------------------


def test_a_ledger_row_is_labelled_by_what_it_offers(client, paid):
    client.force_login(paid["users"][Role.TEAM_LEAD])
    body = client.get(_ledger(client, paid)).content.decode()
    assert "Vastleggen op" not in body
    assert "<summary>Betaling of correctie" in _row(body, paid["commitment"])
    assert "<summary>Terugdraaien" in _row(body, paid["payment"])


# --- 7. the ledger's errors --------------------------------------------------------------------


def test_a_missing_amount_names_the_line_and_marks_the_field(client, paid):
    client.force_login(paid["users"][Role.TEAM_LEAD])
    n = paid["commitment"].pk
    response = client.post(_ledger(client, paid), {"entry": n, "action": "payment", "amount": ""})
    assert response.status_code == 400
    body = response.content.decode()
    # The summary names the line and links to the amount field of that row's open form.
    assert (
        f'<a href="#amount-{n}">Regel #{n}, Bedrag (euro)</a>: Voer een bedrag boven nul in.'
        in (body)
    )
    row = _row(body, paid["commitment"])
    assert '<details class="om-row-action" open>' in row
    assert f'id="amount-{n}" value="" aria-invalid="true"' in row
    assert f'id="amount-{n}_error"><li>Voer een bedrag boven nul in.</li>' in row
    assert f'aria-describedby="amount-hint-{n} amount-{n}_error"' in row


def test_a_zero_amount_asks_for_a_dutch_cent(client, paid):
    client.force_login(paid["users"][Role.TEAM_LEAD])
    n = paid["commitment"].pk
    body = client.post(
        _ledger(client, paid), {"entry": n, "action": "payment", "amount": "0"}
    ).content.decode()
    assert f"Regel #{n}, Bedrag (euro)</a>: Vul minstens €{NBSP}0,01 in." in body
    assert "0.01" not in body


def test_too_much_states_what_is_still_open(client, paid):
    client.force_login(paid["users"][Role.TEAM_LEAD])
    n = paid["commitment"].pk
    body = client.post(
        _ledger(client, paid), {"entry": n, "action": "payment", "amount": "2000"}
    ).content.decode()
    assert f"hoger dan wat nog openstaat (€{NBSP}1.500,00)" in body
    assert f'<a href="#amount-{n}">Regel #{n}, Bedrag (euro)</a>' in body
    assert LedgerEntry.objects.filter(kind="payment").count() == 1


def test_a_correction_without_reason_links_to_the_reason_field(client, paid):
    client.force_login(paid["users"][Role.TEAM_LEAD])
    n = paid["payment"].pk
    body = client.post(
        _ledger(client, paid), {"entry": n, "action": "reversal", "reason": ""}
    ).content.decode()
    assert f'<a href="#reason-{n}">Regel #{n}, Reden</a>' in body
    assert f'id="reason-{n}" value="" aria-invalid="true"' in body


# --- 8. the payment form and who booked what ---------------------------------------------------


def test_the_payment_form_fills_in_the_payee_and_today(client, paid):
    client.force_login(paid["users"][Role.TEAM_LEAD])
    body = client.get(reverse("decisions:pay", args=[paid["plan"].pk])).content.decode()
    assert 'name="payee" value="Kinderopvang De Hoek"' in body
    today = timezone.localdate()
    assert f'value="{today.day}"' in body and f'value="{today.year}"' in body
    assert "Betaaldatum" in body
    assert "een verkeerde betaling corrigeert u door die in het grootboek terug te draaien" in body


def test_a_payment_date_is_not_in_the_future_nor_before_the_grant(client, paid):
    client.force_login(paid["users"][Role.TEAM_LEAD])
    url = reverse("decisions:pay", args=[paid["plan"].pk])
    today = timezone.localdate()
    for day, message in [
        (today + timedelta(days=1), "De betaaldatum kan niet in de toekomst liggen."),
        (today - timedelta(days=1), "De betaaldatum kan niet vóór de toekenning op"),
    ]:
        response = client.post(url, {"amount": "100", "paid_on": day.isoformat()})
        assert response.status_code == 400 and message in response.content.decode()
    assert LedgerEntry.objects.filter(kind="payment").count() == 1
    response = client.post(url, {"amount": "100", "paid_on": today.isoformat()})
    assert response.status_code == 302
    payment = LedgerEntry.objects.filter(kind="payment").latest("id")
    assert payment.paid_on == today and payment.payee == "Kinderopvang De Hoek"


def test_the_ledger_shows_who_booked_and_the_case(client, paid):
    lead = paid["users"][Role.TEAM_LEAD]
    client.force_login(lead)
    body = client.get(_ledger(client, paid)).content.decode()
    row = _row(body, paid["payment"])
    assert f"(casus {paid['case'].household.reference})" in row
    assert f'data-label="Geboekt door">{lead.get_full_name() or lead.username}<' in row
    assert "betaald op" in row
    assert "een verkeerde betaling corrigeert u door die terug te draaien" in body


# --- 6. the pending figure ---------------------------------------------------------------------


def test_the_pending_figure_lists_its_plans_and_both_totals_are_explained(client, paid):
    u = paid["users"]
    waiting = submitted_plan(paid["case"], u[Role.WORKER], "1200")
    client.force_login(u[Role.TEAM_LEAD])
    body = client.get(_ledger(client, paid)).content.decode()
    assert "Plannen in afwachting" in body
    start = body.index('id="pending-heading"')
    table = body[start : body.index("</table>", start)]
    assert reverse("plans:detail", args=[waiting.pk]) in table
    assert f"€{NBSP}1.200,00" in table and "Teamleider" in table
    assert "Over na de lopende besluiten: wat nu beschikbaar is min alle plannen" in body
    assert "Nu beschikbaar: het budget min wat is betaald" in body


def test_the_decision_page_says_what_left_after_this_decision_leaves_out(client, paid):
    u = paid["users"]
    other = submitted_plan(paid["case"], u[Role.WORKER], "1200")
    this = submitted_plan(paid["case"], u[Role.WORKER], "1500")
    client.force_login(u[Role.TEAM_LEAD])
    body = client.get(reverse("decisions:decide", args=[this.pk])).content.decode()
    assert (
        f"De andere plannen in afwachting op dit budget (€{NBSP}1.200,00) zijn niet afgetrokken"
        in body
    )
    assert other.amount_requested == D("1200")


# --- 9. the MDT record -------------------------------------------------------------------------


def test_the_mdt_record_starts_from_the_question_and_returns_to_the_plan(client, org):
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.WORKER], "2000")
    lead = u[Role.TEAM_LEAD]
    services.decide(lead, plan, "consult", "Kan de schuldhulp de boete overnemen?")
    client.force_login(lead)
    inbox = client.get(reverse("decisions:inbox")).content.decode()
    assert "MDT gevraagd" in inbox
    url = reverse("decisions:consult", args=[plan.pk])
    body = client.get(url).content.decode()
    assert "Kan de schuldhulp de boete overnemen?</textarea>" in body
    assert (
        f'href="{reverse("decisions:decide", args=[plan.pk])}">Terug naar het maatwerkplan' in body
    )
    assert "Andere deelnemers (namen of rollen)" in body and "Vrije tekst" in body
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "date": today.isoformat(),
            "question": "Kan de schuldhulp de boete overnemen?",
            "participants": "Schuldhulp",
            "advice": "Ja",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("decisions:decide", args=[plan.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)]
    assert "MDT gehouden" in client.get(reverse("decisions:inbox")).content.decode()


# --- 17. the overview: total and year ----------------------------------------------------------


def test_the_overview_has_a_total_row_and_a_year_choice(client, org):
    director = org["users"][Role.DIRECTOR]  # sees every budget of the organisation
    second = TeamFactory(organisation=org["team"].organisation, name="Wijkteam Zuid")
    Budget.objects.create(
        organisation=second.organisation, team=second, year=base.YEAR, amount=D("5000")
    )
    Budget.objects.create(
        organisation=second.organisation, team=second, year=base.YEAR - 1, amount=D("1")
    )
    client.force_login(director)
    body = client.get(reverse("decisions:budgets")).content.decode()
    assert f'<form method="get" action="{reverse("decisions:budgets")}"' in body
    assert f'<option value="{base.YEAR - 1}">' in body
    assert f'<option value="{base.YEAR}" selected>' in body
    start = body.index('<tr class="om-total">')
    total = body[start : body.index("</tr>", start)]
    assert "Totaal" in total and f"€{NBSP}15.000,00" in total
    # One budget needs no total.
    client.force_login(org["users"][Role.TEAM_LEAD])
    assert 'class="om-total"' not in client.get(reverse("decisions:budgets")).content.decode()


def test_the_overview_heading_may_break_with_a_hyphen(client, org):
    client.force_login(org["users"][Role.TEAM_LEAD])
    body = client.get(reverse("decisions:budgets")).content.decode()
    assert f"Maatwerk\u00adbudgetten {base.YEAR}</h1>" in body
