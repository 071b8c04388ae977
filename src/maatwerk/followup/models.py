"""Follow-up (*vervolgmoment*): fixed moments to look back at an approved plan, and the coded
outcomes (*uitkomsten*) recorded at each. "Not measured" is an answer of its own, never counted
as failure or success."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import rules


class FollowUp(models.Model):
    class Moment(models.TextChoices):
        END_OF_ACTION = rules.END_OF_ACTION, _("end of the action")
        # Digits, as every other moment reads ("na 3 maanden" for an organisation's own).
        PLUS_6 = rules.PLUS_6, _("after 6 months")
        PLUS_12 = rules.PLUS_12, _("after 12 months")

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
    # Months after the end of the action, as the organisation's moments stood when this one was
    # scheduled or last moved (0 for the end of the action). Empty on old rows: then the moment's
    # default (6 or 12) is meant. The label follows it: "na 9 maanden", not "na twaalf maanden".
    offset_months = models.PositiveSmallIntegerField(_("months after the action"), null=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    measured = models.CharField(_("measured"), max_length=20, choices=Measured.choices, blank=True)
    not_measured_reason = models.CharField(
        _("why not measured"), max_length=20, choices=Reason.choices, blank=True
    )
    # Measured, and none of the coded outcomes holds (the job was lost, the eviction went
    # ahead): an answer of its own, with no outcomes. It counts as measured, with no months of
    # the standard route avoided; "not measured" (no data) stays apart from it (no effect).
    none_holds = models.BooleanField(_("measured: none of the outcomes holds"), default=False)
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
                condition=Q(none_holds=False) | Q(measured="yes"),
                name="followup_none_holds_is_measured",
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

    @property
    def months_after(self) -> int:
        if self.offset_months is not None:
            return self.offset_months
        return rules.DEFAULT_MOMENT_OFFSETS[self.moment]

    def get_moment_display(self) -> str:
        """The moment's name from its real offset: "na 9 maanden" when the organisation's
        second moment is 9 months, "na 6 maanden" for the default (always in digits)."""
        return str(moment_label(self.moment, self.months_after))


def moment_label(moment: str, months: int) -> str:
    if moment == rules.END_OF_ACTION:
        return str(FollowUp.Moment.END_OF_ACTION.label)
    return ngettext("after %(n)s month", "after %(n)s months", months) % {"n": months}


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


class PilotLight(models.Model):
    """The waakvlam: after a case closes, a light check-in every 3 or 6 months for as long as
    the team chooses, so the household is not lost from sight. At most one active per case;
    a stopped one stays as history."""

    class Interval(models.IntegerChoices):
        THREE = 3, _("every three months")
        SIX = 6, _("every six months")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        STOPPED = "stopped", _("stopped")

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="pilot_lights"
    )
    interval_months = models.PositiveSmallIntegerField(_("interval"), choices=Interval.choices)
    next_due_on = models.DateField(_("next check-in due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    started_on = models.DateField(_("started on"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    stopped_on = models.DateField(_("stopped on"), null=True, blank=True)
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("stopped by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # When the reminder for `next_due_on` went out (send_followup_reminders): once per due day.
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("pilot light")
        verbose_name_plural = _("pilot lights")
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["status", "next_due_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="active"),
                name="pilot_light_one_active_per_case",
            ),
            models.CheckConstraint(
                condition=Q(interval_months__in=[3, 6]), name="pilot_light_interval_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="active") & Q(stopped_on__isnull=True) & Q(stopped_by__isnull=True)
                )
                | (Q(status="stopped") & Q(stopped_on__isnull=False) & Q(stopped_by__isnull=False)),
                name="pilot_light_stopped_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.status} {self.next_due_on}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class CheckIn(models.Model):
    """One check-in of a pilot light: the day, a coded outcome and one line of text."""

    class Outcome(models.TextChoices):
        GOING_WELL = "going_well", _("going well")
        NEW_QUESTION = "new_question", _("a new question, help offered")
        NEEDS_HELP = "needs_help", _("needs help again")
        NO_CONTACT = "no_contact", _("no contact")

    pilot_light = models.ForeignKey(
        PilotLight,
        verbose_name=_("pilot light"),
        on_delete=models.PROTECT,
        related_name="check_ins",
    )
    checked_on = models.DateField(_("checked in on"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    text = models.CharField(_("in one line"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-checked_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["going_well", "new_question", "needs_help", "no_contact"]),
                name="check_in_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pilot_light_id} {self.checked_on} {self.outcome}"


class OrganisationSettings(models.Model):
    """An organisation's follow-up moments: the months after the end of the action of the two
    later follow-ups, and the grace days before an overdue one goes to the team lead. Without
    a row the deployment's settings (MAATWERK_FOLLOWUP_OFFSETS, _GRACE_DAYS) hold."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="followup_settings",
    )
    first_offset_months = models.PositiveSmallIntegerField(_("first follow-up after (months)"))
    second_offset_months = models.PositiveSmallIntegerField(_("second follow-up after (months)"))
    grace_days = models.PositiveSmallIntegerField(_("grace period (days)"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("follow-up settings")
        verbose_name_plural = _("follow-up settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(first_offset_months__gte=1)
                & Q(second_offset_months__gt=models.F("first_offset_months"))
                & Q(second_offset_months__lte=60),
                name="followup_settings_offsets_valid",
            ),
            models.CheckConstraint(
                condition=Q(grace_days__lte=365), name="followup_settings_grace_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.first_offset_months},{self.second_offset_months}"


class CorrectedLine(models.Model):
    """At a measured follow-up, a line of the plan's predicted standard route as it really was
    (the benefit was €1,100 a month, not €1,000). The realised return uses it; the prediction
    stays the plan's frozen snapshot."""

    followup = models.ForeignKey(
        FollowUp, verbose_name=_("follow-up"), on_delete=models.PROTECT, related_name="corrections"
    )
    line = models.ForeignKey(
        "plans.ScenarioLine", verbose_name=_("line"), on_delete=models.PROTECT, related_name="+"
    )
    corrected_amount = models.DecimalField(
        _("corrected amount (€ per unit)"), max_digits=12, decimal_places=2
    )

    class Meta:
        verbose_name = _("corrected line")
        verbose_name_plural = _("corrected lines")
        ordering = ["followup", "line"]
        constraints = [
            models.UniqueConstraint(fields=["followup", "line"], name="corrected_line_unique"),
            models.CheckConstraint(
                condition=Q(corrected_amount__gte=0), name="corrected_line_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.followup_id} {self.line_id} {self.corrected_amount}"


class CohortFigures(models.Model):
    """One approved plan's figures as the cohort page counts them (issue 13, point 5), kept by
    `services.refresh_cohort_figures` whenever what feeds them changes (approval, a recorded
    follow-up with its corrected lines, a ledger movement, closing), computed by the same
    function as the plan page (`selectors.realised_from`). The page sums these rows in SQL;
    it never shows one plan on its own. Team and rule names are joined when read."""

    class State(models.TextChoices):
        AWAITING = "awaiting", _("awaiting")
        NOT_MEASURED = "not_measured", _("not measured")
        MEASURED = "measured", _("measured")

    plan = models.OneToOneField(
        "plans.Plan",
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="cohort_figures",
    )
    # The case's team at the last refresh (cases do not change team): the page filters and
    # groups on it without joining plans and cases.
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), on_delete=models.CASCADE, related_name="+"
    )
    # The case's household (cases do not change household): the page decides whether a group
    # may be shown on its number of distinct households, not plans (two plans of one household
    # are one household to recognise; core.small_numbers counts households).
    household = models.ForeignKey(
        "cases.Household",
        verbose_name=_("household"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    approved_on = models.DateField(_("approved on"))
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    holds = models.BooleanField(_("holds"), default=False)
    # Measured, and the worker answered that none of the outcomes holds (`FollowUp.none_holds`).
    none_holds = models.BooleanField(_("none of the outcomes holds"), default=False)
    predicted = models.DecimalField(_("predicted net benefit"), max_digits=14, decimal_places=2)
    realised = models.DecimalField(
        _("realised net benefit"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("cohort figures of a plan")
        verbose_name_plural = _("cohort figures of plans")

    def __str__(self) -> str:
        return f"{self.plan_id} {self.state}"


class CohortRule(models.Model):
    """A blocking rule a plan counts under in the cohorts per rule: one row per distinct rule
    of the plan's obstacles (`rule` empty with kind "uncatalogued" for an obstacle whose rule
    is not in the catalogue), or one row of kind "none" for a plan without a blocking rule."""

    class Kind(models.TextChoices):
        RULE = "rule", _("blocking rule")
        UNCATALOGUED = "uncatalogued", _("A rule not in the catalogue")
        NONE = "none", _("No blocking rule recorded")

    figures = models.ForeignKey(
        CohortFigures, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="rules"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    rule = models.ForeignKey(
        "legal.BlockingRule",
        verbose_name=_("blocking rule"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("cohort rule of a plan")
        verbose_name_plural = _("cohort rules of plans")
        indexes = [models.Index(fields=["kind", "rule"], name="followup_cohortrule_kind_idx")]

    def __str__(self) -> str:
        return f"{self.figures_id} {self.kind} {self.rule_id or ''}"


class CohortStamp(models.Model):
    """A version stamp per team of its stored cohort figures: every write of `CohortFigures` or
    `CohortRule` (and a rename of the team or of a blocking rule, whose names the page joins)
    sets a new `version` in the same transaction. The cohort page caches what it shows under
    the stamps of the user's teams (`cohorts.cached_cohorts`), so one small read per request
    tells whether the cached figures are still true. One row per team, so that writers of two
    teams never wait on each other."""

    team = models.OneToOneField(
        "accounts.Team",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    version = models.CharField(_("version"), max_length=32)

    class Meta:
        verbose_name = _("cohort stamp of a team")
        verbose_name_plural = _("cohort stamps of teams")

    def __str__(self) -> str:
        return f"{self.team_id} {self.version}"


def since_missing_message(code: str) -> str:
    """The refusal for a ticked outcome without its "holds since" date, naming the outcome (the
    form and the service say the same, so all such errors come in one round)."""
    return _("Give the date since when “%(outcome)s” holds.") % {
        "outcome": Outcome.Code(code).label
    }


def since_after_message(code: str) -> str:
    return _("“%(outcome)s”: this date lies after the day of measurement.") % {
        "outcome": Outcome.Code(code).label
    }


def ticked_with_none_holds_message() -> str:
    """The refusal for "measured: none of the outcomes holds" with outcomes ticked (the form
    and the service say the same, so it comes in the same round as the form's own errors)."""
    return _(
        "You chose “measured: none of the outcomes holds” but also ticked outcomes: untick "
        "them, or choose “measured, with outcomes”."
    )


def ticked_with_not_measured_message() -> str:
    return _(
        "You chose “not measured” but also ticked outcomes: untick them, or choose “measured”."
    )
