from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """The privacy officer's work: unusual reads, the processing register (issue 17).

    A top app: it reads the audit log together with cases and plans to tell which reads fall
    outside a user's own caseload, which no lower app may know.
    """

    name = "maatwerk.privacy"
    verbose_name = _("Privacy")
