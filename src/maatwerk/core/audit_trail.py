"""The audit trail as the ground floor sees it: a hook that the audit app fills.

`accounts` sits below `audit` (an audit event names its user and organisation), yet role grants,
logins and second factors must leave an audit event in the same transaction as the change. So
`accounts` calls `record()` here, and `maatwerk.audit` registers its writer when Django starts
(`AuditConfig.ready`). Every app above `audit` calls `maatwerk.audit.services` directly.

`Action` is the one list of audit actions; `AuditEvent.Action` is this class.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "view", _("view")
    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")
    EXPORT = "export", _("export")
    LOGIN = "login", _("login")
    LOGOUT = "logout", _("logout")
    LOGIN_FAILED = "login_failed", _("failed login")


_writer: Callable | None = None


def register(writer: Callable) -> None:
    """Called once by the audit app: `writer` takes the arguments of `record()`."""
    global _writer
    _writer = writer


def record(*, actor, action: str, **details):
    """Write one audit event (same arguments as `maatwerk.audit.services.record`)."""
    if _writer is None:
        raise ImproperlyConfigured("maatwerk.audit is not installed: nothing records audit events.")
    return _writer(actor=actor, action=action, **details)
