"""Writes to the cost catalogue: local items, new price versions, retirement.

Only an organisation's functional administrator writes, and only for their own organisation;
a published price is never changed, a new price is a new version.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import has_role, organisation_ids
from maatwerk.audit import services as audit
from maatwerk.core import dates

from . import search as costs_search
from .models import CostItem, CostItemRetirement, CostItemVersion


def _admin_organisation(actor, organisation_id: int) -> int:
    if not has_role(actor, Role.ADMIN) or organisation_id not in organisation_ids(actor):
        raise PermissionDenied(_("Only your organisation's functional administrator may do this."))
    return organisation_id


def _check_price_date(price_date: date) -> None:
    dates.check({"price_date": price_date}, {"price_date": dates.PRICE_DATE})


@transaction.atomic
def add_local_item(
    *,
    actor,
    organisation_id: int,
    code: str,
    name_nl: str,
    name_en: str,
    description: str,
    life_domain: str,
    unit: str,
    bearer: str,
    cost_type: str,
    amount: Decimal,
    price_date: date,
    grade: str,
    source_title: str,
    source_url: str,
    note: str = "",
) -> CostItem:
    _admin_organisation(actor, organisation_id)
    _check_price_date(price_date)
    if CostItem.objects.filter(organisation_id=organisation_id, code=code).exists():
        raise ValidationError({"code": _("Your organisation already has an item with this code.")})
    item = CostItem(
        organisation_id=organisation_id,
        code=code,
        name_nl=name_nl,
        name_en=name_en,
        description=description,
        life_domain=life_domain,
        unit=unit,
        bearer=bearer,
        cost_type=cost_type,
    )
    item.full_clean()
    item.save()
    audit.record(actor=actor, action=audit.Action.CREATE, obj=item)
    _publish(
        actor, item, organisation_id, amount, price_date, grade, source_title, source_url, note
    )
    costs_search.index_item(item)
    return item


@transaction.atomic
def add_local_price(
    *,
    actor,
    item: CostItem,
    organisation_id: int,
    amount: Decimal,
    price_date: date,
    grade: str,
    source_title: str,
    source_url: str,
    note: str = "",
) -> CostItemVersion:
    _admin_organisation(actor, organisation_id)
    if item.organisation_id not in (None, organisation_id):
        raise PermissionDenied(_("This item belongs to another organisation."))
    _check_price_date(price_date)
    version = _publish(
        actor, item, organisation_id, amount, price_date, grade, source_title, source_url, note
    )
    if item.organisation_id == organisation_id:
        # A local item's own price: its note is in the index. (A local price on a shared item
        # is not: the shared index holds only what every organisation may read.)
        costs_search.index_item(item)
    return version


def _publish(actor, item, organisation_id, amount, price_date, grade, title, url, note):
    version = CostItemVersion(
        item=item,
        organisation_id=organisation_id,
        amount=amount,
        price_date=price_date,
        grade=grade,
        source_title=title,
        source_url=url,
        note=note,
        published_by=actor,
    )
    version.full_clean()
    version.save()
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=version,
        changes={
            "amount": {"old": None, "new": str(amount)},
            "item": {"old": None, "new": item.pk},
        },
    )
    return version


@transaction.atomic
def retire_item(*, actor, item: CostItem, organisation_id: int) -> CostItemRetirement:
    _admin_organisation(actor, organisation_id)
    retirement, created = CostItemRetirement.objects.get_or_create(
        item=item, organisation_id=organisation_id, defaults={"retired_by": actor}
    )
    if created:
        audit.record(actor=actor, action=audit.Action.UPDATE, obj=item, reason="retired")
    return retirement
