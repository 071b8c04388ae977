"""Follow-up (*vervolgmoment*): fixed moments to look back at an approved plan, and the coded
outcomes (*uitkomsten*) recorded at each. "Not measured" is an answer of its own, never counted
as failure or success."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import rules


class FollowUp(models.Model):
    class Moment(models.TextChoices):
        END_OF_ACTION = rules.END_OF_ACTION, _("end of the action")
        PLUS_6 = rules.PLUS_6, _("after six months")
        PLUS_12 = rules.PLUS_12, _("after twelve months")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        RECORDED = "recorded", _("recorded")
        # The plan was closed or withdrawn before this moment was recorded: it leaves the
        # task list and is not counted (neither measured nor unmeasured).
        CANCELLED = "cancelled", _("cancelled")

    class Measured(models.TextChoices):
        YES = "yes", _("measured")
        NOT_MEASURED = "not_measured", _("not measured")

    class Reason(models.TextChoices):
        NO_CONTACT = "no_contact", _("no contact")
        MOVED = "moved", _("moved")
        REFUSED = "refused", _("refused")

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.PROTECT, related_name="followups"
    )
    moment = models.CharField(_("moment"), max_length=20, choices=Moment.choices)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    measured = models.CharField(_("measured"), max_length=20, choices=Measured.choices, blank=True)
    not_measured_reason = models.CharField(
        _("why not measured"), max_length=20, choices=Reason.choices, blank=True
    )
    recorded_on = models.DateField(_("measured on"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # When the reminder mail for the due day went out (send_followup_reminders): once only.
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.UniqueConstraint(fields=["plan", "moment"], name="followup_moment_unique"),
            models.CheckConstraint(
                condition=Q(moment__in=list(rules.MOMENTS)), name="followup_moment_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status__in=["scheduled", "cancelled"])
                    & Q(measured="")
                    & Q(not_measured_reason="")
                    & Q(recorded_at__isnull=True)
                    & Q(recorded_on__isnull=True)
                    & Q(recorded_by__isnull=True)
                )
                | (
                    Q(status="recorded")
                    & Q(measured__in=["yes", "not_measured"])
                    & Q(recorded_at__isnull=False)
                    & Q(recorded_on__isnull=False)
                    & Q(recorded_by__isnull=False)
                ),
                name="followup_recorded_complete",
            ),
            models.CheckConstraint(
                condition=(~Q(measured="not_measured") & Q(not_measured_reason=""))
                | (
                    Q(measured="not_measured")
                    & Q(not_measured_reason__in=["no_contact", "moved", "refused"])
                ),
                name="followup_not_measured_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.moment} {self.due_on}"

    @property
    def is_recorded(self) -> bool:
        return self.status == self.Status.RECORDED


class Outcome(models.Model):
    """One coded outcome at a measured follow-up, with the date since when it holds."""

    class Code(models.TextChoices):
        STILL_IN_WORK = "still_in_work", _("still in work")
        EVICTION_PREVENTED = "eviction_prevented", _("eviction prevented")
        DEBTS_SETTLED = "debts_settled_or_arrangement", _("debts settled or in an arrangement")
        BENEFIT_ENDED = "benefit_ended", _("benefit ended")
        IN_CARE = "in_care", _("in care")
        RESIDENT_ASSESSMENT = "resident_assessment", _("the resident's own assessment")

    followup = models.ForeignKey(
        FollowUp, verbose_name=_("follow-up"), on_delete=models.PROTECT, related_name="outcomes"
    )
    code = models.CharField(_("outcome"), max_length=40, choices=Code.choices)
    holds_since = models.DateField(_("holds since"))
    text = models.CharField(_("in short"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["followup", "code"]
        constraints = [
            models.UniqueConstraint(fields=["followup", "code"], name="outcome_code_unique"),
            models.CheckConstraint(
                condition=Q(
                    code__in=[
                        "still_in_work",
                        "eviction_prevented",
                        "debts_settled_or_arrangement",
                        "benefit_ended",
                        "in_care",
                        "resident_assessment",
                    ]
                ),
                name="outcome_code_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.followup_id} {self.code}"

    @property
    def holds(self) -> bool:
        """Held at least six months when measured (rules.holds)."""
        return rules.holds(self.holds_since, self.followup.recorded_on)


class ActionCarriedOut(models.Model):
    """The worker's marking that the plan's tailored action was carried out: the end of the
    action, from which the follow-ups not yet recorded are scheduled. It wins over the last
    payment date, which stands in while there is no marking."""

    plan = models.OneToOneField(
        "plans.Plan",
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        related_name="action_carried_out",
    )
    carried_out_on = models.DateField(_("carried out on"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("marked"), auto_now=True)

    class Meta:
        verbose_name = _("action carried out")
        verbose_name_plural = _("actions carried out")

    def __str__(self) -> str:
        return f"{self.plan_id} {self.carried_out_on}"
