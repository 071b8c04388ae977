"""Writes of the library: each in one transaction with its audit event.

    propose_example → draft ──submit──→ proposed ──approve──→ approved
                        ↑  edit            │ return (reason)
                        └── returned ←─────┘
    any (but withdrawn) ──withdraw──→ withdrawn

Every text is de-identified when it is written (propose, edit) and checked once more by
`assert_clean` when it is submitted, approved, imported or exported, so nothing the system knows
about the household reaches anyone outside the team."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.accounts.models import Organisation, Team, User
from maatwerk.accounts.roles import Role
from maatwerk.audit import services as audit
from maatwerk.cases.models import Resident
from maatwerk.costs.models import CostItem
from maatwerk.followup.models import Outcome
from maatwerk.legal.models import BlockingRule, Provision
from maatwerk.plans.models import Plan

from . import exchange, selectors
from . import search as library_search
from .deidentify import KnownPersonalData, assert_clean, deidentify
from .models import Example, ExampleCostLine, ExampleLifeDomain, ExampleOrganisation

Status = Example.Status
TEXT_FIELDS = ("title", "story", "lessons")


def round_to_hundred(amount) -> Decimal | None:
    """€1.234,56 → €1.200,00: exact amounts could point back to one household."""
    if amount in (None, ""):
        return None
    return (Decimal(str(amount)) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 100


# --- what the system knows ---------------------------------------------------------------


def known_for_plan(plan: Plan) -> KnownPersonalData:
    """Everything known about the plan's household, and the names of the people of its team
    (lessons name no worker)."""
    residents = list(Resident.objects.filter(household_id=plan.case.household_id))
    names = [r.first_name for r in residents] + [r.last_name for r in residents]
    team_users = User.objects.filter(memberships__team_id=plan.case.team_id).distinct()
    for u in team_users:
        names += [u.first_name, u.last_name]
    return KnownPersonalData(
        names=tuple(n for n in names if n and n.strip()),
        bsns=tuple(b for b in (r.bsn_plain() for r in residents) if b),
        birth_dates=tuple(r.birth_date for r in residents if r.birth_date),
    )


def known_for_example(example: Example) -> KnownPersonalData:
    if example.source_plan_id is None:
        return KnownPersonalData()
    return known_for_plan(example.source_plan)


# --- facts copied from the plan ----------------------------------------------------------


def _facts(plan: Plan) -> dict:
    obstacles = list(plan.obstacles.select_related("blocking_rule"))
    rule = next((o.blocking_rule for o in obstacles if o.blocking_rule_id), None)
    snapshot = plan.snapshots.order_by("-created_at", "-id").first()
    result = snapshot.result if snapshot else {}
    step = (
        plan.decisions.filter(outcome__in=["approve", "reject"])
        .order_by("-decided_at", "-id")
        .first()
    )
    outcome = (
        Outcome.objects.filter(followup__plan=plan)
        .order_by("-followup__recorded_on", "-followup_id", "code")
        .values_list("code", flat=True)
        .first()
    )
    return {
        "blocking_rule": rule,
        "solution_kind": plan.solution_kind,
        "standard_total": round_to_hundred((result.get("standard") or {}).get("total")),
        "tailored_total": round_to_hundred((result.get("tailored") or {}).get("total")),
        "decision_level": (step.assigned_role or step.assigned_body)[:60] if step else "",
        "outcome_code": outcome or "",
    }


def _copy_sets(example: Example, plan: Plan) -> None:
    example.provisions.set([pp.provision_id for pp in plan.plan_provisions.all()])
    domains = set(plan.case.life_domains.values_list("domain", flat=True))
    if example.blocking_rule and example.blocking_rule.life_domain:
        domains.add(example.blocking_rule.life_domain)
    ExampleLifeDomain.objects.bulk_create(
        [ExampleLifeDomain(example=example, domain=d) for d in sorted(domains)]
    )
    kinds = set(plan.case.organisations.values_list("organisation_type", flat=True))
    kinds |= {o.applied_by for o in plan.obstacles.all() if o.applied_by}
    ExampleOrganisation.objects.bulk_create(
        [ExampleOrganisation(example=example, organisation_type=k) for k in sorted(kinds)]
    )


def _cost_lines(example: Example, plan: Plan, known: KnownPersonalData) -> None:
    """The plan's lines as structure: a shared catalogue item by reference (its price is the
    catalogue's) with the plan's own description of the line, any other line with its amount
    rounded to €100 and its description. An organisation's own item becomes such a free line
    (other deployments and organisations do not have it), described as the plan did, else under
    its catalogue name. Every description is de-identified."""
    rows = []
    for line in plan.lines.select_related("cost_item").order_by("scenario", "position", "pk"):
        item = line.cost_item
        shared = item is not None and item.organisation_id is None
        label = line.label.strip() or (item.name_nl if item is not None and not shared else "")
        label = deidentify(label, known).text.strip()[:200] if label else ""
        if shared:
            amount = None
        else:
            amount = round_to_hundred(line.amount)
            if amount is None:
                continue  # nothing to copy: neither a catalogue price nor an amount
        rows.append(
            ExampleCostLine(
                example=example,
                scenario=line.scenario,
                position=len([r for r in rows if r.scenario == line.scenario]),
                cost_item=item if shared else None,
                kind=line.kind,
                label=label,
                amount=amount,
                unit=line.unit if not shared else "",
                bearer=line.bearer if not shared else "",
                cost_type=line.cost_type if not shared else "",
                quantity=line.quantity,
                start_month=line.start_month,
                duration_months=line.duration_months,
                probability=line.probability,
            )
        )
    ExampleCostLine.objects.bulk_create(rows)


def _clean_texts(texts: dict[str, str], known: KnownPersonalData) -> dict[str, str]:
    cleaned = {f: deidentify(texts.get(f) or "", known).text.strip() for f in TEXT_FIELDS}
    if not cleaned["title"]:
        raise ValidationError({"title": _("Give the example a title.")})
    if not cleaned["story"]:
        raise ValidationError({"story": _("Tell the story of the example.")})
    cleaned["title"] = cleaned["title"][:200]
    return cleaned


def _texts(example: Example) -> dict[str, str]:
    """Every free text of the example, its cost lines' descriptions included."""
    texts = {f: getattr(example, f) for f in TEXT_FIELDS}
    for line in example.cost_lines.all():
        if line.label:
            texts[f"cost_line_{line.scenario}_{line.position}"] = line.label
    return texts


# --- the lifecycle -----------------------------------------------------------------------


@transaction.atomic
def propose_example(plan: Plan, user, title: str, story: str, lessons: str = "") -> Example:
    """A draft example from a decided plan: the facts copied, the texts de-identified. The
    worker then sees what was replaced, edits and submits it for review."""
    # The plan as it is now (a caller's copy may predate its decision).
    plan = Plan.objects.select_related("case__team").get(pk=plan.pk)
    if not selectors.may_propose(user, plan):
        raise PermissionDenied
    if selectors.open_example_of_plan(plan) is not None:
        raise ValidationError(
            _(
                "An example from this plan is already in the library or on its way there: "
                "continue with that one, or withdraw it first."
            ),
            code="already_proposed",
        )
    known = known_for_plan(plan)
    texts = _clean_texts({"title": title, "story": story, "lessons": lessons}, known)
    example = Example.objects.create(
        organisation_id=plan.case.team.organisation_id,
        team_id=plan.case.team_id,
        status=Status.DRAFT,
        source_plan=plan,
        proposed_by=user,
        **texts,
        **_facts(plan),
    )
    _copy_sets(example, plan)
    _cost_lines(example, plan, known)
    audit.record(actor=user, action=audit.Action.CREATE, obj=example, reason="example drafted")
    return example


def _locked(example: Example) -> Example:
    return Example.objects.select_for_update().get(pk=example.pk)


@transaction.atomic
def edit_example(example: Example, user, title: str, story: str, lessons: str = "") -> Example:
    """New texts for a draft or returned example, de-identified again."""
    example = _locked(example)
    if not selectors.may_edit(user, example):
        raise PermissionDenied
    texts = _clean_texts(
        {"title": title, "story": story, "lessons": lessons}, known_for_example(example)
    )
    changed = [f for f in TEXT_FIELDS if getattr(example, f) != texts[f]]
    for f in TEXT_FIELDS:
        setattr(example, f, texts[f])
    example.save(update_fields=[*TEXT_FIELDS, "updated_at"])
    audit.record(
        actor=user,
        action=audit.Action.UPDATE,
        obj=example,
        reason="example edited",
        changes={f: {"old": audit.MASKED, "new": audit.MASKED} for f in changed},
    )
    library_search.index_example(example)
    return example


@transaction.atomic
def submit_example(example: Example, user) -> Example:
    """Publish a draft (or a returned example) for review by a second person."""
    example = _locked(example)
    if not selectors.may_edit(user, example):
        raise PermissionDenied
    assert_clean(_texts(example), known_for_example(example))
    old = example.status
    example.status = Status.PROPOSED
    example.proposed_by = user
    example.proposed_at = timezone.now()
    example.save(update_fields=["status", "proposed_by", "proposed_at", "updated_at"])
    audit.record(
        actor=user,
        action=audit.Action.UPDATE,
        obj=example,
        reason="example published for review",
        changes={"status": {"old": old, "new": Status.PROPOSED}},
    )
    return example


@transaction.atomic
def approve_example(example: Example, user) -> Example:
    example = _locked(example)
    if not selectors.may_review(user, example):
        raise PermissionDenied
    assert_clean(_texts(example), known_for_example(example))
    example.status = Status.APPROVED
    example.reviewed_by = user
    example.reviewed_at = timezone.now()
    example.return_reason = ""
    example.save(
        update_fields=["status", "reviewed_by", "reviewed_at", "return_reason", "updated_at"]
    )
    audit.record(
        actor=user,
        action=audit.Action.UPDATE,
        obj=example,
        reason="example approved",
        changes={"status": {"old": Status.PROPOSED, "new": Status.APPROVED}},
    )
    # The search index follows the status: in it when approved, out of it otherwise.
    library_search.index_example(example)
    return example


@transaction.atomic
def return_example(example: Example, user, reason: str) -> Example:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the example goes back.")})
    example = _locked(example)
    if not selectors.may_review(user, example):
        raise PermissionDenied
    example.status = Status.RETURNED
    example.reviewed_by = user
    example.reviewed_at = timezone.now()
    example.return_reason = reason[:2000]
    example.save(
        update_fields=["status", "reviewed_by", "reviewed_at", "return_reason", "updated_at"]
    )
    audit.record(
        actor=user,
        action=audit.Action.UPDATE,
        obj=example,
        reason="example returned",
        changes={"status": {"old": Status.PROPOSED, "new": Status.RETURNED}},
    )
    return example


@transaction.atomic
def withdraw_example(example: Example, user) -> Example:
    example = _locked(example)
    if not selectors.may_withdraw(user, example):
        raise PermissionDenied
    old = example.status
    example.status = Status.WITHDRAWN
    example.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=user,
        action=audit.Action.UPDATE,
        obj=example,
        reason="example withdrawn",
        changes={"status": {"old": old, "new": Status.WITHDRAWN}},
    )
    library_search.index_example(example)
    return example


# --- exchange between deployments --------------------------------------------------------


def _deployment_name() -> str:
    return getattr(settings, "DEPLOYMENT_NAME", "") or "Open Maatwerk"


@transaction.atomic
def export_examples(user) -> str:
    """The approved examples as JSON in the open exchange format, validated against its
    schema and checked once more for personal data. Never holds a link to a case or plan."""
    if not selectors.may_exchange(user):
        raise PermissionDenied
    examples = list(selectors.exportable_examples(user).select_related("source_plan__case"))
    for example in examples:
        assert_clean(_texts(example), known_for_example(example))
    document = exchange.document(examples, source=_deployment_name(), at=timezone.now())
    exchange.validate(document)
    audit.record(
        actor=user,
        action=audit.Action.EXPORT,
        object_type=Example._meta.label_lower,
        reason="examples exported",
        changes={"examples": [e.pk for e in examples]},
    )
    return json.dumps(document, ensure_ascii=False, indent=2)


def _imported_lines(items: list[dict], cost_items: dict) -> list[ExampleCostLine]:
    """The cost lines of an imported example (unsaved, their example still to be set): a
    catalogue line whose code this deployment's shared catalogue lacks is left out, as an
    unknown provision is; free amounts are rounded to €100 again, descriptions de-identified."""
    lines: list[ExampleCostLine] = []
    for row in items:
        item = cost_items.get(row.get("cost_item") or "")
        if row.get("cost_item") and item is None:
            continue
        amount = None if item is not None else round_to_hundred(row.get("amount"))
        if item is None and amount is None:
            continue
        route = row["route"]
        lines.append(
            ExampleCostLine(
                scenario=route,
                position=sum(1 for x in lines if x.scenario == route),
                cost_item=item,
                kind=row["kind"],
                label=deidentify(row.get("label") or "", KnownPersonalData()).text.strip()[:200],
                amount=amount,
                unit=row.get("unit") or "",
                bearer=row.get("bearer") or "",
                cost_type=row.get("cost_type") or "",
                quantity=Decimal(row["quantity"]),
                start_month=row["start_month"],
                duration_months=row.get("duration_months"),
                probability=Decimal(row["probability"]),
            )
        )
    return lines


@transaction.atomic
def import_examples(user, raw: bytes | str) -> list[Example]:
    """Examples from another deployment: the document is validated against the schema, every
    text de-identified and checked, and each lands as *proposed* for review here, with no
    link to any case. Rules and provisions are matched by their catalogue code."""
    organisation_ids = selectors._role_orgs(user, *selectors.EXCHANGERS)
    if not organisation_ids:
        raise PermissionDenied
    document = exchange.parse(raw)
    organisation = Organisation.objects.get(pk=min(organisation_ids))
    rules = {r.code: r for r in BlockingRule.objects.all()}
    provisions = {p.code: p for p in Provision.objects.all()}
    cost_items = {c.code: c for c in CostItem.objects.filter(organisation__isnull=True)}
    created = []
    for i, item in enumerate(document["examples"]):
        texts = {f: item.get(f, "") for f in TEXT_FIELDS}
        cleaned = _clean_texts(texts, KnownPersonalData())
        lines = _imported_lines(item.get("cost_lines", []), cost_items)
        try:
            assert_clean(
                {**cleaned, **{f"cost_line_{n}": x.label for n, x in enumerate(lines)}},
                KnownPersonalData(),
            )
        except ValidationError as error:
            raise ValidationError(
                _("Example %(n)s: %(errors)s") % {"n": i + 1, "errors": " ".join(error.messages)}
            ) from None
        example = Example.objects.create(
            organisation=organisation,
            team=None,
            status=Status.PROPOSED,
            proposed_by=user,
            proposed_at=timezone.now(),
            imported_from=(document.get("source") or "")[:200],
            blocking_rule=rules.get(item.get("blocking_rule") or ""),
            solution_kind=item.get("solution_kind") or "",
            standard_total=round_to_hundred(item.get("standard_total")),
            tailored_total=round_to_hundred(item.get("tailored_total")),
            decision_level=(item.get("decision_level") or "")[:60],
            outcome_code=item.get("outcome") or "",
            **cleaned,
        )
        example.provisions.set(
            [provisions[c] for c in item.get("provisions", []) if c in provisions]
        )
        ExampleLifeDomain.objects.bulk_create(
            [
                ExampleLifeDomain(example=example, domain=d)
                for d in set(item.get("life_domains", []))
            ]
        )
        ExampleOrganisation.objects.bulk_create(
            [
                ExampleOrganisation(example=example, organisation_type=k)
                for k in set(item.get("organisations_involved", []))
            ]
        )
        for line in lines:
            line.example = example
        ExampleCostLine.objects.bulk_create(lines)
        audit.record(
            actor=user,
            action=audit.Action.CREATE,
            obj=example,
            reason="example imported",
            changes={"source": example.imported_from},
        )
        created.append(example)
    return created


def team_lead_of(team: Team) -> User | None:
    """A team lead of `team` (for the demo and tests that need a second person)."""
    return (
        User.objects.filter(memberships__team=team, memberships__role=Role.TEAM_LEAD)
        .order_by("id")
        .first()
    )
