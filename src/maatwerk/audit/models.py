from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maatwerk.core.audit_trail import Action


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only.")


class AuditEvent(models.Model):
    """One line in the append-only audit log: who did what to which object, when and why.

    Never holds personal data itself: objects are named by type and id, changed fields carry
    values only for non-personal fields (services pass masked values for personal ones).
    """

    Action = Action  # the one list, in core.audit_trail (ground apps record through it)

    occurred_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=True,
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    changes = models.JSONField(
        _("changed fields"),
        default=dict,
        blank=True,
        help_text=_("Per field: old and new value."),
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "occurred_at"])]

    def __str__(self) -> str:
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.get_action_display()} "
            f"{self.object_type}#{self.object_id}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")
