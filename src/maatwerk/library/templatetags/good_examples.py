"""Good examples where other pages show them, without those apps knowing the library:

- ``{% case_suggestions request.user case %}`` on the case page (only when an obstacle names a
  blocking rule from the regelbank);
- ``{% new_plan_suggestions request.user case %}`` on the new-plan form: the case page's three
  (from the case's obstacles), before there is a draft to copy into;
- ``{% plan_suggestions request.user plan %}`` on the plan form, with "Structuur overnemen".
"""

from django import template

from .. import suggest

register = template.Library()


@register.inclusion_tag("library/_suggestions.html")
def case_suggestions(user, case):
    # Only a case stuck on a known rule gets suggestions: that is what the library is about.
    if not suggest.case_rules(case):
        return {"suggestions": [], "shown": False}
    return {
        "suggestions": suggest.suggest_examples(case, user),
        "shown": True,
        "plan": None,
    }


@register.inclusion_tag("library/_suggestions.html")
def new_plan_suggestions(user, case):
    return {**case_suggestions(user, case), "new_plan": True}


@register.inclusion_tag("library/_suggestions.html", takes_context=True)
def plan_suggestions(context, user, plan):
    return {
        "suggestions": suggest.suggest_examples(plan, user),
        "shown": True,
        "plan": plan,
        "csrf_token": context.get("csrf_token"),
    }
