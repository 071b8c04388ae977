from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.index, name="index"),
    path("ongebruikelijke-inzage/", views.unusual_reads, name="unusual_reads"),
    path("verwerkingsregister/", views.processing_register, name="register"),
    path(
        "verwerkingsregister.json",
        views.processing_register_export,
        {"fmt": "json"},
        name="register_json",
    ),
    path(
        "verwerkingsregister.csv",
        views.processing_register_export,
        {"fmt": "csv"},
        name="register_csv",
    ),
]
