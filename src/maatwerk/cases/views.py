from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from maatwerk.accounts.decorators import role_required
from maatwerk.accounts.roles import CASE_ROLES
from maatwerk.audit import services as audit

from . import selectors
from .forms import CaseFilterForm
from .models import Case

PAGE_SIZE = 25


@role_required(*CASE_ROLES)
def case_list(request):
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = selectors.case_list(
        request.user,
        query=filters.get("q", ""),
        status=filters.get("status", ""),
        mine=bool(filters.get("mine")),
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    audit.record_views(actor=request.user, objects=rows, reason="case list")
    return render(request, "cases/case_list.html", {"form": form, "page": page, "cases": rows})


@role_required(*CASE_ROLES)
def case_detail(request, pk: int):
    try:
        case = selectors.case_detail(request.user, pk)
    except Case.DoesNotExist:
        raise Http404 from None
    audit.record(actor=request.user, action=audit.Action.VIEW, obj=case)
    return render(request, "cases/case_detail.html", {"case": case})
