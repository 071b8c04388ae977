from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maatwerk.accounts.decorators import role_required
from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import admin_organisation_id, has_role

from . import selectors, services
from .forms import CatalogueFilterForm, LocalItemForm, PriceForm
from .models import CostItem


def _own_organisation_id(user) -> int:
    organisation_id = admin_organisation_id(user)
    if organisation_id is None:
        raise PermissionDenied
    return organisation_id


@login_required
def catalogue(request):
    form = CatalogueFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    year = timezone.localdate().year
    rows = selectors.catalogue(
        request.user,
        text=f.get("q", ""),
        life_domain=f.get("life_domain", ""),
        bearer=f.get("bearer", ""),
        cost_type=f.get("cost_type", ""),
        grade=f.get("grade", ""),
        year=year,
    )
    all_rows = rows if not any(f.values()) else selectors.catalogue(request.user, year=year)
    return render(
        request,
        "costs/catalogue.html",
        {
            "form": form,
            "rows": rows,
            "year": year,
            "index_year": max((r.indexed_year for r in all_rows), default=year),
            "comparison": selectors.year_comparison(all_rows),
            "is_admin": has_role(request.user, Role.ADMIN),
        },
    )


def _item_or_404(user, pk) -> CostItem:
    try:
        return selectors.item_detail(user, pk)
    except CostItem.DoesNotExist:
        raise Http404 from None


@login_required
def item_detail(request, pk: int):
    item = _item_or_404(request.user, pk)
    row = selectors.priced([item])
    return render(
        request,
        "costs/item_detail.html",
        {
            "item": item,
            "row": row[0] if row else None,
            "versions": item.visible_versions,
            "is_admin": has_role(request.user, Role.ADMIN),
            "price_form": PriceForm(),
        },
    )


@require_POST
@role_required(Role.ADMIN)
def add_price(request, pk: int):
    item = _item_or_404(request.user, pk)
    form = PriceForm(request.POST)
    if form.is_valid():
        try:
            services.add_local_price(
                actor=request.user,
                item=item,
                organisation_id=_own_organisation_id(request.user),
                **form.cleaned_data,
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("The new local price is published."))
            return redirect("costs:item", pk=item.pk)
    return render(
        request,
        "costs/item_detail.html",
        {
            "item": item,
            "row": (selectors.priced([item]) or [None])[0],
            "versions": item.visible_versions,
            "is_admin": True,
            "price_form": form,
        },
        status=400,
    )


@role_required(Role.ADMIN)
def new_item(request):
    item_form = LocalItemForm(request.POST or None)
    price_form = PriceForm(request.POST or None)
    if request.method == "POST" and item_form.is_valid() and price_form.is_valid():
        try:
            item = services.add_local_item(
                actor=request.user,
                organisation_id=_own_organisation_id(request.user),
                **item_form.cleaned_data,
                **price_form.cleaned_data,
            )
        except ValidationError as e:
            item_form.add_error(None, e)
        else:
            messages.success(request, _("The local cost item is added."))
            return redirect("costs:item", pk=item.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "costs/new_item.html",
        {"item_form": item_form, "price_form": price_form},
        status=status,
    )


@require_POST
@role_required(Role.ADMIN)
def retire(request, pk: int):
    item = _item_or_404(request.user, pk)
    services.retire_item(
        actor=request.user, item=item, organisation_id=_own_organisation_id(request.user)
    )
    messages.success(request, _("The item is retired for your organisation."))
    return redirect("costs:catalogue")
