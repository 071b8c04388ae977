"""Pages of escalation beyond the organisation: escalate a refused or overdue request, the
referral with its document (HTML and PDF) and its answer. Thin: the rules live in
the app's ``services`` and ``selectors``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maatwerk.accounts.decorators import role_required
from maatwerk.accounts.roles import CASE_ROLES
from maatwerk.audit import services as audit
from maatwerk.core.errors import to_form

from . import referral_document, selectors, services
from .models import CooperationRequest, Referral
from .referral_forms import ReferralAnswerForm, ReferralForm


def _request_or_404(user, pk: int) -> CooperationRequest:
    try:
        return selectors.request_for_referral(user, pk)
    except CooperationRequest.DoesNotExist:
        raise Http404 from None


def _referral_or_404(user, pk: int) -> Referral:
    try:
        return selectors.referral_detail(user, pk)
    except Referral.DoesNotExist:
        raise Http404 from None


@role_required(*CASE_ROLES)
def escalate(request, pk: int):
    """Escalate a refused or overdue request beyond the organisation."""
    coop = _request_or_404(request.user, pk)
    if not selectors.may_write(request.user, coop):
        raise PermissionDenied
    blocker = selectors.escalation_blocker(coop)
    form = ReferralForm(request.POST or None, request=coop)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.escalate(request.user, coop, **form.cleaned_data)
        except ValidationError as e:
            to_form(form, e)
        else:
            messages.success(
                request,
                _(
                    "The case is escalated. Download the referral document and send it to "
                    "the route."
                ),
            )
            return redirect("cooperation:referral", pk=referral.pk)
    if request.method == "GET":
        audit.record(
            actor=request.user, action=audit.Action.VIEW, obj=coop, reason="escalate request"
        )
    status = 400 if request.method == "POST" else 200
    context = {"coop": coop, "form": form, "blocker": blocker}
    return render(request, "cooperation/referral_new.html", context, status=status)


def _detail(request, referral: Referral, answer_form=None, status=200):
    document = selectors.referral_document(request.user, referral)
    may_write = selectors.may_write(request.user, referral.request)
    context = {
        **referral_document.context(document),
        "may_answer": may_write and referral.status == Referral.Status.SENT,
        "answer_form": answer_form or ReferralAnswerForm(),
    }
    return render(request, "cooperation/referral_detail.html", context, status=status)


@role_required(*CASE_ROLES)
def referral_detail(request, pk: int):
    """The referral: what was sent to the route (the document's text), and its answer."""
    referral = _referral_or_404(request.user, pk)
    audit.record(actor=request.user, action=audit.Action.VIEW, obj=referral)
    return _detail(request, referral)


@role_required(*CASE_ROLES)
def referral_pdf(request, pk: int):
    """The referral document as a PDF; every download is audited."""
    referral = _referral_or_404(request.user, pk)
    document = selectors.referral_document(request.user, referral)
    pdf = referral_document.render_pdf(document, request)
    services.record_referral_download(request.user, referral)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="doorverwijzing-{referral.pk}.pdf"'
    return response


@require_POST
@role_required(*CASE_ROLES)
def record_answer(request, pk: int):
    referral = _referral_or_404(request.user, pk)
    if not selectors.may_write(request.user, referral.request):
        raise PermissionDenied
    form = ReferralAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.record_referral_answer(request.user, referral, **form.cleaned_data)
        except ValidationError as e:
            to_form(form, e)
        else:
            messages.success(request, _("The answer of the route is recorded."))
            return redirect("cooperation:referral", pk=referral.pk)
    return _detail(request, referral, answer_form=form, status=400)
