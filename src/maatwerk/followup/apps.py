from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "maatwerk.followup"
    verbose_name = _("Follow-up")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the approval hook)
