from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "maatwerk.plans"
    verbose_name = _("Plans")

    def ready(self):
        # costs sits below plans: it learns where "Make a plan of this" goes from here.
        from maatwerk.costs import calculations

        calculations.MAKE_PLAN_URL_NAME = "plans:from_calculator"
