from django.urls import path

from . import views

app_name = "legal"
urlpatterns = [
    path("", views.index, name="index"),
    path("artikel/<int:pk>/", views.provision_detail, name="provision"),
    path("artikel/<int:pk>/wijzigen/", views.edit_provision, name="edit_provision"),
    path("regel/<int:pk>/", views.rule_detail, name="rule"),
    path("regel/<int:pk>/wijzigen/", views.edit_rule, name="edit_rule"),
]
