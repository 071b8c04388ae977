from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    """Partner organisations (ketenpartners) and the early signals (vroegsignalen) they send
    through the API. The learning loop's intake: it reads the core loop, the core never it."""

    name = "maatwerk.partners"
    verbose_name = _("Partner signals")
