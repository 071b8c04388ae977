"""Every page answers with a number of queries that does not grow with the data.

Each page is measured at 10 and at 1,000 households; the counts must be equal and below a
per-page ceiling.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.cases.models import Case, Household, Resident

from .factories import TeamFactory, user_with_role


def _grow(team, worker, n: int) -> None:
    start = Household.objects.count()
    households = Household.objects.bulk_create(
        Household(team=team, reference=f"QC-{start + i:07d}") for i in range(n)
    )
    Resident.objects.bulk_create(
        Resident(household=h, first_name="Naam", last_name=f"Achternaam{h.pk}", is_contact=True)
        for h in households
    )
    cases = Case.objects.bulk_create(
        Case(household=h, team=team, title="Schulden", opened_on=date(2026, 1, 1))
        for h in households
    )
    Case.assigned_workers.through.objects.bulk_create(
        Case.assigned_workers.through(case_id=c.pk, user_id=worker.pk) for c in cases
    )


PAGES = [
    # (url name, role, needs a case id, ceiling)
    # The start page's task list adds a query per kind of task (steps to decide, peer votes,
    # returned and draft plans, unassigned cases, due follow-ups, due pilot-light check-ins),
    # and a team lead's caseload two and the team's overdue follow-ups two (the organisation's
    # grace days, the follow-ups). The case page reads its pilot lights once. Workers and team
    # leads count the early signals waiting in their triage queues once (issue 15). The
    # library's tasks (issue 16): a proposer's returned examples once, a reviewer's queue once.
    ("home", Role.WORKER, False, 18),
    ("home", Role.POLICY_ANALYST, False, 10),
    ("home", Role.PRIVACY_OFFICER, False, 10),
    ("home", Role.DIRECTOR, False, 14),
    ("home", Role.TEAM_LEAD, False, 24),
    ("home", Role.MANAGER, False, 14),
    # The list shows a total, each case's workers and plans: a count and two prefetches.
    ("cases:list", Role.WORKER, False, 12),
    ("cases:list", Role.DIRECTOR, False, 12),
    # The case page now also lists requests to outside organisations (one query) and builds its
    # timeline from obstacles, plans and decision steps; the timeline reads obstacles and plans
    # a second time (to fold into the page's own reads: noted for the speed issue).
    # One more: the early signals picked up into the case (issue 15's backlink).
    ("cases:detail", Role.WORKER, True, 20),
    ("cases:mine", Role.WORKER, False, 12),
    ("cases:team", Role.TEAM_LEAD, False, 12),
    ("cases:new", Role.WORKER, False, 10),
    ("cases:add_note", Role.WORKER, True, 10),
    ("cases:add_obstacle", Role.WORKER, True, 10),
    ("audit:list", Role.PRIVACY_OFFICER, False, 10),
    # Unusual reads: two grouped counts over the audit log, then the named users and teams.
    ("privacy:unusual_reads", Role.PRIVACY_OFFICER, False, 12),
    ("privacy:register", Role.PRIVACY_OFFICER, False, 10),
    ("accounts:security", Role.WORKER, False, 10),
    ("case-list", Role.WORKER, False, 10),
    ("case-detail", Role.WORKER, True, 16),
    ("case-obstacles", Role.WORKER, True, 10),
    ("api-me", Role.WORKER, False, 10),
    ("costs:catalogue", Role.WORKER, False, 10),
    ("costs:new_item", Role.ADMIN, False, 10),
    ("costs:calculator", Role.WORKER, False, 10),
    ("costs:calculator_search", Role.WORKER, False, 10),
    ("api-cost-items", Role.WORKER, False, 10),
    ("legal:index", Role.WORKER, False, 10),
    ("legal:index", Role.POLICY_ANALYST, False, 10),
    ("provision-list", Role.WORKER, False, 10),
    ("blocking-rule-list", Role.WORKER, False, 10),
    ("decisions:inbox", Role.MANAGER, False, 10),
    ("decisions:inbox", Role.TEAM_LEAD, False, 10),
    ("decisions:budgets", Role.TEAM_LEAD, False, 10),
    # Figures per outside organisation: fixed whatever the number of organisations too
    # (tests/cooperation/test_figures.py grows those).
    ("signals:organisations", Role.MANAGER, False, 10),
    # The signal report: fixed whatever the number of obstacles (tests/signals grows those).
    ("signals:report", Role.POLICY_ANALYST, False, 14),
    ("signals:report", Role.DIRECTOR, False, 16),
    # Follow-up cohorts: fixed whatever the number of plans too (tests/followup/test_cohorts.py
    # grows those).
    ("followup:cohorts", Role.TEAM_LEAD, False, 12),
    ("followup:cohorts", Role.DIRECTOR, False, 12),
    # The library: fixed whatever the number of examples too (tests/library grows those).
    ("library:list", Role.WORKER, False, 14),
    ("library:review_queue", Role.TEAM_LEAD, False, 12),
    ("example-list", Role.WORKER, False, 12),
]


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("name", "role", "with_case", "ceiling"), PAGES, ids=[f"{p[0]}-{p[1]}" for p in PAGES]
)
def test_query_count_does_not_grow_with_households(client, db, name, role, with_case, ceiling):
    team = TeamFactory()
    user = user_with_role(role, team)
    worker = user if role == Role.WORKER else user_with_role(Role.WORKER, team)
    client.force_login(user)
    _grow(team, worker, 10)
    case_id = Case.objects.filter(team=team).first().pk
    url = reverse(name, args=[case_id]) if with_case else reverse(name)
    client.get(url)  # warm caches (content types, translations) so both runs compare alike
    small = _count(client, url)
    _grow(team, worker, 990)
    large = _count(client, url)
    assert small == large, f"{name}: {small} queries at 10 households, {large} at 1,000"
    assert large <= ceiling, f"{name}: {large} queries, ceiling {ceiling}"


def _examples(team, author, reviewer, rule, n: int) -> None:
    """`n` approved library examples, bulk (the count of rows is what is measured), indexed."""
    from django.utils import timezone

    from maatwerk.library import search as library_search
    from maatwerk.library.models import Example, ExampleLifeDomain

    now = timezone.now()
    examples = Example.objects.bulk_create(
        Example(
            organisation=team.organisation,
            team=team,
            status=Example.Status.APPROVED,
            title=f"Voorbeeld {i}: huurachterstand opgelost",
            story="De huurachterstanden liepen op; de schulden werden geregeld.",
            blocking_rule=rule,
            tailored_total=1000,
            standard_total=5000,
            proposed_by=author,
            reviewed_by=reviewer,
            reviewed_at=now,
        )
        for i in range(n)
    )
    ExampleLifeDomain.objects.bulk_create(
        ExampleLifeDomain(example=e, domain="housing") for e in examples
    )
    library_search.reindex_all()


# The search page: session and user, the reader's memberships, the filter form's choices, the
# search (one query, visibility inside it), the rows, the team's examples and the review count
# (a search shows its best matches, not the paged list).
# The case page with an obstacle on a known rule: the page's own reads plus two for the
# suggestions (the case's provisions, the scored examples) and one for its early signals.
@pytest.mark.parametrize(
    ("page", "ceiling"), [("library search", 8), ("case with suggestions", 24)]
)
def test_library_search_and_suggestions_do_not_grow_with_examples(client, db, page, ceiling):
    """Search over the library and the suggestions on a case page: the same number of queries
    at 5 and at 100 approved examples (issue 16)."""
    from maatwerk.cases import services as case_services
    from maatwerk.legal.models import BlockingRule

    team = TeamFactory()
    worker = user_with_role(Role.WORKER, team)
    lead = user_with_role(Role.TEAM_LEAD, team)
    client.force_login(worker)
    _grow(team, worker, 1)
    rule = BlockingRule.objects.order_by("pk").first()
    case = Case.objects.filter(team=team).get()
    case_services.add_obstacle(actor=worker, case=case, blocking_rule=rule, effect="Vast.")
    if page == "library search":
        url = reverse("library:list") + "?q=huurachterstanden&life_domain=housing"
    else:
        url = reverse("cases:detail", args=[case.pk])
    _examples(team, worker, lead, rule, 5)
    client.get(url)
    small = _count(client, url)
    _examples(team, worker, lead, rule, 95)
    large = _count(client, url)
    assert small == large, f"{page}: {small} queries at 5 examples, {large} at 100"
    assert large <= ceiling, f"{page}: {large} queries, ceiling {ceiling}"


# The regelbank searched in a worker's words: session and user, the law filter's choices, then
# per list (rules, articles) the ranked search in two steps (all words and the synonyms' words
# first, then any one word; the filters inside each) and its rows, and the rules' ways out; the
# linked rules of articles found through a rule's name (shown with their matched words); the
# same number of queries however large the catalogue grows.
def test_regelbank_search_does_not_grow_with_the_catalogue(client, db, seeded_catalogues):
    from maatwerk.legal import services as legal_services
    from maatwerk.legal.models import Provision

    admin = user_with_role(Role.ADMIN, TeamFactory())
    client.force_login(user_with_role(Role.WORKER, TeamFactory()))
    url = reverse("legal:index") + "?q=kamerverhuur+kostgeld+volwassen+zoon&life_domain=income"
    client.get(url)
    small = _count(client, url)
    escapes = list(Provision.objects.order_by("code")[:3])
    for i in range(40):
        legal_services.add_blocking_rule(
            admin,
            code=f"KOSTGELD-{i}",
            name_nl=f"Kostgeld van een inwonende zoon, geval {i}",
            applied_by="municipality",
            life_domain="income",
            basis_provision=escapes[0],
            escape_provisions=escapes,
        )
    large = _count(client, url)
    page = client.get(url).content.decode()
    assert "<mark>Kostgeld</mark> van een inwonende <mark>zoon</mark>" in page
    assert small == large, f"regelbank search: {small} queries, {large} with 40 more rules"
    assert large <= 14, f"regelbank search: {large} queries, ceiling 14"


# The cost catalogue searched in a worker's words (costs/search.py): session and user, the
# catalogue stamp (items, price index, search index) and the user's organisations, then the
# ranked search in two steps (the typed words; then the synonyms' words and single words), the
# items whose name holds the typed words as part of a compound ("opvang" in "Kinderopvang"), the
# found items with their prices and the price index, and the whole catalogue (items, prices,
# price index again) for the page's intro; the same number of queries however many items the
# organisation adds.
def test_catalogue_search_does_not_grow_with_the_catalogue(client, db, seeded_catalogues):
    from decimal import Decimal

    from django.core.cache import cache
    from django.utils import timezone

    from maatwerk.costs import services as cost_services

    team = TeamFactory()
    admin = user_with_role(Role.ADMIN, team)
    client.force_login(user_with_role(Role.WORKER, team))
    url = reverse("costs:catalogue") + "?q=huisuitzetting+kosten&life_domain=housing"
    cache.clear()
    small = _count(client, url)
    for i in range(30):
        cost_services.add_local_item(
            actor=admin,
            organisation_id=team.organisation_id,
            code=f"LOKAAL-UITZ-{i}",
            name_nl=f"Kosten van een huisuitzetting, variant {i}",
            name_en=f"Eviction cost {i}",
            description="",
            life_domain="housing",
            unit="per_case",
            bearer="municipality",
            cost_type="fiscal",
            amount=Decimal("100") + i,
            price_date=timezone.localdate(),
            grade="C",
            source_title="Eigen opgave",
            source_url="https://example.org/uitzetting",
            note=f"lokale schatting {i}",
        )
    large = _count(client, url)  # a new stamp: not from the cache
    page = client.get(url).content.decode()
    assert "<mark>huisuitzetting</mark>, variant" in page
    assert small == large, f"catalogue search: {small} queries, {large} with 30 more items"
    assert large <= 15, f"catalogue search: {large} queries, ceiling 15"
