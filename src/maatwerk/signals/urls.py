from django.urls import path

from . import views

app_name = "signals"
urlpatterns = [
    path("nieuwe-regels/", views.new_rules, name="new_rules"),
    path("nieuwe-regels/<int:pk>/", views.promote_rule, name="promote_rule"),
    path("organisaties/", views.organisation_figures, name="organisations"),
    path("rapport/", views.signal_report, name="report"),
    path("rapport/csv/", views.signal_report_csv, name="report_csv"),
]
