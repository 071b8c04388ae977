from django.urls import path

from . import views

app_name = "followup"
urlpatterns = [
    path("<int:pk>/", views.record, name="record"),
    path("cohorten/", views.cohort_overview, name="cohorts"),
    path("cohorten/export.csv", views.cohorts_csv, name="cohorts_csv"),
    path("cohorten/export.xlsx", views.cohorts_xlsx, name="cohorts_xlsx"),
    path("<int:pk>/uitgevoerd/", views.carried_out, name="carried_out"),
    path("waakvlam/<int:pk>/", views.pilot_light, name="pilot_light"),
    path("instellingen/", views.moments, name="moments"),
]
