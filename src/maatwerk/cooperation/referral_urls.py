"""URLs of escalation beyond the organisation, mounted under /samenwerking/ beside the
requests' own (``urls.py``)."""

from django.urls import path

from . import referral_views as views

app_name = "referrals"
urlpatterns = [
    path("verzoeken/<int:pk>/escaleren/", views.escalate, name="new"),
    path("doorverwijzingen/<int:pk>/", views.referral_detail, name="detail"),
    path("doorverwijzingen/<int:pk>/pdf/", views.referral_pdf, name="pdf"),
    path("doorverwijzingen/<int:pk>/antwoord/", views.record_answer, name="answer"),
]
