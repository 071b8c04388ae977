"""The legal catalogue (*regelbank*): laws, the provisions that give room, the blocking rules.

Not personal data: every logged-in user reads it. Functional administrators maintain it through
`legal.services`; every change is a new, immutable revision row plus an audit event.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from maatwerk.core import choices
from maatwerk.core.domains import LifeDomain


def _english() -> bool:
    return (get_language() or "nl").startswith("en")


class VerifiedStatus(models.TextChoices):
    """Has the article number and detail been checked against wetten.overheid.nl?"""

    YES = "yes", _("verified")
    PARTLY = "partly", _("needs a check")
    NO = "no", _("not verified")


# Who applies a blocking rule: the part of core's organisation types that applies rules
# (the kind of organisation, not a named one). The order is the regelbank's.
Applier = choices.subset(
    "Applier",
    choices.OrganisationType,
    [
        "municipality",
        "municipality_brp",
        "tax_allowances",
        "uwv",
        "svb",
        "cak",
        "cjib",
        "duo",
        "housing_corporation",
        "energy_supplier",
        "water_supplier",
        "health_insurer",
        "other",
    ],
    "Who applies a blocking rule (the kind of organisation, not a named one).",
)


class Law(models.Model):
    code = models.CharField(_("abbreviation"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    bwb_id = models.CharField(
        _("BWB id"), max_length=20, blank=True, help_text=_("Identifier on wetten.overheid.nl.")
    )
    source_url = models.URLField(_("source link"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("law")
        verbose_name_plural = _("laws")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["bwb_id"], condition=~Q(bwb_id=""), name="law_bwb_id_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class Provision(models.Model):
    """Wetsartikel: an article of law that gives room to tailor (or that blocks)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    law = models.ForeignKey(
        Law, verbose_name=_("law"), on_delete=models.PROTECT, related_name="provisions"
    )
    article = models.CharField(_("article"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    room_nl = models.TextField(_("room it gives (Dutch)"), max_length=2000)
    room_en = models.TextField(_("room it gives (English)"), max_length=2000, blank=True)
    applied_by = models.CharField(
        _("applied by"), max_length=30, choices=Applier.choices, blank=True
    )
    # The source's own words (a court, the mayor, a school head): the fixed list is coarser.
    applied_by_nl = models.CharField(
        _("applied by (as the source says)"), max_length=200, blank=True
    )
    example_nl = models.TextField(_("example situation"), max_length=2000, blank=True)
    version_date = models.DateField(
        _("version date"),
        null=True,
        blank=True,
        help_text=_(
            "The date from which the article's text as read on wetten.overheid.nl is valid."
        ),
    )
    source_url = models.URLField(_("source link"), max_length=500)
    verified = models.CharField(
        _("verified"), max_length=10, choices=VerifiedStatus.choices, default=VerifiedStatus.NO
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("provision")
        verbose_name_plural = _("provisions")
        ordering = ["law__name", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verified__in=[v.value for v in VerifiedStatus]),
                name="provision_verified_valid",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="provision_version_positive"),
            models.CheckConstraint(
                condition=Q(applied_by="") | Q(applied_by__in=[a.value for a in Applier]),
                name="provision_applied_by_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.law.code} {self.article} – {self.title}"

    @property
    def room(self) -> str:
        return self.room_en if _english() and self.room_en else self.room_nl

    @property
    def needs_check(self) -> bool:
        return self.verified != VerifiedStatus.YES


class BlockingRule(models.Model):
    """Belemmerende regel: a known rule or routine that gets households stuck."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_nl = models.CharField(_("Dutch name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    applied_by = models.CharField(_("applied by"), max_length=30, choices=Applier.choices)
    life_domain = models.CharField(
        _("life domain"), max_length=20, choices=LifeDomain.choices, blank=True
    )
    basis_provision = models.ForeignKey(
        Provision,
        verbose_name=_("rests on"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="blocking_rules",
    )
    escape_provisions = models.ManyToManyField(
        Provision,
        verbose_name=_("ways out"),
        through="BlockingRuleEscape",
        related_name="escape_for",
        blank=True,
    )
    recent_change = models.TextField(_("recent changes"), max_length=2000, blank=True)
    applied_by_nl = models.CharField(
        _("applied by (as the source says)"), max_length=200, blank=True
    )
    # A rule may rest on an article that gives no room itself (so no provision of its own): the
    # article in words, with its address on wetten.overheid.nl and the version read.
    basis_article = models.CharField(_("rests on (article)"), max_length=200, blank=True)
    basis_source_url = models.URLField(_("source link of the basis"), max_length=500, blank=True)
    basis_version_date = models.DateField(_("version date of the basis"), null=True, blank=True)
    escape_routes_nl = models.TextField(_("ways out (in words)"), max_length=2000, blank=True)
    example_nl = models.TextField(_("example situation"), max_length=2000, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("blocking rule")
        verbose_name_plural = _("blocking rules")
        ordering = ["name_nl"]
        constraints = [
            models.CheckConstraint(
                condition=Q(applied_by__in=[a.value for a in Applier]),
                name="blockingrule_applied_by_valid",
            ),
            models.CheckConstraint(
                condition=Q(life_domain="") | Q(life_domain__in=[d.value for d in LifeDomain]),
                name="blockingrule_life_domain_valid",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="blockingrule_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_nl} ({self.code})"

    @property
    def name(self) -> str:
        return self.name_en if _english() and self.name_en else self.name_nl


class BlockingRuleEscape(models.Model):
    """A provision that may offer a way out of a blocking rule, in the order to propose it."""

    rule = models.ForeignKey(BlockingRule, on_delete=models.CASCADE, related_name="escape_routes")
    provision = models.ForeignKey(Provision, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("way out")
        verbose_name_plural = _("ways out")
        ordering = ["rule", "position"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "provision"], name="escape_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.rule.code} → {self.provision.code}"


class RevisionBase(models.Model):
    """One change of a catalogue row: immutable, numbered, with who, when and old/new values."""

    version = models.PositiveIntegerField(_("version"))
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changes = models.JSONField(
        _("changed fields"), default=dict, blank=True, help_text=_("Per field: old and new value.")
    )
    snapshot = models.JSONField(_("state after the change"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        abstract = True
        ordering = ["-version"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("A revision is never changed; make a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("A revision is never deleted.")


class ProvisionRevision(RevisionBase):
    provision = models.ForeignKey(Provision, on_delete=models.PROTECT, related_name="revisions")

    class Meta(RevisionBase.Meta):
        verbose_name = _("provision revision")
        verbose_name_plural = _("provision revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["provision", "version"], name="provisionrevision_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provision_id} v{self.version}"


class BlockingRuleRevision(RevisionBase):
    rule = models.ForeignKey(BlockingRule, on_delete=models.PROTECT, related_name="revisions")

    class Meta(RevisionBase.Meta):
        verbose_name = _("blocking rule revision")
        verbose_name_plural = _("blocking rule revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "version"], name="blockingrulerevision_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} v{self.version}"
