from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from .roles import TEAM_ROLES, Role

LOGO_MAX_BYTES = 500 * 1024


def _logo_size(file) -> None:
    if file.size > LOGO_MAX_BYTES:
        raise ValidationError(_("A logo may be at most 500 kB."))


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        WELFARE = "welfare", _("Welfare organisation")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # A welfare organisation's teams may work under a municipality (decisions go up there).
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Printed at the top of the plan document; a neutral mark when there is none. PNG or JPEG
    # only (an SVG can carry scripts); it is embedded in the document, never served as a file.
    logo = models.FileField(
        _("logo"),
        upload_to="logos/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg"]), _logo_size],
        help_text=_("PNG or JPEG, at most 500 kB. Shown at the top of the plan document."),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="teams"
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A department of an organisation that decides what a plan asks of it without money
    (Burgerzaken for a BRP correction, Werk en Inkomen for an income decision)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="departments",
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="department_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class TeamArea(models.Model):
    """A CBS neighbourhood code (wijk or buurt, e.g. WK036301 or BU03630101) a team covers."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="areas")
    code = models.CharField(
        _("neighbourhood code"),
        max_length=10,
        help_text=_("CBS code of a district (WKxxxxxx) or neighbourhood (BUxxxxxxxx)."),
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        blank=True,
        help_text=_("The name people know the area by; pages show it instead of the code."),
    )

    class Meta:
        verbose_name = _("team area")
        verbose_name_plural = _("team areas")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["team", "code"], name="teamarea_unique_code"),
            models.CheckConstraint(
                condition=Q(code__regex=r"^(WK[0-9]{6}|BU[0-9]{8})$"),
                name="teamarea_code_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.name else self.code


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    """A user's role in an organisation, and for team roles, in one team."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        help_text=_("For a department decider: the department whose plans they decide."),
    )
    # Set when the role was taken from the identity provider's claims (accounts.oidc): the
    # next login removes it again when the claim is gone. Empty for roles given by hand.
    claim_mapping = models.ForeignKey(
        "ClaimMapping",
        verbose_name=_("from claim mapping"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "team", "role"], name="membership_unique"
            ),
            models.CheckConstraint(
                condition=~Q(role__in=sorted(r.value for r in TEAM_ROLES)) | Q(team__isnull=False),
                name="membership_team_role_needs_team",
            ),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in Role]), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class RoleGrantRequest(models.Model):
    """A request to give someone a role that sees personal data: the four-eyes step.

    The functional administrator asks; a director or privacy officer of the same organisation
    (not the requester, not the person concerned) approves, which creates the Membership, or
    refuses with a reason.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    requested_by = models.ForeignKey(
        User,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="role_requests_made",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_requests"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="role_requests",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_requests",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_requests_decided",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("role request")
        verbose_name_plural = _("role requests")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(requested_by=models.F("user")), name="rolegrantrequest_not_self"
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True)
                | (~Q(decided_by=models.F("requested_by")) & ~Q(decided_by=models.F("user"))),
                name="rolegrantrequest_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(status="requested", decided_by__isnull=True)
                | (~Q(status="requested") & Q(decided_by__isnull=False)),
                name="rolegrantrequest_decided_by_when_decided",
            ),
            # One open request per grant: a second click does not ask twice.
            models.UniqueConstraint(
                fields=["user", "organisation", "team", "role"],
                condition=Q(status="requested"),
                name="rolegrantrequest_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.get_status_display()})"


class ClaimMapping(models.Model):
    """A rule that gives a role (and for team roles a team) to whoever logs in through the
    organisation's OpenID Connect provider with a claim holding a value (docs/oidc.md).

    A mapping to a role that sees personal data waits until a second person approves it, by
    the same rule as a role given by hand (services.needs_four_eyes, the approver roles).
    Mappings are not edited: a change is a new mapping, and the old one is retired.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for approval")
        ACTIVE = "active", _("Active")
        REFUSED = "refused", _("Refused")
        RETIRED = "retired", _("Retired")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="claim_mappings",
    )
    claim = models.CharField(
        _("claim"),
        max_length=100,
        help_text=_("Name of the claim in the login token, e.g. groups or roles."),
    )
    value = models.CharField(
        _("value"),
        max_length=200,
        help_text=_("The value the claim must hold (or contain, for a list), exactly."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claim_mappings",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    requested_by = models.ForeignKey(
        User,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="claim_mappings_made",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claim_mappings_decided",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("claim mapping")
        verbose_name_plural = _("claim mappings")
        ordering = ["organisation__name", "claim", "value", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requested_by")),
                name="claimmapping_four_eyes",
            ),
            models.UniqueConstraint(
                fields=["organisation", "claim", "value", "role", "team"],
                condition=Q(status__in=["requested", "active"]),
                name="claimmapping_one_live",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim}={self.value} → {self.get_role_display()}"


class OIDCIdentity(models.Model):
    """Links a user to their subject at the identity provider: the login matches on issuer and
    subject, never on an e-mail address (which a provider may let people change)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="oidc_identities")
    issuer = models.CharField(_("issuer"), max_length=300)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("OIDC identity")
        verbose_name_plural = _("OIDC identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="oidcidentity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.subject}"


class ProviderSecondFactor(Device):
    """The identity provider's second factor, as a django-otp device.

    A login whose token says (acr/amr) that the provider checked a second factor is verified
    through this device, so every ``is_verified()`` check holds as after a TOTP code. It
    accepts no codes itself: only the OIDC login can use it.
    """

    class Meta:
        verbose_name = _("second factor at the identity provider")
        verbose_name_plural = _("second factors at the identity provider")

    def verify_token(self, token) -> bool:
        return False
