from django.urls import path

from . import views

app_name = "decisions"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("plan/<int:pk>/", views.decide, name="decide"),
    path("plan/<int:pk>/indienen/", views.submit_plan, name="submit"),
    path("ladders/", views.empty_levels, name="empty_levels"),
    path("plan/<int:pk>/verloop/", views.plan_trail, name="trail"),
    path("plan/<int:pk>/intrekken/", views.withdraw_plan, name="withdraw"),
    path("plan/<int:pk>/stem/", views.peer_vote, name="peer_vote"),
    path("plan/<int:pk>/escaleren/", views.escalate_plan, name="escalate"),
    path("plan/<int:pk>/mdt/", views.consultation_new, name="consult"),
    path("plan/<int:pk>/betaling/", views.pay_plan, name="pay"),
    path("budget/", views.budgets, name="budgets"),
    path("budget/<int:pk>/", views.budget_detail, name="budget"),
    path("budget/<int:pk>/grootboek.csv", views.budget_csv, name="budget_csv"),
    path("budget/<int:pk>/grootboek.xlsx", views.budget_xlsx, name="budget_xlsx"),
    path("budget/export.csv", views.budgets_csv, name="budgets_csv"),
    path("budget/export.xlsx", views.budgets_xlsx, name="budgets_xlsx"),
]
