"""The follow-up pages: the task on the worker's start page, the page that records it, the
plan page's follow-up section; need-to-know and audited reads."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.followup import selectors, services
from maatwerk.followup.models import FollowUp

from ..plans import test_plan_lifecycle as lifecycle
from .test_followup_services import approved

org = lifecycle.org


def test_the_due_follow_up_is_a_task_and_is_recorded_from_its_page(client, org):
    plan = approved(org)
    due = FollowUp.objects.get(plan=plan, moment="end_of_action")
    later = FollowUp.objects.get(plan=plan, moment="plus_6")
    url = reverse("followup:record", args=[due.pk])
    client.force_login(org["worker"])
    # Before the action is marked carried out (or paid) the end of the action is not due:
    # no task, and the plan page says it waits for the action.
    assert url not in client.get(reverse("home")).content.decode()
    plan_page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "wacht op de actie" in plan_page and ">aan de beurt<" not in plan_page
    assert 'id="awaiting-action"' in client.get(url).content.decode()
    services.mark_carried_out(org["worker"], plan, timezone.localdate())
    home = client.get(reverse("home")).content.decode()
    assert url in home and f"Vervolgmoment van plan {plan.pk} vastleggen" in home
    assert reverse("followup:record", args=[later.pk]) not in home  # not due yet
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and 'id="record-form"' in body
    assert "Nog aan het werk" in body and "Nee, niet gemeten" in body
    event = AuditEvent.objects.filter(action="view", object_type="followup.followup").latest("id")
    assert event.object_id == str(due.pk) and event.actor == org["worker"]
    # The plan page lists the moments with links.
    plan_page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'id="followup"' in plan_page and url in plan_page
    # A refused answer shows the message and changes nothing.
    response = client.post(
        url, {"measured": "not_measured", "recorded_on": str(timezone.localdate())}
    )
    assert response.status_code == 200
    assert "Geef aan waarom het niet gemeten kon worden." in response.content.decode()
    assert FollowUp.objects.get(pk=due.pk).status == "scheduled"
    response = client.post(
        url,
        {
            "measured": "yes",
            "recorded_on": str(timezone.localdate()),
            "still_in_work": "on",
            "still_in_work_since": str(timezone.localdate()),
            "still_in_work_text": "Werkt 32 uur per week.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", args=[plan.pk]) + "#followup"
    due.refresh_from_db()
    assert due.status == "recorded"
    assert url not in client.get(reverse("home")).content.decode()
    body = client.get(url).content.decode()
    assert "Werkt 32 uur per week." in body and 'id="record-form"' not in body


def test_readers_who_do_not_write_see_but_cannot_record(client, org):
    plan = approved(org)
    due = FollowUp.objects.get(plan=plan, moment="end_of_action")
    url = reverse("followup:record", args=[due.pk])
    client.force_login(org["users"][Role.MANAGER])
    body = client.get(url).content.decode()
    assert 'id="record-form"' not in body and 'id="not-recorded"' in body
    assert client.post(url, {"measured": "not_measured", "reason": "moved"}).status_code == 403
    assert FollowUp.objects.get(pk=due.pk).status == "scheduled"
    client.force_login(org["users"][Role.POLICY_ANALYST])
    assert client.get(url).status_code == 403


def test_the_plan_page_shows_realised_against_predicted(client, org):
    from maatwerk.core.formatting import money

    from .test_followup_services import _record_all, _worked_example

    plan = _worked_example(org)
    _record_all(org, plan, selectors.plan_start(plan))
    realised = selectors.realised_for(plan)
    client.force_login(org["worker"])
    body = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'id="realised"' in body
    assert body.count(money(realised.net_benefit)) >= 2  # predicted and realised alike
    assert "Wat het plan bespaarde tegenover de voorspelling, nagekeken op" in body


def test_the_plan_page_shows_not_measured_as_no_figure(client, org):
    from .test_followup_services import _worked_example

    plan = _worked_example(org)
    for followup in FollowUp.objects.filter(plan=plan):
        services.record(org["worker"], followup, measured="not_measured", reason="refused")
    client.force_login(org["worker"])
    body = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'id="realised-not-measured"' in body and 'id="realised"' not in body


def test_an_overdue_follow_up_escalates_to_the_team_lead_after_the_grace_period(
    client, org, settings
):
    settings.MAATWERK_FOLLOWUP_GRACE_DAYS = 14
    plan = approved(org, days_ago=10)  # the end-of-action follow-up is 10 days overdue
    due = FollowUp.objects.get(plan=plan, moment="end_of_action")
    services.mark_carried_out(org["worker"], plan, due.due_on)  # carried out when approved
    url = reverse("followup:record", args=[due.pk])
    lead = org["users"][Role.TEAM_LEAD]
    client.force_login(lead)
    assert url not in client.get(reverse("home")).content.decode()  # within the grace period
    settings.MAATWERK_FOLLOWUP_GRACE_DAYS = 7
    home = client.get(reverse("home")).content.decode()
    assert url in home and f"Vervolgmoment van plan {plan.pk} is te laat" in home
    assert list(selectors.overdue_for_lead(lead)) == [due]
    # Not for the team lead of another team, nor once it is recorded.
    assert not selectors.overdue_for_lead(org["users"][Role.MANAGER]).exists()
    services.record(org["worker"], due, measured="not_measured", reason="no_contact")
    assert url not in client.get(reverse("home")).content.decode()


def test_the_payoff_page_has_a_menu_entry_for_leads_managers_and_directors(client, org):
    """The walk's finding: the cohort page was only reachable from the budgets page, and
    "Cohorten" is jargon. A menu entry in plain Dutch, and a plain heading."""
    url = reverse("followup:cohorts")
    for role in (Role.TEAM_LEAD, Role.MANAGER, Role.DIRECTOR):
        client.force_login(org["users"][role])
        page = client.get(reverse("home"))
        items = {i["label"]: i["url"] for i in page.context["nav_items"]}
        assert items.get("Opbrengst") == url, role
        body = client.get(url).content.decode()
        assert "Cohort" not in body.split("<main")[-1]
        assert "Opbrengst van maatwerk</h1>" in body
        assert "Heeft maatwerk opgeleverd wat het plan voorspelde?" in body
    for role in (Role.WORKER, Role.POLICY_ANALYST):
        client.force_login(org["users"][role])
        items = [i["url"] for i in client.get(reverse("home")).context["nav_items"]]
        assert url not in items, role


def _record_page(client, org):
    plan = approved(org)
    due = FollowUp.objects.get(plan=plan, moment="end_of_action")
    services.mark_carried_out(org["worker"], plan, due.due_on)  # the action is done
    client.force_login(org["worker"])
    return plan, due, reverse("followup:record", args=[due.pk])


def test_the_reason_is_marked_needed_when_not_measured_not_optional(client, org):
    _plan, _due, url = _record_page(client, org)
    body = client.get(url).content.decode()
    legend = body[body.index("Waarom niet gemeten") :][:200]
    assert "optioneel" not in legend and "nodig bij „niet gemeten”" in legend


def test_contradictory_answers_are_flagged_and_nothing_is_recorded(client, org):
    _plan, due, url = _record_page(client, org)
    today = str(timezone.localdate())
    body = client.post(
        url,
        {
            "measured": "not_measured",
            "reason": "moved",
            "recorded_on": today,
            "still_in_work": "on",
            "still_in_work_since": today,
        },
    ).content.decode()
    assert "U koos „niet gemeten” maar vinkte ook uitkomsten aan" in body
    body = client.post(
        url,
        {
            "measured": "yes",
            "reason": "moved",
            "recorded_on": today,
            "still_in_work": "on",
            "still_in_work_since": today,
        },
    ).content.decode()
    assert "U koos „gemeten” maar gaf ook een reden waarom niet" in body
    assert FollowUp.objects.get(pk=due.pk).status == "scheduled"


def test_choose_at_least_one_outcome_is_shown_at_the_outcomes_and_linked(client, org):
    _plan, _due, url = _record_page(client, org)
    body = client.post(
        url, {"measured": "yes", "recorded_on": str(timezone.localdate())}
    ).content.decode()
    fieldset = body[body.index('id="outcome-fields"') :]
    fieldset = fieldset[: fieldset.index("</legend>") + 300]
    # The message points to the explicit answer "none holds" (f14).
    assert "Kies minstens één uitkomst, of kies „gemeten: geen van de uitkomsten houdt stand”." in (
        fieldset
    )
    assert 'href="#outcome-fields"' in body  # the error summary links to the fieldset
    assert 'aria-describedby="outcome-fields_error"' in body


def test_one_status_vocabulary_and_not_measured_is_neutral(client, org):
    plan, due, url = _record_page(client, org)
    record_page = client.get(url).content.decode()
    status = record_page[record_page.index('id="followup-status"') :][:300]
    assert "aan de beurt" in status and "gepland" not in status
    plan_page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "aan de beurt" in plan_page and "gepland" in plan_page  # later moments: gepland
    home = client.get(reverse("home")).content.decode()
    task = home[home.index(url) :][:600]
    assert "aan de beurt sinds" in task
    services.record(org["worker"], due, measured="not_measured", reason="moved")
    plan_page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    badge = plan_page[: plan_page.index("niet gemeten</span>")].rsplit("<span", 1)[-1]
    assert "om-badge--ok" not in badge


def test_the_record_form_shows_outcome_details_only_under_their_box(client, org):
    _plan, _due, url = _record_page(client, org)
    body = client.get(url).content.decode()
    assert body.count('class="om-outcome__details"') == 6
    assert "Van toepassing" not in body  # the box is labelled with the outcome itself
    assert '<label for="id_still_in_work">Nog aan het werk</label>' in body


def test_the_realised_return_speaks_plain_dutch(client, org):
    from .test_followup_services import _record_all, _worked_example

    plan = _worked_example(org)
    _record_all(org, plan, selectors.plan_start(plan))
    client.force_login(org["worker"])
    body = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    section = body[body.index('id="realised"') :]
    section = section[: section.index("</section>")]
    for jargon in ("horizon", "Verhouding", "rendement"):
        assert jargon not in section, jargon
    assert "Vermeden kosten per euro maatwerk" in section


def test_the_realised_return_says_what_it_was_computed_from(client, org):
    """Which outcome and which date the realised months count from; that the latest
    measurement replaced the earlier ones; the ratio as "1,85" (two decimals, no euro sign),
    predicted and realised alike."""
    from maatwerk.core.formatting import long_date
    from maatwerk.followup import rules

    from .test_followup_services import _record_all, _worked_example

    plan = _worked_example(org)
    start = selectors.plan_start(plan)
    late = rules.add_months(start, 4)  # the work started four months late
    _record_all(org, plan, late)
    client.force_login(org["worker"])
    body = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    basis = body[body.index('id="realised-basis"') :]
    basis = basis[: basis.index("</p>")]
    assert "“nog aan het werk”" in basis
    since, began = long_date(late), long_date(start)
    assert f"geldt sinds {since}, na de start van het maatwerkplan op {began}" in basis
    followups = {f.moment: f for f in FollowUp.objects.filter(plan=plan)}
    assert f"eerdere metingen van {long_date(followups['end_of_action'].recorded_on)}" in basis
    # Walk finding: the sentence came twice; once now, naming both earlier measurements.
    assert basis.count("vervangt") == 1 and "(“na 6 maanden”)" in basis
    ratio_row = body[body.index("Vermeden kosten per euro maatwerk") :]
    ratio_row = ratio_row[: ratio_row.index("</tr>")]
    assert "€" not in ratio_row  # a ratio, not an amount
    realised = selectors.realised_for(plan)
    for value in (realised.prediction.ratio, realised.ratio):  # both with two decimals
        assert f">{f'{value:.2f}'.replace('.', ',')}<" in ratio_row


def test_with_several_outcomes_each_says_why_it_counts_or_not(client, org):
    """Walk finding: with several outcomes a worker could not tell which carries the figure.
    The earliest one does (selectors.realised_from); the others say why not. The figures
    themselves stay the worked example's."""
    from maatwerk.followup import rules

    from .test_followup_services import _worked_example

    plan = _worked_example(org)
    start = selectors.plan_start(plan)
    first = FollowUp.objects.get(plan=plan, moment="end_of_action")
    before = selectors.realised_for(plan)
    services.record(
        org["worker"],
        first,
        measured="yes",
        outcomes=[
            {"code": "still_in_work", "holds_since": start},
            {
                "code": "debts_settled_or_arrangement",
                "holds_since": rules.add_months(timezone.localdate(), -1),
            },
        ],
    )
    alone = selectors.realised_for(plan)
    client.force_login(org["worker"])
    body = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    reasons = body[body.index('id="realised-outcomes"') :]
    reasons = reasons[: reasons.index("</ul>")]
    assert reasons.count("<li>") == 2
    work, debts = reasons.split("<li>")[1:]
    assert work.startswith("Nog aan het werk") and "het bedrag telt vanaf deze uitkomst" in work
    assert "Schulden opgelost" in debts and "telt nog niet mee" in debts
    assert "begon later dan “nog aan het werk”" in debts
    assert before is None and alone is not None  # figures from the earliest outcome only
    # Not paid in full and not closed: "nog niet betaald", not "niet besteed".
    explained = body[body.index('id="realised-explained"') :]
    explained = explained[: explained.index("</p>")]
    assert "nog niet betaald" in explained and "niet besteed" not in explained


def test_an_overdue_follow_up_on_the_start_page_says_te_laat(client, org):
    """Walk finding: an overdue follow-up read "aan de beurt" where other tasks say "te laat"."""
    plan = approved(org, days_ago=30)
    due = FollowUp.objects.get(plan=plan, moment="end_of_action")
    services.mark_carried_out(org["worker"], plan, due.due_on)
    due.refresh_from_db()
    assert due.due_on < timezone.localdate()
    client.force_login(org["worker"])
    home = client.get(reverse("home")).content.decode()
    url = reverse("followup:record", args=[due.pk])
    task = home[home.index(url) :][:600]
    assert "te laat: uiterlijk" in task and "aan de beurt" not in task


def test_correcting_the_day_says_it_was_corrected(client, org):
    """Walk finding: "Dag corrigeren" answered "Actie gemarkeerd als uitgevoerd"."""
    plan = approved(org, days_ago=30)
    first = FollowUp.objects.get(plan=plan, moment="end_of_action")
    url = reverse("followup:carried_out", args=[first.pk])
    client.force_login(org["worker"])

    def mark(day):
        data = {"carried_out_on": day.strftime("%d-%m-%Y")}
        return client.post(url, data, follow=True).content.decode()

    today = timezone.localdate()
    assert "Actie gemarkeerd als uitgevoerd" in mark(today - timedelta(days=3))
    again = mark(today - timedelta(days=2))
    assert "is gecorrigeerd" in again and "Actie gemarkeerd als uitgevoerd" not in again


def test_all_errors_of_the_record_form_come_in_one_round(client, org):
    """Walk finding: the missing "Geldt sinds" came only after the other errors were fixed.
    Now in the same round, each message naming its outcome."""
    _plan, due, url = _record_page(client, org)
    body = client.post(
        url,
        {
            "recorded_on": "31-02-2020",  # no such day: a form error
            "still_in_work": "on",
            "debts_settled_or_arrangement": "on",
        },
    ).content.decode()
    assert "Geef de datum sinds wanneer „nog aan het werk” geldt." in body
    assert "Geef de datum sinds wanneer „schulden opgelost of in een regeling” geldt." in body
    assert FollowUp.objects.get(pk=due.pk).status == "scheduled"


def test_the_status_badge_says_late_past_the_day_and_due_on_the_day():
    """Re-walk finding: the follow-up page and the plan's table said "aan de beurt" of a moment
    three months past its day, while the start page said "te laat"."""
    from datetime import date
    from types import SimpleNamespace

    from maatwerk.followup.models import FollowUp
    from maatwerk.followup.templatetags.followup import followup_status

    def moment(due_on):
        return SimpleNamespace(
            is_recorded=False,
            status=FollowUp.Status.SCHEDULED,
            moment=FollowUp.Moment.PLUS_6,
            due_on=due_on,
        )

    today = date(2026, 11, 29)
    assert followup_status(moment(date(2026, 8, 25)), today)["kind"] == "overdue"
    assert followup_status(moment(today), today)["kind"] == "due"
    assert followup_status(moment(date(2027, 2, 28)), today)["kind"] == "scheduled"


def test_the_error_summary_names_the_outcome_whose_date_is_bad(client, org):
    """Walk finding: a bad "Geldt sinds" read "Geldt sinds: …" in the summary at the top,
    without saying whose date it was (every outcome has one)."""
    _plan, _due, url = _record_page(client, org)
    body = client.post(
        url,
        {"measured": "yes", "in_care": "on", "in_care_since": "31-02-2020"},
    ).content.decode()
    summary = body[
        body.index('id="error-summary"') : body.index("</ul>", body.index('id="error-summary"'))
    ]
    assert (
        'href="#id_in_care_since_0">In zorg, geldt sinds</a>: Voer een geldige datum in.' in summary
    )


def test_the_record_form_offers_measured_none_holds_and_refuses_it_with_outcomes(client, org):
    """The three answers on the form; "none holds" with a ticked outcome is refused in Dutch at
    the outcomes (shown, not hidden), nothing recorded; alone it is recorded as measured with
    no outcomes, and reads back on the follow-up's page and the plan page."""
    plan, due, url = _record_page(client, org)
    body = client.get(url).content.decode()
    for value, label in [
        ("yes", "Ja, gemeten, met uitkomsten"),
        ("none_holds", "Ja, gemeten: geen van de uitkomsten houdt stand"),
        ("not_measured", "Nee, niet gemeten"),
    ]:
        assert f'value="{value}"' in body and label in body
    today = str(timezone.localdate())
    refused = client.post(
        url,
        {
            "measured": "none_holds",
            "recorded_on": today,
            "still_in_work": "on",
            "still_in_work_since": today,
        },
    )
    text = refused.content.decode()
    fieldset = text[text.index('id="outcome-fields"') - 200 :][:900]
    assert "om-record--shown" in fieldset  # the contradiction stays in sight
    assert (
        "U koos „gemeten: geen van de uitkomsten houdt stand” maar vinkte ook uitkomsten aan"
        in fieldset
    )
    assert 'href="#outcome-fields"' in text
    assert FollowUp.objects.get(pk=due.pk).status == "scheduled"
    done = client.post(url, {"measured": "none_holds", "recorded_on": today})
    assert done.status_code == 302
    due.refresh_from_db()
    assert (due.status, due.measured, due.none_holds) == ("recorded", "yes", True)
    assert not due.outcomes.exists()
    page = client.get(url).content.decode()
    said = page[page.index('id="none-holds"') :][:400]
    assert "Gemeten: geen van de uitkomsten houdt stand" in said and "telt als gemeten" in said
    plan_page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    explained = plan_page[plan_page.index('id="realised-explained"') :]
    explained = explained[: explained.index("</p>")]
    assert "Meegeteld: 0 maanden" in explained
    assert "geen van de uitkomsten houdt stand, dus zijn er geen kosten" in explained
    assert 'id="realised-not-measured"' not in plan_page
