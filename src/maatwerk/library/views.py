"""Library pages. Thin: the rules live in services and selectors."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maatwerk.audit import services as audit
from maatwerk.cases.selectors import may_write
from maatwerk.core.errors import to_form
from maatwerk.plans import selectors as plan_selectors
from maatwerk.plans import views as plan_views
from maatwerk.plans.models import Plan

from . import search, selectors, services, structure
from .deidentify import deidentify
from .forms import ExampleForm, ImportForm, ReturnForm
from .models import Example
from .search_forms import ExampleSearchForm

PAGE_SIZE = 25


def _reader(request):
    if not selectors.reads_library(request.user):
        raise PermissionDenied


def _example_or_404(user, pk: int) -> Example:
    try:
        return selectors.example_detail(user, pk)
    except Example.DoesNotExist:
        raise Http404 from None


@login_required
def example_list(request):
    """The approved examples; with words or filters, what `search_examples` finds, best first."""
    _reader(request)
    form = ExampleSearchForm(request.GET or None)
    # A filter that cannot be read (an amount "abc") is said, not dropped: dropping it would
    # list every example as if it matched.
    invalid = form.is_bound and not form.is_valid()
    filters = form.filters() if form.is_bound else {}
    query = form.cleaned_data.get("q", "") if form.is_bound and not invalid else ""
    results = None
    if query or any(v not in (None, "") for v in filters.values()):
        results = search.search_examples(request.user, query, filters)
    page = None
    if results is None and not invalid:  # the plain list, paged; a search: its best matches
        examples = selectors.visible_examples(request.user).filter(status=Example.Status.APPROVED)
        page = Paginator(examples, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "library/example_list.html",
        {
            "page": page,
            "search_form": form,
            "results": results,
            "query": query,
            "max_results": search.MAX_RESULTS,
            "team_examples": list(selectors.my_team_examples(request.user)[:20]),
            "to_review": selectors.review_queue(request.user).count(),
            "may_exchange": selectors.may_exchange(request.user),
            "search_invalid": invalid,
        },
    )


@require_POST
@login_required
def copy_structure(request, pk: int):
    """ "Structuur overnemen" on the plan form: the example named in the POST gives its
    provisions and cost lines to draft plan `pk`. The button belongs to the plan's form, so the
    worker's unsaved edits come along and are saved with the copy (the plans' page does the
    form and the messages: `plans.views.save_and_copy`)."""
    try:
        plan = plan_selectors.plan_detail(request.user, pk)
    except Plan.DoesNotExist:
        raise Http404 from None
    if not may_write(request.user, plan.case):
        raise PermissionDenied
    example_id = request.POST.get("example", "")
    example = (
        selectors.approved_examples(request.user).prefetch_related(None).filter(pk=example_id)
        if example_id.isdigit()
        else Example.objects.none()
    ).first()
    if example is None:
        messages.error(request, _("That example is not in the library (any more)."))
        return redirect(reverse("plans:edit", args=[plan.pk]) + "#messages")
    return plan_views.save_and_copy(
        request, plan.pk, partial(structure.copy_structure, request.user, example)
    )


@login_required
def review_queue(request):
    _reader(request)
    return render(
        request,
        "library/review_queue.html",
        {"examples": list(selectors.review_queue(request.user))},
    )


def _detail_context(request, example: Example, return_form=None) -> dict:
    user = request.user
    return {
        "example": example,
        "provisions": example.provision_list,
        "cost_routes": selectors.cost_routes(example),
        "source_plan_id": selectors.source_plan_id(user, example),
        "may_edit": selectors.may_edit(user, example),
        "may_review": selectors.may_review(user, example),
        "may_withdraw": selectors.may_withdraw(user, example),
        "return_form": return_form or ReturnForm(),
    }


@login_required
def example_detail(request, pk: int):
    _reader(request)
    example = _example_or_404(request.user, pk)
    return render(request, "library/example_detail.html", _detail_context(request, example))


@login_required
def example_propose(request, pk: int):
    """Propose an example from decided plan `pk`: the texts are de-identified on saving, and
    the worker sees what was replaced on the next page."""
    try:
        plan = plan_selectors.plan_detail(request.user, pk)
    except Plan.DoesNotExist:
        raise Http404 from None
    if not selectors.may_propose(request.user, plan):
        raise PermissionDenied
    existing = selectors.open_example_of_plan(plan)
    if existing is not None and request.method != "POST":
        messages.info(
            request,
            _(
                "An example from this plan is already in the library or on its way there: "
                "continue with that one, or withdraw it first."
            ),
        )
        return redirect("library:detail", existing.pk)
    if request.method == "POST":
        form = ExampleForm(request.POST)
        if form.is_valid():
            try:
                example = services.propose_example(plan, request.user, **form.cleaned_data)
            except ValidationError as error:
                to_form(form, error)
            else:
                messages.info(
                    request, _("Check what was replaced, edit where needed and submit it.")
                )
                return redirect("library:edit", example.pk)
    else:
        audit.record(actor=request.user, action=audit.Action.VIEW, obj=plan)
        known = services.known_for_plan(plan)
        rule = next((o.rule_name for o in plan.obstacles.all()), "")
        form = ExampleForm(
            initial={
                "title": deidentify(rule, known).text,
                "story": deidentify(plan.solution, known).text,
            }
        )
    status = 400 if form.errors else 200
    return render(
        request, "library/example_propose.html", {"form": form, "plan": plan}, status=status
    )


@login_required
def example_edit(request, pk: int):
    example = _example_or_404(request.user, pk)
    if not selectors.may_edit(request.user, example):
        raise PermissionDenied
    if request.method == "POST":
        form = ExampleForm(request.POST)
        if form.is_valid():
            try:
                example = services.edit_example(example, request.user, **form.cleaned_data)
                if "submit" in request.POST:
                    services.submit_example(example, request.user)
                    messages.success(request, _("The example waits for review."))
                    return redirect("library:detail", example.pk)
            except ValidationError as error:
                to_form(form, error)
            else:
                messages.info(request, _("Saved. Check what was replaced."))
                return redirect("library:edit", example.pk)
    else:
        form = ExampleForm(
            initial={"title": example.title, "story": example.story, "lessons": example.lessons}
        )
    status = 400 if form.errors else 200
    return render(
        request, "library/example_edit.html", {"form": form, "example": example}, status=status
    )


@require_POST
@login_required
def example_review(request, pk: int):
    example = _example_or_404(request.user, pk)
    if not selectors.may_review(request.user, example):
        raise PermissionDenied
    if request.POST.get("action") == "approve":
        try:
            services.approve_example(example, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The example is in the library."))
        return redirect("library:detail", example.pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        services.return_example(example, request.user, form.cleaned_data["reason"])
        messages.success(request, _("The example went back to the team."))
        return redirect("library:review_queue")
    context = _detail_context(request, example, return_form=form)
    return render(request, "library/example_detail.html", context, status=400)


@require_POST
@login_required
def example_withdraw(request, pk: int):
    example = _example_or_404(request.user, pk)
    services.withdraw_example(example, request.user)
    messages.success(request, _("The example is withdrawn."))
    return redirect("library:list")


@login_required
def example_export(request):
    if not selectors.may_exchange(request.user):
        raise PermissionDenied
    try:
        body = services.export_examples(request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("library:import")
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = f"voorbeelden-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def example_import(request):
    if not selectors.may_exchange(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.import_examples(request.user, form.cleaned_data["file"].read())
        except ValidationError as error:
            to_form(form, error)
        else:
            messages.success(
                request,
                _("%(n)s examples imported; they wait for review.") % {"n": len(created)},
            )
            return redirect("library:review_queue")
    status = 400 if form.errors else 200
    return render(request, "library/example_import.html", {"form": form}, status=status)
