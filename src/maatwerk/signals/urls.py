from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "signals"
urlpatterns = [
    # The menu's "Signalen": the report (its top links the signal list).
    path("", RedirectView.as_view(pattern_name="signals:report")),
    path("nieuwe-regels/", views.new_rules, name="new_rules"),
    path("nieuwe-regels/<int:pk>/", views.promote_rule, name="promote_rule"),
    path("organisaties/", views.organisation_figures, name="organisations"),
    path("rapport/", views.signal_report, name="report"),
    path("rapport/csv/", views.signal_report_csv, name="report_csv"),
    # The national picture (issue 14, point 6).
    path("export/json/", views.national_export, {"fmt": "json"}, name="national_export_json"),
    path("export/csv/", views.national_export, {"fmt": "csv"}, name="national_export_csv"),
    path("landelijk/", views.national_report, name="national"),
    path("schema/signals-export.schema.json", views.export_schema, name="export_schema"),
]
# System signals (issue 14, point 3).
urlpatterns += [
    path("lijst/", views.signal_list, name="list"),
    path("nieuw/", views.new_signal, name="new"),
    path("<int:pk>/", views.signal_detail, name="detail"),
    path("<int:pk>/status/", views.transition, name="transition"),
    path("<int:pk>/bijdrage/", views.contribute, name="contribute"),
    path("knelpunt/<int:pk>/", views.from_obstacle, name="from_obstacle"),
]
# Collective patterns and approaches (issue 14, point 5); the public page is at /openbaar/.
urlpatterns += [
    path("patronen/", views.collective_patterns, name="patterns"),
    path("aanpak/nieuw/", views.new_approach, name="new_approach"),
    path("aanpak/<int:pk>/", views.approach_detail, name="approach"),
    path("aanpak/<int:pk>/wat-gedaan/", views.record_activity, name="record_activity"),
]
