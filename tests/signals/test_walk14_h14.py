"""The walk of the system-signals part (issue 14): the mandate said on the collective approach's
form and the route up the ladder above it; the date field's label; the audit page's Dutch
names; the signal report's wording at 320 px."""

from decimal import Decimal as D
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core import mail
from django.template import Context, Template
from django.test import TestCase, override_settings
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.audit import services as audit
from maatwerk.audit.models import AuditEvent
from maatwerk.core.formatting import money
from maatwerk.decisions.models import CollectiveApproach, LedgerEntry
from maatwerk.decisions.services import start_collective_approach
from maatwerk.signals.forms import CollectiveActivityForm

from ..factories import TeamFactory, user_with_role
from .test_collective import _pattern_world
from .test_report import data  # noqa: F401 (the issue's acceptance data, a fixture)

FORM = {"wijk": "WK999001", "leefgebied": "income", "name": "Buurtkamer",
        "kind": "group_activity", "amount": "3.000"}  # fmt: skip


def _manager(w):
    manager = user_with_role(Role.MANAGER, w["team"])
    manager.first_name, manager.last_name, manager.email = "Mila", "Manager", "mila@example.org"
    manager.save()
    return manager


def test_the_form_says_the_mandate_and_who_decides_above_it_before_submit(
    client, db, seeded_catalogues
):
    w = _pattern_world()
    _manager(w)
    client.force_login(w["lead"])
    page = client.get(reverse("signals:new_approach"), {"wijk": "WK999001", "leefgebied": "income"})
    help_text = page.context["form"].fields["amount"].help_text
    assert f"Uw mandaat: Teamleider: tot {money(D('2500'))}" in help_text
    assert "beslist Leidinggevende (Mila Manager)" in help_text
    assert help_text in page.content.decode()  # at the budget field, before anything is sent


@override_settings(MAATWERK_BASE_URL="https://maatwerk.example")
def test_above_the_mandate_the_page_offers_the_hand_over_and_the_holder_starts_it(
    client, db, seeded_catalogues
):
    """Not just a refusal: the route up the ladder, as a plan goes. The holder gets an e-mail
    with the form filled in; nothing is recorded or committed until they start it."""
    w = _pattern_world()
    manager = _manager(w)
    client.force_login(w["lead"])
    url = reverse("signals:new_approach")
    form = {**FORM, "regel": str(w["rule"].pk)}
    refused = client.post(url, form)
    assert refused.status_code == 400
    assert refused.context["hand_over"].addressee == "Leidinggevende (Mila Manager)"
    assert 'name="overdragen"' in refused.content.decode()
    events = AuditEvent.objects.count()
    with TestCase.captureOnCommitCallbacks(execute=True):
        handed = client.post(url, {**form, "overdragen": "1"})
    assert handed.status_code == 302
    assert not CollectiveApproach.objects.exists() and not LedgerEntry.objects.exists()
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.latest("id")
    assert event.reason == "collective approach handed over to the mandate"
    assert D(event.changes["amount"]) == D("3000")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["mila@example.org"]
    link = next(w for w in mail.outbox[0].body.split() if w.startswith("https://"))
    query = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    # The holder opens the link: the form is filled in; their mandate covers it.
    client.force_login(manager)
    page = client.get(url, query)
    initial = page.context["form"].initial
    assert (initial["name"], initial["kind"], initial["amount"]) == (
        "Buurtkamer",
        "group_activity",
        "3000",
    )
    started = client.post(url, {**query, "name": query["naam"], "kind": query["soort"],
                                "amount": query["bedrag"]})  # fmt: skip
    assert started.status_code == 302
    approach = CollectiveApproach.objects.get()
    assert approach.created_by == manager and approach.blocking_rule == w["rule"]


def test_a_hand_over_within_the_own_mandate_is_refused(client, db, seeded_catalogues):
    w = _pattern_world()
    _manager(w)
    client.force_login(w["lead"])
    response = client.post(
        reverse("signals:new_approach"), {**FORM, "amount": "100", "overdragen": "1"}
    )
    assert response.status_code == 400
    assert "binnen uw mandaat" in response.context["form"].errors["amount"][0]
    assert not mail.outbox


def test_the_activity_date_is_not_labelled_day_like_its_first_box(db, seeded_catalogues):
    """The fieldset's legend was "Dag" and its first box too: a screen reader read "Dag, Dag"."""
    w = _pattern_world()
    approach = start_collective_approach(
        w["lead"], team=w["team"], name="Inloop", kind="group_activity"
    )
    form = CollectiveActivityForm(approach=approach)
    html = Template('{% include "core/field.html" %}').render(Context({"field": form["day"]}))
    legend = html.split("<legend>")[1].split("</legend>")[0]
    assert legend.startswith("Datum")
    assert "Dag" not in legend and ">Dag</label>" in html


def test_the_audit_page_names_objects_and_changed_fields_in_dutch(client, db):
    privacy = user_with_role(Role.PRIVACY_OFFICER, TeamFactory())
    audit.record(actor=privacy, action=audit.Action.VIEW, object_type="signals.report",
                 object_id="2026")  # fmt: skip
    audit.record(actor=privacy, action=audit.Action.CREATE, object_type="signals.signal",
                 object_id=1, changes={"blocking_rule": 1, "organisation": 2})  # fmt: skip
    client.force_login(privacy)
    body = client.get(reverse("audit:list")).content.decode()
    assert "signalenrapport #2026" in body and "signals.report" not in body
    # PostgreSQL's jsonb keeps keys in its own order: either order is fine.
    assert ("belemmerende regel, organisatie" in body) or (
        "organisatie, belemmerende regel" in body
    )
    assert "blocking_rule" not in body


def test_a_rule_name_is_kept_whole_word_by_word_and_its_text_unchanged():
    html = Template("{% load maatwerk %}{{ n|rule_name }}").render(
        Context({"n": "Toeslag verrekend met (belasting)schuld <b>"})
    )
    assert html == (
        '<span class="om-rule-name">Toeslag verrekend met (belasting)schuld &lt;b&gt;</span>'
    )


def test_the_report_labels_what_its_two_household_totals_count(client, db, data):  # noqa: F811
    """The rules table counts households with an obstacle, the kinds table households with a
    plan: two totals that may differ (14 and 10 in the demo), so each says what it counts."""
    client.force_login(data["analyst"])
    response = client.get(reverse("signals:report"))
    body = response.content.decode()
    assert "Huishoudens met dit knelpunt" in body and "Huishoudens met een plan" in body
    assert 'id="kinds-households"' in body
    assert " · <a" not in body  # a separator sticks to the word before it
    css = (settings.BASE_DIR / "src/maatwerk/static/maatwerk/app.css").read_text()
    assert ".om-rule-name { hyphens: manual; overflow-wrap: break-word; }" in css
    assert '<span class="om-rule-name">Toeslag verrekend met (belasting)schuld</span>' in body
    assert "SHA-256" not in body.split("<details")[0]  # jargon only in the details
    assert "Uitkomst</td>" not in body and ">Totaal</td>" not in body


def test_audit_change_labels_name_fields_and_keep_other_keys():
    """A reverse relation ("lines" of a plan, as plan services record) has no verbose name:
    the audit page crashed on it (access matrix, /audit/)."""
    from maatwerk.core.templatetags.maatwerk import change_labels
    from maatwerk.plans.models import Plan

    status = Plan._meta.get_field("status").verbose_name
    assert change_labels(["lines", "status", "amount"], "plans.plan") == (
        f"lines, {status}, amount"
    )
