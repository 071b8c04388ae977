from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from maatwerk.cases.models import Obstacle
from maatwerk.core import dates
from maatwerk.core.forms import DateField, LocalMoneyField
from maatwerk.costs import calculations
from maatwerk.costs.calculations import MAX_LINES
from maatwerk.costs.forms import (
    LineForm,
    bind_rows,
    discount_rate_field,
    horizon_field,
    price_year_field,
)
from maatwerk.legal.models import Provision

from . import selectors, services, triangle
from .models import LineKind, Plan, Scenario

# Shown beside a field a draft may leave empty but a submitted plan may not (core/field.html),
# instead of "(optional)".
NEEDED_TO_SUBMIT = _("needed to submit")


def _mark(form, names, hint) -> None:
    for name in names:
        form.fields[name].needed_for = hint


class SolutionForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = list(services.SOLUTION_FIELDS)
        field_classes = {"amount_requested": LocalMoneyField, "when": DateField}
        labels = {"solution": _("Description of the solution")}
        widgets = {"solution": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "solution": _("What will be done, so the household gets unstuck."),
            "when": _("Today or later, at most two years ahead."),
            "solution_kind": _(
                "What kind of maatwerk this is. Policy makers count the kinds that keep coming "
                "back, so the rule behind them can change; the count never shows a household."
            ),
        }

    def clean_when(self):
        value = self.cleaned_data.get("when")
        stored = self.instance.when if self.instance.pk else None
        if services.when_in_past(value, stored):
            raise forms.ValidationError(services.past_when_message(), code="date_in_past")
        return value

    def clean_amount_requested(self):
        value = self.cleaned_data.get("amount_requested")
        if value is not None and value < 0:
            raise forms.ValidationError(_("The amount cannot be negative."))
        return value

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dates.bound(self.fields["when"], dates.PLANNED_DATE)
        # A draft may be saved without a kind; submission requires one (triangle.assess).
        _mark(self, ["solution_kind"], NEEDED_TO_SUBMIT)
        if "amount_reason" in self.fields:
            self.fields["amount_reason"].needed_for = _(
                "needed when it differs from the tailored route's cost to the municipality"
            )


ANOTHER_DRAFT_LABEL = _("Make another draft plan for this case anyway")


def another_draft_error() -> str:
    return _(
        "This case already has a draft plan: open it and continue there, or tick “Make "
        "another draft plan for this case anyway”."
    )


class PlanCreateForm(SolutionForm):
    obstacles = forms.ModelMultipleChoiceField(
        label=_("Obstacles this plan solves"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one obstacle.")},
    )

    class Meta(SolutionForm.Meta):
        # No routes yet, so nothing for the amount to differ from: its reason comes later.
        fields = ["obstacles", *(f for f in services.SOLUTION_FIELDS if f != "amount_reason")]

    def __init__(self, *args, case, drafts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["obstacles"].queryset = case.obstacles.select_related("blocking_rule")
        self.fields["obstacles"].label_from_instance = lambda o: o.rule_name
        # A case with a draft already: a second one is made only when the worker says so.
        self.drafts = list(drafts)
        if self.drafts:
            self.fields["another_draft"] = forms.BooleanField(
                label=ANOTHER_DRAFT_LABEL, required=False
            )

    def clean(self):
        data = super().clean()
        if self.drafts and not data.pop("another_draft", False):
            self.add_error("another_draft", another_draft_error())
        data.pop("another_draft", None)
        return data


class InvolvementForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = list(services.AGREEMENT_FIELDS)
        field_classes = {"agreement_date": DateField}
        widgets = {
            "resident_words": forms.Textarea(attrs={"rows": 3}),
            "agreement": forms.RadioSelect,
        }
        help_texts = {
            "resident_words": _("In the resident's own words: what do they think of this plan?")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dates.bound(self.fields["agreement_date"], dates.EVENT_DATE)
        _mark(self, services.AGREEMENT_FIELDS, NEEDED_TO_SUBMIT)


class TermsForm(forms.Form):
    """The terms of the comparison, in the calculator's words; the rate is a fraction once
    cleaned (PercentField)."""

    horizon_months = horizon_field()
    discount_rate = discount_rate_field()
    price_year = price_year_field(required=False)


class ProvisionForm(forms.Form):
    provision = forms.ModelChoiceField(
        label=_("Provision"),
        queryset=Provision.objects.select_related("law").order_by("law__code", "code"),
        required=False,
    )
    explanation = forms.CharField(
        label=_("Why it gives room here"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _mark(self, ["provision", "explanation"], NEEDED_TO_SUBMIT)


class BaseProvisionFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:  # a suggested (or chosen) provision can be taken out
            form.fields["DELETE"].label = _("Remove this provision")


# The same limits as the API (plans.api), so neither door takes more than the other.
# No blank extra rows: "Add a provision" and "Add a line" add one (views).
ProvisionFormSet = forms.formset_factory(
    ProvisionForm,
    formset=BaseProvisionFormSet,
    extra=0,
    can_delete=True,
    max_num=services.MAX_PROVISIONS,
    validate_max=True,
    absolute_max=services.MAX_PROVISIONS,
)


class PlanLineForm(LineForm):
    """A plan's line also says what kind it is: a payment, or income the bearer forgoes."""

    kind = forms.ChoiceField(
        label=_("Kind of line"),
        choices=LineKind.choices,
        required=False,  # a line added from the catalogue comes without it: a cost
        initial=LineKind.COST,
    )
    field_order = ["kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].always_set = True  # it has no empty choice: not "optional"
        # LineForm marks what a line of one's own needs (a catalogue line takes it from there).

    def clean_kind(self):
        return self.cleaned_data.get("kind") or LineKind.COST


# Lines are removed with their own button (views), not a "delete" checkbox.
PlanLineFormSet = forms.formset_factory(
    PlanLineForm,
    extra=0,
    max_num=MAX_LINES,
    validate_max=True,
    absolute_max=MAX_LINES,
)


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the plan closed?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the solution is carried out, or the household moved away."),
    )


# --- The edit page: all its forms as one bundle ---------------------------------------------

LINE_VALUE_FIELDS = (
    "kind", "label", "amount", "unit", "bearer", "cost_type", "quantity", "start_month",
    "duration_months", "probability",
)  # fmt: skip
# A new empty line as posted: the form's own initial values, so an untouched one is skipped.
FREE_LINE = {
    "item": "", "kind": LineKind.COST, "label": "", "amount": "", "unit": "", "bearer": "",
    "cost_type": "", "quantity": "1", "start_month": "0", "duration_months": "",
    "probability": "100",
}  # fmt: skip


def line_initial(line) -> dict:
    """A stored line as its form's initial values (the probability stays a fraction)."""
    return {"item": line.cost_item_id, **{f: getattr(line, f) for f in LINE_VALUE_FIELDS}}


def line_values(form) -> dict:
    """A valid line form as the values `services.set_scenarios` takes."""
    d = form.cleaned_data
    return {
        "cost_item_id": d.get("item"),
        "kind": d.get("kind") or LineKind.COST,
        "label": d.get("label", ""),
        "amount": d.get("amount"),
        "unit": d.get("unit", ""),
        "bearer": d.get("bearer", ""),
        "cost_type": d.get("cost_type", ""),
        "quantity": d["quantity"],
        "start_month": d["start_month"],
        "duration_months": d.get("duration_months"),
        "probability": d["probability"],
    }


def line_request(form) -> calculations.LineRequest:
    v = line_values(form)
    return calculations.LineRequest(
        item_id=v["cost_item_id"],
        label=v["label"],
        amount=v["amount"],
        unit=v["unit"] or None,
        bearer=v["bearer"] or None,
        cost_type=v["cost_type"] or None,
        quantity=v["quantity"],
        start_month=v["start_month"],
        duration_months=v["duration_months"],
        probability=v["probability"],
    )


class PlanEditForms:
    """Every form of a draft plan's edit page, bound to the same data: the solution, the legal
    basis, the resident's involvement, the terms and the lines of both routes."""

    def __init__(self, plan: Plan, data=None, *, provision_initial: list[dict]):
        self.plan = plan
        self.solution = SolutionForm(data, instance=plan, prefix="sol")
        self.involvement = InvolvementForm(data, instance=plan, prefix="inv")
        self.terms = TermsForm(
            data,
            prefix="terms",
            initial={f: getattr(plan, f) for f in services.TERMS_FIELDS},
        )
        self.provisions = ProvisionFormSet(data, prefix="prov", initial=provision_initial)
        self.lines = {
            s: PlanLineFormSet(
                data,
                prefix=s,
                initial=[line_initial(x) for x in selectors.lines_of(plan, s)],
            )
            for s in Scenario.values
        }

    @property
    def is_bound(self) -> bool:
        return self.solution.is_bound

    def initial_provision_explanations(self) -> tuple[str, ...]:
        """One explanation per provision the unbound form shows chosen (stored or suggested)."""
        return tuple(
            (row.get("explanation") or "")
            for row in self.provisions.initial or []
            if row.get("provision")
        )

    @property
    def forms(self) -> dict:
        return {"solution": self.solution, "involvement": self.involvement, "terms": self.terms}

    def is_valid(self) -> bool:
        results = [f.is_valid() for f in (*self.forms.values(), self.provisions)]
        results += [fs.is_valid() for fs in self.lines.values()]
        return all(results)

    def sections(self) -> dict:
        """The cleaned sections, as `services.save_draft` takes them (after `is_valid`)."""
        return {
            "solution": {f: self.solution.cleaned_data[f] for f in services.SOLUTION_FIELDS},
            "agreement": {f: self.involvement.cleaned_data[f] for f in services.AGREEMENT_FIELDS},
            "provisions": [
                (f.cleaned_data["provision"], f.cleaned_data.get("explanation", ""))
                for f in self.provisions
                if f.cleaned_data.get("provision") and not f.cleaned_data.get("DELETE")
            ],
            "standard": [line_values(f) for f in self.filled(Scenario.STANDARD)],
            "tailored": [line_values(f) for f in self.filled(Scenario.TAILORED)],
            "terms": dict(self.terms.cleaned_data),
        }

    def filled(self, scenario: str) -> list:
        """The valid, filled-in line forms of `scenario` (an untouched empty line is skipped)."""
        return [
            f
            for f in self.lines[scenario]
            if f.is_valid() and f.cleaned_data and "quantity" in f.cleaned_data
        ]

    def typed(self, scenario: str) -> list:
        """The line forms someone filled in or that came stored, valid or not."""
        return [f for f in self.lines[scenario] if f.has_changed() or f.initial]

    def calculation_request(self) -> calculations.CalculationRequest | None:
        """The comparison as the form now stands, or None while a line or term is invalid."""
        typed = {s: self.typed(s) for s in Scenario.values}
        if not all(f.is_valid() for forms_ in typed.values() for f in forms_):
            return None
        if not (typed["standard"] and typed["tailored"] and self.terms.is_valid()):
            return None
        terms = self.terms.cleaned_data
        return calculations.CalculationRequest(
            standard=tuple(line_request(f) for f in self.filled(Scenario.STANDARD)),
            tailored=tuple(line_request(f) for f in self.filled(Scenario.TAILORED)),
            horizon_months=terms["horizon_months"],
            discount_rate=terms["discount_rate"],
            price_year=terms.get("price_year") or self.plan.price_year,
        )

    def budget_cost(self, user) -> Decimal | None:
        """What the tailored route as now typed costs the budget bearer (None while it cannot
        be calculated or has no lines)."""
        request_ = self.calculation_request()
        if request_ is None:
            return None
        payments = tuple(
            line_request(f)
            for f in self.filled(Scenario.TAILORED)
            if (f.cleaned_data.get("kind") or LineKind.COST) != LineKind.FORGONE_INCOME
        )
        return selectors.budget_cost_of(
            user,
            payments,
            horizon_months=request_.horizon_months,
            discount_rate=request_.discount_rate,
            price_year=request_.price_year,
        )

    def triangle_input(
        self, calculation_ok: bool, budget_cost: Decimal | None = None
    ) -> triangle.TriangleInput:
        """The value triangle's input as the form now stands, saved or not."""
        for form in (*self.forms.values(), self.provisions):
            form.is_valid()  # fills cleaned_data with the fields that are valid
        explanations = tuple(
            (f.cleaned_data.get("explanation") or "")
            for f in self.provisions
            if getattr(f, "cleaned_data", None)
            and f.cleaned_data.get("provision")
            and not f.cleaned_data.get("DELETE")
        )
        inv = getattr(self.involvement, "cleaned_data", {})
        tailored = self.filled(Scenario.TAILORED)
        tailored_typed = self.typed(Scenario.TAILORED)
        return triangle.TriangleInput(
            provision_explanations=explanations,
            goal=self.plan.case.goal,
            resident_words=inv.get("resident_words", ""),
            agreement=inv.get("agreement", ""),
            agreement_date=inv.get("agreement_date"),
            agreement_how=inv.get("agreement_how", ""),
            standard_lines=len(self.typed(Scenario.STANDARD)),
            tailored_lines=len(tailored_typed),
            calculation_ok=calculation_ok,
            tailored_forgone_only=bool(tailored)
            and len(tailored) == len(tailored_typed)
            and all(f.cleaned_data.get("kind") == LineKind.FORGONE_INCOME for f in tailored),
            amount_requested=getattr(self.solution, "cleaned_data", {}).get("amount_requested"),
            budget_cost=budget_cost,
            amount_reason=getattr(self.solution, "cleaned_data", {}).get("amount_reason", ""),
            solution_kind=getattr(self.solution, "cleaned_data", {}).get("solution_kind", ""),
        )

    def error_links(self) -> list[tuple[str, str, str]]:
        """(anchor, where, message) for every error, for the summary at the top: each links
        to its field, so a keyboard user gets there in one step."""
        links: list[tuple[str, str, str]] = []
        for form in self.forms.values():
            links += _form_error_links(form)
        for n, form in enumerate(self.provisions, start=1):
            links += _form_error_links(form, _("Provision %(n)s") % {"n": n})
        for key, formset in self.lines.items():
            where = ROUTE_LINE[key]
            for n, form in enumerate(formset, start=1):
                links += _form_error_links(form, where % {"n": n})
        for formset in (self.provisions, *self.lines.values()):
            links += [("", "", e) for e in formset.non_form_errors()]
        return links


ROUTE_LINE = {
    Scenario.STANDARD: _("Standard route, line %(n)s"),
    Scenario.TAILORED: _("Tailored route, line %(n)s"),
}


def _form_error_links(form, where: str = "") -> list[tuple[str, str, str]]:
    links = []
    for e in form.non_field_errors():
        first = next(iter(form.visible_fields()), None)
        links.append((first.id_for_label if first else "", where, e))
    for name, errors in form.errors.items():
        if name == "__all__" or name not in form.fields:
            continue
        bound = form[name]
        anchor = bound.id_for_label or f"{bound.auto_id}_0"
        label = f"{where} – {bound.label}" if where else str(bound.label)
        links += [(anchor, label, e) for e in errors]
    return links


class FromCalculatorForm(forms.Form):
    """Which case (and which of its obstacles) a comparison from the calculator becomes a draft
    plan of, and the solution in a sentence."""

    obstacle = forms.ModelChoiceField(
        label=_("For which case and obstacle?"),
        queryset=None,
        empty_label=_("Choose a case and obstacle …"),
        help_text=_("Only open cases of your own team are listed."),
        error_messages={"required": _("Choose the case and obstacle this plan is for.")},
    )
    solution = forms.CharField(
        label=_("The solution"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What will be done, so the household gets unstuck."),
        error_messages={"required": _("Describe the solution.")},
    )

    another_draft = forms.BooleanField(label=ANOTHER_DRAFT_LABEL, required=False)

    def __init__(self, *args, cases, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.drafts: list[Plan] = []  # the chosen case's drafts, when it has any
        field = self.fields["obstacle"]
        field.queryset = (
            Obstacle.objects.filter(case__in=cases)
            .select_related("case__household", "blocking_rule")
            .prefetch_related("plans")
            .order_by("-case__opened_on", "case_id", "pk")
        )
        field.label_from_instance = self._label

    def clean(self):
        data = super().clean()
        obstacle = data.get("obstacle")
        if obstacle is not None and self.user is not None:
            self.drafts = selectors.drafts_by_case(self.user, [obstacle.case_id]).get(
                obstacle.case_id, []
            )
            if self.drafts and not data.get("another_draft"):
                self.add_error("another_draft", another_draft_error())
        return data

    @staticmethod
    def _label(o) -> str:
        label = _("%(case)s – %(title)s: %(obstacle)s") % {
            "case": o.case.household.reference,
            "title": o.case.title,
            "obstacle": o.rule_name,
        }
        # A second plan for the same obstacle may pay twice: say which plans exist already.
        existing = [
            p
            for p in o.plans.all()
            if p.status not in (Plan.Status.WITHDRAWN, Plan.Status.REJECTED)
        ]
        if existing:
            label += " " + _("(already has %(plans)s)") % {
                "plans": ", ".join(
                    _("plan %(n)s, %(status)s") % {"n": p.pk, "status": p.get_status_display()}
                    for p in existing
                )
            }
        return label


def calculator_sections(comparison: dict) -> dict:
    """The calculator's comparison (as kept in the session) as `services.save_draft`
    sections; raises ValidationError when it no longer reads as valid lines."""
    sections: dict = {
        "terms": {
            "horizon_months": int(comparison["horizon_months"]),
            "discount_rate": Decimal(comparison["discount_rate"]),
            "price_year": comparison.get("price_year"),
        }
    }
    for scenario in Scenario.values:
        formset = bind_rows(comparison.get(scenario, []), scenario)
        if not formset.is_valid():
            raise forms.ValidationError(_("The comparison has errors: correct it first."))
        sections[scenario] = [
            {**line_values(f), "kind": LineKind.COST} for f in formset if f.cleaned_data
        ]
    return sections
