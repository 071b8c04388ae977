"""A ledger payment to a private landlord, and the ledger after the case is destroyed (issue 17).

The team lead pays from the ledger row with the keyboard, naming the landlord and choosing
"een particulier" as the kind of payee; after destruction of the case the row keeps its amount
and kind, and the name is replaced by "verwijderd (vernietigd op …)". At 1280 and 320 px.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from maatwerk.core.formatting import long_date
from maatwerk.decisions import services
from maatwerk.decisions.models import LedgerEntry
from maatwerk.privacy import destruction

from ..factories import PASSWORD
from .conftest import assert_accessible, login, shoot
from .test_decisions_flow import _plan, world  # noqa: F401 (fixture)
from .test_plan_flow import send

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LANDLORD = "Henk de Vries"


@pytest.mark.parametrize("width", [1280, 320])
def test_a_landlord_paid_by_name_is_removed_from_the_ledger_on_destruction(
    page,
    live_server,
    world,  # noqa: F811
    width,
):
    page.set_viewport_size({"width": width, "height": 900})
    plan = _plan(world, "2000", "Kees")
    services.submit_plan(world["worker"], plan)
    services.approve(world["lead"], plan)
    commitment = LedgerEntry.objects.get(plan=plan, kind="commitment")
    n = commitment.pk
    login(page, live_server, world["lead"].username, PASSWORD)
    page.goto(f"{live_server.url}/besluiten/budget/{world['budget'].pk}/")
    row = page.locator(f"#entry-{n}")
    row.get_by_text("Betaling of correctie").click()
    page.locator(f"#amount-{n}").fill("750")
    page.locator(f"#payee-{n}").focus()
    page.keyboard.type(LANDLORD)
    page.keyboard.press("Tab")  # to the kind of payee
    page.locator(f"#payee_kind-{n}").select_option("person")
    expect(page.locator(f"#payee_kind-{n}")).to_have_value("person")
    shoot(page, f"h17-ledger-payment-form-{width}")
    send(page, "Vastleggen")
    expect(page.get_by_text("Betaling van € 750,00 vastgelegd")).to_be_visible()
    payment = LedgerEntry.objects.get(plan=plan, kind="payment")
    assert (payment.payee, payment.payee_kind) == (LANDLORD, "person")
    expect(page.locator(f"#entry-{payment.pk}")).to_contain_text(LANDLORD)

    # The case is destroyed (what the approved destruction list does to each table).
    destruction.destroy_case(plan.case_id, household_done=True)
    page.reload()
    line = page.locator(f"#entry-{payment.pk}")
    payment.refresh_from_db()
    day = long_date(timezone.localdate(payment.detail.destroyed_at))
    expect(line).to_contain_text(f"verwijderd (vernietigd op {day})")
    expect(line).to_contain_text("€ 750,00")
    assert LANDLORD not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    shoot(page, f"h17-ledger-after-destruction-{width}")
