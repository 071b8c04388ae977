"""followup listens to decisions (which does not know it): an approved plan gets its
follow-up moments in the approving transaction."""

from django.dispatch import receiver

from maatwerk.decisions.events import plan_approved

from . import services


@receiver(plan_approved, dispatch_uid="followup.schedule_on_approval")
def schedule_on_approval(sender, plan, actor, now=None, **kwargs) -> None:
    services.schedule(actor, plan, now=now)
