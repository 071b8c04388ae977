"""Decisions: mandates, the peer rule, the escalation ladder, budgets, the ledger, decision steps
and MDT consultations.

The rules themselves live in `routing` and `ledger` (plain functions); these models only store
configuration and history. Ledger entries are append-only: never updated or deleted, only
reversed (on PostgreSQL a trigger refuses it too, see migration 0002).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from maatwerk.accounts.roles import Role
from maatwerk.core.formatting import long_date
from maatwerk.legal.models import Applier

from . import ledger

APPEND_ONLY = "Ledger entries are append-only: reverse an entry instead."
# The roles of the ladder that can hold a mandate (accounts' roles, in ladder order).
MANDATE_ROLES = [
    (r.value, r.label) for r in (Role.WORKER, Role.TEAM_LEAD, Role.MANAGER, Role.DIRECTOR)
]


class MandateSetting(models.Model):
    """The amount a role (or a named body) of an organisation may grant alone per plan."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="mandates",
    )
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=MANDATE_ROLES,
        blank=True,
        help_text=_("The role whose holders may grant this amount alone."),
    )
    body = models.CharField(
        _("body"),
        max_length=60,
        blank=True,
        help_text=_("Or, instead of a role: a named body on the ladder, such as a doorbraaktafel."),
    )
    amount = models.DecimalField(
        _("mandate per plan (euros)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty means no upper limit."),
    )
    household_cap_per_year = models.DecimalField(
        _("cap per household per year (euros)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["organisation", "amount"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "role"], condition=~Q(role=""), name="mandate_unique_role"
            ),
            models.UniqueConstraint(
                fields=["organisation", "body"], condition=~Q(body=""), name="mandate_unique_body"
            ),
            models.CheckConstraint(
                condition=(Q(role="") & ~Q(body="")) | (~Q(role="") & Q(body="")),
                name="mandate_role_xor_body",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="mandate_amount_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(household_cap_per_year__isnull=True) | Q(household_cap_per_year__gte=0),
                name="mandate_cap_gte_0",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_role_display() if self.role else self.body}"

    @property
    def key(self) -> str:
        """What the ladder looks the mandate up by: the role, or else the body's name."""
        return self.role or self.body


class PeerRule(models.Model):
    """Up to `limit`, `peers_required` colleagues of the author's team may approve a plan."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="peer_rule",
    )
    limit = models.DecimalField(_("peer limit (euros)"), max_digits=12, decimal_places=2)
    peers_required = models.PositiveSmallIntegerField(_("colleagues required"))

    class Meta:
        verbose_name = _("peer decision rule")
        verbose_name_plural = _("peer decision rules")
        constraints = [
            models.CheckConstraint(condition=Q(limit__gt=0), name="peerrule_limit_gt_0"),
            models.CheckConstraint(condition=Q(peers_required__gte=1), name="peerrule_peers_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.peers_required} × {self.limit}"


class EscalationLevel(models.Model):
    """One rung of an organisation's escalation ladder (escalatieladder)."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="escalation_levels",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    body = models.CharField(
        _("body"),
        max_length=60,
        blank=True,
        help_text=_("A named body such as a doorbraaktafel; decided by its directors."),
    )
    decider_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("decided in organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the organisation itself (e.g. the municipality above a team)."),
    )
    deadline_working_days = models.PositiveSmallIntegerField(_("deadline (working days)"))
    non_financial = models.BooleanField(
        _("for plans without money"),
        default=False,
        help_text=_("Takes plans that need another department or partner to act."),
    )

    class Meta:
        verbose_name = _("escalation level")
        verbose_name_plural = _("escalation levels")
        ordering = ["organisation", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "position"], name="escalationlevel_unique_position"
            ),
            models.CheckConstraint(
                condition=(Q(role="") & ~Q(body="")) | (~Q(role="") & Q(body="")),
                name="escalationlevel_role_xor_body",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.get_role_display() if self.role else self.body}"

    @property
    def key(self) -> str:
        return self.role or self.body


class DepartmentRoute(models.Model):
    """Where a plan without money goes: the department that decides what it asks.

    Matched on the blocking rule of the plan's obstacle (most specific) or else on who applies
    that rule (`applier`, e.g. the population register to Burgerzaken).
    """

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="department_routes",
    )
    applier = models.CharField(
        _("rule applied by"),
        max_length=30,
        choices=Applier.choices,
        blank=True,
        help_text=_("Plans whose blocking rule this kind of organisation applies."),
    )
    blocking_rule = models.ForeignKey(
        "legal.BlockingRule",
        verbose_name=_("blocking rule"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Or: plans for this one blocking rule (wins over the applier)."),
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("deciding department"),
        on_delete=models.PROTECT,
        related_name="routes",
    )
    deadline_working_days = models.PositiveSmallIntegerField(
        _("deadline (working days)"), default=10
    )

    class Meta:
        verbose_name = _("route for plans without money")
        verbose_name_plural = _("routes for plans without money")
        ordering = ["organisation", "applier", "blocking_rule"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(applier="") | Q(blocking_rule__isnull=False),
                name="departmentroute_applier_or_rule",
            ),
            models.UniqueConstraint(
                fields=["organisation", "applier"],
                condition=Q(blocking_rule__isnull=True),
                name="departmentroute_unique_applier",
            ),
            models.UniqueConstraint(
                fields=["organisation", "blocking_rule"],
                condition=Q(blocking_rule__isnull=False),
                name="departmentroute_unique_rule",
            ),
        ]

    def __str__(self) -> str:
        what = self.blocking_rule or self.get_applier_display()
        return f"{what} → {self.department}"


class Budget(models.Model):
    """Maatwerkbudget of a team for a year; without a team, the organisation's pool."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="budgets",
    )
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budgets",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("budget (euros)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["-year", "organisation", "team"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "year"], condition=Q(team__isnull=False), name="budget_team_year"
            ),
            models.UniqueConstraint(
                fields=["organisation", "year"],
                condition=Q(team__isnull=True),
                name="budget_pool_year",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_amount_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.team or self.organisation} {self.year}"


class LedgerEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError(APPEND_ONLY)

    def delete(self):
        raise PermissionError(APPEND_ONLY)


class LedgerEntry(models.Model):
    """One line of the grootboek: a commitment, payment, release or reversal. Never changed."""

    class Kind(models.TextChoices):
        COMMITMENT = ledger.COMMITMENT, _("commitment")
        PAYMENT = ledger.PAYMENT, _("payment")
        RELEASE = ledger.RELEASE, _("release")
        REVERSAL = ledger.REVERSAL, _("reversal")

    budget = models.ForeignKey(
        Budget, verbose_name=_("budget"), on_delete=models.PROTECT, related_name="entries"
    )
    # What the money is for: a plan, or a collective approach (exactly one of the two).
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger",
    )
    collective_approach = models.ForeignKey(
        "decisions.CollectiveApproach",
        verbose_name=_("collective approach"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger",
    )

    class PayeeKind(models.TextChoices):
        ORGANISATION = "organisation", _("an organisation")
        PERSON = "person", _("a private person (for example a landlord)")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("amount (euros)"), max_digits=12, decimal_places=2)
    # Who was paid, as a neutral category (a payment only; empty: not recorded). The name itself
    # and any note are personal free text: they stand in LedgerEntryDetail, which destruction
    # of the case empties, while this row stays as booked.
    payee_kind = models.CharField(
        _("kind of payee"), max_length=20, choices=PayeeKind.choices, blank=True
    )
    in_kind = models.BooleanField(_("in kind"), default=False)
    # The day the money left (a payment only; booked later than paid, it differs from created_at).
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    refers_to = models.ForeignKey(
        "self",
        verbose_name=_("refers to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["id"]
        indexes = [models.Index(fields=["budget", "id"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledgerentry_amount_gt_0"),
            models.CheckConstraint(
                condition=Q(kind__in=list(ledger.KINDS)), name="ledgerentry_kind_valid"
            ),
            models.CheckConstraint(
                condition=(Q(kind=ledger.COMMITMENT) & Q(refers_to__isnull=True))
                | (~Q(kind=ledger.COMMITMENT) & Q(refers_to__isnull=False)),
                name="ledgerentry_refers_to_unless_commitment",
            ),
            models.CheckConstraint(
                condition=(Q(plan__isnull=False) & Q(collective_approach__isnull=True))
                | (Q(plan__isnull=True) & Q(collective_approach__isnull=False)),
                name="ledgerentry_plan_xor_collective",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(APPEND_ONLY)

    def as_entry(self) -> ledger.Entry:
        return ledger.Entry(self.pk, self.kind, self.amount, self.refers_to_id)

    @property
    def detail_or_none(self) -> "LedgerEntryDetail | None":
        """The entry's free text (select_related("detail") to read it for many entries)."""
        try:
            return self.detail
        except LedgerEntryDetail.DoesNotExist:
            return None

    @property
    def payee(self) -> str:
        """To whom it was paid, as shown; after destruction of the case, that it was removed."""
        detail = self.detail_or_none
        if detail is None:
            return ""
        if detail.destroyed_at is not None:
            return detail.removed_text() if self.kind == ledger.PAYMENT else ""
        return detail.payee

    @property
    def note(self) -> str:
        """The entry's note, as shown (a plan's payment has none: its text is the payee)."""
        detail = self.detail_or_none
        if detail is None:
            return ""
        if detail.destroyed_at is not None:
            return "" if self.kind == ledger.PAYMENT else detail.removed_text()
        return detail.note


class LedgerEntryDetail(models.Model):
    """The free text of one ledger entry: to whom it was paid, and a note (a release's reason,
    a correction's reason). It may name a person (a private landlord, the resident), so it
    stands beside the append-only ledger row rather than in it: destroying a case
    (privacy.destruction) empties it and stamps the day, and the row keeps the amount, the
    budget, the plan and the kind of payee. Written once, with its entry; only destruction
    changes it afterwards. An entry without payee or note has no detail."""

    entry = models.OneToOneField(
        LedgerEntry,
        verbose_name=_("ledger entry"),
        primary_key=True,
        on_delete=models.PROTECT,
        related_name="detail",
    )
    payee = models.CharField(_("paid to"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    destroyed_at = models.DateTimeField(_("destroyed"), null=True, blank=True)

    class Meta:
        verbose_name = _("ledger entry text")
        verbose_name_plural = _("ledger entry texts")
        constraints = [
            models.CheckConstraint(
                condition=Q(destroyed_at__isnull=True) | Q(payee="", note=""),
                name="ledgerentrydetail_destroyed_is_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}"

    def removed_text(self) -> str:
        day = long_date(timezone.localdate(self.destroyed_at))
        return gettext("removed (destroyed on %(date)s)") % {"date": day}


class CollectiveApproach(models.Model):
    """Collectieve aanpak: a team's answer to an obstacle that recurs in one neighbourhood (a
    pattern of the signals' collective patterns page) — a group activity, a neighbourhood
    arrangement. It is a spending decision, so it lives here; when money is involved its budget
    is a commitment on the team's budget, on the same append-only ledger as the plans'.

    Holds no household, no case and no name: the pattern is a neighbourhood code, a life domain
    and a blocking rule (or the newly described rules together)."""

    class Kind(models.TextChoices):
        GROUP_ACTIVITY = "group_activity", _("group activity")
        NEIGHBOURHOOD_ARRANGEMENT = "neighbourhood_arrangement", _("neighbourhood arrangement")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        RUNNING = "running", _("running")
        DONE = "done", _("done")

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="collective_approaches",
    )
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        related_name="collective_approaches",
    )
    # The pattern it answers.
    neighbourhood_code = models.CharField(_("neighbourhood code"), max_length=10, blank=True)
    life_domain = models.CharField(_("life domain"), max_length=20, blank=True)
    blocking_rule = models.ForeignKey(
        "legal.BlockingRule",
        verbose_name=_("blocking rule"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="collective_approaches",
        help_text=_("Empty: the newly described rules together."),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    public = models.BooleanField(
        _("show on the public page"),
        default=False,
        help_text=_(
            "The team lead's explicit choice: only then its kind, life domain and status are "
            "public (never its name)."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("collective approach")
        verbose_name_plural = _("collective approaches")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["group_activity", "neighbourhood_arrangement", "other"]),
                name="collectiveapproach_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "running", "done"]),
                name="collectiveapproach_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CollectiveActivity(models.Model):
    """What was done for a collective approach, on a day (append-only, like a signal's
    history): a line of text, a change of status, and the payment it booked, if any."""

    approach = models.ForeignKey(
        CollectiveApproach,
        verbose_name=_("collective approach"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    day = models.DateField(_("day"))
    note = models.TextField(_("what was done"), max_length=2000, blank=True)
    status = models.CharField(
        _("status from then on"), max_length=20, choices=CollectiveApproach.Status.choices
    )
    payment = models.OneToOneField(
        "decisions.LedgerEntry",
        verbose_name=_("payment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="collective_activity",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("collective activity")
        verbose_name_plural = _("collective activities")
        ordering = ["approach", "day", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["planned", "running", "done"]),
                name="collectiveactivity_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.approach_id}: {self.day} {self.status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("A collective approach's record is never changed; add a line.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("A collective approach's record is never deleted.")


class DecisionStep(models.Model):
    """One step of a plan on the ladder: where it was routed, until when, and what came of it.

    A step is open while `outcome` is empty; at most one step per plan is open.
    """

    class Outcome(models.TextChoices):
        APPROVE = "approve", _("approved")
        REJECT = "reject", _("rejected")
        CONSULT = "consult", _("MDT consultation asked")
        ESCALATE = "escalate", _("escalated")
        WITHDRAW = "withdraw", _("withdrawn by the author")
        SKIP = "skip", _("skipped: nobody holds this level")

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.PROTECT, related_name="decisions"
    )
    level = models.ForeignKey(
        EscalationLevel,
        verbose_name=_("level"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_role = models.CharField(_("role"), max_length=20, blank=True)
    assigned_body = models.CharField(_("body"), max_length=60, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For team roles in the plan's own organisation: the plan's team."),
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For a plan without money: the department that decides it."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    opened_at = models.DateTimeField(_("routed"))
    deadline = models.DateField(_("deadline"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    reason = models.TextField(_("reason"), max_length=4000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    automatic = models.BooleanField(_("by the deadline job"), default=False)

    class Meta:
        verbose_name = _("decision step")
        verbose_name_plural = _("decision steps")
        ordering = ["plan", "opened_at", "id"]
        indexes = [
            models.Index(fields=["outcome", "deadline"]),
            models.Index(fields=["organisation", "assigned_role", "outcome"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"], condition=Q(outcome=""), name="decision_one_open_per_plan"
            ),
            models.CheckConstraint(
                condition=Q(
                    outcome__in=["", "approve", "reject", "consult", "escalate", "withdraw", "skip"]
                ),
                name="decision_outcome_valid",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="reject") | ~Q(reason=""), name="decision_reject_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(decided_at__isnull=False),
                name="decision_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        # Names, not codes: the admin shows this (e.g. when deleting a ladder level).
        return f"{self.plan_id}: {self.level_label} {self.get_outcome_display()}".strip()

    @property
    def is_open(self) -> bool:
        return self.outcome == ""

    @property
    def key(self) -> str:
        """The role or body whose mandate applies."""
        return self.assigned_role or self.assigned_body

    @property
    def level_label(self) -> str:
        """The role's name in the interface language, or the body's or department's name."""
        if self.department_id:
            return self.department.name
        if self.assigned_body:
            return self.assigned_body
        try:
            return str(Role(self.assigned_role).label)
        except ValueError:
            return self.assigned_role


class PeerVote(models.Model):
    """A colleague's vote on a small plan under the peer rule (one per colleague and plan)."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.PROTECT, related_name="peer_votes"
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("colleague"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approve = models.BooleanField(_("agrees"))
    voted_at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("peer vote")
        verbose_name_plural = _("peer votes")
        ordering = ["plan", "voted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "voter"], name="peervote_once_per_colleague")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.voter_id} {self.approve}"


class Consultation(models.Model):
    """MDT-overleg on a plan: who took part, the question, the advice and what was decided."""

    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    date = models.DateField(_("date"))
    participants = models.TextField(
        _("other participants"),
        max_length=2000,
        blank=True,
        help_text=_("External organisations and people by name, one a line."),
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participants in the system"),
        blank=True,
        related_name="+",
    )
    question = models.TextField(_("question"), max_length=4000)
    advice = models.TextField(_("advice"), max_length=4000, blank=True)
    decided_with_it = models.TextField(_("what was decided with it"), max_length=4000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("MDT consultation")
        verbose_name_plural = _("MDT consultations")
        ordering = ["plan", "date", "id"]

    def __str__(self) -> str:
        return f"{_('MDT consultation')} {self.date}"
