from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "maatwerk.decisions"
    verbose_name = _("Decisions")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from maatwerk.plans.models import Plan

        from .signals import route_submitted_plan

        post_save.connect(route_submitted_plan, sender=Plan, dispatch_uid="decisions_route_plan")
