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
    path("bewaartermijnen/", views.retention_rules, name="retention"),
    path("vernietigingslijst/", views.destruction_list, name="destruction"),
    path(
        "vernietigingslijst/op-verzoek/",
        views.destruction_request_search,
        name="destruction_request_search",
    ),
    path(
        "vernietigingslijst/op-verzoek/<int:pk>/",
        views.destruction_request,
        name="destruction_request",
    ),
    path("bewaarplicht/", views.legal_hold_search, name="legal_hold_search"),
    path("bewaarplicht/<int:pk>/", views.legal_hold, name="legal_hold"),
    path("inzageverzoek/", views.access_search, name="access_search"),
    path("inzageverzoek/<int:pk>/", views.access_person, name="access_person"),
    path(
        "inzageverzoek/<int:pk>/inzage.json",
        views.access_export,
        {"fmt": "json"},
        name="access_json",
    ),
    path(
        "inzageverzoek/<int:pk>/inzage.pdf", views.access_export, {"fmt": "pdf"}, name="access_pdf"
    ),
]
