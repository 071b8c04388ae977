from django.urls import path

from . import referral_views, views

app_name = "cooperation"
urlpatterns = [
    path("casus/<int:pk>/verzoek/", views.new_for_case, name="new_for_case"),
    path("plan/<int:pk>/verzoek/", views.new_for_plan, name="new_for_plan"),
    path("verzoeken/<int:pk>/", views.request_detail, name="detail"),
    path("verzoeken/<int:pk>/toestemming/", views.record_consent, name="consent"),
    path("verzoeken/<int:pk>/verstuurd/", views.send, name="send"),
    path("verzoeken/<int:pk>/contact/", views.add_contact, name="add_contact"),
    path("verzoeken/<int:pk>/antwoord/", views.answer, name="answer"),
    path("verzoeken/<int:pk>/termijn/", views.change_due_date, name="due_date"),
    path("verzoeken/<int:pk>/intrekken/", views.withdraw, name="withdraw"),
    # Escalation of a refused or overdue request beyond the organisation, and its referral.
    path("verzoeken/<int:pk>/escaleren/", referral_views.escalate, name="escalate"),
    path("doorverwijzingen/<int:pk>/", referral_views.referral_detail, name="referral"),
    path("doorverwijzingen/<int:pk>/pdf/", referral_views.referral_pdf, name="referral_pdf"),
    path(
        "doorverwijzingen/<int:pk>/antwoord/",
        referral_views.record_answer,
        name="referral_answer",
    ),
    path("organisaties/", views.directory, name="directory"),
    path("organisaties/nieuw/", views.new_organisation, name="new_organisation"),
    path("organisaties/voorstellen/", views.suggest, name="suggest"),
    path("organisaties/voorstellen/beoordelen/", views.suggestions, name="suggestions"),
    path(
        "organisaties/voorstellen/<int:pk>/besluit/",
        views.decide_suggestion,
        name="decide_suggestion",
    ),
    path("organisaties/<int:pk>/", views.organisation_detail, name="organisation"),
    path("organisaties/<int:pk>/bewerken/", views.edit_organisation, name="edit_organisation"),
    path("organisaties/<int:pk>/contactpunt/", views.add_contact_point, name="add_contact_point"),
    path("contactpunten/<int:pk>/bewerken/", views.edit_contact_point, name="edit_contact_point"),
    path(
        "contactpunten/<int:pk>/verwijderen/",
        views.deactivate_contact_point,
        name="deactivate_contact_point",
    ),
]
