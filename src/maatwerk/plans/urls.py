from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("nieuw/<int:pk>/", views.plan_new, name="new"),
    path("uit-rekenhulp/", views.plan_from_calculator, name="from_calculator"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/bewerken/", views.plan_edit, name="edit"),
    path("<int:pk>/herzien/", views.plan_revise, name="revise"),
    path("<int:pk>/afsluiten/", views.plan_close, name="close"),
    path("<int:pk>/document/", views.plan_document, name="document"),
    path("<int:pk>/document.pdf", views.plan_document_pdf, name="document_pdf"),
]
