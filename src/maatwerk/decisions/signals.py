"""A submitted plan gets its first step on the escalation ladder in the same transaction.

The plans app knows nothing of decisions; this receiver routes a plan once it is saved as
submitted (and is idempotent: a plan is routed once).
"""

from maatwerk.plans.models import Plan


def route_submitted_plan(sender, instance: Plan, **kwargs) -> None:
    if kwargs.get("raw") or instance.status != Plan.Status.SUBMITTED:
        return
    from .services import route_plan

    route_plan(instance)
