from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    # /account/ itself has no page of its own: the user's account page is the security page.
    path("", views.account, name="index"),
    path("beveiliging/", views.security, name="security"),
    path("tweestaps/instellen/", views.otp_setup, name="otp_setup"),
    path("tweestaps/controle/", views.otp_verify, name="otp_verify"),
    path("rolverzoeken/", views.role_requests, name="role_requests"),
]
