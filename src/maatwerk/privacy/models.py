from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DataSubjectRequest(models.Model):
    """A resident's request under the AVG, recorded on the person (issue 17, point 3)."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("Access (GDPR art. 15)")
        RECTIFICATION = "rectification", _("Rectification (GDPR art. 16)")
        RESTRICTION = "restriction", _("Restriction of processing (GDPR art. 18)")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    resident = models.ForeignKey(
        "cases.Resident",
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        related_name="data_subject_requests",
    )
    kind = models.CharField(_("kind of request"), max_length=20, choices=Kind.choices)
    received_on = models.DateField(_("received on"))
    # The AVG gives a month to answer (art. 12 lid 3).
    due_on = models.DateField(_("answer due by"))
    note = models.TextField(_("what was asked or changed"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("data subject request")
        verbose_name_plural = _("data subject requests")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("received_on")), name="dsr_due_after_received"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on:%Y-%m-%d}"
