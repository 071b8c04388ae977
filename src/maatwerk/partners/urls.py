from django.urls import path

from . import views

app_name = "partners"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<uuid:public_id>/", views.detail, name="signal"),
    path("warme-overdracht/", views.handover, name="handover"),
    path("ddas/", views.ddas_export, name="ddas"),
    path("ddas/json/", views.ddas_download, {"fmt": "json"}, name="ddas_json"),
    path("ddas/csv/", views.ddas_download, {"fmt": "csv"}, name="ddas_csv"),
    path("schema/ddas-monthly.schema.json", views.ddas_schema, name="ddas_schema"),
]
