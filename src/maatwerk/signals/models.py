"""System signals (*systeemsignalen*): a recurring obstacle told to the owner of the rule.

A signal concerns one blocking rule of the regelbank (or, for a rule the regelbank lacks yet, the
obstacle on which a worker described it), is addressed to the rule's owner (a department of the
municipality, another organisation, or the national level: the Landelijk Maatwerkloket), and
moves through an allow-list of statuses, each with a deadline. Every change leaves a row in its
append-only history; workers whose obstacles fed the signal add what they know.

Nothing here holds case data: the obstacles that fed a signal are linked (`SignalFeed`) so their
team's workers see the signal, but the signal's pages show policy roles only counts.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NEW = "new", _("new")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    UNDER_STUDY = "under_study", _("under study")
    RULE_CHANGED = "rule_changed", _("rule changed")
    RULE_KEPT = "rule_kept", _("rule kept")
    PASSED_ON = "passed_on", _("passed on")


# The allow-list: from each status, where a signal may go next. The last three are final.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.NEW: (Status.ACKNOWLEDGED,),
    Status.ACKNOWLEDGED: (Status.UNDER_STUDY,),
    Status.UNDER_STUDY: (Status.RULE_CHANGED, Status.RULE_KEPT, Status.PASSED_ON),
    Status.RULE_CHANGED: (),
    Status.RULE_KEPT: (),
    Status.PASSED_ON: (),
}
OPEN_STATUSES = frozenset(s for s, nxt in TRANSITIONS.items() if nxt)
FINAL_STATUSES = frozenset(Status) - OPEN_STATUSES
# Moves that need a note: why the rule is kept, to whom the signal was passed on.
NOTE_REQUIRED = frozenset({Status.RULE_KEPT, Status.PASSED_ON})

# Days the owner has in each open status before the signal is overdue; the setting
# MAATWERK_SIGNAL_STATUS_DAYS may change them per status.
DEFAULT_STATUS_DAYS = {Status.NEW: 14, Status.ACKNOWLEDGED: 28, Status.UNDER_STUDY: 91}


def status_days(status: str) -> int | None:
    """Days allowed in `status` (None for a final status: no deadline)."""
    if status not in OPEN_STATUSES:
        return None
    days = {**DEFAULT_STATUS_DAYS, **getattr(settings, "MAATWERK_SIGNAL_STATUS_DAYS", {})}
    return int(days[status])


def deadline_for(status: str, since: datetime.date) -> datetime.date | None:
    """The day by which a signal in `status` since `since` should move on."""
    days = status_days(status)
    return None if days is None else since + datetime.timedelta(days=days)


class OwnerKind(models.TextChoices):
    DEPARTMENT = "department", _("a department of the municipality")
    ORGANISATION = "organisation", _("another organisation")
    NATIONAL = "national", _("the national level")


NATIONAL_OWNER = "Landelijk Maatwerkloket"


class AppendOnly(models.Model):
    """A row that is written once: never changed, never deleted (PostgreSQL triggers too)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("A signal's history is never changed; add a new row.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("A signal's history is never deleted.")


class Signal(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="signals",
    )
    blocking_rule = models.ForeignKey(
        "legal.BlockingRule",
        verbose_name=_("blocking rule"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signals",
    )
    # A rule the regelbank lacks: the obstacle on which a worker described it (gone when its
    # case is destroyed; the signal stays).
    new_rule_obstacle = models.ForeignKey(
        "cases.Obstacle",
        verbose_name=_("newly described rule"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rule_version = models.PositiveIntegerField(_("rule version when raised"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(
        _("what keeps happening"),
        max_length=2000,
        help_text=_("The pattern, in general terms: no names, no details of one household."),
    )
    owner_kind = models.CharField(_("owner of the rule"), max_length=20, choices=OwnerKind.choices)
    owner_name = models.CharField(_("name of the owner"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    status_since = models.DateField(_("in this status since"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    outcome_note = models.TextField(_("reason"), max_length=2000, blank=True)
    # When the rule changed: the regelbank version that holds the change, and its day.
    changed_version = models.PositiveIntegerField(_("new rule version"), null=True, blank=True)
    changed_on = models.DateField(_("rule changed on"), null=True, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    raised_at = models.DateTimeField(_("raised"), auto_now_add=True)

    class Meta:
        verbose_name = _("system signal")
        verbose_name_plural = _("system signals")
        ordering = ["deadline", "-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in Status]), name="signal_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(owner_kind__in=[k.value for k in OwnerKind]),
                name="signal_owner_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(blocking_rule__isnull=True) | Q(new_rule_obstacle__isnull=True),
                name="signal_rule_or_new_rule",
            ),
            # An open signal has a deadline, a final one none.
            models.CheckConstraint(
                condition=(
                    Q(status__in=sorted(OPEN_STATUSES), deadline__isnull=False)
                    | (Q(status__in=sorted(FINAL_STATUSES)) & Q(deadline__isnull=True))
                ),
                name="signal_deadline_when_open",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=sorted(NOTE_REQUIRED)) | ~Q(outcome_note=""),
                name="signal_final_note_required",
            ),
            # A changed regelbank rule names the version that holds the change.
            models.CheckConstraint(
                condition=~Q(status=Status.RULE_CHANGED)
                | Q(blocking_rule__isnull=True)
                | Q(changed_version__isnull=False, changed_on__isnull=False),
                name="signal_changed_names_version",
            ),
            # At most one open signal per rule and organisation: the rule's page shows it.
            models.UniqueConstraint(
                fields=["organisation", "blocking_rule"],
                condition=Q(status__in=sorted(OPEN_STATUSES)),
                name="signal_one_open_per_rule",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: datetime.date) -> bool:
        return self.deadline is not None and self.deadline < today

    def next_statuses(self) -> list[Status]:
        return [Status(s) for s in TRANSITIONS[self.status]]


class SignalEvent(AppendOnly):
    """One line of a signal's history: raised, or moved from one status to another."""

    signal = models.ForeignKey(Signal, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("signal history line")
        verbose_name_plural = _("signal history")
        ordering = ["signal", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_status__in=[s.value for s in Status]),
                name="signalevent_to_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(from_status="") | Q(from_status__in=[s.value for s in Status]),
                name="signalevent_from_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signal_id}: {self.from_status or '-'} → {self.to_status}"


class SignalFeed(models.Model):
    """An obstacle that fed a signal ("dit komt vaker voor"): its team's workers follow it.
    Goes with its case when the case is destroyed; the signal's history stays."""

    signal = models.ForeignKey(Signal, on_delete=models.PROTECT, related_name="feeds")
    obstacle = models.ForeignKey(
        "cases.Obstacle", on_delete=models.CASCADE, related_name="signal_feeds"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("obstacle behind a signal")
        verbose_name_plural = _("obstacles behind signals")
        constraints = [
            models.UniqueConstraint(fields=["signal", "obstacle"], name="signalfeed_unique")
        ]

    def __str__(self) -> str:
        return f"{self.signal_id} ← {self.obstacle_id}"


class Contribution(AppendOnly):
    """What a worker whose obstacle fed the signal knows about it, in general terms."""

    signal = models.ForeignKey(Signal, on_delete=models.PROTECT, related_name="contributions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(
        _("what you know"),
        max_length=2000,
        help_text=_("What you see happen, in general terms: no names, no details of a household."),
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("contribution to a signal")
        verbose_name_plural = _("contributions to signals")
        ordering = ["signal", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.signal_id}: {self.created_at:%Y-%m-%d}"


# --- The national picture (issue 14, point 6) ------------------------------------------------


class NationalImport(models.Model):
    """One organisation's export for one period, as imported by `manage.py aggregate_signals`.
    Importing the same organisation and period again replaces it (and its figures)."""

    organisation = models.CharField(_("organisation"), max_length=200)
    organisation_kind = models.CharField(_("kind"), max_length=20, blank=True)
    period = models.CharField(_("period"), max_length=7)
    sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64)
    generated_at = models.DateTimeField(_("exported"))
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    cells = models.PositiveIntegerField(_("cells"))
    suppressed_cells = models.PositiveIntegerField(_("suppressed cells"))

    class Meta:
        verbose_name = _("national import")
        verbose_name_plural = _("national imports")
        ordering = ["period", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "period"], name="national_import_once_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.period}"


class NationalFigure(models.Model):
    """One cell of an imported export: an organisation's figures for one blocking rule (code
    empty for the newly described rules) in one period, under the outside rule. A suppressed
    cell has no figures."""

    source = models.ForeignKey(NationalImport, on_delete=models.CASCADE, related_name="figures")
    rule_code = models.CharField(_("rule code"), max_length=40, blank=True)
    rule_name = models.CharField(_("rule"), max_length=200)
    law = models.CharField(_("law and article"), max_length=200, blank=True)
    suppressed = models.BooleanField(_("suppressed"))
    households = models.PositiveIntegerField(_("households"), null=True)
    plans = models.PositiveIntegerField(_("plans"), null=True)
    approved = models.PositiveIntegerField(_("approved"), null=True)
    standard_eur = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    tailored_eur = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    realised_eur = models.DecimalField(max_digits=14, decimal_places=2, null=True)

    class Meta:
        verbose_name = _("national figure")
        verbose_name_plural = _("national figures")
        ordering = ["source", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "rule_code"], name="national_figure_one_per_rule"
            ),
            models.CheckConstraint(
                condition=Q(suppressed=False, households__isnull=False)
                | Q(
                    suppressed=True,
                    households__isnull=True,
                    plans__isnull=True,
                    approved__isnull=True,
                    standard_eur__isnull=True,
                    tailored_eur__isnull=True,
                    realised_eur__isnull=True,
                ),
                name="national_figure_suppressed_has_no_figures",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id}: {self.rule_code or '—'}"
