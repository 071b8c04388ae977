"""Recording a payment: from the plan's page for whoever holds the budget, and on the ledger
only the movements that fit a row, with messages that say what happened or why not."""

from datetime import timedelta
from decimal import Decimal as D

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.decisions import services as decisions
from maatwerk.decisions.models import LedgerEntry
from maatwerk.plans.models import Plan

from ..plans import test_plan_lifecycle as lifecycle
from ..plans.test_plan_lifecycle import approved, submitted

org = lifecycle.org  # the same world: a team with mandates and a budget


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_an_approved_plan_shows_what_is_granted_paid_and_open_with_the_action(client, org):
    plan = approved(org, "2000")
    client.force_login(org["users"][Role.TEAM_LEAD])
    body = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'id="payment"' in body and "Nog open" in body and "€\u00a02.000,00" in body
    assert reverse("decisions:pay", args=[plan.pk]) in body
    # The worker sees the position and who records the payment, not the action.
    client.force_login(org["worker"])
    body = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Nog open" in body and reverse("decisions:pay", args=[plan.pk]) not in body
    assert "legt de betaling vast" in body
    assert client.get(reverse("decisions:pay", args=[plan.pk])).status_code == 403


def test_a_submitted_plan_has_no_payment_block(client, org):
    plan = submitted(org)
    client.force_login(org["users"][Role.TEAM_LEAD])
    body = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'id="payment"' not in body
    response = client.get(reverse("decisions:pay", args=[plan.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", args=[plan.pk])


def test_recording_a_payment_from_the_plan_names_amount_and_plan(client, org):
    plan = approved(org, "2000")
    client.force_login(org["users"][Role.TEAM_LEAD])
    url = reverse("decisions:pay", args=[plan.pk])
    page = client.get(url)
    assert page.status_code == 200 and "€\u00a02.000,00" in page.content.decode()
    response = client.post(url, {"amount": "1.250,50", "payee": "Kinderopvang De Zon"})
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", args=[plan.pk]) + "#payment"
    assert _messages(response) == [
        f"Betaling van €\u00a01.250,50 vastgelegd op maatwerkplan {plan.pk}."
    ]
    payment = LedgerEntry.objects.get(plan=plan, kind="payment")
    assert payment.amount == D("1250.50") and payment.payee == "Kinderopvang De Zon"
    plan.refresh_from_db()
    assert plan.status == Plan.Status.PARTLY_PAID
    # More than is open: refused, saying how much is open; nothing is booked.
    response = client.post(url, {"amount": "800"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "hoger dan wat nog openstaat (€\u00a0749,50)" in body
    assert LedgerEntry.objects.filter(plan=plan, kind="payment").count() == 1
    # The rest: the plan is paid and offers no payment any more.
    assert client.post(url, {"amount": "749,50"}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.PAID
    body = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert url not in body


def test_the_ledger_offers_only_the_movements_that_fit_each_row(client, org):
    plan = approved(org, "2000")
    lead = org["users"][Role.TEAM_LEAD]
    commitment = LedgerEntry.objects.get(plan=plan, kind="commitment")
    payment = decisions.record_payment(lead, commitment, D("500"))
    budget = commitment.budget
    client.force_login(lead)
    url = reverse("decisions:budget", args=[budget.pk])
    response = client.get(url)
    rows = {entry: actions for entry, actions, _corrected_by, _paid_on in response.context["rows"]}
    assert [a for a, _label in rows[commitment]] == ["payment", "release"]  # paid on: no reversal
    assert [a for a, _label in rows[payment]] == ["reversal"]
    body = response.content.decode()
    assert f'href="{reverse("plans:detail", args=[plan.pk])}"' in body
    assert 'class="om-table om-table--stack"' in body
    # A payment on a payment row: refused, saying what the row still takes.
    response = client.post(url, {"entry": payment.pk, "action": "payment", "amount": "10"})
    assert response.status_code == 400
    assert f"Bij regel #{payment.pk} kan dit niet (meer)" in response.content.decode()
    assert "Deze grootboekregel is niet mogelijk" not in response.content.decode()
    # Too much: the ledger's own reason and the open amount.
    response = client.post(
        url, {"entry": commitment.pk, "action": "payment", "amount": "1.600", "payee": "Opvang"}
    )
    body = response.content.decode()
    assert response.status_code == 400 and "€\u00a01.500,00" in body
    # What was typed stays in the row's form, and the error summary takes the focus.
    assert f'id="amount-{commitment.pk}" value="1.600"' in body
    assert f'id="payee-{commitment.pk}" value="Opvang"' in body
    assert "data-error-summary" in body
    response = client.post(url, {"entry": commitment.pk, "action": "payment", "amount": "1.500"})
    assert _messages(response) == [
        f"Betaling van €\u00a01.500,00 vastgelegd op maatwerkplan {plan.pk}."
    ]


def test_the_budget_overview_shows_pending_and_a_bar_and_exports_decimal_commas(client, org):
    import csv
    import io

    approved(org, "2000")
    submitted(org, "1500")  # waiting for a decision
    client.force_login(org["users"][Role.TEAM_LEAD])
    response = client.get(reverse("decisions:budgets"))
    row = response.context["rows"][0]
    assert (row.committed, row.paid, row.pending, row.available) == (
        D("2000"), D("0"), D("1500"), D("23000"),
    )  # fmt: skip
    assert row.bar == [("paid", 0, 0), ("committed", 0, 80), ("pending", 80, 60)]
    body = response.content.decode()
    assert "In afwachting" in body and "€\u00a01.500,00" in body
    assert (
        'role="img" aria-label="Van €\u00a025.000,00: €\u00a00,00 betaald, '
        "€\u00a02.000,00 verplicht" in body
    )
    response = client.get(reverse("decisions:budgets_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0][-2:] == ["In afwachting", "Beschikbaar"]
    # Paid before committed, as on the page.
    assert rows[1][3:] == ["25000,00", "0,00", "2000,00", "1500,00", "23000,00"]


def test_a_payment_on_the_ledger_takes_its_own_date(client, org):
    """The ledger row's payment form asks for the payment date as the plan's payment page does
    (empty: today); a date in the future is refused at that field, with what was typed kept."""
    plan = approved(org, "2000")
    lead = org["users"][Role.TEAM_LEAD]
    commitment = LedgerEntry.objects.get(plan=plan, kind="commitment")
    client.force_login(lead)
    url = reverse("decisions:budget", args=[commitment.budget_id])
    body = client.get(url).content.decode()
    assert f'id="paid_on-{commitment.pk}_0"' in body  # the day box of this row's date
    today = timezone.localdate()
    later = today + timedelta(days=3)
    response = client.post(
        url,
        {
            "entry": commitment.pk,
            "action": "payment",
            "amount": "100",
            "paid_on_day": later.day,
            "paid_on_month": later.month,
            "paid_on_year": later.year,
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "De betaaldatum kan niet in de toekomst liggen." in body
    assert f'href="#paid_on-{commitment.pk}_0"' in body  # the summary links to the day box
    day_box = body.split(f'id="paid_on-{commitment.pk}_0"')[0].rsplit("<input", 1)[1]
    assert f'value="{later.day}"' in day_box  # what was typed stays
    assert not LedgerEntry.objects.filter(plan=plan, kind="payment").exists()
    response = client.post(
        url,
        {
            "entry": commitment.pk,
            "action": "payment",
            "amount": "100",
            "paid_on_day": today.day,
            "paid_on_month": today.month,
            "paid_on_year": today.year,
        },
    )
    assert response.status_code == 302
    assert LedgerEntry.objects.get(plan=plan, kind="payment").paid_on == today
