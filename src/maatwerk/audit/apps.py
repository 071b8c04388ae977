from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "maatwerk.audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from maatwerk.core import audit_trail

        from . import services, signals  # noqa: F401  (signals connects login/logout receivers)

        audit_trail.register(services.record)  # accounts, below audit, records through core
