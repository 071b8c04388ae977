"""Service: copy a good example's structure into a draft plan ("Structuur overnemen").

What an example holds of its plan's structure is its legal basis (the provisions used); its
cost lines are not kept (only the two routes' rounded totals, so the amounts cannot point back
to a household), so there are no lines to copy. The provisions are added after the ones the plan
already has, without an explanation: the worker writes why each gives room in this case.
Goes through the plans' own service (`set_provisions`: may this person write, is it a draft,
its audit event) plus one event that names the example, so it is clear where the basis came from.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from maatwerk.audit import services as audit
from maatwerk.legal.models import Provision
from maatwerk.plans import services as plan_services
from maatwerk.plans.models import Plan

from . import selectors
from .models import Example


@transaction.atomic
def copy_structure(actor, example: Example, plan: Plan) -> list[Provision]:
    """Add the example's provisions the draft plan lacks; returns those added."""
    try:
        example = selectors.approved_examples(actor).prefetch_related(None).get(pk=example.pk)
    except Example.DoesNotExist:
        raise PermissionDenied from None
    current = list(plan.plan_provisions.select_related("provision").order_by("position", "pk"))
    have = {pp.provision_id for pp in current}
    added = [
        p for p in example.provisions.order_by("law__code", "article", "pk") if p.pk not in have
    ]
    plan_services.set_provisions(
        actor,
        plan,
        [(pp.provision, pp.explanation) for pp in current] + [(p, "") for p in added],
    )
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=plan,
        reason="structure copied from a good example",
        changes={"example": example.pk, "provisions_added": [p.pk for p in added]},
    )
    return added
