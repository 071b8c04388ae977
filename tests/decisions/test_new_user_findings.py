"""Issue 11, a new user's findings on the decision page, submitting and the ledger (task h2):
"Het hele plan" once, MDT help, a confirmation before submitting, a correction with its minus
sign and the corrected row marked, a payee only on payments, one word for a release, exports
in the page's order and a team's ledger exported."""

import csv
import io
from decimal import Decimal as D

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.decisions import services
from maatwerk.decisions.models import LedgerEntry
from maatwerk.demo.plans import complete_plan
from maatwerk.plans import services as plan_services
from maatwerk.plans.models import Plan

from ..core.test_core_xlsx import Book
from ..plan_helpers import submitted_plan
from . import test_decisions as base

org = base.org  # a team with mandates, a user per role and a budget of € 10.000


def _name(user) -> str:
    return user.get_full_name() or user.username


# --- the decision page -------------------------------------------------------------------------


def test_the_decision_page_names_the_whole_plan_once_and_explains_both_mdt_actions(client, org):
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.WORKER], "2000")  # the team lead decides
    client.force_login(u[Role.TEAM_LEAD])
    body = client.get(reverse("decisions:decide", args=[plan.pk])).content.decode()
    assert body.count("Het hele plan") == 1
    assert "MDT-overleg vragen" in body and "MDT-overleg vastleggen" in body
    assert "MDT-overleg vragen: collega’s uit verschillende vakgebieden" in body
    assert "MDT-overleg vastleggen: schrijf na afloop van het overleg op" in body
    assert 'aria-describedby="record-consult-help"' in body


# --- submitting asks first ---------------------------------------------------------------------


def test_submitting_asks_to_confirm_naming_who_decides(client, org):
    u = org["users"]
    plan = complete_plan(u[Role.WORKER], org["case"], "2000")
    client.force_login(u[Role.WORKER])
    url = reverse("decisions:submit", args=[plan.pk])
    response = client.post(url)  # the plan page's button
    # The confirmation is a page of its own, reached by GET: Back lands on it, no re-post.
    assert response.status_code == 302 and response["Location"] == url
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert f"Indienen bij {_name(u[Role.TEAM_LEAD])} (Teamleider)?" in body
    assert "U kunt het plan daarna niet meer wijzigen tot er besloten is" in body
    assert "intrekken" in body and 'name="confirmed" value="yes"' in body
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT, "nothing is submitted before the confirmation"
    response = client.post(url, {"confirmed": "yes"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUBMITTED


def test_an_incomplete_plan_is_refused_at_once_without_a_confirmation(client, org):
    u = org["users"]
    obstacle = complete_plan(u[Role.WORKER], org["case"], "2000").obstacles.get()
    plan = plan_services.create_plan(u[Role.WORKER], org["case"], [obstacle], solution="Iets")
    client.force_login(u[Role.WORKER])
    response = client.post(reverse("decisions:submit", args=[plan.pk]))
    assert response.status_code == 400
    body = response.content.decode()
    assert "kan nog niet worden ingediend" in body and "Indienen bij" not in body


# --- the ledger --------------------------------------------------------------------------------


@pytest.fixture
def corrected(org):
    """A plan of € 2.000 approved, € 500 paid (to the plan's payee), the payment corrected."""
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.WORKER], "2000", payee="Kinderopvang De Hoek")
    services.approve(u[Role.TEAM_LEAD], plan)
    commitment = LedgerEntry.objects.get(plan=plan, kind="commitment")
    payment = services.record_payment(u[Role.TEAM_LEAD], commitment, D("500"))
    reversal = services.reverse(u[Role.TEAM_LEAD], payment, "Dubbel geboekt")
    return {"commitment": commitment, "payment": payment, "reversal": reversal, **org}


def _row(body: str, entry) -> str:
    start = body.index(f'id="entry-{entry.pk}"')
    return body[start : body.index("</tr>", start)]


def test_a_correction_shows_its_minus_sign_and_marks_the_row_it_corrects(client, corrected):
    client.force_login(corrected["users"][Role.TEAM_LEAD])
    body = client.get(reverse("decisions:budget", args=[corrected["budget"].pk])).content.decode()
    reversal, payment = corrected["reversal"], corrected["payment"]
    assert "−€\u00a0500,00" in _row(body, reversal)  # a no-break space after €
    assert f"gecorrigeerd door regel #{reversal.pk}" in _row(body, payment)
    assert 'class="om-corrected"' in body[body.index(f'id="entry-{payment.pk}"') - 60 :][:120]
    assert "gecorrigeerd door" not in _row(body, corrected["commitment"])


def test_only_a_payment_names_who_was_paid(client, corrected):
    commitment, payment = corrected["commitment"], corrected["payment"]
    assert commitment.payee == "" and payment.payee == "Kinderopvang De Hoek"
    client.force_login(corrected["users"][Role.TEAM_LEAD])
    body = client.get(reverse("decisions:budget", args=[corrected["budget"].pk])).content.decode()
    assert "Kinderopvang De Hoek" not in _row(body, commitment)
    assert "Kinderopvang De Hoek" in _row(body, payment)


def test_a_release_has_one_name(client, org):
    """ "Bij vrijgeven" next to "laten vrijvallen": a release is a vrijval, everywhere."""
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.WORKER], "2000")
    services.approve(u[Role.TEAM_LEAD], plan)
    commitment = LedgerEntry.objects.get(plan=plan, kind="commitment")
    client.force_login(u[Role.TEAM_LEAD])
    url = reverse("decisions:budget", args=[org["budget"].pk])
    body = client.get(url).content.decode()
    assert "vrijvallen" in body and "Bij vrijval" in body and "vrijge" not in body
    response = client.post(url, {"entry": commitment.pk, "action": "release"})
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == [
        f"€\u00a02.000,00 van maatwerkplan {plan.pk} is vrijgevallen en terug in het budget."
    ]


def test_a_row_that_no_longer_takes_an_action_is_refused_by_the_service(corrected):
    """The rule lived in the view; the service refuses with a code (the page and any caller)."""
    with pytest.raises(services.DecisionError) as refused:
        services.ledger_action(
            corrected["users"][Role.TEAM_LEAD], corrected["payment"], "payment", amount=D("10")
        )
    assert refused.value.code == "decisions.not_fitting"
    assert not LedgerEntry.objects.filter(refers_to=corrected["payment"], kind="payment").exists()


def test_a_teams_ledger_exports_as_csv_and_excel_as_the_page_shows_it(client, corrected):
    lead = corrected["users"][Role.TEAM_LEAD]
    budget = corrected["budget"]
    client.force_login(lead)
    page = client.get(reverse("decisions:budget", args=[budget.pk])).content.decode()
    assert reverse("decisions:budget_csv", args=[budget.pk]) in page
    assert reverse("decisions:budget_xlsx", args=[budget.pk]) in page

    response = client.get(reverse("decisions:budget_csv", args=[budget.pk]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0][:7] == [
        "Regel", "Wanneer", "Maatwerkplan", "Casus", "Wat", "Bedrag", "Betaald aan",
    ]  # fmt: skip
    by_entry = {row[0]: row for row in rows[1:]}
    commitment, payment, reversal = (
        corrected["commitment"], corrected["payment"], corrected["reversal"],
    )  # fmt: skip
    assert by_entry[str(commitment.pk)][4:7] == ["verplichting", "2000,00", ""]
    assert by_entry[str(payment.pk)][4:7] == ["betaling", "500,00", "Kinderopvang De Hoek"]
    assert by_entry[str(payment.pk)][9] == str(reversal.pk)  # corrected by
    assert by_entry[str(reversal.pk)][4:6] == ["correctie", "-500,00"]
    # Who booked each line, and the case beside the plan (issue 11).
    assert by_entry[str(payment.pk)][3] == payment.plan.case.household.reference
    assert by_entry[str(payment.pk)][-1] == (lead.get_full_name() or lead.username)

    response = client.get(reverse("decisions:budget_xlsx", args=[budget.pk]))
    assert response.status_code == 200
    book = Book(response.content)
    assert [book.cell(f"{c}1")["value"] for c in "ABCDEF"] == [
        "Regel", "Wanneer", "Maatwerkplan", "Casus", "Wat", "Bedrag",
    ]  # fmt: skip
    exports = AuditEvent.objects.filter(
        actor=lead, action="export", object_type="decisions.budget", object_id=str(budget.pk)
    )
    assert sorted(exports.values_list("reason", flat=True)) == ["ledger (csv)", "ledger (xlsx)"]
    # The same rule as the page: a worker may not.
    client.force_login(corrected["users"][Role.WORKER])
    assert client.get(reverse("decisions:budget_csv", args=[budget.pk])).status_code in (403, 404)
