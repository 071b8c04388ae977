from django.urls import path

from . import views

app_name = "followup"
urlpatterns = [
    path("<int:pk>/", views.record, name="record"),
    path("<int:pk>/uitgevoerd/", views.carried_out, name="carried_out"),
]
