"""Service: copy a good example's structure into a draft plan ("Structuur overnemen").

An example's structure is its legal basis (the provisions used) and its cost lines (a shared
catalogue item by reference, or a free line with its amount rounded to €100). The copy goes
through the plans' own service (`add_structure`: may this person write, is it a draft, what the
plan already has is not added twice, one audit event naming the example); the edits the worker
had not saved yet come along in the same transaction (`sections`, as `save_draft` takes them).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from maatwerk.plans import services as plan_services
from maatwerk.plans.models import Plan, Scenario

from . import selectors
from .models import Example


def structure_of(example: Example) -> plan_services.Structure:
    lines = list(example.cost_lines.order_by("scenario", "position", "pk"))
    return plan_services.Structure(
        source={"example": example.pk},
        provisions=list(example.provisions.order_by("law__code", "article", "pk")),
        standard=[x.line_values() for x in lines if x.scenario == Scenario.STANDARD],
        tailored=[x.line_values() for x in lines if x.scenario == Scenario.TAILORED],
    )


def copy_structure(actor, example: Example, plan: Plan, **sections) -> plan_services.StructureAdded:
    """Add the example's provisions and cost lines the draft plan lacks, after saving the
    worker's unsaved `sections` of it (if any); says what was added and what was there."""
    try:
        example = selectors.approved_examples(actor).prefetch_related(None).get(pk=example.pk)
    except Example.DoesNotExist:
        raise PermissionDenied from None
    return plan_services.add_structure(actor, plan, structure_of(example), **sections)
