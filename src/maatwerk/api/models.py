"""API clients: partner organisations and systems that call the API with a bearer token.

A client is not a person: it has no case role and no session, only the scopes its
organisation's functional administrator gave it. A token is stored as a SHA-256 digest of its
secret; the secret itself is shown once, when it is issued.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """What a client may reach. A view names the scope it needs (`required_scopes`)."""

    REGELBANK_READ = "regelbank:read", _("Read the legal catalogue (regelbank)")
    SIGNALS_WRITE = "signals:write", _("Send early signals (partner signals)")


# A client holding one of these reaches only the views that require it (and the check of its
# own token): a partner's client sends signals and reads their feedback, nothing else, whatever
# other scope someone might add. So such a scope is never combined with another.
EXCLUSIVE_SCOPES = frozenset({Scope.SIGNALS_WRITE})


class ApiClient(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="api_clients",
    )
    name = models.CharField(_("name"), max_length=200)
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="apiclient_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def has_scopes(self, wanted) -> bool:
        return bool(wanted) and set(wanted) <= set(self.scopes or ())


class ApiToken(models.Model):
    client = models.ForeignKey(
        ApiClient, verbose_name=_("API client"), on_delete=models.PROTECT, related_name="tokens"
    )
    # The public part of the token, to find the row; the secret is only known by its digest.
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(digest=""), name="apitoken_has_digest"),
        ]

    def __str__(self) -> str:
        return f"{self.client} – {self.prefix}"

    @property
    def is_valid(self) -> bool:
        return (
            self.revoked_at is None and self.expires_at > timezone.now() and self.client.is_active
        )
