"""Cooperation: the outside organisations whose cooperation a plan needs, the requests made to
them, the contacts each request took, and the referral of a case beyond the organisation.

- `ExternalOrganisation` (buitenorganisatie) and its `ContactPoint`s form one directory per
  deployment, maintained by the functional administrator. A worker may suggest an organisation;
  the suggesting team may use it at once (the work must not wait for the administrator), every
  other team only after the administrator accepted it.
- `CooperationRequest` (verzoek): what is asked of whom, on which legal ground, with the
  resident's consent (date and scope, required before it is sent), when it was sent and when an
  answer is due, then the answer. Overdue is not stored: a sent request without an answer whose
  due date has passed is overdue (`overdue_q`).
- `Contact`: one line per call, e-mail, letter, meeting or portal message, with its minutes.
- `Referral`: escalation of one case beyond the organisation (doorbraaktafel or Landelijk
  Maatwerkloket) after a request was refused or went overdue.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maatwerk.core.choices import OrganisationType

# A sensible default for the answer due date, counted from the date sent (editable).
DEFAULT_ANSWER_DAYS = 14


def _values(choices: type[models.TextChoices]) -> list[str]:
    return [c.value for c in choices]


class Channel(models.TextChoices):
    """How a contact point is reached and how a contact took place."""

    PHONE = "phone", _("phone")
    EMAIL = "email", _("e-mail")
    LETTER = "letter", _("letter")
    MEETING = "meeting", _("meeting")
    PORTAL = "portal", _("portal")


class Answer(models.TextChoices):
    """The answer of an outside organisation (or of an escalation route)."""

    AGREED = "agreed", _("agreed")
    PARTLY = "partly", _("partly agreed")
    REFUSED = "refused", _("refused")
    NONE = "none", _("no answer")


# Answers that must carry the reason the organisation gave.
ANSWERS_WITH_REASON = (Answer.PARTLY, Answer.REFUSED)


class DirectoryCategory(models.TextChoices):
    COOPERATION = "cooperation", _("organisation whose cooperation is asked")
    PARTNER = "partner", _("specialised partner")
    ESCALATION = "escalation", _("escalation route")


class DirectoryStatus(models.TextChoices):
    ACTIVE = "active", _("in the directory")
    SUGGESTED = "suggested", _("suggested")
    REJECTED = "rejected", _("suggestion rejected")
    ARCHIVED = "archived", _("archived")


class ExternalOrganisation(models.Model):
    """An organisation outside the deployment whose cooperation a plan needs, a specialised
    partner a team refers to, or an escalation route (doorbraaktafel, Landelijk Maatwerkloket)."""

    Category = DirectoryCategory
    Status = DirectoryStatus

    name = models.CharField(_("name"), max_length=200)
    organisation_type = models.CharField(
        _("kind of organisation"), max_length=30, choices=OrganisationType.choices
    )
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.COOPERATION
    )
    website = models.URLField(_("website"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    # A suggestion by a worker: the suggesting team may use it at once; the rest after acceptance.
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suggested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    suggested_by_team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("suggested by team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    suggestion_note = models.TextField(_("why it is needed"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted or rejected by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("accepted or rejected at"), null=True, blank=True)
    decision_note = models.CharField(_("note on the decision"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("outside organisation")
        verbose_name_plural = _("outside organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                condition=~Q(status="rejected"),
                name="externalorg_unique_name",
            ),
            models.CheckConstraint(
                condition=Q(organisation_type__in=_values(OrganisationType)),
                name="externalorg_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(category__in=_values(DirectoryCategory)),
                name="externalorg_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=_values(DirectoryStatus)), name="externalorg_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="suggested") | Q(suggested_by_team__isnull=False),
                name="externalorg_suggestion_has_team",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ContactPoint(models.Model):
    """Where an outside organisation is reached for maatwerk: a department and a channel, and
    the address for formal requests (no invented numbers: "see website" where unsure)."""

    organisation = models.ForeignKey(
        ExternalOrganisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="contact_points",
    )
    department = models.CharField(_("department"), max_length=200)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    address = models.TextField(
        _("address for formal requests"),
        max_length=1000,
        blank=True,
        help_text=_("A postal address, e-mail address, portal or 'see website'."),
    )
    phone = models.CharField(
        _("phone"),
        max_length=30,
        blank=True,
        validators=[
            RegexValidator(
                r"^[0-9 +()\-]*$",
                _("A phone number has only digits, spaces, +, - and parentheses."),
                code="phone",
            )
        ],
        help_text=_("For example 0800 0543 or +31 20 123 45 67."),
    )
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    for_formal_requests = models.BooleanField(_("for formal requests"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        ordering = ["organisation", "department", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=_values(Channel)), name="contactpoint_channel_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.department}"


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("not sent yet")
    SENT = "sent", _("sent, awaiting answer")
    ANSWERED = "answered", _("answered")
    WITHDRAWN = "withdrawn", _("withdrawn")


class CooperationRequest(models.Model):
    """A request to an outside organisation on a case (and usually one of its plans)."""

    Status = RequestStatus

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="cooperation_requests",
    )
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cooperation_requests",
    )
    organisation = models.ForeignKey(
        ExternalOrganisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="requests",
    )
    contact_point = models.ForeignKey(
        ContactPoint,
        verbose_name=_("contact point"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    question = models.TextField(_("what is asked"), max_length=2000)
    provision = models.ForeignKey(
        "legal.Provision",
        verbose_name=_("legal ground"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cooperation_requests",
    )
    # The resident's consent to share what the request needs.
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_scope = models.TextField(_("what may be shared"), max_length=1000, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consent recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    due_on = models.DateField(_("answer due on"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=20, choices=Answer.choices, blank=True)
    answer_reason = models.TextField(_("reason given"), max_length=2000, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answer recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("cooperation request")
        verbose_name_plural = _("cooperation requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="coopreq_status_due_idx"),
            models.Index(fields=["organisation", "status"], name="coopreq_org_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=_values(RequestStatus)), name="coopreq_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(answer="") | Q(answer__in=_values(Answer)),
                name="coopreq_answer_valid",
            ),
            # Consent is a date with its scope, or nothing.
            models.CheckConstraint(
                condition=Q(consent_on__isnull=True) | ~Q(consent_scope=""),
                name="coopreq_consent_has_scope",
            ),
            # Sent (or answered after sending) needs consent, a sent date and a due date.
            models.CheckConstraint(
                condition=~Q(status__in=["sent", "answered"])
                | (
                    Q(consent_on__isnull=False) & Q(sent_on__isnull=False) & Q(due_on__isnull=False)
                ),
                name="coopreq_sent_has_consent_and_dates",
            ),
            models.CheckConstraint(
                condition=Q(due_on__isnull=True)
                | Q(sent_on__isnull=True)
                | Q(due_on__gte=models.F("sent_on")),
                name="coopreq_due_after_sent",
            ),
            # An answer exactly when answered, with its date; partly/refused carry the reason.
            models.CheckConstraint(
                condition=(Q(status="answered") & ~Q(answer="") & Q(answered_on__isnull=False))
                | (~Q(status="answered") & Q(answer="") & Q(answered_on__isnull=True)),
                name="coopreq_answer_iff_answered",
            ),
            models.CheckConstraint(
                condition=~Q(answer__in=["partly", "refused"]) | ~Q(answer_reason=""),
                name="coopreq_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.case_id})"

    def is_past_due(self, today: datetime.date | None = None) -> bool:
        """Sent, unanswered and past the due date (whatever an escalation answered)."""
        today = today or timezone.localdate()
        return self.status == self.Status.SENT and self.due_on is not None and self.due_on < today

    def answered_referral(self):
        """The latest escalation of this request that its route answered, or None. Reads
        `referrals` (prefetch it for a list)."""
        answered = [r for r in self.referrals.all() if r.status == ReferralStatus.ANSWERED]
        return max(answered, key=lambda r: (r.answered_on, r.pk), default=None)

    def settled_by(self):
        """The escalation whose route agreed: the request is then settled, its outcome is the
        route's answer, and it takes no answer, due date or withdrawal of its own. (A route's
        refusal ends "overdue" but settles nothing: the organisation may still answer.)"""
        referral = self.answered_referral()
        return referral if referral is not None and referral.answer == Answer.AGREED else None

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Past due and not escalated to an answer: once an escalation route answered, the
        escalation's outcome is the request's state, not "overdue" (the same rule as
        `overdue_q`)."""
        return self.is_past_due(today) and self.answered_referral() is None

    def days_overdue(self, today: datetime.date | None = None) -> int:
        today = today or timezone.localdate()
        return (today - self.due_on).days if self.is_overdue(today) else 0


def overdue_q(today: datetime.date, prefix: str = "") -> Q:
    """Sent, unanswered and past the due date, and no escalation of it answered yet: the one
    definition of overdue (the task list, the figures and `CooperationRequest.is_overdue`)."""
    return Q(
        **{f"{prefix}status": CooperationRequest.Status.SENT, f"{prefix}due_on__lt": today}
    ) & ~Q(**{f"{prefix}referrals__status": "answered"})


class Contact(models.Model):
    """One contact for a request: a call, an e-mail, a letter, a meeting or a portal message,
    with the minutes it took (the time is the point)."""

    request = models.ForeignKey(
        CooperationRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    minutes = models.PositiveIntegerField(_("minutes"))
    occurred_on = models.DateField(_("date"))
    note = models.CharField(_("short note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["request", "-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=_values(Channel)), name="contact_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=1440), name="contact_minutes_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.channel} {self.minutes} min"


class ReferralRoute(models.TextChoices):
    BREAKTHROUGH_TABLE = "breakthrough_table", _("regional breakthrough table (doorbraaktafel)")
    NATIONAL_DESK = "national_desk", _("Landelijk Maatwerkloket")


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("not sent yet")
    SENT = "sent", _("sent, awaiting answer")
    ANSWERED = "answered", _("answered")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Referral(models.Model):
    """Escalation of one case beyond the organisation, after a request was refused or went
    overdue: to a regional doorbraaktafel or (rules of national organisations) to the Landelijk
    Maatwerkloket. The referral document is generated from the plan and the request; its
    answer and the outcome are recorded here."""

    Route = ReferralRoute
    Status = ReferralStatus

    request = models.ForeignKey(
        CooperationRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    route = models.CharField(_("route"), max_length=30, choices=Route.choices)
    to = models.ForeignKey(
        ExternalOrganisation,
        verbose_name=_("referred to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    question = models.TextField(_("what is asked"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    # A fingerprint of the referral document as it was sent (the document is regenerated).
    document_sha256 = models.CharField(_("document fingerprint"), max_length=64, blank=True)
    answer = models.CharField(_("answer"), max_length=20, choices=Answer.choices, blank=True)
    answer_reason = models.TextField(_("reason given"), max_length=2000, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answer recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(route__in=_values(ReferralRoute)), name="referral_route_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=_values(ReferralStatus)), name="referral_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(answer="") | Q(answer__in=_values(Answer)),
                name="referral_answer_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["sent", "answered"]) | Q(sent_on__isnull=False),
                name="referral_sent_has_date",
            ),
            models.CheckConstraint(
                condition=(Q(status="answered") & ~Q(answer="") & Q(answered_on__isnull=False))
                | (~Q(status="answered") & Q(answer="") & Q(answered_on__isnull=True)),
                name="referral_answer_iff_answered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_route_display()} ({self.request_id})"
