from django.core.paginator import Paginator
from django.shortcuts import render

from maatwerk.accounts.decorators import role_required
from maatwerk.accounts.roles import Role

from . import selectors
from .forms import AuditFilterForm


@role_required(Role.PRIVACY_OFFICER)
def audit_list(request):
    form = AuditFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_events(
        request.user,
        action=f.get("action", ""),
        object_type=f.get("object_type", ""),
        object_id=f.get("object_id", ""),
        actor_id=f.get("actor"),
        date_from=f.get("date_from"),
        date_to=f.get("date_to"),
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/audit_list.html", {"form": form, "page": page})
