from django.urls import path

from . import views

app_name = "partners"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<uuid:public_id>/", views.detail, name="signal"),
]
