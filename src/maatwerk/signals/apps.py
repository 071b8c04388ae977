from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalsConfig(AppConfig):
    """The learning loop's system signals: what keeps blocking households, told upward.

    Today only the first step: newly described rules from the field join the regelbank. The
    signals themselves (aggregated obstacles for policy makers) are built on top of this app.
    """

    name = "maatwerk.signals"
    verbose_name = _("System signals")
