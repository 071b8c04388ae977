"""The demo data (walkthrough findings): lifecycle plans only on ordinary cases the demo worker
works on, never on the new registrations; a case lists each blocking rule once, however many
demo plans solve it; loading twice changes nothing."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maatwerk.cases.models import Case, Obstacle
from maatwerk.plans.models import Plan


def _state():
    return (
        sorted(Plan.objects.values_list("case__household__reference", "status")),
        Obstacle.objects.count(),
    )


@pytest.mark.django_db
def test_lifecycle_plans_on_ordinary_cases_and_each_rule_once_per_case(demo_once):
    first = _state()  # after the first load (demo_once: one load for the module)
    call_command("load_demo", stdout=StringIO())
    assert _state() == first  # idempotent

    intake = Case.objects.filter(household__reference__startswith="DEMO-N")
    assert intake.count() == 3
    assert not Plan.objects.filter(case__in=intake).exists()
    assert not Obstacle.objects.filter(case__in=intake).exists()

    statuses = set(Plan.objects.values_list("status", flat=True))
    assert {"draft", "submitted", "rejected", "withdrawn", "partly_paid", "paid", "closed"} <= (
        statuses
    )
    for case in Case.objects.filter(plans__isnull=False).distinct():
        rules = Counter(o.rule_name for o in case.obstacles.select_related("blocking_rule"))
        assert all(n == 1 for n in rules.values()), (case.household.reference, rules)
    demo1 = Case.objects.get(household__reference="DEMO-0001")
    assert demo1.obstacles.count() == 1 and demo1.plans.count() == 3
    # An energy case gets the energy rule, not the childcare allowance.
    for case in Case.objects.filter(title__startswith="Energieleverancier", plans__isnull=False):
        assert {o.blocking_rule.code for o in case.obstacles.all()} == {"ENERGIE-AFSLUITING"}


@pytest.mark.django_db
def test_every_demo_plan_fits_its_own_case(demo_once):
    """Walkthrough issue 11, finding 12b: an energy plan quoted the childcare mother, every
    provision had the same filler, and every standard route was a year of social assistance.
    Each situation's plan now has its own words, reasons and routes, from the catalogues."""
    from maatwerk.legal.models import BlockingRuleEscape

    words, reasons, routes = {}, set(), {}
    for plan in Plan.objects.select_related("case").prefetch_related(
        "plan_provisions__provision", "lines__cost_item", "obstacles__blocking_rule"
    ):
        rule = plan.obstacles.get().blocking_rule.code
        words.setdefault(rule, set()).add(plan.resident_words)
        chosen = list(plan.plan_provisions.all())
        assert chosen, plan.pk
        # Each provision carries the worker's own reason, and the rule's escape is among them.
        escapes = set(
            BlockingRuleEscape.objects.filter(rule__code=rule).values_list("provision", flat=True)
        )
        assert escapes & {c.provision_id for c in chosen}, (plan.pk, rule)
        for c in chosen:
            assert "geeft ruimte om af te wijken in deze situatie" not in c.explanation
            assert len(c.explanation) > 60, (plan.pk, c.provision.code)
            reasons.add((rule, c.provision.code, c.explanation))
        standard = [line for line in plan.lines.all() if line.scenario == "standard"]
        # The standard route uses catalogue items only (no invented figures).
        assert standard and all(line.cost_item_id for line in standard), plan.pk
        routes.setdefault(rule, set()).add(tuple(sorted(line.cost_item.code for line in standard)))
    assert set(words) == {"TOESLAG-VERREKEND", "ENERGIE-AFSLUITING", "BRP-INSCHRIJVING"}
    # One set of words per situation, none shared between situations.
    assert all(len(w) == 1 for w in words.values()), words
    assert len({next(iter(w)) for w in words.values()}) == 3
    assert "opvang" not in next(iter(words["ENERGIE-AFSLUITING"]))
    # A reason is written for its own rule: no two situations share one.
    assert len({why for _rule, _code, why in reasons}) == len(reasons)
    # Only the working mother's standard route is social assistance.
    assert routes["TOESLAG-VERREKEND"] == {("PW-NORM-1P",)}
    assert all(
        "PW-NORM-1P" not in r
        for rule, rs in routes.items()
        for r in rs
        if rule != ("TOESLAG-VERREKEND")
    )


@pytest.mark.django_db
def test_the_demo_shows_figures_for_an_outside_organisation(demo_once):
    """A policy analyst opening the figures per organisation on the demo sees at least one row
    with figures (UWV's answered history), not "< 5" everywhere (walk finding)."""
    from maatwerk.accounts.models import User
    from maatwerk.cooperation.selectors import organisation_figures

    rows = {r.name: r for r in organisation_figures(User.objects.get(username="beleid"))}
    uwv = rows["UWV"]
    assert not uwv.small and uwv.requests >= 5
    assert uwv.answered >= 5 and uwv.agreed_share is not None and uwv.median_days is not None
    assert rows["Belastingdienst/Toeslagen"].small  # the Toeslagen journey adds its fifth


@pytest.mark.django_db
def test_the_demo_pay_off_page_shows_figures():
    """The walk's finding: every group of the pay-off (cohort) page showed "< 5". The demo has
    plans approved in one quarter more than a year ago, followed up at every moment through
    the services (in work since the start, work that started late, not measured), so the team
    lead's team and that quarter show figures; and one overdue follow-up for the task list."""
    from django.contrib.auth import get_user_model

    from maatwerk.followup import cohorts
    from maatwerk.followup.models import FollowUp

    call_command("load_demo", stdout=StringIO())
    lead = get_user_model().objects.get(username="teamleider")
    teams, _whole = cohorts.cohorts_for(lead, cohorts.TEAM)
    north = next(c for c in teams if c.label == "Wijkteam Wadwijk-Noord")
    assert not north.small and north.measured >= 3 and north.not_measured >= 1
    assert north.holds >= 3 and north.realised != north.predicted
    quarters, _whole = cohorts.cohorts_for(lead, cohorts.QUARTER)
    # Per quarter of approval too, the team lead sees figures: the followed-up quarter (six
    # plans) and the current one (five), so no small group forces another out
    # (cohorts.protect), and never exactly one hidden group.
    shown = [q for q in quarters if not q.small]
    assert len(shown) >= 1 and sum(q.small for q in quarters) != 1
    followed = max(shown, key=lambda q: q.measured)
    assert followed.plans >= 5 and followed.measured >= 3
    # On the page itself: at least one quarter's row with figures, not "< 5".
    client = Client()
    client.force_login(lead)
    page = client.get(reverse("followup:cohorts"), {"indeling": "kwartaal"}).content.decode()
    assert f'<th scope="row">{followed.label}</th>' in page
    assert page.count("niet getoond: te weinig plannen") < len(quarters)
    assert FollowUp.objects.filter(status="scheduled", due_on__lt=north_today()).exists()


def north_today():
    from django.utils import timezone

    return timezone.localdate()


@pytest.mark.django_db
def test_the_demo_signal_report_counts_the_back_dated_plans_in_their_year(demo_once):
    """The walk's finding: the follow-up plans were approved 15 months ago but their obstacles
    were recorded today, so the report for that year was empty. Their obstacles now date from
    the plan's day: the report of that year has rows, with approved plans."""
    from maatwerk.accounts.models import User
    from maatwerk.followup import rules
    from maatwerk.signals import report as signal_report
    from maatwerk.signals import selectors

    back = rules.add_months(north_today(), -15)
    analyst = User.objects.get(username="beleid")
    result = selectors.signal_report(analyst, signal_report.Period(back.year))
    assert result.rules
    plans = Plan.objects.filter(obstacles__created_at__year=back.year).distinct()
    assert plans.filter(case__opened_on__year=back.year).exists()
    assert plans.exists()


@pytest.mark.django_db
def test_the_demo_team_lead_can_start_a_collective_approach_from_a_pattern(demo_once):
    """Walk 14: the patterns page was a dead end. The team lead can always start an approach
    for a neighbourhood; a pattern shows with its own start link only where the signal report
    shows its rule × neighbourhood cell; the demo has one such pattern."""
    from maatwerk.accounts.models import User
    from maatwerk.signals import report, selectors

    lead = User.objects.get(username="teamleider")
    client = Client()
    client.force_login(lead)
    response = client.get(reverse("signals:patterns"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{reverse("signals:new_approach")}"' in page
    period = response.context.get("period") or report.Period(timezone.localdate().year)
    grid = selectors.signal_report(lead, period, breakdown="wijk").grid
    for r in response.context["rows"]:
        assert grid.cells.get((r["rule_key"], r["code"])) is not None
    # Re-walk 14 (second): the demo's neighbourhood now legitimately shows the toeslag cell
    # (its other rules' small cells no longer follow from the column's total), so there is a
    # pattern row of six households with its own start link, under the unchanged suppression.
    rows = response.context["rows"]
    assert rows, "the demo shows no collective pattern"
    toeslag = [r for r in rows if r["rule"].name and r["domain_key"] == "income"]
    assert toeslag and toeslag[0]["households"] == 6
    start = (
        f"{reverse('signals:new_approach')}?wijk={toeslag[0]['code']}"
        f"&amp;leefgebied=income&amp;regel={toeslag[0]['rule_key']}"
    )
    assert start in page
    follow = client.get(start.replace("&amp;", "&"))
    assert follow.status_code == 200


@pytest.mark.django_db
def test_the_demo_signals_tell_one_story_in_their_dates(demo_once):
    """Walk 14: a demo signal was "nieuw sinds 8 november" but "Gemeld 29 november", with its
    history from 29 November. The day raised, the status "since" day, the history and the
    contributions now agree."""
    from django.utils import timezone

    from maatwerk.signals.models import Signal

    signals = list(Signal.objects.prefetch_related("events", "contributions"))
    assert len(signals) == 2
    for signal in signals:
        raised = timezone.localtime(signal.raised_at).date()
        events = list(signal.events.all())
        days = [timezone.localtime(e.at).date() for e in events]
        assert days[0] == raised and days == sorted(days)
        assert days[-1] == signal.status_since  # the last move set the status
        assert raised < timezone.localdate()  # back-dated, as the story says
        for c in signal.contributions.all():
            assert timezone.localtime(c.created_at).date() >= days[-1]
