from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The top layer: the start page and the task list, composed from every other app."""

    name = "maatwerk.workspace"
    verbose_name = _("Workspace")
