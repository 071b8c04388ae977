from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("beveiliging/", views.security, name="security"),
    path("tweestaps/instellen/", views.otp_setup, name="otp_setup"),
    path("tweestaps/controle/", views.otp_verify, name="otp_verify"),
    path("rolverzoeken/", views.role_requests, name="role_requests"),
]
