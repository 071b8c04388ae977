"""Search and suggestions in the library (issue 16, points 3 and 4), through the services.

Run on SQLite and on PostgreSQL (DATABASE_URL=postgres://…): the index differs per database,
the behaviour may not."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.cases import services as case_services
from maatwerk.core import search as core_search
from maatwerk.core.models import SearchDocument
from maatwerk.decisions import services as decisions
from maatwerk.demo.plans import BRP_CORRECTION, ENERGY_DISCONNECTION, complete_plan
from maatwerk.legal.models import BlockingRule
from maatwerk.library import search, services, structure, suggest
from maatwerk.library.models import Example
from maatwerk.plans import services as plan_services
from maatwerk.plans.services import PlanError

from ..factories import CaseFactory, user_with_role
from ..plans.test_plan_lifecycle import submit
from .world import BSN, household_known, other_org_worker

STORY = (
    "Mevrouw El Amrani (Fatima, geboren 12-03-1985, BSN 111222333) had een huurachterstand van "
    "drie maanden en schulden bij de energieleverancier. Bel 06-12345678. De kinderopvang werd "
    "betaald uit het maatwerkbudget, zodat zij kon blijven werken."
)


def decided_plan(org, case=None, amount="2000", **variant):
    case = case or org["case"]
    household_known(case)
    plan = submit(org["worker"], complete_plan(org["worker"], case, amount, **variant))
    decisions.approve(org["users"][Role.TEAM_LEAD], plan, reason="Past binnen het budget.")
    plan.refresh_from_db()
    return plan


def published(org, plan, title="Kinderopvang betaald", story=STORY, lessons=""):
    example = services.propose_example(plan, org["worker"], title, story, lessons)
    services.submit_example(example, org["worker"])
    return services.approve_example(example, org["users"][Role.PRIVACY_OFFICER])


def new_case(org, rule_code=None):
    case = CaseFactory(household__team=org["team"])
    if rule_code:
        case_services.add_obstacle(
            actor=org["worker"],
            case=case,
            blocking_rule=BlockingRule.objects.get(code=rule_code),
            effect="Het loopt vast.",
        )
    return case


def found(user, query, **filters):
    return [r.example.pk for r in search.search_examples(user, query, filters)]


# --- search ----------------------------------------------------------------------------------


def test_search_finds_an_example_by_another_inflection(org):
    example = published(org, decided_plan(org))
    reader = other_org_worker()  # approved examples are visible deployment-wide
    assert found(reader, "huurachterstanden") == [example.pk]
    assert found(reader, "schuld") == [example.pk]
    assert found(reader, "Schulden huurachterstand") == [example.pk]
    assert found(reader, "huurachterstanden zonnepanelen") == []  # every word must occur
    # The coded facts are searchable in Dutch words too: the blocking rule's name.
    rule_word = example.blocking_rule.name_nl.split()[0]
    assert example.pk in found(reader, rule_word)
    [result] = search.search_examples(reader, "huurachterstanden")
    assert ("huurachterstand", True) in result.snippet


def test_search_finds_a_compound_by_its_last_part(org):
    """Issue 16: "achterstand" finds the example that only speaks of a "huurachterstand", after
    the one that has the word itself."""
    compound = published(org, decided_plan(org))  # STORY: "huurachterstand"
    plain = published(
        org,
        decided_plan(org, case=new_case(org), amount="800", **ENERGY_DISCONNECTION),
        title="Afsluiting voorkomen",
        story="De achterstand bij de leverancier werd in drie maanden ingelopen.",
    )
    reader = other_org_worker()
    assert found(reader, "achterstand") == [plain.pk, compound.pk]
    assert found(reader, "achterstanden") == [plain.pk, compound.pk]
    assert found(reader, "huurachterstand") == [compound.pk]
    [_, result] = search.search_examples(reader, "achterstand")
    assert ("huurachterstand", True) in result.snippet  # marked as found
    assert compound.pk in found(reader, "leverancier")  # STORY: "energieleverancier"


def test_only_approved_examples_are_in_the_index(org):
    plan = decided_plan(org)
    example = services.propose_example(plan, org["worker"], "Titel", STORY, "")
    services.submit_example(example, org["worker"])
    assert not SearchDocument.objects.filter(kind=search.KIND).exists()
    assert found(org["worker"], "huurachterstand") == []
    services.approve_example(example, org["users"][Role.PRIVACY_OFFICER])
    assert found(org["worker"], "huurachterstand") == [example.pk]
    services.withdraw_example(example, org["worker"])
    assert found(org["worker"], "huurachterstand") == []
    assert not SearchDocument.objects.filter(kind=search.KIND).exists()


def test_no_data_of_the_household_can_be_found_through_search(org):
    example = published(org, decided_plan(org), title="Opvang voor Fatima El Amrani")
    reader = other_org_worker()
    for query in ("Fatima", "Amrani", "El Amrani", BSN, "06-12345678", "12345678", "1985"):
        assert found(reader, query) == [], query
        assert core_search.search(search.KIND, query) == [], query
    document = SearchDocument.objects.get(kind=search.KIND, object_id=example.pk)
    indexed = " ".join([document.text_a, document.text_b, document.text_c, document.text_d])
    for secret in ("Fatima", "Amrani", BSN, "12345678", "12-03-1985"):
        assert secret not in indexed
    assert "huurachterstand" in indexed  # the de-identified story is there


def test_filters_narrow_the_search(org):
    childcare = published(org, decided_plan(org, amount="2000"))
    energy = published(
        org,
        decided_plan(org, case=new_case(org), amount="800", **ENERGY_DISCONNECTION),
        title="Afsluiting voorkomen",
    )
    reader = other_org_worker()
    assert sorted(found(reader, "huurachterstand")) == sorted([childcare.pk, energy.pk])
    assert found(reader, "huurachterstand", blocking_rule=energy.blocking_rule) == [energy.pk]
    law = childcare.provisions.first().law
    assert childcare.pk in found(reader, "huurachterstand", law=law)
    domain = energy.life_domains.first()
    if domain is not None:
        assert energy.pk in found(reader, "", life_domain=domain.domain)
    low = min(childcare.tailored_total, energy.tailored_total)
    high = max(childcare.tailored_total, energy.tailored_total)
    if low != high:
        assert found(reader, "huurachterstand", amount_min=high) == [
            e.pk for e in (childcare, energy) if e.tailored_total == high
        ]
        assert found(reader, "", amount_max=low) == [
            e.pk for e in (childcare, energy) if e.tailored_total == low
        ]
    assert found(reader, "huurachterstand", outcome="eviction_prevented") == []
    # Without words: the filtered list.
    assert found(reader, "", blocking_rule=childcare.blocking_rule) == [childcare.pk]


def test_search_applies_visibility(org):
    example = published(org, decided_plan(org))
    draft = services.propose_example(
        decided_plan(org, case=new_case(org), amount="800", **ENERGY_DISCONNECTION),
        org["worker"],
        "Nog een concept",
        STORY,
        "",
    )
    # The team sees its own draft elsewhere on the page; search and filters find approved only.
    assert found(org["worker"], "", blocking_rule=None) == [example.pk]
    assert draft.pk not in found(org["worker"], "", blocking_rule=draft.blocking_rule)
    partner = user_with_role(Role.PARTNER_CLIENT, org["team"])
    assert found(partner, "huurachterstand") == []


def test_search_query_count_does_not_grow(org, django_assert_max_num_queries):
    published(org, decided_plan(org))
    reader = other_org_worker()
    search.search_examples(reader, "")  # the reader's memberships, read once per request
    with django_assert_max_num_queries(2) as one:  # the search, the rows
        search.search_examples(reader, "huurachterstand")
    published(
        org,
        decided_plan(org, case=new_case(org), amount="800", **ENERGY_DISCONNECTION),
        title="Afsluiting voorkomen",
    )
    with django_assert_max_num_queries(len(one)) as two:
        assert len(search.search_examples(reader, "huurachterstand")) == 2
    assert len(two) == len(one)


# --- suggestions -----------------------------------------------------------------------------


def test_a_new_case_with_the_same_rule_gets_the_example_among_its_first_three(org):
    same = published(org, decided_plan(org))
    for variant, amount in ((ENERGY_DISCONNECTION, "800"), (BRP_CORRECTION, "900")):
        published(org, decided_plan(org, case=new_case(org), amount=amount, **variant), "Ander")
    case = new_case(org, rule_code=same.blocking_rule.code)
    suggestions = suggest.suggest_examples(case, org["worker"])
    assert same.pk in [s.example.pk for s in suggestions[:3]]
    assert suggestions[0].example.pk == same.pk
    assert "zelfde belemmerende regel" in suggestions[0].reasons
    # Seen from another organisation too (approved examples are for the whole deployment).
    assert suggestions[0].example.pk in [
        s.example.pk for s in suggest.suggest_examples(case, other_org_worker())
    ]


def test_an_example_is_not_suggested_to_its_own_case(org):
    published(org, decided_plan(org))
    assert suggest.suggest_examples(org["case"], org["worker"]) == []


def test_a_case_without_anything_in_common_gets_no_suggestions(org):
    published(org, decided_plan(org))
    assert suggest.suggest_examples(new_case(org), org["worker"]) == []


def test_reasons_say_why_in_dutch():
    assert suggest.reasons(True, 2, 1, "eviction_prevented") == [
        "zelfde belemmerende regel",
        "2 gedeelde wetsartikelen",
        "1 gedeeld leefgebied",
        "goede uitkomst",
    ]
    assert suggest.reasons(False, 1, 0, "still_in_work") == ["1 gedeeld wetsartikel"]


def test_suggestions_take_a_fixed_number_of_queries(org, django_assert_max_num_queries):
    same = published(org, decided_plan(org))
    case = new_case(org, rule_code=same.blocking_rule.code)
    suggest.suggest_examples(case, org["worker"])  # the user's memberships, once per request
    with django_assert_max_num_queries(4) as one:
        suggest.suggest_examples(case, org["worker"])
    published(
        org, decided_plan(org, case=new_case(org), amount="800", **ENERGY_DISCONNECTION), "Ander"
    )
    with django_assert_max_num_queries(len(one)):
        suggest.suggest_examples(case, org["worker"])


# --- copying the structure --------------------------------------------------------------------


def test_copy_structure_adds_the_example_provisions_to_a_draft_plan(org):
    example = published(org, decided_plan(org))
    case = new_case(org, rule_code=example.blocking_rule.code)
    plan = plan_services.create_plan(
        org["worker"], case, list(case.obstacles.all()), solution="Nog uitwerken."
    )
    done = structure.copy_structure(org["worker"], example, plan)
    added = done.provisions
    assert sorted(p.pk for p in added) == sorted(example.provisions.values_list("pk", flat=True))
    assert sorted(plan.plan_provisions.values_list("provision_id", flat=True)) == sorted(
        p.pk for p in added
    )
    assert done.lines == example.cost_lines.count() == plan.lines.count() > 0
    event = AuditEvent.objects.get(reason="structure copied")
    assert event.object_id == str(plan.pk) and event.changes["example"] == example.pk
    # A second time adds nothing, keeps what is there and says so.
    again = structure.copy_structure(org["worker"], example, plan)
    assert not again.anything and again.provisions_present == len(added)
    assert again.lines_present == done.lines
    assert plan.plan_provisions.count() == len(added)
    assert plan.lines.count() == done.lines


def test_copy_structure_only_into_a_draft_the_user_may_write(org):
    example = published(org, decided_plan(org))
    decided = Example.objects.get(pk=example.pk).source_plan
    with pytest.raises(PlanError):  # not a draft: the plans' own service refuses
        structure.copy_structure(org["worker"], example, decided)
    case = new_case(org, rule_code=example.blocking_rule.code)
    plan = plan_services.create_plan(
        org["worker"], case, list(case.obstacles.all()), solution="Nog uitwerken."
    )
    with pytest.raises(PermissionDenied):
        structure.copy_structure(other_org_worker(), example, plan)
    services.withdraw_example(example, org["worker"])
    with pytest.raises(PermissionDenied):
        structure.copy_structure(org["worker"], example, plan)
    assert plan.plan_provisions.count() == 0


# --- pages ------------------------------------------------------------------------------------


def test_the_library_page_searches_and_filters(org, client):
    example = published(org, decided_plan(org))
    client.force_login(other_org_worker())
    page = client.get(reverse("library:list"), {"q": "huurachterstanden"})
    assert page.status_code == 200
    html = page.content.decode()
    assert example.title in html and "<mark>huurachterstand</mark>" in html
    assert "1 voorbeeld gevonden" in html
    other_rule = BlockingRule.objects.exclude(pk=example.blocking_rule_id).first()
    page = client.get(
        reverse("library:list"), {"q": "huurachterstand", "blocking_rule": other_rule.pk}
    )
    assert example.title not in page.content.decode()
    assert "Geen goedgekeurd voorbeeld gevonden" in page.content.decode()
    # Garbage and an impossible range answer a page, never an error.
    for params in ({"q": '"* NEAR( -'}, {"amount_min": "500", "amount_max": "100"}):
        assert client.get(reverse("library:list"), params).status_code == 200
    page = client.get(reverse("library:list"), {"amount_min": "500", "amount_max": "100"})
    assert "Het hoogste bedrag ligt onder het laagste bedrag." in page.content.decode()
    # An amount that cannot be read is said, and lists nothing (not every example).
    page = client.get(reverse("library:list"), {"amount_min": "veel"})
    html = page.content.decode()
    assert 'id="search-invalid"' in html and example.title not in html
    assert 'id="examples"' not in html and 'id="result-count"' not in html


def test_the_case_page_suggests_and_the_plan_form_copies(org, client):
    example = published(org, decided_plan(org))
    case = new_case(org, rule_code=example.blocking_rule.code)
    client.force_login(org["worker"])
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Goede voorbeelden voor deze situatie" in html and example.title in html
    assert "zelfde belemmerende regel" in html
    # A case without a known rule shows no suggestions at all.
    html = client.get(reverse("cases:detail", args=[new_case(org).pk])).content.decode()
    assert "Goede voorbeelden voor deze situatie" not in html
    plan = plan_services.create_plan(
        org["worker"], case, list(case.obstacles.all()), solution="Nog uitwerken."
    )
    html = client.get(reverse("plans:edit", args=[plan.pk])).content.decode()
    copy_url = reverse("library:copy_structure", args=[plan.pk])
    assert copy_url in html and "Structuur overnemen" in html
    assert f'name="example" value="{example.pk}"' in html
    response = client.post(copy_url, {"example": example.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:edit", args=[plan.pk]) + "#messages"
    assert plan.plan_provisions.count() == example.provisions.count() > 0
    assert client.get(copy_url).status_code == 405
    # An example that is not (or no longer) in the library: a message, nothing changes.
    for bad in ("999999", "x", ""):
        assert client.post(copy_url, {"example": bad}).status_code == 302
    client.force_login(org["users"][Role.MANAGER])  # reads the plan, may not write it
    assert client.post(copy_url, {"example": example.pk}).status_code == 403
