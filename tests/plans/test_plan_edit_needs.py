"""The plan edit form says what submitting needs, shows live per corner what is still missing,
and lets the worker remove suggested provisions (issue 8, point 9)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.cases.models import Obstacle
from maatwerk.legal.models import BlockingRule
from maatwerk.plans import selectors, services
from maatwerk.plans import triangle as t
from maatwerk.plans.messages import MISSING_MESSAGES
from maatwerk.plans.models import Plan

from ..formpost import forms_in


@pytest.fixture
def plan(world):
    worker = world["users"][Role.WORKER]
    rule = BlockingRule.objects.get(code="TOESLAG-VERREKEND")
    obstacle = Obstacle.objects.create(
        case=world["case_a"], blocking_rule=rule, applied_by="tax_allowances", effect="Verrekend."
    )
    return services.create_plan(worker, world["case_a"], [obstacle], solution="Opvang betalen.")


@pytest.fixture
def worker(client, world):
    user = world["users"][Role.WORKER]
    client.force_login(user)
    return user


def _label(html: str, field_id: str) -> str:
    match = re.search(rf'<label for="{re.escape(field_id)}">(.*?)</label>', html, re.S)
    assert match, f"no label for {field_id}"
    return re.sub(r"<[^>]+>", "", match.group(1))


def _legend(html: str, field_id: str) -> str:
    """The legend of the group (radio buttons) whose inputs have ids starting with field_id."""
    match = re.search(
        r"<legend>(.*?)</legend>\s*(?:<p[^>]*>.*?</p>\s*)?<div id=\"" + field_id, html, re.S
    )
    assert match, f"no legend for {field_id}"
    return re.sub(r"<[^>]+>", "", match.group(1))


def _edit_form(client, plan):
    html = client.get(reverse("plans:edit", args=[plan.pk])).content.decode()
    (form,) = [
        f for f in forms_in(html) if f.attrs.get("action") == reverse("plans:edit", args=[plan.pk])
    ]
    return html, form


def test_fields_that_submitting_needs_say_so_instead_of_optional(client, worker, plan):
    html, _form = _edit_form(client, plan)
    for field_id in (
        "id_prov-0-provision",
        "id_prov-0-explanation",
        "id_inv-resident_words",
        "id_inv-agreement_how",
    ):
        label = _label(html, field_id)
        assert "nodig om in te dienen" in label and "optioneel" not in label, (field_id, label)
    assert "nodig om in te dienen" in _legend(html, "id_inv-agreement")
    # The date is three boxes (day, month, year) in a fieldset: its legend says it.
    date_group = re.search(r"<legend>((?:(?!</legend>).)*)</legend>(?:(?!<legend>).)*"
                           r'name="inv-agreement_date_day"', html, re.S)  # fmt: skip
    assert date_group and "nodig om in te dienen" in date_group.group(1)
    # A line of one's own needs who pays and the cost type (the catalogue fills them otherwise).
    # No blank line is shown (issue 11, h1.4): "Add a line" gives one.
    assert 'id="id_standard-0-label"' not in html
    added = client.post(
        reverse("plans:edit", args=[plan.pk]), {**dict(_form.data()), "add_line": "standard:free"}
    ).content.decode()
    for field in ("label", "amount", "unit", "bearer", "cost_type"):
        label = _label(added, f"id_standard-0-{field}")
        assert "nodig bij een eigen regel" in label and "optioneel" not in label, (field, label)


def test_suggested_provisions_can_be_removed(client, worker, plan):
    suggested = selectors.suggested_provisions(plan)
    assert len(suggested) >= 2
    html, form = _edit_form(client, plan)
    data = dict(form.data())
    assert data["prov-0-provision"] == str(suggested[0].pk)  # filled in for the worker
    # No blank extra row after the suggestions (issue 11, h1.4).
    assert data["prov-TOTAL_FORMS"] == str(len(suggested))
    # Removed with a button, as a line is (h1.5); a posted DELETE (no JS, API-like) still works.
    assert 'id="id_prov-0-DELETE"' not in html
    assert 'name="remove_provision" value="0"' in html
    data["prov-0-DELETE"] = "on"  # the worker takes the first suggestion out
    data["save"] = "1"
    response = client.post(reverse("plans:edit", args=[plan.pk]), data)
    assert response.status_code == 302
    kept = list(plan.plan_provisions.values_list("provision_id", flat=True))
    assert suggested[0].pk not in kept and kept == [p.pk for p in suggested[1:]]
    # Opened again, the removed suggestion is not put back.
    _html, form = _edit_form(client, plan)
    shown = [v for k, v in form.data() if re.fullmatch(r"prov-\d+-provision", k) and v]
    assert str(suggested[0].pk) not in shown


def test_the_live_check_says_per_corner_what_is_missing_and_saves_nothing(
    client, worker, plan, world
):
    _html, form = _edit_form(client, plan)
    data = dict(form.data())
    data["inv-resident_words"] = "Dan kan ik blijven werken."
    data["preview"] = "1"
    events = AuditEvent.objects.count()
    response = client.post(reverse("plans:edit", args=[plan.pk]), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    corners = {
        name: body.split(f'id="missing-{name}"', 1)[1].split('id="missing-', 1)[0]
        for name in t.CORNERS
    }
    with translation.override("nl"):
        words, date, how = (
            str(MISSING_MESSAGES[c])
            for c in (t.NO_RESIDENT_WORDS, t.NO_AGREEMENT_DATE, t.NO_AGREEMENT_HOW)
        )
        explain = str(MISSING_MESSAGES[t.PROVISION_WITHOUT_EXPLANATION])
        tailored = str(MISSING_MESSAGES[t.NO_TAILORED_LINES])
    assert 'hx-swap-oob="innerHTML"' in body
    assert words not in corners["involvement"]  # just typed: no longer missing
    assert date in corners["involvement"] and how in corners["involvement"]
    assert explain in corners["legitimacy"]  # the suggestions have no explanation yet
    assert tailored in corners["return"]
    # Nothing saved, nothing audited: it is a look at the form, not a save or a new read.
    assert Plan.objects.get(pk=plan.pk).resident_words == ""
    assert not plan.plan_provisions.exists()
    assert AuditEvent.objects.count() == events


def test_the_edit_page_shows_each_corner_as_stored(client, worker, plan):
    html, _form = _edit_form(client, plan)
    with translation.override("nl"):
        words = str(MISSING_MESSAGES[t.NO_RESIDENT_WORDS])
    involvement = html.split('id="missing-involvement"', 1)[1].split("</div></div>", 1)[0]
    assert words in involvement


def test_first_opening_agrees_with_the_suggested_provisions_shown(client, worker, plan):
    """Issue 11 (h1.1): the suggested provisions are shown chosen, so the box does not ask to
    choose one; it asks to explain them, as the live check does."""
    assert selectors.suggested_provisions(plan) and not plan.plan_provisions.exists()
    html, _form = _edit_form(client, plan)
    legitimacy = html.split('id="missing-legitimacy"', 1)[1].split("</div></div>", 1)[0]
    with translation.override("nl"):
        choose = str(MISSING_MESSAGES[t.NO_PROVISION])
        explain = str(MISSING_MESSAGES[t.PROVISION_WITHOUT_EXPLANATION])
    assert choose not in legitimacy
    assert explain in legitimacy


def test_provisions_are_added_and_removed_with_buttons(client, worker, plan):
    """Issue 11 (h1.4, h1.5): "Add a provision" adds one empty row, "Remove" takes one out,
    without JavaScript too (a plain submit that saves nothing)."""
    suggested = selectors.suggested_provisions(plan)
    _html, form = _edit_form(client, plan)
    data = dict(form.data())
    url = reverse("plans:edit", args=[plan.pk])
    html = client.post(url, {**data, "add_provision": "1"}).content.decode()
    n = len(suggested)
    assert f'name="prov-TOTAL_FORMS" value="{n + 1}"' in html
    assert re.search(rf'<select name="prov-{n}-provision"[^>]*autofocus', html)
    html = client.post(url, {**data, "remove_provision": "0"}).content.decode()
    assert f'name="prov-TOTAL_FORMS" value="{n - 1}"' in html
    assert f'<option value="{suggested[0].pk}" selected' not in html
    assert f'<option value="{suggested[1].pk}" selected' in html
    assert not plan.plan_provisions.exists()  # nothing saved


def test_lines_and_provisions_are_numbered_once(client, worker, plan):
    """Issue 11 (h1.5): the legend says "Wetsartikel 1"; the list shows no number of its own."""
    html, _form = _edit_form(client, plan)
    legitimacy = html.split('id="legitimacy"', 1)[1].split('id="involvement"', 1)[0]
    assert "<ol" not in legitimacy and 'ul class="om-lines"' in legitimacy
    assert "Wetsartikel 1" in legitimacy
